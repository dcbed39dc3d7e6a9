//! The one error type users see: [`SdkError`], with [`ServiceError`] for errors the service
//! returned, plus the leaf error types.
//!
//! No message built here contains secret material: credentials never reach this module, request
//! URLs are stripped from transport errors, and response excerpts come from the server.

use std::error::Error as StdError;
use std::fmt;

use serde::Deserialize;

use crate::credentials::CredentialsError;
use crate::paginate::PaginationError;
use crate::redact::Redactor;
use crate::retry::{self, RetryReason};
pub use crate::transport::{TransportError, TransportErrorKind};

/// Every error an operation can return. `E` is the service error type: [`ServiceError`] for the
/// untyped send path, or a per-operation error enum in the generated SDK (see
/// [`SdkError::map_service`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request was rejected locally, before anything was sent.
    Validation(ValidationError),
    /// No credentials could be obtained.
    Credentials(CredentialsError),
    /// The request could not be sent or no response arrived (connect, timeout, dropped connection).
    Transport(TransportError),
    /// The service answered with an error.
    Service(E),
    /// The service (or a proxy in front of it) answered with something that could not be parsed.
    InvalidResponse(InvalidResponseError),
    /// A paginator stopped because the service did not advance the listing (a repeated
    /// `NextToken`, a page number that does not move, empty pages where more were announced).
    /// Always the last item of the stream; the pages before it are valid.
    Pagination(PaginationError),
}

/// [`SdkError`] with the untyped [`ServiceError`], as returned by [`crate::RpcClient::invoke`].
pub type Error = SdkError<ServiceError>;

impl<E> SdkError<E> {
    /// The service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Consumes the error, returning the service error if there is one.
    pub fn into_service_error(self) -> Result<E, Self> {
        match self {
            SdkError::Service(e) => Ok(e),
            other => Err(other),
        }
    }

    /// Converts the service error, keeping every other variant as it is.
    pub fn map_service<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Validation(e) => SdkError::Validation(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Service(e) => SdkError::Service(f(e)),
            SdkError::InvalidResponse(e) => SdkError::InvalidResponse(e),
            SdkError::Pagination(e) => SdkError::Pagination(e),
        }
    }

    /// True when the operation ran out of time (a connect, read or operation timeout).
    pub fn is_timeout(&self) -> bool {
        matches!(self, SdkError::Transport(e) if e.is_timeout())
    }
}

impl Error {
    /// Removes every secret `redactor` knows from the text the error carries.
    pub(crate) fn redact(&mut self, redactor: &Redactor) {
        if redactor.is_empty() {
            return;
        }
        match self {
            SdkError::Service(e) => e.redact(redactor),
            SdkError::InvalidResponse(e) => e.redact(redactor),
            SdkError::Transport(e) => e.redact(redactor),
            SdkError::Validation(_) | SdkError::Credentials(_) | SdkError::Pagination(_) => {}
        }
    }
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The request ID the service assigned, when a response arrived.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.request_id(),
            SdkError::InvalidResponse(e) => e.request_id(),
            SdkError::Pagination(e) => e.request_id(),
            _ => None,
        }
    }

    /// The service error code (`Code` in the error body), when the service answered with one.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error().map(|e| e.code())
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(e) => write!(f, "invalid request: {e}"),
            SdkError::Credentials(e) => write!(f, "could not obtain credentials: {e}"),
            SdkError::Transport(e) => write!(f, "request failed: {e}"),
            SdkError::Service(e) => write!(f, "service error: {e}"),
            SdkError::InvalidResponse(e) => write!(f, "invalid response: {e}"),
            SdkError::Pagination(e) => write!(f, "pagination stopped: {e}"),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
            SdkError::Transport(e) => Some(e),
            SdkError::Service(e) => Some(e),
            SdkError::InvalidResponse(e) => Some(e),
            SdkError::Pagination(e) => Some(e),
        }
    }
}

impl<E> From<ValidationError> for SdkError<E> {
    fn from(e: ValidationError) -> Self {
        SdkError::Validation(e)
    }
}

