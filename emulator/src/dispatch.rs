//! The table of the 39 operations: each parses and validates through the generated input type,
//! runs its handler over the model and serializes the generated output type.

use crate::error::ApiError;
use crate::handlers;
use crate::state::Model;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Debug;
use vpn_gateway::operation::*;
use vpn_gateway::runtime::wire_params::decode::WireParams;
use vpn_gateway::runtime::ValidationError;
use vpn_gateway::ErrorCode;

/// What the dispatcher knows about an operation before running it.
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// The wire action.
    pub action: &'static str,
    /// The code the operation documents for a RAM user created by another account.
    pub sub_user_code: ErrorCode,
}

/// A parsed, validated request ready to run against the model.
pub trait Prepared: Send {
    /// Runs the handler in the request's region; returns the output as JSON (without
    /// `RequestId`, which the server adds).
    fn run(self: Box<Self>, model: &Model) -> Result<Value, ApiError>;
}

struct Call<I, O> {
    action: &'static str,
    region_id: String,
    /// The ClientToken and a fingerprint of the request's parameters.
    client_token: Option<(String, u64)>,
    input: I,
    handler: fn(&mut crate::state::Cx<'_>, I) -> Result<O, ApiError>,
}

impl<I: Debug + Send, O: Serialize> Prepared for Call<I, O> {
    fn run(self: Box<Self>, model: &Model) -> Result<Value, ApiError> {
        let call = *self;
        model.with_region(&call.region_id, |cx| {
            let key = call.client_token.map(|(token, fingerprint)| {
                ((cx.region_id.to_owned(), call.action, token), fingerprint)
            });
            if let Some((key, fingerprint)) = &key {
                cx.tokens.expire(cx.now);
                if let Some(seen) = cx.tokens.get(key, cx.now) {
                    return if seen.fingerprint == *fingerprint {
                        serde_json::from_str(&seen.response).map_err(|e| {
                            ApiError::new(500, "InternalError", format!("The stored response could not be decoded: {e}."))
                        })
                    } else {
                        Err(ApiError::new(
                            400,
                            "IdempotentParameterMismatch",
                            "The request uses the same client token as a previous, but non-identical request.",
                        ))
                    };
                }
                // Without room to remember the token, running the request would give up the
                // protection the token promises: a retry could repeat it.
                if !cx.tokens.has_room() {
                    return Err(ApiError::new(
                        400,
                        "Throttling",
                        "Request was denied due to request throttling: too many ClientToken requests within the retention time.",
                    ));
                }
            }
            let output = (call.handler)(cx, call.input)?;
            let value = serde_json::to_value(output).map_err(|e| {
                ApiError::new(500, "InternalError", format!("The response could not be encoded: {e}."))
            })?;
            if let Some((key, fingerprint)) = key {
                let record = crate::state::TokenRecord {
                    fingerprint,
                    response: value.to_string(),
                };
                cx.tokens.insert(key, record, cx.now);
            }
            Ok(value)
        })
    }
}

/// Parameters that differ between retries of the same request (signing, transport).
const PER_ATTEMPT: &[&str] = &[
    "AccessKeyId",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
];

/// A hash of the request's own parameters (sorted by name), for ClientToken replays.
fn fingerprint(params: &WireParams) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    for name in params.names().filter(|n| !PER_ATTEMPT.contains(n)) {
        (name, params.raw(name)).hash(&mut hasher);
    }
    hasher.finish()
}

