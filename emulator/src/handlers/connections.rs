//! IPsec-VPN connections on VPN gateways, single- or dual-tunnel: create, describe, list,
//! modify, delete, download their configuration.

use super::required;
use super::tags::tag_views;
use super::tags::{check_new_tags, check_tag_filters, has_tags, store_tags};
use super::tunnels::{self, Endpoint, TunnelSpec};
use crate::error::ApiError;
use crate::state::{page, Connection, Cx};
use std::collections::VecDeque;
use vpn_gateway::operation::{
    create_vpn_connection::CreateVpnConnectionOutput,
    delete_vpn_connection::DeleteVpnConnectionOutput,
    describe_vpn_connection::DescribeVpnConnectionOutput,
    describe_vpn_connections::DescribeVpnConnectionsOutput,
    download_vpn_connection_config::DownloadVpnConnectionConfigOutput,
    modify_vpn_connection_attribute::ModifyVpnConnectionAttributeOutput,
};
use vpn_gateway::server::{
    CreateVpnConnectionRequest, DeleteVpnConnectionRequest, DescribeVpnConnectionRequest,
    DescribeVpnConnectionsRequest, DownloadVpnConnectionConfigRequest,
    ModifyVpnConnectionAttributeRequest,
};
use vpn_gateway::types::{
    BgpConfig, DescribeVpnConnectionResponseTags, HealthCheckConfig, IkeConfig, IkeConfigInfo,
    IkeMode, IkeVersion, IpsecAuthenticationAlgorithm, IpsecConfig, IpsecConfigInfo, IpsecDhGroup,
    IpsecEncryptionAlgorithm, VcoBgpEnable, VcoHealthCheck, VpnBgpConfig, VpnBgpStatus,
    VpnConnectionConfig, VpnConnectionConfigBgpConfigs, VpnConnectionConfigTunnelsConfig,
    VpnConnectionConfigTunnelsConfigIkeConfig, VpnConnectionConfigTunnelsConfigIpsecConfig,
    VpnConnectionItem, VpnConnectionItemTag, VpnConnectionState, VpnConnectionStatus,
};
use vpn_gateway::ErrorCode;

