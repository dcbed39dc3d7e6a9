//! IPsec servers (client-to-site IPsec on a VPN gateway with SSL-VPN enabled): create, update,
//! list, read the log, delete.
//!
//! A gateway holds at most one IPsec server, and not together with IPsec-VPN connections. The
//! client address pool is one CIDR block with a prefix length of 16 to 29 that overlaps neither
//! the server's local subnets nor the gateway's SSL-VPN client pools and destination routes.
//! Pre-shared key authentication is the only method modelled (no IDaaS), so `PskEnabled` must
//! be true; without a `Psk` the server gets a random 16-character key. The key is answered by
//! ListIpsecServers only: never in a message or a log line. The log holds the server's own
//! events (created, updated), the latest [`IpsecServer::MAX_EVENTS`].

use super::{dry_run_passed, dry_run_text, iso_time, lists_overlap, mask, parse_cidr, token_page};
use crate::error::ApiError;
use crate::state::{page, Cx, IpsecServer, NegotiationSettings};
use std::collections::VecDeque;
use vpn_gateway::operation::{
    create_ipsec_server::CreateIpsecServerOutput, delete_ipsec_server::DeleteIpsecServerOutput,
    list_ipsec_server_logs::ListIpsecServerLogsOutput, list_ipsec_servers::ListIpsecServersOutput,
    update_ipsec_server::UpdateIpsecServerOutput,
};
use vpn_gateway::server::{
    CreateIpsecServerRequest, DeleteIpsecServerRequest, ListIpsecServerLogsRequest,
    ListIpsecServersRequest, UpdateIpsecServerRequest,
};
use vpn_gateway::types::{
    ListIpsecServersResponseIpsecServers as ServerView,
    ListIpsecServersResponseIpsecServersIkeConfig as IkeView,
    ListIpsecServersResponseIpsecServersIpsecConfig as IpsecView, VpnGatewayStatus,
};
use vpn_gateway::ErrorCode;

/// Ties `NextToken`s to this listing.
const TOKEN_SALT: u64 = 0x6973_7376;

const ENCRYPTION: &[&str] = &["aes", "aes192", "aes256", "des", "3des"];
const AUTHENTICATION: &[&str] = &["md5", "sha1", "sha256", "sha384", "sha512"];
const DH_GROUPS: &[&str] = &["group1", "group2", "group5", "group14"];

/// A setting of a negotiation phase: its JSON name, default and allowed values (`None`: any
/// text; lifetimes are numbers of seconds from 0 to 86400).
struct Setting {
    name: &'static str,
    default: &'static str,
    allowed: Option<&'static [&'static str]>,
}

const IKE: &[Setting] = &[
    Setting {
        name: "IkeVersion",
        default: "ikev2",
        allowed: Some(&["ikev1", "ikev2"]),
    },
    Setting {
        name: "IkeMode",
        default: "main",
        allowed: Some(&["main", "aggressive"]),
    },
    Setting {
        name: "IkeEncAlg",
        default: "aes",
        allowed: Some(ENCRYPTION),
    },
    Setting {
        name: "IkeAuthAlg",
        default: "sha1",
        allowed: Some(AUTHENTICATION),
    },
    Setting {
        name: "IkePfs",
        default: "group2",
        allowed: Some(DH_GROUPS),
    },
    Setting {
        name: "IkeLifetime",
        default: "86400",
        allowed: None,
    },
    Setting {
        name: "LocalId",
        default: "",
        allowed: None,
    },
    Setting {
        name: "RemoteId",
        default: "",
        allowed: None,
    },
];

const IPSEC: &[Setting] = &[
    Setting {
        name: "IpsecEncAlg",
        default: "aes",
        allowed: Some(ENCRYPTION),
    },
    Setting {
        name: "IpsecAuthAlg",
        default: "sha1",
        allowed: Some(AUTHENTICATION),
    },
    Setting {
        name: "IpsecPfs",
        default: "group2",
        allowed: Some(&["group1", "group2", "group5", "group14", "disabled"]),
    },
    Setting {
        name: "IpsecLifetime",
        default: "86400",
        allowed: None,
    },
];

/// The defaults of a phase (empty values are left out).
fn defaults(settings: &[Setting]) -> NegotiationSettings {
    settings
        .iter()
        .filter(|s| !s.default.is_empty())
        .map(|s| (s.name, s.default.to_owned()))
        .collect()
}

