//! One metadata API → one [`ImportedOperation`]: facts only, never the metadata's prose.
//!
//! Parameters and properties keep the metadata's order; nesting is followed to any depth and
//! `$ref`s to `#/components/schemas/<name>` are resolved (a reference that does not resolve, or
//! that refers back to a schema being resolved, is a problem). Every problem is collected, each
//! with its element path: `parameter TunnelOptionsSpecification[].TunnelIkeConfig.Psk`,
//! `response VpnGateways.VpnGateway[].Tags`. Descriptions are collected apart, only on request,
//! for the maintainer's terminal. What one schema says about its value (references, type and
//! format, attributes) is read in the `attributes` module.

use super::attributes::is_scalar;
use super::diff;
use super::metadata::{Api, In, Parameter, Schema, Style};
use super::problem::Problem;
use crate::imported::{ImportedError, ImportedField, ImportedKind, ImportedOperation, Location};
use crate::imported::{Inferred, Provenance};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, BTreeSet};

/// The file an API comes from: its name, its text and its shared schemas.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// File name, for problems.
    pub metadata: &'a str,
    /// The whole text, for positions.
    pub text: &'a str,
    /// `components.schemas`, unparsed.
    pub components: &'a BTreeMap<String, &'a RawValue>,
}

/// The result of converting one API.
#[derive(Debug)]
pub struct Converted {
    /// The operation (complete only when `problems` is empty).
    pub operation: ImportedOperation,
    /// Every problem found.
    pub problems: Vec<Problem>,
    /// Oddities that do not stop the import (a parameter repeated with different facts).
    pub warnings: Vec<Problem>,
    /// Element (`parameter X[].Y`, `response Z`) → the metadata's description, when requested.
    pub docs: BTreeMap<String, String>,
}

/// Converts `api`, the metadata's `action`.
pub fn convert(
    source: Source<'_>,
    action: &str,
    api: &Api,
    provenance: &Provenance,
    collect_docs: bool,
) -> Converted {
    let mut c = Converter {
        source,
        action,
        refs: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
        docs: BTreeMap::new(),
        collect_docs,
    };
    let parameters = c.parameters(&api.parameters);
    let response = c.response(api);
    let errors = c.errors(api);
    let operation = ImportedOperation {
        action: action.to_owned(),
        provenance: provenance.clone(),
        deprecated: api.deprecated.unwrap_or(false),
        read_only: api.operation_type.as_deref() == Some("read"),
        parameters,
        response,
        errors,
        inferred: Inferred::default(),
    };
    Converted {
        operation,
        problems: c.problems,
        warnings: c.warnings,
        docs: c.docs,
    }
}

/// Which side of the exchange a value is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Parameter,
    Response,
}

