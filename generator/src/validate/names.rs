//! Names: type names and actions (UpperCamelCase, no Rust keyword, nothing the generated crate
//! reserves, each defined once), the Rust names derived from them, the methods generated per
//! field, and wire names. Also fills the validator's tables of types and operations.

use super::{is_scalar_keyword, occurrence, At, TypeDef, Validator};
use crate::loader::SHARED_FILE;
use crate::model::{EnumSpec, Field, StructSpec, TypeRef};
use crate::naming;
use std::collections::BTreeMap;
use std::path::Path;

/// The generated type that gets one method per field.
#[derive(Clone, Copy)]
pub(super) enum Methods {
    /// An operation's fluent builder (one setter per parameter).
    Builder,
    /// An operation's output (one getter per response field).
    Output,
    /// A struct type (one setter or getter per field).
    Struct,
}

impl<'a> Validator<'a> {
    /// Fills the table of types, checking each type name.
    pub(super) fn collect_types(&mut self) {
        let shared = &self.raw.shared;
        let mut defs = Vec::new();
        definitions(
            Path::new(SHARED_FILE),
            &shared.enums,
            &shared.structs,
            &mut defs,
        );
        for (path, g) in &self.raw.groups {
            definitions(path, &g.enums, &g.structs, &mut defs);
        }
        for (name, def, at) in defs {
            let path = at.file;
            if is_scalar_keyword(name) {
                self.report(
                    &at,
                    Some(name.to_owned()),
                    "type name collides with a scalar type keyword".into(),
                );
            } else if naming::is_keyword(name) {
                self.report(
                    &at,
                    Some(name.to_owned()),
                    format!("type name `{name}` is a Rust keyword"),
                );
            } else if !naming::is_upper_camel(name) {
                self.report(
                    &at,
                    Some(name.to_owned()),
                    format!(
                        "type name must be UpperCamelCase, e.g. `{}`",
                        naming::type_name(name)
                    ),
                );
            }
            if let Some(why) = reserved_type_name(name) {
                self.report(&at, Some(name.to_owned()), why);
            }
            if let Some((_, other)) = self.types.get(name) {
                let other = other.display().to_string();
                self.report(
                    &at,
                    Some(name.to_owned()),
                    format!("type `{name}` is already defined in {other}"),
                );
            } else {
                self.types.insert(name, (def, path));
            }
        }
    }

    /// Fills the table of operations, checking each action and the Rust name derived from it.
    pub(super) fn collect_operations(&mut self) {
        let mut ops = Vec::new();
        for (path, g) in &self.raw.groups {
            for (i, op) in g.operations.iter().enumerate() {
                let nth = occurrence(&g.operations, i, |o| o.action.as_str());
                ops.push((At::operation(path, &op.action, nth), op));
            }
        }
        let mut rust_names: BTreeMap<String, &str> = BTreeMap::new();
        for (at, op) in ops {
            if self.operations.insert(&op.action, op).is_some() {
                self.report(&at, None, "action is defined twice".into());
            }
            if !naming::is_upper_camel(&op.action) {
                self.report(&at, None, "action must be UpperCamelCase".into());
            }
            let snake = naming::snake_name(&op.action);
            if naming::reserved::CLIENT_METHODS.contains(&snake.as_str()) {
                self.report(
                    &at,
                    None,
                    format!("Rust method `{snake}` collides with the generated `Client`'s own `{snake}`"),
                );
            }
            if let Some(other) = rust_names.insert(snake.clone(), &op.action) {
                if other != op.action {
                    self.report(
                        &at,
                        None,
                        format!("Rust name `{snake}` collides with action {other}"),
                    );
                }
            }
        }
    }

