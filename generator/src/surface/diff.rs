//! [`diff`]: what changed between two surfaces, and whether it breaks the SDK's users.
//!
//! The rules are in one place, `added_rule`, `removed_rule` and `changed`, each with why. They
//! follow from how `emit/rust/` generates the crate:
//!
//! - inputs, outputs and shared structs are `#[non_exhaustive]`; inputs are built through
//!   fluent builders (one setter per parameter) or `Default`, never by struct literal;
//! - enums are `#[non_exhaustive]` with an `Unknown(..)` variant that keeps values added later;
//! - each operation's error kind (`XErrorKind`) is `#[non_exhaustive]`, a code without a
//!   variant has no kind (`kind()` is `None`), and `ErrorCode` is `#[non_exhaustive]`;
//! - every input is validated before it is sent (required parameters, constraints, rules);
//! - a response field that is required and not a list is held as a plain `T`, every other
//!   field as `Option<T>` or `Vec<T>`.
//!
//! "Breaking" means code that compiled and worked against the old SDK may stop compiling, or
//! a request it sent may now be refused by validation, or a waiter or paginator it relies on
//! may behave differently. Everything else, including behaviour the user cannot depend on
//! (retries, wire placement, documented HTTP statuses), is compatible and still listed.

use super::from_ir::attr;
use super::text::{render_attr, render_attrs, render_item, render_values};
use super::{ApiSurface, Attr, Item, Key, Scope};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What happened to one element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new element, with its attributes.
    Added(Vec<Attr>),
    /// A removed element, with the attributes it had.
    Removed(Vec<Attr>),
    /// One attribute of an element differs (`None`: absent on that side).
    Changed {
        /// Attribute name.
        name: String,
        /// Before.
        old: Option<Attr>,
        /// After.
        new: Option<Attr>,
    },
}

/// One change of the API surface, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChange {
    /// The element.
    pub key: Key,
    /// What happened to it.
    pub change: Change,
    /// Whether it can break code written against the old SDK.
    pub breaking: bool,
    /// Why it is (or is not) breaking, for the reviewer.
    pub reason: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added(a) if a.is_empty() => f.write_str("added"),
            Change::Added(a) => write!(f, "added ({})", render_attrs(a)),
            Change::Removed(a) if a.is_empty() => f.write_str("removed"),
            Change::Removed(a) => write!(f, "removed ({})", render_attrs(a)),
            Change::Changed {
                old: Some(old),
                new: Some(new),
                ..
            } => write!(
                f,
                "{} {} -> {}",
                render_attr(&Attr::flag(&old.name)),
                render_values(&old.values),
                render_values(&new.values)
            ),
            Change::Changed {
                old: None,
                new: Some(new),
                ..
            } => write!(f, "+{}", render_attr(new)),
            Change::Changed {
                old: Some(old),
                new: None,
                ..
            } => write!(f, "-{}", render_attr(old)),
            Change::Changed { name, .. } => write!(f, "{name} unchanged"),
        }
    }
}

impl fmt::Display for ApiChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.change)
    }
}

/// Every change from `old` to `new`, in key order. An element added or removed together
/// with the element it belongs to (the fields of a new parameter, the values of a removed
/// enum) is not listed again.
pub fn diff(old: &ApiSurface, new: &ApiSurface) -> Vec<ApiChange> {
    let removed: BTreeSet<&Key> = old
        .elements
        .keys()
        .filter(|k| !new.elements.contains_key(*k))
        .collect();
    let added: BTreeSet<&Key> = new
        .elements
        .keys()
        .filter(|k| !old.elements.contains_key(*k))
        .collect();
    let within = |key: &Key, set: &BTreeSet<&Key>| {
        let mut parent = key.parent();
        while let Some(p) = parent {
            if set.contains(&p) {
                return true;
            }
            parent = p.parent();
        }
        false
    };
    let keys: BTreeSet<&Key> = old.elements.keys().chain(new.elements.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let verdicts = match (old.elements.get(key), new.elements.get(key)) {
            (Some(a), None) if !within(key, &removed) => {
                vec![(Change::Removed(a.clone()), removed_rule(key))]
            }
            (None, Some(b)) if !within(key, &added) => {
                vec![(Change::Added(b.clone()), added_rule(key, b))]
            }
            (Some(a), Some(b)) if a != b => attribute_changes(a, b)
                .into_iter()
                .map(|(name, old, new)| {
                    let verdict = changed(&name, old.as_ref(), new.as_ref());
                    (Change::Changed { name, old, new }, verdict)
                })
                .collect(),
            _ => Vec::new(),
        };
        for (change, (breaking, reason)) in verdicts {
            out.push(ApiChange {
                key: key.clone(),
                change,
                breaking,
                reason,
            });
        }
    }
    out
}

