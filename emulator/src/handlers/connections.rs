//! IPsec-VPN connections: create, describe, list, modify, delete, download their configuration,
//! and the routes of a connection (`Vco` route entries).

use super::required;
use crate::error::ApiError;
use crate::state::{page, Connection, Cx, Route};
use vpn_gateway::operation::{
    create_vpn_connection::CreateVpnConnectionOutput,
    delete_vco_route_entry::DeleteVcoRouteEntryOutput,
    delete_vpn_connection::DeleteVpnConnectionOutput,
    describe_vco_route_entries::DescribeVcoRouteEntriesOutput,
    describe_vpn_connection::DescribeVpnConnectionOutput,
    describe_vpn_connections::DescribeVpnConnectionsOutput,
    download_vpn_connection_config::DownloadVpnConnectionConfigOutput,
    modify_vpn_connection_attribute::ModifyVpnConnectionAttributeOutput,
};
use vpn_gateway::server::{
    CreateVpnConnectionRequest, DeleteVcoRouteEntryRequest, DeleteVpnConnectionRequest,
    DescribeVcoRouteEntriesRequest, DescribeVpnConnectionRequest, DescribeVpnConnectionsRequest,
    DownloadVpnConnectionConfigRequest, ModifyVpnConnectionAttributeRequest,
};
use vpn_gateway::types::{
    BgpConfig, HealthCheckConfig, IkeConfig, IkeConfigInfo, IkeMode, IkeVersion,
    IpsecAuthenticationAlgorithm, IpsecConfig, IpsecConfigInfo, IpsecDhGroup,
    IpsecEncryptionAlgorithm, VcoBgpEnable, VcoHealthCheck, VcoRouteEntry, VcoRouteEntryType,
    VcoRouteSource, VcoRouteState, VpnBgpConfig, VpnBgpStatus, VpnConnectionConfig,
    VpnConnectionItem, VpnConnectionState, VpnConnectionStatus,
};
use vpn_gateway::ErrorCode;

fn default_ike(psk: String) -> IkeConfigInfo {
    let mut ike = IkeConfigInfo::default();
    ike.psk = Some(psk);
    ike.ike_version = Some(IkeVersion::Ikev1);
    ike.ike_mode = Some(IkeMode::Main);
    ike.ike_enc_alg = Some(IpsecEncryptionAlgorithm::Aes);
    ike.ike_auth_alg = Some(IpsecAuthenticationAlgorithm::Sha1);
    ike.ike_pfs = Some(IpsecDhGroup::Group2);
    ike.ike_lifetime = Some(86400);
    ike
}

fn default_ipsec() -> IpsecConfigInfo {
    let mut ipsec = IpsecConfigInfo::default();
    ipsec.ipsec_enc_alg = Some(IpsecEncryptionAlgorithm::Aes);
    ipsec.ipsec_auth_alg = Some(IpsecAuthenticationAlgorithm::Sha1);
    ipsec.ipsec_pfs = Some(IpsecDhGroup::Group2);
    ipsec.ipsec_lifetime = Some(86400);
    ipsec
}

fn merge_ike(ike: &mut IkeConfigInfo, with: IkeConfig) {
    if with.psk.is_some() {
        ike.psk = with.psk;
    }
    if with.ike_version.is_some() {
        ike.ike_version = with.ike_version;
    }
    if with.ike_mode.is_some() {
        ike.ike_mode = with.ike_mode;
    }
    if with.ike_enc_alg.is_some() {
        ike.ike_enc_alg = with.ike_enc_alg;
    }
    if with.ike_auth_alg.is_some() {
        ike.ike_auth_alg = with.ike_auth_alg;
    }
    if with.ike_pfs.is_some() {
        ike.ike_pfs = with.ike_pfs;
    }
    if let Some(lifetime) = with.ike_lifetime {
        ike.ike_lifetime = Some(i64::from(lifetime));
    }
    if with.local_id.is_some() {
        ike.local_id = with.local_id;
    }
    if with.remote_id.is_some() {
        ike.remote_id = with.remote_id;
    }
}

