//! Destination-based and policy-based routes of a VPN gateway: create, delete, change weight,
//! publish, list.

use super::{mask, parse_cidr, required};
use crate::error::ApiError;
use crate::state::{page, Cx, Route};
use vpn_gateway::operation::{
    create_vpn_pbr_route_entry::CreateVpnPbrRouteEntryOutput,
    create_vpn_route_entry::CreateVpnRouteEntryOutput,
    delete_vpn_pbr_route_entry::DeleteVpnPbrRouteEntryOutput,
    delete_vpn_route_entry::DeleteVpnRouteEntryOutput,
    describe_vpn_pbr_route_entries::DescribeVpnPbrRouteEntriesOutput,
    describe_vpn_route_entries::DescribeVpnRouteEntriesOutput,
    modify_vpn_pbr_route_entry_attribute::ModifyVpnPbrRouteEntryAttributeOutput,
    modify_vpn_pbr_route_entry_priority::ModifyVpnPbrRouteEntryPriorityOutput,
    modify_vpn_pbr_route_entry_weight::ModifyVpnPbrRouteEntryWeightOutput,
    modify_vpn_route_entry_weight::ModifyVpnRouteEntryWeightOutput,
    publish_vpn_route_entry::PublishVpnRouteEntryOutput,
};
use vpn_gateway::server::{
    CreateVpnPbrRouteEntryRequest, CreateVpnRouteEntryRequest, DeleteVpnPbrRouteEntryRequest,
    DeleteVpnRouteEntryRequest, DescribeVpnPbrRouteEntriesRequest, DescribeVpnRouteEntriesRequest,
    ModifyVpnPbrRouteEntryAttributeRequest, ModifyVpnPbrRouteEntryPriorityRequest,
    ModifyVpnPbrRouteEntryWeightRequest, ModifyVpnRouteEntryWeightRequest,
    PublishVpnRouteEntryRequest,
};
use vpn_gateway::types::{
    VpnPbrRouteEntry, VpnRouteEntry, VpnRouteOverlayMode, VpnRouteState, VpnRouteType,
    VpnRouteWeight,
};
use vpn_gateway::ErrorCode;

/// Which table a route lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Destination,
    Policy,
}

fn table<'a>(cx: &'a mut Cx<'_>, t: Table) -> &'a mut Vec<Route> {
    match t {
        Table::Destination => &mut cx.region.routes,
        Table::Policy => &mut cx.region.pbr_routes,
    }
}

fn state(r: &Route) -> VpnRouteState {
    if r.published {
        VpnRouteState::Published
    } else {
        VpnRouteState::Normal
    }
}

/// Checks a destination CIDR block: well formed, no host bits, not loopback or multicast.
pub(crate) fn check_dest(dest: &str) -> Result<(), ApiError> {
    let (addr, len) =
        parse_cidr(dest).ok_or_else(|| ApiError::catalogue(ErrorCode::IllegalParamRouteDest))?;
    let first = addr >> 24;
    if first == 127 || (224..=239).contains(&first) {
        return Err(ApiError::catalogue(ErrorCode::IllegalParamRouteDest));
    }
    if addr & !mask(len) != 0 {
        return Err(ApiError::catalogue_with(
            ErrorCode::OperationFailedInvalidCidrBlock,
            format!("Operation failed because the specified network block is invalid: {dest} has host bits set."),
        ));
    }
    Ok(())
}

/// The priority of a policy-based route created without one.
const DEFAULT_PRIORITY: i32 = 10;

/// A policy-based route's priority: 1 (first) to 100.
fn check_priority(parameter: &str, priority: i32) -> Result<(), ApiError> {
    if (1..=100).contains(&priority) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(
            parameter,
            "must be between 1 and 100",
        ))
    }
}

