//! Reading RPC wire parameters back into typed values: the inverse of [`super::encode`].
//!
//! The local emulator (and anything else that receives requests) parses incoming parameters
//! into the generated input types with this; type errors become [`ValidationError`]s that name
//! the parameter by its full wire path (`TunnelOptionsSpecification.2.TunnelIkeConfig.IkePfs`),
//! as the service's `InvalidParameter` answers do.
//!
//! Every shape [`super::encode`] writes is read here, at any depth: [`WireParams::get`]
//! (scalars), [`WireParams::list`] (`Name.N`), [`WireParams::comma_list`] (`Name=a,b`),
//! [`WireParams::object`] (`Name.Field`), [`WireParams::struct_list`] (`Name.N.Field`) and
//! [`WireParams::json`]. `object` and `struct_list` hand their reader a [`WireParams`] scoped to
//! the group's prefix, on which every method works again, so prefixes compose
//! (`Tunnel.1.` + `Ike.` + `Psk`).
//!
//! Incoming parameters are untrusted: the parameters live in one sorted map shared by every
//! scoped reader, and each read is a lookup in it (O(log N)), never a scan of the parameters,
//! so reading a request costs O(N log N) however its groups nest.

use crate::error::{ValidationError, ValidationErrorKind};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;

use entries::Entries;

/// The parameter map, behind the only methods that read it, so every read is a lookup and is
/// counted in tests (see `reads_stay_linear_in_the_number_of_items`).
mod entries {
    use std::collections::BTreeMap;
    use std::ops::Bound;

    #[derive(Clone, Default, PartialEq, Eq)]
    pub(super) struct Entries(BTreeMap<String, String>);

    #[cfg(test)]
    thread_local! {
        /// Map reads on this thread: lookups plus entries visited by iteration.
        pub(super) static READS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    #[inline]
    fn count(_reads: u64) {
        #[cfg(test)]
        READS.with(|r| r.set(r.get() + _reads));
    }

    impl Entries {
        pub(super) fn new(map: BTreeMap<String, String>) -> Self {
            Entries(map)
        }

        /// The value of the parameter named exactly `name`.
        pub(super) fn get(&self, name: &str) -> Option<&str> {
            count(1);
            self.0.get(name).map(String::as_str)
        }

        /// True when some parameter name starts with `prefix`. Names sharing a prefix are
        /// contiguous in the sorted map: the first name at or after it tells.
        pub(super) fn has_prefix(&self, prefix: &str) -> bool {
            count(1);
            self.0
                .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
                .next()
                .is_some_and(|(name, _)| name.starts_with(prefix))
        }

        /// Every name, sorted.
        pub(super) fn names(&self) -> impl Iterator<Item = &str> {
            self.0.keys().map(|name| {
                count(1);
                name.as_str()
            })
        }
    }
}

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

/// Incoming parameters by name, read relative to a prefix (empty at the top level). Values
/// may be secrets, so `Debug` shows names only.
///
/// Readers for nested groups (`Tag.3.`, `Tunnel.1.Ike.`) share the map, so reading a list of N
/// structs costs O(N log N), not a copy of every parameter per item.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct WireParams {
    map: Arc<Entries>,
    /// The path of the group this reader reads, ending with `.`; empty at the top level.
    prefix: String,
}

impl fmt::Debug for WireParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WireParams")
            .field("prefix", &self.prefix)
            .field("names", &self.map.names().collect::<Vec<_>>())
            .finish()
    }
}

impl WireParams {
    /// Parameters from `(name, value)` pairs; a later duplicate wins.
    pub fn new<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        WireParams {
            map: Arc::new(Entries::new(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
            prefix: String::new(),
        }
    }

    /// The full wire path of `name` read here: this reader's prefix, then `name`.
    fn path(&self, name: &str) -> String {
        let mut path = String::with_capacity(self.prefix.len() + name.len());
        path.push_str(&self.prefix);
        path.push_str(name);
        path
    }

    /// A reader for the group at `prefix` (a full path ending with `.`), sharing the map.
    fn scoped(&self, prefix: String) -> WireParams {
        WireParams {
            map: Arc::clone(&self.map),
            prefix,
        }
    }

    /// The raw text of `name` (relative to this reader's prefix).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.map.get(&self.path(name))
    }

