//! Semantic checks on a parsed spec. Every problem is collected; none stops the others.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::loader::{find_line, RawSpec, GROUPS_DIR, SERVICE_FILE, SHARED_FILE};
use crate::model::{
    Bounds, EnumSpec, EnumWireType, Field, Format, GroupFile, OperationSpec, PackageSpec,
    PaginationSpec, Scalar, StructSpec, TypeRef,
};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

/// The generated type that gets one method per field.
#[derive(Clone, Copy)]
enum Methods {
    /// An operation's fluent builder (one setter per parameter).
    Builder,
    /// An operation's output (one getter per response field).
    Output,
    /// A struct type (one setter or getter per field).
    Struct,
}

/// Whether a field sits in a request (parameters, JSON structs) or a response.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

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
        self.collect_definitions();
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

    fn collect_definitions(&mut self) {
        let shared = Path::new(SHARED_FILE);
        let mut defs: Vec<(&'a str, TypeDef<'a>, &'a Path)> = Vec::new();
        for e in &self.raw.shared.enums {
            defs.push((&e.name, TypeDef::Enum(e), shared));
        }
        for s in &self.raw.shared.structs {
            defs.push((&s.name, TypeDef::Struct(s), shared));
        }
        for (path, g) in &self.raw.groups {
            for e in &g.enums {
                defs.push((&e.name, TypeDef::Enum(e), path));
            }
            for s in &g.structs {
                defs.push((&s.name, TypeDef::Struct(s), path));
            }
        }
        for (name, def, path) in defs {
            let at = At {
                file: path,
                operation: None,
            };
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
        let mut ops = Vec::new();
        for (path, g) in &self.raw.groups {
            for op in &g.operations {
                ops.push((path.as_path(), op));
            }
        }
        let mut rust_names: BTreeMap<String, &str> = BTreeMap::new();
        for (path, op) in ops {
            let at = At {
                file: path,
                operation: Some(&op.action),
            };
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
        for e in &self.raw.errors.errors {
            if !self.error_codes.insert(&e.code) {
                let at = At {
                    file: Path::new(crate::loader::ERRORS_FILE),
                    operation: None,
                };
                self.report(
                    &at,
                    Some(e.code.clone()),
                    "error code is listed twice".into(),
                );
            }
        }
    }

    fn check_groups_listed(&mut self) {
        let service = Path::new(SERVICE_FILE);
        let mut listed = BTreeSet::new();
        for id in &self.raw.service.groups {
            if !listed.insert(id.as_str()) {
                self.report(
                    &At {
                        file: service,
                        operation: None,
                    },
                    Some("groups".into()),
                    format!("group `{id}` is listed twice"),
                );
            }
            let expected = PathBuf::from(GROUPS_DIR).join(format!("{id}.yaml"));
            if !self.raw.groups.iter().any(|(p, _)| p == &expected) {
                self.report(
                    &At {
                        file: service,
                        operation: None,
                    },
                    Some("groups".into()),
                    format!("group `{id}` has no file {}", expected.display()),
                );
            }
        }
        for (path, g) in &self.raw.groups {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let at = At {
                file: path,
                operation: None,
            };
            if g.id != stem {
                self.report(
                    &at,
                    Some("id".into()),
                    format!("group id `{}` must equal the file name `{stem}`", g.id),
                );
            }
            // The id names the group's cargo feature in the generated crate.
            let mut chars = g.id.chars();
            let feature_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && g.id != "default";
            if !feature_ok {
                self.report(
                    &at,
                    Some("id".into()),
                    format!(
                        "group id `{}` must be lowercase ASCII letters, digits and `-`, starting \
                         with a letter, and not `default`: it names the group's cargo feature",
                        g.id
                    ),
                );
            }
            if !listed.contains(stem) {
                self.report(
                    &at,
                    None,
                    format!("group file is not listed in {SERVICE_FILE} `groups`"),
                );
            }
        }
    }

    fn check_errors_catalogue(&mut self) {
        let at = At {
            file: Path::new(crate::loader::ERRORS_FILE),
            operation: None,
        };
        for e in &self.raw.errors.errors {
            if !(400..=599).contains(&e.http_status) {
                self.report(
                    &at,
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
                    &at,
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
        for e in &self.raw.errors.errors {
            let v = names
                .get(e.code.as_str())
                .cloned()
                .unwrap_or_else(|| naming::error_variant(&e.code));
            if naming::reserved::ERROR_VARIANTS.contains(&v.as_str()) || !naming::is_upper_camel(&v)
            {
                self.report(
                    &at,
                    Some(e.code.clone()),
                    format!("Rust variant `{v}` is reserved or not a usable name in the generated error enums"),
                );
            }
            if let Some(other) = variants.insert(v.clone(), &e.code) {
                if other != e.code {
                    self.report(
                        &at,
                        Some(e.code.clone()),
                        format!("Rust variant `{v}` collides with code {other}"),
                    );
                }
            }
        }
    }

    fn check_service(&mut self) {
        let s = &self.raw.service;
        let at = At {
            file: Path::new(SERVICE_FILE),
            operation: None,
        };
        if !s.signature.methods.contains(&s.signature.default) {
            self.report(
                &at,
                Some("signature.default".into()),
                "default signature method is not among `methods`".into(),
            );
        }
        if !s.endpoints.pattern.contains("{region}") {
            self.report(
                &at,
                Some("endpoints.pattern".into()),
                "pattern must contain `{region}`".into(),
            );
        }
        self.check_fields(
            &at,
            "common_parameters",
            &s.common_parameters,
            Some(Side::Request),
        );
        if let Some(package) = &s.package {
            self.check_package(package);
        }
    }

    /// The package's names and path go into the generated `Cargo.toml` as they are, so each
    /// must be what cargo accepts and need no escaping in a TOML string.
    fn check_package(&mut self, p: &PackageSpec) {
        let mut name = p.name.chars();
        let name_ok = name.next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let path_ok = !p.runtime_path.is_empty()
            && p.runtime_path.split('/').all(|segment| {
                !segment.is_empty()
                    && segment
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            });
        let checks = [
            (
                "name",
                &p.name,
                name_ok,
                "package name must start with an ASCII letter and hold only ASCII letters, \
                 digits, `-` and `_`",
            ),
            (
                "lib",
                &p.lib,
                naming::is_snake_ident(&p.lib),
                "library name must be a snake_case Rust identifier that is not a keyword",
            ),
            (
                "runtime_path",
                &p.runtime_path,
                path_ok,
                "runtime path must be relative, `/`-separated, each part ASCII letters, digits, \
                 `-`, `_` or `.`",
            ),
        ];
        for (key, value, ok, message) in checks {
            if !ok {
                let text = self.raw.sources.get(Path::new(SERVICE_FILE)).unwrap_or("");
                self.problems.push(Diagnostic {
                    file: PathBuf::from(SERVICE_FILE),
                    line: find_line(text, 1, key, value),
                    operation: None,
                    field: Some(format!("package.{key}")),
                    message: format!("{message}, not `{value}`"),
                });
            }
        }
    }

    fn check_enum(&mut self, file: &'a Path, e: &'a EnumSpec) {
        let at = At {
            file,
            operation: None,
        };
        if e.values.is_empty() {
            self.report(&at, Some(e.name.clone()), "enum has no values".into());
        }
        if e.case_insensitive && e.wire_type != EnumWireType::String {
            self.report(
                &at,
                Some(e.name.clone()),
                "`case_insensitive` applies to string enums only".into(),
            );
        }
        let mut seen_values = BTreeSet::new();
        let mut seen_variants = BTreeMap::new();
        for v in &e.values {
            let path = format!("{}.{}", e.name, v.value);
            let type_ok = match (e.wire_type, &v.value) {
                (EnumWireType::String, Scalar::Str(s)) => !s.is_empty(),
                (EnumWireType::Integer, Scalar::Int(i)) => i32::try_from(*i).is_ok(),
                (EnumWireType::Long, Scalar::Int(_)) => true,
                _ => false,
            };
            if !type_ok {
                self.report(
                    &at,
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
                self.report(&at, Some(path.clone()), "value is listed twice".into());
            }
            let variant = match (&v.name, e.wire_type) {
                (Some(n), _) => n.clone(),
                (None, EnumWireType::String) => naming::type_name(&v.value.to_string()),
                (None, _) => {
                    self.report(
                        &at,
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
                    &at,
                    Some(path.clone()),
                    format!("variant name `{variant}` {why} (set `name`)"),
                );
            }
            if let Some(other) = seen_variants.insert(variant.clone(), v.value.to_string()) {
                self.report(
                    &at,
                    Some(path),
                    format!("variant `{variant}` collides with value `{other}` (set `name`)"),
                );
            }
        }
    }

    fn check_struct(&mut self, file: &'a Path, s: &'a StructSpec) {
        let at = At {
            file,
            operation: None,
        };
        if s.fields.is_empty() {
            self.report(&at, Some(s.name.clone()), "struct has no fields".into());
        }
        // A struct may serve both sides (rare); type checks accept what either side allows and
        // the use site checks the side-specific rules.
        self.check_fields(&at, &s.name, &s.fields, None);
        self.check_method_names(&at, &s.name, &s.fields, Methods::Struct);
    }

    /// The methods generated per field (a setter or getter `x`, and `set_x` for a request list)
    /// must not collide with each other or with the methods the generated type has anyway.
    fn check_method_names(&mut self, at: &At<'a>, scope: &str, fields: &'a [Field], on: Methods) {
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
        for f in fields {
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
                        at,
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
                            at,
                            Some(path.clone()),
                            format!("Rust method `{n}` collides with the one generated for {other} (set `rust_name`)"),
                        );
                    }
                }
            }
        }
    }

    fn check_fields(&mut self, at: &At<'a>, scope: &str, fields: &'a [Field], side: Option<Side>) {
        let mut wire = BTreeSet::new();
        let mut rust = BTreeMap::new();
        for f in fields {
            let path = format!("{scope}.{}", f.name);
            if !wire.insert(f.name.as_str()) {
                self.report(at, Some(path.clone()), "wire name is used twice".into());
            }
            let rn = f
                .rust_name
                .clone()
                .unwrap_or_else(|| naming::field_name(&f.name));
            if !naming::is_snake_ident(&rn) {
                self.report(
                    at,
                    Some(path.clone()),
                    format!("Rust name `{rn}` is not a valid snake_case identifier"),
                );
            }
            if let Some(other) = rust.insert(rn.clone(), f.name.as_str()) {
                self.report(
                    at,
                    Some(path.clone()),
                    format!("Rust name `{rn}` collides with field {other} (set `rust_name`)"),
                );
            }
            if let Some(why) = wire_name_problem(&f.name) {
                self.report(at, Some(path.clone()), why);
            }
            self.check_field(at, scope, f, side);
        }
    }

    /// Checks one field wherever it appears: parameters and response fields (`side` known) and
    /// struct fields (`side` None: a struct may serve both sides).
    fn check_field(&mut self, at: &At<'a>, scope: &str, f: &'a Field, side: Option<Side>) {
        let path = format!("{scope}.{}", f.name);
        self.check_field_type(at, &path, &f.ty, side);
        if side != Some(Side::Response) && f.required && f.default.is_some() {
            self.report(
                at,
                Some(path.clone()),
                "a required field cannot have a default".into(),
            );
        }
        self.check_constraints_fit(at, &path, f);
        for (what, value) in [("default", &f.default), ("example", &f.example)] {
            if let Some(v) = value {
                if let Err(why) = self.value_satisfies(f, v) {
                    self.report(
                        at,
                        Some(path.clone()),
                        format!("{what} `{v}` violates the field's own constraints: {why}"),
                    );
                }
            }
        }
    }

    fn check_field_type(&mut self, at: &At<'a>, path: &str, ty: &TypeRef, side: Option<Side>) {
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

    fn check_item(&mut self, at: &At<'a>, path: &str, item: &str) {
        if !is_scalar_keyword(item) && !self.types.contains_key(item) {
            self.report(
                at,
                Some(path.into()),
                format!("list item type `{item}` is neither a scalar keyword nor a defined type"),
            );
        }
    }

    /// Constraints must make sense for the field's type.
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
                self.report(
                    at,
                    Some(path.into()),
                    format!("forbidden value `{v}` is not a value of the field: {why}"),
                );
            }
        }
    }

    /// Whether `v` is a legal value of `f`: right type, in the enum, within every constraint.
    fn value_satisfies(&self, f: &Field, v: &Scalar) -> Result<(), String> {
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

    fn check_operation(&mut self, file: &'a Path, op: &'a OperationSpec) {
        let at = At {
            file,
            operation: Some(&op.action),
        };
        self.check_fields(&at, "parameters", &op.parameters, Some(Side::Request));
        self.check_fields(&at, "response", &op.response, Some(Side::Response));
        self.check_method_names(&at, "parameters", &op.parameters, Methods::Builder);
        self.check_method_names(&at, "response", &op.response, Methods::Output);
        for p in &op.parameters {
            self.check_struct_side(&at, &p.name, &p.ty, Side::Request);
        }
        for r in &op.response {
            if r.location.is_some() {
                self.report(
                    &at,
                    Some(format!("response.{}", r.name)),
                    "`location` applies to request parameters only".into(),
                );
            }
        }
        for r in &op.response {
            self.check_response_nesting(&at, &r.name, &r.ty, 0);
        }
        let param = |name: &str| op.parameters.iter().find(|p| p.name == name);
        let response = |name: &str| op.response.iter().find(|p| p.name == name);

        for (i, rule) in op.rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            let mut names: Vec<&String> = Vec::new();
            names.extend(&rule.require);
            names.extend(&rule.require_any);
            names.extend(&rule.forbid);
            if names.is_empty() {
                self.report(
                    &at,
                    Some(path.clone()),
                    "rule has no `require`, `require_any` or `forbid`".into(),
                );
            }
            if let Some(c) = &rule.when {
                names.push(&c.param);
                if let (Some(p), Some(v)) = (param(&c.param), &c.equals) {
                    if let Err(why) = self.value_satisfies(p, v) {
                        self.report(
                            &at,
                            Some(path.clone()),
                            format!(
                                "`when.equals` `{v}` is not a legal value of {}: {why}",
                                c.param
                            ),
                        );
                    }
                }
            }
            for n in names {
                if param(n).is_none() {
                    self.report(
                        &at,
                        Some(path.clone()),
                        format!("rule names `{n}`, which is not a parameter"),
                    );
                }
            }
        }

        if let Some(tok) = &op.idempotency_token {
            match param(tok) {
                Some(p) if p.ty == TypeRef::String => {}
                Some(_) => self.report(
                    &at,
                    Some("idempotency_token".into()),
                    format!("`{tok}` must be a string parameter"),
                ),
                None => self.report(
                    &at,
                    Some("idempotency_token".into()),
                    format!("`{tok}` is not a parameter"),
                ),
            }
        }

        if let Some(pg) = &op.pagination {
            let (ins, outs, items): (Names<'_>, Names<'_>, &String) = match pg {
                PaginationSpec::PageNumber {
                    page_number,
                    page_size,
                    total_count,
                    items,
                } => (
                    vec![("page_number", page_number), ("page_size", page_size)],
                    vec![("total_count", total_count)],
                    items,
                ),
                PaginationSpec::NextToken {
                    next_token,
                    max_results,
                    next_token_out,
                    items,
                } => (
                    vec![("next_token", next_token), ("max_results", max_results)],
                    vec![("next_token_out", next_token_out)],
                    items,
                ),
            };
            for (key, name) in ins {
                match param(name) {
                    None => self.report(
                        &at,
                        Some(format!("pagination.{key}")),
                        format!("`{name}` is not a parameter"),
                    ),
                    Some(p) => {
                        if let Some(why) = pagination_type_problem(key, &p.ty) {
                            self.report(
                                &at,
                                Some(format!("pagination.{key}")),
                                format!("parameter `{name}` {why}"),
                            );
                        }
                    }
                }
            }
            for (key, name) in outs {
                match response(name) {
                    None => self.report(
                        &at,
                        Some(format!("pagination.{key}")),
                        format!("`{name}` is not a response field"),
                    ),
                    Some(f) => {
                        if let Some(why) = pagination_type_problem(key, &f.ty) {
                            self.report(
                                &at,
                                Some(format!("pagination.{key}")),
                                format!("response field `{name}` {why}"),
                            );
                        }
                    }
                }
            }
            match response(items) {
                Some(f) if matches!(f.ty, TypeRef::List(_) | TypeRef::WrappedList(_)) => {}
                Some(_) => self.report(
                    &at,
                    Some("pagination.items".into()),
                    format!("`{items}` is not a list"),
                ),
                None => self.report(
                    &at,
                    Some("pagination.items".into()),
                    format!("`{items}` is not a response field"),
                ),
            }
        }

        if let Some(a) = &op.async_completion {
            match self.operations.get(a.poll.as_str()).copied() {
                None => self.report(
                    &at,
                    Some("async.poll".into()),
                    format!("operation `{}` does not exist", a.poll),
                ),
                Some(poll) => {
                    for (target, source) in &a.input {
                        if !poll.parameters.iter().any(|p| &p.name == target) {
                            self.report(
                                &at,
                                Some(format!("async.input.{target}")),
                                format!("`{target}` is not a parameter of {}", a.poll),
                            );
                        }
                        let from = match source.split_once('.') {
                            Some(("request", n)) => param(n),
                            Some(("response", n)) => response(n),
                            _ => None,
                        };
                        match (from, poll.parameters.iter().find(|p| &p.name == target)) {
                            (None, _) => self.report(
                                &at,
                                Some(format!("async.input.{target}")),
                                format!("`{source}` must be `request.<Parameter>` or `response.<Field>` of this operation"),
                            ),
                            (Some(from), Some(to)) if from.ty != to.ty => self.report(
                                &at,
                                Some(format!("async.input.{target}")),
                                format!(
                                    "`{source}` is {} but `{target}` of {} is {}",
                                    describe_type(&from.ty),
                                    a.poll,
                                    describe_type(&to.ty)
                                ),
                            ),
                            _ => {}
                        }
                    }
                    match self.resolve_response_path(poll, &a.status_field) {
                        None => self.report(
                            &at,
                            Some("async.status_field".into()),
                            format!("`{}` is not a response field of {}", a.status_field, a.poll),
                        ),
                        Some(f) if !matches!(f.ty, TypeRef::String | TypeRef::Enum(_)) => self
                            .report(
                                &at,
                                Some("async.status_field".into()),
                                format!(
                                    "`{}` is {}; a status field must be a `string` or an enum",
                                    a.status_field,
                                    describe_type(&f.ty)
                                ),
                            ),
                        Some(f) => {
                            if let TypeRef::Enum(e) = &f.ty {
                                if let Some(TypeDef::Enum(e)) = self.def(e) {
                                    for s in a.pending.iter().chain(&a.success).chain(&a.failure) {
                                        if !e.values.iter().any(|v| &v.value.to_string() == s) {
                                            self.report(
                                                &at,
                                                Some("async".into()),
                                                format!(
                                                    "status `{s}` is not a value of enum {}",
                                                    e.name
                                                ),
                                            );
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if a.success.is_empty() && a.gone_error.is_none() {
                self.report(
                    &at,
                    Some("async.success".into()),
                    "needs at least one success status or a `gone_error`".into(),
                );
            }
            if let Some(code) = &a.gone_error {
                if !self.error_codes.contains(code.as_str()) {
                    self.report(
                        &at,
                        Some("async.gone_error".into()),
                        format!("error code `{code}` is not in the catalogue"),
                    );
                }
            }
        }

        let mut seen = BTreeSet::new();
        for e in &op.errors {
            if !self.error_codes.contains(e.code.as_str()) {
                self.report(
                    &at,
                    Some(format!("errors.{}", e.code)),
                    "error code is not in errors.yaml".into(),
                );
            }
            if !seen.insert(&e.code) {
                self.report(
                    &at,
                    Some(format!("errors.{}", e.code)),
                    "error code is listed twice".into(),
                );
            }
        }

        if let Some(ex) = &op.example {
            for (k, v) in &ex.request {
                if let Some(problem) = self.flattened_example_problem(op, k, v) {
                    if !problem.is_empty() {
                        self.report(&at, Some(format!("example.request.{k}")), problem);
                    }
                    continue;
                }
                match param(k) {
                    None => self.report(
                        &at,
                        Some(format!("example.request.{k}")),
                        "not a parameter of this operation".into(),
                    ),
                    Some(p) if is_flat(&p.ty) => {
                        let typed = scalar_from_wire(&p.ty, v);
                        if let Err(why) = self.value_satisfies(p, &typed) {
                            self.report(
                                &at,
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
                    &at,
                    Some("example.response".into()),
                    format!("not valid JSON: {e}"),
                ),
                Ok(sample) => {
                    let mut found = Vec::new();
                    self.check_sample_object(&op.response, &sample, "", 0, &mut found);
                    for (path, problem) in found {
                        self.report(&at, Some(format!("example.response{path}")), problem);
                    }
                }
            }
        }
        if op.summary.trim().is_empty() {
            self.report(&at, Some("summary".into()), "summary is empty".into());
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

    /// Structs sent in requests, at any depth, must not contain response-only types.
    fn check_struct_side(&mut self, at: &At<'a>, path: &str, ty: &TypeRef, side: Side) {
        let mut visiting = Vec::new();
        match ty {
            TypeRef::List(n) | TypeRef::Object(n) => {
                self.check_request_struct(at, path, n, side, true, &mut visiting);
            }
            TypeRef::Json(n) => self.check_request_struct(at, path, n, side, false, &mut visiting),
            _ => {}
        }
    }

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
    fn check_response_nesting(&mut self, at: &At<'a>, path: &str, ty: &TypeRef, depth: usize) {
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

    /// Follows a dotted path through response objects (not lists).
    fn resolve_response_path(&self, op: &'a OperationSpec, path: &str) -> Option<&'a Field> {
        let mut fields: &'a [Field] = &op.response;
        let mut found = None;
        for seg in path.split('.') {
            let f = fields.iter().find(|f| f.name == seg)?;
            found = Some(f);
            fields = match &f.ty {
                TypeRef::Object(n) => match self.types.get(n.as_str()) {
                    Some((TypeDef::Struct(s), _)) => &s.fields,
                    _ => &[],
                },
                _ => &[],
            };
        }
        found
    }
}

/// (spec key, referenced name) pairs.
type Names<'s> = Vec<(&'static str, &'s String)>;

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
    const SUFFIXES: &[&str] = &["Input", "Output", "Error", "FluentBuilder"];
    if RESERVED.contains(&name) {
        return Some(format!(
            "type name `{name}` is reserved in the generated crate"
        ));
    }
    SUFFIXES
        .iter()
        .find(|s| name.ends_with(*s))
        .map(|s| format!("type names ending in `{s}` are reserved for generated operation types"))
}

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

/// Why a pagination reference of kind `key` cannot have type `ty`: the generated paginator
/// reads page numbers and counts as integers and tokens as strings.
fn pagination_type_problem(key: &str, ty: &TypeRef) -> Option<&'static str> {
    let integer = matches!(ty, TypeRef::Integer | TypeRef::Long);
    match key {
        "page_number" | "page_size" | "max_results" | "total_count" if !integer => {
            Some("must be an `integer` or `long`")
        }
        "next_token" | "next_token_out" if *ty != TypeRef::String => Some("must be a `string`"),
        _ => None,
    }
}

/// Why `name` cannot be a wire name, if it cannot. The service's names (and every name in
/// Alibaba's published metadata) are ASCII letters and digits, with `.` only between the parts
/// of a flattened name (`Filter.1.Key`); anything else (quotes, spaces, invisible characters)
/// would be percent-encoded into a name the service does not know.
fn wire_name_problem(name: &str) -> Option<String> {
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

pub(crate) fn is_scalar_keyword(s: &str) -> bool {
    matches!(s, "string" | "integer" | "long" | "boolean" | "float")
}

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

/// The check the generated SDK performs client-side (one shared definition,
/// `vpn-gateway-formats`), so the spec's own examples and defaults are held to it.
pub fn format_matches(fmt: Format, s: &str) -> bool {
    fmt.shared().matches(s)
}