/// Policy-based routes of one priority may not match overlapping traffic unless they are the
/// two routes (active and standby) of one source and destination pair.
fn check_same_priority_overlap(
    routes: &[Route],
    skip: Option<usize>,
    gateway_id: &str,
    source: &str,
    dest: &str,
    priority: i32,
) -> Result<(), ApiError> {
    let clash = routes.iter().enumerate().any(|(j, r)| {
        Some(j) != skip
            && r.gateway_id == gateway_id
            && r.priority == Some(priority)
            && r.source
                .as_deref()
                .is_some_and(|s| super::overlaps(s, source))
            && super::overlaps(&r.dest, dest)
            && !(r.source.as_deref() == Some(source) && r.dest == dest)
    });
    if clash {
        return Err(ApiError::catalogue(
            ErrorCode::VpnRouteEntrySamePriorityPbrRoutePrefixOverlap,
        ));
    }
    Ok(())
}

/// A route about to be added to gateway `gateway_id`.
struct NewRoute {
    gateway_id: String,
    source: Option<String>,
    dest: String,
    next_hop: String,
    weight: VpnRouteWeight,
    published: bool,
    description: Option<String>,
    priority: Option<i32>,
}

/// The shared checks of both route kinds, then the insert; the gateway goes `updating`.
fn add_route(cx: &mut Cx<'_>, t: Table, new: NewRoute) -> Result<Route, ApiError> {
    cx.gateway(&new.gateway_id)?;
    cx.gateway_for_change(&new.gateway_id)?;
    check_dest(&new.dest)?;
    if let Some(source) = &new.source {
        parse_cidr(source).ok_or_else(|| {
            ApiError::invalid_parameter("RouteSource", "must be an IPv4 CIDR block")
        })?;
    }
    let hop_is_ours = cx
        .region
        .connections
        .get(&new.next_hop)
        .is_some_and(|c| c.gateway_id == new.gateway_id);
    if !hop_is_ours {
        return Err(ApiError::catalogue(ErrorCode::InvalidNextHopNotFound));
    }
    let same_dest: Vec<&Route> = table(cx, t)
        .iter()
        .filter(|r| r.gateway_id == new.gateway_id && r.dest == new.dest && r.source == new.source)
        .collect();
    if same_dest.iter().any(|r| r.next_hop == new.next_hop) {
        return Err(ApiError::catalogue(ErrorCode::VpnRouteEntryAlreadyExists));
    }
    if same_dest.len() >= 2 {
        return Err(ApiError::catalogue_with(
            ErrorCode::VpnRouteEntryConflict,
            "The specified route entry has conflict: the destination already has an active and a standby route.",
        ));
    }
    if same_dest.iter().any(|r| r.weight == new.weight) {
        return Err(ApiError::catalogue_with(
            ErrorCode::VpnRouteEntryBackupRoute,
            "Validate backup route entry failed: an active/standby pair needs weights 100 and 0.",
        ));
    }
    if let (Table::Policy, Some(source), Some(priority)) = (t, &new.source, new.priority) {
        check_priority("Priority", priority)?;
        check_same_priority_overlap(
            &cx.region.pbr_routes,
            None,
            &new.gateway_id,
            source,
            &new.dest,
            priority,
        )?;
    }
    if t == Table::Destination {
        let conflicts_ssl = cx.region.ssl_servers.values().any(|s| {
            s.gateway_id == new.gateway_id && super::lists_overlap(&s.client_ip_pool, &new.dest)
        });
        if conflicts_ssl {
            return Err(ApiError::catalogue(ErrorCode::VpnRouteEntryConflictSsl));
        }
    }
    let count = table(cx, t)
        .iter()
        .filter(|r| r.gateway_id == new.gateway_id)
        .count();
    let quota = match t {
        Table::Destination => cx.quotas.route_entries,
        Table::Policy => cx.quotas.policy_routes,
    };
    if count >= quota {
        return Err(ApiError::quota_full());
    }
    if new.published {
        check_vpc_route_table(cx, &new.gateway_id, &new.dest)?;
    }
    let route = Route {
        seq: cx.region.next_seq(),
        gateway_id: new.gateway_id,
        source: new.source,
        dest: new.dest,
        next_hop: new.next_hop,
        weight: new.weight,
        published: new.published,
        description: new.description,
        create_time: cx.now_ms,
        priority: new.priority,
    };
    table(cx, t).push(route.clone());
    cx.mark_updating(&route.gateway_id);
    Ok(route)
}

