//! Reading RPC parameters back into typed values: the inverse of [`crate::params`].
//!
//! The local emulator (and anything else that receives requests) parses incoming parameters
//! into the generated input types with this; type errors become [`ValidationError`]s that name
//! the parameter, as the service's `InvalidParameter` answers do.

use crate::error::ValidationError;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A value that can be read from one wire parameter.
pub trait FromWire: Sized {
    /// Parses the wire text; the error says what was expected.
    fn from_wire(text: &str) -> Result<Self, String>;
}

impl FromWire for String {
    fn from_wire(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

macro_rules! from_wire_via_parse {
    ($($t:ty => $what:literal),*) => {$(
        impl FromWire for $t {
            fn from_wire(text: &str) -> Result<Self, String> {
                text.trim().parse().map_err(|_| $what.to_owned())
            }
        }
    )*};
}

from_wire_via_parse!(
    i32 => "must be a 32-bit integer",
    i64 => "must be an integer",
    f64 => "must be a number"
);

/// The service reads booleans regardless of case: Alibaba's Python SDK sends `True`/`False`.
impl FromWire for bool {
    fn from_wire(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("true") {
            Ok(true)
        } else if text.eq_ignore_ascii_case("false") {
            Ok(false)
        } else {
            Err("must be `true` or `false`".to_owned())
        }
    }
}

/// Incoming parameters by name. Values may be secrets, so `Debug` shows names only.
///
/// Readers for nested groups (`Tag.3.`) share the map, so reading a list of N structs costs
/// O(N log N), not a copy of every parameter per item.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct WireParams {
    map: Arc<BTreeMap<String, String>>,
    prefix: String,
}

impl fmt::Debug for WireParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WireParams")
            .field("prefix", &self.prefix)
            .field("names", &self.map.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl WireParams {
    /// Parameters from `(name, value)` pairs; a later duplicate wins.
    pub fn new<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        WireParams {
            map: Arc::new(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
            prefix: String::new(),
        }
    }

    /// The raw text of `name` (relative to this reader's prefix).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.map
            .get(&format!("{}{name}", self.prefix))
            .map(String::as_str)
    }

    /// Every parameter name, for detecting unknown ones.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    fn invalid(&self, name: &str, why: impl Into<String>) -> ValidationError {
        ValidationError::new(format!("{}{name}", self.prefix), why)
    }

    /// `name`, parsed; `None` when absent. An empty value counts as absent, as the service
    /// treats it.
    pub fn get<T: FromWire>(&self, name: &str) -> Result<Option<T>, ValidationError> {
        match self.raw(name) {
            None | Some("") => Ok(None),
            Some(text) => T::from_wire(text)
                .map(Some)
                .map_err(|why| self.invalid(name, why)),
        }
    }

    /// `name`, a JSON-encoded value; `None` when absent.
    pub fn json<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ValidationError> {
        match self.raw(name) {
            None | Some("") => Ok(None),
            // A derived struct also reads an array, by position: `["k", "ikev2"]` would set the
            // first two fields. The parameter is documented as an object; nothing else is one.
            Some(text) if !text.trim_start().starts_with('{') => {
                Err(self.invalid(name, "must be a JSON object of the documented shape"))
            }
            Some(text) => serde_json::from_str(text).map(Some).map_err(|e| {
                // The JSON error names a position, never the (possibly secret) content.
                self.invalid(
                    name,
                    format!(
                        "must be a JSON object of the documented shape ({:?} error at column {})",
                        e.classify(),
                        e.column()
                    ),
                )
            }),
        }
    }

