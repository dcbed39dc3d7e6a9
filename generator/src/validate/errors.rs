//! Error codes: the catalogue in `errors.yaml` (each code listed once, an error HTTP status,
//! a code the service could send, a Rust variant that is usable and distinct after conversion)
//! and the codes each operation lists (in the catalogue, each once).

use super::{occurrence, At, Validator};
use crate::loader::ERRORS_FILE;
use crate::model::{ErrorSpec, OperationSpec};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

impl<'a> Validator<'a> {
    /// Fills the table of error codes, reporting a code listed twice.
    pub(super) fn collect_error_codes(&mut self) {
        let errors = &self.raw.errors.errors;
        for (i, e) in errors.iter().enumerate() {
            if !self.error_codes.insert(&e.code) {
                self.report(
                    &catalogue_entry(errors, i),
                    Some(e.code.clone()),
                    "error code is listed twice".into(),
                );
            }
        }
    }

    /// Each catalogue entry: an error status, a code the service could send, a usable and
    /// distinct Rust variant.
    pub(super) fn check_errors_catalogue(&mut self) {
        let errors = &self.raw.errors.errors;
        for (i, e) in errors.iter().enumerate() {
            let at = || catalogue_entry(errors, i);
            if !(400..=599).contains(&e.http_status) {
                self.report(
                    &at().key("http_status"),
                    Some(e.code.clone()),
                    format!(
                        "http_status {} is not an error status (400-599)",
                        e.http_status
                    ),
                );
            }
            let mut chars = e.code.chars();
            let code_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
            if !code_ok {
                self.report(
                    &at(),
                    Some(e.code.clone()),
                    format!(
                        "error code {:?} must start with an ASCII letter and contain only ASCII \
                         letters, digits, `.`, `_` and `-`, as the service's codes do",
                        e.code
                    ),
                );
            }
        }
        // Distinct codes must stay distinct after conversion to Rust variant names.
        let mut variants: BTreeMap<String, &str> = BTreeMap::new();
        let names = naming::error_variants(self.raw.errors.errors.iter().map(|e| e.code.as_str()));
        for (i, e) in errors.iter().enumerate() {
            let at = || catalogue_entry(errors, i);
            let v = names
                .get(e.code.as_str())
                .cloned()
                .unwrap_or_else(|| naming::error_variant(&e.code));
            if naming::reserved::ERROR_KIND_VARIANTS.contains(&v.as_str())
                || !naming::is_upper_camel(&v)
            {
                self.report(
                    &at(),
                    Some(e.code.clone()),
                    format!("Rust variant `{v}` is reserved or not a usable name in the generated error kinds"),
                );
            }
            if let Some(other) = variants.insert(v.clone(), &e.code) {
                if other != e.code {
                    self.report(
                        &at(),
                        Some(e.code.clone()),
                        format!("Rust variant `{v}` collides with code {other}"),
                    );
                }
            }
        }
        self.check_invalid_value_of();
    }

    /// Each `invalid_value_of` entry starts with a request parameter some operation takes (a
    /// misspelt one would never match), and names a list item's index only as `N`. The entries
    /// of a code no operation documents are not checked against the parameters: a catalogue may
    /// serve several specs.
    fn check_invalid_value_of(&mut self) {
        let operations: Vec<_> = self
            .raw
            .groups
            .iter()
            .flat_map(|(_, g)| &g.operations)
            .collect();
        let parameters: BTreeSet<&str> = operations
            .iter()
            .flat_map(|op| &op.parameters)
            .map(|p| p.name.as_str())
            .collect();
        let documented: BTreeSet<&str> = operations
            .iter()
            .flat_map(|op| &op.errors)
            .map(|e| e.code.as_str())
            .collect();
        let errors = &self.raw.errors.errors;
        for (i, e) in errors.iter().enumerate() {
            let checked = documented.contains(e.code.as_str());
            for entry in &e.invalid_value_of {
                let first = entry.split('.').next().unwrap_or_default();
                let problem = if entry
                    .split('.')
                    .any(|s| s.is_empty() || s.bytes().all(|b| b.is_ascii_digit()))
                {
                    Some("a list item's index is written `N`, and no part is empty".to_owned())
                } else if checked && !parameters.contains(first) {
                    Some(format!("`{first}` is not a parameter of any operation"))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    self.report(
                        &catalogue_entry(errors, i).key("invalid_value_of"),
                        Some(format!("invalid_value_of.{entry}")),
                        format!("invalid_value_of `{entry}`: {problem}"),
                    );
                }
            }
        }
    }

    /// The codes an operation lists.
    pub(super) fn check_operation_errors(&mut self, at: &At<'a>, op: &'a OperationSpec) {
        let mut seen = BTreeSet::new();
        for (i, e) in op.errors.iter().enumerate() {
            let listed = || {
                let nth = occurrence(&op.errors, i, |x| x.code.as_str());
                at.key("errors").nth_item("code", &e.code, nth)
            };
            if !self.error_codes.contains(e.code.as_str()) {
                self.report(
                    &listed(),
                    Some(format!("errors.{}", e.code)),
                    "error code is not in errors.yaml".into(),
                );
            }
            if !seen.insert(&e.code) {
                self.report(
                    &listed(),
                    Some(format!("errors.{}", e.code)),
                    "error code is listed twice".into(),
                );
            }
        }
    }
}

/// Entry `i` of the catalogue in `errors.yaml`.
fn catalogue_entry(errors: &[ErrorSpec], i: usize) -> At<'_> {
    let code = errors.get(i).map_or("", |e| e.code.as_str());
    let nth = occurrence(errors, i, |e| e.code.as_str());
    At::file(Path::new(ERRORS_FILE))
        .key("errors")
        .nth_item("code", code, nth)
}