/// Publishing into the VPC route table: another gateway of the VPC may not already publish the
/// block, and the VPC table has a quota of VPN routes.
fn check_vpc_route_table(cx: &Cx<'_>, gateway_id: &str, dest: &str) -> Result<(), ApiError> {
    let Some(vpc_id) = cx.region.gateways.get(gateway_id).map(|g| g.vpc_id.clone()) else {
        return Err(ApiError::gateway_not_found());
    };
    let in_vpc = |r: &&Route| {
        r.published
            && cx
                .region
                .gateways
                .get(&r.gateway_id)
                .is_some_and(|g| g.vpc_id == vpc_id)
    };
    let published = cx
        .region
        .routes
        .iter()
        .chain(&cx.region.pbr_routes)
        .filter(in_vpc);
    let mut count = 0;
    for r in published {
        if r.dest == dest && r.gateway_id != gateway_id {
            return Err(ApiError::catalogue(ErrorCode::OperationFailedRouteConflict));
        }
        count += 1;
    }
    if count >= cx.quotas.vpc_published_routes {
        return Err(ApiError::catalogue(ErrorCode::QuotaExceededVpnRouteEntry));
    }
    Ok(())
}

/// Identifies an existing route, from an input's parameters.
struct RouteKey {
    table: Table,
    gateway_id: String,
    source: Option<String>,
    dest: String,
    next_hop: String,
    weight: Option<VpnRouteWeight>,
    priority: Option<i32>,
}

impl RouteKey {
    fn new(
        table: Table,
        gateway_id: String,
        source: Option<String>,
        dest: String,
        next_hop: String,
        weight: Option<VpnRouteWeight>,
    ) -> Result<RouteKey, ApiError> {
        let source = match table {
            Table::Policy => Some(required(source, "RouteSource")?),
            Table::Destination => None,
        };
        Ok(RouteKey {
            table,
            gateway_id,
            source,
            dest,
            next_hop,
            weight,
            priority: None,
        })
    }

    /// Also matches the route's priority, when given.
    fn with_priority(mut self, priority: Option<i32>) -> RouteKey {
        self.priority = priority;
        self
    }

    /// The route's index, after the gateway checks.
    fn find(&self, cx: &mut Cx<'_>) -> Result<usize, ApiError> {
        cx.gateway(&self.gateway_id)?;
        cx.gateway_for_change(&self.gateway_id)?;
        table(cx, self.table)
            .iter()
            .position(|r| {
                r.gateway_id == self.gateway_id
                    && r.source == self.source
                    && r.dest == self.dest
                    && r.next_hop == self.next_hop
                    && self.weight.as_ref().is_none_or(|w| *w == r.weight)
                    && self.priority.is_none_or(|p| r.priority == Some(p))
            })
            .ok_or_else(|| ApiError::not_found("route entry", "RouteEntry", &self.dest))
    }

    /// Removes the route; the gateway goes `updating`.
    fn remove(&self, cx: &mut Cx<'_>) -> Result<(), ApiError> {
        let i = self.find(cx)?;
        table(cx, self.table).remove(i);
        cx.mark_updating(&self.gateway_id);
        Ok(())
    }

    /// Changes the route's weight; the other route of an active/standby pair may not have it.
    fn change_weight(&self, cx: &mut Cx<'_>, new_weight: VpnRouteWeight) -> Result<(), ApiError> {
        let i = self.find(cx)?;
        let clash = table(cx, self.table).iter().enumerate().any(|(j, r)| {
            j != i
                && r.gateway_id == self.gateway_id
                && r.dest == self.dest
                && r.source == self.source
                && r.weight == new_weight
        });
        if clash {
            return Err(ApiError::catalogue_with(
                ErrorCode::VpnRouteEntryBackupRoute,
                "Validate backup route entry failed: the other route to this destination already has that weight.",
            ));
        }
        table(cx, self.table)[i].weight = new_weight;
        cx.mark_updating(&self.gateway_id);
        Ok(())
    }

