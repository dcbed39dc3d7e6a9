//! VPN gateways: create, describe, list, modify, delete.

use super::tags::tag_views;
use super::tags::{check_tag_filters, has_tags};
use crate::error::ApiError;
use crate::state::{page, Cx, Gateway};
use crate::zones;
use vpn_gateway::operation::{
    create_vpn_gateway::CreateVpnGatewayOutput, delete_vpn_gateway::DeleteVpnGatewayOutput,
    describe_vpn_gateway::DescribeVpnGatewayOutput,
    describe_vpn_gateways::DescribeVpnGatewaysOutput,
    modify_vpn_gateway_attribute::ModifyVpnGatewayAttributeOutput,
};
use vpn_gateway::server::{
    CreateVpnGatewayRequest, DeleteVpnGatewayRequest, DescribeVpnGatewayRequest,
    DescribeVpnGatewaysRequest, ModifyVpnGatewayAttributeRequest,
};
use vpn_gateway::types::{
    VpnGateway, VpnGatewayBusinessStatus, VpnGatewayFeatureState, VpnGatewayInstanceChargeType,
    VpnGatewayStatus, VpnGatewayTags,
};
use vpn_gateway::ErrorCode;

const MONTH_MS: i64 = 30 * 24 * 3600 * 1000;

fn feature(enabled: bool) -> VpnGatewayFeatureState {
    if enabled {
        VpnGatewayFeatureState::Enable
    } else {
        VpnGatewayFeatureState::Disable
    }
}

fn charge_type(g: &Gateway) -> String {
    if g.prepaid { "PrePay" } else { "PostPay" }.to_owned()
}

fn view(g: &Gateway) -> VpnGateway {
    let mut v = VpnGateway::default();
    v.vpn_gateway_id = Some(g.id.clone());
    v.vpc_id = Some(g.vpc_id.clone());
    v.v_switch_id = g.v_switch_id.clone();
    v.internet_ip = Some(g.internet_ip.clone());
    v.create_time = Some(g.create_time);
    v.end_time = g.end_time;
    v.spec = Some(format!("{}M", g.bandwidth));
    v.name = g.name.clone();
    v.description = g.description.clone();
    v.status = Some(g.status.clone());
    v.business_status = Some(g.business_status.clone());
    v.charge_type = Some(charge_type(g));
    v.ipsec_vpn = Some(feature(g.ipsec));
    v.ssl_vpn = Some(feature(g.ssl));
    v.ssl_max_connections = Some(g.ssl_max_connections);
    v.network_type = Some(g.network_type.clone());
    v.disaster_recovery_v_switch_id = g.disaster_recovery_v_switch_id.clone();
    v.disaster_recovery_internet_ip = g.disaster_recovery_internet_ip.clone();
    v.enable_bgp = Some(g.enable_bgp);
    v.auto_propagate = Some(g.auto_propagate);
    v.resource_group_id = g.resource_group_id.clone();
    v.vpn_type = Some(vpn_type(g).to_owned());
    v
}

/// The gateway's `VpnType`.
fn vpn_type(g: &Gateway) -> &'static str {
    if g.national_standard {
        NATIONAL_STANDARD
    } else {
        "Normal"
    }
}

/// The `VpnType` of an SM-standard gateway. The metadata lists only `Normal`; the emulator
/// also accepts this value so that gateways taking SM certificates can be created.
const NATIONAL_STANDARD: &str = "NationalStandard";

fn check_network_id(parameter: &str, value: &str, prefix: &str) -> Result<(), ApiError> {
    let rest = value.strip_prefix(prefix).unwrap_or_default();
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '*') {
        return Err(ApiError::invalid_parameter(
            parameter,
            &format!("must be an ID that starts with `{prefix}`"),
        ));
    }
    Ok(())
}

/// The vSwitches of a new gateway: none or one for a single-tunnel gateway; two, different and
/// in different zones, for a dual-tunnel one (`DisasterRecoveryVSwitchId` set).
fn check_vswitches(
    region_id: &str,
    first: Option<&str>,
    second: Option<&str>,
) -> Result<(), ApiError> {
    if let Some(first) = first {
        check_network_id("VSwitchId", first, "vsw-")?;
    }
    let Some(second) = second else {
        return Ok(());
    };
    check_network_id("DisasterRecoveryVSwitchId", second, "vsw-")?;
    let Some(first) = first else {
        return Err(ApiError::new(
            400,
            "MissingParameter",
            "The input parameter \"VSwitchId\" that is mandatory for processing this request is not supplied: a dual-tunnel gateway needs two vSwitches.",
        ));
    };
    if first == second {
        return Err(ApiError::catalogue(
            ErrorCode::InvalidVSwitchIdVswitchIdShouldDifferent,
        ));
    }
    if zones::vswitch_zone(region_id, first) == zones::vswitch_zone(region_id, second) {
        return Err(ApiError::catalogue(
            ErrorCode::InvalidVSwitchIdZoneIdShouldDifferent,
        ));
    }
    Ok(())
}

