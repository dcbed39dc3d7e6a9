//! Fields, wherever they appear (parameters, response fields, struct fields, common
//! parameters): wire and Rust names, `required` against `default`, constraints that fit the
//! field's type, and defaults, examples and forbidden values that are legal values of the field
//! by the same rules the generated SDK checks.

use super::names::wire_name_problem;
use super::{At, Side, TypeDef, Validator};
use crate::model::{Bounds, Field, Format, Scalar, TypeRef};
use crate::naming;
use std::collections::BTreeMap;

impl<'a> Validator<'a> {
    /// The fields of one list (parameters, response fields, a struct's fields, the common
    /// parameters): wire and Rust names usable and distinct, then each field. `at` is the list;
    /// returns where each field is, in order, for the checks that follow.
    pub(super) fn check_fields(
        &mut self,
        at: &At<'a>,
        scope: &str,
        fields: &'a [Field],
        side: Option<Side>,
    ) -> Vec<At<'a>> {
        // Wire name → fields so far with that name.
        let mut wire: BTreeMap<&str, usize> = BTreeMap::new();
        let mut rust = BTreeMap::new();
        let mut places = Vec::with_capacity(fields.len());
        for f in fields {
            let path = format!("{scope}.{}", f.name);
            let uses = wire.entry(f.name.as_str()).or_insert(0);
            let field_at = at.nth_item("name", f.name.as_str(), *uses);
            *uses += 1;
            if *uses > 1 {
                self.report(
                    &field_at,
                    Some(path.clone()),
                    "wire name is used twice".into(),
                );
            }
            let rn = f
                .rust_name
                .clone()
                .unwrap_or_else(|| naming::field_name(&f.name));
            if !naming::is_snake_ident(&rn) {
                self.report(
                    &field_at.key("rust_name"),
                    Some(path.clone()),
                    format!("Rust name `{rn}` is not a valid snake_case identifier"),
                );
            }
            if let Some(other) = rust.insert(rn.clone(), f.name.as_str()) {
                self.report(
                    &field_at.key("rust_name"),
                    Some(path.clone()),
                    format!("Rust name `{rn}` collides with field {other} (set `rust_name`)"),
                );
            }
            if let Some(why) = wire_name_problem(&f.name) {
                self.report(&field_at, Some(path.clone()), why);
            }
            self.check_field(&field_at, scope, f, side);
            places.push(field_at);
        }
        places
    }

    /// Checks one field wherever it appears: parameters and response fields (`side` known) and
    /// struct fields (`side` None: a struct may serve both sides).
    fn check_field(&mut self, at: &At<'a>, scope: &str, f: &'a Field, side: Option<Side>) {
        let path = format!("{scope}.{}", f.name);
        self.check_field_type(&at.key("type"), &path, &f.ty, side);
        if side != Some(Side::Response) && f.required && f.default.is_some() {
            self.report(
                &at.key("default"),
                Some(path.clone()),
                "a required field cannot have a default".into(),
            );
        }
        self.check_constraints_fit(&at.key("constraints"), &path, f);
        for (what, value) in [("default", &f.default), ("example", &f.example)] {
            if let Some(v) = value {
                if let Err(why) = self.value_satisfies(f, v) {
                    self.report(
                        &at.key(what),
                        Some(path.clone()),
                        format!("{what} `{v}` violates the field's own constraints: {why}"),
                    );
                }
            }
        }
    }

    /// Constraints must make sense for the field's type. `at` is the field's `constraints`.
    fn check_constraints_fit(&mut self, at: &At<'a>, path: &str, f: &Field) {
        let c = &f.constraints;
        let numeric = matches!(f.ty, TypeRef::Integer | TypeRef::Long | TypeRef::Float);
        let textual = matches!(f.ty, TypeRef::String);
        let list = matches!(f.ty, TypeRef::List(_) | TypeRef::CommaList(_));
        let mut bad = Vec::new();
        if c.range.is_some() && !numeric {
            bad.push("`range` needs a numeric type");
        }
        if c.length.is_some() && !textual {
            bad.push("`length` needs type string");
        }
        if c.items.is_some() && !list {
            bad.push("`items` needs a list type");
        }
        if !c.forbidden_prefixes.is_empty() && !textual {
            bad.push("`forbidden_prefixes` needs type string");
        }
        if c.format.is_some() && !textual {
            bad.push("`format` needs type string");
        }
        for b in [c.range, c.length, c.items].into_iter().flatten() {
            if let (Some(lo), Some(hi)) = (b.min, b.max) {
                if lo > hi {
                    bad.push("bounds have min greater than max");
                }
            }
        }
        for b in [c.length, c.items].into_iter().flatten() {
            if b.min.is_some_and(|n| n < 0) || b.max.is_some_and(|n| n < 0) {
                bad.push("`length` and `items` bounds must not be negative");
            }
        }
        if let (Some(r), TypeRef::Integer) = (c.range, &f.ty) {
            let fits = |n: Option<i64>| n.is_none_or(|n| i32::try_from(n).is_ok());
            if !fits(r.min) || !fits(r.max) {
                bad.push("`range` bounds must fit a 32-bit integer");
            }
        }
        if c.forbidden_prefixes.iter().any(String::is_empty) {
            bad.push("an empty forbidden prefix would refuse every value");
        }
        for b in bad {
            self.report(at, Some(path.into()), b.into());
        }
        // A forbidden value of another type can never match: the constraint is a mistake.
        let bare = Field {
            constraints: Default::default(),
            ..f.clone()
        };
        for v in &c.forbidden_values {
            if let Err(why) = self.value_satisfies(&bare, v) {
                let listed = at.key("forbidden_values").nth_scalar(v.to_string(), 0);
                self.report(
                    &listed,
                    Some(path.into()),
                    format!("forbidden value `{v}` is not a value of the field: {why}"),
                );
            }
        }
    }

    /// Whether `v` is a legal value of `f`: right type, in the enum, within every constraint.
    pub(super) fn value_satisfies(&self, f: &Field, v: &Scalar) -> Result<(), String> {
        match (&f.ty, v) {
            (TypeRef::String, Scalar::Str(_)) => {}
            (TypeRef::Integer, Scalar::Int(i)) if i32::try_from(*i).is_ok() => {}
            (TypeRef::Long, Scalar::Int(_)) => {}
            (TypeRef::Float, Scalar::Int(_) | Scalar::Float(_)) => {}
            (TypeRef::Boolean, Scalar::Bool(_)) => {}
            (TypeRef::Enum(name), v) => {
                if let Some((TypeDef::Enum(e), _)) = self.types.get(name.as_str()) {
                    if !e
                        .values
                        .iter()
                        .any(|x| x.value.to_string() == v.to_string())
                    {
                        return Err(format!("not a value of enum {name}"));
                    }
                }
            }
            // Lists, JSON structs and objects carry illustrative text examples; not checked.
            (
                TypeRef::List(_)
                | TypeRef::Json(_)
                | TypeRef::Object(_)
                | TypeRef::WrappedList(_)
                | TypeRef::CommaList(_),
                _,
            ) => return Ok(()),
            (ty, _) => return Err(format!("not a {}", type_word(ty))),
        }
        let c = &f.constraints;
        let text = v.to_string();
        if let (Some(r), Scalar::Int(i)) = (c.range, v) {
            check_bounds(r, *i, "value")?;
        }
        if let Some(r) = c.length {
            let n = i64::try_from(text.chars().count()).unwrap_or(i64::MAX);
            check_bounds(r, n, "length")?;
        }
        if let Some(p) = c
            .forbidden_prefixes
            .iter()
            .find(|p| text.starts_with(p.as_str()))
        {
            return Err(format!("starts with forbidden prefix `{p}`"));
        }
        if c.forbidden_values.iter().any(|x| x.to_string() == text) {
            return Err("is a forbidden value".into());
        }
        if let Some(fmt) = c.format {
            if !format_matches(fmt, &text) {
                return Err(format!(
                    "does not match format `{}`: {}",
                    fmt.shared().keyword(),
                    fmt.shared().rule()
                ));
            }
        }
        Ok(())
    }
}

/// Whether `n` lies within `b`; the error names `what` was measured.
fn check_bounds(b: Bounds, n: i64, what: &str) -> Result<(), String> {
    if b.min.is_some_and(|m| n < m) || b.max.is_some_and(|m| n > m) {
        return Err(format!(
            "{what} {n} is outside {}..={}",
            b.min.map(|m| m.to_string()).unwrap_or_default(),
            b.max.map(|m| m.to_string()).unwrap_or_default()
        ));
    }
    Ok(())
}

/// A scalar type in words, for messages.
fn type_word(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "string",
        TypeRef::Integer => "32-bit integer",
        TypeRef::Long => "64-bit integer",
        TypeRef::Boolean => "boolean",
        TypeRef::Float => "number",
        _ => "scalar",
    }
}

/// The check the generated SDK performs client-side (one shared definition,
/// `vpn-gateway-formats`), so the spec's own examples and defaults are held to it.
pub fn format_matches(fmt: Format, s: &str) -> bool {
    fmt.shared().matches(s)
}