    /// Changes a policy-based route's priority and weight. The route may not then overlap
    /// another route of its priority, nor repeat the weight of the other route of its source
    /// and destination at that priority.
    fn change_policy_route(
        &self,
        cx: &mut Cx<'_>,
        new_priority: Option<i32>,
        new_weight: Option<VpnRouteWeight>,
    ) -> Result<(), ApiError> {
        let i = self.find(cx)?;
        let routes = table(cx, Table::Policy);
        let current = routes[i].clone();
        let priority = new_priority
            .or(current.priority)
            .unwrap_or(DEFAULT_PRIORITY);
        let weight = new_weight.unwrap_or_else(|| current.weight.clone());
        let source = current.source.clone().unwrap_or_default();
        check_same_priority_overlap(
            routes,
            Some(i),
            &self.gateway_id,
            &source,
            &current.dest,
            priority,
        )?;
        let weight_clash = routes.iter().enumerate().any(|(j, r)| {
            j != i
                && r.gateway_id == self.gateway_id
                && r.source == current.source
                && r.dest == current.dest
                && r.priority == Some(priority)
                && r.weight == weight
        });
        if weight_clash {
            return Err(ApiError::catalogue(
                ErrorCode::VpnRouteEntrySrcDestWeightConflict,
            ));
        }
        let route = &mut routes[i];
        route.priority = Some(priority);
        route.weight = weight;
        cx.mark_updating(&self.gateway_id);
        Ok(())
    }
}

pub fn modify_vpn_pbr_route_entry_priority(
    cx: &mut Cx<'_>,
    input: ModifyVpnPbrRouteEntryPriorityRequest,
) -> Result<ModifyVpnPbrRouteEntryPriorityOutput, ApiError> {
    if let Some(priority) = input.priority {
        check_priority("Priority", priority)?;
    }
    check_priority("NewPriority", input.new_priority)?;
    RouteKey::new(
        Table::Policy,
        input.vpn_gateway_id,
        Some(input.route_source),
        input.route_dest,
        input.next_hop,
        Some(VpnRouteWeight::from(i64::from(input.weight))),
    )?
    .with_priority(input.priority)
    .change_policy_route(cx, Some(input.new_priority), None)?;
    Ok(ModifyVpnPbrRouteEntryPriorityOutput::default())
}

pub fn modify_vpn_pbr_route_entry_attribute(
    cx: &mut Cx<'_>,
    input: ModifyVpnPbrRouteEntryAttributeRequest,
) -> Result<ModifyVpnPbrRouteEntryAttributeOutput, ApiError> {
    check_priority("Priority", input.priority)?;
    if let Some(priority) = input.new_priority {
        check_priority("NewPriority", priority)?;
    }
    let new_weight = match input.new_weight {
        None => None,
        Some(w @ (0 | 100)) => Some(VpnRouteWeight::from(i64::from(w))),
        Some(_) => return Err(ApiError::invalid_parameter("NewWeight", "must be 0 or 100")),
    };
    if input.new_priority.is_none() && new_weight.is_none() {
        return Err(ApiError::new(
            400,
            "MissingParameter",
            "At least one of the input parameters \"NewPriority\" and \"NewWeight\" must be supplied.",
        ));
    }
    RouteKey::new(
        Table::Policy,
        input.vpn_gateway_id,
        Some(input.route_source),
        input.route_dest,
        input.next_hop,
        Some(VpnRouteWeight::from(i64::from(input.weight))),
    )?
    .with_priority(Some(input.priority))
    .change_policy_route(cx, input.new_priority, new_weight)?;
    Ok(ModifyVpnPbrRouteEntryAttributeOutput::default())
}