/// The element name used in problems, docs and change reports: `parameter A[].B`.
pub(super) fn element(side: Side, path: &str) -> String {
    match side {
        Side::Parameter => format!("parameter {path}"),
        Side::Response => format!("response {path}"),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// What a schema is, once its type and format are checked.
#[derive(Debug, Clone, Copy)]
pub(super) enum Shape {
    Scalar(ImportedKind),
    Array,
    Object,
}

pub(super) struct Converter<'a> {
    pub(super) source: Source<'a>,
    pub(super) action: &'a str,
    /// Component names being resolved, outermost first (cycle guard).
    pub(super) refs: Vec<String>,
    pub(super) problems: Vec<Problem>,
    pub(super) warnings: Vec<Problem>,
    pub(super) docs: BTreeMap<String, String>,
    pub(super) collect_docs: bool,
}

impl Converter<'_> {
    fn at(&self, element: String, message: String) -> Problem {
        Problem {
            metadata: self.source.metadata.to_owned(),
            position: None,
            operation: Some(self.action.to_owned()),
            element: Some(element),
            message,
        }
    }

    pub(super) fn problem(&mut self, element: String, message: String) {
        let problem = self.at(element, message);
        self.problems.push(problem);
    }

    fn parameters(&mut self, params: &[Parameter]) -> Vec<ImportedField> {
        let mut out: Vec<ImportedField> = Vec::new();
        for (index, p) in params.iter().enumerate() {
            let name = match p.name.as_deref() {
                Some(n) if !n.trim().is_empty() => n,
                _ => {
                    let at = format!("parameters[{index}]");
                    self.problem(at, "a parameter without a name".into());
                    continue;
                }
            };
            let at = element(Side::Parameter, name);
            let location = match &p.location {
                Some(In::Query) => Location::Query,
                Some(In::FormData) => Location::Body,
                Some(In::Unknown(word)) => {
                    let known = In::KNOWN.join(", ");
                    self.problem(at.clone(), format!("unknown `in: {word}` (known: {known})"));
                    Location::Query
                }
                None => {
                    self.problem(at.clone(), "no `in` (query or formData)".into());
                    Location::Query
                }
            };
            let Some(schema) = &p.schema else {
                self.problem(at, "no `schema`".into());
                continue;
            };
            let required = schema.required_flag();
            let field = self.resolved(schema, Side::Parameter, name, |c, s| {
                c.top_parameter(s, p.style.as_ref(), name, required || s.required_flag())
            });
            if let Some(mut field) = field {
                field.name = Some(name.to_owned());
                field.location = location;
                // The metadata repeats some parameters (RegionId in a hundred Vpc operations);
                // an identical repetition says nothing new, a different one is a contradiction.
                match out.iter().find(|f: &&ImportedField| f.name == field.name) {
                    Some(first) if *first == field => {}
                    Some(first) => {
                        let differences: Vec<String> = diff::field_difference(first, &field)
                            .iter()
                            .map(ToString::to_string)
                            .collect();
                        let message = format!(
                            "the parameter appears twice with different facts; the first is kept \
                             (the second differs: {})",
                            differences.join(", ")
                        );
                        self.warnings.push(self.at(at, message));
                    }
                    None => out.push(field),
                }
            }
        }
        out
    }

    /// A top-level parameter: its `style` decides the encoding of arrays and objects.
    fn top_parameter(
        &mut self,
        s: &Schema,
        style: Option<&Style>,
        path: &str,
        required: bool,
    ) -> Option<ImportedField> {
        let side = Side::Parameter;
        let shape = self.shape(s, side, path)?;
        let kind = match (style, shape) {
            (Some(Style::Unknown(word)), _) => {
                let known = Style::KNOWN.join(", ");
                let message = format!("unknown `style: {word}` (known: {known})");
                self.problem(element(side, path), message);
                return None;
            }
            (None | Some(Style::Simple), Shape::Scalar(kind)) => kind,
            (Some(Style::RepeatList | Style::Flat), Shape::Array) => ImportedKind::List,
            (Some(Style::Flat), Shape::Object) => ImportedKind::Object,
            (Some(Style::Simple), Shape::Array) => ImportedKind::CommaList,
            (Some(Style::Json), Shape::Array | Shape::Object) => ImportedKind::Json,
            (style, shape) => {
                let what = match shape {
                    Shape::Scalar(_) => "a scalar",
                    Shape::Array => "an array",
                    Shape::Object => "an object",
                };
                let message = match style {
                    None => format!("{what} parameter without a `style`"),
                    Some(style) => format!("`style: {}` does not apply to {what}", style.word()),
                };
                self.problem(element(side, path), message);
                return None;
            }
        };
        let field = match shape {
            Shape::Scalar(_) => Some(self.base(s, kind, side, path, required)),
            Shape::Array => self.list(s, kind, side, path, required),
            Shape::Object => Some(self.object(s, kind, side, path, required)),
        }?;
        if kind == ImportedKind::CommaList {
            let item_kind = field.item.as_ref().map(|i| i.ty);
            if !matches!(item_kind, Some(k) if is_scalar(k)) {
                let message = "`style: simple` joins scalars with commas; the item is not one";
                self.problem(element(side, path), message.into());
                return None;
            }
        }
        Some(field)
    }

    fn response(&mut self, api: &Api) -> Vec<ImportedField> {
        let Some(schema) = api.responses.get("200").and_then(|r| r.schema.as_ref()) else {
            return Vec::new();
        };
        let fields = self.resolved(schema, Side::Response, "", |c, s| {
            match c.shape(s, Side::Response, "")? {
                Shape::Object => Some(c.properties(s, Side::Response, "")),
                _ => {
                    let message = "the response body is not an object".into();
                    c.problem("response".into(), message);
                    None
                }
            }
        });
        fields.unwrap_or_default()
    }

    /// A nested value (list item, property, response field): arrays are lists, objects are
    /// objects, except the response's XML-derived wrapper, an object whose only property is an
    /// array.
    pub(super) fn value(
        &mut self,
        s: &Schema,
        side: Side,
        path: &str,
        required: bool,
    ) -> Option<ImportedField> {
        let required = required || s.required_flag();
        self.resolved(s, side, path, |c, s| {
            let required = required || s.required_flag();
            match c.shape(s, side, path)? {
                Shape::Scalar(kind) => Some(c.base(s, kind, side, path, required)),
                Shape::Array => c.list(s, ImportedKind::List, side, path, required),
                Shape::Object => match c.wrapped(s, side) {
                    Some((key, inner)) => {
                        let mut field = c.base(s, ImportedKind::WrappedList, side, path, required);
                        let inner_path = join(path, key);
                        let list = c.value(inner, side, &inner_path, false)?;
                        if let Some(doc) = c.docs.get(&element(side, &inner_path)).cloned() {
                            c.docs.entry(element(side, path)).or_insert(doc);
                        }
                        field.key = Some(key.to_owned());
                        field.item = list.item;
                        Some(field)
                    }
                    None => Some(c.object(s, ImportedKind::Object, side, path, required)),
                },
            }
        })
    }

    /// The key and array schema of a response wrapper `{"Key": [..]}`, if `s` is one.
    fn wrapped<'s>(&self, s: &'s Schema, side: Side) -> Option<(&'s str, &'s Schema)> {
        let props = &s.properties.as_ref()?.0;
        match (side, props.as_slice()) {
            (Side::Response, [(key, inner)]) if self.is_array(inner) => Some((key, inner)),
            _ => None,
        }
    }

    fn list(
        &mut self,
        s: &Schema,
        kind: ImportedKind,
        side: Side,
        path: &str,
        required: bool,
    ) -> Option<ImportedField> {
        let mut field = self.base(s, kind, side, path, required);
        let Some(items) = &s.items else {
            self.problem(element(side, path), "an array without `items`".into());
            return None;
        };
        let item = self.value(items, side, &format!("{path}[]"), false)?;
        field.item = Some(Box::new(item));
        Some(field)
    }

    fn object(
        &mut self,
        s: &Schema,
        kind: ImportedKind,
        side: Side,
        path: &str,
        required: bool,
    ) -> ImportedField {
        let mut field = self.base(s, kind, side, path, required);
        field.fields = self.properties(s, side, path);
        field
    }

    fn properties(&mut self, s: &Schema, side: Side, path: &str) -> Vec<ImportedField> {
        let Some(props) = &s.properties else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for (name, p) in &props.0 {
            let child = join(path, name);
            if name.trim().is_empty() {
                self.problem(element(side, &child), "a property without a name".into());
                continue;
            }
            if !seen.insert(name) {
                self.problem(element(side, &child), "the property appears twice".into());
            }
            if let Some(mut field) = self.value(p, side, &child, s.requires(name)) {
                field.name = Some(name.clone());
                out.push(field);
            }
        }
        out
    }

    fn errors(&mut self, api: &Api) -> Vec<ImportedError> {
        let mut out = Vec::new();
        for (status, codes) in &api.error_codes {
            let Ok(http_status) = status.trim().parse::<u16>() else {
                let message = format!("HTTP status `{status}` is not a number");
                self.problem("errorCodes".into(), message);
                continue;
            };
            for (index, e) in codes.iter().enumerate() {
                match e.code.as_deref().map(str::trim) {
                    Some(code) if code.contains('%') => {
                        // `IllegalParam.%s`: a family of codes, the service fills in the
                        // blank. No wire code matches it, so it has no variant; such answers
                        // reach the operation's `Unhandled` variant with their code.
                        let at = format!("errorCodes.{status}[{index}]");
                        let message = format!(
                            "error code `{code}` is a template with a placeholder, not a wire \
                             code; left out"
                        );
                        self.warnings.push(self.at(at, message));
                    }
                    Some(code) if !code.is_empty() => out.push(ImportedError {
                        code: code.to_owned(),
                        http_status,
                        message: e.message.clone().unwrap_or_default(),
                    }),
                    _ => {
                        let at = format!("errorCodes.{status}[{index}]");
                        self.problem(at, "an error without `errorCode`".into());
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            (&a.code, a.http_status, &a.message).cmp(&(&b.code, b.http_status, &b.message))
        });
        out.dedup();
        out
    }
}
