//! Flattening request values into RPC wire parameters (the shapes are listed in the
//! [parent module](super)), as the generated code needs it.
//!
//! [`Params`] writes at the top level and [`StructParams`] inside a struct. Both have the same
//! methods with the same signatures, so the generated code writes a field the same way at any
//! depth; the `Params` methods delegate to a [`StructParams`] with an empty prefix, so each
//! shape is encoded in one place. [`super::decode::WireParams`] reads all of them back.

use std::fmt::{self, Display};

use serde::Serialize;

use crate::error::{ValidationError, ValidationErrorKind};

/// A list of `(name, value)` wire parameters, in insertion order.
///
/// `Debug` shows names only: values may be secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be sensitive: names only.
        f.debug_list()
            .entries(self.pairs.iter().map(|(k, _)| k))
            .finish()
    }
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Params::default()
    }

    /// Room for `capacity` parameters.
    pub fn with_capacity(capacity: usize) -> Self {
        Params {
            pairs: Vec::with_capacity(capacity),
        }
    }

    /// The top level, as a [`StructParams`] without prefix (no allocation).
    fn root(&mut self) -> StructParams<'_> {
        StructParams {
            prefix: String::new(),
            params: self,
        }
    }

    /// Adds `name=value`. `bool` displays as `true`/`false`, as the service expects.
    pub fn push(&mut self, name: impl Into<String>, value: impl Display) -> &mut Self {
        self.root().push(name, value);
        self
    }

    /// Adds `name=value` when `value` is `Some`.
    pub fn push_opt<T: Display>(&mut self, name: impl Into<String>, value: Option<T>) -> &mut Self {
        self.root().push_opt(name, value);
        self
    }

    /// Adds `name.1=a`, `name.2=b`, ... (numbered from 1; the `repeatList` style).
    pub fn push_list<T: Display>(&mut self, name: &str, items: &[T]) -> &mut Self {
        self.root().push_list(name, items);
        self
    }

    /// Adds `name=a,b,c` (the `simple` style); nothing for an empty list. See
    /// [`StructParams::push_comma_list`] for the items refused.
    pub fn push_comma_list<T: Display>(
        &mut self,
        name: &str,
        items: &[T],
    ) -> Result<&mut Self, ValidationError> {
        self.root().push_comma_list(name, items)?;
        Ok(self)
    }

    /// Adds a struct sent flat (the `flat` style): `fill` writes its fields through a
    /// [`StructParams`] that prefixes them with `name.`. Nothing is sent if `fill` adds nothing.
    pub fn push_struct(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut StructParams<'_>),
    ) -> &mut Self {
        self.root().push_struct(name, fill);
        self
    }

    /// [`push_struct`](Self::push_struct) for a struct with fields that can fail to encode
    /// (JSON, comma-joined lists): the first error is returned.
    pub fn try_push_struct(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut StructParams<'_>) -> Result<(), ValidationError>,
    ) -> Result<&mut Self, ValidationError> {
        self.root().try_push_struct(name, fill)?;
        Ok(self)
    }

    /// Adds a list of structs: `fill` receives each item and a [`StructParams`] that prefixes
    /// field names with `name.N.` (N from 1). See [`StructParams::push_struct_list`].
    pub fn push_struct_list<T>(
        &mut self,
        name: &str,
        items: &[T],
        fill: impl FnMut(&T, &mut StructParams<'_>),
    ) -> &mut Self {
        self.root().push_struct_list(name, items, fill);
        self
    }

    /// [`push_struct_list`](Self::push_struct_list) for items with fields that can fail to
    /// encode: the first error is returned.
    pub fn try_push_struct_list<T>(
        &mut self,
        name: &str,
        items: &[T],
        fill: impl FnMut(&T, &mut StructParams<'_>) -> Result<(), ValidationError>,
    ) -> Result<&mut Self, ValidationError> {
        self.root().try_push_struct_list(name, items, fill)?;
        Ok(self)
    }

    /// Adds `name=<compact JSON of value>` (the `json` style).
    pub fn push_json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<&mut Self, ValidationError> {
        self.root().push_json(name, value)?;
        Ok(self)
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The parameters, for [`crate::RpcRequest::params`] or [`crate::RpcRequest::with_body`].
    pub fn into_vec(self) -> Vec<(String, String)> {
        self.pairs
    }

    /// The parameters as a slice.
    pub fn as_slice(&self) -> &[(String, String)] {
        &self.pairs
    }
}

impl From<Params> for Vec<(String, String)> {
    fn from(params: Params) -> Self {
        params.pairs
    }
}

/// The fields of one struct, at any depth: every name is prefixed with the struct's path
/// (`Tag.1.`, `Cfg.`, `Tunnel.2.Ike.`). Its methods are those of [`Params`], with the same
/// signatures, so nested fields are written as top-level ones are.
///
/// `Debug` shows the prefix only.
pub struct StructParams<'a> {
    /// The path of this struct, ending with `.`; empty at the top level.
    prefix: String,
    params: &'a mut Params,
}

impl fmt::Debug for StructParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StructParams")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl StructParams<'_> {
    /// The full wire name of `name` here.
    fn path(&self, name: impl Into<String>) -> String {
        let name = name.into();
        if self.prefix.is_empty() {
            return name;
        }
        let mut path = String::with_capacity(self.prefix.len() + name.len());
        path.push_str(&self.prefix);
        path.push_str(&name);
        path
    }

    /// The fields of the struct at `prefix` (a full path ending with `.`).
    fn nested(&mut self, prefix: String) -> StructParams<'_> {
        StructParams {
            prefix,
            params: &mut *self.params,
        }
    }

    /// Adds `Prefix.name=value`. `bool` displays as `true`/`false`, as the service expects.
    pub fn push(&mut self, name: impl Into<String>, value: impl Display) -> &mut Self {
        let path = self.path(name);
        self.params.pairs.push((path, value.to_string()));
        self
    }

    /// Adds `Prefix.name=value` when `value` is `Some`.
    pub fn push_opt<T: Display>(&mut self, name: impl Into<String>, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.push(name, value);
        }
        self
    }

    /// Adds `Prefix.name.1=a`, `Prefix.name.2=b`, ... (numbered from 1; the `repeatList`
    /// style).
    pub fn push_list<T: Display>(&mut self, name: &str, items: &[T]) -> &mut Self {
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}{name}.{}", self.prefix, i + 1);
            self.params.pairs.push((path, item.to_string()));
        }
        self
    }

    /// Adds `Prefix.name=a,b,c` (the `simple` style); nothing for an empty list.
    ///
    /// An empty item, or one containing a comma, cannot be told apart from its neighbours
    /// once joined: such a list is refused, naming the parameter and the item's position
    /// (never its value), rather than sent as something else.
    pub fn push_comma_list<T: Display>(
        &mut self,
        name: &str,
        items: &[T],
    ) -> Result<&mut Self, ValidationError> {
        if items.is_empty() {
            return Ok(self);
        }
        let mut joined = String::new();
        for (i, item) in items.iter().enumerate() {
            let text = item.to_string();
            let why = if text.trim().is_empty() {
                "is empty"
            } else if text.contains(',') {
                "contains a comma"
            } else {
                if i > 0 {
                    joined.push(',');
                }
                joined.push_str(&text);
                continue;
            };
            return Err(ValidationError::new(
                ValidationErrorKind::Unencodable,
                self.path(name),
                format!(
                    "item {} {why}, which a comma-separated list cannot carry",
                    i + 1
                ),
            ));
        }
        let path = self.path(name);
        self.params.pairs.push((path, joined));
        Ok(self)
    }

    /// Adds a struct sent flat (the `flat` style): `fill` writes its fields through a
    /// [`StructParams`] that prefixes them with `Prefix.name.`. Nothing is sent if `fill` adds
    /// nothing.
    pub fn push_struct(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut StructParams<'_>),
    ) -> &mut Self {
        let prefix = format!("{}{name}.", self.prefix);
        fill(&mut self.nested(prefix));
        self
    }

    /// [`push_struct`](Self::push_struct) for a struct with fields that can fail to encode
    /// (JSON, comma-joined lists): the first error is returned.
    pub fn try_push_struct(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut StructParams<'_>) -> Result<(), ValidationError>,
    ) -> Result<&mut Self, ValidationError> {
        let prefix = format!("{}{name}.", self.prefix);
        fill(&mut self.nested(prefix))?;
        Ok(self)
    }

    /// Adds a list of structs: `fill` receives each item and a [`StructParams`] that prefixes
    /// field names with `Prefix.name.N.` (N from 1, the item's position).
    ///
    /// An item for which `fill` adds nothing leaves a gap in the numbering, and readers (the
    /// service's included) stop at the first gap: items are expected to carry a field.
    pub fn push_struct_list<T>(
        &mut self,
        name: &str,
        items: &[T],
        mut fill: impl FnMut(&T, &mut StructParams<'_>),
    ) -> &mut Self {
        for (i, item) in items.iter().enumerate() {
            let prefix = format!("{}{name}.{}.", self.prefix, i + 1);
            fill(item, &mut self.nested(prefix));
        }
        self
    }

    /// [`push_struct_list`](Self::push_struct_list) for items with fields that can fail to
    /// encode: the first error is returned.
    pub fn try_push_struct_list<T>(
        &mut self,
        name: &str,
        items: &[T],
        mut fill: impl FnMut(&T, &mut StructParams<'_>) -> Result<(), ValidationError>,
    ) -> Result<&mut Self, ValidationError> {
        for (i, item) in items.iter().enumerate() {
            let prefix = format!("{}{name}.{}.", self.prefix, i + 1);
            fill(item, &mut self.nested(prefix))?;
        }
        Ok(self)
    }

    /// Adds `Prefix.name=<compact JSON of value>` (the `json` style).
    pub fn push_json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<&mut Self, ValidationError> {
        let path = self.path(name);
        match serde_json::to_string(value) {
            Ok(json) => {
                self.params.pairs.push((path, json));
                Ok(self)
            }
            Err(e) => Err(ValidationError::new(
                ValidationErrorKind::Unencodable,
                path,
                format!("cannot be encoded as JSON: {e}"),
            )),
        }
    }
}

/// Flattened `(name, value)` wire parameters.
pub type Pairs = Vec<(String, String)>;

/// Splits flattened parameters by where they travel: those whose top-level name
/// (`TunnelOptionsSpecification` of `TunnelOptionsSpecification.1.Role`) is in `body_names`
/// go to the form body, the rest to the query. Order is kept within each part.
pub fn split_body(params: Vec<(String, String)>, body_names: &[&str]) -> (Pairs, Pairs) {
    params.into_iter().partition(|(name, _)| {
        let top = name.split('.').next().unwrap_or(name);
        !body_names.contains(&top)
    })
}

/// A fresh idempotency token (`ClientToken`): a random UUID v4 (from the operating system's
/// random source), in its lowercase hyphenated form.
pub fn idempotency_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_uuids() {
        let (a, b) = (idempotency_token(), idempotency_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_eq!(a, a.to_lowercase());
    }

    struct Tag {
        key: &'static str,
        value: Option<&'static str>,
    }

    #[test]
    fn flattens_scalars_lists_structs_and_json() {
        let mut p = Params::new();
        p.push("RegionId", "cn-hangzhou")
            .push("EnableSsl", true)
            .push("Bandwidth", 10)
            .push_opt::<u32>("PageSize", None)
            .push_opt("PageNumber", Some(2))
            .push_list("ResourceId", &["vpn-1", "vpn-2"])
            .push_struct_list(
                "Tag",
                &[
                    Tag {
                        key: "env",
                        value: Some("prod"),
                    },
                    Tag {
                        key: "team",
                        value: None,
                    },
                ],
                |tag, sub| {
                    sub.push("Key", tag.key).push_opt("Value", tag.value);
                },
            );
        p.push_json(
            "IkeConfig",
            &serde_json::json!({"Psk": "x", "IkeVersion": "ikev2"}),
        )
        .unwrap();
        let pairs: Vec<(&str, &str)> = p
            .as_slice()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("RegionId", "cn-hangzhou"),
                ("EnableSsl", "true"),
                ("Bandwidth", "10"),
                ("PageNumber", "2"),
                ("ResourceId.1", "vpn-1"),
                ("ResourceId.2", "vpn-2"),
                ("Tag.1.Key", "env"),
                ("Tag.1.Value", "prod"),
                ("Tag.2.Key", "team"),
                ("IkeConfig", r#"{"IkeVersion":"ikev2","Psk":"x"}"#),
            ]
        );
        assert!(!format!("{p:?}").contains("prod"));
    }

    fn pairs(p: &Params) -> Vec<(&str, &str)> {
        p.as_slice()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn every_shape_is_written_the_same_way_at_the_top_level_and_in_a_struct() {
        // The same writer at the top level and in a struct `S`: the same pairs, prefixed.
        fn write(p: &mut StructParams<'_>) -> Result<(), ValidationError> {
            p.push("A", 1)
                .push_opt("B", Some(true))
                .push_opt::<i32>("Missing", None)
                .push_list("L", &["x", "y"])
                .push_comma_list("C", &[1, 2, 3])?
                .push_comma_list::<i32>("EmptyC", &[])?
                .push_struct("F", |f| {
                    f.push("X", "fx");
                })
                .push_struct("Nothing", |_| {})
                .push_struct_list("SL", &["a", "b"], |item, s| {
                    s.push("K", item);
                })
                .push_json("J", &serde_json::json!({"k": "v"}))?;
            Ok(())
        }
        let expected = [
            ("A", "1"),
            ("B", "true"),
            ("L.1", "x"),
            ("L.2", "y"),
            ("C", "1,2,3"),
            ("F.X", "fx"),
            ("SL.1.K", "a"),
            ("SL.2.K", "b"),
            ("J", r#"{"k":"v"}"#),
        ];
        let mut top = Params::new();
        write(&mut top.root()).unwrap();
        assert_eq!(pairs(&top), expected);

        let mut nested = Params::new();
        nested.try_push_struct("S", write).unwrap();
        let prefixed: Vec<(String, &str)> = expected
            .iter()
            .map(|(k, v)| (format!("S.{k}"), *v))
            .collect();
        let got: Vec<(String, &str)> = pairs(&nested)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        assert_eq!(got, prefixed);

        // And the `Params` methods themselves, chained as generated code chains them.
        let mut p = Params::new();
        p.push("A", 1)
            .push_opt("B", Some(true))
            .push_opt::<i32>("Missing", None)
            .push_list("L", &["x", "y"])
            .push_comma_list("C", &[1, 2, 3])
            .unwrap()
            .push_comma_list::<i32>("EmptyC", &[])
            .unwrap()
            .push_struct("F", |f| {
                f.push("X", "fx");
            })
            .push_struct("Nothing", |_| {})
            .push_struct_list("SL", &["a", "b"], |item, s| {
                s.push("K", item);
            })
            .push_json("J", &serde_json::json!({"k": "v"}))
            .unwrap();
        assert_eq!(pairs(&p), expected);
    }

    struct Ike {
        psk: &'static str,
        proposals: Vec<(&'static str, u32)>,
    }

    struct Tunnel {
        role: &'static str,
        ike: Option<Ike>,
        cidrs: Vec<&'static str>,
    }

    #[test]
    fn nests_at_any_depth() {
        let tunnels = [
            Tunnel {
                role: "master",
                ike: Some(Ike {
                    psk: "k1",
                    proposals: vec![("sha1", 1), ("md5", 2)],
                }),
                cidrs: vec!["169.254.10.0/30", "169.254.11.0/30"],
            },
            Tunnel {
                role: "slave",
                ike: None,
                cidrs: vec![],
            },
        ];
        let mut p = Params::new();
        p.push_struct_list("TunnelOptionsSpecification", &tunnels, |t, s| {
            s.push("Role", t.role);
            if let Some(ike) = &t.ike {
                s.push_struct("TunnelIkeConfig", |ike_params| {
                    ike_params.push("Psk", ike.psk).push_struct_list(
                        "Proposal",
                        &ike.proposals,
                        |(alg, n), prop| {
                            prop.push("Alg", alg).push("Group", n);
                        },
                    );
                });
            }
            s.push_list("Cidr", &t.cidrs);
        })
        .push_struct("Cfg", |c| {
            c.push_struct("Bgp", |b| {
                b.push("Asn", 65530).push_list("Ids", &["a", "b"]);
            });
        });
        assert_eq!(
            pairs(&p),
            [
                ("TunnelOptionsSpecification.1.Role", "master"),
                ("TunnelOptionsSpecification.1.TunnelIkeConfig.Psk", "k1"),
                (
                    "TunnelOptionsSpecification.1.TunnelIkeConfig.Proposal.1.Alg",
                    "sha1"
                ),
                (
                    "TunnelOptionsSpecification.1.TunnelIkeConfig.Proposal.1.Group",
                    "1"
                ),
                (
                    "TunnelOptionsSpecification.1.TunnelIkeConfig.Proposal.2.Alg",
                    "md5"
                ),
                (
                    "TunnelOptionsSpecification.1.TunnelIkeConfig.Proposal.2.Group",
                    "2"
                ),
                ("TunnelOptionsSpecification.1.Cidr.1", "169.254.10.0/30"),
                ("TunnelOptionsSpecification.1.Cidr.2", "169.254.11.0/30"),
                ("TunnelOptionsSpecification.2.Role", "slave"),
                ("Cfg.Bgp.Asn", "65530"),
                ("Cfg.Bgp.Ids.1", "a"),
                ("Cfg.Bgp.Ids.2", "b"),
            ]
        );
    }

    #[test]
    fn comma_lists_refuse_items_they_cannot_carry_naming_the_full_path() {
        for (items, why) in [
            (vec!["a", "b,c"], "item 2 contains a comma"),
            (vec!["a", ""], "item 2 is empty"),
            (vec![" "], "item 1 is empty"),
        ] {
            let mut p = Params::new();
            let e = p
                .try_push_struct_list("T", &[()], |_, s| {
                    s.try_push_struct("Ike", |ike| ike.push_comma_list("Ids", &items).map(drop))
                        .map(drop)
                })
                .unwrap_err();
            assert_eq!(e.parameter(), "T.1.Ike.Ids");
            assert!(e.to_string().contains(why), "{e}");
            assert!(!e.to_string().contains("b,c"), "{e}");
            // Nothing of the refused list was written.
            assert!(p.is_empty());
        }
        let mut p = Params::new();
        let e = p.push_comma_list("Ids", &["x", "y,z"]).unwrap_err();
        assert_eq!(e.parameter(), "Ids");
    }

    #[test]
    fn json_errors_name_the_full_path() {
        struct Fails;
        impl Serialize for Fails {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        let mut p = Params::new();
        let e = p
            .try_push_struct("Cfg", |c| c.push_json("Ike", &Fails).map(drop))
            .unwrap_err();
        assert_eq!(e.parameter(), "Cfg.Ike");
        let mut p = Params::new();
        assert_eq!(p.push_json("Top", &Fails).unwrap_err().parameter(), "Top");
    }

    #[test]
    fn struct_params_debug_shows_no_value() {
        let mut p = Params::new();
        p.push_struct("Cfg", |c| {
            c.push("Psk", "SECRET-psk");
            let shown = format!("{c:?}");
            assert!(
                shown.contains("Cfg.") && !shown.contains("SECRET"),
                "{shown}"
            );
        });
        assert!(!format!("{p:?}").contains("SECRET"));
    }
}
