//! What every server of the API shares, whatever the operation: the error a service answers
//! with, what decoding a request can fail with, and the facts a server knows about an
//! operation before running it. The generated crate's `server` module (its `server` feature)
//! builds the per-operation service trait and dispatch on these.

use crate::error::{ValidationError, ValidationErrorKind};
use std::borrow::Cow;
use std::fmt;

/// An error a service answers a request with: the HTTP status, and the `Code` and `Message`
/// of the error document (the server adds `RequestId` and the like).
///
/// The message is sent to the client as is: never put a secret (a pre-shared key, an
/// AccessKey secret) in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    status: u16,
    code: Cow<'static, str>,
    message: String,
}

impl ErrorResponse {
    /// An error with an explicit status, wire code (e.g. `InvalidVpnGatewayInstanceId.NotFound`)
    /// and message.
    pub fn new(
        status: u16,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        ErrorResponse {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// The service's answer to a request that failed validation: `MissingParameter` for an
    /// absent required parameter, `InvalidParameter` for any other broken rule; both HTTP 400.
    /// The message names the parameter and the rule, never the value.
    pub fn from_validation(e: &ValidationError) -> Self {
        let parameter = e.parameter();
        match e.kind() {
            ValidationErrorKind::Missing => ErrorResponse::new(
                400,
                "MissingParameter",
                format!(
                    "The input parameter \"{parameter}\" that is mandatory for processing this request is not supplied."
                ),
            ),
            _ => ErrorResponse::new(
                400,
                "InvalidParameter",
                format!(
                    "The specified parameter \"{parameter}\" is not valid: {}.",
                    e.rule().trim_end_matches('.')
                ),
            ),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The wire code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ErrorResponse {}

/// A parameter's wire path with every list index written `N` (`Tag.3.Key` → `Tag.N.Key`): the
/// form in which the spec names the parameters an error code answers for.
pub fn parameter_pattern(path: &str) -> Cow<'_, str> {
    let is_index =
        |segment: &str| !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    if !path.split('.').any(is_index) {
        return Cow::Borrowed(path);
    }
    let segments: Vec<&str> = path
        .split('.')
        .map(|segment| if is_index(segment) { "N" } else { segment })
        .collect();
    Cow::Owned(segments.join("."))
}

/// Why the parameters of a request could not be turned into an operation's typed request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// No operation of the API has this action name.
    UnknownAction,
    /// A parameter is missing, malformed or breaks a documented rule.
    Invalid(ValidationError),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::UnknownAction => f.write_str("no operation has this action name"),
            DecodeError::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DecodeError::UnknownAction => None,
            DecodeError::Invalid(e) => Some(e),
        }
    }
}

impl From<ValidationError> for DecodeError {
    fn from(e: ValidationError) -> Self {
        DecodeError::Invalid(e)
    }
}

/// What a server knows about an operation before running it, from the spec. `C` is the
/// generated crate's error-code enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationFacts<C: 'static> {
    action: &'static str,
    read_only: bool,
    idempotency_token: Option<&'static str>,
    errors: &'static [(C, u16)],
}

impl<C: Copy + PartialEq + 'static> OperationFacts<C> {
    /// The facts of `action`; `errors` are the documented codes with the HTTP status this
    /// operation answers each with.
    pub const fn new(
        action: &'static str,
        read_only: bool,
        idempotency_token: Option<&'static str>,
        errors: &'static [(C, u16)],
    ) -> Self {
        OperationFacts {
            action,
            read_only,
            idempotency_token,
            errors,
        }
    }

    /// The wire action name.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// True when the operation changes nothing: repeating it is always safe, and a server
    /// need not remember its idempotency token.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The wire name of the parameter that makes a write idempotent (`ClientToken`), if any.
    pub fn idempotency_token(&self) -> Option<&'static str> {
        self.idempotency_token
    }

    /// The documented error codes with the HTTP status this operation answers each with.
    pub fn errors(&self) -> &'static [(C, u16)] {
        self.errors
    }

    /// Whether the operation documents `code`.
    pub fn documents(&self, code: C) -> bool {
        self.errors.iter().any(|(c, _)| *c == code)
    }

    /// The HTTP status this operation answers `code` with, if it documents it.
    pub fn status_of(&self, code: C) -> Option<u16> {
        self.errors
            .iter()
            .find_map(|(c, status)| (*c == code).then_some(*status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_answer_by_kind_not_by_message() {
        let missing = ValidationError::new(ValidationErrorKind::Missing, "VpcId", "whatever");
        let e = ErrorResponse::from_validation(&missing);
        assert_eq!((e.status(), e.code()), (400, "MissingParameter"));
        assert!(e.message().contains("\"VpcId\""));

        let range = ValidationError::new(ValidationErrorKind::Range, "Bandwidth", "is required");
        let e = ErrorResponse::from_validation(&range);
        assert_eq!(e.code(), "InvalidParameter");
        assert!(e.message().contains("\"Bandwidth\""));
    }

    #[test]
    fn list_indexes_become_n() {
        assert_eq!(parameter_pattern("Name"), "Name");
        assert_eq!(parameter_pattern("Tag.3.Key"), "Tag.N.Key");
        assert_eq!(
            parameter_pattern("TunnelOptionsSpecification.12.TunnelIkeConfig.Psk"),
            "TunnelOptionsSpecification.N.TunnelIkeConfig.Psk"
        );
        assert_eq!(parameter_pattern("Ipv4"), "Ipv4");
    }

    #[test]
    fn facts_give_the_per_operation_status() {
        #[derive(Clone, Copy, PartialEq, Debug)]
        enum Code {
            A,
            B,
            C,
        }
        const FACTS: OperationFacts<Code> = OperationFacts::new(
            "DoIt",
            false,
            Some("ClientToken"),
            &[(Code::A, 400), (Code::B, 404)],
        );
        assert_eq!(FACTS.status_of(Code::B), Some(404));
        assert_eq!(FACTS.status_of(Code::C), None);
        assert!(FACTS.documents(Code::A) && !FACTS.documents(Code::C));
        assert_eq!(FACTS.idempotency_token(), Some("ClientToken"));
        assert!(!FACTS.read_only());
    }
}
