//! The destination-based routes of one IPsec-VPN connection (`Vco` route entries): create,
//! list, change the weight of, delete. A route's next hop is the connection itself; on a
//! connection bound to a gateway, the routes are the gateway's routes through it. Each change
//! puts the connection into `updating` for the transition time.

use super::connections::{bgp_enabled, peer_asn};
use super::routes::check_dest;
use crate::error::ApiError;
use crate::state::{page, Connection, Cx, Route};
use vpn_gateway::operation::{
    create_vco_route_entry::CreateVcoRouteEntryOutput,
    delete_vco_route_entry::DeleteVcoRouteEntryOutput,
    describe_vco_route_entries::DescribeVcoRouteEntriesOutput,
    modify_vco_route_entry_weight::ModifyVcoRouteEntryWeightOutput,
};
use vpn_gateway::server::{
    CreateVcoRouteEntryRequest, DeleteVcoRouteEntryRequest, DescribeVcoRouteEntriesRequest,
    ModifyVcoRouteEntryWeightRequest,
};
use vpn_gateway::types::{
    VcoRouteEntry, VcoRouteEntryType, VcoRouteSource, VcoRouteState, VpnGatewayBusinessStatus,
    VpnGatewayStatus, VpnRouteWeight,
};
use vpn_gateway::ErrorCode;

/// A route weight given as a number: 0 (standby) or 100 (active).
fn weight(parameter: &str, value: i32) -> Result<VpnRouteWeight, ApiError> {
    match value {
        0 => Ok(VpnRouteWeight::LowPriority),
        100 => Ok(VpnRouteWeight::HighPriority),
        // The Vco operations document no code for a weight out of range.
        _ => Err(ApiError::invalid_parameter(parameter, "must be 0 or 100")),
    }
}

/// The connection, when its routes may change now: its gateway (if any) is neither locked
/// nor being configured, and no earlier change of the connection is still being applied.
fn changeable(cx: &mut Cx<'_>, id: &str) -> Result<Connection, ApiError> {
    let c = cx.connection(id)?.clone();
    if let Some(gateway) = c.bound_gateway().and_then(|g| cx.region.gateways.get(g)) {
        if gateway.business_status == VpnGatewayBusinessStatus::FinancialLocked {
            return Err(ApiError::catalogue(ErrorCode::VpnConnectionFinancialLocked));
        }
        if gateway.status != VpnGatewayStatus::Active {
            return Err(ApiError::catalogue(ErrorCode::VpnConnectionConfiguring));
        }
    }
    if c.busy_until.is_some() {
        return Err(ApiError::catalogue(ErrorCode::TaskConflict));
    }
    Ok(c)
}

/// Puts the connection into `updating` after a route change.
fn mark_changed(cx: &mut Cx<'_>, id: &str, what: String) {
    let until = cx.transition_end();
    let (now_ms, max) = (cx.now_ms, cx.quotas.connection_log_lines);
    if let Ok(c) = cx.connection(id) {
        c.busy_until = Some(until);
        c.log(now_ms, None, what, max);
    }
}

fn position(cx: &Cx<'_>, id: &str, dest: &str, next_hop: &str) -> Result<usize, ApiError> {
    cx.region
        .routes
        .iter()
        .position(|r| r.next_hop == id && r.next_hop == next_hop && r.dest == dest)
        .ok_or_else(|| {
            ApiError::catalogue_with(
                ErrorCode::InvalidRouteEntryNotFound,
                "The connection has no route to the given RouteDest through the given NextHop.",
            )
        })
}

pub fn create_vco_route_entry(
    cx: &mut Cx<'_>,
    input: CreateVcoRouteEntryRequest,
) -> Result<CreateVcoRouteEntryOutput, ApiError> {
    let id = input.vpn_connection_id;
    let c = changeable(cx, &id)?;
    check_dest(&input.route_dest)?;
    if input.next_hop != id {
        return Err(ApiError::catalogue(ErrorCode::InvalidNextHopNotFound));
    }
    let weight = weight("Weight", input.weight)?;
    let routes = &cx.region.routes;
    if routes
        .iter()
        .any(|r| r.next_hop == id && r.dest == input.route_dest)
    {
        return Err(ApiError::catalogue(ErrorCode::VpnRouteEntryAlreadyExists));
    }
    let (count, max) = match c.bound_gateway() {
        Some(gateway_id) => (
            routes.iter().filter(|r| r.gateway_id == gateway_id).count(),
            cx.quotas.route_entries,
        ),
        None => (
            routes.iter().filter(|r| r.next_hop == id).count(),
            cx.quotas.vco_route_entries,
        ),
    };
    if count >= max {
        return Err(ApiError::catalogue_with(
            ErrorCode::ResourceQuotaFull,
            format!("The quota of resource is full: at most {max} destination-based routes."),
        ));
    }
    let route = Route {
        seq: cx.region.next_seq(),
        gateway_id: c.gateway_id.clone(),
        source: None,
        dest: input.route_dest,
        next_hop: id.clone(),
        weight,
        published: false,
        description: input.description,
        create_time: cx.now_ms,
        priority: None,
    };
    cx.region.routes.push(route.clone());
    mark_changed(cx, &id, format!("route to {} added", route.dest));
    let mut out = CreateVcoRouteEntryOutput::default();
    out.vpn_connection_id = Some(id);
    out.route_dest = Some(route.dest);
    out.next_hop = Some(route.next_hop);
    out.weight = Some(input.weight);
    out.overlay_mode = input.overlay_mode;
    out.description = route.description;
    out.state = Some("published".to_owned());
    out.create_time = Some(route.create_time);
    Ok(out)
}