pub fn create_vpn_gateway(
    cx: &mut Cx<'_>,
    input: CreateVpnGatewayRequest,
) -> Result<CreateVpnGatewayOutput, ApiError> {
    let vpc_id = input.vpc_id;
    check_network_id("VpcId", &vpc_id, "vpc-")?;
    check_vswitches(
        cx.region_id,
        input.v_switch_id.as_deref(),
        input.disaster_recovery_v_switch_id.as_deref(),
    )?;
    let network_type = input.network_type.unwrap_or_else(|| "public".to_owned());
    if !matches!(network_type.as_str(), "public" | "private") {
        return Err(ApiError::invalid_parameter(
            "NetworkType",
            "must be `public` or `private`",
        ));
    }
    let ipsec = input.enable_ipsec.unwrap_or(true);
    let ssl = input.enable_ssl.unwrap_or(false);
    if !ipsec && !ssl {
        return Err(ApiError::catalogue(ErrorCode::InvalidVpnEnable));
    }
    if ssl && network_type == "private" {
        return Err(ApiError::catalogue(ErrorCode::OperationFailedSslNotSupport));
    }
    if !ssl && input.ssl_connections.is_some() {
        return Err(ApiError::catalogue(ErrorCode::UnnecessarySslConnection));
    }
    let bandwidth = input.bandwidth.as_i64();
    if cx.region.gateways.len() >= cx.quotas.vpn_gateways {
        return Err(ApiError::catalogue_with(
            ErrorCode::ResourceQuotaFull,
            format!(
                "The quota of resource is full: at most {} VPN gateways per region.",
                cx.quotas.vpn_gateways
            ),
        ));
    }
    let prepaid = input.instance_charge_type == Some(VpnGatewayInstanceChargeType::Prepay);
    let end_time = input.period.filter(|_| prepaid).map(|p| {
        cx.now_ms
            .saturating_add(p.as_i64().saturating_mul(MONTH_MS))
    });
    let id = cx.new_id("vpn");
    let seq = cx.region.next_seq();
    let intranet_ip = format!("172.16.{}.{}", seq % 250, 1 + seq / 250 % 250);
    // A private gateway is reached at its private addresses; a public one at public IPs.
    let address = |n: u64| {
        if network_type == "private" {
            format!("172.17.{}.{}", seq % 250, n)
        } else {
            super::public_ip(cx.ids.next_u64())
        }
    };
    let internet_ip = address(1);
    let dual_tunnel = input.disaster_recovery_v_switch_id.is_some();
    let disaster_recovery_internet_ip = dual_tunnel.then(|| address(2));
    let gateway = Gateway {
        id: id.clone(),
        seq,
        vpc_id,
        v_switch_id: input.v_switch_id,
        disaster_recovery_v_switch_id: input.disaster_recovery_v_switch_id,
        disaster_recovery_internet_ip,
        network_type,
        name: input.name.clone(),
        description: None,
        bandwidth,
        internet_ip,
        intranet_ip,
        create_time: cx.now_ms,
        end_time,
        prepaid,
        status: VpnGatewayStatus::Init,
        busy_until: Some(cx.transition_end()),
        business_status: VpnGatewayBusinessStatus::Normal,
        ipsec,
        ssl,
        ssl_max_connections: if ssl {
            input.ssl_connections.map_or(5, |c| c.as_i64())
        } else {
            0
        },
        auto_propagate: false,
        enable_bgp: false,
        resource_group_id: input.resource_group_id,
        national_standard: input.vpn_type.as_deref() == Some(NATIONAL_STANDARD),
    };
    cx.region.gateways.insert(id.clone(), gateway);
    let mut out = CreateVpnGatewayOutput::default();
    out.vpn_gateway_id = id;
    out.name = input.name;
    out.order_id = Some(
        i64::try_from(cx.ids.next_u64() % 90_000_000_000_000).unwrap_or_default()
            + 10_000_000_000_000,
    );
    Ok(out)
}

pub fn describe_vpn_gateway(
    cx: &mut Cx<'_>,
    input: DescribeVpnGatewayRequest,
) -> Result<DescribeVpnGatewayOutput, ApiError> {
    let id = input.vpn_gateway_id;
    let g = view(cx.gateway(&id)?);
    let mut out = DescribeVpnGatewayOutput::default();
    out.vpn_gateway_id = g.vpn_gateway_id;
    out.vpc_id = g.vpc_id;
    out.v_switch_id = g.v_switch_id;
    out.internet_ip = g.internet_ip;
    out.create_time = g.create_time;
    out.end_time = g.end_time;
    out.spec = g.spec;
    out.name = g.name;
    out.description = g.description;
    out.status = g.status;
    out.business_status = g.business_status;
    out.charge_type = g.charge_type;
    out.ipsec_vpn = g.ipsec_vpn;
    out.ssl_vpn = g.ssl_vpn;
    out.ssl_max_connections = g.ssl_max_connections;
    out.network_type = g.network_type;
    out.disaster_recovery_v_switch_id = g.disaster_recovery_v_switch_id;
    out.disaster_recovery_internet_ip = g.disaster_recovery_internet_ip;
    out.enable_bgp = g.enable_bgp;
    out.auto_propagate = g.auto_propagate;
    out.resource_group_id = g.resource_group_id;
    out.vpn_type = g.vpn_type;
    Ok(out)
}

