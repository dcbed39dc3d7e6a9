//! One metadata API → one [`ImportedOperation`]: facts only, never the metadata's prose.
//!
//! Parameters and properties keep the metadata's order; nesting is followed to any depth and
//! `$ref`s to `#/components/schemas/<name>` are resolved (a reference that does not resolve, or
//! that refers back to a schema being resolved, is a problem). Every problem is collected, each
//! with its element path: `parameter TunnelOptionsSpecification[].TunnelIkeConfig.Psk`,
//! `response VpnGateways.VpnGateway[].Tags`. Descriptions are collected apart, only on request,
//! for the maintainer's terminal.

use super::diff;
use super::metadata::{self, Api, In, Parameter, Schema, SchemaFormat, SchemaType, Style};
use super::problem::Problem;
use crate::imported::{ImportedError, ImportedField, ImportedKind, ImportedOperation, Location};
use crate::imported::{Inferred, Provenance};
use crate::model::{Bounds, Constraints, Scalar};
use serde_json::value::RawValue;
use serde_json::Value;
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
enum Side {
    Parameter,
    Response,
}

/// The element name used in problems, docs and change reports: `parameter A[].B`.
fn element(side: Side, path: &str) -> String {
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
enum Shape {
    Scalar(ImportedKind),
    Array,
    Object,
}

struct Converter<'a> {
    source: Source<'a>,
    action: &'a str,
    /// Component names being resolved, outermost first (cycle guard).
    refs: Vec<String>,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    docs: BTreeMap<String, String>,
    collect_docs: bool,
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

    fn problem(&mut self, element: String, message: String) {
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
    fn value(
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

    /// Whether `s` is an array, following references without reporting anything (the
    /// conversion that follows reports).
    fn is_array(&self, s: &Schema) -> bool {
        let mut current: Option<Schema> = None;
        for _ in 0..=self.source.components.len() {
            let schema = current.as_ref().unwrap_or(s);
            let Some(reference) = &schema.reference else {
                return schema.ty == Some(SchemaType::Array);
            };
            let target = component_name(reference)
                .and_then(|name| self.source.components.get(name))
                .and_then(|raw| metadata::parse_part::<Schema>(self.source.text, raw).ok());
            match target {
                Some(t) => current = Some(t),
                None => return false,
            }
        }
        false
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

    /// Follows `s`'s `$ref` (if any) and hands the target to `f`.
    fn resolved<R>(
        &mut self,
        s: &Schema,
        side: Side,
        path: &str,
        f: impl FnOnce(&mut Self, &Schema) -> Option<R>,
    ) -> Option<R> {
        let Some(reference) = &s.reference else {
            return f(self, s);
        };
        let at = if path.is_empty() {
            "response".to_owned()
        } else {
            element(side, path)
        };
        let Some(name) = component_name(reference) else {
            let message = format!(
                "unsupported reference `{reference}` (expected `#/components/schemas/<name>`)"
            );
            self.problem(at, message);
            return None;
        };
        if self.refs.iter().any(|r| r == name) {
            let mut cycle = self.refs.clone();
            cycle.push(name.to_owned());
            self.problem(at, format!("reference cycle: {}", cycle.join(" → ")));
            return None;
        }
        let Some(raw) = self.source.components.get(name) else {
            self.problem(at, format!("reference `{reference}` does not resolve"));
            return None;
        };
        let target = match metadata::parse_part::<Schema>(self.source.text, raw) {
            Ok(t) => t,
            Err(e) => {
                self.problems.push(Problem {
                    metadata: self.source.metadata.to_owned(),
                    position: Some(e.position),
                    operation: Some(self.action.to_owned()),
                    element: Some(format!("{at} (via components.schemas.{name}.{})", e.path)),
                    message: e.message,
                });
                return None;
            }
        };
        self.refs.push(name.to_owned());
        let target = Schema {
            description: target.description.or_else(|| s.description.clone()),
            ..target
        };
        let out = self.resolved(&target, side, path, f);
        self.refs.pop();
        out
    }

    /// The shape of `s`: its type and format checked together.
    fn shape(&mut self, s: &Schema, side: Side, path: &str) -> Option<Shape> {
        let at = || {
            if path.is_empty() {
                "response".to_owned()
            } else {
                element(side, path)
            }
        };
        let Some(ty) = &s.ty else {
            self.problem(at(), "no `type`".into());
            return None;
        };
        use SchemaFormat as F;
        let format = s.format.as_ref();
        let shape = match (ty, format) {
            (SchemaType::String, None | Some(F::Iso8601)) => Shape::Scalar(ImportedKind::String),
            (SchemaType::Integer, None | Some(F::Int32)) => Shape::Scalar(ImportedKind::Integer),
            (SchemaType::Integer, Some(F::Int64)) => Shape::Scalar(ImportedKind::Long),
            (SchemaType::Number, None | Some(F::Float | F::Double)) => {
                Shape::Scalar(ImportedKind::Float)
            }
            (SchemaType::Boolean, None) => Shape::Scalar(ImportedKind::Boolean),
            (SchemaType::Array, None) => Shape::Array,
            (SchemaType::Object, None) => Shape::Object,
            (SchemaType::Unknown(word), _) => {
                let known = SchemaType::KNOWN.join(", ");
                self.problem(at(), format!("unknown `type: {word}` (known: {known})"));
                return None;
            }
            (_, Some(F::Unknown(word))) => {
                let known = SchemaFormat::KNOWN.join(", ");
                self.problem(at(), format!("unknown `format: {word}` (known: {known})"));
                return None;
            }
            (ty, Some(format)) => {
                let message = format!(
                    "`format: {}` does not apply to `type: {}`",
                    format.word(),
                    ty.word()
                );
                self.problem(at(), message);
                return None;
            }
        };
        Some(shape)
    }

    /// The attributes every field has, read from `s`.
    fn base(
        &mut self,
        s: &Schema,
        kind: ImportedKind,
        side: Side,
        path: &str,
        required: bool,
    ) -> ImportedField {
        let at = element(side, path);
        if self.collect_docs {
            if let Some(doc) = s
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
            {
                self.docs.insert(at.clone(), doc.to_owned());
            }
        }
        let constraints = Constraints {
            range: self.bounds(&at, ("minimum", &s.minimum), ("maximum", &s.maximum)),
            length: self.bounds(
                &at,
                ("minLength", &s.min_length),
                ("maxLength", &s.max_length),
            ),
            items: self.bounds(&at, ("minItems", &s.min_items), ("maxItems", &s.max_items)),
            ..Constraints::default()
        };
        ImportedField {
            name: None,
            ty: kind,
            item: None,
            fields: Vec::new(),
            key: None,
            required: side == Side::Parameter && required,
            location: Location::Query,
            sensitive: false,
            deprecated: s.deprecated.unwrap_or(false),
            default: s.default.as_ref().map(|v| scalar(v, kind)),
            example: s.example.as_ref().map(|v| scalar(v, kind)),
            values: s.values.iter().flatten().map(|v| scalar(v, kind)).collect(),
            constraints,
        }
    }

    fn bounds(
        &mut self,
        at: &str,
        (min_key, min): (&str, &Option<Value>),
        (max_key, max): (&str, &Option<Value>),
    ) -> Option<Bounds> {
        let mut bound = |key: &str, value: &Option<Value>| {
            let value = value.as_ref()?;
            let n = integer(value);
            if n.is_none() {
                self.problem(at.to_owned(), format!("`{key}` is not an integer: {value}"));
            }
            n
        };
        let bounds = Bounds {
            min: bound(min_key, min),
            max: bound(max_key, max),
        };
        (bounds != Bounds::default()).then_some(bounds)
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

/// The component a reference names: `#/components/schemas/<name>`.
fn component_name(reference: &str) -> Option<&str> {
    reference
        .strip_prefix("#/components/schemas/")
        .filter(|n| !n.is_empty() && !n.contains('/'))
}

/// Whether `kind` is a single value.
pub fn is_scalar(kind: ImportedKind) -> bool {
    matches!(
        kind,
        ImportedKind::String
            | ImportedKind::Integer
            | ImportedKind::Long
            | ImportedKind::Boolean
            | ImportedKind::Float
    )
}

/// A metadata value (mostly text, even for numbers) as a scalar of the field's kind; text that
/// does not read as the kind stays text, so the curator sees it as written.
fn scalar(value: &Value, kind: ImportedKind) -> Scalar {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Bool(b) if kind != ImportedKind::String => return Scalar::Bool(*b),
        Value::Number(n) if kind != ImportedKind::String => {
            return match n.as_i64() {
                Some(i) if kind != ImportedKind::Float => Scalar::Int(i),
                _ => n.as_f64().map_or(Scalar::Str(n.to_string()), Scalar::Float),
            };
        }
        other => other.to_string(),
    };
    let parsed = match kind {
        ImportedKind::Integer | ImportedKind::Long => text.trim().parse().ok().map(Scalar::Int),
        ImportedKind::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Scalar::Float),
        ImportedKind::Boolean => match text.trim() {
            "true" => Some(Scalar::Bool(true)),
            "false" => Some(Scalar::Bool(false)),
            _ => None,
        },
        _ => None,
    };
    parsed.unwrap_or(Scalar::Str(text))
}

/// A bound: an integer, written as a number or as text.
fn integer(value: &Value) -> Option<i64> {
    let from_float = |f: f64| {
        let fits = f.fract() == 0.0 && f.abs() < 9.0e15;
        fits.then_some(f as i64)
    };
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(from_float)),
        Value::String(s) => {
            let s = s.trim();
            s.parse()
                .ok()
                .or_else(|| s.parse().ok().and_then(from_float))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{integer, scalar};
    use crate::imported::ImportedKind as K;
    use crate::model::Scalar;
    use serde_json::json;

    #[test]
    fn metadata_text_becomes_a_scalar_of_the_field_kind() {
        assert_eq!(scalar(&json!("5"), K::Integer), Scalar::Int(5));
        assert_eq!(
            scalar(&json!("vco-1"), K::Integer),
            Scalar::Str("vco-1".into())
        );
        assert_eq!(scalar(&json!("0.5"), K::Float), Scalar::Float(0.5));
        assert_eq!(scalar(&json!("true"), K::Boolean), Scalar::Bool(true));
        assert_eq!(
            scalar(&json!("True"), K::Boolean),
            Scalar::Str("True".into())
        );
        assert_eq!(scalar(&json!(5), K::String), Scalar::Str("5".into()));
        assert_eq!(scalar(&json!(5), K::Long), Scalar::Int(5));
        assert_eq!(
            scalar(&json!("a,b"), K::CommaList),
            Scalar::Str("a,b".into())
        );
    }

    #[test]
    fn bounds_are_integers_written_as_numbers_or_text() {
        assert_eq!(integer(&json!(" 50 ")), Some(50));
        assert_eq!(integer(&json!(20)), Some(20));
        assert_eq!(integer(&json!(20.0)), Some(20));
        assert_eq!(integer(&json!("1.5")), None);
        assert_eq!(integer(&json!(true)), None);
    }
}
