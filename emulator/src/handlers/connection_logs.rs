//! What happened on IPsec-VPN connections: their negotiation logs by time window
//! (DescribeVpnConnectionLogs) and the diagnosis of connections or tunnels that are not up
//! (DiagnoseVpnConnections).

use crate::error::ApiError;
use crate::state::{page, Connection, Cx};
use vpn_gateway::operation::{
    describe_vpn_connection_logs::DescribeVpnConnectionLogsOutput,
    diagnose_vpn_connections::DiagnoseVpnConnectionsOutput,
};
use vpn_gateway::server::{DescribeVpnConnectionLogsRequest, DiagnoseVpnConnectionsRequest};
use vpn_gateway::types::DiagnoseVpnConnectionsResponseVpnConnections;
use vpn_gateway::ErrorCode;

/// The window read when the request gives no `From`, in minutes.
const DEFAULT_MINUTES: i64 = 10;

/// `2024-05-01 10:00:00` for a time in milliseconds since the epoch (UTC).
fn timestamp(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

pub fn describe_vpn_connection_logs(
    cx: &mut Cx<'_>,
    input: DescribeVpnConnectionLogsRequest,
) -> Result<DescribeVpnConnectionLogsOutput, ApiError> {
    let c = cx.connection(&input.vpn_connection_id)?.clone();
    if let Some(tunnel_id) = &input.tunnel_id {
        if !c.tunnels.iter().any(|t| t.id == *tunnel_id) {
            return Err(ApiError::catalogue_with(
                ErrorCode::QueryVpnConnectionLogNotFound,
                "The connection has no tunnel with the given TunnelId, so it has no logs for it.",
            ));
        }
    }
    let minutes = input
        .minute_period
        .map_or(DEFAULT_MINUTES, i64::from)
        .max(1);
    let to_s = input.to.map_or(cx.now_ms.div_euclid(1000), i64::from);
    let from_s = input
        .from
        .map_or(to_s.saturating_sub(minutes.saturating_mul(60)), i64::from);
    let (from_ms, to_ms) = (from_s.saturating_mul(1000), to_s.saturating_mul(1000) + 999);
    let lines: Vec<String> = c
        .logs
        .iter()
        .filter(|l| (from_ms..=to_ms).contains(&l.time_ms))
        .filter(|l| {
            input
                .tunnel_id
                .as_ref()
                .is_none_or(|t| l.tunnel_id.as_ref() == Some(t))
        })
        .map(|l| match &l.tunnel_id {
            Some(tunnel) => format!("{} {} [{tunnel}] {}", timestamp(l.time_ms), c.id, l.text),
            None => format!("{} {} {}", timestamp(l.time_ms), c.id, l.text),
        })
        .collect();
    let page = page(lines, input.page_number, input.page_size);
    let seen = i64::from(page.number).saturating_mul(i64::from(page.size));
    let mut out = DescribeVpnConnectionLogsOutput::default();
    out.is_completed = Some(seen >= i64::from(page.total));
    out.count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    out.data = page.items;
    Ok(out)
}

/// A diagnosis of one connection, or of one of its tunnels, that is not up.
fn diagnosis(
    cx: &Cx<'_>,
    c: &Connection,
    tunnel_id: Option<&str>,
    up: bool,
) -> Option<DiagnoseVpnConnectionsResponseVpnConnections> {
    let mut v = DiagnoseVpnConnectionsResponseVpnConnections::default();
    v.vpn_connection_id = Some(c.id.clone());
    v.tunnel_id = tunnel_id.map(str::to_owned);
    v.failed_time = Some(cx.now_ms);
    let health = c.health_check.as_ref().filter(|h| {
        h.enable.as_ref().is_some_and(|e| e.as_str() == "true")
            && h.dip
                .as_deref()
                .is_some_and(|dip| !super::lists_overlap(&format!("{dip}/32"), &c.remote_subnet))
    });
    if let Some(h) = health {
        // The probes go to an address the tunnel does not carry: they can never succeed.
        v.severity = Some("error".to_owned());
        v.failed_reason_code = Some("HealthCheckUnreachable".to_owned());
        v.failed_reason = Some(
            "The health-check destination is outside the remote subnets of the connection."
                .to_owned(),
        );
        v.mismatch_local_param = Some(format!("RemoteSubnet={}", c.remote_subnet));
        v.mismatch_remote_param = h.dip.as_ref().map(|d| format!("dip={d}"));
        return Some(v);
    }
    if up {
        return None;
    }
    v.severity = Some("warn".to_owned());
    v.failed_reason_code = Some("NegotiationInProgress".to_owned());
    v.failed_reason =
        Some("The security associations are being negotiated after a change.".to_owned());
    v.source_log = c.logs.back().map(|l| l.text.clone());
    Some(v)
}

/// An identifier the request names that the region does not have. The operation documents
/// only `InvalidParameter` for bad input.
fn unknown(parameter: &str) -> ApiError {
    ApiError::invalid_parameter(parameter, "no such resource in the region")
}

pub fn diagnose_vpn_connections(
    cx: &mut Cx<'_>,
    input: DiagnoseVpnConnectionsRequest,
) -> Result<DiagnoseVpnConnectionsOutput, ApiError> {
    if input.vpn_gateway_id.is_none() && input.vpn_connection_ids.is_empty() {
        return Err(ApiError::invalid_parameter(
            "VpnGatewayId",
            "name a VPN gateway or at least one IPsec-VPN connection",
        ));
    }
    if let Some(gateway_id) = &input.vpn_gateway_id {
        if !cx.region.gateways.contains_key(gateway_id) {
            return Err(unknown("VpnGatewayId"));
        }
    }
    if let Some(id) = input
        .vpn_connection_ids
        .iter()
        .find(|id| !cx.region.connections.contains_key(*id))
    {
        let _ = id;
        return Err(unknown("VpnConnectionIds"));
    }
    let mut selected: Vec<&Connection> = cx
        .region
        .connections
        .values()
        .filter(|c| {
            input
                .vpn_gateway_id
                .as_ref()
                .is_none_or(|g| *g == c.gateway_id)
        })
        .filter(|c| input.vpn_connection_ids.is_empty() || input.vpn_connection_ids.contains(&c.id))
        .collect();
    selected.sort_by_key(|c| c.seq);
    for tunnel_id in &input.tunnel_ids {
        if !selected
            .iter()
            .any(|c| c.tunnels.iter().any(|t| t.id == *tunnel_id))
        {
            return Err(unknown("TunnelIds"));
        }
    }
    let mut found = Vec::new();
    for c in selected {
        if c.tunnels.is_empty() {
            let up = c.busy_until.is_none()
                && c.bound_gateway()
                    .is_none_or(|g| cx.region.gateways.contains_key(g));
            found.extend(diagnosis(cx, c, None, up));
            continue;
        }
        for t in &c.tunnels {
            if !input.tunnel_ids.is_empty() && !input.tunnel_ids.contains(&t.id) {
                continue;
            }
            let up = super::tunnels::established(cx, c, t);
            found.extend(diagnosis(cx, c, Some(&t.id), up));
        }
    }
    let page = page(found, input.page_number, input.page_size);
    let mut out = DiagnoseVpnConnectionsOutput::default();
    out.vpn_connections = page.items;
    out.total_count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    Ok(out)
}
