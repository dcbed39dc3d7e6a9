//! The small HTTP client that STS and metadata providers share.
//!
//! Credential fetching has its own client (not the SDK's transport) because it happens before
//! a request can be signed, with its own, shorter timeouts, and must never log what it sends.

use std::sync::OnceLock;
use std::time::Duration;

use super::CredentialsError;
use crate::transport::{read_capped, CappedReadError};

const USER_AGENT: &str = concat!(
    "vpn-gateway-runtime/",
    env!("CARGO_PKG_VERSION"),
    " credentials"
);

/// A response as credential providers need it.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// A lazily built `reqwest` client with fixed timeouts.
#[derive(Debug)]
pub(crate) struct HttpClient {
    client: OnceLock<reqwest::Client>,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl HttpClient {
    pub(crate) fn new(connect_timeout: Duration, read_timeout: Duration) -> Self {
        HttpClient {
            client: OnceLock::new(),
            connect_timeout,
            read_timeout,
        }
    }

    /// Builds the client on first use, so that constructing a provider cannot fail.
    fn client(&self) -> Result<&reqwest::Client, CredentialsError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| CredentialsError::with_source("cannot build the HTTP client", e))?;
        Ok(self.client.get_or_init(|| client))
    }

    /// Sends a request and reads the whole body.
    ///
    /// `what` names the call in error messages. URLs are stripped from errors: callers keep
    /// secrets out of URLs, and this makes sure no future change leaks one through an error.
    pub(crate) async fn send(
        &self,
        what: &str,
        request: Request<'_>,
    ) -> Result<Response, CredentialsError> {
        let client = self.client()?;
        let mut builder = client.request(request.method, request.url);
        for (name, value) in request.headers {
            builder = builder.header(*name, *value);
        }
        if let Some(form) = request.form {
            builder = builder
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form);
        }
        let exchange = async {
            let response = builder.send().await.map_err(|e| transport_error(what, e))?;
            let status = response.status().as_u16();
            // Credentials answers are a few hundred bytes: read no more than
            // `MAX_RESPONSE_BODY`, however much the server declares or sends.
            let body = read_capped(response, MAX_RESPONSE_BODY)
                .await
                .map_err(|e| match e {
                    CappedReadError::TooLarge => too_large(what),
                    CappedReadError::Read(e) => transport_error(what, e),
                })?;
            Ok(Response {
                status,
                body: String::from_utf8_lossy(&body).into_owned(),
            })
        };
        // The read timeout bounds each wait, not the exchange: a server trickling one byte
        // per read timeout would hold the call forever. The whole exchange gets the connect
        // timeout plus twice the read timeout.
        let limit = self.connect_timeout + 2 * self.read_timeout;
        tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or_else(|_| {
                Err(CredentialsError::new(format!(
                    "{what}: no complete response within {:.3} s",
                    limit.as_secs_f64()
                )))
            })
    }
}

/// The largest credentials response read: 1 MiB.
pub(crate) const MAX_RESPONSE_BODY: usize = 1024 * 1024;

fn too_large(what: &str) -> CredentialsError {
    CredentialsError::new(format!(
        "{what}: the response body exceeds the limit of {MAX_RESPONSE_BODY} bytes"
    ))
}

/// One outgoing request.
pub(crate) struct Request<'a> {
    pub(crate) method: reqwest::Method,
    pub(crate) url: &'a str,
    pub(crate) headers: &'a [(&'a str, &'a str)],
    /// An `application/x-www-form-urlencoded` body, already encoded.
    pub(crate) form: Option<String>,
}

fn transport_error(what: &str, error: reqwest::Error) -> CredentialsError {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    CredentialsError::with_source(format!("{what}: {kind}"), error.without_url())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A server that answers every connection with `head`, then `body` one chunk at a time,
    /// `pause` apart.
    async fn server(head: &'static str, chunks: Vec<Vec<u8>>, pause: Duration) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let chunks = chunks.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    let _ = socket.read(&mut buf).await;
                    let _ = socket.write_all(head.as_bytes()).await;
                    for chunk in chunks {
                        tokio::time::sleep(pause).await;
                        if socket.write_all(&chunk).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        url
    }

    fn get(url: &str) -> Request<'_> {
        Request {
            method: reqwest::Method::GET,
            url,
            headers: &[],
            form: None,
        }
    }

    #[tokio::test]
    async fn an_oversized_body_is_refused_declared_or_not() {
        let client = HttpClient::new(Duration::from_secs(2), Duration::from_secs(2));
        let big = vec![b'x'; MAX_RESPONSE_BODY + 1];
        let declared = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            big.len()
        );
        let declared: &'static str = Box::leak(declared.into_boxed_str());
        let chunked = "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n";
        for head in [declared, chunked] {
            let url = server(head, vec![big.clone()], Duration::ZERO).await;
            let err = client.send("metadata", get(&url)).await.unwrap_err();
            assert!(err.to_string().contains("exceeds the limit"), "{err}");
        }
    }

    #[tokio::test]
    async fn a_trickling_answer_is_cut_off() {
        // One byte every 300 ms never trips a 1 s read timeout; the exchange limit (1 + 2 × 1 s)
        // ends it long before the 20 s the whole body would take.
        let client = HttpClient::new(Duration::from_secs(1), Duration::from_secs(1));
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 64\r\nconnection: close\r\n\r\n";
        let url = server(head, vec![b"x".to_vec(); 64], Duration::from_millis(300)).await;
        let started = std::time::Instant::now();
        let err = client.send("metadata", get(&url)).await.unwrap_err();
        assert!(err.to_string().contains("no complete response"), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "{:?}",
            started.elapsed()
        );
    }
}
