//! What a region offers: the zones VPN gateways can be created in
//! (DescribeVpnGatewayAvailableZones, following [`crate::zones`]) and whether BGP dynamic
//! routing is available (CheckVpnBgpEnabled).

use crate::error::ApiError;
use crate::state::Cx;
use vpn_gateway::operation::{
    check_vpn_bgp_enabled::CheckVpnBgpEnabledOutput,
    describe_vpn_gateway_available_zones::DescribeVpnGatewayAvailableZonesOutput,
};
use vpn_gateway::server::{CheckVpnBgpEnabledRequest, DescribeVpnGatewayAvailableZonesRequest};
use vpn_gateway::types::DescribeVpnGatewayAvailableZonesResponseAvailableZoneIdList as Zone;

/// The bandwidth specifications a gateway (or an attachment) can have.
const SPECS: &[&str] = &["5M", "10M", "20M", "50M", "100M", "200M", "500M", "1000M"];

/// Every zone of the region offers every specification.
pub fn describe_vpn_gateway_available_zones(
    cx: &mut Cx<'_>,
    input: DescribeVpnGatewayAvailableZonesRequest,
) -> Result<DescribeVpnGatewayAvailableZonesOutput, ApiError> {
    if !SPECS.contains(&input.spec.as_str()) {
        return Err(ApiError::invalid_parameter(
            "Spec",
            "must be one of 5M, 10M, 20M, 50M, 100M, 200M, 500M and 1000M",
        ));
    }
    let chinese = input
        .accept_language
        .as_deref()
        .is_some_and(|l| l.eq_ignore_ascii_case("zh-CN"));
    let mut out = DescribeVpnGatewayAvailableZonesOutput::default();
    out.region_id = Some(cx.region_id.to_owned());
    out.available_zone_id_list = crate::zones::zones(cx.region_id)
        .into_iter()
        .map(|id| {
            let letter = id
                .rsplit('-')
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            let mut zone = Zone::default();
            zone.zone_name = Some(if chinese {
                format!("可用区 {letter}")
            } else {
                format!("Zone {letter}")
            });
            zone.zone_id = Some(id);
            zone
        })
        .collect();
    Ok(out)
}

/// BGP dynamic routing is available in every region the emulator serves.
pub fn check_vpn_bgp_enabled(
    _cx: &mut Cx<'_>,
    _input: CheckVpnBgpEnabledRequest,
) -> Result<CheckVpnBgpEnabledOutput, ApiError> {
    let mut out = CheckVpnBgpEnabledOutput::default();
    out.bgp_enabled = Some(true);
    Ok(out)
}