pub fn describe_vpn_gateways(
    cx: &mut Cx<'_>,
    input: DescribeVpnGatewaysRequest,
) -> Result<DescribeVpnGatewaysOutput, ApiError> {
    let wanted = check_tag_filters(
        input
            .tag
            .iter()
            .map(|t| (t.key.as_deref(), t.value.as_deref())),
    )?;
    let mut gateways: Vec<&Gateway> = cx
        .region
        .gateways
        .values()
        .filter(|g| input.vpc_id.as_ref().is_none_or(|v| *v == g.vpc_id))
        .filter(|g| input.vpn_gateway_id.as_ref().is_none_or(|v| *v == g.id))
        .filter(|g| input.status.as_ref().is_none_or(|s| *s == g.status))
        .filter(|g| {
            input
                .business_status
                .as_ref()
                .is_none_or(|s| *s == g.business_status)
        })
        .filter(|g| {
            input.resource_group_id.is_none() || input.resource_group_id == g.resource_group_id
        })
        .filter(|g| has_tags(cx, &g.id, &wanted))
        .collect();
    gateways.sort_by_key(|g| std::cmp::Reverse(g.seq));
    let page = page(gateways, input.page_number, input.page_size);
    let mut out = DescribeVpnGatewaysOutput::default();
    out.vpn_gateways = page
        .items
        .into_iter()
        .map(|g| {
            let mut v = view(g);
            v.tags = tag_views!(cx, &g.id, VpnGatewayTags);
            v
        })
        .collect();
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}

pub fn modify_vpn_gateway_attribute(
    cx: &mut Cx<'_>,
    input: ModifyVpnGatewayAttributeRequest,
) -> Result<ModifyVpnGatewayAttributeOutput, ApiError> {
    let id = input.vpn_gateway_id;
    let g = cx.gateway(&id)?;
    if let Some(name) = input.name {
        g.name = Some(name);
    }
    if let Some(description) = input.description {
        g.description = Some(description);
    }
    if let Some(auto_propagate) = input.auto_propagate {
        g.auto_propagate = auto_propagate;
    }
    let mut out = ModifyVpnGatewayAttributeOutput::default();
    out.vpn_gateway_id = Some(g.id.clone());
    out.vpc_id = Some(g.vpc_id.clone());
    out.v_switch_id = g.v_switch_id.clone();
    out.internet_ip = Some(g.internet_ip.clone());
    out.intranet_ip = Some(g.intranet_ip.clone());
    out.create_time = Some(g.create_time);
    out.end_time = g.end_time;
    out.spec = Some(format!("{}M", g.bandwidth));
    out.name = g.name.clone();
    out.description = g.description.clone();
    out.status = Some(g.status.clone());
    out.business_status = Some(g.business_status.clone());
    out.auto_propagate = Some(g.auto_propagate);
    out.enable_bgp = Some(g.enable_bgp);
    Ok(out)
}

pub fn delete_vpn_gateway(
    cx: &mut Cx<'_>,
    input: DeleteVpnGatewayRequest,
) -> Result<DeleteVpnGatewayOutput, ApiError> {
    let id = input.vpn_gateway_id;
    let now_ms = cx.now_ms;
    let g = cx.gateway(&id)?;
    if g.prepaid && g.end_time.is_some_and(|end| end > now_ms) {
        return Err(ApiError::catalogue(ErrorCode::ForbiddenRelease));
    }
    if g.status != VpnGatewayStatus::Active {
        return Err(ApiError::catalogue(ErrorCode::VpnGatewayConfiguring));
    }
    let region = &mut *cx.region;
    region.gateways.remove(&id);
    let connections: Vec<String> = region
        .connections
        .values()
        .filter(|c| c.gateway_id == id)
        .map(|c| c.id.clone())
        .collect();
    for connection in &connections {
        region.connections.remove(connection);
        region.tags.remove(connection);
    }
    region.routes.retain(|r| r.gateway_id != id);
    region.pbr_routes.retain(|r| r.gateway_id != id);
    let servers: Vec<String> = region
        .ssl_servers
        .values()
        .filter(|s| s.gateway_id == id)
        .map(|s| s.id.clone())
        .collect();
    region.ssl_servers.retain(|_, s| s.gateway_id != id);
    region
        .client_certs
        .retain(|_, c| !servers.contains(&c.server_id));
    region.tags.remove(&id);
    region.forget_gateway_extras(&id);
    Ok(DeleteVpnGatewayOutput::default())
}