/// Applies the JSON object `text` (`parameter`) to `into`: known names only, allowed values.
fn apply_settings(
    parameter: &str,
    text: &str,
    settings: &[Setting],
    into: &mut NegotiationSettings,
) -> Result<(), ApiError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| ApiError::invalid_parameter(parameter, "must be a JSON object"))?;
    let object = value
        .as_object()
        .ok_or_else(|| ApiError::invalid_parameter(parameter, "must be a JSON object"))?;
    for (name, value) in object {
        let setting = settings
            .iter()
            .find(|s| s.name == name.as_str())
            .ok_or_else(|| ApiError::invalid_parameter(parameter, "names an unknown setting"))?;
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => {
                return Err(ApiError::invalid_parameter(
                    parameter,
                    "holds a value that is not text or a number",
                ))
            }
        };
        let valid = match setting.allowed {
            Some(allowed) => allowed.contains(&text.as_str()),
            None if setting.name.ends_with("Lifetime") => {
                text.parse::<u32>().is_ok_and(|s| s <= 86_400)
            }
            None => text.len() <= 100,
        };
        if !valid {
            if setting.name == "IpsecPfs" {
                return Err(ApiError::catalogue(ErrorCode::OperationUnsupportedIpsecPfs));
            }
            return Err(ApiError::invalid_parameter(
                parameter,
                &format!("has an unsupported {}", setting.name),
            ));
        }
        into.insert(setting.name, text);
    }
    Ok(())
}

fn check_local_subnet(local_subnet: &str) -> Result<(), ApiError> {
    if local_subnet.split(',').all(|b| parse_cidr(b).is_some()) {
        Ok(())
    } else {
        Err(ApiError::catalogue_with(
            ErrorCode::IllegalParamLocalSubnet,
            "The specified LocalSubnet is invalid: it must be IPv4 CIDR blocks separated by commas.",
        ))
    }
}

/// The client pool's own checks, then its overlaps with the local subnets and with the
/// gateway's other client pools and routes.
fn check_client_ip_pool(
    cx: &Cx<'_>,
    gateway_id: &str,
    pool: &str,
    local_subnet: &str,
) -> Result<(), ApiError> {
    let (net, len) = parse_cidr(pool).ok_or_else(|| {
        ApiError::catalogue_with(
            ErrorCode::IllegalParamClientIpPool,
            "The specified ClientIpPool is invalid: it must be one IPv4 CIDR block.",
        )
    })?;
    if !(16..=29).contains(&len) {
        return Err(ApiError::catalogue(ErrorCode::ClientIpPoolNetmaskInvalid));
    }
    let first = net >> 24;
    let reserved = first == 0
        || first == 127
        || first >= 224
        || net >> 16 == (169 << 8 | 254)
        || net >> 22 == (100 << 2 | 1);
    if reserved || net & !mask(len) != 0 {
        return Err(ApiError::catalogue_with(
            ErrorCode::ClientIpPoolSubnetInvalid,
            "The specified client IP pool cannot be used: it is a reserved block or has host bits set.",
        ));
    }
    if lists_overlap(pool, local_subnet) {
        return Err(ApiError::catalogue_with(
            ErrorCode::InvalidClientIpPoolConflict,
            "The specified client IP pool overlaps the server's local subnets.",
        ));
    }
    let ssl_pools = cx
        .region
        .ssl_servers
        .values()
        .filter(|s| s.gateway_id == gateway_id)
        .any(|s| lists_overlap(&s.client_ip_pool, pool));
    let routes = cx
        .region
        .routes
        .iter()
        .filter(|r| r.gateway_id == gateway_id)
        .any(|r| lists_overlap(&r.dest, pool));
    if ssl_pools || routes {
        return Err(ApiError::catalogue_with(
            ErrorCode::VpnRouteEntryConflict,
            "The specified client IP pool conflicts with an SSL-VPN client pool or a route of the VPN gateway.",
        ));
    }
    Ok(())
}

/// A pre-shared key: 1 to 100 visible ASCII characters. The message never shows the key.
fn check_psk(psk: &str) -> Result<(), ApiError> {
    if (1..=100).contains(&psk.len()) && psk.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(
            "Psk",
            "must be 1 to 100 visible ASCII characters",
        ))
    }
}

fn auth_method_missing() -> ApiError {
    ApiError::catalogue_with(
        ErrorCode::IllegalParamAuthMethod,
        "One authentication method should be specified at least: set PskEnabled to true (IDaaS authentication is not available in the emulator).",
    )
}

fn random_psk(cx: &Cx<'_>) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bits = u128::from(cx.ids.next_u64()) | (u128::from(cx.ids.next_u64()) << 64);
    (0..16)
        .map(|_| {
            let len = ALPHABET.len() as u128;
            let c = ALPHABET[(bits % len) as usize];
            bits /= len;
            char::from(c)
        })
        .collect()
}

