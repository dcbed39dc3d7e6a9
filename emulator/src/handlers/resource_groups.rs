//! MoveVpnResourceGroup: moves a VPN gateway (with its connections, SSL-VPN servers, client
//! certificates and IPsec servers, which follow their gateway), a customer gateway or a VPN
//! attachment to another resource group.
//!
//! Resource groups belong to another service, which the emulator does not model: a resource
//! group ID exists when it is `rg-` followed by 1 to 60 lowercase ASCII letters and digits.

use crate::error::ApiError;
use crate::state::Cx;
use vpn_gateway::operation::move_vpn_resource_group::MoveVpnResourceGroupOutput;
use vpn_gateway::server::MoveVpnResourceGroupRequest;
use vpn_gateway::ErrorCode;

/// The kinds of resource MoveVpnResourceGroup takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    VpnGateway,
    CustomerGateway,
    VpnAttachment,
}

fn resource_group_exists(id: &str) -> bool {
    id.strip_prefix("rg-").is_some_and(|rest| {
        (1..=60).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// The kind of the resource `id` in the region, whatever the request named it.
fn kind_of(cx: &Cx<'_>, id: &str) -> Option<Kind> {
    if cx.region.gateways.contains_key(id) {
        Some(Kind::VpnGateway)
    } else if cx.region.customer_gateways.contains_key(id) {
        Some(Kind::CustomerGateway)
    } else if cx.region.connections.contains_key(id) {
        // Every connection of the emulator is bound to a VPN gateway and moves with it;
        // none is a VPN attachment.
        Some(Kind::VpnGateway)
    } else {
        None
    }
}

/// A request naming the wrong kind of an existing resource is answered
/// `InvalidResourceId.NotFound`; an ID that names no VPN resource of the region,
/// `InvalidInstanceId.NotFound`.
pub fn move_vpn_resource_group(
    cx: &mut Cx<'_>,
    input: MoveVpnResourceGroupRequest,
) -> Result<MoveVpnResourceGroupOutput, ApiError> {
    let kind =
        match input.resource_type.as_str() {
            "VpnGateway" => Kind::VpnGateway,
            "CustomerGateway" => Kind::CustomerGateway,
            "VpnAttachment" => Kind::VpnAttachment,
            _ => return Err(ApiError::catalogue_with(
                ErrorCode::IllegalParamResourceType,
                "Invalid Resource Type value: use VpnGateway, CustomerGateway or VpnAttachment.",
            )),
        };
    let id = input.instance_id;
    let group = input.new_resource_group_id;
    let found = match kind {
        Kind::VpnGateway => cx.region.gateways.contains_key(&id),
        Kind::CustomerGateway => cx.region.customer_gateways.contains_key(&id),
        Kind::VpnAttachment => false,
    };
    if !found {
        return Err(match kind_of(cx, &id) {
            Some(_) => ApiError::catalogue(ErrorCode::InvalidResourceIdNotFound),
            None => ApiError::catalogue(ErrorCode::InvalidInstanceIdNotFound),
        });
    }
    if !resource_group_exists(&group) {
        return Err(ApiError::catalogue(ErrorCode::InvalidResourceGroupId));
    }
    let region = &mut *cx.region;
    match kind {
        Kind::VpnGateway => {
            if let Some(gateway) = region.gateways.get_mut(&id) {
                gateway.resource_group_id = Some(group.clone());
            }
            for connection in region.connections.values_mut() {
                if connection.gateway_id == id {
                    connection.resource_group_id = Some(group.clone());
                }
            }
        }
        Kind::CustomerGateway => {
            if let Some(customer_gateway) = region.customer_gateways.get_mut(&id) {
                customer_gateway.resource_group_id = Some(group);
            }
        }
        Kind::VpnAttachment => {}
    }
    Ok(MoveVpnResourceGroupOutput::default())
}
