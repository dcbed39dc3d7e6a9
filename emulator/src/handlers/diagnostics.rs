//! Gateway diagnoses: DiagnoseVpnGateway starts one for an IPsec-VPN connection, and
//! GetVpnGatewayDiagnoseResult reads it. A diagnosis takes the model's transition time: until
//! then it reports the share of its items done so far, and afterwards every item with its
//! finding, computed from the model when first read (quotas in use, overlapping routes, the
//! connection's settings). The emulator has no network, so connectivity items always find the
//! addresses reachable. A gateway runs one diagnosis at a time and keeps its latest
//! [`DIAGNOSES_KEPT`].

use crate::error::ApiError;
use crate::state::{Cx, Diagnosis, Finding};
use serde_json::json;
use std::net::Ipv4Addr;
use vpn_gateway::operation::{
    diagnose_vpn_gateway::DiagnoseVpnGatewayOutput,
    get_vpn_gateway_diagnose_result::GetVpnGatewayDiagnoseResultOutput,
};
use vpn_gateway::server::{DiagnoseVpnGatewayRequest, GetVpnGatewayDiagnoseResultRequest};
use vpn_gateway::types::GetVpnGatewayDiagnoseResultResponseDiagnoseResult as Item;
use vpn_gateway::types::VpnGatewayStatus;
use vpn_gateway::ErrorCode;

/// Diagnoses kept per gateway; starting one more forgets the oldest.
pub const DIAGNOSES_KEPT: usize = 10;

/// The items every diagnosis checks, in order; the private connectivity check is added when
/// the request gives addresses for it.
const ITEMS: &[&str] = &[
    "RouteEntryConflict",
    "VpnRouteQuota",
    "VpnIPsecQuota",
    "VpnPbrRouteQuota",
    "VcoConfigConsistency",
    "VcoUserInternetIpConnectivity",
];
const PRIVATE_CONNECTIVITY: &str = "VcoPrivateConnectivity";

/// Why a diagnosis failed: its connection was deleted before it finished.
const CONNECTION_DELETED: &str = "VpnConnectionDeleted";

fn item_names(d: &Diagnosis) -> Vec<&'static str> {
    let mut names = ITEMS.to_vec();
    if d.private_ips.is_some() {
        names.push(PRIVATE_CONNECTIVITY);
    }
    names
}

/// Whether `ip` lies in one of the comma-separated CIDR blocks of `blocks`.
fn within(ip: Ipv4Addr, blocks: &str) -> bool {
    blocks.split(',').any(|block| {
        super::parse_cidr(block).is_some_and(|(net, len)| {
            let mask = super::mask(len);
            u32::from(ip) & mask == net & mask
        })
    })
}

/// The addresses of the private connectivity check: a source on the VPC side (in the
/// connection's local subnets) and a destination on the data centre side (its remote subnets).
fn private_ips(
    info: &str,
    local_subnet: &str,
    remote_subnet: &str,
) -> Result<(String, String), ApiError> {
    let value: serde_json::Value = serde_json::from_str(info)
        .map_err(|_| ApiError::invalid_parameter("IPsecExtendInfo", "must be a JSON object"))?;
    let field = |name: &str| {
        value
            .get(name)
            .and_then(|v| v.as_str())
            .and_then(|v| v.parse::<Ipv4Addr>().ok())
    };
    let source = field("PrivateSourceIp")
        .filter(|ip| within(*ip, local_subnet))
        .ok_or_else(|| {
            ApiError::catalogue_with(
                ErrorCode::IllegalParamPrivateSourceIp,
                "The specified private source IP is invalid: it must be an IPv4 address in the connection's local subnets.",
            )
        })?;
    let destination = field("PrivateDestinationIp")
        .filter(|ip| within(*ip, remote_subnet))
        .ok_or_else(|| {
            ApiError::catalogue_with(
                ErrorCode::IllegalParamPrivateDestinationIp,
                "The specified private destination IP is invalid: it must be an IPv4 address in the connection's remote subnets.",
            )
        })?;
    Ok((source.to_string(), destination.to_string()))
}

