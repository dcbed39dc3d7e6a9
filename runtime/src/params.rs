//! Flattening request values into RPC parameters, as the generated code needs it.
//!
//! Lists are numbered from 1 (`ResourceId.1`, `ResourceId.2`), lists of structs nest the field
//! name (`Tag.1.Key`), JSON-encoded structs (`IkeConfig`) are serialized compactly, booleans are
//! `true`/`false`.

use std::fmt::{self, Display};

use serde::Serialize;

use crate::error::ValidationError;

/// A list of `(name, value)` wire parameters, in insertion order.
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

    /// Adds `name=value`. `bool` displays as `true`/`false`, as the service expects.
    pub fn push(&mut self, name: impl Into<String>, value: impl Display) -> &mut Self {
        self.pairs.push((name.into(), value.to_string()));
        self
    }

    /// Adds `name=value` when `value` is `Some`.
    pub fn push_opt<T: Display>(&mut self, name: impl Into<String>, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.push(name, value);
        }
        self
    }

    /// Adds `prefix.1=a`, `prefix.2=b`, ... (numbered from 1).
    pub fn push_list<T: Display>(&mut self, prefix: &str, items: &[T]) -> &mut Self {
        for (i, item) in items.iter().enumerate() {
            self.pairs
                .push((format!("{prefix}.{}", i + 1), item.to_string()));
        }
        self
    }

    /// Adds a list of structs: `fill` receives each item and a [`StructParams`] that prefixes
    /// field names with `prefix.N.`.
    pub fn push_struct_list<T>(
        &mut self,
        prefix: &str,
        items: &[T],
        mut fill: impl FnMut(&T, &mut StructParams<'_>),
    ) -> &mut Self {
        for (i, item) in items.iter().enumerate() {
            let mut sub = StructParams {
                prefix: format!("{prefix}.{}.", i + 1),
                params: self,
            };
            fill(item, &mut sub);
        }
        self
    }

    /// Adds a struct sent flat: `fill` receives a [`StructParams`] that prefixes field names
    /// with `name.`; nothing is sent when it adds nothing.
    pub fn push_struct(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut StructParams<'_>),
    ) -> &mut Self {
        let mut sub = StructParams {
            prefix: format!("{name}."),
            params: self,
        };
        fill(&mut sub);
        self
    }

    /// Adds `name=a,b,c` (the items joined with commas); nothing for an empty list.
    pub fn push_comma_list<T: Display>(&mut self, name: &str, items: &[T]) -> &mut Self {
        if !items.is_empty() {
            let joined: Vec<String> = items.iter().map(ToString::to_string).collect();
            self.pairs.push((name.to_owned(), joined.join(",")));
        }
        self
    }

    /// Adds `name=<compact JSON of value>`.
    pub fn push_json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<&mut Self, ValidationError> {
        let json = serde_json::to_string(value)
            .map_err(|e| ValidationError::new(name, format!("cannot be encoded as JSON: {e}")))?;
        self.pairs.push((name.to_owned(), json));
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

    /// The parameters, for [`crate::RpcRequest::params`].
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

/// The fields of one struct in a list of structs: names are prefixed with `Prefix.N.`.
#[derive(Debug)]
pub struct StructParams<'a> {
    prefix: String,
    params: &'a mut Params,
}

impl StructParams<'_> {
    /// Adds `Prefix.N.field=value`.
    pub fn push(&mut self, field: &str, value: impl Display) -> &mut Self {
        let name = format!("{}{field}", self.prefix);
        self.params.push(name, value);
        self
    }

    /// Adds `Prefix.N.field=value` when `value` is `Some`.
    pub fn push_opt<T: Display>(&mut self, field: &str, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.push(field, value);
        }
        self
    }

    /// Adds `Prefix.N.field.1=a`, `Prefix.N.field.2=b`, ...
    pub fn push_list<T: Display>(&mut self, field: &str, items: &[T]) -> &mut Self {
        let prefix = format!("{}{field}", self.prefix);
        self.params.push_list(&prefix, items);
        self
    }

    /// Adds `Prefix.field=a,b,c`; nothing for an empty list.
    pub fn push_comma_list<T: Display>(&mut self, field: &str, items: &[T]) -> &mut Self {
        let name = format!("{}{field}", self.prefix);
        self.params.push_comma_list(&name, items);
        self
    }

    /// Adds a nested struct: `Prefix.field.X`.
    pub fn push_struct(
        &mut self,
        field: &str,
        fill: impl FnOnce(&mut StructParams<'_>),
    ) -> &mut Self {
        let name = format!("{}{field}", self.prefix);
        self.params.push_struct(&name, fill);
        self
    }

    /// Adds a nested list of structs: `Prefix.field.N.X`, N from 1.
    pub fn push_struct_list<T>(
        &mut self,
        field: &str,
        items: &[T],
        fill: impl FnMut(&T, &mut StructParams<'_>),
    ) -> &mut Self {
        let name = format!("{}{field}", self.prefix);
        self.params.push_struct_list(&name, items, fill);
        self
    }
}

/// Splits flattened parameters by where they travel: those whose top-level name
/// (`TunnelOptionsSpecification` of `TunnelOptionsSpecification.1.Role`) is in `body_names`
/// go to the form body, the rest to the query. Order is kept within each part.
pub fn split_body(
    params: Vec<(String, String)>,
    body_names: &[&str],
) -> (Vec<(String, String)>, Vec<(String, String)>) {
    params.into_iter().partition(|(name, _)| {
        let top = name.split('.').next().unwrap_or(name);
        !body_names.contains(&top)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

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
}
