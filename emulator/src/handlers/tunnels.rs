//! The tunnels of dual-tunnel IPsec-VPN connections: building them from a request, their BGP
//! checks and views, and ModifyTunnelAttribute.

use super::parse_cidr;
use crate::error::ApiError;
use crate::state::{Connection, Cx, Tunnel};
use vpn_gateway::operation::modify_tunnel_attribute::ModifyTunnelAttributeOutput;
use vpn_gateway::server::ModifyTunnelAttributeRequest;
use vpn_gateway::types::{
    AttachmentTunnelOptions, IkeMode, IkeVersion, IpsecAuthenticationAlgorithm, IpsecDhGroup,
    IpsecEncryptionAlgorithm, TunnelBgpConfig, TunnelBgpDetail, TunnelDetail, TunnelIkeConfig,
    TunnelIpsecConfig, TunnelOptions, TunnelRole, VpnConnectionStatus,
};
use vpn_gateway::ErrorCode;

/// The autonomous system number of the cloud side when a request gives none.
const DEFAULT_LOCAL_ASN: i64 = 45104;

/// One tunnel as a request describes it, whichever operation it comes from.
#[derive(Debug, Default)]
pub(crate) struct TunnelSpec {
    pub customer_gateway_id: Option<String>,
    pub role: Option<TunnelRole>,
    pub index: Option<i32>,
    pub ike: Option<TunnelIkeConfig>,
    pub ipsec: Option<TunnelIpsecConfig>,
    pub bgp: Option<TunnelBgpConfig>,
    pub enable_dpd: Option<bool>,
    pub enable_nat_traversal: Option<bool>,
}

impl From<TunnelOptions> for TunnelSpec {
    fn from(t: TunnelOptions) -> Self {
        TunnelSpec {
            customer_gateway_id: t.customer_gateway_id,
            role: t.role,
            index: None,
            ike: t.tunnel_ike_config,
            ipsec: t.tunnel_ipsec_config,
            bgp: t.tunnel_bgp_config,
            enable_dpd: t.enable_dpd,
            enable_nat_traversal: t.enable_nat_traversal,
        }
    }
}

impl From<AttachmentTunnelOptions> for TunnelSpec {
    fn from(t: AttachmentTunnelOptions) -> Self {
        TunnelSpec {
            customer_gateway_id: t.customer_gateway_id,
            role: None,
            index: t.tunnel_index,
            ike: t.tunnel_ike_config,
            ipsec: t.tunnel_ipsec_config,
            bgp: t.tunnel_bgp_config,
            enable_dpd: t.enable_dpd,
            enable_nat_traversal: t.enable_nat_traversal,
        }
    }
}

/// Where a new tunnel terminates: its zone and public IP.
pub(crate) struct Endpoint {
    pub zone_no: String,
    pub internet_ip: String,
}

/// The error for a dual-tunnel request whose tunnels are incomplete.
pub(crate) fn missing_tunnels(why: &str) -> ApiError {
    ApiError::catalogue_with(
        ErrorCode::MissingParameterTunnelOptionsSpecification,
        format!("The tunnels of a dual-tunnel connection are incomplete: {why}."),
    )
}

/// Phase 1 defaults of a new tunnel, with a generated pre-shared key.
fn default_ike(psk: String) -> TunnelIkeConfig {
    let mut ike = TunnelIkeConfig::default();
    ike.psk = Some(psk);
    ike.ike_version = Some(IkeVersion::Ikev2);
    ike.ike_mode = Some(IkeMode::Main);
    ike.ike_enc_alg = Some(IpsecEncryptionAlgorithm::Aes);
    ike.ike_auth_alg = Some(IpsecAuthenticationAlgorithm::Sha1);
    ike.ike_pfs = Some(IpsecDhGroup::Group2);
    ike.ike_lifetime = Some(86400);
    ike
}