pub fn diagnose_vpn_gateway(
    cx: &mut Cx<'_>,
    input: DiagnoseVpnGatewayRequest,
) -> Result<DiagnoseVpnGatewayOutput, ApiError> {
    if !input.resource_type.eq_ignore_ascii_case("IPsec") {
        return Err(ApiError::catalogue_with(
            ErrorCode::IllegalParamResourceType,
            "The specified resource type is invalid: only IPsec (an IPsec-VPN connection) can be diagnosed.",
        ));
    }
    let gateway_id = input.vpn_gateway_id;
    if cx.gateway(&gateway_id)?.status != VpnGatewayStatus::Active {
        return Err(ApiError::catalogue(ErrorCode::VpnGatewayConfiguring));
    }
    let connection = cx
        .region
        .connections
        .get(&input.resource_id)
        .filter(|c| c.gateway_id == gateway_id)
        .ok_or_else(|| ApiError::catalogue_as(ErrorCode::InvalidResourceIdNotFound, 404))?;
    let private_ips = input
        .i_psec_extend_info
        .as_deref()
        .filter(|info| !info.trim().is_empty())
        .map(|info| private_ips(info, &connection.local_subnet, &connection.remote_subnet))
        .transpose()?;
    let now = cx.now;
    if cx
        .region
        .diagnoses
        .values()
        .any(|d| d.gateway_id == gateway_id && d.outcome.is_none() && d.finishes > now)
    {
        return Err(ApiError::catalogue(
            ErrorCode::OperationFailedVpnGatewayDiagnosing,
        ));
    }
    let mut kept: Vec<(u64, String)> = cx
        .region
        .diagnoses
        .values()
        .filter(|d| d.gateway_id == gateway_id)
        .map(|d| (d.seq, d.id.clone()))
        .collect();
    kept.sort();
    let excess = (kept.len() + 1).saturating_sub(DIAGNOSES_KEPT);
    for (_, id) in kept.into_iter().take(excess) {
        cx.region.diagnoses.remove(&id);
    }
    let id = cx.new_id("vpndgn");
    let diagnosis = Diagnosis {
        id: id.clone(),
        seq: cx.region.next_seq(),
        gateway_id,
        resource_id: input.resource_id,
        resource_type: "IPsec".to_owned(),
        private_ips,
        begin_ms: cx.now_ms,
        started: cx.now,
        finishes: cx.transition_end(),
        outcome: None,
    };
    cx.region.diagnoses.insert(id.clone(), diagnosis);
    let mut out = DiagnoseVpnGatewayOutput::default();
    out.diagnose_id = Some(id);
    Ok(out)
}

/// The level of a quota item: `error` when full, `warning` from 80 % on.
fn quota_level(used: usize, quantity: usize) -> &'static str {
    if used >= quantity {
        "error"
    } else if used.saturating_mul(10) >= quantity.saturating_mul(8) {
        "warning"
    } else {
        "normal"
    }
}

fn quota_item(name: &str, quota_name: &str, used: usize, quantity: usize) -> Finding {
    (
        name.to_owned(),
        quota_level(used, quantity).to_owned(),
        json!({"quotaName": quota_name, "quantity": quantity, "used": used}).to_string(),
    )
}

