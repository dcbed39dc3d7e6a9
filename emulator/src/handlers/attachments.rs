//! IPsec-VPN connections bound to no VPN gateway, to be attached to a transit router
//! (attachments): create, change, list, delete, and the accounts allowed to attach them. They
//! are connections like the others: DescribeVpnConnection shows them, `init` while they are set
//! up and `active` afterwards.

use super::connections::{
    check_policy_quota, default_ike, default_ipsec, health_view, log_created, merge_ike,
    merge_ipsec, random_psk, SettingsChange,
};
use super::tags::tag_views;
use super::tags::{check_new_tags, store_tags};
use super::tunnels::{self, Endpoint, TunnelSpec};
use crate::error::ApiError;
use crate::state::{page, Attachment, Connection, Cx, Tunnel};
use std::collections::VecDeque;
use vpn_gateway::operation::{
    create_vpn_attachment::CreateVpnAttachmentOutput,
    delete_vpn_attachment::DeleteVpnAttachmentOutput,
    describe_vpn_attachments::DescribeVpnAttachmentsOutput,
    describe_vpn_cross_account_authorizations::DescribeVpnCrossAccountAuthorizationsOutput,
    modify_vpn_attachment_attribute::ModifyVpnAttachmentAttributeOutput,
};
use vpn_gateway::server::{
    CreateVpnAttachmentRequest, DeleteVpnAttachmentRequest, DescribeVpnAttachmentsRequest,
    DescribeVpnCrossAccountAuthorizationsRequest, ModifyVpnAttachmentAttributeRequest,
};
use vpn_gateway::types::{
    DescribeVpnAttachmentsResponseVpnAttachments, DescribeVpnAttachmentsResponseVpnAttachmentsTags,
    ModifyVpnAttachmentAttributeResponseIkeConfig, ModifyVpnAttachmentAttributeResponseIpsecConfig,
    ModifyVpnAttachmentAttributeResponseTunnelOptionsSpecification,
    ModifyVpnAttachmentAttributeResponseTunnelOptionsSpecificationTunnelBgpConfig,
    ModifyVpnAttachmentAttributeResponseTunnelOptionsSpecificationTunnelIkeConfig,
    ModifyVpnAttachmentAttributeResponseTunnelOptionsSpecificationTunnelIpsecConfig,
    ModifyVpnAttachmentAttributeResponseVcoHealthCheck,
};
use vpn_gateway::ErrorCode;

/// What DescribeVpnAttachments reports as the kind of attachment.
const ATTACH_TYPE: &str = "CEN";

/// An address for a new attachment (or one of its tunnels) of `network_type`.
fn address(cx: &Cx<'_>, network_type: &str, n: u64) -> String {
    if network_type == "private" {
        format!("172.18.{}.{}", n % 250, 1 + n / 250 % 250)
    } else {
        super::public_ip(cx.ids.next_u64())
    }
}

fn check_network_type(value: &str, code: Option<ErrorCode>) -> Result<(), ApiError> {
    if matches!(value, "public" | "private") {
        return Ok(());
    }
    Err(match code {
        Some(code) => ApiError::catalogue_with(code, "NetworkType must be `public` or `private`."),
        None => ApiError::invalid_parameter("NetworkType", "must be `public` or `private`"),
    })
}

/// An attachment by ID: a connection bound to no gateway.
fn attachment(cx: &mut Cx<'_>, id: &str) -> Result<Connection, ApiError> {
    let c = cx.connection(id)?.clone();
    if c.attachment.is_none() {
        // No documented code for a gateway's connection named where an attachment is expected.
        return Err(ApiError::invalid_parameter(
            "VpnConnectionId",
            "the connection is bound to a VPN gateway; use the VpnConnection operations",
        ));
    }
    Ok(c)
}