impl<E> From<CredentialsError> for SdkError<E> {
    fn from(e: CredentialsError) -> Self {
        SdkError::Credentials(e)
    }
}

impl<E> From<TransportError> for SdkError<E> {
    fn from(e: TransportError) -> Self {
        SdkError::Transport(e)
    }
}

impl<E> From<PaginationError> for SdkError<E> {
    fn from(e: PaginationError) -> Self {
        SdkError::Pagination(e)
    }
}

impl<E> From<InvalidResponseError> for SdkError<E> {
    fn from(e: InvalidResponseError) -> Self {
        SdkError::InvalidResponse(e)
    }
}

/// Metadata every service error carries; implemented by [`ServiceError`] and by
/// [`OperationError`](crate::OperationError), every operation's error.
pub trait ProvideErrorMetadata {
    /// The error code, e.g. `VpnGateway.Configuring`.
    fn code(&self) -> &str;
    /// The human-readable message from the service.
    fn message(&self) -> &str;
    /// The request ID, for support cases.
    fn request_id(&self) -> Option<&str>;
}

pub use crate::redact::{MAX_ID_CHARS, MAX_MESSAGE_CHARS};

/// An error the service returned: HTTP status plus the JSON error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    // Boxed so that `Result<_, SdkError<ServiceError>>` stays small on the happy path.
    inner: Box<ServiceErrorFields>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ServiceErrorFields {
    http_status: u16,
    code: String,
    message: String,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
    access_denied_detail: Option<String>,
    retryable: bool,
}

/// The top-level members of a response the client reads whatever the operation: the error
/// document's fields and the request ID. Read in one pass and leniently: the first non-null
/// value of a key wins and a repeated key does not fail the document (a strict reader would
/// give up on `{"Code":"X","Code":"X"}` and let an error pass for a success), any JSON type is
/// taken (see [`TopLevel::text`]), and every other member is skipped without being built.
#[derive(Default)]
pub(crate) struct TopLevel {
    code: Option<serde_json::Value>,
    message: Option<serde_json::Value>,
    request_id: Option<serde_json::Value>,
    host_id: Option<serde_json::Value>,
    recommend: Option<serde_json::Value>,
    // Sometimes an object, sometimes a string: kept as JSON text when not a string.
    access_denied_detail: Option<serde_json::Value>,
}

impl TopLevel {
    /// The members of `body`, or `None` when it is not a JSON object.
    pub(crate) fn read(body: &[u8]) -> Option<TopLevel> {
        serde_json::from_slice(body).ok()
    }

    /// A scalar as text; the service's scalars drift between strings, numbers and booleans.
    fn text(value: Option<serde_json::Value>) -> Option<String> {
        match value? {
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The error code, when there is a non-empty one: the body is then an error document.
    pub(crate) fn code(&self) -> Option<String> {
        Self::text(self.code.clone()).filter(|c| !c.is_empty())
    }

    /// The request ID the body carries.
    pub(crate) fn request_id(&self) -> Option<String> {
        Self::text(self.request_id.clone())
    }
}

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = TopLevel;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TopLevel, A::Error> {
                let mut top = TopLevel::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let slot = match key.as_ref() {
                        "Code" => &mut top.code,
                        "Message" => &mut top.message,
                        "RequestId" => &mut top.request_id,
                        "HostId" => &mut top.host_id,
                        "Recommend" => &mut top.recommend,
                        "AccessDeniedDetail" => &mut top.access_denied_detail,
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                            continue;
                        }
                    };
                    if slot.is_some() {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    } else {
                        *slot =
                            Some(map.next_value::<serde_json::Value>()?).filter(|v| !v.is_null());
                    }
                }
                Ok(top)
            }
        }
        deserializer.deserialize_map(Members)
    }
}

impl ServiceError {
    /// A service error with the given status, code and message and no other metadata.
    pub fn new(http_status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError {
            inner: Box::new(ServiceErrorFields {
                http_status,
                code: code.into(),
                message: message.into(),
                request_id: None,
                host_id: None,
                recommend: None,
                access_denied_detail: None,
                retryable: false,
            }),
        }
    }

