//! The HTTP seam: a small object-safe trait, its reqwest + rustls implementation, and (behind
//! the `test-util` feature) a capture/replay transport for unit tests.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};
use percent_encoding::percent_decode_str;

mod error;
mod reqwest_transport;
#[cfg(feature = "test-util")]
pub mod test_util;

pub use error::{TransportError, TransportErrorKind};
pub use reqwest_transport::ReqwestTransport;
pub(crate) use reqwest_transport::{read_capped, CappedReadError};

/// The time limits of one attempt.
///
/// | limit | default | what it bounds |
/// | --- | --- | --- |
/// | `connect` | 5 s | establishing the connection (TCP and TLS) |
/// | `read` | 10 s | each wait for more of the response |
/// | `attempt` | 30 s | the whole attempt: credentials, connect, send, the full response |
///
/// `read` alone does not bound an attempt: a server that sends one byte just inside each read
/// timeout would hold the call forever. `attempt` does. The operation as a whole (every attempt
/// and the backoff between them) has its own, optional deadline
/// ([`crate::ConfigBuilder::operation_deadline`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timeouts {
    /// Time allowed to establish the connection (TCP and TLS).
    pub connect: Duration,
    /// Time allowed between reads while waiting for and receiving the response.
    pub read: Duration,
    /// Time allowed for the whole attempt, from obtaining credentials to the last byte of the
    /// response.
    pub attempt: Duration,
}

impl Timeouts {
    /// Connect 5 s and read 10 s (the official SDKs' defaults), and 30 s for a whole attempt.
    pub const DEFAULT: Timeouts = Timeouts {
        connect: Duration::from_secs(5),
        read: Duration::from_secs(10),
        attempt: Duration::from_secs(30),
    };
}

/// The largest response body read by default: 16 MiB. The service's largest pages are a few
/// hundred kilobytes; see [`crate::ConfigBuilder::max_response_body`].
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts::DEFAULT
    }
}

/// A fully signed request, ready to go on the wire.
#[derive(Clone)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: Method,
    /// Full URL, including the query string.
    pub url: String,
    /// Headers, including `host` and, for V3, `authorization`.
    pub headers: HeaderMap,
    /// The body: a form for v1 POST requests and for requests with body parameters
    /// ([`crate::RpcRequest::with_body`]), otherwise empty.
    pub body: Bytes,
    /// Timeouts for this attempt.
    pub timeouts: Timeouts,
    /// The largest response body to accept, in bytes. Implementations stop reading beyond it
    /// and fail with [`TransportErrorKind::BodyTooLarge`].
    pub max_response_body: usize,
}

/// Header names whose values are never shown. `x-acs-content-sha256` is an unkeyed hash of
/// the body, which may hold a pre-shared key: shown, it would let a weak key be guessed offline.
const REDACTED_HEADERS: &[&str] = &[
    "authorization",
    "x-acs-security-token",
    "x-acs-content-sha256",
];

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Query and body carry parameter values (pre-shared keys, the STS token with v1):
        // show only the URL path and the header values that are safe.
        let path = self.url.split('?').next().unwrap_or_default();
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if REDACTED_HEADERS.contains(&name.as_str()) {
                    "** redacted **"
                } else {
                    value.to_str().unwrap_or("<binary>")
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &path)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("timeouts", &self.timeouts)
            .field("max_response_body", &self.max_response_body)
            .finish()
    }
}

impl HttpRequest {
    /// The decoded query-string parameters.
    pub fn query_params(&self) -> Vec<(String, String)> {
        match self.url.split_once('?') {
            Some((_, query)) => decode_form(query),
            None => Vec::new(),
        }
    }

    /// The decoded form-body parameters (empty unless the body is a form).
    pub fn form_params(&self) -> Vec<(String, String)> {
        let is_form = self
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        match (is_form, std::str::from_utf8(&self.body)) {
            (true, Ok(body)) => decode_form(body),
            _ => Vec::new(),
        }
    }

    /// Query and form parameters together: every RPC parameter of the request.
    pub fn params(&self) -> Vec<(String, String)> {
        let mut params = self.query_params();
        params.extend(self.form_params());
        params
    }

    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Decodes `a=b&c=d` (percent-encoding, `+` as space).
pub fn decode_form(encoded: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let spaced = s.replace('+', " ");
        percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
    };
    encoded
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// A response as received: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl HttpResponse {
    /// A response with no headers.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The future returned by [`HttpTransport::send`].
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Sends one HTTP request and returns the whole response.
///
/// Object safe, so the client holds an `Arc<dyn HttpTransport>`: inject your own to mock the
/// service or to route through a proxy. Implementations apply `request.timeouts` and report
/// failures with the right [`TransportErrorKind`] — in particular `Connect` and
/// `ConnectTimeout` only when the request certainly never left, since that decides whether a
/// non-idempotent request may be retried.
pub trait HttpTransport: Send + Sync + fmt::Debug {
    /// Sends `request`.
    fn send(&self, request: HttpRequest) -> TransportFuture<'_>;
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    #[test]
    fn debug_hides_query_body_and_secret_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("x-acs-security-token", "sts-token-value".parse().unwrap());
        headers.insert(
            "authorization",
            "ACS3-HMAC-SHA256 Credential=...".parse().unwrap(),
        );
        headers.insert("x-acs-action", "DescribeVpnGateways".parse().unwrap());
        let request = HttpRequest {
            method: Method::GET,
            url: "https://vpc.aliyuncs.com/?SecurityToken=sts-token-value&Psk=secret-psk".into(),
            headers,
            body: Bytes::from_static(b"Psk=secret-psk"),
            timeouts: Timeouts::DEFAULT,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
        };
        let debug = format!("{request:?}");
        assert!(!debug.contains("sts-token-value"));
        assert!(!debug.contains("secret-psk"));
        assert!(debug.contains("DescribeVpnGateways"));
    }

    #[test]
    fn decodes_form_encoding() {
        assert_eq!(
            decode_form("a=1&b=x%20y+z&c"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y z".into()),
                ("c".into(), String::new())
            ]
        );
    }
}
