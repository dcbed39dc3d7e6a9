//! Service errors as the emulator answers them: a wire code, an HTTP status and a message.

use vpn_gateway::runtime::ValidationError;
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

    /// A catalogue error with a more specific message.
    pub fn catalogue_with(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError::new(code.http_status(), code.code(), message)
    }

    /// `MissingParameter`/`InvalidParameter` (or the operation's documented code for names,
    /// descriptions and IP addresses) for a parameter that failed parsing or validation.
    pub fn from_validation(e: &ValidationError) -> Self {
        let parameter = e.parameter();
        if e.rule() == "is required" {
            return ApiError::new(
                400,
                "MissingParameter",
                format!(
                    "The input parameter \"{parameter}\" that is mandatory for processing this request is not supplied."
                ),
            );
        }
        let detail = format!("The specified parameter \"{parameter}\" is not valid: {e}.");
        match parameter {
            "Name" => ApiError::catalogue_with(ErrorCode::InvalidName, detail),
            "Description" => ApiError::catalogue_with(ErrorCode::InvalidDescription, detail),
            "IpAddress" => ApiError::catalogue_with(ErrorCode::InvalidIpAddressWrongFormat, detail),
            "RouteDest" => ApiError::catalogue_with(ErrorCode::IllegalParamRouteDest, detail),
            "RouteEntryType" => {
                ApiError::catalogue_with(ErrorCode::IllegalParamRouteEntryType, detail)
            }
            "Weight" | "NewWeight" => {
                ApiError::catalogue_with(ErrorCode::VpnRouteEntryInvalidWeight, detail)
            }
            _ => ApiError::new(400, "InvalidParameter", detail),
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