/// The attributes that differ, by name.
fn attribute_changes(old: &[Attr], new: &[Attr]) -> Vec<(String, Option<Attr>, Option<Attr>)> {
    let by_name = |attrs: &[Attr]| -> BTreeMap<String, Attr> {
        attrs.iter().map(|a| (a.name.clone(), a.clone())).collect()
    };
    let (mut old, mut new) = (by_name(old), by_name(new));
    let names: BTreeSet<String> = old.keys().chain(new.keys()).cloned().collect();
    names
        .into_iter()
        .filter_map(|n| {
            let (a, b) = (old.remove(&n), new.remove(&n));
            (a != b).then_some((n, a, b))
        })
        .collect()
}

/// A verdict: breaking or not, and why.
type Verdict = (bool, String);

fn breaking(reason: &str) -> Verdict {
    (true, reason.to_owned())
}

fn compatible(reason: &str) -> Verdict {
    (false, reason.to_owned())
}

fn has(attrs: &[Attr], name: &str) -> bool {
    attrs.iter().any(|a| a.name == name)
}

// ---------------------------------------------------------------------------------------------
// The rules.
// ---------------------------------------------------------------------------------------------

/// A new element.
fn added_rule(key: &Key, attrs: &[Attr]) -> Verdict {
    match &key.item {
        // A new client method and module; nothing that exists changes.
        Item::Itself if matches!(key.scope, Scope::Operation(_)) => {
            compatible("a new operation: a new client method and module")
        }
        // A new type (struct, enum) or `ErrorCode` variant; `ErrorCode` is #[non_exhaustive],
        // so no exhaustive match on it exists.
        Item::Itself => compatible("new; nothing that exists changes"),
        // Validation refuses a request without it, and no existing call sets it.
        Item::Param(p) if has(attrs, attr::REQUIRED) && !p.is_top_level() => breaking(
            "a new required field: requests that send its parent without it now fail validation",
        ),
        Item::Param(_) if has(attrs, attr::REQUIRED) => breaking(
            "a new required parameter: existing calls do not set it and now fail validation",
        ),
        Item::Field(_) if has(attrs, attr::REQUIRED) => breaking(
            "a new required field: requests that send this struct without it now fail validation",
        ),
        // Inputs are #[non_exhaustive] and built with setters or `Default`: existing calls
        // compile and send the same request.
        Item::Param(_) => compatible(
            "a new optional parameter: inputs are #[non_exhaustive] and built with setters, so existing calls are unchanged",
        ),
        // Outputs and structs are #[non_exhaustive]: user code never constructs or
        // destructures them exhaustively, so one more field changes nothing.
        Item::Response(_) | Item::Field(_) => compatible(
            "a new field: outputs and structs are #[non_exhaustive], so existing code is unaffected",
        ),
        // Error kinds are #[non_exhaustive]: the code arrived without a kind before and now
        // has its own variant.
        Item::Error(_) => compatible(
            "a new error kind: error kinds are #[non_exhaustive]; this code used to arrive without a kind",
        ),
        // Enums are #[non_exhaustive] with `Unknown(..)`.
        Item::Value(_) => compatible(
            "a new enum value: enums are #[non_exhaustive]; this value used to arrive as `Unknown(..)`",
        ),
        // A request valid before may break the new rule.
        Item::Rule(_) => {
            breaking("a new rule between parameters: requests that break it now fail validation")
        }
        Item::Paginator => compatible("new `into_paginator` and `into_items` methods"),
        Item::Waiter(_) => compatible("a new waiter method"),
        Item::Endpoint(_) => compatible("a new regional endpoint"),
    }
}

