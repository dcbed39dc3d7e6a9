//! Server-side strictness the generated validation leaves out on purpose: clients accept enum
//! values added later (`Unknown(..)` variants), but the service rejects values it does not know.

use std::fmt::Debug;
use vpn_gateway::runtime::ValidationError;

/// The first field of `input` holding an unknown enum value, as a validation error naming the
/// parameter (the field's wire spelling).
pub fn unknown_enum_value(input: &impl Debug) -> Option<ValidationError> {
    let text = format!("{input:?}");
    let at = find_outside_strings(&text, "Unknown(")?;
    let before = &text[..at];
    {
        let field = before
            .rfind(": ")
            .map(|colon| {
                let head = &before[..colon];
                let start = head
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(0, |i| {
                        i + head[i..].chars().next().map_or(1, char::len_utf8)
                    });
                &head[start..]
            })
            .unwrap_or("Parameter");
        Some(ValidationError::new(
            wire_name(field),
            "must be one of the documented values",
        ))
    }
}

/// The byte offset of `needle` in `text`, skipping string literals as `Debug` writes them.
fn find_outside_strings(text: &str, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut in_string, mut escaped) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if bytes[i..].starts_with(needle.as_bytes()) {
            return Some(i);
        }
    }
    None
}

/// `new_weight` → `NewWeight`.
fn wire_name(field: &str) -> String {
    field
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// Parameters whose values the service matches case-insensitively (the spec notes it for
/// `ResourceType`: documented as `VpnGateway`, sent as `VPNGATEWAY` by the official SDK); the
/// generated parser matches the wire spelling exactly, so these are upper-cased first.
const CASE_INSENSITIVE: &[&str] = &["ResourceType"];

/// Normalizes the values of [`CASE_INSENSITIVE`] parameters.
pub fn normalize(
    params: impl Iterator<Item = (String, String)>,
) -> impl Iterator<Item = (String, String)> {
    params.map(|(name, value)| {
        if CASE_INSENSITIVE.contains(&name.as_str()) {
            let upper = value.to_ascii_uppercase();
            (name, upper)
        } else {
            (name, value)
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use vpn_gateway::operation::create_vpn_route_entry::CreateVpnRouteEntryInput;
    use vpn_gateway::runtime::wire_params::WireParams;

    #[test]
    fn unknown_weights_are_reported_by_wire_name() {
        let params = WireParams::new([("Weight", "7")]);
        let input = CreateVpnRouteEntryInput::from_params(&params).unwrap();
        let e = unknown_enum_value(&input).unwrap();
        assert_eq!(e.parameter(), "Weight");
        let known = CreateVpnRouteEntryInput::from_params(&WireParams::new([
            ("Weight", "100"),
            ("Description", "x: Some(Unknown(1)"),
        ]));
        assert!(unknown_enum_value(&known.unwrap()).is_none());
    }
}
