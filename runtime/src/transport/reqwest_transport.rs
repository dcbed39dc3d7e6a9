//! The default transport: reqwest over rustls (no OpenSSL), with connection reuse.

use std::error::Error as StdError;

use bytes::{Bytes, BytesMut};
use std::sync::Mutex;

use super::{TransportError, TransportErrorKind};

use super::{HttpRequest, HttpResponse, HttpTransport, Timeouts, TransportFuture};

/// [`HttpTransport`] over reqwest with rustls.
///
/// reqwest sets connect and read timeouts per client, so one client (and connection pool) is
/// kept per distinct [`Timeouts`] value; with the defaults that is a single pooled client.
#[derive(Debug, Default)]
pub struct ReqwestTransport {
    clients: Mutex<Vec<(Timeouts, reqwest::Client)>>,
}

impl ReqwestTransport {
    /// A transport with no connections yet.
    pub fn new() -> Self {
        ReqwestTransport::default()
    }

    fn client_for(&self, timeouts: Timeouts) -> Result<reqwest::Client, TransportError> {
        // A poisoned lock only means another thread panicked while pushing; the list is intact.
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, client)) = clients.iter().find(|(t, _)| *t == timeouts) {
            return Ok(client.clone());
        }
        let client = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            // Never follow redirects: a signed request must not be replayed elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                TransportError::new(TransportErrorKind::Other, "could not build the HTTP client")
                    .with_source(e.without_url())
            })?;
        clients.push((timeouts, client.clone()));
        Ok(client)
    }
}

impl HttpTransport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        Box::pin(async move {
            let client = self.client_for(request.timeouts)?;
            let response = client
                .request(request.method, &request.url)
                .headers(request.headers)
                .body(request.body)
                .send()
                .await
                .map_err(classify)?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let limit = request.max_response_body;
            let body = read_capped(response, limit).await.map_err(|e| match e {
                CappedReadError::TooLarge => TransportError::body_too_large(limit),
                CappedReadError::Read(e) => classify(e),
            })?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// Why [`read_capped`] gave up.
#[derive(Debug)]
pub(crate) enum CappedReadError {
    /// The body (declared or received) passed the limit.
    TooLarge,
    /// Reading failed.
    Read(reqwest::Error),
}

/// The body, read chunk by chunk and abandoned as soon as it passes `limit` bytes, so an
/// oversized (or endless) body never takes more than `limit` of memory. Shared by this
/// transport and the credentials providers' HTTP client.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Bytes, CappedReadError> {
    let declared = response.content_length();
    if declared.is_some_and(|declared| declared > limit as u64) {
        return Err(CappedReadError::TooLarge);
    }
    let mut body = BytesMut::with_capacity(declared.map_or(0, |declared| declared as usize));
    while let Some(chunk) = response.chunk().await.map_err(CappedReadError::Read)? {
        if body.len() + chunk.len() > limit {
            return Err(CappedReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Maps a reqwest error to a kind. The URL is dropped: with v1 GET it carries the signature
/// and the STS token.
fn classify(error: reqwest::Error) -> TransportError {
    let error = error.without_url();
    let kind = if error.is_connect() && error.is_timeout() {
        TransportErrorKind::ConnectTimeout
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_timeout() {
        TransportErrorKind::ReadTimeout
    } else if error.is_builder() {
        TransportErrorKind::InvalidRequest
    } else if error.is_request() || error.is_body() || error.is_decode() {
        TransportErrorKind::ConnectionClosed
    } else {
        TransportErrorKind::Other
    };
    TransportError::new(kind, root_cause(&error)).with_source(error)
}

/// The innermost cause's message, which is the informative one (e.g. "connection refused").
fn root_cause(error: &(dyn StdError + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}
