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
use crate::loader::{find_line, RawSpec, SHARED_FILE};
use crate::model::{EnumSpec, GroupFile, OperationSpec, StructSpec, TypeRef};
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

    /// Groups in the order `service.yaml` lists them.
    pub fn groups_in_order(&self) -> Vec<&GroupFile> {
        self.raw
            .service
            .groups
            .iter()
            .filter_map(|id| self.raw.groups.iter().find(|(_, g)| &g.id == id))
            .map(|(_, g)| g)
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
    problems: Vec<Diagnostic>,
}

/// Location context for a diagnostic.
#[derive(Clone)]
struct At<'a> {
    file: &'a Path,
    operation: Option<&'a str>,
}

impl<'a> Validator<'a> {
    fn new(raw: &'a RawSpec) -> Self {
        Validator {
            raw,
            types: BTreeMap::new(),
            operations: BTreeMap::new(),
            error_codes: BTreeSet::new(),
            problems: Vec::new(),
        }
    }

    /// The definition of a named type. Returns a copy tied to the spec, not to `self`.
    fn def(&self, name: &str) -> Option<TypeDef<'a>> {
        self.types.get(name).map(|(d, _)| *d)
    }

    /// Records a problem at `at`; the line is looked up in the file's text.
    fn report(&mut self, at: &At<'_>, field: Option<String>, message: String) {
        let text = self.raw.sources.get(at.file).unwrap_or("");
        let mut line = None;
        if let Some(op) = at.operation {
            line = find_line(text, 1, "action", op);
        }
        if let Some(f) = &field {
            // Point at the most specific path segment that names a `name:` line after the
            // operation's own line.
            let from = line.unwrap_or(1);
            let whole = ["name", "code"]
                .iter()
                .find_map(|key| find_line(text, from, key, f));
            line = whole
                .or_else(|| {
                    f.split(['.', '['])
                        .rev()
                        .find_map(|seg| find_line(text, from, "name", seg))
                })
                .or(line);
        }
        self.problems.push(Diagnostic {
            file: at.file.to_path_buf(),
            line,
            operation: at.operation.map(str::to_owned),
            field,
            message,
        });
    }

    fn check_all(&mut self) {
        // Every later check looks names up in these tables.
        self.collect_types();
        self.collect_operations();
        self.collect_error_codes();

        self.check_groups_listed();
        self.check_errors_catalogue();
        self.check_service();
        let shared = Path::new(SHARED_FILE);
        for e in &self.raw.shared.enums {
            self.check_enum(shared, e);
        }
        for s in &self.raw.shared.structs {
            self.check_struct(shared, s);
        }
        for (path, group) in &self.raw.groups {
            for e in &group.enums {
                self.check_enum(path, e);
            }
            for s in &group.structs {
                self.check_struct(path, s);
            }
            for op in &group.operations {
                self.check_operation(path, op);
            }
        }
    }
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
