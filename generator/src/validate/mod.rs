//! Semantic checks on a parsed spec. Every problem is collected; none stops the others.
//!
//! [`validate`] merges the imported layer into the curated one, then runs one `Validator`
//! over the result. The validator first collects the tables every other check looks names up
//! in (types, operations, error codes), then checks each concern in its own module:
//!
//! - `names`: type names, actions and the Rust names and methods derived from spec names;
//! - `types`: enums, structs and type references, and which side of the wire a type may sit;
//! - `fields`: every field wherever it appears, its constraints, defaults and examples;
//! - `operations`: what an operation's parts must agree on, dispatching to `rules`,
//!   `pagination`, `waiters`, `errors` and `examples`;
//! - `service`: `service.yaml` and the list of groups.

mod errors;
mod examples;
mod fields;
mod names;
mod operations;
mod pagination;
mod rules;
mod service;
mod types;
mod waiters;

pub use fields::format_matches;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::loader::{RawSpec, SHARED_FILE};
use crate::model::{EnumSpec, Field, GroupFile, OperationSpec, StructSpec, TypeRef};
use crate::positions::{NodePath, Positions};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A spec that passed every check. Later stages may rely on every reference resolving.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    raw: RawSpec,
}

impl Spec {
    /// The validated files.
    pub fn raw(&self) -> &RawSpec {
        &self.raw
    }

    /// Files taken as validated without checking them, so tests can give later stages
    /// a spec the validator would refuse.
    #[cfg(test)]
    pub(crate) fn unchecked(raw: RawSpec) -> Spec {
        Spec { raw }
    }

    /// Groups in the order `service.yaml` lists them.
    pub fn groups_in_order(&self) -> Vec<&GroupFile> {
        self.groups_in_order_with_paths()
            .into_iter()
            .map(|(_, g)| g)
            .collect()
    }

    /// Groups in the order `service.yaml` lists them, each with its file's path relative to
    /// the spec directory.
    pub fn groups_in_order_with_paths(&self) -> Vec<(&Path, &GroupFile)> {
        self.raw
            .service
            .groups
            .iter()
            .filter_map(|id| self.raw.groups.iter().find(|(_, g)| &g.id == id))
            .map(|(path, g)| (path.as_path(), g))
            .collect()
    }
}

/// Checks `raw`, returning it as a [`Spec`] or every problem found.
pub fn validate(mut raw: RawSpec) -> Result<Spec, Diagnostics> {
    // Conflicts between the layers and problems of the merged spec are reported together.
    let mut problems = crate::merge::merge(&mut raw);
    problems.extend({
        let mut v = Validator::new(&raw);
        v.check_all();
        v.problems
    });
    if problems.is_empty() {
        Ok(Spec { raw })
    } else {
        Err(Diagnostics(problems).sorted())
    }
}

/// Where a named type is defined.
#[derive(Clone, Copy)]
enum TypeDef<'a> {
    Enum(&'a EnumSpec),
    Struct(&'a StructSpec),
}

/// Whether a field sits in a request (parameters, JSON structs) or a response.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// The checks' shared state: the spec, the tables of what it defines and the problems found.
struct Validator<'a> {
    raw: &'a RawSpec,
    types: BTreeMap<&'a str, (TypeDef<'a>, &'a Path)>,
    operations: BTreeMap<&'a str, &'a OperationSpec>,
    error_codes: BTreeSet<&'a str>,
    positions: Positions<'a>,
    problems: Vec<Diagnostic>,
}

/// Where a problem is: the file, the operation if any, and the node the line is taken from.
#[derive(Clone)]
struct At<'a> {
    file: &'a Path,
    operation: Option<&'a str>,
    node: NodePath<'a>,
}

impl<'a> At<'a> {
    /// `file` as a whole: no line.
    fn file(file: &'a Path) -> Self {
        At {
            file,
            operation: None,
            node: NodePath::root(),
        }
    }

    /// The `nth` (from 0) operation of `file` with action `action`.
    fn operation(file: &'a Path, action: &'a str, nth: usize) -> Self {
        At {
            file,
            operation: Some(action),
            node: NodePath::root()
                .key("operations")
                .nth_item("action", action, nth),
        }
    }

    /// The same file and operation, at node `node`.
    fn at(&self, node: NodePath<'a>) -> Self {
        At {
            file: self.file,
            operation: self.operation,
            node,
        }
    }

