//! Operation examples: each sample request parameter (flattened list keys such as `Tag.1.Key`
//! included) names a parameter and holds a legal value of it; the sample response is JSON with
//! every required field, no undocumented key and each value of its field's type.

use super::operations::parameter;
use super::{describe_type, At, TypeDef, Validator};
use crate::model::{Field, OperationSpec, Scalar, TypeRef};

impl<'a> Validator<'a> {
    /// The example of one operation, if it has one.
    pub(super) fn check_example(&mut self, at: &At<'a>, op: &'a OperationSpec) {
        let Some(ex) = &op.example else {
            return;
        };
        let example = at.key("example");
        for (k, v) in &ex.request {
            let sample = || example.key("request").key(k);
            if let Some(problem) = self.flattened_example_problem(op, k, v) {
                if !problem.is_empty() {
                    self.report(&sample(), Some(format!("example.request.{k}")), problem);
                }
                continue;
            }
            match parameter(op, k) {
                None => self.report(
                    &sample(),
                    Some(format!("example.request.{k}")),
                    "not a parameter of this operation".into(),
                ),
                Some(p) if is_flat(&p.ty) => {
                    let typed = scalar_from_wire(&p.ty, v);
                    if let Err(why) = self.value_satisfies(p, &typed) {
                        self.report(
                            &sample(),
                            Some(format!("example.request.{k}")),
                            format!("`{v}` is not a legal value: {why}"),
                        );
                    }
                }
                Some(_) => {}
            }
        }
        match serde_json::from_str::<serde_json::Value>(&ex.response) {
            Err(e) => self.report(
                &example.key("response"),
                Some("example.response".into()),
                format!("not valid JSON: {e}"),
            ),
            Ok(sample) => {
                let mut found = Vec::new();
                self.check_sample_object(&op.response, &sample, "", 0, &mut found);
                // The sample is one JSON text: its own line is as close as the file can point.
                let sample = example.key("response");
                for (path, problem) in found {
                    self.report(&sample, Some(format!("example.response{path}")), problem);
                }
            }
        }
    }

    /// Checks a sample response object against `fields`: every required field present, no
    /// key the fields do not document, every value of its field's type. Problems are collected
    /// as (JSON path, message).
    fn check_sample_object(
        &self,
        fields: &[Field],
        value: &serde_json::Value,
        path: &str,
        depth: usize,
        found: &mut Vec<(String, String)>,
    ) {
        let Some(object) = value.as_object() else {
            found.push((
                path.to_owned(),
                format!("is {}, not an object", json_kind(value)),
            ));
            return;
        };
        for f in fields {
            if f.required && object.get(&f.name).is_none_or(serde_json::Value::is_null) {
                found.push((
                    format!("{path}.{}", f.name),
                    "is a required response field but the sample lacks it".into(),
                ));
            }
        }
        for (key, v) in object {
            let here = format!("{path}.{key}");
            match fields.iter().find(|f| &f.name == key) {
                None => found.push((here, "is not a documented response field".into())),
                Some(_) if v.is_null() => {}
                Some(f) => self.check_sample_value(&f.ty, v, &here, depth, found),
            }
        }
    }

