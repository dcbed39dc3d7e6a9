//! What a schema says about one value: its `$ref` followed (with a cycle guard), its type and
//! format checked together, and its attributes (requirement, deprecation, default, example,
//! value list, bounds), with the metadata's texts read as scalars of the field's kind.

use super::convert::{element, Converter, Shape, Side};
use super::metadata::{self, Schema, SchemaFormat, SchemaType};
use super::problem::Problem;
use crate::imported::{ImportedField, ImportedKind, Location};
use crate::model::{Bounds, Constraints, Scalar};
use serde_json::Value;

/// References followed within one another, at most (a chain of distinct schemas this long is
/// not a real API).
const MAX_REFERENCE_DEPTH: usize = 32;

impl Converter<'_> {
    /// Whether `s` is an array, following references without reporting anything (the
    /// conversion that follows reports).
    pub(super) fn is_array(&self, s: &Schema) -> bool {
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

    /// Follows `s`'s `$ref` (if any) and hands the target to `f`.
    pub(super) fn resolved<R>(
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
        if self.refs.len() >= MAX_REFERENCE_DEPTH {
            let message = format!("references nested deeper than {MAX_REFERENCE_DEPTH}");
            self.problem(at, message);
            return None;
        }
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
    pub(super) fn shape(&mut self, s: &Schema, side: Side, path: &str) -> Option<Shape> {
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
    pub(super) fn base(
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
            example: s
                .example
                .as_ref()
                .map(|v| scalar(v, kind))
                .filter(|v| !reads_as_prose(v)),
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
/// Some metadata examples are sentences about values rather than values ("Example value for
/// the China site: …"); they are Alibaba's prose and stay out of the spec. Four plain words in
/// a row mark one; identifiers, addresses, certificates and JSON never have them.
fn reads_as_prose(example: &Scalar) -> bool {
    let Scalar::Str(text) = example else {
        return false;
    };
    let mut run = 0;
    for word in text.split_whitespace() {
        let bare = word.trim_end_matches(['.', ',', ':', ';']);
        if !bare.is_empty() && bare.chars().all(char::is_alphabetic) {
            run += 1;
            if run == 4 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

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

#[cfg(test)]
mod prose_tests {
    use super::{reads_as_prose, Scalar};

    #[test]
    fn sentences_are_not_examples_but_values_are() {
        for prose in [
            "The key of the client",
            "Example value for the China site (aliyun.com): Prepay.",
        ] {
            assert!(reads_as_prose(&Scalar::Str(prose.into())), "{prose}");
        }
        for value in [
            "vpn-bp1q8bgx4xnkm****",
            "-----BEGIN CERTIFICATE----- MIIB7zCCAZW**** -----END CERTIFICATE-----",
            "{\"Psk\":\"1234****\",\"IkeVersion\":\"ikev1\"}",
            "10.0.0.0/24,10.0.1.0/24",
            "My VPN gateway",
        ] {
            assert!(!reads_as_prose(&Scalar::Str(value.into())), "{value}");
        }
        assert!(!reads_as_prose(&Scalar::Int(5)));
    }
}
