//! Types: enums (values of the declared wire type, each once, usable and distinct Rust
//! variants), structs, and type references (each resolves to a defined type of the right kind).
//! Also where a type may sit: request-only and response-only shapes, checked through nested
//! structs at any depth.

use super::names::{wire_name_problem, Methods};
use super::{is_scalar_keyword, occurrence, At, Side, TypeDef, Validator};
use crate::model::{EnumSpec, EnumWireType, Scalar, StructSpec, TypeRef};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

impl<'a> Validator<'a> {
    /// The enums and structs one file defines.
    pub(super) fn check_types(
        &mut self,
        file: &'a Path,
        enums: &'a [EnumSpec],
        structs: &'a [StructSpec],
    ) {
        let whole = At::file(file);
        for (i, e) in enums.iter().enumerate() {
            let nth = occurrence(enums, i, |e| e.name.as_str());
            self.check_enum(&whole.key("enums").nth_item("name", &e.name, nth), e);
        }
        for (i, s) in structs.iter().enumerate() {
            let nth = occurrence(structs, i, |s| s.name.as_str());
            self.check_struct(&whole.key("structs").nth_item("name", &s.name, nth), s);
        }
    }

    /// An enum has values, each of its wire type, listed once, with a usable and distinct
    /// Rust variant.
    fn check_enum(&mut self, at: &At<'a>, e: &'a EnumSpec) {
        if e.values.is_empty() {
            self.report(
                &at.key("values"),
                Some(e.name.clone()),
                "enum has no values".into(),
            );
        }
        if e.case_insensitive && e.wire_type != EnumWireType::String {
            self.report(
                &at.key("case_insensitive"),
                Some(e.name.clone()),
                "`case_insensitive` applies to string enums only".into(),
            );
        }
        let mut seen_values = BTreeSet::new();
        let mut seen_variants = BTreeMap::new();
        for (i, v) in e.values.iter().enumerate() {
            let path = format!("{}.{}", e.name, v.value);
            // Built only for a problem: finding a duplicate's occurrence costs a pass.
            let value_at = || {
                let nth = occurrence(&e.values, i, |x| x.value.to_string());
                at.key("values").nth_item("value", v.value.to_string(), nth)
            };
            let type_ok = match (e.wire_type, &v.value) {
                (EnumWireType::String, Scalar::Str(s)) => !s.is_empty(),
                (EnumWireType::Integer, Scalar::Int(i)) => i32::try_from(*i).is_ok(),
                (EnumWireType::Long, Scalar::Int(_)) => true,
                _ => false,
            };
            if !type_ok {
                self.report(
                    &value_at(),
                    Some(path.clone()),
                    format!(
                        "value `{}` is not a valid {} value",
                        v.value,
                        match e.wire_type {
                            EnumWireType::String => "non-empty string",
                            EnumWireType::Integer => "32-bit integer",
                            EnumWireType::Long => "64-bit integer",
                        }
                    ),
                );
            }
            let key = if e.case_insensitive {
                v.value.to_string().to_ascii_uppercase()
            } else {
                v.value.to_string()
            };
            if !seen_values.insert(key) {
                self.report(
                    &value_at(),
                    Some(path.clone()),
                    "value is listed twice".into(),
                );
            }
            let variant = match (&v.name, e.wire_type) {
                (Some(n), _) => n.clone(),
                (None, EnumWireType::String) => naming::type_name(&v.value.to_string()),
                (None, _) => {
                    self.report(
                        &value_at(),
                        Some(path.clone()),
                        "integer enum values need a `name` for the Rust variant".into(),
                    );
                    continue;
                }
            };
            if !naming::is_upper_camel(&variant)
                || naming::reserved::ENUM_VARIANTS.contains(&variant.as_str())
            {
                let why = if naming::is_keyword(&variant) {
                    "is a Rust keyword"
                } else {
                    "is not a usable UpperCamelCase name"
                };
                self.report(
                    &value_at().key("name"),
                    Some(path.clone()),
                    format!("variant name `{variant}` {why} (set `name`)"),
                );
            }
            if let Some(other) = seen_variants.insert(variant.clone(), v.value.to_string()) {
                self.report(
                    &value_at().key("name"),
                    Some(path),
                    format!("variant `{variant}` collides with value `{other}` (set `name`)"),
                );
            }
        }
    }

    /// A struct has fields; each field is checked as fields are everywhere.
    fn check_struct(&mut self, at: &At<'a>, s: &'a StructSpec) {
        let fields = at.key("fields");
        if s.fields.is_empty() {
            self.report(&fields, Some(s.name.clone()), "struct has no fields".into());
        }
        // A struct may serve both sides (rare); type checks accept what either side allows and
        // the use site checks the side-specific rules.
        self.check_fields(&fields, &s.name, &s.fields, None);
        self.check_method_names(&fields, &s.name, &s.fields, Methods::Struct);
    }