pub fn create_vpn_attachment(
    cx: &mut Cx<'_>,
    input: CreateVpnAttachmentRequest,
) -> Result<CreateVpnAttachmentOutput, ApiError> {
    let network_type = input.network_type.unwrap_or_else(|| "public".to_owned());
    check_network_type(&network_type, None)?;
    let dual = !input.tunnel_options_specification.is_empty();
    if dual {
        if input.customer_gateway_id.is_some()
            || input.ike_config.is_some()
            || input.ipsec_config.is_some()
            || input.bgp_config.is_some()
        {
            // No documented code covers single-tunnel settings sent with tunnels.
            return Err(ApiError::invalid_parameter(
                "CustomerGatewayId",
                "a dual-tunnel attachment takes the customer gateway and the IKE, IPsec and BGP settings per tunnel",
            ));
        }
        let indexes: Vec<Option<i32>> = input
            .tunnel_options_specification
            .iter()
            .map(|t| t.tunnel_index)
            .collect();
        let complete = matches!(
            indexes.as_slice(),
            [None, None] | [Some(1), Some(2)] | [Some(2), Some(1)]
        );
        if !complete {
            return Err(ApiError::catalogue(
                ErrorCode::VpnConnectionInvalidCreateTunnelOptions,
            ));
        }
    } else if input.enable_tunnels_bgp.is_some() {
        // No documented code covers per-tunnel BGP for a single-tunnel attachment.
        return Err(ApiError::invalid_parameter(
            "EnableTunnelsBgp",
            "a single-tunnel attachment has no tunnels",
        ));
    }
    let customer_gateway_id = if dual {
        String::new()
    } else {
        let id = super::required(input.customer_gateway_id, "CustomerGatewayId")?;
        if !cx.region.customer_gateways.contains_key(&id) {
            return Err(ApiError::customer_gateway_not_found());
        }
        id
    };
    let tags = check_new_tags(&input.tags)?;
    let attachments = cx
        .region
        .connections
        .values()
        .filter(|c| c.attachment.is_some())
        .count();
    if attachments >= cx.quotas.vpn_attachments {
        return Err(ApiError::catalogue_with(
            ErrorCode::ResourceQuotaFull,
            format!(
                "The quota of resource is full: at most {} IPsec-VPN attachments per region.",
                cx.quotas.vpn_attachments
            ),
        ));
    }
    check_policy_quota(cx, "", None, &input.local_subnet, &input.remote_subnet)?;
    let zones = crate::zones::zones(cx.region_id);
    let zone = |i: usize| zones.get(i).cloned().unwrap_or_default();
    let seq = cx.region.next_seq();
    let enable_tunnels_bgp = input.enable_tunnels_bgp.unwrap_or(false);
    let built: Vec<Tunnel> = if dual {
        let endpoints = [
            Endpoint {
                zone_no: zone(0),
                internet_ip: address(cx, &network_type, seq * 2),
            },
            Endpoint {
                zone_no: zone(1),
                internet_ip: address(cx, &network_type, seq * 2 + 1),
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
    let internet_ip = address(cx, &network_type, seq * 2);
    if !dual {
        tunnels::check_customer_gateway(cx, &customer_gateway_id, &internet_ip)?;
    }
    let duplicate = cx.region.connections.values().any(|c| {
        c.attachment.is_some()
            && c.local_subnet == input.local_subnet
            && c.remote_subnet == input.remote_subnet
            && (c.uses_customer_gateway(&customer_gateway_id)
                || built
                    .iter()
                    .any(|t| c.uses_customer_gateway(&t.customer_gateway_id)))
    });
    if duplicate {
        return Err(ApiError::catalogue(
            ErrorCode::InvalidVpnConnectionAlreadyExists,
        ));
    }
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
        seq,
        gateway_id: String::new(),
        customer_gateway_id,
        name: input.name.clone(),
        local_subnet: input.local_subnet,
        remote_subnet: input.remote_subnet,
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
        attachment: Some(Attachment {
            network_type,
            internet_ip,
            zone_no: zone(0),
            description: None,
            provisioned: false,
            transit_router_id: None,
        }),
        resource_group_id: input.resource_group_id,
        logs: VecDeque::new(),
        busy_until: Some(cx.transition_end()),
    };
    log_created(cx, &mut connection);
    cx.region.connections.insert(id.clone(), connection);
    store_tags(cx, &id, tags);
    let mut out = CreateVpnAttachmentOutput::default();
    out.vpn_connection_id = Some(id);
    out.name = input.name;
    out.create_time = Some(cx.now_ms);
    Ok(out)
}

fn tunnel_view(
    cx: &Cx<'_>,
    c: &Connection,
    t: &Tunnel,
) -> ModifyVpnAttachmentAttributeResponseTunnelOptionsSpecification {
    let detail = tunnels::bgp_detail(cx, c, t);
    let mut bgp =
        ModifyVpnAttachmentAttributeResponseTunnelOptionsSpecificationTunnelBgpConfig::default();
    bgp.local_asn = detail.local_asn;
    bgp.local_bgp_ip = detail.local_bgp_ip;
    bgp.peer_asn = detail.peer_asn;
    bgp.peer_bgp_ip = detail.peer_bgp_ip;
    bgp.tunnel_cidr = detail.tunnel_cidr;
    let mut ike =
        ModifyVpnAttachmentAttributeResponseTunnelOptionsSpecificationTunnelIkeConfig::default();
    ike.psk = t.ike.psk.clone();
    ike.ike_version = t.ike.ike_version.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_mode = t.ike.ike_mode.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_enc_alg = t.ike.ike_enc_alg.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_auth_alg = t.ike.ike_auth_alg.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_pfs = t.ike.ike_pfs.as_ref().map(|v| v.as_str().to_owned());
    ike.ike_lifetime = t.ike.ike_lifetime;
    ike.local_id = t.ike.local_id.clone();
    ike.remote_id = t.ike.remote_id.clone();
    let mut ipsec =
        ModifyVpnAttachmentAttributeResponseTunnelOptionsSpecificationTunnelIpsecConfig::default();
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
    let mut v = ModifyVpnAttachmentAttributeResponseTunnelOptionsSpecification::default();
    v.tunnel_id = Some(t.id.clone());
    v.tunnel_index = Some(t.index);
    v.role = Some(t.role.as_str().to_owned());
    v.customer_gateway_id = Some(t.customer_gateway_id.clone());
    v.enable_dpd = Some(t.enable_dpd);
    v.enable_nat_traversal = Some(t.enable_nat_traversal);
    v.internet_ip = Some(t.internet_ip.clone());
    v.state = Some(tunnels::state(t).to_owned());
    v.tunnel_bgp_config = Some(bgp);
    v.tunnel_ike_config = Some(ike);
    v.tunnel_ipsec_config = Some(ipsec);
    v
}

pub fn modify_vpn_attachment_attribute(
    cx: &mut Cx<'_>,
    input: ModifyVpnAttachmentAttributeRequest,
) -> Result<ModifyVpnAttachmentAttributeOutput, ApiError> {
    let id = input.vpn_connection_id;
    let current = attachment(cx, &id)?;
    if current.busy_until.is_some() || current.tunnels.iter().any(|t| t.busy_until.is_some()) {
        return Err(ApiError::catalogue(ErrorCode::VpnConnectionConfiguring));
    }
    if let Some(network_type) = &input.network_type {
        check_network_type(network_type, Some(ErrorCode::IllegalParamNetworkType))?;
    }
    let dual = !current.tunnels.is_empty();
    if dual
        && (input.customer_gateway_id.is_some()
            || input.ike_config.is_some()
            || input.ipsec_config.is_some()
            || input.bgp_config.is_some())
    {
        // No documented code covers single-tunnel settings for a dual-tunnel attachment.
        return Err(ApiError::invalid_parameter(
            "CustomerGatewayId",
            "a dual-tunnel attachment takes these settings per tunnel in TunnelOptionsSpecification",
        ));
    }
    if !dual
        && (!input.tunnel_options_specification.is_empty() || input.enable_tunnels_bgp.is_some())
    {
        // No documented code covers tunnel settings for a single-tunnel attachment.
        return Err(ApiError::invalid_parameter(
            "TunnelOptionsSpecification",
            "the attachment is a single-tunnel connection",
        ));
    }
    if let Some(customer_gateway_id) = &input.customer_gateway_id {
        tunnels::known_customer_gateway(cx, customer_gateway_id, "CustomerGatewayId")?;
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
    let routes = super::connections::policy_route_count(&local, &remote);
    if routes > cx.quotas.policy_routes {
        return Err(ApiError::catalogue_with(
            ErrorCode::CreatePbrRoutesQuotaFullQuotaFull,
            format!(
                "The subnets expand to {routes} policy-based routes; at most {} are allowed.",
                cx.quotas.policy_routes
            ),
        ));
    }
    let enable_tunnels_bgp = input
        .enable_tunnels_bgp
        .unwrap_or(current.enable_tunnels_bgp);
    let mut new_tunnels = current.tunnels.clone();
    for update in input.tunnel_options_specification {
        let Some(tunnel) = new_tunnels.iter_mut().find(|t| {
            update.tunnel_id.as_deref() == Some(t.id.as_str())
                || (update.tunnel_id.is_none() && update.tunnel_index == Some(t.index))
        }) else {
            // No documented code for a tunnel the attachment does not have.
            return Err(ApiError::invalid_parameter(
                "TunnelOptionsSpecification.N.TunnelId",
                "the attachment has no such tunnel",
            ));
        };
        if let Some(customer_gateway_id) = update.customer_gateway_id {
            tunnels::known_customer_gateway(
                cx,
                &customer_gateway_id,
                "TunnelOptionsSpecification.N.CustomerGatewayId",
            )?;
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
    for tunnel in &mut new_tunnels {
        let customer_gateway_id = tunnel.customer_gateway_id.clone();
        tunnels::check_bgp(
            cx,
            &mut tunnel.bgp,
            &customer_gateway_id,
            enable_tunnels_bgp,
        )?;
    }
    tunnels::check_distinct_cidrs(&new_tunnels)?;
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
    if let Some(v) = input.customer_gateway_id {
        c.customer_gateway_id = v;
    }
    if let (Some(a), Some(v)) = (&mut c.attachment, input.network_type) {
        a.network_type = v;
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
        "attachment configuration changed; renegotiating".to_owned(),
        max_lines,
    );
    let c = c.clone();
    let mut out = ModifyVpnAttachmentAttributeOutput::default();
    out.vpn_connection_id = Some(c.id.clone());
    out.customer_gateway_id =
        (!c.customer_gateway_id.is_empty()).then(|| c.customer_gateway_id.clone());
    out.name = c.name.clone();
    out.local_subnet = Some(c.local_subnet.clone());
    out.remote_subnet = Some(c.remote_subnet.clone());
    out.create_time = Some(c.create_time);
    out.effect_immediately = Some(c.effect_immediately);
    out.status = Some("ike_sa_not_established".to_owned());
    out.enable_dpd = Some(c.enable_dpd);
    out.enable_nat_traversal = Some(c.enable_nat_traversal);
    out.attach_type = Some(ATTACH_TYPE.to_owned());
    out.network_type = c.attachment.as_ref().map(|a| a.network_type.clone());
    out.resource_group_id = c.resource_group_id.clone();
    out.enable_tunnels_bgp = Some(c.enable_tunnels_bgp);
    if c.tunnels.is_empty() {
        let mut ike = ModifyVpnAttachmentAttributeResponseIkeConfig::default();
        ike.psk = c.ike.psk.clone();
        ike.ike_version = c.ike.ike_version.as_ref().map(|v| v.as_str().to_owned());
        ike.ike_mode = c.ike.ike_mode.as_ref().map(|v| v.as_str().to_owned());
        ike.ike_enc_alg = c.ike.ike_enc_alg.as_ref().map(|v| v.as_str().to_owned());
        ike.ike_auth_alg = c.ike.ike_auth_alg.as_ref().map(|v| v.as_str().to_owned());
        ike.ike_pfs = c.ike.ike_pfs.as_ref().map(|v| v.as_str().to_owned());
        ike.ike_lifetime = c.ike.ike_lifetime;
        ike.local_id = c.ike.local_id.clone();
        ike.remote_id = c.ike.remote_id.clone();
        out.ike_config = Some(ike);
        let mut ipsec = ModifyVpnAttachmentAttributeResponseIpsecConfig::default();
        ipsec.ipsec_enc_alg = c
            .ipsec
            .ipsec_enc_alg
            .as_ref()
            .map(|v| v.as_str().to_owned());
        ipsec.ipsec_auth_alg = c
            .ipsec
            .ipsec_auth_alg
            .as_ref()
            .map(|v| v.as_str().to_owned());
        ipsec.ipsec_pfs = c.ipsec.ipsec_pfs.as_ref().map(|v| v.as_str().to_owned());
        ipsec.ipsec_lifetime = c.ipsec.ipsec_lifetime;
        out.ipsec_config = Some(ipsec);
    }
    out.vco_health_check = c.health_check.as_ref().map(|h| {
        let view = health_view(h);
        let mut v = ModifyVpnAttachmentAttributeResponseVcoHealthCheck::default();
        v.enable = view.enable.map(|e| e.as_str().to_owned());
        v.sip = view.sip;
        v.dip = view.dip;
        v.interval = view.interval;
        v.retry = view.retry;
        v
    });
    out.tunnel_options_specification = c.tunnels.iter().map(|t| tunnel_view(cx, &c, t)).collect();
    Ok(out)
}

pub fn describe_vpn_attachments(
    cx: &mut Cx<'_>,
    input: DescribeVpnAttachmentsRequest,
) -> Result<DescribeVpnAttachmentsOutput, ApiError> {
    let mut all: Vec<&Connection> = cx
        .region
        .connections
        .values()
        .filter(|c| c.attachment.is_some())
        .filter(|c| input.vpn_connection_id.as_ref().is_none_or(|v| *v == c.id))
        .filter(|_| {
            input
                .attach_type
                .as_deref()
                .is_none_or(|v| v.eq_ignore_ascii_case(ATTACH_TYPE))
        })
        .collect();
    all.sort_by_key(|c| std::cmp::Reverse(c.seq));
    let page = page(all, input.page_number, input.page_size);
    let mut out = DescribeVpnAttachmentsOutput::default();
    out.vpn_attachments = page
        .items
        .into_iter()
        .map(|c| {
            let mut v = DescribeVpnAttachmentsResponseVpnAttachments::default();
            v.instance_id = Some(c.id.clone());
            v.name = c.name.clone();
            v.description = c.attachment.as_ref().and_then(|a| a.description.clone());
            v.attach_type = Some(ATTACH_TYPE.to_owned());
            v.transit_router_id = c
                .attachment
                .as_ref()
                .and_then(|a| a.transit_router_id.clone());
            v.cross_account_authorized = Some(false);
            v.tags = tag_views!(cx, &c.id, DescribeVpnAttachmentsResponseVpnAttachmentsTags);
            v
        })
        .collect();
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}

pub fn delete_vpn_attachment(
    cx: &mut Cx<'_>,
    input: DeleteVpnAttachmentRequest,
) -> Result<DeleteVpnAttachmentOutput, ApiError> {
    let id = input.vpn_connection_id;
    let c = cx.connection(&id)?.clone();
    let Some(a) = &c.attachment else {
        return Err(ApiError::catalogue_with(
            ErrorCode::VcoStatusNotSupport,
            "The connection is bound to a VPN gateway; delete it with DeleteVpnConnection.",
        ));
    };
    if a.transit_router_id.is_some() {
        return Err(ApiError::catalogue_with(
            ErrorCode::VcoStatusNotSupport,
            "The connection is attached to a transit router; detach it first.",
        ));
    }
    if c.busy_until.is_some() || c.tunnels.iter().any(|t| t.busy_until.is_some()) {
        return Err(ApiError::catalogue(ErrorCode::VpnConnectionConfiguring));
    }
    cx.region.connections.remove(&id);
    cx.region.routes.retain(|r| r.next_hop != id);
    cx.region.tags.remove(&id);
    let mut out = DeleteVpnAttachmentOutput::default();
    out.success = Some(true);
    Ok(out)
}

pub fn describe_vpn_cross_account_authorizations(
    cx: &mut Cx<'_>,
    input: DescribeVpnCrossAccountAuthorizationsRequest,
) -> Result<DescribeVpnCrossAccountAuthorizationsOutput, ApiError> {
    // The operation documents no codes; an unknown connection gets the service's usual one.
    cx.connection(&input.vpn_connection_id)?;
    // The emulator serves one account, so no other account is ever authorized.
    let page = page(Vec::new(), input.page_number, input.page_size);
    let mut out = DescribeVpnCrossAccountAuthorizationsOutput::default();
    out.cross_account_authorizations = page.items;
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}
