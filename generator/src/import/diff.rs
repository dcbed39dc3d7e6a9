//! What changed between two imports of one operation, element by element, so a maintainer sees
//! what a newer metadata file brings: `+ parameter X (string)`, `- response Y`,
//! `~ parameter Z: type integer → long`.
//!
//! Elements are named as in problems and docs: `parameter A[].B`, `response C.D[]` (the item of
//! the wrapped list `C`), `error Code (400)`, and `operation` for the operation's own facts.

use crate::imported::{ImportedField, ImportedKind, ImportedOperation};
use std::collections::BTreeMap;
use std::fmt;

/// How an element changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only in the new import.
    Added,
    /// Only in the old import.
    Removed,
    /// In both, with different facts.
    Changed,
}

/// One changed element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How it changed.
    pub kind: ChangeKind,
    /// The element, e.g. `parameter TunnelOptionsSpecification[].TunnelIkeConfig.Psk`.
    pub element: String,
    /// Its facts (added), or what changed (`type integer → long; required false → true`).
    pub detail: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ChangeKind::Added => write!(f, "+ {} ({})", self.element, self.detail),
            ChangeKind::Removed => write!(f, "- {}", self.element),
            ChangeKind::Changed => write!(f, "~ {}: {}", self.element, self.detail),
        }
    }
}

/// A flattened element: its name and its facts by attribute (absent when at the default).
type Facts = (String, BTreeMap<&'static str, String>);

/// The changes from `old` to `new`: added and changed elements in `new`'s order, then removed
/// ones in `old`'s order. Empty when the two are equal.
pub fn changes(old: &ImportedOperation, new: &ImportedOperation) -> Vec<Change> {
    diff_facts(&flatten(old), &flatten(new))
}

fn diff_facts(old: &[Facts], new: &[Facts]) -> Vec<Change> {
    let old_by_name: BTreeMap<&str, &BTreeMap<&str, String>> =
        old.iter().map(|(e, f)| (e.as_str(), f)).collect();
    let new_by_name: BTreeMap<&str, &BTreeMap<&str, String>> =
        new.iter().map(|(e, f)| (e.as_str(), f)).collect();
    let mut out = Vec::new();
    for (element, facts) in new {
        match old_by_name.get(element.as_str()) {
            None => out.push(Change {
                kind: ChangeKind::Added,
                element: element.clone(),
                detail: facts
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
            Some(before) if *before != facts => out.push(Change {
                kind: ChangeKind::Changed,
                element: element.clone(),
                detail: compare(before, facts),
            }),
            Some(_) => {}
        }
    }
    for (element, _) in old {
        if !new_by_name.contains_key(element.as_str()) {
            out.push(Change {
                kind: ChangeKind::Removed,
                element: element.clone(),
                detail: String::new(),
            });
        }
    }
    out
}

/// How field `b` differs from field `a` (nested elements included), one change per element,
/// e.g. `~ field: required true → (none)`; empty when they are equal.
pub fn field_difference(a: &ImportedField, b: &ImportedField) -> Vec<Change> {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    field(&mut before, "field", "", a);
    field(&mut after, "field", "", b);
    diff_facts(&before, &after)
}

fn compare(before: &BTreeMap<&str, String>, after: &BTreeMap<&str, String>) -> String {
    let mut keys: Vec<&&str> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let none = String::from("(none)");
    keys.into_iter()
        .filter_map(|k| {
            let (a, b) = (
                before.get(*k).unwrap_or(&none),
                after.get(*k).unwrap_or(&none),
            );
            (a != b).then(|| format!("{k} {a} → {b}"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn flatten(op: &ImportedOperation) -> Vec<Facts> {
    let mut out = Vec::new();
    let mut facts = BTreeMap::new();
    if op.deprecated {
        facts.insert("deprecated", "true".to_owned());
    }
    if op.read_only {
        facts.insert("read_only", "true".to_owned());
    }
    if let Some(token) = &op.inferred.idempotency_token {
        facts.insert("idempotency token", token.clone());
    }
    if let Some(p) = &op.inferred.pagination {
        facts.insert("pagination", compact(p));
    }
    out.push(("operation".to_owned(), facts));
    for f in &op.parameters {
        field(&mut out, "parameter", "", f);
    }
    for f in &op.response {
        field(&mut out, "response", "", f);
    }
    for e in &op.errors {
        let facts = BTreeMap::from([("message", format!("{:?}", e.message))]);
        out.push((format!("error {} ({})", e.code, e.http_status), facts));
    }
    out
}

fn field(out: &mut Vec<Facts>, side: &str, parent: &str, f: &ImportedField) {
    let path = match (&f.name, parent.is_empty()) {
        (Some(name), true) => name.clone(),
        (Some(name), false) => format!("{parent}.{name}"),
        (None, _) => parent.to_owned(),
    };
    let mut facts = BTreeMap::from([("type", word(&f.ty))]);
    let mut put = |key: &'static str, present: bool, value: String| {
        if present {
            facts.insert(key, value);
        }
    };
    put("key", f.key.is_some(), f.key.clone().unwrap_or_default());
    put("required", f.required, "true".into());
    put("location", !f.location.is_query(), word(&f.location));
    put("sensitive", f.sensitive, "true".into());
    put("deprecated", f.deprecated, "true".into());
    put("default", f.default.is_some(), compact(&f.default));
    put("example", f.example.is_some(), compact(&f.example));
    put("values", !f.values.is_empty(), compact(&f.values));
    put(
        "constraints",
        !f.constraints.is_empty(),
        compact(&f.constraints),
    );
    out.push((format!("{side} {path}"), facts));
    if let Some(item) = &f.item {
        let item_path = match (&f.ty, &f.key) {
            (ImportedKind::WrappedList, Some(key)) => format!("{path}.{key}[]"),
            _ => format!("{path}[]"),
        };
        field(out, side, &item_path, item);
    }
    for child in &f.fields {
        field(out, side, &path, child);
    }
}

/// One-line JSON of a value, for reports.
fn compact<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The YAML word of a unit variant (`string`, `body`).
fn word<T: serde::Serialize>(value: &T) -> String {
    compact(value).trim_matches('"').to_owned()
}
