//! [`TransportError`]: the request could not be sent or no response arrived, and what kind of
//! failure it was ([`TransportErrorKind`]), which the retry decision reads.

use std::error::Error as StdError;
use std::fmt;

use crate::redact::Redactor;

/// What went wrong while sending a request or waiting for the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established (DNS, refused, TLS). The request never left.
    Connect,
    /// Connecting took longer than the connect timeout. The request never left.
    ConnectTimeout,
    /// The response did not arrive within the read timeout.
    ReadTimeout,
    /// The overall operation deadline passed (across retries).
    OperationTimeout,
    /// One attempt took longer than its total time limit ([`crate::Timeouts::attempt`]), for
    /// example a response trickling in slower than the read timeout could notice.
    AttemptTimeout,
    /// The response body was larger than the configured limit
    /// ([`crate::ConfigBuilder::max_response_body`]); reading stopped there.
    BodyTooLarge,
    /// The connection broke after the request was (possibly) sent.
    ConnectionClosed,
    /// The request could not be built (invalid endpoint, header value, ...).
    InvalidRequest,
    /// Any other I/O failure.
    Other,
}

/// The request could not be sent or no response arrived.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl TransportError {
    /// A transport error of `kind`. `message` must not contain secrets or full URLs.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// The error for a response body over `limit` bytes, the same from every transport.
    pub fn body_too_large(limit: usize) -> Self {
        TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!("the response body exceeds the limit of {limit} bytes"),
        )
    }

    /// Attaches the underlying error. It must not render secrets (for reqwest errors, strip the
    /// URL first with `without_url`).
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Removes every secret `redactor` knows from the message.
    pub(crate) fn redact(&mut self, redactor: &Redactor) {
        redactor.redact_in_place(&mut self.message);
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// True for connect, read, attempt and operation timeouts.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::ConnectTimeout
                | TransportErrorKind::ReadTimeout
                | TransportErrorKind::AttemptTimeout
                | TransportErrorKind::OperationTimeout
        )
    }

    /// False only when the request certainly never reached the server (connection not
    /// established), which is what makes retrying a non-idempotent request safe.
    pub fn may_have_reached_server(&self) -> bool {
        !matches!(
            self.kind,
            TransportErrorKind::Connect
                | TransportErrorKind::ConnectTimeout
                | TransportErrorKind::InvalidRequest
        )
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::ConnectTimeout => "connect timeout",
            TransportErrorKind::ReadTimeout => "read timeout",
            TransportErrorKind::OperationTimeout => "operation deadline exceeded",
            TransportErrorKind::AttemptTimeout => "attempt timeout",
            TransportErrorKind::BodyTooLarge => "response body too large",
            TransportErrorKind::ConnectionClosed => "connection closed",
            TransportErrorKind::InvalidRequest => "invalid request",
            TransportErrorKind::Other => "transport error",
        };
        if self.message.is_empty() {
            f.write_str(what)
        } else {
            write!(f, "{what}: {}", self.message)
        }
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