    /// Checks one sample value against the field type `ty`, descending into lists and objects.
    fn check_sample_value(
        &self,
        ty: &TypeRef,
        v: &serde_json::Value,
        path: &str,
        depth: usize,
        found: &mut Vec<(String, String)>,
    ) {
        use serde_json::Value as J;
        // Response types nest at most 16 levels (checked separately); stop there.
        if depth > 16 {
            return;
        }
        let item_type = |item: &str| match self.def(item) {
            Some(TypeDef::Enum(e)) => TypeRef::Enum(e.name.clone()),
            Some(TypeDef::Struct(s)) => TypeRef::Object(s.name.clone()),
            None => scalar_type_ref(item),
        };
        let mismatch = |found: &mut Vec<(String, String)>| {
            found.push((
                path.to_owned(),
                format!(
                    "is {}, but the field is {}",
                    json_kind(v),
                    describe_type(ty)
                ),
            ));
        };
        match (ty, v) {
            (TypeRef::String, J::String(_))
            | (TypeRef::Boolean, J::Bool(_))
            | (TypeRef::Float, J::Number(_)) => {}
            (TypeRef::Long, J::Number(n)) if n.is_i64() => {}
            (TypeRef::Integer, J::Number(n))
                if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {}
            (TypeRef::Enum(name), J::String(_) | J::Number(_)) => {
                let text = match v {
                    J::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if let Some(TypeDef::Enum(e)) = self.def(name) {
                    if !e.values.iter().any(|x| x.value.to_string() == text) {
                        found.push((
                            path.to_owned(),
                            format!("`{text}` is not a value of enum {name}"),
                        ));
                    }
                }
            }
            (TypeRef::List(item), J::Array(items)) => {
                let t = item_type(item);
                for (i, x) in items.iter().enumerate() {
                    self.check_sample_value(&t, x, &format!("{path}[{i}]"), depth + 1, found);
                }
            }
            (TypeRef::WrappedList(w), J::Object(o)) => match (o.len(), o.get(&w.key)) {
                (1, Some(J::Array(items))) => {
                    let t = item_type(&w.item);
                    for (i, x) in items.iter().enumerate() {
                        let here = format!("{path}.{}[{i}]", w.key);
                        self.check_sample_value(&t, x, &here, depth + 1, found);
                    }
                }
                _ => found.push((
                    path.to_owned(),
                    format!(
                        "must be an object with the one key `{}` holding an array",
                        w.key
                    ),
                )),
            },
            (TypeRef::Object(name), J::Object(_)) => {
                if let Some(TypeDef::Struct(s)) = self.def(name) {
                    self.check_sample_object(&s.fields, v, path, depth + 1, found);
                }
            }
            _ => mismatch(found),
        }
    }

    /// For a flattened key (`Name.N` or `Name.N.Field`): `Some("")` when it names a list item
    /// legally, `Some(problem)` when it does not, `None` when the key is not flattened.
    fn flattened_example_problem(
        &self,
        op: &OperationSpec,
        key: &str,
        value: &str,
    ) -> Option<String> {
        let mut parts = key.splitn(3, '.');
        let (name, index, field) = (parts.next()?, parts.next()?, parts.next());
        let Ok(n) = index.parse::<usize>() else {
            return Some(format!("`{index}` is not a list index"));
        };
        if n == 0 {
            return Some("list indexes start at 1".into());
        }
        let Some(p) = op.parameters.iter().find(|p| p.name == name) else {
            return Some(format!("`{name}` is not a parameter of this operation"));
        };
        let TypeRef::List(item) = &p.ty else {
            return Some(format!("`{name}` is not a list parameter"));
        };
        let item_field = match (self.def(item), field) {
            (Some(TypeDef::Struct(s)), Some(f)) => match s.fields.iter().find(|x| x.name == f) {
                Some(x) => x.clone(),
                None => return Some(format!("`{f}` is not a field of {}", s.name)),
            },
            (Some(TypeDef::Struct(s)), None) => {
                return Some(format!("items of {} are sent as `{name}.N.Field`", s.name))
            }
            (_, Some(_)) => return Some(format!("items of `{name}` have no fields")),
            (def, None) => Field {
                name: name.to_owned(),
                ty: match def {
                    Some(TypeDef::Enum(e)) => TypeRef::Enum(e.name.clone()),
                    _ => scalar_type_ref(item),
                },
                required: false,
                default: None,
                example: None,
                doc: String::new(),
                sensitive: false,
                location: None,
                decision: None,
                origin: Default::default(),
                constraints: Default::default(),
                rust_name: None,
                note: None,
            },
        };
        let typed = scalar_from_wire(&item_field.ty, value);
        Some(match self.value_satisfies(&item_field, &typed) {
            Ok(()) => String::new(),
            Err(why) => format!("`{value}` is not a legal value: {why}"),
        })
    }
}

/// Scalars and enums are "flat": they fit in one query value.
fn is_flat(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String
            | TypeRef::Integer
            | TypeRef::Long
            | TypeRef::Boolean
            | TypeRef::Float
            | TypeRef::Enum(_)
    )
}

/// The type a scalar keyword (`integer`, ...) names; anything else is treated as `string`.
fn scalar_type_ref(keyword: &str) -> TypeRef {
    match keyword {
        "integer" => TypeRef::Integer,
        "long" => TypeRef::Long,
        "boolean" => TypeRef::Boolean,
        "float" => TypeRef::Float,
        _ => TypeRef::String,
    }
}

/// What kind of JSON value `v` is, for messages.
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Interprets a query-string value as the scalar it encodes for a field of type `ty`.
fn scalar_from_wire(ty: &TypeRef, v: &str) -> Scalar {
    match ty {
        TypeRef::Integer | TypeRef::Long => {
            v.parse().map(Scalar::Int).unwrap_or(Scalar::Str(v.into()))
        }
        TypeRef::Float => v
            .parse()
            .map(Scalar::Float)
            .unwrap_or(Scalar::Str(v.into())),
        TypeRef::Boolean => v.parse().map(Scalar::Bool).unwrap_or(Scalar::Str(v.into())),
        TypeRef::Enum(_) => v.parse().map(Scalar::Int).unwrap_or(Scalar::Str(v.into())),
        _ => Scalar::Str(v.into()),
    }
}