pub(crate) fn default_ike(psk: String) -> IkeConfigInfo {
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

pub(crate) fn default_ipsec() -> IpsecConfigInfo {
    let mut ipsec = IpsecConfigInfo::default();
    ipsec.ipsec_enc_alg = Some(IpsecEncryptionAlgorithm::Aes);
    ipsec.ipsec_auth_alg = Some(IpsecAuthenticationAlgorithm::Sha1);
    ipsec.ipsec_pfs = Some(IpsecDhGroup::Group2);
    ipsec.ipsec_lifetime = Some(86400);
    ipsec
}

/// The settings ModifyVpnConnectionAttribute and ModifyVpnAttachmentAttribute both change; each
/// one given replaces (IKE and IPsec: is merged into) the connection's.
pub(crate) struct SettingsChange {
    pub(crate) effect_immediately: Option<bool>,
    pub(crate) ike: Option<IkeConfig>,
    pub(crate) ipsec: Option<IpsecConfig>,
    pub(crate) health_check: Option<HealthCheckConfig>,
    pub(crate) bgp: Option<BgpConfig>,
    pub(crate) auto_config_route: Option<bool>,
    pub(crate) enable_dpd: Option<bool>,
    pub(crate) enable_nat_traversal: Option<bool>,
}

impl SettingsChange {
    /// Applies the given settings to `c`.
    pub(crate) fn apply(self, c: &mut Connection) {
        if let Some(v) = self.effect_immediately {
            c.effect_immediately = v;
        }
        if let Some(with) = self.ike {
            merge_ike(&mut c.ike, with);
        }
        if let Some(with) = self.ipsec {
            merge_ipsec(&mut c.ipsec, with);
        }
        if self.health_check.is_some() {
            c.health_check = self.health_check;
        }
        if self.bgp.is_some() {
            c.bgp = self.bgp;
        }
        if let Some(v) = self.auto_config_route {
            c.auto_config_route = v;
        }
        if let Some(v) = self.enable_dpd {
            c.enable_dpd = v;
        }
        if let Some(v) = self.enable_nat_traversal {
            c.enable_nat_traversal = v;
        }
    }
}

pub(crate) fn merge_ike(ike: &mut IkeConfigInfo, with: IkeConfig) {
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

pub(crate) fn merge_ipsec(ipsec: &mut IpsecConfigInfo, with: IpsecConfig) {
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

pub(crate) fn health_view(h: &HealthCheckConfig) -> VcoHealthCheck {
    let mut v = VcoHealthCheck::default();
    v.dip = h.dip.clone();
    v.sip = h.sip.clone();
    v.enable = h.enable.clone();
    v.interval = h.interval.as_deref().and_then(|i| i.parse().ok());
    v.retry = h.retry.as_deref().and_then(|r| r.parse().ok());
    v.status = Some("success".to_owned());
    v
}

pub(crate) fn bgp_view(b: &BgpConfig, peer_asn: Option<&str>) -> VpnBgpConfig {
    let mut v = VpnBgpConfig::default();
    v.enable_bgp = b.enable_bgp.clone();
    v.local_asn = b.local_asn.as_deref().and_then(|a| a.parse().ok());
    v.local_bgp_ip = b.local_bgp_ip.clone();
    v.tunnel_cidr = b.tunnel_cidr.clone();
    v.peer_asn = peer_asn.and_then(|a| a.parse().ok());
    v.status = Some(VpnBgpStatus::Success);
    v
}

pub(crate) fn bgp_enabled(c: &Connection) -> bool {
    c.bgp
        .as_ref()
        .is_some_and(|b| b.enable_bgp == Some(VcoBgpEnable::True))
}

/// Policy-based routes a connection's subnets expand to.
pub(crate) fn policy_route_count(local: &str, remote: &str) -> usize {
    local.split(',').count() * remote.split(',').count()
}

pub(crate) fn check_policy_quota(
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
        .filter(|c| {
            // An attachment's routes count for itself only.
            !gateway_id.is_empty() && c.gateway_id == gateway_id && Some(c.id.as_str()) != except
        })
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

pub(crate) fn random_psk(cx: &Cx<'_>) -> String {
    let bits = cx.ids.next_u64();
    format!("{:016x}", bits)
}

pub fn create_vpn_connection(
    cx: &mut Cx<'_>,
    input: CreateVpnConnectionRequest,
) -> Result<CreateVpnConnectionOutput, ApiError> {
    let gateway_id = input.vpn_gateway_id;
    let local_subnet = input.local_subnet;
    let remote_subnet = input.remote_subnet;
    let gateway = cx.gateway(&gateway_id)?.clone();
    let dual = gateway.dual_tunnel();
    if dual {
        if input.tunnel_options_specification.is_empty() {
            return Err(tunnels::missing_tunnels(
                "a connection on a dual-tunnel gateway needs TunnelOptionsSpecification",
            ));
        }
        if input.customer_gateway_id.is_some()
            || input.ike_config.is_some()
            || input.ipsec_config.is_some()
            || input.bgp_config.is_some()
        {
            // No documented code covers single-tunnel settings sent to a dual-tunnel gateway.
            return Err(ApiError::invalid_parameter(
                "CustomerGatewayId",
                "a dual-tunnel gateway takes the customer gateway and the IKE, IPsec and BGP settings per tunnel in TunnelOptionsSpecification",
            ));
        }
    } else if !input.tunnel_options_specification.is_empty() || input.enable_tunnels_bgp.is_some() {
        // No documented code covers dual-tunnel settings sent to a single-tunnel gateway.
        return Err(ApiError::invalid_parameter(
            "TunnelOptionsSpecification",
            "the VPN gateway was not created for dual-tunnel connections",
        ));
    }
    let customer_gateway_id = if dual {
        String::new()
    } else {
        let id = required(input.customer_gateway_id, "CustomerGatewayId")?;
        tunnels::check_customer_gateway(cx, &id, &gateway.internet_ip)?;
        id
    };
    let tags = check_new_tags(&input.tags)?;
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
    let enable_tunnels_bgp = input.enable_tunnels_bgp.unwrap_or(false);
    let built = if dual {
        let zone = |v: &Option<String>| {
            v.as_deref()
                .map(|v| crate::zones::vswitch_zone(cx.region_id, v))
                .unwrap_or_default()
        };
        let endpoints = [
            Endpoint {
                zone_no: zone(&gateway.v_switch_id),
                internet_ip: gateway.internet_ip.clone(),
            },
            Endpoint {
                zone_no: zone(&gateway.disaster_recovery_v_switch_id),
                internet_ip: gateway
                    .disaster_recovery_internet_ip
                    .clone()
                    .unwrap_or_default(),
            },
        ];
        let specs = input
            .tunnel_options_specification
            .into_iter()
            .map(TunnelSpec::from)
            .collect();
        tunnels::build(cx, specs, endpoints, enable_tunnels_bgp)?
    } else {
        Vec::new()
    };
    let taken = cx.region.connections.values().any(|c| {
        c.gateway_id == gateway_id
            && (c.uses_customer_gateway(&customer_gateway_id)
                || built
                    .iter()
                    .any(|t| c.uses_customer_gateway(&t.customer_gateway_id)))
    });
    if taken {
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
    let mut connection = Connection {
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
        tunnels: built,
        enable_tunnels_bgp,
        attachment: None,
        resource_group_id: None,
        logs: VecDeque::new(),
        busy_until: Some(cx.transition_end()),
    };
    log_created(cx, &mut connection);
    cx.region.connections.insert(id.clone(), connection);
    store_tags(cx, &id, tags);
    cx.mark_updating(&gateway_id);
    let mut out = CreateVpnConnectionOutput::default();
    out.vpn_connection_id = id;
    out.create_time = Some(cx.now_ms);
    out.name = input.name;
    Ok(out)
}

/// The log lines of a new connection: one per tunnel, or one for a single-tunnel connection.
pub(crate) fn log_created(cx: &Cx<'_>, c: &mut Connection) {
    let max = cx.quotas.connection_log_lines;
    let ids: Vec<Option<String>> = if c.tunnels.is_empty() {
        vec![None]
    } else {
        c.tunnels.iter().map(|t| Some(t.id.clone())).collect()
    };
    for id in ids {
        c.log(
            cx.now_ms,
            id.as_deref(),
            "IKE SA negotiation started".to_owned(),
            max,
        );
        c.log(
            cx.now_ms,
            id.as_deref(),
            "IPsec SA established".to_owned(),
            max,
        );
    }
}

/// The connection's state as DescribeVpnConnection reports it.
pub(crate) fn connection_state(c: &Connection) -> VpnConnectionState {
    match (&c.attachment, c.busy_until.is_some()) {
        (Some(a), true) if !a.provisioned => VpnConnectionState::Init,
        (_, true) => VpnConnectionState::Updating,
        (Some(a), false) if a.transit_router_id.is_none() => VpnConnectionState::Active,
        _ => VpnConnectionState::Attached,
    }
}

/// The address the connection terminates at on the cloud side.
pub(crate) fn local_ip(cx: &Cx<'_>, c: &Connection) -> Option<String> {
    match (&c.attachment, c.bound_gateway()) {
        (Some(a), _) if c.tunnels.is_empty() => Some(a.internet_ip.clone()),
        (None, Some(gateway_id)) if c.tunnels.is_empty() => cx
            .region
            .gateways
            .get(gateway_id)
            .map(|g| g.internet_ip.clone()),
        _ => None,
    }
}

pub(crate) fn item(cx: &Cx<'_>, c: &Connection) -> VpnConnectionItem {
    let mut v = VpnConnectionItem::default();
    v.vpn_connection_id = Some(c.id.clone());
    v.customer_gateway_id =
        (!c.customer_gateway_id.is_empty()).then(|| c.customer_gateway_id.clone());
    v.vpn_gateway_id = c.bound_gateway().map(str::to_owned);
    v.name = c.name.clone();
    v.local_subnet = Some(c.local_subnet.clone());
    v.remote_subnet = Some(c.remote_subnet.clone());
    v.create_time = Some(c.create_time);
    v.status = Some(status(cx, c));
    v.state = Some(connection_state(c).as_str().to_owned());
    v.effect_immediately = Some(c.effect_immediately);
    v.enable_dpd = Some(c.enable_dpd);
    v.enable_nat_traversal = Some(c.enable_nat_traversal);
    if c.tunnels.is_empty() {
        v.ike_config = Some(c.ike.clone());
        v.ipsec_config = Some(c.ipsec.clone());
    }
    v.vco_health_check = c.health_check.as_ref().map(health_view);
    v.tunnel_options_specification = c
        .tunnels
        .iter()
        .map(|t| tunnels::detail(cx, c, t))
        .collect();
    v.enable_tunnels_bgp = Some(c.enable_tunnels_bgp);
    v.resource_group_id = resource_group(cx, c);
    v.internet_ip = local_ip(cx, c);
    if let Some(a) = &c.attachment {
        v.attach_type = Some("CEN".to_owned());
        v.network_type = Some(a.network_type.clone());
        v.transit_router_id = a.transit_router_id.clone();
        v.cross_account_authorized = Some(false);
    }
    v.tag = tag_views!(cx, &c.id, VpnConnectionItemTag);
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
    let gateway_there = c
        .bound_gateway()
        .is_none_or(|id| cx.region.gateways.contains_key(id));
    let tunnels_up = c.tunnels.iter().all(|t| tunnels::established(cx, c, t));
    if c.busy_until.is_some() || !gateway_there || !tunnels_up {
        VpnConnectionStatus::IkeSaNotEstablished
    } else {
        VpnConnectionStatus::IpsecSaEstablished
    }
}

pub(crate) fn peer_asn<'a>(cx: &'a Cx<'_>, c: &Connection) -> Option<&'a str> {
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
    out.state = Some(connection_state(&c));
    out.effect_immediately = i.effect_immediately;
    out.enable_dpd = Some(c.enable_dpd);
    out.enable_nat_traversal = Some(c.enable_nat_traversal);
    out.ike_config = i.ike_config;
    out.ipsec_config = i.ipsec_config;
    out.vco_health_check = i.vco_health_check;
    out.vpn_bgp_config = c.bgp.as_ref().map(|b| bgp_view(b, peer_asn(cx, &c)));
    out.tunnel_options_specification = i.tunnel_options_specification;
    out.enable_tunnels_bgp = i.enable_tunnels_bgp;
    out.resource_group_id = i.resource_group_id;
    out.internet_ip = i.internet_ip;
    out.attach_type = i.attach_type;
    out.network_type = i.network_type;
    out.transit_router_id = i.transit_router_id;
    out.cross_account_authorized = i.cross_account_authorized;
    out.zone_no = c
        .attachment
        .as_ref()
        .filter(|_| c.tunnels.is_empty())
        .map(|a| a.zone_no.clone());
    out.tags = i
        .tag
        .into_iter()
        .map(|t| {
            let mut v = DescribeVpnConnectionResponseTags::default();
            v.key = t.key;
            v.value = t.value;
            v
        })
        .collect();
    Ok(out)
}

pub fn describe_vpn_connections(
    cx: &mut Cx<'_>,
    input: DescribeVpnConnectionsRequest,
) -> Result<DescribeVpnConnectionsOutput, ApiError> {
    let wanted = check_tag_filters(
        input
            .tag
            .iter()
            .map(|t| (t.key.as_deref(), t.value.as_deref())),
    )?;
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
                .is_none_or(|v| c.uses_customer_gateway(v))
        })
        .filter(|c| input.vpn_connection_id.as_ref().is_none_or(|v| *v == c.id))
        .filter(|c| has_tags(cx, &c.id, &wanted))
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

/// Applies the tunnel changes of ModifyVpnConnectionAttribute to a copy of the connection's
/// tunnels.
fn updated_tunnels(
    cx: &Cx<'_>,
    current: &Connection,
    updates: Vec<vpn_gateway::types::TunnelOptionsUpdate>,
    enable_bgp: bool,
) -> Result<Vec<crate::state::Tunnel>, ApiError> {
    let mut tunnels = current.tunnels.clone();
    for update in updates {
        let Some(tunnel) = tunnels
            .iter_mut()
            .find(|t| update.tunnel_id.as_deref() == Some(t.id.as_str()))
        else {
            return Err(ApiError::catalogue_with(
                ErrorCode::IllegalParamTunnelId,
                "The connection has no tunnel with the given TunnelId.",
            ));
        };
        if update.role.as_ref().is_some_and(|r| *r != tunnel.role) {
            return Err(ApiError::catalogue_with(
                ErrorCode::IllegalParamRole,
                "The Role given for a tunnel differs from the tunnel's role.",
            ));
        }
        if let Some(customer_gateway_id) = update.customer_gateway_id {
            tunnels::known_customer_gateway(
                cx,
                &customer_gateway_id,
                "TunnelOptionsSpecification.N.CustomerGatewayId",
            )?;
            tunnels::check_customer_gateway(cx, &customer_gateway_id, &tunnel.internet_ip)?;
            tunnel.customer_gateway_id = customer_gateway_id;
        }
        tunnels::TunnelChange {
            ike: update.tunnel_ike_config,
            ipsec: update.tunnel_ipsec_config,
            bgp: update.tunnel_bgp_config,
            enable_dpd: update.enable_dpd,
            enable_nat_traversal: update.enable_nat_traversal,
        }
        .apply(tunnel);
    }
    for tunnel in &mut tunnels {
        let customer_gateway_id = tunnel.customer_gateway_id.clone();
        tunnels::check_bgp(cx, &mut tunnel.bgp, &customer_gateway_id, enable_bgp)?;
    }
    tunnels::check_distinct_cidrs(&tunnels)?;
    Ok(tunnels)
}

pub fn modify_vpn_connection_attribute(
    cx: &mut Cx<'_>,
    input: ModifyVpnConnectionAttributeRequest,
) -> Result<ModifyVpnConnectionAttributeOutput, ApiError> {
    let id = input.vpn_connection_id;
    let current = cx.connection(&id)?.clone();
    if let Some(gateway_id) = current.bound_gateway() {
        cx.gateway_for_change(gateway_id)?;
    }
    let dual = !current.tunnels.is_empty();
    if !dual && !input.tunnel_options_specification.is_empty() {
        return Err(ApiError::catalogue_with(
            ErrorCode::IllegalParamTunnelId,
            "The connection is a single-tunnel connection and has no tunnels to change.",
        ));
    }
    if !dual && input.enable_tunnels_bgp.is_some() {
        // No documented code covers per-tunnel BGP on a single-tunnel connection.
        return Err(ApiError::invalid_parameter(
            "EnableTunnelsBgp",
            "the connection is a single-tunnel connection",
        ));
    }
    if dual
        && (input.ike_config.is_some()
            || input.ipsec_config.is_some()
            || input.bgp_config.is_some())
    {
        // No documented code covers single-tunnel settings sent for a dual-tunnel connection.
        return Err(ApiError::invalid_parameter(
            "IkeConfig",
            "a dual-tunnel connection takes its IKE, IPsec and BGP settings per tunnel in TunnelOptionsSpecification",
        ));
    }
    let (local, remote) = tunnels::changed_subnets(
        &current,
        input.local_subnet.as_ref(),
        input.remote_subnet.as_ref(),
        input.ike_config.as_ref(),
        input
            .tunnel_options_specification
            .iter()
            .map(|t| t.tunnel_ike_config.as_ref()),
    )?;
    if input.local_subnet.is_some() || input.remote_subnet.is_some() {
        check_policy_quota(cx, &current.gateway_id, Some(&id), &local, &remote)?;
    }
    let enable_tunnels_bgp = input
        .enable_tunnels_bgp
        .unwrap_or(current.enable_tunnels_bgp);
    let new_tunnels = if dual {
        updated_tunnels(
            cx,
            &current,
            input.tunnel_options_specification,
            enable_tunnels_bgp,
        )?
    } else {
        Vec::new()
    };
    let until = cx.transition_end();
    let (now_ms, max_lines) = (cx.now_ms, cx.quotas.connection_log_lines);
    let c = cx.connection(&id)?;
    c.local_subnet = local;
    c.remote_subnet = remote;
    c.tunnels = new_tunnels;
    c.enable_tunnels_bgp = enable_tunnels_bgp;
    if let Some(name) = input.name {
        c.name = Some(name);
    }
    SettingsChange {
        effect_immediately: input.effect_immediately,
        ike: input.ike_config,
        ipsec: input.ipsec_config,
        health_check: input.health_check_config,
        bgp: input.bgp_config,
        auto_config_route: input.auto_config_route,
        enable_dpd: input.enable_dpd,
        enable_nat_traversal: input.enable_nat_traversal,
    }
    .apply(c);
    c.busy_until = Some(until);
    c.log(
        now_ms,
        None,
        "connection configuration changed; renegotiating".to_owned(),
        max_lines,
    );
    let c = c.clone();
    if let Some(gateway_id) = c.bound_gateway() {
        let gateway_id = gateway_id.to_owned();
        cx.mark_updating(&gateway_id);
    }
    let i = item(cx, &c);
    let mut out = ModifyVpnConnectionAttributeOutput::default();
    out.vpn_connection_id = i.vpn_connection_id;
    out.customer_gateway_id = i.customer_gateway_id;
    out.vpn_gateway_id = i.vpn_gateway_id;
    out.name = i.name;
    out.local_subnet = i.local_subnet;
    out.remote_subnet = i.remote_subnet;
    out.create_time = i.create_time;
    out.effect_immediately = i.effect_immediately;
    out.enable_dpd = Some(c.enable_dpd);
    out.enable_nat_traversal = Some(c.enable_nat_traversal);
    out.ike_config = i.ike_config;
    out.ipsec_config = i.ipsec_config;
    out.vco_health_check = i.vco_health_check;
    out.vpn_bgp_config = c.bgp.as_ref().map(|b| bgp_view(b, peer_asn(cx, &c)));
    out.tunnel_options_specification = i.tunnel_options_specification;
    out.enable_tunnels_bgp = i.enable_tunnels_bgp;
    out.resource_group_id = i.resource_group_id;
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
    cx.region.tags.remove(&id);
    cx.mark_updating(&gateway_id);
    Ok(DeleteVpnConnectionOutput::default())
}

fn text<T: AsRef<str>>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(|v| v.as_ref().to_owned())
}

/// One tunnel's configuration for the customer's device.
fn tunnel_config(cx: &Cx<'_>, t: &crate::state::Tunnel) -> VpnConnectionConfigTunnelsConfig {
    let mut ike = VpnConnectionConfigTunnelsConfigIkeConfig::default();
    ike.psk = t.ike.psk.clone();
    ike.ike_version = t.ike.ike_version.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_mode = t.ike.ike_mode.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_enc_alg = t.ike.ike_enc_alg.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_auth_alg = t.ike.ike_auth_alg.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_pfs = t.ike.ike_pfs.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_lifetime = t.ike.ike_lifetime;
    ike.local_id = text(&t.ike.local_id).or_else(|| Some(t.internet_ip.clone()));
    let remote = cx
        .region
        .customer_gateways
        .get(&t.customer_gateway_id)
        .map(|g| g.ip_address.clone());
    ike.remote_id = text(&t.ike.remote_id).or_else(|| remote.clone());
    let mut ipsec = VpnConnectionConfigTunnelsConfigIpsecConfig::default();
    ipsec.ipsec_enc_alg = t
        .ipsec
        .ipsec_enc_alg
        .as_ref()
        .map(|v| v.as_str().to_owned());
    ipsec.ipsec_auth_alg = t
        .ipsec
        .ipsec_auth_alg
        .as_ref()
        .map(|v| v.as_str().to_owned());
    ipsec.ipsec_pfs = t.ipsec.ipsec_pfs.as_ref().map(|v| v.as_str().to_owned());
    ipsec.ipsec_lifetime = t.ipsec.ipsec_lifetime;
    let mut v = VpnConnectionConfigTunnelsConfig::default();
    v.tunnel_id = Some(t.id.clone());
    v.local = Some(t.internet_ip.clone());
    v.remote = remote;
    v.ike_config = Some(ike);
    v.ipsec_config = Some(ipsec);
    v
}

pub fn download_vpn_connection_config(
    cx: &mut Cx<'_>,
    input: DownloadVpnConnectionConfigRequest,
) -> Result<DownloadVpnConnectionConfigOutput, ApiError> {
    let id = input.vpn_connection_id;
    let c = cx.connection(&id)?.clone();
    let mut config = VpnConnectionConfig::default();
    config.local_subnet = Some(c.local_subnet.clone());
    config.remote_subnet = Some(c.remote_subnet.clone());
    if c.tunnels.is_empty() {
        config.local = local_ip(cx, &c);
        config.remote = cx
            .region
            .customer_gateways
            .get(&c.customer_gateway_id)
            .map(|g| g.ip_address.clone());
        config.ike_config = Some(c.ike.clone());
        config.ipsec_config = Some(c.ipsec.clone());
    } else {
        config.tunnels_config = c.tunnels.iter().map(|t| tunnel_config(cx, t)).collect();
        if c.enable_tunnels_bgp {
            config.bgp_configs = c
                .tunnels
                .iter()
                .map(|t| {
                    let detail = tunnels::bgp_detail(cx, &c, t);
                    let mut b = VpnConnectionConfigBgpConfigs::default();
                    b.tunnel_id = Some(t.id.clone());
                    b.local_asn = detail.local_asn.map(|a| a.to_string());
                    b.local_bgp_ip = detail.local_bgp_ip;
                    b.peer_asn = detail.peer_asn.map(|a| a.to_string());
                    b.peer_bgp_ip = detail.peer_bgp_ip;
                    b.tunnel_cidr = detail.tunnel_cidr;
                    b
                })
                .collect();
        }
    }
    let mut out = DownloadVpnConnectionConfigOutput::default();
    out.vpn_connection_config = Some(config);
    Ok(out)
}