fn merge_ipsec(ipsec: &mut IpsecConfigInfo, with: IpsecConfig) {
    if with.ipsec_enc_alg.is_some() {
        ipsec.ipsec_enc_alg = with.ipsec_enc_alg;
    }
    if with.ipsec_auth_alg.is_some() {
        ipsec.ipsec_auth_alg = with.ipsec_auth_alg;
    }
    if with.ipsec_pfs.is_some() {
        ipsec.ipsec_pfs = with.ipsec_pfs;
    }
    if let Some(lifetime) = with.ipsec_lifetime {
        ipsec.ipsec_lifetime = Some(i64::from(lifetime));
    }
}

fn health_view(h: &HealthCheckConfig) -> VcoHealthCheck {
    let mut v = VcoHealthCheck::default();
    v.dip = h.dip.clone();
    v.sip = h.sip.clone();
    v.enable = h.enable.clone();
    v.interval = h.interval.as_deref().and_then(|i| i.parse().ok());
    v.retry = h.retry.as_deref().and_then(|r| r.parse().ok());
    v.status = Some("success".to_owned());
    v
}

fn bgp_view(b: &BgpConfig, peer_asn: Option<&str>) -> VpnBgpConfig {
    let mut v = VpnBgpConfig::default();
    v.enable_bgp = b.enable_bgp.clone();
    v.local_asn = b.local_asn.as_deref().and_then(|a| a.parse().ok());
    v.local_bgp_ip = b.local_bgp_ip.clone();
    v.tunnel_cidr = b.tunnel_cidr.clone();
    v.peer_asn = peer_asn.and_then(|a| a.parse().ok());
    v.status = Some(VpnBgpStatus::Success);
    v
}

fn bgp_enabled(c: &Connection) -> bool {
    c.bgp
        .as_ref()
        .is_some_and(|b| b.enable_bgp == Some(VcoBgpEnable::True))
}

/// Policy-based routes a connection's subnets expand to.
fn policy_route_count(local: &str, remote: &str) -> usize {
    local.split(',').count() * remote.split(',').count()
}

fn check_policy_quota(
    cx: &Cx<'_>,
    gateway_id: &str,
    except: Option<&str>,
    local: &str,
    remote: &str,
) -> Result<(), ApiError> {
    let existing: usize = cx
        .region
        .connections
        .values()
        .filter(|c| c.gateway_id == gateway_id && Some(c.id.as_str()) != except)
        .map(|c| policy_route_count(&c.local_subnet, &c.remote_subnet))
        .sum::<usize>()
        + cx.region
            .pbr_routes
            .iter()
            .filter(|r| r.gateway_id == gateway_id)
            .count();
    let new = policy_route_count(local, remote);
    let max = cx.quotas.policy_routes;
    if existing + new > max {
        return Err(ApiError::catalogue_with(
            ErrorCode::QuotaExceededPolicyBasedRoute,
            format!("The maximum number of policy-based routes is exceeded. Existing routes: {existing}. Routes to be created: {new}. Maximum routes: {max}."),
        ));
    }
    Ok(())
}

fn random_psk(cx: &Cx<'_>) -> String {
    let bits = cx.ids.next_u64();
    format!("{:016x}", bits)
}