    /// Parses an error response body. Returns `None` when the body is not a JSON error
    /// document with a `Code` (an HTML page from a proxy, for instance).
    ///
    /// Every text is kept to a bounded length (see [`MAX_MESSAGE_CHARS`]): the service's
    /// message is for people, and a server that sends megabytes must not make every log line
    /// and `Display` of the error that large.
    pub fn from_body(http_status: u16, body: &[u8]) -> Option<Self> {
        Self::from_top_level(http_status, TopLevel::read(body)?, &Redactor::default())
    }

    /// The error a body's top level describes, when it has a `Code`, with the secrets
    /// `redactor` knows removed from every text before it is cut to length, so that no cut can
    /// leave part of a secret behind.
    pub(crate) fn from_top_level(
        http_status: u16,
        parsed: TopLevel,
        redactor: &Redactor,
    ) -> Option<Self> {
        let code = parsed.code()?;
        let request_id = parsed.request_id();
        let id = |s: String| redactor.redact_bounded(s, MAX_ID_CHARS);
        let text = |s: String| redactor.redact_bounded(s, MAX_MESSAGE_CHARS);
        Some(ServiceError {
            inner: Box::new(ServiceErrorFields {
                http_status,
                code: id(code),
                message: text(TopLevel::text(parsed.message).unwrap_or_default()),
                request_id: request_id.map(id),
                host_id: TopLevel::text(parsed.host_id).map(id),
                recommend: TopLevel::text(parsed.recommend).map(text),
                access_denied_detail: parsed.access_denied_detail.map(|v| {
                    text(match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    })
                }),
                retryable: false,
            }),
        })
    }

    fn redact(&mut self, redactor: &Redactor) {
        let fields = &mut *self.inner;
        redactor.redact_in_place(&mut fields.code);
        redactor.redact_in_place(&mut fields.message);
        for text in [
            &mut fields.request_id,
            &mut fields.host_id,
            &mut fields.recommend,
            &mut fields.access_denied_detail,
        ]
        .into_iter()
        .flatten()
        {
            redactor.redact_in_place(text);
        }
    }

    /// Sets the request ID (builder style), e.g. from the `x-acs-request-id` header.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.inner.request_id = Some(request_id.into());
        self
    }

    /// Marks the error as retryable (builder style); the client does this for codes the spec
    /// marks retryable and for throttling codes.
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.inner.retryable = retryable;
        self
    }

    /// The HTTP status of the response.
    pub fn http_status(&self) -> u16 {
        self.inner.http_status
    }

    /// The error code, e.g. `Throttling.User`.
    pub fn code(&self) -> &str {
        &self.inner.code
    }

    /// The message from the service.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The request ID, for support cases.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The ID of the host that served the request.
    pub fn host_id(&self) -> Option<&str> {
        self.inner.host_id.as_deref()
    }

    /// A diagnosis URL the service recommends.
    pub fn recommend(&self) -> Option<&str> {
        self.inner.recommend.as_deref()
    }

    /// For `NoPermission`-style errors, the policy evaluation detail (as JSON text).
    pub fn access_denied_detail(&self) -> Option<&str> {
        self.inner.access_denied_detail.as_deref()
    }

    /// True when the error is flow control (`Throttling*` codes or HTTP 429).
    pub fn is_throttling(&self) -> bool {
        self.retry_reason() == Some(RetryReason::Throttling)
    }

    /// True when repeating the same request later may succeed: throttling, `ServiceUnavailable`,
    /// server-side (5xx) errors and codes the spec marks retryable.
    pub fn is_retryable(&self) -> bool {
        self.retry_reason().is_some()
    }

    /// Why repeating the request may succeed, by the one rule the client's retry loop follows
    /// ([`retry::classify_response`]), or `None` when it would fail again.
    pub(crate) fn retry_reason(&self) -> Option<RetryReason> {
        retry::classify_response(
            self.inner.http_status,
            Some(&self.inner.code),
            self.inner.retryable,
        )
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.inner.code, self.inner.message)?;
        if let Some(id) = &self.inner.request_id {
            write!(f, " (RequestId: {id})")?;
        }
        Ok(())
    }
}