    /// The methods generated per field (a setter or getter `x`, and `set_x` for a request list)
    /// must not collide with each other or with the methods the generated type has anyway.
    /// `at` is the list of fields.
    pub(super) fn check_method_names(
        &mut self,
        at: &At<'a>,
        scope: &str,
        fields: &'a [Field],
        on: Methods,
    ) {
        use naming::reserved;
        let (fixed, prefix, list_setters, owner) = match on {
            Methods::Builder => (
                reserved::BUILDER_METHODS,
                Some(reserved::WAITER_PREFIX),
                true,
                "fluent builder",
            ),
            Methods::Output => (reserved::OUTPUT_METHODS, None, false, "output"),
            Methods::Struct => (reserved::STRUCT_METHODS, None, false, "struct"),
        };
        // Name → (field, whether the name is a derived `set_x`). Two fields with the same Rust
        // name are reported by `check_fields`; here only collisions involving `set_x` are new.
        let mut seen: BTreeMap<String, (&str, bool)> = BTreeMap::new();
        for (i, f) in fields.iter().enumerate() {
            let path = format!("{scope}.{}", f.name);
            let rn = f
                .rust_name
                .clone()
                .unwrap_or_else(|| naming::field_name(&f.name));
            let mut names = vec![(rn.clone(), false)];
            if list_setters && matches!(f.ty, TypeRef::List(_)) {
                names.push((format!("{}{rn}", reserved::LIST_SETTER_PREFIX), true));
            }
            for (n, derived) in names {
                if fixed.contains(&n.as_str()) || prefix.is_some_and(|p| n.starts_with(p)) {
                    self.report(
                        &at.field(fields, i).key("rust_name"),
                        Some(path.clone()),
                        format!(
                            "Rust method `{n}` collides with the generated {owner}'s own method (set `rust_name`)"
                        ),
                    );
                } else if let Some((other, other_derived)) =
                    seen.insert(n.clone(), (&f.name, derived))
                {
                    if other != f.name && (derived || other_derived) {
                        self.report(
                            &at.field(fields, i).key("rust_name"),
                            Some(path.clone()),
                            format!("Rust method `{n}` collides with the one generated for {other} (set `rust_name`)"),
                        );
                    }
                }
            }
        }
    }
}

/// The types one file defines, each with where it is defined.
fn definitions<'a>(
    file: &'a Path,
    enums: &'a [EnumSpec],
    structs: &'a [StructSpec],
    defs: &mut Vec<(&'a str, TypeDef<'a>, At<'a>)>,
) {
    let whole = At::file(file);
    for (i, e) in enums.iter().enumerate() {
        let nth = occurrence(enums, i, |e| e.name.as_str());
        let at = whole.key("enums").nth_item("name", &e.name, nth);
        defs.push((&e.name, TypeDef::Enum(e), at));
    }
    for (i, s) in structs.iter().enumerate() {
        let nth = occurrence(structs, i, |s| s.name.as_str());
        let at = whole.key("structs").nth_item("name", &s.name, nth);
        defs.push((&s.name, TypeDef::Struct(s), at));
    }
}

/// Type names the generated crate already uses, or that would shadow the prelude.
fn reserved_type_name(name: &str) -> Option<String> {
    const RESERVED: &[&str] = &[
        "Option",
        "Some",
        "None",
        "Result",
        "Ok",
        "Err",
        "String",
        "Vec",
        "Box",
        "Default",
        "From",
        "Into",
        "Client",
        "Config",
        "ErrorCode",
        "Credentials",
        "SdkError",
        "ServiceError",
        "ValidationError",
        "RequestOptions",
    ];
    if RESERVED.contains(&name) {
        return Some(format!(
            "type name `{name}` is reserved in the generated crate"
        ));
    }
    naming::reserved::TYPE_SUFFIXES
        .iter()
        .find(|s| name.ends_with(*s))
        .map(|s| format!("type names ending in `{s}` are reserved for generated operation types"))
}

/// Why `name` cannot be a wire name, if it cannot. The service's names (and every name in
/// Alibaba's published metadata) are ASCII letters and digits, with `.` only between the parts
/// of a flattened name (`Filter.1.Key`); anything else (quotes, spaces, invisible characters)
/// would be percent-encoded into a name the service does not know.
pub(super) fn wire_name_problem(name: &str) -> Option<String> {
    let ok = name
        .split('.')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
        && name.starts_with(|c: char| c.is_ascii_alphabetic());
    (!ok).then(|| {
        format!(
            "wire name {name:?} must start with an ASCII letter and contain only ASCII letters and \
             digits (with `.` between the parts of a flattened name)"
        )
    })
}
