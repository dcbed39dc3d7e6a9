//! Lists and nested objects as the service sends them, decoded straight from the body.
//!
//! An XML list becomes, in the service's JSON, a wrapper object around the items
//! (`"VpnGateways": {"VpnGateway": [...]}`). Depending on the number of items and the converter,
//! the wrapper may hold an array, a single object (one item), `null` or `""` (no items), and an
//! absent list may be `null` or `""` itself. Every shape is read in one pass over the input, with
//! no intermediate `serde_json::Value`, and each item is read on its own: one item that cannot
//! be read fails the whole decode (naming its path), never changes how the other items read.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::budget;
use super::scalar::{Wire, WireScalar};

/// A list whose JSON is the item array itself (or one bare item, `null` or `""`).
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ItemsVisitor::<T>(PhantomData))
}

/// A list of scalars (see [`list`]), each read through [`WireScalar`].
pub fn scalar_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: WireScalar,
{
    list::<D, Wire<T>>(deserializer).map(unwrap_all)
}

/// A list inside its XML wrapper: `{"<key>": items}`, where `items` takes any shape [`list`]
/// reads. An array in place of the wrapper, `null`, `""` and `{}` are accepted too; a wrapper
/// without `key` but with other members is an error, since reading it as empty would lose data.
pub fn wrapped_list<'de, D, T>(key: &'static str, deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(WrapperVisitor::<T> {
        key,
        item: PhantomData,
    })
}

/// [`wrapped_list`] of scalars, each read through [`WireScalar`].
pub fn wrapped_scalar_list<'de, D, T>(
    key: &'static str,
    deserializer: D,
) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: WireScalar,
{
    wrapped_list::<D, Wire<T>>(key, deserializer).map(unwrap_all)
}

/// An optional value that is not a scalar (a nested object or an enum): `null` and `""` (an
/// empty XML element) read as `None`; anything else is read by `T` itself.
pub fn optional_value<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(OptionalVisitor::<T>(PhantomData))
}

fn unwrap_all<T>(items: Vec<Wire<T>>) -> Vec<T> {
    items.into_iter().map(|Wire(item)| item).collect()
}