impl StdError for ServiceError {}

impl ProvideErrorMetadata for ServiceError {
    fn code(&self) -> &str {
        &self.inner.code
    }
    fn message(&self) -> &str {
        &self.inner.message
    }
    fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
}

/// A request parameter broke a documented rule; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    kind: ValidationErrorKind,
    parameter: String,
    rule: String,
}

/// Which kind of rule a parameter broke, so a caller (or a server answering with the service's
/// error codes) can tell a missing parameter from a malformed or out-of-range one without
/// reading the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValidationErrorKind {
    /// A required parameter is absent.
    Missing,
    /// The text is not a value of the parameter's type (not a number, a boolean, valid JSON).
    Malformed,
    /// A string's length in characters is outside its bounds.
    Length,
    /// A number is outside its bounds.
    Range,
    /// A list has too few or too many items.
    ItemCount,
    /// A string does not have its documented format (CIDR block, IPv4 address, name).
    Format,
    /// A string starts with a forbidden prefix or is a forbidden value.
    Forbidden,
    /// An enumerated value the documentation does not list.
    UnknownValue,
    /// A documented rule between parameters (one requires or excludes another).
    Rule,
    /// A value that cannot be put on the wire (a comma list item holding a comma).
    Unencodable,
}

impl ValidationError {
    /// `parameter` is the wire name (e.g. `Bandwidth`), `rule` what was violated
    /// (e.g. `must be between 5 and 1000`).
    pub fn new(
        kind: ValidationErrorKind,
        parameter: impl Into<String>,
        rule: impl Into<String>,
    ) -> Self {
        ValidationError {
            kind,
            parameter: parameter.into(),
            rule: rule.into(),
        }
    }

    /// Which kind of rule was broken.
    pub fn kind(&self) -> ValidationErrorKind {
        self.kind
    }

    /// The wire name of the offending parameter.
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// The rule that was violated.
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parameter `{}` {}", self.parameter, self.rule)
    }
}

impl StdError for ValidationError {}

/// How much of an unparseable body is kept for the error message.
const EXCERPT_CHARS: usize = 200;

/// The response could not be understood: not JSON, missing fields, or an error page from a proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidResponseError {
    http_status: u16,
    request_id: Option<String>,
    reason: String,
    body_excerpt: String,
}

impl InvalidResponseError {
    /// Builds the error from the raw response; keeps a short, lossily decoded excerpt of `body`.
    pub fn new(
        http_status: u16,
        request_id: Option<String>,
        reason: impl Into<String>,
        body: &[u8],
    ) -> Self {
        Self::new_redacted(http_status, request_id, reason, body, &Redactor::default())
    }

    /// [`new`](Self::new), removing the secrets `redactor` knows from the excerpt before it
    /// is cut, so that no cut can leave part of a secret behind.
    pub(crate) fn new_redacted(
        http_status: u16,
        request_id: Option<String>,
        reason: impl Into<String>,
        body: &[u8],
        redactor: &Redactor,
    ) -> Self {
        // Only the start of the body can reach the excerpt: decode no more of it.
        let reach = EXCERPT_CHARS.saturating_add(redactor.longest_form_chars());
        let start = &body[..body.len().min(reach.saturating_mul(4))];
        let mut text: String = String::from_utf8_lossy(start).chars().take(reach).collect();
        let longer = text.chars().count() > EXCERPT_CHARS || start.len() < body.len();
        redactor.redact_in_place(&mut text);
        let mut body_excerpt: String = text
            .chars()
            .take(EXCERPT_CHARS)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if longer {
            body_excerpt.push('…');
        }
        InvalidResponseError {
            http_status,
            request_id: request_id.map(|id| redactor.redact_bounded(id, MAX_ID_CHARS)),
            reason: reason.into(),
            body_excerpt,
        }
    }

