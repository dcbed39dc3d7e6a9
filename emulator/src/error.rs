//! Service errors as the emulator answers them: a wire code, an HTTP status and a message.

use vpn_gateway::runtime::server::{ErrorResponse, OperationFacts};
use vpn_gateway::runtime::{ValidationError, ValidationErrorKind};
use vpn_gateway::ErrorCode;

/// An error answered to the client (the body adds `RequestId`, `HostId` and `Recommend`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Wire code, e.g. `InvalidVpnGatewayInstanceId.NotFound`.
    pub code: String,
    /// Human-readable message.
    pub message: String,
}

impl ApiError {
    /// An error with an explicit status, code and message.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// A documented error from the catalogue, with its documented status and message.
    pub fn catalogue(code: ErrorCode) -> Self {
        ApiError::new(code.http_status(), code.code(), code.message())
    }

    /// A catalogue error with the status the answering operation documents for it, where that
    /// differs from the catalogue's.
    pub fn catalogue_as(code: ErrorCode, status: u16) -> Self {
        ApiError::new(status, code.code(), code.message())
    }

    /// A documented error with the status `facts`' operation answers it with (the catalogue's
    /// when the operation does not say), and `message`.
    pub fn documented(facts: &OperationFacts<ErrorCode>, code: ErrorCode, message: &str) -> Self {
        let status = facts.status_of(code).unwrap_or(code.http_status());
        ApiError::new(status, code.code(), message)
    }

    /// A catalogue error with a more specific message.
    pub fn catalogue_with(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError::new(code.http_status(), code.code(), message)
    }

    /// The answer to a parameter that failed decoding or validation: `MissingParameter` for a
    /// missing one; for a bad value, the code the spec names for that parameter
    /// (`invalid_value_of` in `spec/errors.yaml`: `InvalidName`, `IllegalParam.RouteDest`, ...)
    /// when the operation documents it, else `InvalidParameter`.
    pub fn from_validation(facts: &OperationFacts<ErrorCode>, e: &ValidationError) -> Self {
        let generic = ErrorResponse::from_validation(e);
        if e.kind() == ValidationErrorKind::Missing {
            return generic.into();
        }
        let documented = vpn_gateway::server::invalid_value_codes(e.parameter())
            .iter()
            .copied()
            .find(|code| facts.documents(*code));
        match documented {
            Some(code) => ApiError::documented(facts, code, generic.message()),
            None => generic.into(),
        }
    }

    /// `InvalidParameter` with a message.
    pub fn invalid_parameter(parameter: &str, why: &str) -> Self {
        ApiError::new(
            400,
            "InvalidParameter",
            format!("The specified parameter \"{parameter}\" is not valid: {why}."),
        )
    }

    /// `InvalidRegionId.NotFound`: the region is not one the service knows. The message never
    /// echoes the (arbitrarily long) value.
    pub fn invalid_region() -> Self {
        ApiError::new(
            404,
            "InvalidRegionId.NotFound",
            "The specified RegionId does not exist in our records.",
        )
    }

    /// The gateway-not-found error.
    pub fn gateway_not_found() -> Self {
        ApiError::catalogue(ErrorCode::InvalidVpnGatewayInstanceIdNotFound)
    }

    /// The connection-not-found error.
    pub fn connection_not_found() -> Self {
        ApiError::catalogue(ErrorCode::InvalidVpnConnectionInstanceIdNotFound)
    }

    /// The customer-gateway-not-found error.
    pub fn customer_gateway_not_found() -> Self {
        ApiError::catalogue(ErrorCode::InvalidCustomerGatewayInstanceIdNotFound)
    }

    /// A resource that the documentation gives no dedicated code for does not exist.
    pub fn not_found(kind: &str, parameter: &str, id: &str) -> Self {
        ApiError::new(
            404,
            format!("Invalid{parameter}.NotFound"),
            format!("The specified {kind} \"{id}\" does not exist."),
        )
    }

    /// `Resource.QuotaFull`.
    pub fn quota_full() -> Self {
        ApiError::catalogue(ErrorCode::ResourceQuotaFull)
    }
}

impl From<ErrorResponse> for ApiError {
    fn from(e: ErrorResponse) -> Self {
        ApiError::new(e.status(), e.code().to_owned(), e.message())
    }
}

impl From<ApiError> for ErrorResponse {
    fn from(e: ApiError) -> Self {
        ErrorResponse::new(e.status, e.code, e.message)
    }
}