pub fn create_vpn_route_entry(
    cx: &mut Cx<'_>,
    input: CreateVpnRouteEntryRequest,
) -> Result<CreateVpnRouteEntryOutput, ApiError> {
    let route = add_route(
        cx,
        Table::Destination,
        NewRoute {
            gateway_id: input.vpn_gateway_id,
            source: None,
            dest: input.route_dest,
            next_hop: input.next_hop,
            weight: input.weight,
            published: input.publish_vpc,
            description: input.description,
            priority: None,
        },
    )?;
    let mut out = CreateVpnRouteEntryOutput::default();
    out.vpn_instance_id = Some(route.gateway_id.clone());
    out.route_dest = Some(route.dest.clone());
    out.next_hop = Some(route.next_hop.clone());
    out.weight = Some(route.weight.clone());
    out.overlay_mode = Some(input.overlay_mode.unwrap_or(VpnRouteOverlayMode::Ipsec));
    out.description = route.description.clone();
    out.state = Some(state(&route));
    out.create_time = Some(route.create_time);
    Ok(out)
}

pub fn create_vpn_pbr_route_entry(
    cx: &mut Cx<'_>,
    input: CreateVpnPbrRouteEntryRequest,
) -> Result<CreateVpnPbrRouteEntryOutput, ApiError> {
    let route = add_route(
        cx,
        Table::Policy,
        NewRoute {
            gateway_id: input.vpn_gateway_id,
            source: Some(input.route_source),
            dest: input.route_dest,
            next_hop: input.next_hop,
            weight: input.weight,
            published: input.publish_vpc,
            description: None,
            priority: Some(input.priority.unwrap_or(DEFAULT_PRIORITY)),
        },
    )?;
    let mut out = CreateVpnPbrRouteEntryOutput::default();
    out.vpn_instance_id = Some(route.gateway_id.clone());
    out.route_source = route.source.clone();
    out.route_dest = Some(route.dest.clone());
    out.next_hop = Some(route.next_hop.clone());
    out.weight = Some(route.weight.clone());
    out.overlay_mode = Some(input.overlay_mode.unwrap_or(VpnRouteOverlayMode::Ipsec));
    out.state = Some(state(&route));
    out.create_time = Some(route.create_time);
    Ok(out)
}

pub fn delete_vpn_route_entry(
    cx: &mut Cx<'_>,
    input: DeleteVpnRouteEntryRequest,
) -> Result<DeleteVpnRouteEntryOutput, ApiError> {
    RouteKey::new(
        Table::Destination,
        input.vpn_gateway_id,
        None,
        input.route_dest,
        input.next_hop,
        Some(input.weight),
    )?
    .remove(cx)?;
    Ok(DeleteVpnRouteEntryOutput::default())
}

pub fn delete_vpn_pbr_route_entry(
    cx: &mut Cx<'_>,
    input: DeleteVpnPbrRouteEntryRequest,
) -> Result<DeleteVpnPbrRouteEntryOutput, ApiError> {
    RouteKey::new(
        Table::Policy,
        input.vpn_gateway_id,
        Some(input.route_source),
        input.route_dest,
        input.next_hop,
        Some(input.weight),
    )?
    .remove(cx)?;
    Ok(DeleteVpnPbrRouteEntryOutput::default())
}

pub fn modify_vpn_route_entry_weight(
    cx: &mut Cx<'_>,
    input: ModifyVpnRouteEntryWeightRequest,
) -> Result<ModifyVpnRouteEntryWeightOutput, ApiError> {
    let new_weight = input.new_weight;
    RouteKey::new(
        Table::Destination,
        input.vpn_gateway_id,
        None,
        input.route_dest,
        input.next_hop,
        Some(input.weight),
    )?
    .change_weight(cx, new_weight)?;
    Ok(ModifyVpnRouteEntryWeightOutput::default())
}