fn prepare<I, O>(
    action: &'static str,
    params: &WireParams,
    parse: fn(&WireParams) -> Result<I, ValidationError>,
    validate: fn(&I) -> Result<(), ValidationError>,
    known: fn(&I) -> Result<(), ValidationError>,
    handler: fn(&mut crate::state::Cx<'_>, I) -> Result<O, ApiError>,
) -> Result<Box<dyn Prepared>, ApiError>
where
    I: Debug + Send + 'static,
    O: Serialize + 'static,
{
    if let Some(region_id) = params.raw("RegionId").filter(|r| !r.is_empty()) {
        if !crate::state::is_known_region(region_id) {
            return Err(ApiError::invalid_region());
        }
    }
    let input = parse(params).map_err(|e| ApiError::from_validation(&e))?;
    validate(&input).map_err(|e| ApiError::from_validation(&e))?;
    // Clients accept enum values added later; the service rejects values it does not know.
    known(&input).map_err(|e| ApiError::from_validation(&e))?;
    let region_id = params.raw("RegionId").unwrap_or("cn-hangzhou").to_owned();
    let client_token = if action.starts_with("Describe")
        || action.starts_with("List")
        || action.starts_with("Download")
    {
        None
    } else {
        params
            .raw("ClientToken")
            .map(|token| (token.to_owned(), fingerprint(params)))
    };
    Ok(Box::new(Call {
        action,
        region_id,
        client_token,
        input,
        handler,
    }))
}

macro_rules! operations {
    ($($action:literal => $module:ident :: $input:ident, $sub_user:ident, $handler:ident;)*) => {
        /// Every operation the emulator serves, in documentation order.
        pub const OPERATIONS: &[OperationInfo] = &[
            $(OperationInfo { action: $action, sub_user_code: ErrorCode::$sub_user },)*
        ];

        /// Parses and validates the parameters of `action`; `None` for an unknown action.
        pub fn prepare_action(
            action: &str,
            params: &WireParams,
        ) -> Option<Result<Box<dyn Prepared>, ApiError>> {
            Some(match action {
                $($action => prepare(
                    $action,
                    params,
                    $module::$input::from_params,
                    $module::$input::validate,
                    $module::$input::check_known_values,
                    handlers::$handler,
                ),)*
                _ => return None,
            })
        }
    };
}

/// The operation's information, if `action` is one of the 39.
pub fn operation(action: &str) -> Option<&'static OperationInfo> {
    OPERATIONS.iter().find(|op| op.action == action)
}

