//! One module per resource group; each function takes the region context and the generated
//! input and returns the generated output.

mod attachments;
mod certificates;
mod connection_logs;
mod connections;
mod customer_gateways;
mod diagnostics;
mod gateways;
mod ipsec_servers;
mod resource_groups;
mod routes;
mod ssl;
mod tags;
mod tunnels;
mod vco_routes;
mod zones;

pub use attachments::*;
pub use certificates::*;
pub use connection_logs::*;
pub use connections::*;
pub use customer_gateways::*;
pub use diagnostics::*;
pub use gateways::*;
pub use ipsec_servers::*;
pub use resource_groups::*;
pub use routes::*;
pub use ssl::*;
pub use tags::*;
pub use tunnels::modify_tunnel_attribute;
pub use vco_routes::*;
pub use zones::*;

use crate::error::ApiError;

/// The value of a parameter that `validate()` already required.
pub(crate) fn required<T>(value: Option<T>, parameter: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| {
        ApiError::new(
            400,
            "MissingParameter",
            format!("The input parameter \"{parameter}\" that is mandatory for processing this request is not supplied."),
        )
    })
}

/// A time in milliseconds since the UNIX epoch as ISO 8601 in UTC, to the second
/// (`2024-05-01T08:30:00Z`).
pub(crate) fn iso_time(ms: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// The answer to a request whose `DryRun` is set and that passed every check.
pub(crate) fn dry_run_passed() -> ApiError {
    ApiError::catalogue(vpn_gateway::ErrorCode::DryRunOperation)
}

/// True for a `DryRun` given as text (`true`, any case).
pub(crate) fn dry_run_text(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// `NextToken` pagination: one page of `items` from the token's offset, and the token of the
/// next page (`None` after the last). `salt` ties tokens to one listing; a token that the
/// listing did not issue is `None`.
pub(crate) fn token_page<T>(
    items: Vec<T>,
    token: Option<&str>,
    max_results: usize,
    salt: u64,
) -> Option<(Vec<T>, Option<String>)> {
    let start = match token {
        None | Some("") => 0,
        Some(token) => token_offset(token, salt)?,
    };
    let total = items.len();
    let end = start.saturating_add(max_results.max(1)).min(total);
    let next = (end < total).then(|| next_token(end, salt));
    let page = items
        .into_iter()
        .skip(start)
        .take(end.saturating_sub(start));
    Some((page.collect(), next))
}

/// The opaque token for "continue at `offset`" of the listing `salt`.
fn next_token(offset: usize, salt: u64) -> String {
    let offset = offset as u64;
    format!("{offset:016x}{:016x}", crate::ids::mix(offset ^ salt))
}

fn token_offset(token: &str, salt: u64) -> Option<usize> {
    if token.len() != 32 {
        return None;
    }
    let offset = u64::from_str_radix(token.get(..16)?, 16).ok()?;
    let check = u64::from_str_radix(token.get(16..)?, 16).ok()?;
    (check == crate::ids::mix(offset ^ salt)).then(|| usize::try_from(offset).ok())?
}

/// A CIDR block as (network address, prefix length); `None` if malformed.
pub(crate) fn parse_cidr(text: &str) -> Option<(u32, u32)> {
    let (addr, len) = text.trim().split_once('/')?;
    let addr: std::net::Ipv4Addr = addr.parse().ok()?;
    let len: u32 = len.parse().ok()?;
    (len <= 32).then_some((u32::from(addr), len))
}

/// The mask of a prefix length.
pub(crate) fn mask(len: u32) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - len)
    }
}

/// Whether two CIDR blocks overlap.
pub(crate) fn overlaps(a: &str, b: &str) -> bool {
    match (parse_cidr(a), parse_cidr(b)) {
        (Some((a, la)), Some((b, lb))) => {
            let m = mask(la.min(lb));
            a & m == b & m
        }
        _ => false,
    }
}

/// Whether any block of the comma-separated list `a` overlaps any of `b`.
pub(crate) fn lists_overlap(a: &str, b: &str) -> bool {
    a.split(',').any(|x| b.split(',').any(|y| overlaps(x, y)))
}

/// A pseudo-random public IPv4 address.
pub(crate) fn public_ip(random: u64) -> String {
    let [_, _, _, _, a, b, c, _] = random.to_be_bytes();
    format!("47.{}.{}.{}", 96 + a % 32, b, 1 + c % 254)
}