fn server<'a>(cx: &'a mut Cx<'_>, id: &str) -> Result<&'a mut IpsecServer, ApiError> {
    cx.region.ipsec_servers.get_mut(id).ok_or_else(|| {
        ApiError::catalogue_with(
            ErrorCode::InvalidIpsecServerIdNotFound,
            "The specified IPsec server ID does not exist.",
        )
    })
}

pub fn create_ipsec_server(
    cx: &mut Cx<'_>,
    input: CreateIpsecServerRequest,
) -> Result<CreateIpsecServerOutput, ApiError> {
    let gateway_id = input.vpn_gateway_id;
    let gateway = cx.gateway_for_change(&gateway_id)?;
    if !gateway.ssl {
        return Err(ApiError::catalogue(ErrorCode::VpnGatewaySslVpnDisabled));
    }
    let internet_ip = gateway.internet_ip.clone();
    if cx
        .region
        .ipsec_servers
        .values()
        .any(|s| s.gateway_id == gateway_id)
    {
        return Err(ApiError::catalogue(
            ErrorCode::OperationFailedIPsecServerExist,
        ));
    }
    if cx
        .region
        .connections
        .values()
        .any(|c| c.gateway_id == gateway_id)
    {
        return Err(ApiError::catalogue(
            ErrorCode::VpnGatewayIPsecServerAndVpnConnectionConflict,
        ));
    }
    check_local_subnet(&input.local_subnet)?;
    check_client_ip_pool(cx, &gateway_id, &input.client_ip_pool, &input.local_subnet)?;
    if input.psk_enabled != Some(true) {
        return Err(auth_method_missing());
    }
    if let Some(psk) = &input.psk {
        check_psk(psk)?;
    }
    let mut ike = defaults(IKE);
    ike.insert("LocalId", internet_ip);
    if let Some(text) = &input.ike_config {
        apply_settings("IkeConfig", text, IKE, &mut ike)?;
    }
    let mut ipsec = defaults(IPSEC);
    if let Some(text) = &input.ipsec_config {
        apply_settings("IpsecConfig", text, IPSEC, &mut ipsec)?;
    }
    if dry_run_text(input.dry_run.as_deref()) {
        return Err(dry_run_passed());
    }
    let id = cx.new_id("iss");
    let psk = match input.psk {
        Some(psk) => psk,
        None => random_psk(cx),
    };
    let mut record = IpsecServer {
        id: id.clone(),
        seq: cx.region.next_seq(),
        gateway_id: gateway_id.clone(),
        name: input.ip_sec_server_name.clone(),
        local_subnet: input.local_subnet,
        client_ip_pool: input.client_ip_pool,
        effect_immediately: input.effect_immediately.unwrap_or(false),
        ike,
        ipsec,
        psk_enabled: true,
        psk,
        create_time: cx.now_ms,
        events: VecDeque::new(),
    };
    record.log(
        cx.now_ms,
        format!(
            "IPsec server {id} created: local subnets {}, client pool {}",
            record.local_subnet, record.client_ip_pool
        ),
    );
    cx.region.ipsec_servers.insert(id.clone(), record);
    cx.mark_updating(&gateway_id);
    let mut out = CreateIpsecServerOutput::default();
    out.ipsec_server_id = Some(id);
    out.ipsec_server_name = input.ip_sec_server_name;
    out.vpn_gateway_id = Some(gateway_id);
    out.region_id = Some(cx.region_id.to_owned());
    out.creation_time = Some(iso_time(cx.now_ms));
    Ok(out)
}