    /// `name.1`, `name.2`, ... until the first gap.
    pub fn list<T: FromWire>(&self, name: &str) -> Result<Vec<T>, ValidationError> {
        let mut out = Vec::new();
        for n in 1.. {
            match self.get::<T>(&format!("{name}.{n}"))? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(out)
    }

    /// A struct sent flat (`name.Field`), read by `read` through a reader prefixed `name.`;
    /// `None` when no parameter starts with `name.`.
    pub fn object<T>(
        &self,
        name: &str,
        read: impl FnOnce(&WireParams) -> Result<T, ValidationError>,
    ) -> Result<Option<T>, ValidationError> {
        let prefix = format!("{}{name}.", self.prefix);
        if !self.has_prefix(&prefix) {
            return Ok(None);
        }
        let sub = WireParams {
            map: Arc::clone(&self.map),
            prefix,
        };
        read(&sub).map(Some)
    }

    /// `name=a,b,c`, split at commas; an empty item is refused.
    pub fn comma_list<T: FromWire>(&self, name: &str) -> Result<Vec<T>, ValidationError> {
        match self.raw(name) {
            None | Some("") => Ok(Vec::new()),
            Some(text) => text
                .split(',')
                .map(|item| {
                    if item.trim().is_empty() {
                        return Err(self.invalid(name, "has an empty item in its comma-separated list"));
                    }
                    T::from_wire(item).map_err(|why| self.invalid(name, why))
                })
                .collect(),
        }
    }

    /// True when some parameter name starts with `prefix` (absolute). Keys sharing a prefix
    /// are contiguous in the sorted map: the first key at or after it tells.
    fn has_prefix(&self, prefix: &str) -> bool {
        self.map
            .range::<str, _>((std::ops::Bound::Included(prefix), std::ops::Bound::Unbounded))
            .next()
            .is_some_and(|(k, _)| k.starts_with(prefix))
    }

    /// `name.N.Field` groups, each read by `item` through a reader prefixed `name.N.`, until
    /// the first N with no field at all.
    pub fn struct_list<T>(
        &self,
        name: &str,
        mut item: impl FnMut(&WireParams) -> Result<T, ValidationError>,
    ) -> Result<Vec<T>, ValidationError> {
        let mut out = Vec::new();
        for n in 1.. {
            let prefix = format!("{}{name}.{n}.", self.prefix);
            if !self.has_prefix(&prefix) {
                break;
            }
            let sub = WireParams {
                map: Arc::clone(&self.map),
                prefix,
            };
            out.push(item(&sub)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;
    use crate::params::Params;

    #[test]
    fn reads_back_what_params_writes() {
        let mut p = Params::new();
        p.push("RegionId", "cn-hangzhou")
            .push("Bandwidth", 10)
            .push("EnableSsl", true)
            .push_list("ResourceId", &["vpn-1", "vpn-2"])
            .push_struct_list("Tag", &[("env", "prod"), ("team", "net")], |t, sub| {
                sub.push("Key", t.0).push("Value", t.1);
            })
            .push_json("Cfg", &serde_json::json!({"A": 1}))
            .unwrap();
        let r = WireParams::new(p.into_vec());
        assert_eq!(
            r.get::<String>("RegionId").unwrap().as_deref(),
            Some("cn-hangzhou")
        );
        assert_eq!(r.get::<i32>("Bandwidth").unwrap(), Some(10));
        assert_eq!(r.get::<bool>("EnableSsl").unwrap(), Some(true));
        assert_eq!(r.get::<i32>("Missing").unwrap(), None);
        assert_eq!(
            r.list::<String>("ResourceId").unwrap(),
            vec!["vpn-1", "vpn-2"]
        );
        let tags = r
            .struct_list("Tag", |s| {
                Ok((s.get::<String>("Key")?, s.get::<String>("Value")?))
            })
            .unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[1].0.as_deref(), Some("team"));
        let cfg: serde_json::Value = r.json("Cfg").unwrap().unwrap();
        assert_eq!(cfg["A"], 1);
    }

    #[test]
    fn booleans_are_read_regardless_of_case() {
        for (text, expected) in [
            ("true", true),
            ("True", true),
            ("TRUE", true),
            ("tRuE", true),
            ("false", false),
            ("False", false),
            ("FALSE", false),
            (" False ", false),
        ] {
            let r = WireParams::new([("EnableSsl", text)]);
            assert_eq!(
                r.get::<bool>("EnableSsl").unwrap(),
                Some(expected),
                "{text}"
            );
        }
        for text in ["yes", "1", "0", "t", "truee", "on"] {
            let r = WireParams::new([("AutoPay", text)]);
            assert_eq!(r.get::<bool>("AutoPay").unwrap_err().parameter(), "AutoPay");
        }
    }

    #[test]
    fn struct_lists_are_read_without_copying_the_parameters_per_item() {
        // 20,000 groups: a copy of the map per item would take minutes.
        let n = 20_000;
        let pairs: Vec<(String, String)> = (1..=n)
            .flat_map(|i| {
                [
                    (format!("Tag.{i}.Key"), format!("k{i}")),
                    (format!("Tag.{i}.Value"), format!("v{i}")),
                ]
            })
            .collect();
        let r = WireParams::new(pairs);
        let started = std::time::Instant::now();
        let tags = r.struct_list("Tag", |s| s.get::<String>("Key")).unwrap();
        assert_eq!(tags.len(), n);
        assert_eq!(tags[n - 1].as_deref(), Some("k20000"));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        // `Tag.1` has no `Tag.1.` fields, only a similarly named sibling: no items.
        let r = WireParams::new([("Tag.10.Key", "k"), ("Tags.1.Key", "x")]);
        assert!(r
            .struct_list("Tag", |s| s.get::<String>("Key"))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn type_errors_name_the_parameter_but_not_the_value() {
        let r = WireParams::new([("Bandwidth", "ten"), ("Cfg", "{\"Psk\": secret")]);
        let e = r.get::<i32>("Bandwidth").unwrap_err();
        assert_eq!(e.parameter(), "Bandwidth");
        let e = r.json::<serde_json::Value>("Cfg").unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
        // An array is no object, even where a struct would read it by position.
        #[derive(Debug, serde::Deserialize)]
        struct Cfg {
            _psk: Option<String>,
        }
        let r = WireParams::new([("Cfg", " [\"psk-SECRET\"]")]);
        let e = r.json::<Cfg>("Cfg").unwrap_err();
        assert_eq!(e.parameter(), "Cfg");
        assert!(!e.to_string().contains("SECRET"), "{e}");
        let r = WireParams::new([("Tag.1.Key", "k")]);
        let e = r.struct_list("Tag", |s| s.get::<i32>("Key")).unwrap_err();
        assert_eq!(e.parameter(), "Tag.1.Key");
    }
}