pub fn create_vpn_connection(
    cx: &mut Cx<'_>,
    input: CreateVpnConnectionRequest,
) -> Result<CreateVpnConnectionOutput, ApiError> {
    let gateway_id = input.vpn_gateway_id;
    let customer_gateway_id = required(input.customer_gateway_id, "CustomerGatewayId")?;
    let local_subnet = input.local_subnet;
    let remote_subnet = input.remote_subnet;
    cx.gateway(&gateway_id)?;
    if !cx
        .region
        .customer_gateways
        .contains_key(&customer_gateway_id)
    {
        return Err(ApiError::customer_gateway_not_found());
    }
    cx.gateway_for_change(&gateway_id)?;
    if cx
        .region
        .ipsec_servers
        .values()
        .any(|s| s.gateway_id == gateway_id)
    {
        return Err(ApiError::catalogue(
            ErrorCode::VpnGatewayIPsecServerAndVpnConnectionConflict,
        ));
    }
    if cx
        .region
        .connections
        .values()
        .any(|c| c.gateway_id == gateway_id && c.customer_gateway_id == customer_gateway_id)
    {
        return Err(ApiError::catalogue(
            ErrorCode::InvalidVpnConnectionAlreadyExists,
        ));
    }
    let per_gateway = cx
        .region
        .connections
        .values()
        .filter(|c| c.gateway_id == gateway_id)
        .count();
    if per_gateway >= cx.quotas.vpn_connections_per_gateway {
        return Err(ApiError::quota_full());
    }
    check_policy_quota(cx, &gateway_id, None, &local_subnet, &remote_subnet)?;
    let mut ike = default_ike(random_psk(cx));
    if let Some(with) = input.ike_config {
        merge_ike(&mut ike, with);
    }
    let mut ipsec = default_ipsec();
    if let Some(with) = input.ipsec_config {
        merge_ipsec(&mut ipsec, with);
    }
    let id = cx.new_id("vco");
    let connection = Connection {
        id: id.clone(),
        seq: cx.region.next_seq(),
        gateway_id: gateway_id.clone(),
        customer_gateway_id,
        name: input.name.clone(),
        local_subnet,
        remote_subnet,
        create_time: cx.now_ms,
        effect_immediately: input.effect_immediately.unwrap_or(false),
        auto_config_route: input.auto_config_route.unwrap_or(true),
        enable_dpd: input.enable_dpd.unwrap_or(true),
        enable_nat_traversal: input.enable_nat_traversal.unwrap_or(true),
        ike,
        ipsec,
        health_check: input.health_check_config,
        bgp: input.bgp_config,
        busy_until: Some(cx.transition_end()),
        resource_group_id: None,
    };
    cx.region.connections.insert(id.clone(), connection);
    cx.mark_updating(&gateway_id);
    let mut out = CreateVpnConnectionOutput::default();
    out.vpn_connection_id = id;
    out.create_time = Some(cx.now_ms);
    out.name = input.name;
    Ok(out)
}

fn item(cx: &Cx<'_>, c: &Connection) -> VpnConnectionItem {
    let mut v = VpnConnectionItem::default();
    v.vpn_connection_id = Some(c.id.clone());
    v.customer_gateway_id = Some(c.customer_gateway_id.clone());
    v.vpn_gateway_id = Some(c.gateway_id.clone());
    v.name = c.name.clone();
    v.local_subnet = Some(c.local_subnet.clone());
    v.remote_subnet = Some(c.remote_subnet.clone());
    v.create_time = Some(c.create_time);
    v.status = Some(status(cx, c));
    v.effect_immediately = Some(c.effect_immediately);
    v.ike_config = Some(c.ike.clone());
    v.ipsec_config = Some(c.ipsec.clone());
    v.vco_health_check = c.health_check.as_ref().map(health_view);
    v.resource_group_id = resource_group(cx, c);
    v
}

/// The connection's resource group: its own, else its gateway's.
fn resource_group(cx: &Cx<'_>, c: &Connection) -> Option<String> {
    c.resource_group_id.clone().or_else(|| {
        cx.region
            .gateways
            .get(&c.gateway_id)
            .and_then(|g| g.resource_group_id.clone())
    })
}

fn status(cx: &Cx<'_>, c: &Connection) -> VpnConnectionStatus {
    if c.busy_until.is_some() || !cx.region.gateways.contains_key(&c.gateway_id) {
        VpnConnectionStatus::IkeSaNotEstablished
    } else {
        VpnConnectionStatus::IpsecSaEstablished
    }
}

fn peer_asn<'a>(cx: &'a Cx<'_>, c: &Connection) -> Option<&'a str> {
    cx.region
        .customer_gateways
        .get(&c.customer_gateway_id)
        .and_then(|g| g.asn.as_deref())
}