pub fn update_ipsec_server(
    cx: &mut Cx<'_>,
    input: UpdateIpsecServerRequest,
) -> Result<UpdateIpsecServerOutput, ApiError> {
    let id = input.ipsec_server_id;
    let current = server(cx, &id)?.clone();
    cx.gateway_for_change(&current.gateway_id)?;
    let local_subnet = input
        .local_subnet
        .clone()
        .unwrap_or_else(|| current.local_subnet.clone());
    let pool = input
        .client_ip_pool
        .clone()
        .unwrap_or_else(|| current.client_ip_pool.clone());
    if input.local_subnet.is_some() {
        check_local_subnet(&local_subnet)?;
    }
    if input.local_subnet.is_some() || input.client_ip_pool.is_some() {
        check_client_ip_pool(cx, &current.gateway_id, &pool, &local_subnet)?;
    }
    if input.psk_enabled == Some(false) {
        return Err(auth_method_missing());
    }
    if let Some(psk) = &input.psk {
        check_psk(psk)?;
    }
    let mut ike = current.ike.clone();
    if let Some(text) = &input.ike_config {
        apply_settings("IkeConfig", text, IKE, &mut ike)?;
    }
    let mut ipsec = current.ipsec.clone();
    if let Some(text) = &input.ipsec_config {
        apply_settings("IpsecConfig", text, IPSEC, &mut ipsec)?;
    }
    if dry_run_text(input.dry_run.as_deref()) {
        return Err(dry_run_passed());
    }
    // Renaming alone takes effect at once; anything else reconfigures the gateway.
    let reconfigures = input.local_subnet.is_some()
        || input.client_ip_pool.is_some()
        || input.effect_immediately.is_some()
        || input.ike_config.is_some()
        || input.ipsec_config.is_some()
        || input.psk_enabled.is_some()
        || input.psk.is_some();
    let now_ms = cx.now_ms;
    let s = server(cx, &id)?;
    if input.ipsec_server_name.is_some() {
        s.name = input.ipsec_server_name;
    }
    s.local_subnet = local_subnet;
    s.client_ip_pool = pool;
    if let Some(effect_immediately) = input.effect_immediately {
        s.effect_immediately = effect_immediately;
    }
    s.ike = ike;
    s.ipsec = ipsec;
    if let Some(psk) = input.psk {
        s.psk = psk;
    }
    let event = if reconfigures {
        format!(
            "IPsec server {id} updated: local subnets {}, client pool {}",
            s.local_subnet, s.client_ip_pool
        )
    } else {
        format!("IPsec server {id} renamed")
    };
    s.log(now_ms, event);
    if reconfigures {
        cx.mark_updating(&current.gateway_id);
    }
    Ok(UpdateIpsecServerOutput::default())
}

fn view(cx: &Cx<'_>, s: &IpsecServer) -> ServerView {
    let gateway = cx.region.gateways.get(&s.gateway_id);
    let setting = |map: &NegotiationSettings, name: &str| map.get(name).cloned();
    let lifetime =
        |map: &NegotiationSettings, name: &str| map.get(name).and_then(|v| v.parse().ok());
    let mut ike = IkeView::default();
    ike.ike_version = setting(&s.ike, "IkeVersion");
    ike.ike_mode = setting(&s.ike, "IkeMode");
    ike.ike_enc_alg = setting(&s.ike, "IkeEncAlg");
    ike.ike_auth_alg = setting(&s.ike, "IkeAuthAlg");
    ike.ike_pfs = setting(&s.ike, "IkePfs");
    ike.ike_lifetime = lifetime(&s.ike, "IkeLifetime");
    ike.local_id = setting(&s.ike, "LocalId");
    ike.remote_id = setting(&s.ike, "RemoteId");
    let mut ipsec = IpsecView::default();
    ipsec.ipsec_enc_alg = setting(&s.ipsec, "IpsecEncAlg");
    ipsec.ipsec_auth_alg = setting(&s.ipsec, "IpsecAuthAlg");
    ipsec.ipsec_pfs = setting(&s.ipsec, "IpsecPfs");
    ipsec.ipsec_lifetime = lifetime(&s.ipsec, "IpsecLifetime");
    let mut v = ServerView::default();
    v.ipsec_server_id = Some(s.id.clone());
    v.ipsec_server_name = s.name.clone();
    v.vpn_gateway_id = Some(s.gateway_id.clone());
    v.region_id = Some(cx.region_id.to_owned());
    v.creation_time = Some(iso_time(s.create_time));
    v.local_subnet = Some(s.local_subnet.clone());
    v.client_ip_pool = Some(s.client_ip_pool.clone());
    v.effect_immediately = Some(s.effect_immediately);
    v.psk_enabled = Some(s.psk_enabled);
    v.psk = Some(s.psk.clone());
    v.multi_factor_auth_enabled = Some(false);
    v.online_client_count = Some(0);
    v.internet_ip = gateway.map(|g| g.internet_ip.clone());
    v.max_connections = gateway.map(|g| i32::try_from(g.ssl_max_connections).unwrap_or(i32::MAX));
    v.resource_group_id = gateway.and_then(|g| g.resource_group_id.clone());
    v.ike_config = Some(ike);
    v.ipsec_config = Some(ipsec);
    v
}