fn default_ipsec() -> TunnelIpsecConfig {
    let mut ipsec = TunnelIpsecConfig::default();
    ipsec.ipsec_enc_alg = Some(IpsecEncryptionAlgorithm::Aes);
    ipsec.ipsec_auth_alg = Some(IpsecAuthenticationAlgorithm::Sha1);
    ipsec.ipsec_pfs = Some(IpsecDhGroup::Group2);
    ipsec.ipsec_lifetime = Some(86400);
    ipsec
}

/// Sets the fields `with` gives, keeps the others.
pub(crate) fn merge_ike(ike: &mut TunnelIkeConfig, with: TunnelIkeConfig) {
    macro_rules! take {
        ($($f:ident),*) => {$(if with.$f.is_some() { ike.$f = with.$f; })*};
    }
    take!(
        psk,
        ike_version,
        ike_mode,
        ike_enc_alg,
        ike_auth_alg,
        ike_pfs,
        ike_lifetime,
        local_id,
        remote_id
    );
}

/// Sets the fields `with` gives, keeps the others.
pub(crate) fn merge_ipsec(ipsec: &mut TunnelIpsecConfig, with: TunnelIpsecConfig) {
    macro_rules! take {
        ($($f:ident),*) => {$(if with.$f.is_some() { ipsec.$f = with.$f; })*};
    }
    take!(ipsec_enc_alg, ipsec_auth_alg, ipsec_pfs, ipsec_lifetime);
}

/// Sets the fields `with` gives, keeps the others.
pub(crate) fn merge_bgp(bgp: &mut TunnelBgpConfig, with: TunnelBgpConfig) {
    macro_rules! take {
        ($($f:ident),*) => {$(if with.$f.is_some() { bgp.$f = with.$f; })*};
    }
    take!(local_asn, local_bgp_ip, tunnel_cidr);
}

/// The two usable addresses of a /30 block: (first, second).
fn usable_pair(cidr: &str) -> Option<(std::net::Ipv4Addr, std::net::Ipv4Addr)> {
    let (network, len) = parse_cidr(cidr)?;
    (len == 30).then(|| {
        (
            std::net::Ipv4Addr::from(network.wrapping_add(1)),
            std::net::Ipv4Addr::from(network.wrapping_add(2)),
        )
    })
}

/// Checks a tunnel's BGP settings. With `enabled`, the tunnel needs a tunnel CIDR block and
/// its customer gateway an ASN; the values given are checked either way. Fills in the
/// defaults (local ASN, the first address of the block).
pub(crate) fn check_bgp(
    cx: &Cx<'_>,
    bgp: &mut TunnelBgpConfig,
    customer_gateway_id: &str,
    enabled: bool,
) -> Result<(), ApiError> {
    if let Some(asn) = bgp.local_asn {
        if !(1..=4_294_967_295).contains(&asn) {
            return Err(ApiError::catalogue_with(
                ErrorCode::IllegalParamLocalAsn,
                "The LocalAsn of a tunnel must be between 1 and 4294967295.",
            ));
        }
    }
    if let Some(cidr) = &bgp.tunnel_cidr {
        let (network, len) = parse_cidr(cidr).ok_or_else(|| {
            ApiError::catalogue_with(
                ErrorCode::InvalidTunnelCidrMalformed,
                "The TunnelCidr of a tunnel must be an IPv4 CIDR block.",
            )
        })?;
        let link_local = network & 0xFFFF_0000 == 0xA9FE_0000;
        if len != 30 || !link_local || network & 0b11 != 0 {
            return Err(ApiError::catalogue_with(
                ErrorCode::IllegalParamTunnelCidr,
                "The TunnelCidr of a tunnel must be a /30 block inside 169.254.0.0/16.",
            ));
        }
    }
    if let Some(ip) = &bgp.local_bgp_ip {
        let ip: std::net::Ipv4Addr = ip.parse().map_err(|_| {
            ApiError::catalogue_with(
                ErrorCode::InvalidLocalBgpIpMalformed,
                "The LocalBgpIp of a tunnel must be an IPv4 address.",
            )
        })?;
        let inside = bgp
            .tunnel_cidr
            .as_deref()
            .and_then(usable_pair)
            .is_some_and(|(a, b)| ip == a || ip == b);
        if !inside {
            return Err(ApiError::catalogue_with(
                ErrorCode::IllegalParamLocalBgpIp,
                "The LocalBgpIp of a tunnel must be a usable address of its TunnelCidr.",
            ));
        }
    }
    if !enabled {
        return Ok(());
    }
    let Some(cidr) = bgp.tunnel_cidr.clone() else {
        return Err(ApiError::catalogue(ErrorCode::MissingParameterTunnelCidr));
    };
    let has_asn = cx
        .region
        .customer_gateways
        .get(customer_gateway_id)
        .is_some_and(|g| g.asn.is_some());
    if !has_asn {
        return Err(ApiError::catalogue(
            ErrorCode::MissingParamCustomerGatewayAsn,
        ));
    }
    bgp.local_asn.get_or_insert(DEFAULT_LOCAL_ASN);
    if bgp.local_bgp_ip.is_none() {
        bgp.local_bgp_ip = usable_pair(&cidr).map(|(first, _)| first.to_string());
    }
    Ok(())
}