pub fn describe_vpn_connection(
    cx: &mut Cx<'_>,
    input: DescribeVpnConnectionRequest,
) -> Result<DescribeVpnConnectionOutput, ApiError> {
    let id = input.vpn_connection_id;
    let c = cx.connection(&id)?.clone();
    let i = item(cx, &c);
    let mut out = DescribeVpnConnectionOutput::default();
    out.vpn_connection_id = i.vpn_connection_id;
    out.customer_gateway_id = i.customer_gateway_id;
    out.vpn_gateway_id = i.vpn_gateway_id;
    out.name = i.name;
    out.local_subnet = i.local_subnet;
    out.remote_subnet = i.remote_subnet;
    out.create_time = i.create_time;
    out.status = i.status;
    out.state = Some(if c.busy_until.is_some() {
        VpnConnectionState::Updating
    } else {
        VpnConnectionState::Attached
    });
    out.effect_immediately = i.effect_immediately;
    out.enable_dpd = Some(c.enable_dpd);
    out.enable_nat_traversal = Some(c.enable_nat_traversal);
    out.ike_config = i.ike_config;
    out.ipsec_config = i.ipsec_config;
    out.vco_health_check = i.vco_health_check;
    out.resource_group_id = i.resource_group_id;
    out.vpn_bgp_config = c.bgp.as_ref().map(|b| bgp_view(b, peer_asn(cx, &c)));
    Ok(out)
}

pub fn describe_vpn_connections(
    cx: &mut Cx<'_>,
    input: DescribeVpnConnectionsRequest,
) -> Result<DescribeVpnConnectionsOutput, ApiError> {
    let mut all: Vec<&Connection> = cx
        .region
        .connections
        .values()
        .filter(|c| {
            input
                .vpn_gateway_id
                .as_ref()
                .is_none_or(|v| *v == c.gateway_id)
        })
        .filter(|c| {
            input
                .customer_gateway_id
                .as_ref()
                .is_none_or(|v| *v == c.customer_gateway_id)
        })
        .filter(|c| {
            input.resource_group_id.is_none() || input.resource_group_id == resource_group(cx, c)
        })
        .collect();
    all.sort_by_key(|c| std::cmp::Reverse(c.seq));
    let page = page(all, input.page_number, input.page_size);
    let mut out = DescribeVpnConnectionsOutput::default();
    out.vpn_connections = page.items.into_iter().map(|c| item(cx, c)).collect();
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}

pub fn modify_vpn_connection_attribute(
    cx: &mut Cx<'_>,
    input: ModifyVpnConnectionAttributeRequest,
) -> Result<ModifyVpnConnectionAttributeOutput, ApiError> {
    let id = input.vpn_connection_id;
    let current = cx.connection(&id)?.clone();
    cx.gateway_for_change(&current.gateway_id)?;
    let local = input
        .local_subnet
        .clone()
        .unwrap_or_else(|| current.local_subnet.clone());
    let remote = input
        .remote_subnet
        .clone()
        .unwrap_or_else(|| current.remote_subnet.clone());
    if input.local_subnet.is_some() || input.remote_subnet.is_some() {
        check_policy_quota(cx, &current.gateway_id, Some(&id), &local, &remote)?;
    }
    let until = cx.transition_end();
    let c = cx.connection(&id)?;
    c.local_subnet = local;
    c.remote_subnet = remote;
    if let Some(name) = input.name {
        c.name = Some(name);
    }
    if let Some(v) = input.effect_immediately {
        c.effect_immediately = v;
    }
    if let Some(with) = input.ike_config {
        merge_ike(&mut c.ike, with);
    }
    if let Some(with) = input.ipsec_config {
        merge_ipsec(&mut c.ipsec, with);
    }
    if input.health_check_config.is_some() {
        c.health_check = input.health_check_config;
    }
    if input.bgp_config.is_some() {
        c.bgp = input.bgp_config;
    }
    if let Some(v) = input.auto_config_route {
        c.auto_config_route = v;
    }
    if let Some(v) = input.enable_dpd {
        c.enable_dpd = v;
    }
    if let Some(v) = input.enable_nat_traversal {
        c.enable_nat_traversal = v;
    }
    c.busy_until = Some(until);
    let c = c.clone();
    cx.mark_updating(&c.gateway_id);
    let mut out = ModifyVpnConnectionAttributeOutput::default();
    out.vpn_connection_id = Some(c.id.clone());
    out.customer_gateway_id = Some(c.customer_gateway_id.clone());
    out.vpn_gateway_id = Some(c.gateway_id.clone());
    out.name = c.name.clone();
    out.local_subnet = Some(c.local_subnet.clone());
    out.remote_subnet = Some(c.remote_subnet.clone());
    out.create_time = Some(c.create_time);
    out.effect_immediately = Some(c.effect_immediately);
    out.enable_dpd = Some(c.enable_dpd);
    out.enable_nat_traversal = Some(c.enable_nat_traversal);
    out.ike_config = Some(c.ike.clone());
    out.ipsec_config = Some(c.ipsec.clone());
    out.vco_health_check = c.health_check.as_ref().map(health_view);
    out.vpn_bgp_config = c.bgp.as_ref().map(|b| bgp_view(b, peer_asn(cx, &c)));
    Ok(out)
}