operations! {
    "CreateCustomerGateway" => create_customer_gateway::CreateCustomerGatewayInput, ForbiddenSubUser, create_customer_gateway;
    "CreateSslVpnClientCert" => create_ssl_vpn_client_cert::CreateSslVpnClientCertInput, ForbbidenSubUser, create_ssl_vpn_client_cert;
    "CreateSslVpnServer" => create_ssl_vpn_server::CreateSslVpnServerInput, ForbiddenSubUser, create_ssl_vpn_server;
    "CreateVpnConnection" => create_vpn_connection::CreateVpnConnectionInput, ForbiddenSubUser, create_vpn_connection;
    "CreateVpnGateway" => create_vpn_gateway::CreateVpnGatewayInput, Forbidden, create_vpn_gateway;
    "CreateVpnPbrRouteEntry" => create_vpn_pbr_route_entry::CreateVpnPbrRouteEntryInput, ForbbidenSubUser, create_vpn_pbr_route_entry;
    "CreateVpnRouteEntry" => create_vpn_route_entry::CreateVpnRouteEntryInput, ForbbidenSubUser, create_vpn_route_entry;
    "DeleteCustomerGateway" => delete_customer_gateway::DeleteCustomerGatewayInput, ForbiddenSubUser, delete_customer_gateway;
    "DeleteSslVpnClientCert" => delete_ssl_vpn_client_cert::DeleteSslVpnClientCertInput, ForbiddenSubUser, delete_ssl_vpn_client_cert;
    "DeleteSslVpnServer" => delete_ssl_vpn_server::DeleteSslVpnServerInput, ForbiddenSubUser, delete_ssl_vpn_server;
    "DeleteVcoRouteEntry" => delete_vco_route_entry::DeleteVcoRouteEntryInput, ForbbidenSubUser, delete_vco_route_entry;
    "DeleteVpnConnection" => delete_vpn_connection::DeleteVpnConnectionInput, ForbiddenSubUser, delete_vpn_connection;
    "DeleteVpnGateway" => delete_vpn_gateway::DeleteVpnGatewayInput, ForbbidenSubUser, delete_vpn_gateway;
    "DeleteVpnPbrRouteEntry" => delete_vpn_pbr_route_entry::DeleteVpnPbrRouteEntryInput, ForbbidenSubUser, delete_vpn_pbr_route_entry;
    "DeleteVpnRouteEntry" => delete_vpn_route_entry::DeleteVpnRouteEntryInput, ForbbidenSubUser, delete_vpn_route_entry;
    "DescribeCustomerGateway" => describe_customer_gateway::DescribeCustomerGatewayInput, ForbiddenSubUser, describe_customer_gateway;
    "DescribeCustomerGateways" => describe_customer_gateways::DescribeCustomerGatewaysInput, ForbbidenSubUser, describe_customer_gateways;
    "DescribeSslVpnClientCerts" => describe_ssl_vpn_client_certs::DescribeSslVpnClientCertsInput, ForbbidenSubUser, describe_ssl_vpn_client_certs;
    "DescribeSslVpnServers" => describe_ssl_vpn_servers::DescribeSslVpnServersInput, ForbiddenSubUser, describe_ssl_vpn_servers;
    "DescribeVcoRouteEntries" => describe_vco_route_entries::DescribeVcoRouteEntriesInput, ForbbidenSubUser, describe_vco_route_entries;
    "DescribeVpnConnection" => describe_vpn_connection::DescribeVpnConnectionInput, ForbbidenSubUser, describe_vpn_connection;
    "DescribeVpnConnections" => describe_vpn_connections::DescribeVpnConnectionsInput, ForbbidenSubUser, describe_vpn_connections;
    "DescribeVpnGateway" => describe_vpn_gateway::DescribeVpnGatewayInput, ForbbidenSubUser, describe_vpn_gateway;
    "DescribeVpnGateways" => describe_vpn_gateways::DescribeVpnGatewaysInput, ForbbidenSubUser, describe_vpn_gateways;
    "DescribeVpnPbrRouteEntries" => describe_vpn_pbr_route_entries::DescribeVpnPbrRouteEntriesInput, ForbbidenSubUser, describe_vpn_pbr_route_entries;
    "DescribeVpnRouteEntries" => describe_vpn_route_entries::DescribeVpnRouteEntriesInput, ForbbidenSubUser, describe_vpn_route_entries;
    "DescribeVpnSslServerLogs" => describe_vpn_ssl_server_logs::DescribeVpnSslServerLogsInput, ForbiddenSubUser, describe_vpn_ssl_server_logs;
    "DownloadVpnConnectionConfig" => download_vpn_connection_config::DownloadVpnConnectionConfigInput, ForbbidenSubUser, download_vpn_connection_config;
    "ListTagResources" => list_tag_resources::ListTagResourcesInput, Forbidden, list_tag_resources;
    "ModifyCustomerGatewayAttribute" => modify_customer_gateway_attribute::ModifyCustomerGatewayAttributeInput, ForbbidenSubUser, modify_customer_gateway_attribute;
    "ModifySslVpnClientCert" => modify_ssl_vpn_client_cert::ModifySslVpnClientCertInput, ForbiddenSubUser, modify_ssl_vpn_client_cert;
    "ModifySslVpnServer" => modify_ssl_vpn_server::ModifySslVpnServerInput, ForbiddenSubUser, modify_ssl_vpn_server;
    "ModifyVpnConnectionAttribute" => modify_vpn_connection_attribute::ModifyVpnConnectionAttributeInput, ForbiddenSubUser, modify_vpn_connection_attribute;
    "ModifyVpnGatewayAttribute" => modify_vpn_gateway_attribute::ModifyVpnGatewayAttributeInput, ForbbidenSubUser, modify_vpn_gateway_attribute;
    "ModifyVpnPbrRouteEntryWeight" => modify_vpn_pbr_route_entry_weight::ModifyVpnPbrRouteEntryWeightInput, ForbbidenSubUser, modify_vpn_pbr_route_entry_weight;
    "ModifyVpnRouteEntryWeight" => modify_vpn_route_entry_weight::ModifyVpnRouteEntryWeightInput, ForbbidenSubUser, modify_vpn_route_entry_weight;
    "PublishVpnRouteEntry" => publish_vpn_route_entry::PublishVpnRouteEntryInput, ForbbidenSubUser, publish_vpn_route_entry;
    "TagResources" => tag_resources::TagResourcesInput, Forbidden, tag_resources;
    "UnTagResources" => un_tag_resources::UnTagResourcesInput, Forbidden, un_tag_resources;
}