/// The customer gateway's address must differ from the address the tunnel terminates at.
pub(crate) fn check_customer_gateway(
    cx: &Cx<'_>,
    customer_gateway_id: &str,
    local_ip: &str,
) -> Result<(), ApiError> {
    let gateway = cx
        .region
        .customer_gateways
        .get(customer_gateway_id)
        .ok_or_else(ApiError::customer_gateway_not_found)?;
    if gateway.ip_address == local_ip {
        return Err(ApiError::catalogue(ErrorCode::CustomerGatewayConflictVpnIp));
    }
    Ok(())
}

/// The two tunnels of a new dual-tunnel connection, master first. `endpoints` gives where the
/// master and the slave terminate.
pub(crate) fn build(
    cx: &Cx<'_>,
    specs: Vec<TunnelSpec>,
    endpoints: [Endpoint; 2],
    enable_bgp: bool,
) -> Result<Vec<Tunnel>, ApiError> {
    if specs.len() != 2 {
        return Err(missing_tunnels(
            "give exactly two tunnels, a master and a slave",
        ));
    }
    let roles: Vec<Option<TunnelRole>> = specs.iter().map(|s| s.role.clone()).collect();
    let roles = match roles.as_slice() {
        [None, None] => [TunnelRole::Master, TunnelRole::Slave],
        [Some(TunnelRole::Master), None | Some(TunnelRole::Slave)]
        | [None, Some(TunnelRole::Slave)] => [TunnelRole::Master, TunnelRole::Slave],
        [Some(TunnelRole::Slave), None | Some(TunnelRole::Master)]
        | [None, Some(TunnelRole::Master)] => [TunnelRole::Slave, TunnelRole::Master],
        _ => {
            return Err(missing_tunnels(
                "one tunnel must be the master and the other the slave",
            ))
        }
    };
    let mut tunnels = Vec::with_capacity(2);
    let mut endpoints = endpoints.into_iter();
    let [first, second] = roles;
    for (position, (mut spec, role)) in specs.into_iter().zip([first, second]).enumerate() {
        let customer_gateway_id = spec
            .customer_gateway_id
            .take()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| missing_tunnels("every tunnel needs a CustomerGatewayId"))?;
        let index = i32::try_from(position + 1).unwrap_or(1);
        tunnels.push((role, index, customer_gateway_id, spec));
    }
    // Master first, whatever order the request used.
    tunnels.sort_by_key(|(role, ..)| *role != TunnelRole::Master);
    let mut built = Vec::with_capacity(2);
    for (role, index, customer_gateway_id, spec) in tunnels {
        let endpoint = endpoints
            .next()
            .ok_or_else(|| missing_tunnels("give exactly two tunnels"))?;
        check_customer_gateway(cx, &customer_gateway_id, &endpoint.internet_ip)?;
        let mut ike = default_ike(format!("{:016x}", cx.ids.next_u64()));
        if let Some(with) = spec.ike {
            merge_ike(&mut ike, with);
        }
        let mut ipsec = default_ipsec();
        if let Some(with) = spec.ipsec {
            merge_ipsec(&mut ipsec, with);
        }
        let mut bgp = spec.bgp.unwrap_or_default();
        check_bgp(cx, &mut bgp, &customer_gateway_id, enable_bgp)?;
        built.push(Tunnel {
            id: cx.new_id("tun"),
            role,
            index: spec.index.unwrap_or(index),
            customer_gateway_id,
            ike,
            ipsec,
            bgp,
            enable_dpd: spec.enable_dpd.unwrap_or(true),
            enable_nat_traversal: spec.enable_nat_traversal.unwrap_or(true),
            zone_no: endpoint.zone_no,
            internet_ip: endpoint.internet_ip,
            busy_until: None,
        });
    }
    check_distinct_cidrs(&built)?;
    Ok(built)
}