pub fn delete_vpn_connection(
    cx: &mut Cx<'_>,
    input: DeleteVpnConnectionRequest,
) -> Result<DeleteVpnConnectionOutput, ApiError> {
    let id = input.vpn_connection_id;
    let gateway_id = cx.connection(&id)?.gateway_id.clone();
    if cx.region.gateways.contains_key(&gateway_id) {
        cx.gateway_for_change(&gateway_id)?;
    }
    cx.region.connections.remove(&id);
    cx.region.routes.retain(|r| r.next_hop != id);
    cx.region.pbr_routes.retain(|r| r.next_hop != id);
    cx.mark_updating(&gateway_id);
    Ok(DeleteVpnConnectionOutput::default())
}

pub fn download_vpn_connection_config(
    cx: &mut Cx<'_>,
    input: DownloadVpnConnectionConfigRequest,
) -> Result<DownloadVpnConnectionConfigOutput, ApiError> {
    let id = input.vpn_connection_id;
    let c = cx.connection(&id)?.clone();
    let mut config = VpnConnectionConfig::default();
    config.local = cx
        .region
        .gateways
        .get(&c.gateway_id)
        .map(|g| g.internet_ip.clone());
    config.remote = cx
        .region
        .customer_gateways
        .get(&c.customer_gateway_id)
        .map(|g| g.ip_address.clone());
    config.local_subnet = Some(c.local_subnet.clone());
    config.remote_subnet = Some(c.remote_subnet.clone());
    config.ike_config = Some(c.ike.clone());
    config.ipsec_config = Some(c.ipsec.clone());
    let mut out = DownloadVpnConnectionConfigOutput::default();
    out.vpn_connection_config = Some(config);
    Ok(out)
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
        if !bgp_enabled(&c) {
            return Err(ApiError::catalogue_with(
                ErrorCode::VcoStatusNotSupport,
                "The IPsec-VPN connection does not have BGP enabled, so it has no BGP routes.",
            ));
        }
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
                v.as_path = peer_asn(cx, &c).map(str::to_owned);
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

pub fn delete_vco_route_entry(
    cx: &mut Cx<'_>,
    input: DeleteVcoRouteEntryRequest,
) -> Result<DeleteVcoRouteEntryOutput, ApiError> {
    let id = input.vpn_connection_id;
    let dest = input.route_dest;
    let next_hop = input.next_hop;
    let weight = input.weight;
    cx.connection(&id)?;
    let position = cx
        .region
        .routes
        .iter()
        .position(|r| r.next_hop == id && r.next_hop == next_hop && r.dest == dest)
        .ok_or_else(|| ApiError::not_found("route entry", "RouteEntry", &dest))?;
    if cx.region.routes[position].weight != weight {
        return Err(ApiError::catalogue_with(
            ErrorCode::VpnRouteEntryConflict,
            "The specified route entry has conflict: its weight differs from the given Weight.",
        ));
    }
    cx.region.routes.remove(position);
    Ok(DeleteVcoRouteEntryOutput::default())
}