    /// A type reference resolves to a type of the right kind and suits the field's side.
    pub(super) fn check_field_type(
        &mut self,
        at: &At<'a>,
        path: &str,
        ty: &TypeRef,
        side: Option<Side>,
    ) {
        let side_problem = |allowed: Side| match side {
            Some(s) if s != allowed => Some(match allowed {
                Side::Request => "is only valid in requests",
                Side::Response => "is only valid in responses",
            }),
            _ => None,
        };
        match ty {
            TypeRef::String
            | TypeRef::Integer
            | TypeRef::Long
            | TypeRef::Boolean
            | TypeRef::Float => {}
            TypeRef::Enum(name) => {
                if !matches!(self.types.get(name.as_str()), Some((TypeDef::Enum(_), _))) {
                    self.report(
                        at,
                        Some(path.into()),
                        format!("enum `{name}` is not defined"),
                    );
                }
            }
            TypeRef::List(item) => self.check_item(at, path, item),
            TypeRef::CommaList(item) => {
                if let Some(why) = side_problem(Side::Request) {
                    self.report(at, Some(path.into()), format!("`comma_list` {why}"));
                }
                let flat =
                    is_scalar_keyword(item) || matches!(self.def(item), Some(TypeDef::Enum(_)));
                if !flat {
                    self.report(
                        at,
                        Some(path.into()),
                        format!("a `comma_list` joins scalars or enums; `{item}` is neither"),
                    );
                }
            }
            TypeRef::Json(name) => {
                if let Some(why) = side_problem(Side::Request) {
                    self.report(at, Some(path.into()), format!("`json` {why}"));
                }
                if !matches!(self.types.get(name.as_str()), Some((TypeDef::Struct(_), _))) {
                    self.report(
                        at,
                        Some(path.into()),
                        format!("struct `{name}` is not defined"),
                    );
                }
            }
            TypeRef::Object(name) => {
                if !matches!(self.types.get(name.as_str()), Some((TypeDef::Struct(_), _))) {
                    self.report(
                        at,
                        Some(path.into()),
                        format!("struct `{name}` is not defined"),
                    );
                }
            }
            TypeRef::WrappedList(w) => {
                if let Some(why) = side_problem(Side::Response) {
                    self.report(at, Some(path.into()), format!("`wrapped_list` {why}"));
                }
                if let Some(why) = wire_name_problem(&w.key) {
                    self.report(at, Some(path.into()), format!("wrapped_list key: {why}"));
                }
                self.check_item(at, path, &w.item);
            }
        }
    }

    /// A list item type is a scalar keyword or a defined type.
    fn check_item(&mut self, at: &At<'a>, path: &str, item: &str) {
        if !is_scalar_keyword(item) && !self.types.contains_key(item) {
            self.report(
                at,
                Some(path.into()),
                format!("list item type `{item}` is neither a scalar keyword nor a defined type"),
            );
        }
    }

    /// Structs sent in requests, at any depth, must not contain response-only types.
    pub(super) fn check_struct_side(&mut self, at: &At<'a>, path: &str, ty: &TypeRef, side: Side) {
        let mut visiting = Vec::new();
        match ty {
            TypeRef::List(n) | TypeRef::Object(n) => {
                self.check_request_struct(at, path, n, side, true, &mut visiting);
            }
            TypeRef::Json(n) => self.check_request_struct(at, path, n, side, false, &mut visiting),
            _ => {}
        }
    }

    /// Checks the fields of struct `name`, used in a request, and the structs they nest.
    /// `flat` is true while the struct is sent as `Name.N.Field` parameters rather than JSON.
    fn check_request_struct(
        &mut self,
        at: &At<'a>,
        path: &str,
        name: &str,
        side: Side,
        flat: bool,
        visiting: &mut Vec<String>,
    ) {
        if side != Side::Request || visiting.iter().any(|v| v == name) || visiting.len() > 16 {
            return;
        }
        let Some(TypeDef::Struct(s)) = self.def(name) else {
            return;
        };
        visiting.push(name.to_owned());
        for f in &s.fields {
            let p = format!("{path}.{}", f.name);
            match &f.ty {
                TypeRef::WrappedList(_) => self.report(
                    at,
                    Some(p.clone()),
                    format!("struct `{name}` is used in a request, so it cannot hold response-only types"),
                ),
                TypeRef::Json(_) | TypeRef::CommaList(_) if flat => self.report(
                    at,
                    Some(p.clone()),
                    format!(
                        "struct `{name}` is sent flat (`Name.N.Field`), so none of its fields \
                         can be JSON-encoded or comma-joined"
                    ),
                ),
                TypeRef::List(n) | TypeRef::Object(n) => {
                    self.check_request_struct(at, &p, n, side, flat, visiting);
                }
                // Inside a JSON-encoded value everything is JSON: nothing is sent flat.
                TypeRef::Json(n) => self.check_request_struct(at, &p, n, side, false, visiting),
                _ => {}
            }
            if f.location.is_some() {
                self.report(
                    at,
                    Some(p),
                    "`location` applies to top-level request parameters only".into(),
                );
            }
        }
        visiting.pop();
    }

    /// Response structs must not contain request-only types; recursion is bounded.
    pub(super) fn check_response_nesting(
        &mut self,
        at: &At<'a>,
        path: &str,
        ty: &TypeRef,
        depth: usize,
    ) {
        if depth > 16 {
            self.report(
                at,
                Some(path.into()),
                "response types nest more than 16 levels (recursive struct?)".into(),
            );
            return;
        }
        let name = match ty {
            // Top-level fields were checked with their side already.
            TypeRef::Json(_) if depth == 0 => return,
            TypeRef::Json(_) => {
                self.report(
                    at,
                    Some(path.into()),
                    "`json` is only valid in requests".into(),
                );
                return;
            }
            TypeRef::Object(n) | TypeRef::List(n) => n,
            TypeRef::WrappedList(w) => &w.item,
            _ => return,
        };
        if let Some(TypeDef::Struct(s)) = self.def(name) {
            for f in &s.fields {
                self.check_response_nesting(at, &format!("{path}.{}", f.name), &f.ty, depth + 1);
            }
        }
    }
}