/// The findings of a finished diagnosis, from the model as it is now.
fn findings(cx: &Cx<'_>, d: &Diagnosis) -> Result<Vec<Finding>, String> {
    let region = &*cx.region;
    let connection = region
        .connections
        .get(&d.resource_id)
        .filter(|c| c.gateway_id == d.gateway_id)
        .ok_or_else(|| CONNECTION_DELETED.to_owned())?;
    let routes: Vec<_> = region
        .routes
        .iter()
        .filter(|r| r.gateway_id == d.gateway_id)
        .collect();
    let mut conflicts = Vec::new();
    for (i, a) in routes.iter().enumerate() {
        for b in routes.iter().skip(i + 1) {
            if a.dest != b.dest && super::overlaps(&a.dest, &b.dest) {
                conflicts.push(json!({"routeDest": a.dest, "conflictRouteDest": b.dest}));
            }
        }
    }
    let pbr_routes = region
        .pbr_routes
        .iter()
        .filter(|r| r.gateway_id == d.gateway_id)
        .count();
    let connections = region
        .connections
        .values()
        .filter(|c| c.gateway_id == d.gateway_id)
        .count();
    let customer_ip = region
        .customer_gateways
        .get(&connection.customer_gateway_id)
        .map(|c| c.ip_address.clone())
        .unwrap_or_default();
    let ike = &connection.ike;
    let ipsec = &connection.ipsec;
    let local_conf = json!({
        "IkeVersion": ike.ike_version.as_ref().map(|v| v.as_str().to_owned()),
        "IkeMode": ike.ike_mode.as_ref().map(|v| v.as_str().to_owned()),
        "IkeEncAlg": ike.ike_enc_alg.as_ref().map(|v| v.as_str().to_owned()),
        "IkeAuthAlg": ike.ike_auth_alg.as_ref().map(|v| v.as_str().to_owned()),
        "IkePfs": ike.ike_pfs.as_ref().map(|v| v.as_str().to_owned()),
        "IkeLifetime": ike.ike_lifetime,
        "IpsecEncAlg": ipsec.ipsec_enc_alg.as_ref().map(|v| v.as_str().to_owned()),
        "IpsecAuthAlg": ipsec.ipsec_auth_alg.as_ref().map(|v| v.as_str().to_owned()),
        "IpsecPfs": ipsec.ipsec_pfs.as_ref().map(|v| v.as_str().to_owned()),
        "IpsecLifetime": ipsec.ipsec_lifetime,
        "LocalSubnet": connection.local_subnet,
        "RemoteSubnet": connection.remote_subnet,
    });
    let mut out = vec![
        (
            "RouteEntryConflict".to_owned(),
            if conflicts.is_empty() { "normal" } else { "warning" }.to_owned(),
            serde_json::Value::Array(conflicts).to_string(),
        ),
        quota_item(
            "VpnRouteQuota",
            "vpn_quota_route_entries_num",
            routes.len(),
            cx.quotas.route_entries,
        ),
        quota_item(
            "VpnIPsecQuota",
            "vpn_quota_vco_num",
            connections,
            cx.quotas.vpn_connections_per_gateway,
        ),
        quota_item(
            "VpnPbrRouteQuota",
            "vpn_quota_pbr_route_entries_num",
            pbr_routes,
            cx.quotas.policy_routes,
        ),
        (
            "VcoConfigConsistency".to_owned(),
            "normal".to_owned(),
            json!({"vcoConf": local_conf, "vcoRunningConf": local_conf, "vcoDiffConf": {}, "vcoLackConf": {}})
                .to_string(),
        ),
        (
            "VcoUserInternetIpConnectivity".to_owned(),
            "normal".to_owned(),
            json!({"targetIp": customer_ip, "rtt": 1.0, "lossRate": 0.0}).to_string(),
        ),
    ];
    if let Some((source, destination)) = &d.private_ips {
        out.push((
            PRIVATE_CONNECTIVITY.to_owned(),
            "normal".to_owned(),
            json!({"srcIp": source, "targetIp": destination, "rtt": 1.0, "lossRate": 0.0})
                .to_string(),
        ));
    }
    Ok(out)
}

/// Settles the diagnosis `id`: a finished one gets its findings, and one whose connection is
/// gone fails.
fn settle(cx: &mut Cx<'_>, id: &str) {
    let Some(d) = cx.region.diagnoses.get(id) else {
        return;
    };
    if d.outcome.is_some() {
        return;
    }
    let connection_gone = !cx.region.connections.contains_key(&d.resource_id);
    if !connection_gone && d.finishes > cx.now {
        return;
    }
    let outcome = findings(cx, d);
    if let Some(d) = cx.region.diagnoses.get_mut(id) {
        d.outcome = Some(outcome);
    }
}