pub fn modify_vco_route_entry_weight(
    cx: &mut Cx<'_>,
    input: ModifyVcoRouteEntryWeightRequest,
) -> Result<ModifyVcoRouteEntryWeightOutput, ApiError> {
    let id = input.vpn_connection_id;
    changeable(cx, &id)?;
    let old = weight("Weight", input.weight)?;
    let new = weight("NewWeight", input.new_weight)?;
    let at = position(cx, &id, &input.route_dest, &input.next_hop)?;
    if cx.region.routes[at].weight != old {
        return Err(ApiError::catalogue_with(
            ErrorCode::VpnRouteEntryConflict,
            "The specified route entry has conflict: its weight differs from the given Weight.",
        ));
    }
    if old == new {
        return Err(ApiError::catalogue_with(
            ErrorCode::VpnRouteEntryAlreadyExists,
            "The route already has the weight given as NewWeight.",
        ));
    }
    cx.region.routes[at].weight = new;
    mark_changed(
        cx,
        &id,
        format!(
            "weight of the route to {} changed to {}",
            input.route_dest, input.new_weight
        ),
    );
    Ok(ModifyVcoRouteEntryWeightOutput::default())
}

pub fn delete_vco_route_entry(
    cx: &mut Cx<'_>,
    input: DeleteVcoRouteEntryRequest,
) -> Result<DeleteVcoRouteEntryOutput, ApiError> {
    let id = input.vpn_connection_id;
    changeable(cx, &id)?;
    let at = position(cx, &id, &input.route_dest, &input.next_hop)?;
    if cx.region.routes[at].weight != input.weight {
        return Err(ApiError::catalogue_with(
            ErrorCode::VpnRouteEntryConflict,
            "The specified route entry has conflict: its weight differs from the given Weight.",
        ));
    }
    let route = cx.region.routes.remove(at);
    mark_changed(cx, &id, format!("route to {} removed", route.dest));
    Ok(DeleteVcoRouteEntryOutput::default())
}

fn vco_view(r: &Route, connection_id: &str) -> VcoRouteEntry {
    let mut v = VcoRouteEntry::default();
    v.vpn_connection_id = Some(connection_id.to_owned());
    v.route_dest = Some(r.dest.clone());
    v.next_hop = Some(r.next_hop.clone());
    v.weight = Some(r.weight.clone());
    v.state = Some(if r.published {
        VcoRouteState::Published
    } else {
        VcoRouteState::Active
    });
    v.route_entry_type = Some(VcoRouteEntryType::Custom);
    v.source = Some(VcoRouteSource::Cloud);
    v.create_time = Some(r.create_time);
    v
}

pub fn describe_vco_route_entries(
    cx: &mut Cx<'_>,
    input: DescribeVcoRouteEntriesRequest,
) -> Result<DescribeVcoRouteEntriesOutput, ApiError> {
    let id = input.vpn_connection_id;
    let c = cx.connection(&id)?.clone();
    let kind = input.route_entry_type.unwrap_or(VcoRouteEntryType::Custom);
    let entries: Vec<VcoRouteEntry> = if kind == VcoRouteEntryType::Bgp {
        if !bgp_enabled(&c) && !c.enable_tunnels_bgp {
            return Err(ApiError::catalogue_with(
                ErrorCode::VcoStatusNotSupport,
                "The IPsec-VPN connection does not have BGP enabled, so it has no BGP routes.",
            ));
        }
        let as_path = peer_asn(cx, &c).map(str::to_owned).or_else(|| {
            c.tunnels.first().and_then(|t| {
                cx.region
                    .customer_gateways
                    .get(&t.customer_gateway_id)
                    .and_then(|g| g.asn.clone())
            })
        });
        let tunnel_ids: Vec<String> = c.tunnels.iter().map(|t| t.id.clone()).collect();
        c.remote_subnet
            .split(',')
            .map(|dest| {
                let mut v = VcoRouteEntry::default();
                v.vpn_connection_id = Some(id.clone());
                v.route_dest = Some(dest.to_owned());
                v.next_hop = Some(id.clone());
                v.route_entry_type = Some(VcoRouteEntryType::Bgp);
                v.source = Some(VcoRouteSource::VpnBgp);
                v.state = Some(VcoRouteState::Active);
                v.as_path = as_path.clone();
                v.next_hop_tunnel_id_list = tunnel_ids.clone();
                v.create_time = Some(c.create_time);
                v
            })
            .collect()
    } else {
        cx.region
            .routes
            .iter()
            .filter(|r| r.next_hop == id)
            .map(|r| vco_view(r, &id))
            .collect()
    };
    let page = page(entries, input.page_number, input.page_size);
    let mut out = DescribeVcoRouteEntriesOutput::default();
    out.vco_route_entries = page.items;
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}
