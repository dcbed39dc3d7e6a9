//! One module per resource group; each function takes the region context and the generated
//! input and returns the generated output.

mod attachments;
mod connection_logs;
mod connections;
mod customer_gateways;
mod gateways;
mod routes;
mod ssl;
mod tags;
mod tunnels;
mod vco_routes;

pub use attachments::*;
pub use connection_logs::*;
pub use connections::*;
pub use customer_gateways::*;
pub use gateways::*;
pub use routes::*;
pub use ssl::*;
pub use tags::*;
pub use tunnels::modify_tunnel_attribute;
pub use vco_routes::*;

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