/// The two tunnels of a connection must not share a BGP tunnel block.
pub(crate) fn check_distinct_cidrs(tunnels: &[Tunnel]) -> Result<(), ApiError> {
    if let [a, b] = tunnels {
        if a.bgp.tunnel_cidr.is_some() && a.bgp.tunnel_cidr == b.bgp.tunnel_cidr {
            return Err(ApiError::catalogue_with(
                ErrorCode::IllegalParamTunnelCidr,
                "The two tunnels of a connection need different TunnelCidr blocks.",
            ));
        }
    }
    Ok(())
}

/// Whether the tunnel's negotiation has completed.
pub(crate) fn established(cx: &Cx<'_>, c: &Connection, t: &Tunnel) -> bool {
    let gateway_there = c
        .bound_gateway()
        .is_none_or(|id| cx.region.gateways.contains_key(id));
    gateway_there && c.busy_until.is_none() && t.busy_until.is_none()
}

/// The other usable address of the tunnel's /30 block: the customer side of the session.
fn peer_bgp_ip(t: &Tunnel) -> Option<String> {
    let (first, second) = usable_pair(t.bgp.tunnel_cidr.as_deref()?)?;
    let local: std::net::Ipv4Addr = t.bgp.local_bgp_ip.as_deref()?.parse().ok()?;
    Some(if local == first { second } else { first }.to_string())
}

fn peer_asn(cx: &Cx<'_>, t: &Tunnel) -> Option<i64> {
    cx.region
        .customer_gateways
        .get(&t.customer_gateway_id)
        .and_then(|g| g.asn.as_deref())
        .and_then(|a| a.parse().ok())
}

/// The tunnel's BGP settings and session as responses show them.
pub(crate) fn bgp_detail(cx: &Cx<'_>, c: &Connection, t: &Tunnel) -> TunnelBgpDetail {
    let mut v = TunnelBgpDetail::default();
    v.enable_bgp = Some(c.enable_tunnels_bgp);
    v.local_asn = t.bgp.local_asn;
    v.local_bgp_ip = t.bgp.local_bgp_ip.clone();
    v.tunnel_cidr = t.bgp.tunnel_cidr.clone();
    if c.enable_tunnels_bgp {
        v.peer_asn = peer_asn(cx, t);
        v.peer_bgp_ip = peer_bgp_ip(t);
        v.bgp_status = Some(
            if established(cx, c, t) {
                "success"
            } else {
                "false"
            }
            .to_owned(),
        );
    }
    v
}

/// The tunnel's state: `updating` while a change is applied, `active` otherwise.
pub(crate) fn state(t: &Tunnel) -> &'static str {
    if t.busy_until.is_some() {
        "updating"
    } else {
        "active"
    }
}

/// One tunnel as DescribeVpnConnection(s) and ModifyVpnConnectionAttribute show it.
pub(crate) fn detail(cx: &Cx<'_>, c: &Connection, t: &Tunnel) -> TunnelDetail {
    let mut v = TunnelDetail::default();
    v.tunnel_id = Some(t.id.clone());
    v.role = Some(t.role.clone());
    v.tunnel_index = Some(t.index);
    v.customer_gateway_id = Some(t.customer_gateway_id.clone());
    v.tunnel_ike_config = Some(t.ike.clone());
    v.tunnel_ipsec_config = Some(t.ipsec.clone());
    v.tunnel_bgp_config = Some(bgp_detail(cx, c, t));
    v.enable_dpd = Some(t.enable_dpd);
    v.enable_nat_traversal = Some(t.enable_nat_traversal);
    v.zone_no = Some(t.zone_no.clone());
    v.internet_ip = Some(t.internet_ip.clone());
    v.state = Some(state(t).to_owned());
    v.status = Some(if established(cx, c, t) {
        VpnConnectionStatus::IpsecSaEstablished
    } else {
        VpnConnectionStatus::IkeSaNotEstablished
    });
    v
}