pub fn modify_vpn_pbr_route_entry_weight(
    cx: &mut Cx<'_>,
    input: ModifyVpnPbrRouteEntryWeightRequest,
) -> Result<ModifyVpnPbrRouteEntryWeightOutput, ApiError> {
    let new_weight = input.new_weight;
    RouteKey::new(
        Table::Policy,
        input.vpn_gateway_id,
        Some(input.route_source),
        input.route_dest,
        input.next_hop,
        Some(input.weight),
    )?
    .change_weight(cx, new_weight)?;
    Ok(ModifyVpnPbrRouteEntryWeightOutput::default())
}

pub fn publish_vpn_route_entry(
    cx: &mut Cx<'_>,
    input: PublishVpnRouteEntryRequest,
) -> Result<PublishVpnRouteEntryOutput, ApiError> {
    let gateway_id = input.vpn_gateway_id;
    let dest = input.route_dest;
    let next_hop = input.next_hop;
    let publish = input.publish_vpc;
    let t = match input.route_type {
        VpnRouteType::Pbr => Table::Policy,
        _ => Table::Destination,
    };
    cx.gateway(&gateway_id)?;
    cx.gateway_for_change(&gateway_id)?;
    let i = table(cx, t)
        .iter()
        .position(|r| r.gateway_id == gateway_id && r.dest == dest && r.next_hop == next_hop)
        .ok_or_else(|| ApiError::not_found("route entry", "RouteEntry", &dest))?;
    if publish && !table(cx, t)[i].published {
        // PublishVpnRouteEntry documents the full VPC route table as Resource.QuotaFull.
        check_vpc_route_table(cx, &gateway_id, &dest).map_err(|e| {
            if e.code == ErrorCode::QuotaExceededVpnRouteEntry.code() {
                ApiError::quota_full()
            } else {
                e
            }
        })?;
    }
    table(cx, t)[i].published = publish;
    cx.mark_updating(&gateway_id);
    Ok(PublishVpnRouteEntryOutput::default())
}

/// The fields both route listings share, for either generated route type.
macro_rules! route_view {
    ($ty:ident, $route:expr) => {{
        let r: &Route = $route;
        let mut v = $ty::default();
        v.vpn_instance_id = Some(r.gateway_id.clone());
        v.route_dest = Some(r.dest.clone());
        v.next_hop = Some(r.next_hop.clone());
        v.weight = Some(r.weight.clone());
        v.state = Some(state(r));
        v.create_time = Some(r.create_time);
        v
    }};
}

fn listed(cx: &mut Cx<'_>, t: Table, gateway_id: String) -> Result<Vec<Route>, ApiError> {
    cx.gateway(&gateway_id)?;
    let mut routes: Vec<Route> = table(cx, t)
        .iter()
        .filter(|r| r.gateway_id == gateway_id)
        .cloned()
        .collect();
    routes.sort_by_key(|r| std::cmp::Reverse(r.seq));
    Ok(routes)
}

pub fn describe_vpn_route_entries(
    cx: &mut Cx<'_>,
    input: DescribeVpnRouteEntriesRequest,
) -> Result<DescribeVpnRouteEntriesOutput, ApiError> {
    let routes = listed(cx, Table::Destination, input.vpn_gateway_id)?;
    let page = page(routes, input.page_number, input.page_size);
    let mut out = DescribeVpnRouteEntriesOutput::default();
    out.vpn_route_entries = page
        .items
        .iter()
        .map(|r| route_view!(VpnRouteEntry, r))
        .collect();
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}

pub fn describe_vpn_pbr_route_entries(
    cx: &mut Cx<'_>,
    input: DescribeVpnPbrRouteEntriesRequest,
) -> Result<DescribeVpnPbrRouteEntriesOutput, ApiError> {
    let routes = listed(cx, Table::Policy, input.vpn_gateway_id)?;
    let page = page(routes, input.page_number, input.page_size);
    let mut out = DescribeVpnPbrRouteEntriesOutput::default();
    out.vpn_pbr_route_entries = page
        .items
        .iter()
        .map(|r| {
            let mut v = route_view!(VpnPbrRouteEntry, r);
            v.route_source = r.source.clone();
            v.priority = r.priority;
            v
        })
        .collect();
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}
