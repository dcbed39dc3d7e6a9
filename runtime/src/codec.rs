//! Decoding helpers the generated response types use.
//!
//! The service's JSON comes from an XML model: lists arrive wrapped (`{"Item": [...]}`), a
//! one-element list sometimes arrives as a bare object, absent lists as `null` or `""`, and
//! numbers sometimes as strings. These helpers accept all of those, so a response never fails
//! to parse over a representation detail.

use crate::client::RpcResponse;
use crate::error::{InvalidResponseError, SdkError};
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::Deserialize;
use serde_json::Value;

/// Parses a successful response body into `T`.
///
/// On failure the error carries the JSON error's category and position but no body excerpt:
/// a success body can hold secrets (a connection's pre-shared key).
pub fn decode<T: DeserializeOwned, E>(response: &RpcResponse) -> Result<T, SdkError<E>> {
    serde_json::from_slice(&response.body).map_err(|e| {
        let reason = format!(
            "response body is not the expected JSON ({:?} error at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        );
        SdkError::from(InvalidResponseError::new(
            response.http_status,
            response.request_id.clone(),
            reason,
            b"",
        ))
    })
}

/// Deserializes a list from any of: an array, a wrapper object holding one array (or one
/// object), a single object, `null` or an empty string.
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    list_from_value(value).map_err(D::Error::custom)
}

fn list_from_value<T: DeserializeOwned>(value: Value) -> Result<Vec<T>, serde_json::Error> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        Value::Array(items) => items.into_iter().map(serde_json::from_value).collect(),
        Value::Object(map) if map.len() == 1 => {
            let whole = Value::Object(map.clone());
            let inner = map
                .into_iter()
                .next()
                .map(|(_, v)| v)
                .unwrap_or(Value::Null);
            let as_wrapper = match inner {
                // `{"VpnGateway": [...]}`: the XML wrapper around the items.
                Value::Array(_) | Value::Null => list_from_value(inner),
                // `{"VpnGateway": {...}}` or `{"Tag": "x"}`: a wrapper around one item.
                other => serde_json::from_value(other).map(|item| vec![item]),
            };
            // Otherwise the object is itself the single item (one with one field).
            as_wrapper.or_else(|e| {
                serde_json::from_value(whole)
                    .map(|item| vec![item])
                    .map_err(|_| e)
            })
        }
        other => serde_json::from_value(other).map(|item| vec![item]),
    }
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

/// Deserializes an integer sent either as a JSON number or as a numeric string.
pub fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| D::Error::custom("expected an integer")),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| D::Error::custom("expected an integer or a numeric string")),
        _ => Err(D::Error::custom("expected an integer")),
    }
}

/// A fresh idempotency token (`ClientToken`): a random UUID v4.
pub fn idempotency_token() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = |r: std::ops::Range<usize>| b[r].iter().map(|x| format!("{x:02x}")).collect::<String>();
    format!(
        "{}-{}-{}-{}-{}",
        h(0..4),
        h(4..6),
        h(6..8),
        h(8..10),
        h(10..16)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        #[serde(rename = "Id")]
        id: String,
    }

    fn parse(json: &str) -> Vec<Item> {
        #[derive(Deserialize)]
        struct Holder {
            #[serde(deserialize_with = "list", default)]
            items: Vec<Item>,
        }
        match serde_json::from_str::<Holder>(&format!("{{\"items\": {json}}}")) {
            Ok(h) => h.items,
            Err(e) => panic!("{json}: {e}"),
        }
    }

    #[test]
    fn lists_in_every_shape_the_service_uses() {
        let one = vec![Item { id: "a".into() }];
        assert_eq!(parse(r#"[{"Id":"a"}]"#), one);
        assert_eq!(parse(r#"{"Item":[{"Id":"a"}]}"#), one);
        assert_eq!(parse(r#"{"Item":{"Id":"a"}}"#), one);
        assert_eq!(parse(r#"{"Id":"a"}"#), one);
        assert!(parse("null").is_empty());
        assert!(parse(r#""""#).is_empty());
        assert!(parse(r#"{"Item":[]}"#).is_empty());
    }

    #[test]
    fn integers_as_numbers_or_strings() {
        let v = |j: &str| lenient_i64(&mut serde_json::Deserializer::from_str(j));
        assert_eq!(v("5").ok(), Some(5));
        assert_eq!(v("\"10\"").ok(), Some(10));
        assert!(v("\"x\"").is_err());
    }

    #[test]
    fn tokens_are_unique_uuids() {
        let (a, b) = (idempotency_token(), idempotency_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn decode_errors_do_not_echo_the_body() {
        let response = RpcResponse {
            http_status: 200,
            request_id: Some("R".into()),
            body: bytes::Bytes::from_static(br#"{"Psk": 12}"#),
        };
        #[derive(Debug, Deserialize)]
        struct Out {
            #[serde(rename = "Psk")]
            _psk: String,
        }
        let err = match decode::<Out, crate::ServiceError>(&response) {
            Ok(_) => panic!("must fail"),
            Err(e) => e,
        };
        assert!(!err.to_string().contains("12"), "{err}");
    }
}