/// An element that is gone.
fn removed_rule(key: &Key) -> Verdict {
    match &key.item {
        // Validation accepts everything it accepted before.
        Item::Rule(_) => compatible("a rule is gone: validation accepts more requests"),
        // The region still resolves, to the pattern's host, which may not serve it.
        Item::Endpoint(_) => breaking(
            "requests for this region now go to the endpoint pattern's host, which may not serve it",
        ),
        // Everything else is a name user code may use: a method, type, field, setter,
        // accessor or variant that no longer exists.
        Item::Itself => match key.scope {
            Scope::Operation(_) => breaking("the client method, its module and types are gone"),
            Scope::Error(_) => breaking(
                "the `ErrorCode` variant is gone and `ErrorCode::from_code` no longer knows the code",
            ),
            _ => breaking("the type is gone"),
        },
        Item::Param(_) => breaking("the setter and input field are gone: calls that set it no longer compile"),
        Item::Response(_) | Item::Field(_) => {
            breaking("the field and its accessor or setter are gone: code that uses it no longer compiles")
        }
        Item::Error(_) => breaking(
            "the error kind is gone: code that names it no longer compiles (the code now arrives without a kind)",
        ),
        Item::Value(_) => breaking(
            "the variant is gone: code that names it no longer compiles (the value now arrives as `Unknown(..)`)",
        ),
        Item::Paginator => breaking("`into_paginator` and `into_items` are gone"),
        Item::Waiter(_) => breaking("the waiter method is gone"),
    }
}

/// One attribute of an element that exists on both sides.
fn changed(name: &str, old: Option<&Attr>, new: Option<&Attr>) -> Verdict {
    let values = |a: Option<&Attr>| a.map(|a| a.values.clone()).unwrap_or_default();
    match name {
        // The declared type is what code reads and writes: `Option<T>` → `T`, `String` → `i64`,
        // `Vec<A>` → `Vec<B>` all stop it compiling.
        attr::TYPE => breaking("the Rust type changed: code that sets or reads it no longer compiles"),
        // A rename of a field, method or variant.
        attr::RUST | attr::METHOD | attr::VARIANT => {
            breaking("renamed in Rust: code that names it no longer compiles")
        }
        // String enums have `as_str` and `From<&str>`, integer ones `as_i64` and `From<i64>`.
        attr::KIND => breaking(
            "the enum's value type changed (`as_str`/`From<&str>` or `as_i64`/`From<i64>`): code that converts it no longer compiles",
        ),
        // Validation now refuses requests without it; the field stays an `Option`, so
        // dropping the requirement breaks nothing.
        attr::REQUIRED if new.is_some() => {
            breaking("now required: requests that do not set it fail validation")
        }
        attr::REQUIRED => compatible("no longer required: every request valid before still is"),
        // Bounds checked before sending: narrower ones refuse values accepted before.
        attr::RANGE | attr::LENGTH | attr::ITEMS => {
            if narrower(old, new) {
                breaking("narrower bounds: values accepted before may now fail validation")
            } else {
                compatible("wider bounds: every value accepted before still is")
            }
        }
        attr::FORMAT if new.is_some() => {
            breaking("a new or different format: values accepted before may now fail validation")
        }
        attr::FORMAT => compatible("no format is checked any more"),
        attr::NOT_PREFIX | attr::NOT_VALUE => {
            let before: BTreeSet<String> = values(old).into_iter().collect();
            let after: BTreeSet<String> = values(new).into_iter().collect();
            if !after.is_subset(&before) {
                breaking("more forbidden values: values accepted before may now fail validation")
            } else if after == before {
                compatible("the same forbidden values, written in another order")
            } else {
                compatible("fewer forbidden values: every value accepted before still is")
            }
        }
        // `Debug` output and logs only; no code depends on them. Listed so a reviewer sees a
        // secret that stops being redacted.
        attr::SENSITIVE if new.is_some() => {
            compatible("now redacted in `Debug` output and logs")
        }
        attr::SENSITIVE => compatible(
            "no longer redacted: its values can appear in `Debug` output and logs; check that it is no secret",
        ),
        // The SDK encodes the parameter; user code does not see where it travels.
        attr::IN | attr::WIRE => {
            compatible("sent differently on the wire; the SDK does it, user code is unaffected")
        }
        // Documentation and `ErrorCode::http_status`; variants are matched by code.
        attr::STATUS => compatible("the documented HTTP status; errors are matched by code"),
        // Retry behaviour, which the SDK owns.
        attr::RETRYABLE | attr::RETRY_SAFE | attr::TOKEN => {
            compatible("retry behaviour: the SDK retries this differently")
        }
        attr::CASE_INSENSITIVE => compatible("how received values are matched to variants"),
        // The paginator's item type and end rule are what code relies on.
        attr::STYLE | attr::ITEM => breaking(
            "the paginator's item type or end rule changed: `into_items` yields something else",
        ),
        attr::CURSOR | attr::SIZE | attr::TOTAL | attr::NEXT | attr::LIST => {
            compatible("the paginator reads other fields; its methods are unchanged")
        }
        // A waiter that waits for other states may stop early or time out where it did not.
        attr::FIELD | attr::SUCCESS | attr::FAILURE | attr::GONE => breaking(
            "the waiter waits for different states: code relying on the old ones may stop early or time out",
        ),
        attr::AFTER => compatible("documentation of when to use the waiter"),
        // A struct's methods follow its roles (`new` and setters for requests, `with_*` when
        // also read from responses, accessors for response-only structs).
        attr::REQUEST | attr::RESPONSE => breaking(
            "the struct is used differently, so its setters and accessors are generated differently",
        ),
        attr::FLAT if new.is_some() => compatible("a new `from_wire_params` method"),
        attr::FLAT => breaking("`from_wire_params` is gone"),
        // Every request names the product and version; the service may read it differently.
        attr::PRODUCT | attr::VERSION => breaking(
            "every request now names another product or API version, which the service may interpret differently",
        ),
        attr::SIGNATURE | attr::GLOBAL_ENDPOINT | attr::ENDPOINT_PATTERN | attr::HOST => {
            compatible("how the SDK reaches the service; user code is unaffected")
        }
        // Unknown to these rules: assume the worst so a reviewer looks at it.
        _ => breaking("a change these rules do not know: review it"),
    }
}