/// The `visit_*` methods for JSON numbers and booleans: the value is read by the item type
/// itself, and `wrap` puts the item in the visitor's result.
macro_rules! numbers_and_booleans_read_by_the_item {
    ($value:ty, $wrap:expr) => {
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<$value, E> {
            T::deserialize(de::value::I64Deserializer::<E>::new(v)).map($wrap)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<$value, E> {
            T::deserialize(de::value::U64Deserializer::<E>::new(v)).map($wrap)
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<$value, E> {
            T::deserialize(de::value::F64Deserializer::<E>::new(v)).map($wrap)
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<$value, E> {
            T::deserialize(de::value::BoolDeserializer::<E>::new(v)).map($wrap)
        }
    };
}

/// Reads the items, whatever shape carries them.
struct ItemsVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ItemsVisitor<T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ItemsVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, a single item, null or an empty string")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::new();
        loop {
            // Charge before reading, so the budget caps the memory the items will take.
            budget::charge::<T, A::Error>(items.len())?;
            match seq.next_element::<T>()? {
                Some(item) => items.push(item),
                None => return Ok(items),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        // One item that the converter did not put in an array.
        budget::charge::<T, A::Error>(0)?;
        T::deserialize(MapAccessDeserializer::new(map)).map(|item| vec![item])
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.is_empty() {
            return Ok(Vec::new());
        }
        T::deserialize(de::value::StrDeserializer::<E>::new(v)).map(|item| vec![item])
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Vec<T>, E> {
        if v.is_empty() {
            return Ok(Vec::new());
        }
        T::deserialize(de::value::StringDeserializer::<E>::new(v)).map(|item| vec![item])
    }

    numbers_and_booleans_read_by_the_item!(Vec<T>, |item| vec![item]);
}

/// Reads `{"<key>": items}`.
struct WrapperVisitor<T> {
    key: &'static str,
    item: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for WrapperVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list wrapped in `{}`", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut items = None;
        let mut others = false;
        while let Some(key) = map.next_key::<KeyIs>()? {
            if key.0 == self.key && items.is_none() {
                items = Some(map.next_value_seed(ItemsVisitor::<T>(PhantomData))?);
            } else {
                others = true;
                map.next_value::<IgnoredAny>()?;
            }
        }
        match items {
            Some(items) => Ok(items),
            None if !others => Ok(Vec::new()),
            None => Err(de::Error::custom(format_args!(
                "the list wrapper has no `{}` member",
                self.key
            ))),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        ItemsVisitor::<T>(PhantomData).visit_seq(seq)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.is_empty() {
            Ok(Vec::new())
        } else {
            Err(E::invalid_type(de::Unexpected::Other("a string"), &self))
        }
    }
}

/// A map key, borrowed when the input allows.
struct KeyIs(String);

impl<'de> Deserialize<'de> for KeyIs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(KeyIs)
    }
}

struct OptionalVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionalVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, null or an empty string")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<T>, A::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq)).map(Some)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        T::deserialize(de::value::StrDeserializer::<E>::new(v)).map(Some)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Option<T>, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        T::deserialize(de::value::StringDeserializer::<E>::new(v)).map(Some)
    }

    numbers_and_booleans_read_by_the_item!(Option<T>, Some);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        #[serde(rename = "Id", deserialize_with = "crate::codec::scalar")]
        id: String,
        #[serde(
            rename = "Size",
            default,
            deserialize_with = "crate::codec::optional_scalar"
        )]
        size: Option<i64>,
    }

    fn item(id: &str) -> Item {
        Item {
            id: id.into(),
            size: None,
        }
    }

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "wrapped_items")]
        wrapped: Vec<Item>,
        #[serde(default, deserialize_with = "list")]
        plain: Vec<Item>,
        #[serde(default, deserialize_with = "wrapped_keys")]
        keys: Vec<i32>,
    }

    fn wrapped_items<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Item>, D::Error> {
        wrapped_list("Item", d)
    }

    fn wrapped_keys<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i32>, D::Error> {
        wrapped_scalar_list("Key", d)
    }

    fn parse(field: &str, json: &str) -> Result<Holder, String> {
        let body = format!("{{\"{field}\": {json}}}");
        let de = &mut serde_json::Deserializer::from_str(&body);
        serde_path_to_error::deserialize::<_, Holder>(de)
            .map_err(|e| format!("{} at {}", e.inner(), e.path()))
    }

    #[test]
    fn wrapped_lists_in_every_shape_the_service_uses() {
        let one = vec![item("a")];
        let w = |json: &str| parse("wrapped", json).unwrap().wrapped;
        assert_eq!(w(r#"{"Item":[{"Id":"a"}]}"#), one);
        assert_eq!(w(r#"{"Item":{"Id":"a"}}"#), one);
        assert_eq!(w(r#"[{"Id":"a"}]"#), one);
        assert!(w(r#"{"Item":[]}"#).is_empty());
        assert!(w(r#"{"Item":null}"#).is_empty());
        assert!(w(r#"{"Item":""}"#).is_empty());
        assert!(w("{}").is_empty());
        assert!(w("null").is_empty());
        assert!(w(r#""""#).is_empty());
    }

    #[test]
    fn plain_lists_in_every_shape_the_service_uses() {
        let p = |json: &str| parse("plain", json).unwrap().plain;
        assert_eq!(p(r#"[{"Id":"a"},{"Id":"b"}]"#), vec![item("a"), item("b")]);
        assert_eq!(p(r#"{"Id":"a"}"#), vec![item("a")]);
        assert!(p("null").is_empty());
        assert!(p(r#""""#).is_empty());
    }

    #[test]
    fn scalar_items_drift_like_scalar_fields() {
        let k = |json: &str| parse("keys", json).unwrap().keys;
        assert_eq!(k(r#"{"Key":[1,"2"," 3 "]}"#), vec![1, 2, 3]);
        assert_eq!(k(r#"{"Key":"7"}"#), vec![7]);
        assert_eq!(k(r#"{"Key":7}"#), vec![7]);
        assert!(parse("keys", r#"{"Key":[1,"x"]}"#).is_err());
    }

    #[test]
    fn one_odd_item_never_changes_the_others() {
        let list = parse(
            "wrapped",
            r#"{"Item":[{"Id":"a"},{"Id":"b","Size":"1495382400000"},{"Id":7}]}"#,
        )
        .unwrap()
        .wrapped;
        assert_eq!(
            list,
            vec![
                item("a"),
                Item {
                    id: "b".into(),
                    size: Some(1_495_382_400_000)
                },
                item("7"),
            ]
        );
    }

    #[test]
    fn an_unreadable_item_fails_the_decode_naming_its_path() {
        let err = parse(
            "wrapped",
            r#"{"Item":[{"Id":"a"},{"Id":"b","Size":"big"}]}"#,
        )
        .unwrap_err();
        assert!(err.ends_with("at wrapped.Item[1].Size"), "{err}");
        let err = parse("wrapped", r#"{"Item":[{"Id":"a"},{"Size":1}]}"#).unwrap_err();
        assert!(err.contains("missing field `Id`"), "{err}");
        assert!(err.ends_with("at wrapped.Item[1]"), "{err}");
    }

    #[test]
    fn a_wrapper_without_its_key_is_not_read_as_empty() {
        let err = parse("wrapped", r#"{"Other":[{"Id":"a"}]}"#).unwrap_err();
        assert!(err.contains("no `Item` member"), "{err}");
    }
}