    /// Every parameter name of the request (whatever this reader's prefix), sorted, for
    /// detecting unknown ones.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.names()
    }

    fn invalid(&self, name: &str, why: impl Into<String>) -> ValidationError {
        ValidationError::new(ValidationErrorKind::Malformed, self.path(name), why)
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

    /// `name.1`, `name.2`, ... until the first gap (the `repeatList` style).
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

    /// `name=a,b,c` split at its commas (the `simple` style); empty when absent or empty.
    ///
    /// An empty item (`a,,b`, or only spaces) is refused, naming the parameter and the item's
    /// position, as is an item `T` cannot read; items are not trimmed.
    pub fn comma_list<T: FromWire>(&self, name: &str) -> Result<Vec<T>, ValidationError> {
        let text = match self.raw(name) {
            None | Some("") => return Ok(Vec::new()),
            Some(text) => text,
        };
        text.split(',')
            .enumerate()
            .map(|(i, item)| {
                if item.trim().is_empty() {
                    return Err(self.invalid(
                        name,
                        format!("item {} of the comma-separated list is empty", i + 1),
                    ));
                }
                T::from_wire(item)
                    .map_err(|why| self.invalid(name, format!("item {} {why}", i + 1)))
            })
            .collect()
    }

    /// A struct sent flat (`name.Field`, the `flat` style), read by `read` through a reader
    /// prefixed `name.`; `None` when no parameter starts with `name.`.
    pub fn object<T>(
        &self,
        name: &str,
        read: impl FnOnce(&WireParams) -> Result<T, ValidationError>,
    ) -> Result<Option<T>, ValidationError> {
        let prefix = self.path(&format!("{name}."));
        if !self.map.has_prefix(&prefix) {
            return Ok(None);
        }
        read(&self.scoped(prefix)).map(Some)
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
            let prefix = self.path(&format!("{name}.{n}."));
            if !self.map.has_prefix(&prefix) {
                break;
            }
            out.push(item(&self.scoped(prefix))?);
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;
    use crate::wire_params::encode::Params;

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

    /// Map reads on this thread so far (see `entries::READS`).
    fn reads() -> u64 {
        entries::READS.with(std::cell::Cell::get)
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Proposal {
        alg: String,
        group: i32,
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Ike {
        psk: Option<String>,
        proposals: Vec<Proposal>,
        ids: Vec<String>,
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Tunnel {
        role: Option<String>,
        ike: Option<Ike>,
        cidrs: Vec<String>,
        extra: Option<serde_json::Value>,
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Request {
        region: Option<String>,
        tunnels: Vec<Tunnel>,
        cfg_asn: Option<Option<i64>>,
        cfg_peers: Option<Vec<Vec<i32>>>,
        zones: Vec<String>,
    }

    fn sample() -> Request {
        let ike = |psk: &str, n: i32| Ike {
            psk: Some(psk.into()),
            proposals: (1..=n)
                .map(|g| Proposal {
                    alg: format!("alg {g}*~/"),
                    group: g,
                })
                .collect(),
            ids: vec!["id-a".into(), "id b".into()],
        };
        Request {
            region: Some("cn-hangzhou".into()),
            tunnels: vec![
                Tunnel {
                    role: Some("master".into()),
                    ike: Some(ike("k1 中", 2)),
                    cidrs: vec!["169.254.10.0/30".into(), "169.254.11.0/30".into()],
                    extra: Some(serde_json::json!({"A": [1, 2]})),
                },
                Tunnel {
                    role: Some("slave".into()),
                    ike: None,
                    cidrs: Vec::new(),
                    extra: None,
                },
                Tunnel {
                    role: None,
                    ike: Some(ike("k3", 0)),
                    cidrs: vec!["x".into()],
                    extra: None,
                },
            ],
            cfg_asn: Some(Some(65530)),
            cfg_peers: Some(vec![vec![1, 2], vec![3]]),
            zones: vec!["a".into(), "b".into(), "c".into()],
        }
    }

    /// Written as generated code writes: the same calls on `Params` and `StructParams`.
    fn encode(r: &Request) -> Params {
        let mut p = Params::new();
        p.push_opt("RegionId", r.region.as_ref())
            .try_push_struct_list("Tunnel", &r.tunnels, |t, s| {
                s.push_opt("Role", t.role.as_ref());
                if let Some(ike) = &t.ike {
                    s.try_push_struct("Ike", |i| {
                        i.push_opt("Psk", ike.psk.as_ref())
                            .push_struct_list("Proposal", &ike.proposals, |prop, ps| {
                                ps.push("Alg", &prop.alg).push("Group", prop.group);
                            })
                            .push_comma_list("Ids", &ike.ids)?;
                        Ok(())
                    })?;
                }
                s.push_list("Cidr", &t.cidrs);
                if let Some(extra) = &t.extra {
                    s.push_json("Extra", extra)?;
                }
                Ok(())
            })
            .unwrap();
        if let Some(asn) = &r.cfg_asn {
            p.push_struct("Cfg", |c| {
                c.push_opt("Asn", asn.as_ref()).push_struct_list(
                    "Peer",
                    r.cfg_peers.as_deref().unwrap_or(&[]),
                    |ids, peer| {
                        peer.push_list("Id", ids);
                    },
                );
            });
        }
        p.push_comma_list("Zones", &r.zones).unwrap();
        p
    }

    /// Read as generated `from_wire_params` code reads: scoped readers all the way down.
    fn decode(r: &WireParams) -> Result<Request, ValidationError> {
        let cfg = r.object("Cfg", |c| {
            Ok((
                c.get::<i64>("Asn")?,
                c.struct_list("Peer", |p| p.list::<i32>("Id"))?,
            ))
        })?;
        Ok(Request {
            region: r.get("RegionId")?,
            tunnels: r.struct_list("Tunnel", |t| {
                Ok(Tunnel {
                    role: t.get("Role")?,
                    ike: t.object("Ike", |i| {
                        Ok(Ike {
                            psk: i.get("Psk")?,
                            proposals: i.struct_list("Proposal", |p| {
                                Ok(Proposal {
                                    alg: p.get("Alg")?.unwrap_or_default(),
                                    group: p.get("Group")?.unwrap_or_default(),
                                })
                            })?,
                            ids: i.comma_list("Ids")?,
                        })
                    })?,
                    cidrs: t.list("Cidr")?,
                    extra: t.json("Extra")?,
                })
            })?,
            cfg_asn: cfg.as_ref().map(|c| c.0),
            cfg_peers: cfg.map(|c| c.1),
            zones: r.comma_list("Zones")?,
        })
    }

    #[test]
    fn every_shape_round_trips_at_depth_three() {
        let request = sample();
        let params = encode(&request);
        let names: Vec<&str> = params.as_slice().iter().map(|(k, _)| k.as_str()).collect();
        for expected in [
            "Tunnel.1.Ike.Proposal.2.Group",
            "Tunnel.1.Ike.Ids",
            "Tunnel.1.Cidr.2",
            "Tunnel.1.Extra",
            "Tunnel.3.Ike.Psk",
            "Cfg.Peer.1.Id.2",
            "Cfg.Asn",
            "Zones",
        ] {
            assert!(names.contains(&expected), "{expected} not in {names:?}");
        }
        let read = decode(&WireParams::new(params.into_vec())).unwrap();
        assert_eq!(read, request);

        // Absent groups read as absent, empty lists as empty.
        let empty = Request {
            region: None,
            tunnels: Vec::new(),
            cfg_asn: None,
            cfg_peers: None,
            zones: Vec::new(),
        };
        let params = encode(&empty);
        assert!(params.is_empty());
        assert_eq!(decode(&WireParams::new(params.into_vec())).unwrap(), empty);
    }

    #[test]
    fn objects_are_present_only_with_a_field_under_their_prefix() {
        let r = WireParams::new([("Cfgx.A", "1"), ("Cfg", "scalar"), ("Other.Cfg.A", "2")]);
        let read = |r: &WireParams| r.object("Cfg", |c| c.get::<i32>("A"));
        assert_eq!(read(&r).unwrap(), None);
        let r = WireParams::new([("Cfg.B", "1")]);
        // Present, though without the field asked for.
        assert_eq!(read(&r).unwrap(), Some(None));
        // Scoped: `Other.Cfg.A` is `Cfg.A` of the `Other` object.
        let r = WireParams::new([("Other.Cfg.A", "2")]);
        let nested = r.object("Other", |o| o.object("Cfg", |c| c.get::<i32>("A")));
        assert_eq!(nested.unwrap(), Some(Some(Some(2))));
    }

    #[test]
    fn comma_lists_split_and_refuse_empty_items() {
        let r = WireParams::new([
            ("Ids", "a,b,c"),
            ("Nums", "1,2,30"),
            ("Empty", ""),
            ("Gap", "a,,b"),
            ("Trailing", "a,"),
            ("Blank", " "),
            ("Bad", "1,x"),
            ("T.1.Ike.Ids", "a,,b"),
        ]);
        assert_eq!(r.comma_list::<String>("Ids").unwrap(), ["a", "b", "c"]);
        assert_eq!(r.comma_list::<i32>("Nums").unwrap(), [1, 2, 30]);
        assert!(r.comma_list::<String>("Empty").unwrap().is_empty());
        assert!(r.comma_list::<String>("Missing").unwrap().is_empty());
        for (name, item) in [("Gap", 2), ("Trailing", 2), ("Blank", 1)] {
            let e = r.comma_list::<String>(name).unwrap_err();
            assert_eq!(e.parameter(), name);
            assert!(e.to_string().contains(&format!("item {item} ")), "{e}");
            assert!(e.to_string().contains("empty"), "{e}");
        }
        let e = r.comma_list::<i32>("Bad").unwrap_err();
        assert_eq!(e.parameter(), "Bad");
        assert!(
            e.to_string().contains("item 2 must be a 32-bit integer"),
            "{e}"
        );
        // Inside scoped readers the error names the full wire path.
        let e = r
            .struct_list("T", |t| t.object("Ike", |i| i.comma_list::<String>("Ids")))
            .unwrap_err();
        assert_eq!(e.parameter(), "T.1.Ike.Ids");
    }

    #[test]
    fn errors_name_the_full_wire_path_at_any_depth() {
        let mut params = encode(&sample()).into_vec();
        for (name, value) in &mut params {
            if name == "Tunnel.1.Ike.Proposal.2.Group" {
                *value = "two".into();
            }
        }
        let e = decode(&WireParams::new(params)).unwrap_err();
        assert_eq!(e.parameter(), "Tunnel.1.Ike.Proposal.2.Group");
        assert!(!e.to_string().contains("two"), "{e}");

        let r = WireParams::new([("Cfg.Peer.1.Id.1", "7"), ("Cfg.Peer.2.Id.1", "x")]);
        let e = r
            .object("Cfg", |c| c.struct_list("Peer", |p| p.list::<i32>("Id")))
            .unwrap_err();
        assert_eq!(e.parameter(), "Cfg.Peer.2.Id.1");
        let r = WireParams::new([("Tunnel.1.Extra", "[1]")]);
        let e = r
            .struct_list("Tunnel", |t| t.json::<serde_json::Value>("Extra"))
            .unwrap_err();
        assert_eq!(e.parameter(), "Tunnel.1.Extra");
    }

    #[test]
    fn reads_stay_linear_in_the_number_of_items() {
        // 10,000 tunnels, each with a nested object, a list of structs in it and a list: every
        // map read is counted, so an implementation that scanned the parameters per item
        // (10,000 × 70,000 reads) could not pass, however fast the machine.
        let n = 10_000;
        let tunnels: Vec<Tunnel> = (0..n)
            .map(|i| Tunnel {
                role: Some(format!("r{i}")),
                ike: Some(Ike {
                    psk: Some(format!("k{i}")),
                    proposals: vec![Proposal {
                        alg: "a".into(),
                        group: 1,
                    }],
                    ids: vec!["x".into()],
                }),
                cidrs: vec!["c1".into(), "c2".into()],
                extra: None,
            })
            .collect();
        let request = Request {
            region: None,
            tunnels,
            cfg_asn: None,
            cfg_peers: None,
            zones: Vec::new(),
        };
        let params = encode(&request).into_vec();
        let total = params.len() as u64;
        assert_eq!(total, 7 * n as u64);
        let r = WireParams::new(params);

        let before = reads();
        let read = decode(&r).unwrap();
        let used = reads() - before;
        assert_eq!(read.tunnels.len(), n);
        assert_eq!(
            read.tunnels[n - 1].ike.as_ref().unwrap().psk.as_deref(),
            Some("k9999")
        );
        // Per tunnel: its presence, Role, the Ike object, Psk, two Proposal probes, their two
        // fields, Ids, Extra and three Cidr probes: 14. Plus a handful at the top.
        assert!(
            used <= 14 * n as u64 + 16,
            "{used} map reads for {total} parameters"
        );

        // The counter sees scans too: listing the names reads every entry.
        let before = reads();
        assert_eq!(r.names().count() as u64, total);
        assert_eq!(reads() - before, total);
    }
}