/// The subnets of `current` after a modify request (each given one replaces the current),
/// checked against the IKE version the request asks for, on the connection or on any tunnel.
pub(crate) fn changed_subnets<'a>(
    current: &Connection,
    local: Option<&String>,
    remote: Option<&String>,
    ike: Option<&'a vpn_gateway::types::IkeConfig>,
    mut tunnel_ikes: impl Iterator<Item = Option<&'a TunnelIkeConfig>>,
) -> Result<(String, String), ApiError> {
    let local = local.unwrap_or(&current.local_subnet).clone();
    let remote = remote.unwrap_or(&current.remote_subnet).clone();
    let asked = ike
        .and_then(|i| i.ike_version.as_ref())
        .or_else(|| tunnel_ikes.find_map(|t| t.and_then(|i| i.ike_version.as_ref())));
    check_ikev1_subnets(asked, &local, &remote)?;
    Ok((local, remote))
}

/// The per-tunnel settings the modify operations change (ModifyTunnelAttribute, and the tunnel
/// updates of ModifyVpnConnectionAttribute and ModifyVpnAttachmentAttribute); each one given
/// replaces the tunnel's, the IKE, IPsec and BGP settings field by field.
pub(crate) struct TunnelChange {
    pub(crate) ike: Option<TunnelIkeConfig>,
    pub(crate) ipsec: Option<TunnelIpsecConfig>,
    pub(crate) bgp: Option<TunnelBgpConfig>,
    pub(crate) enable_dpd: Option<bool>,
    pub(crate) enable_nat_traversal: Option<bool>,
}

impl TunnelChange {
    /// Applies the given settings to `tunnel`.
    pub(crate) fn apply(self, tunnel: &mut Tunnel) {
        if let Some(with) = self.ike {
            merge_ike(&mut tunnel.ike, with);
        }
        if let Some(with) = self.ipsec {
            merge_ipsec(&mut tunnel.ipsec, with);
        }
        if let Some(with) = self.bgp {
            merge_bgp(&mut tunnel.bgp, with);
        }
        if let Some(v) = self.enable_dpd {
            tunnel.enable_dpd = v;
        }
        if let Some(v) = self.enable_nat_traversal {
            tunnel.enable_nat_traversal = v;
        }
    }
}

/// A customer gateway named in a tunnel update exists. No modify operation documents a code for
/// an unknown one, so the answer is `InvalidParameter` naming `parameter`.
pub(crate) fn known_customer_gateway(
    cx: &Cx<'_>,
    customer_gateway_id: &str,
    parameter: &str,
) -> Result<(), ApiError> {
    if cx
        .region
        .customer_gateways
        .contains_key(customer_gateway_id)
    {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(
            parameter,
            "the customer gateway does not exist",
        ))
    }
}

/// IKEv1 negotiates one pair of subnets: a change that asks for IKEv1 is refused while the
/// connection has several local or remote CIDR blocks.
pub(crate) fn check_ikev1_subnets(
    asked: Option<&IkeVersion>,
    local: &str,
    remote: &str,
) -> Result<(), ApiError> {
    if asked == Some(&IkeVersion::Ikev1) && (local.contains(',') || remote.contains(',')) {
        return Err(ApiError::catalogue(
            ErrorCode::ModifyIkeV1WithMultiRoutesInvalid,
        ));
    }
    Ok(())
}