    fn redact(&mut self, redactor: &Redactor) {
        redactor.redact_in_place(&mut self.reason);
        redactor.redact_in_place(&mut self.body_excerpt);
        if let Some(id) = &mut self.request_id {
            redactor.redact_in_place(id);
        }
    }

    /// The HTTP status of the response.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The request ID from the `x-acs-request-id` header, if present.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Why the response was rejected.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The start of the body.
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }
}

impl fmt::Display for InvalidResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}: {}", self.http_status, self.reason)?;
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId: {id})")?;
        }
        if !self.body_excerpt.is_empty() {
            write!(f, "; body starts with: {}", self.body_excerpt)?;
        }
        Ok(())
    }
}

impl StdError for InvalidResponseError {}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    #[test]
    fn service_error_parses_full_body_and_displays_code_message_request_id() {
        let body =
            br#"{"Code":"VpnGateway.Configuring","Message":"The gateway is being configured.",
            "RequestId":"R-1","HostId":"vpc.aliyuncs.com","Recommend":"https://diag/R-1",
            "AccessDeniedDetail":{"PolicyType":"AccountLevelIdentityBasedPolicy"}}"#;
        let e = ServiceError::from_body(400, body).unwrap();
        assert_eq!(e.code(), "VpnGateway.Configuring");
        assert_eq!(e.host_id(), Some("vpc.aliyuncs.com"));
        assert_eq!(e.recommend(), Some("https://diag/R-1"));
        assert!(e.access_denied_detail().unwrap().contains("PolicyType"));
        assert_eq!(
            e.to_string(),
            "VpnGateway.Configuring: The gateway is being configured. (RequestId: R-1)"
        );
        assert!(!e.is_retryable());
        assert!(e.clone().with_retryable(true).is_retryable());
    }

    #[test]
    fn retryability_follows_the_retry_loops_rule() {
        let e = |status, code| ServiceError::new(status, code, "m");
        assert!(e(400, "Throttling.User").is_throttling());
        assert!(e(429, "Whatever").is_throttling());
        assert!(!e(503, "ServiceUnavailable").is_throttling());
        for retryable in [
            e(400, "Throttling"),
            e(500, "Anything"),
            e(400, "InternalError"),
            e(400, "ServiceUnavailable.Temporary"),
            e(400, "VpnGateway.Configuring").with_retryable(true),
        ] {
            assert!(retryable.is_retryable(), "{retryable}");
        }
        assert!(!e(400, "InvalidParameter").is_retryable());
        assert_eq!(
            e(400, "TaskConflict").with_retryable(true).retry_reason(),
            Some(RetryReason::RetryableCode)
        );
    }

    #[test]
    fn html_is_not_a_service_error() {
        assert!(ServiceError::from_body(502, b"<html>Bad Gateway</html>").is_none());
        assert!(ServiceError::from_body(400, br#"{"Message":"no code"}"#).is_none());
    }

    #[test]
    fn sdk_error_chains_sources_and_maps_service() {
        let err: Error = SdkError::Service(ServiceError::new(400, "Throttling.User", "slow down"));
        assert!(err.source().is_some());
        assert_eq!(err.code(), Some("Throttling.User"));
        let mapped: SdkError<String> = err.map_service(|e| e.code().to_owned());
        assert_eq!(
            mapped.as_service_error().map(String::as_str),
            Some("Throttling.User")
        );

        let err: Error = ValidationError::new(
            ValidationErrorKind::Range,
            "Bandwidth",
            "must be between 5 and 1000",
        )
        .into();
        assert_eq!(
            err.to_string(),
            "invalid request: parameter `Bandwidth` must be between 5 and 1000"
        );
    }

    #[test]
    fn invalid_response_keeps_a_short_excerpt() {
        let body = "<html>".to_string() + &"x".repeat(1000);
        let e = InvalidResponseError::new(502, None, "not JSON", body.as_bytes());
        assert!(e.body_excerpt().chars().count() <= EXCERPT_CHARS + 1);
        assert!(e
            .to_string()
            .starts_with("HTTP 502: not JSON; body starts with: <html>"));
    }
}
