//! Lists and nested objects as the service sends them, decoded straight from the body.
//!
//! An XML list becomes, in the service's JSON, a wrapper object around the items
//! (`"VpnGateways": {"VpnGateway": [...]}`). Depending on the number of items and the converter,
//! the wrapper may hold an array, a single object (one item), `null` or `""` (no items), and an
//! absent list may be `null` or `""` itself, and a converter that writes repeated elements one by
//! one repeats the wrapper's key. Every shape is read in one pass over the input, with no
//! intermediate `serde_json::Value`, and each item is read on its own: one item that cannot be
//! read fails the whole decode (naming its path), never changes how the other items read.
//!
//! Shapes that could only be read by guessing fail instead: an object given as an array (a
//! derived struct would take its values by position), and a bare object with none of the item's
//! fields where a list is expected (read as one empty item, it would hide the items inside it).

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
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
    deserializer.deserialize_any(ItemsVisitor::<T>::new())
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

/// A value that must be present and is no scalar (a nested object or an enum), read by `T` from
/// anything but an array (see [`optional_value`] for why).
pub fn value<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    NotAnArray::<T>::deserialize(deserializer).map(|NotAnArray(value)| value)
}

fn unwrap_all<T>(items: Vec<Wire<T>>) -> Vec<T> {
    items.into_iter().map(|Wire(item)| item).collect()
}