/// A change to a connection may start now: its gateway (if any) is active and not locked, and
/// no change of the connection itself is still being applied (`busy` otherwise).
pub(crate) fn check_changeable(
    cx: &mut Cx<'_>,
    c: &Connection,
    busy: ApiError,
) -> Result<(), ApiError> {
    match c.bound_gateway() {
        Some(gateway_id) if cx.region.gateways.contains_key(gateway_id) => {
            cx.gateway_for_change(gateway_id)?;
        }
        _ => {}
    }
    if c.busy_until.is_some() || c.tunnels.iter().any(|t| t.busy_until.is_some()) {
        return Err(busy);
    }
    Ok(())
}

pub fn modify_tunnel_attribute(
    cx: &mut Cx<'_>,
    input: ModifyTunnelAttributeRequest,
) -> Result<ModifyTunnelAttributeOutput, ApiError> {
    let id = input.vpn_connection_id;
    let current = cx.connection(&id)?.clone();
    let Some(position) = current.tunnels.iter().position(|t| t.id == input.tunnel_id) else {
        // The operation documents no code for a tunnel the connection does not have.
        return Err(ApiError::invalid_parameter(
            "TunnelId",
            "the connection has no tunnel with this ID",
        ));
    };
    check_changeable(
        cx,
        &current,
        ApiError::catalogue(ErrorCode::VpnGatewayTaskConflict),
    )?;
    let mut tunnel = current.tunnels[position].clone();
    if let Some(settings) = input.tunnel_options_specification {
        if let Some(customer_gateway_id) = settings.customer_gateway_id {
            known_customer_gateway(
                cx,
                &customer_gateway_id,
                "TunnelOptionsSpecification.CustomerGatewayId",
            )?;
            check_customer_gateway(cx, &customer_gateway_id, &tunnel.internet_ip)?;
            tunnel.customer_gateway_id = customer_gateway_id;
        }
        if let Some(with) = &settings.tunnel_ike_config {
            check_ikev1_subnets(
                with.ike_version.as_ref(),
                &current.local_subnet,
                &current.remote_subnet,
            )?;
        }
        TunnelChange {
            ike: settings.tunnel_ike_config,
            ipsec: settings.tunnel_ipsec_config,
            bgp: settings.tunnel_bgp_config,
            enable_dpd: settings.enable_dpd,
            enable_nat_traversal: settings.enable_nat_traversal,
        }
        .apply(&mut tunnel);
    }
    let customer_gateway_id = tunnel.customer_gateway_id.clone();
    check_bgp(
        cx,
        &mut tunnel.bgp,
        &customer_gateway_id,
        current.enable_tunnels_bgp,
    )?;
    let mut tunnels = current.tunnels.clone();
    tunnels[position] = tunnel;
    check_distinct_cidrs(&tunnels)?;
    tunnels[position].busy_until = Some(cx.transition_end());
    let (now_ms, max_lines) = (cx.now_ms, cx.quotas.connection_log_lines);
    let c = cx.connection(&id)?;
    c.tunnels = tunnels;
    let tunnel_id = c.tunnels[position].id.clone();
    c.log(
        now_ms,
        Some(&tunnel_id),
        "tunnel configuration changed; renegotiating".to_owned(),
        max_lines,
    );
    let c = c.clone();
    if let Some(gateway_id) = c.bound_gateway() {
        let gateway_id = gateway_id.to_owned();
        cx.mark_updating(&gateway_id);
    }
    let t = &c.tunnels[position];
    let mut out = ModifyTunnelAttributeOutput::default();
    out.tunnel_id = Some(t.id.clone());
    out.role = Some(t.role.clone());
    out.customer_gateway_id = Some(t.customer_gateway_id.clone());
    out.tunnel_ike_config = Some(t.ike.clone());
    out.tunnel_ipsec_config = Some(t.ipsec.clone());
    out.tunnel_bgp_config = Some(bgp_detail(cx, &c, t));
    out.enable_dpd = Some(t.enable_dpd);
    out.enable_nat_traversal = Some(t.enable_nat_traversal);
    out.zone_no = Some(t.zone_no.clone());
    out.internet_ip = Some(t.internet_ip.clone());
    out.state = Some(state(t).to_owned());
    Ok(out)
}