pub fn get_vpn_gateway_diagnose_result(
    cx: &mut Cx<'_>,
    input: GetVpnGatewayDiagnoseResultRequest,
) -> Result<GetVpnGatewayDiagnoseResultOutput, ApiError> {
    let diagnose_id = input.diagnose_id.filter(|v| !v.is_empty());
    let gateway_id = input.vpn_gateway_id.filter(|v| !v.is_empty());
    let id = match (diagnose_id, gateway_id) {
        (None, None) => {
            return Err(ApiError::catalogue(ErrorCode::MissingParamDiagnoseInfo));
        }
        (Some(id), gateway_id) => {
            let matches = cx
                .region
                .diagnoses
                .get(&id)
                .is_some_and(|d| gateway_id.as_ref().is_none_or(|g| *g == d.gateway_id));
            if !matches {
                return Err(ApiError::catalogue_with(
                    ErrorCode::InvalidDiagnoseIdNotFound,
                    "The specified diagnose ID does not exist.",
                ));
            }
            id
        }
        (None, Some(gateway_id)) => {
            cx.gateway(&gateway_id)?;
            cx.region
                .diagnoses
                .values()
                .filter(|d| d.gateway_id == gateway_id)
                .max_by_key(|d| d.seq)
                .map(|d| d.id.clone())
                .ok_or_else(|| {
                    ApiError::catalogue_with(
                        ErrorCode::InvalidVpnGatewayIdNotFound,
                        "The specified VPN gateway does not have any diagnoses.",
                    )
                })?
        }
    };
    settle(cx, &id);
    let d = cx
        .region
        .diagnoses
        .get(&id)
        .ok_or_else(|| ApiError::catalogue(ErrorCode::InvalidDiagnoseIdNotFound))?;
    let names = item_names(d);
    let total = names.len();
    let mut out = GetVpnGatewayDiagnoseResultOutput::default();
    out.diagnose_id = Some(d.id.clone());
    out.vpn_gateway_id = Some(d.gateway_id.clone());
    out.resource_instance_id = Some(d.resource_id.clone());
    out.resource_type = Some(d.resource_type.clone());
    out.begin_time = Some(super::iso_time(d.begin_ms));
    out.total_count = Some(i32::try_from(total).unwrap_or(i32::MAX));
    match &d.outcome {
        Some(Err(_)) => {
            return Err(ApiError::catalogue(
                ErrorCode::IncorrectStatusVpnConnectionDeleted,
            ))
        }
        Some(Ok(findings)) => {
            let duration = d.finishes.saturating_duration_since(d.started);
            let finish_ms = d
                .begin_ms
                .saturating_add(i64::try_from(duration.as_millis()).unwrap_or(i64::MAX));
            out.finish_time = Some(super::iso_time(finish_ms));
            out.finished_count = Some(i32::try_from(findings.len()).unwrap_or(i32::MAX));
            out.diagnose_result = findings
                .iter()
                .map(|(name, level, description)| {
                    let mut item = Item::default();
                    item.diagnose_name = Some(name.clone());
                    item.diagnose_result_level = Some(level.clone());
                    item.diagnose_result_description = Some(description.clone());
                    item
                })
                .collect();
        }
        None => {
            // Items finish one after another over the diagnosis' duration.
            let duration = d
                .finishes
                .saturating_duration_since(d.started)
                .as_secs_f64();
            let elapsed = cx.now.saturating_duration_since(d.started).as_secs_f64();
            let share = if duration > 0.0 {
                (elapsed / duration).clamp(0.0, 1.0)
            } else {
                1.0
            };
            let done = ((total as f64) * share).floor() as usize;
            out.finished_count =
                Some(i32::try_from(done.min(total.saturating_sub(1))).unwrap_or(0));
        }
    }
    Ok(out)
}