pub fn list_ipsec_servers(
    cx: &mut Cx<'_>,
    input: ListIpsecServersRequest,
) -> Result<ListIpsecServersOutput, ApiError> {
    let max_results = input.max_results.unwrap_or(10);
    if !(1..=20).contains(&max_results) {
        return Err(ApiError::invalid_parameter(
            "MaxResults",
            "must be between 1 and 20",
        ));
    }
    let region = &*cx.region;
    let mut all: Vec<&IpsecServer> = region
        .ipsec_servers
        .values()
        .filter(|s| input.ipsec_server_name.is_none() || input.ipsec_server_name == s.name)
        .filter(|s| {
            input
                .vpn_gateway_id
                .as_ref()
                .is_none_or(|g| *g == s.gateway_id)
        })
        .filter(|s| input.ipsec_server_id.is_empty() || input.ipsec_server_id.contains(&s.id))
        .filter(|s| {
            input.resource_group_id.is_none()
                || input.resource_group_id
                    == region
                        .gateways
                        .get(&s.gateway_id)
                        .and_then(|g| g.resource_group_id.clone())
        })
        .collect();
    all.sort_by_key(|s| s.seq);
    let total = all.len();
    let (servers, next_token) = token_page(
        all,
        input.next_token.as_deref(),
        usize::try_from(max_results).unwrap_or(10),
        TOKEN_SALT,
    )
    .ok_or_else(|| ApiError::catalogue(ErrorCode::IllegalParamNextToken))?;
    let mut out = ListIpsecServersOutput::default();
    out.ipsec_servers = servers.into_iter().map(|s| view(cx, s)).collect();
    out.total_count = Some(i32::try_from(total).unwrap_or(i32::MAX));
    out.max_results = Some(max_results);
    out.next_token = next_token;
    Ok(out)
}

/// The log window in seconds since the epoch, inclusive: `From` and `To`, or `MinutePeriod`
/// minutes from `From`, up to `To`, or up to now.
fn window(now_s: i64, input: &ListIpsecServerLogsRequest) -> Result<(i64, i64), ApiError> {
    let period = match input.minute_period {
        Some(p @ 1..=10) => Some(i64::from(p) * 60),
        Some(_) => {
            return Err(ApiError::invalid_parameter(
                "MinutePeriod",
                "must be between 1 and 10",
            ))
        }
        None => None,
    };
    let from = input.from.map(i64::from);
    let to = input.to.map(i64::from);
    let missing = |name: &str| {
        ApiError::new(
            400,
            "MissingParameter",
            format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
        )
    };
    let (start, end) = match (from, to, period) {
        (Some(from), Some(to), _) => (from, to),
        (Some(from), None, Some(p)) => (from, from.saturating_add(p)),
        (None, Some(to), Some(p)) => (to.saturating_sub(p), to),
        (None, None, Some(p)) => (now_s.saturating_sub(p), now_s),
        (Some(_), None, None) => return Err(missing("To")),
        (None, Some(_), None) => return Err(missing("From")),
        (None, None, None) => return Err(missing("MinutePeriod")),
    };
    if start > end {
        return Err(ApiError::invalid_parameter("From", "must not be after To"));
    }
    Ok((start, end))
}

pub fn list_ipsec_server_logs(
    cx: &mut Cx<'_>,
    input: ListIpsecServerLogsRequest,
) -> Result<ListIpsecServerLogsOutput, ApiError> {
    let now_s = cx.now_ms.div_euclid(1000);
    let s = server(cx, &input.ipsec_server_id)?;
    let (start, end) = window(now_s, &input)?;
    if input.page_size.is_some_and(|s| !(1..=50).contains(&s)) {
        return Err(ApiError::invalid_parameter(
            "PageSize",
            "must be between 1 and 50",
        ));
    }
    let lines: Vec<String> = s
        .events
        .iter()
        .filter(|(at_ms, _)| (start..=end).contains(&at_ms.div_euclid(1000)))
        .map(|(at_ms, event)| format!("{} charon: {event}", iso_time(*at_ms)))
        .collect();
    let page = page(lines, input.page_number, input.page_size);
    let mut out = ListIpsecServerLogsOutput::default();
    out.count = Some(page.total);
    out.page_number = Some(page.number);
    out.page_size = Some(page.size);
    out.is_completed = Some(true);
    out.data = page.items;
    Ok(out)
}

pub fn delete_ipsec_server(
    cx: &mut Cx<'_>,
    input: DeleteIpsecServerRequest,
) -> Result<DeleteIpsecServerOutput, ApiError> {
    let id = input.ipsec_server_id;
    let gateway_id = server(cx, &id)?.gateway_id.clone();
    if cx.gateway(&gateway_id)?.status != VpnGatewayStatus::Active {
        return Err(ApiError::catalogue(ErrorCode::VpnGatewayConfiguring));
    }
    if dry_run_text(input.dry_run.as_deref()) {
        return Err(dry_run_passed());
    }
    cx.region.ipsec_servers.remove(&id);
    cx.mark_updating(&gateway_id);
    Ok(DeleteIpsecServerOutput::default())
}