    /// The value of `key` in this node.
    fn key(&self, key: impl Into<Cow<'a, str>>) -> Self {
        self.at(self.node.key(key))
    }

    /// The `nth` (from 0) item of this list whose `key` holds `value`.
    fn nth_item(&self, key: &'static str, value: impl Into<Cow<'a, str>>, nth: usize) -> Self {
        self.at(self.node.nth_item(key, value, nth))
    }

    /// The `nth` (from 0) item of this list of scalars that is `value`.
    fn nth_scalar(&self, value: impl Into<Cow<'a, str>>, nth: usize) -> Self {
        self.at(self.node.nth_scalar(value, nth))
    }

    /// The item at `index` (from 0) of this list.
    fn index(&self, index: usize) -> Self {
        self.at(self.node.index(index))
    }

    /// Field `fields[i]` of this list of fields (parameters, response fields, struct fields).
    fn field(&self, fields: &'a [Field], i: usize) -> Self {
        let name = fields.get(i).map_or("", |f| f.name.as_str());
        let nth = occurrence(fields, i, |f| f.name.as_str());
        self.nth_item("name", name, nth)
    }
}

impl<'a> Validator<'a> {
    fn new(raw: &'a RawSpec) -> Self {
        Validator {
            raw,
            types: BTreeMap::new(),
            operations: BTreeMap::new(),
            error_codes: BTreeSet::new(),
            positions: Positions::new(&raw.sources),
            problems: Vec::new(),
        }
    }

    /// The definition of a named type. Returns a copy tied to the spec, not to `self`.
    fn def(&self, name: &str) -> Option<TypeDef<'a>> {
        self.types.get(name).map(|(d, _)| *d)
    }

    /// Records a problem at `at`, on the line of its node when the file has that node.
    fn report(&mut self, at: &At<'_>, field: Option<String>, message: String) {
        let line = self.positions.line(at.file, &at.node);
        self.problems.push(Diagnostic {
            file: at.file.to_path_buf(),
            line,
            operation: at.operation.map(str::to_owned),
            field,
            message,
        });
    }

    /// Runs every check, the tables first.
    fn check_all(&mut self) {
        // Every later check looks names up in these tables.
        self.collect_types();
        self.collect_operations();
        self.collect_error_codes();

        self.check_groups_listed();
        self.check_errors_catalogue();
        self.check_service();
        let shared = &self.raw.shared;
        self.check_types(Path::new(SHARED_FILE), &shared.enums, &shared.structs);
        for (path, group) in &self.raw.groups {
            self.check_types(path, &group.enums, &group.structs);
            for (i, op) in group.operations.iter().enumerate() {
                let nth = occurrence(&group.operations, i, |o| &o.action);
                self.check_operation(At::operation(path, &op.action, nth), op);
            }
        }
    }
}

/// How many items before `items[i]` have its name: which of several items with the same name
/// it is, for finding the right one in the file.
fn occurrence<'t, T, K: PartialEq>(items: &'t [T], i: usize, name: impl Fn(&'t T) -> K) -> usize {
    let Some(item) = items.get(i) else {
        return 0;
    };
    let own = name(item);
    items[..i].iter().filter(|x| name(x) == own).count()
}

/// Whether `s` names a scalar type (`string`, `integer`, ...) rather than a defined type.
pub(crate) fn is_scalar_keyword(s: &str) -> bool {
    matches!(s, "string" | "integer" | "long" | "boolean" | "float")
}

/// A type as the spec writes it, for messages.
fn describe_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Enum(n) => format!("`{{enum: {n}}}`"),
        TypeRef::List(n) => format!("`{{list: {n}}}`"),
        TypeRef::Json(n) => format!("`{{json: {n}}}`"),
        TypeRef::Object(n) => format!("`{{object: {n}}}`"),
        TypeRef::WrappedList(w) => format!("a `wrapped_list` of {}", w.item),
        TypeRef::CommaList(n) => format!("`{{comma_list: {n}}}`"),
        TypeRef::String => "`string`".into(),
        TypeRef::Integer => "`integer`".into(),
        TypeRef::Long => "`long`".into(),
        TypeRef::Boolean => "`boolean`".into(),
        TypeRef::Float => "`float`".into(),
    }
}
