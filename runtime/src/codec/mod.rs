//! Decoding the service's responses, and the one encoding helper the generated output types
//! share ([`serialize_wrapped`], for the emulator's answers).
//!
//! The service's JSON comes from an XML model: lists arrive wrapped (`{"Item": [...]}`), a
//! one-element list sometimes arrives as a bare object, absent lists and objects as `null` or
//! `""`, and scalars drift between JSON types (numbers as strings, booleans as text). The
//! generated types read every field through [`scalar`], [`optional_scalar`], [`list`],
//! [`wrapped_list`] and [`optional_value`], so a representation detail never fails a call and
//! never changes a value; [`decode_body`] reports what truly cannot be read with the path of the
//! field (`VpnGateways.VpnGateway[1].CreateTime`) and never with the value, which may be secret.

mod budget;
mod list;
mod scalar;

pub use list::{list, optional_value, scalar_list, value, wrapped_list, wrapped_scalar_list};
pub use scalar::{optional_scalar, required_text, scalar, Wire, WireScalar};

use serde::de::DeserializeOwned;

/// How many bytes of decoded list items a response may produce per byte of body. A real item
/// decodes to about its JSON size; a body of near-empty items (`[{},{},...]`) would otherwise
/// turn a few megabytes into gigabytes.
pub const DECODE_BUDGET_FACTOR: usize = 8;

/// Parses a successful response body into `T`.
///
/// Lists decode straight from the body (no intermediate JSON tree) within a memory budget
/// proportional to the body (see [`DECODE_BUDGET_FACTOR`]). On failure the message names the
/// field's path and what was wrong with it, but never repeats the value: a success body can
/// hold secrets (a connection's pre-shared key).
pub fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let _budget = budget::Scope::for_body(body.len());
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map(|list::NotAnArray(value)| value)
        .map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            describe(&inner, &path)
        })?;
    deserializer.end().map_err(|e| describe(&e, "."))?;
    Ok(value)
}

/// The message of a decoding error, with any value it quotes removed.
fn describe(error: &serde_json::Error, path: &str) -> String {
    use serde_json::error::Category;
    match error.classify() {
        Category::Data if path != "." => format!(
            "response field `{path}` could not be read: {}",
            without_quoted_values(&error.to_string())
        ),
        Category::Data => format!(
            "the response body does not have the expected shape: {}",
            without_quoted_values(&error.to_string())
        ),
        Category::Syntax | Category::Eof | Category::Io => format!(
            "the response body is not valid JSON ({:?} error at line {}, column {})",
            error.classify(),
            error.line(),
            error.column()
        ),
    }
}

/// Replaces the contents of `"..."` and `` `...` `` in a serde message with `…`, except the
/// field name of `missing field `X``, which comes from the model and not from the body.
fn without_quoted_values(message: &str) -> String {
    if message.starts_with("missing field `") {
        return message.to_owned();
    }
    let mut out = String::with_capacity(message.len());
    let mut open: Option<char> = None;
    for c in message.chars() {
        match open {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None if c == '"' || c == '`' => {
                out.push(c);
                open = Some(c);
            }
            None => out.push(c),
        }
    }
    if open.is_some() {
        out.push('…');
    }
    out
}

/// Serializes a list the way the service sends it: wrapped in `{"<key>": [...]}`.
pub fn serialize_wrapped<S: serde::Serializer, T: serde::Serialize>(
    key: &str,
    items: &[T],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, items)?;
    map.end()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Out {
        #[serde(rename = "Psk", deserialize_with = "scalar")]
        _psk: String,
        #[serde(rename = "Count", default, deserialize_with = "optional_scalar")]
        count: Option<i32>,
        #[serde(rename = "Inner", default, deserialize_with = "optional_value")]
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    struct Inner {
        #[serde(rename = "Flag", default, deserialize_with = "optional_scalar")]
        flag: Option<bool>,
    }

    fn decode_out(body: &'static str) -> Result<Out, String> {
        decode_body::<Out>(body.as_bytes())
    }

    #[test]
    fn decode_reads_drifted_scalars_and_empty_objects() {
        let out = decode_out(r#"{"Psk":1,"Count":"3","Inner":{"Flag":"True"}}"#).unwrap();
        assert_eq!(out.count, Some(3));
        assert_eq!(out.inner.and_then(|i| i.flag), Some(true));
        let out = decode_out(r#"{"Psk":"k","Count":"","Inner":""}"#).unwrap();
        assert!(out.count.is_none() && out.inner.is_none());
    }

    #[test]
    fn decode_errors_name_the_path_but_never_the_value() {
        let err = decode_out(r#"{"Psk":"k","Inner":{"Flag":"psk-SECRET-4242"}}"#).unwrap_err();
        assert!(err.contains("`Inner.Flag`"), "{err}");
        assert!(!err.contains("SECRET"), "{err}");
        // A struct given a string: serde's own message would quote it.
        let err = decode_out(r#"{"Psk":"k","Inner":"psk-SECRET-4242"}"#).unwrap_err();
        assert!(err.contains("`Inner`"), "{err}");
        assert!(!err.contains("SECRET"), "{err}");
        let err = decode_out(r#"{"Psk":["psk-SECRET-4242"]}"#).unwrap_err();
        assert!(!err.contains("SECRET"), "{err}");
        let err = decode_out(r#"{"Count":1}"#).unwrap_err();
        assert!(err.contains("missing field `Psk`"), "{err}");
        let err = decode_out(r#"{"Psk":"psk-SECRET-4242"#).unwrap_err();
        assert!(
            err.contains("not valid JSON") && !err.contains("SECRET"),
            "{err}"
        );
        let err = decode_out(r#"{"Psk":"k"} trailing"#).unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
    }

    #[test]
    fn quoted_values_are_removed_from_messages() {
        assert_eq!(
            without_quoted_values(r#"invalid type: string "secret", expected struct X"#),
            r#"invalid type: string "…", expected struct X"#
        );
        assert_eq!(
            without_quoted_values("unknown variant `secret`, expected one of `a`"),
            "unknown variant `…`, expected one of `…`"
        );
        assert_eq!(without_quoted_values("open \"sec"), "open \"…");
        assert_eq!(
            without_quoted_values("missing field `VpnGatewayId`"),
            "missing field `VpnGatewayId`"
        );
    }
}