/// The `visit_*` methods for JSON numbers and booleans: the value is read by the item type
/// itself, and `wrap(visitor, item)` puts the item in the visitor's result.
macro_rules! numbers_and_booleans_read_by_the_item {
    ($value:ty, $wrap:expr) => {
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<$value, E> {
            T::deserialize(de::value::I64Deserializer::<E>::new(v)).map(|item| ($wrap)(self, item))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<$value, E> {
            T::deserialize(de::value::U64Deserializer::<E>::new(v)).map(|item| ($wrap)(self, item))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<$value, E> {
            T::deserialize(de::value::F64Deserializer::<E>::new(v)).map(|item| ($wrap)(self, item))
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<$value, E> {
            T::deserialize(de::value::BoolDeserializer::<E>::new(v)).map(|item| ($wrap)(self, item))
        }
    };
}

/// Reads the items, whatever shape carries them, after those already in `items` (a wrapper
/// that repeats its key: a naive XML conversion of repeated elements).
struct ItemsVisitor<T> {
    items: Vec<T>,
}

impl<T> ItemsVisitor<T> {
    fn new() -> Self {
        ItemsVisitor { items: Vec::new() }
    }

    fn with(mut self, item: T) -> Vec<T> {
        self.items.push(item);
        self.items
    }
}

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
        let mut items = self.items;
        loop {
            // Charge before reading, so the budget caps the memory the items will take.
            budget::charge::<T, A::Error>(items.len())?;
            match seq.next_element::<NotAnArray<T>>()? {
                Some(NotAnArray(item)) => items.push(item),
                None => return Ok(items),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        // One item that the converter did not put in an array.
        budget::charge::<T, A::Error>(self.items.len())?;
        let seen = KeysSeen::default();
        let item = T::deserialize(BareItem { map, seen: &seen })?;
        match (seen.any.get(), seen.known.get()) {
            // `{}`: an empty element, not an item that carries nothing.
            (false, _) => Ok(self.items),
            (true, true) => Ok(self.with(item)),
            // Not one member is a field of the item: this is no item but some other shape
            // (a wrapper the list was not expected to have), and reading it as one empty item
            // would lose every item inside it.
            (true, false) => Err(de::Error::custom(
                "an object with none of the item's fields where a list was expected",
            )),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(self.items)
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(self.items)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.is_empty() {
            return Ok(self.items);
        }
        T::deserialize(de::value::StrDeserializer::<E>::new(v)).map(|item| self.with(item))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Vec<T>, E> {
        if v.is_empty() {
            return Ok(self.items);
        }
        T::deserialize(de::value::StringDeserializer::<E>::new(v)).map(|item| self.with(item))
    }

    numbers_and_booleans_read_by_the_item!(Vec<T>, ItemsVisitor::with);
}

/// A value read by `T` from anything but an array. A derived struct also accepts an array,
/// filling its fields by position; the service never sends that, and a list or a stray array
/// read that way would put values in the wrong fields without a word.
pub(super) struct NotAnArray<T>(pub(super) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for NotAnArray<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(NotAnArrayVisitor::<T>(PhantomData))
            .map(NotAnArray)
    }
}

struct NotAnArrayVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for NotAnArrayVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or a single value, not an array")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        T::deserialize(de::value::UnitDeserializer::<E>::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        T::deserialize(de::value::UnitDeserializer::<E>::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::deserialize(de::value::StrDeserializer::<E>::new(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        T::deserialize(de::value::StringDeserializer::<E>::new(v))
    }

    numbers_and_booleans_read_by_the_item!(T, |_, item| item);
}

/// What the members of a bare object read as a list item were.
#[derive(Default)]
struct KeysSeen {
    /// The object had members.
    any: std::cell::Cell<bool>,
    /// One of them is a field of the item's struct (always true for items that are no struct).
    known: std::cell::Cell<bool>,
}

/// A bare object handed to the item type, noting which of its keys the item knows.
struct BareItem<'s, A> {
    map: A,
    seen: &'s KeysSeen,
}

impl<'de, 's, A: MapAccess<'de>> Deserializer<'de> for BareItem<'s, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        // Not a struct: the item type decides what it makes of a map.
        self.seen.known.set(true);
        self.seen.any.set(true);
        visitor.visit_map(self.map)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(NotingKeys {
            map: self.map,
            fields,
            seen: self.seen,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

struct NotingKeys<'s, A> {
    map: A,
    fields: &'static [&'static str],
    seen: &'s KeysSeen,
}

impl<'de, 's, A: MapAccess<'de>> MapAccess<'de> for NotingKeys<'s, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.map.next_key::<String>()? else {
            return Ok(None);
        };
        self.seen.any.set(true);
        if self.fields.contains(&key.as_str()) {
            self.seen.known.set(true);
        }
        seed.deserialize(de::value::StringDeserializer::<A::Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
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
        let mut items: Option<Vec<T>> = None;
        let mut others = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.key {
                // A repeated key holds more items (repeated XML elements converted one by
                // one): keep them all, in order.
                let before = ItemsVisitor {
                    items: items.take().unwrap_or_default(),
                };
                items = Some(map.next_value_seed(before)?);
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
        ItemsVisitor::<T>::new().visit_seq(seq)
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
struct OptionalVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionalVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, null or an empty string")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Option<T>, A::Error> {
        // A derived struct would read an array by position, putting values in the wrong
        // fields; no value this reads is an array.
        Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
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

    numbers_and_booleans_read_by_the_item!(Option<T>, |_, item| Some(item));
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

    #[test]
    fn an_array_is_never_read_as_an_object_by_position() {
        // A derived struct would take `["a", 5]` as `Id = "a", Size = 5`.
        for json in [r#"{"Item":[["a",5]]}"#, r#"[["a",5]]"#] {
            let err = parse("wrapped", json).unwrap_err();
            assert!(err.contains("sequence"), "{json}: {err}");
        }
        let err = parse("plain", r#"[["a",5]]"#).unwrap_err();
        assert!(err.contains("sequence"), "{err}");
        #[derive(Debug, Deserialize)]
        struct Outer {
            #[serde(default, deserialize_with = "optional_value")]
            _inner: Option<Item>,
        }
        let err = serde_json::from_str::<Outer>(r#"{"_inner":["a",5]}"#).unwrap_err();
        assert!(err.to_string().contains("sequence"), "{err}");
    }

    #[test]
    fn a_required_value_is_never_read_from_an_array() {
        #[derive(Debug, Deserialize)]
        struct Outer {
            #[serde(deserialize_with = "value")]
            inner: Item,
        }
        let ok: Outer = serde_json::from_str(r#"{"inner":{"Id":"a"}}"#).unwrap();
        assert_eq!(ok.inner, item("a"));
        let err = serde_json::from_str::<Outer>(r#"{"inner":["a",5]}"#).unwrap_err();
        assert!(err.to_string().contains("sequence"), "{err}");
    }

    #[test]
    fn a_repeated_wrapper_key_keeps_every_item() {
        let w = |json: &str| parse("wrapped", json).unwrap().wrapped;
        assert_eq!(
            w(r#"{"Item":{"Id":"a"},"Item":[{"Id":"b"},{"Id":"c"}],"Item":{"Id":"d"}}"#),
            vec![item("a"), item("b"), item("c"), item("d")]
        );
        let k = |json: &str| parse("keys", json).unwrap().keys;
        assert_eq!(k(r#"{"Key":"1","Key":2}"#), vec![1, 2]);
    }

    #[test]
    fn a_bare_object_with_none_of_the_items_fields_is_not_one_empty_item() {
        // A plain list that arrives wrapped would otherwise read as one item with every
        // field empty, and every real item inside it would be lost.
        // Like the generated types, every field optional.
        #[derive(Debug, Default, Deserialize, PartialEq)]
        #[serde(default)]
        struct Entry {
            #[serde(rename = "Id", deserialize_with = "crate::codec::optional_scalar")]
            id: Option<String>,
        }
        fn entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Entry>, D::Error> {
            wrapped_list("Entry", d)
        }
        #[derive(Debug, Deserialize)]
        struct Lists {
            #[serde(default, deserialize_with = "list")]
            plain: Vec<Entry>,
            #[serde(default, deserialize_with = "entries")]
            wrapped: Vec<Entry>,
        }
        let read = |json: &str| {
            serde_path_to_error::deserialize::<_, Lists>(&mut serde_json::Deserializer::from_str(
                json,
            ))
            .map_err(|e| e.to_string())
        };
        let err = read(r#"{"plain":{"Entry":[{"Id":"a"},{"Id":"b"}]}}"#).unwrap_err();
        assert!(err.contains("none of the item's fields"), "{err}");
        let err = read(r#"{"wrapped":{"Entry":{"Entry":[{"Id":"a"}]}}}"#).unwrap_err();
        assert!(err.contains("none of the item's fields"), "{err}");
        // An empty element is no item; an item with a field the SDK does not know besides
        // one it does is still one, and so is an item inside an array.
        assert!(read(r#"{"plain":{}}"#).unwrap().plain.is_empty());
        assert!(read(r#"{"wrapped":{"Entry":{}}}"#)
            .unwrap()
            .wrapped
            .is_empty());
        let one = vec![Entry {
            id: Some("a".into()),
        }];
        assert_eq!(read(r#"{"plain":{"Id":"a","New":1}}"#).unwrap().plain, one);
        assert_eq!(read(r#"{"plain":[{"New":1}]}"#).unwrap().plain.len(), 1);
    }
}