/// True when the bounds `new` refuse a value `old` admitted (an absent attribute is
/// unbounded).
fn narrower(old: Option<&Attr>, new: Option<&Attr>) -> bool {
    let bounds = |a: Option<&Attr>| -> Option<(Option<i64>, Option<i64>)> {
        let Some(a) = a else {
            return Some((None, None));
        };
        let text = a.values.first()?;
        let (lo, hi) = text.split_once("..")?;
        let lo = if lo.is_empty() {
            None
        } else {
            Some(lo.parse().ok()?)
        };
        let hi = match hi.strip_prefix('=') {
            Some(h) => Some(h.parse().ok()?),
            None if hi.is_empty() => None,
            None => return None,
        };
        Some((lo, hi))
    };
    let (Some((old_lo, old_hi)), Some((new_lo, new_hi))) = (bounds(old), bounds(new)) else {
        // Unreadable bounds: assume the worst.
        return true;
    };
    let raised = match (old_lo, new_lo) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(o), Some(n)) => n > o,
    };
    let lowered = match (old_hi, new_hi) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(o), Some(n)) => n < o,
    };
    raised || lowered
}

// ---------------------------------------------------------------------------------------------

/// The changes for a reviewer: a count, then one block per operation (or type, error
/// catalogue, service), blocks with breaking changes first, breaking changes first within a
/// block, each marked `BREAKING` or `compatible` and followed by its reason.
/// `API surface unchanged.` when there is nothing.
pub fn summary(changes: &[ApiChange]) -> String {
    if changes.is_empty() {
        return "API surface unchanged.".to_owned();
    }
    // One group per scope title, in key order; groups with breaking changes first.
    let mut groups: Vec<(String, Vec<&ApiChange>)> = Vec::new();
    for c in changes {
        let title = group_title(&c.key.scope);
        match groups.iter_mut().find(|(t, _)| *t == title) {
            Some((_, list)) => list.push(c),
            None => groups.push((title, vec![c])),
        }
    }
    for (_, list) in &mut groups {
        list.sort_by_key(|c| !c.breaking);
    }
    groups.sort_by_key(|(_, list)| !list.iter().any(|c| c.breaking));
    let count = changes.iter().filter(|c| c.breaking).count();
    let mut out = format!(
        "API surface: {count} breaking, {} compatible change(s).\n",
        changes.len() - count
    );
    for (title, list) in &groups {
        out.push('\n');
        out.push_str(title);
        out.push('\n');
        for c in list {
            let mark = if c.breaking {
                "BREAKING    "
            } else {
                "compatible  "
            };
            let what = match &c.key.item {
                Item::Itself => c.key.to_string(),
                item => render_item(item).join(" "),
            };
            out.push_str(&format!("  {mark}{what}: {}\n", c.change));
            out.push_str(&format!("              {}\n", c.reason));
        }
    }
    out.truncate(out.trim_end().len());
    out
}

fn group_title(scope: &Scope) -> String {
    match scope {
        Scope::Service => "service".to_owned(),
        Scope::Operation(n) => format!("operation {n}"),
        Scope::Struct(n) => format!("struct {n}"),
        Scope::Enum(n) => format!("enum {n}"),
        Scope::Error(_) => "error codes".to_owned(),
    }
}
