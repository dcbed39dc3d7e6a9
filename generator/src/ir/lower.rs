//! Lowering: the validated spec to the IR. Shared types and structs are lowered here; each
//! operation's references in `operation`.

use super::operation::{attach_waiters, lower_operation};
use super::*;
use crate::loader::{SERVICE_FILE, SHARED_FILE};
use crate::model::{self, Field, OperationSpec, Scalar, TypeRef};
use crate::naming;
use crate::validate::Spec;
use heck::ToUpperCamelCase;
use std::collections::{BTreeMap, BTreeSet};

/// A reference lowering could not resolve. Validation refuses such specs first, so this is a
/// gap in the validator, reported rather than lowered to an empty name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerError {
    /// The spec file holding the reference, relative to the spec directory.
    pub file: String,
    /// What holds it: `operation CreateThing`, `struct Tag`, `common parameters`.
    pub item: String,
    /// The reference, e.g. `pagination.items`, `idempotency_token` or a field's name.
    pub field: String,
    /// What is missing.
    pub problem: String,
}

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}, {}: {} (the validator should have refused this spec)",
            self.file, self.item, self.field, self.problem
        )
    }
}

impl std::error::Error for LowerError {}

/// Lowers a validated spec. Validation guarantees every reference resolves; one that does
/// not is a [`LowerError`].
pub fn lower(spec: &Spec) -> Result<ServiceIr, LowerError> {
    let raw = spec.raw();
    let mut enum_specs: BTreeMap<&str, &model::EnumSpec> = BTreeMap::new();
    let mut struct_specs: BTreeMap<&str, &model::StructSpec> = BTreeMap::new();
    // Where each struct is defined, for errors.
    let mut struct_files: BTreeMap<&str, String> = BTreeMap::new();
    for e in raw
        .shared
        .enums
        .iter()
        .chain(raw.groups.iter().flat_map(|(_, g)| g.enums.iter()))
    {
        enum_specs.insert(&e.name, e);
    }
    let shared = raw
        .shared
        .structs
        .iter()
        .map(|s| (SHARED_FILE.to_owned(), s));
    let grouped = raw.groups.iter().flat_map(|(path, g)| {
        g.structs
            .iter()
            .map(move |s| (path.display().to_string(), s))
    });
    for (file, s) in shared.chain(grouped) {
        struct_specs.insert(&s.name, s);
        struct_files.insert(&s.name, file);
    }
    let ctx = Ctx {
        enums: &enum_specs,
        structs: &struct_specs,
        product: &raw.service.product,
        version: &raw.service.api_version,
    };

    let errors: Vec<ErrorIr> = {
        let names = naming::error_variants(raw.errors.errors.iter().map(|e| e.code.as_str()));
        let mut v: Vec<ErrorIr> = raw
            .errors
            .errors
            .iter()
            .map(|e| lower_error(e, &names))
            .collect();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    };
    let error_by_code: BTreeMap<&str, &ErrorIr> =
        errors.iter().map(|e| (e.code.as_str(), e)).collect();

    let all_ops: BTreeMap<&str, &OperationSpec> = raw
        .groups
        .iter()
        .flat_map(|(_, g)| g.operations.iter())
        .map(|o| (o.action.as_str(), o))
        .collect();

    let mut uses: BTreeMap<String, StructUse> = BTreeMap::new();
    let mut groups = Vec::new();
    for (path, g) in spec.groups_in_order_with_paths() {
        let file = path.display().to_string();
        let operations = g
            .operations
            .iter()
            .map(|op| {
                record_uses(&ctx, op, &mut uses);
                lower_operation(&ctx, &file, &g.id, op, &error_by_code, &all_ops)
            })
            .collect::<Result<_, _>>()?;
        groups.push(GroupIr {
            id: g.id.clone(),
            title: g.title.clone(),
            description: g.description.clone(),
            operations,
        });
    }
    attach_waiters(&mut groups);

    let enums = enum_specs
        .values()
        .map(|e| EnumIr {
            name: e.name.clone(),
            wire_type: e.wire_type,
            doc: e.doc.clone(),
            values: e
                .values
                .iter()
                .map(|v| EnumValueIr {
                    variant: v
                        .name
                        .clone()
                        .unwrap_or_else(|| naming::type_name(&v.value.to_string())),
                    wire: v.value.to_string(),
                    doc: v.doc.clone(),
                })
                .collect(),
            case_insensitive: e.case_insensitive,
            note: e.note.clone(),
        })
        .collect();
    let structs = struct_specs
        .values()
        .map(|s| {
            let file = struct_files
                .get(s.name.as_str())
                .cloned()
                .unwrap_or_default();
            let item = format!("struct {}", s.name);
            Ok(StructIr {
                name: s.name.clone(),
                doc: s.doc.clone(),
                fields: ctx.fields(&s.fields, &file, &item)?,
                uses: uses.get(&s.name).copied().unwrap_or_default(),
                note: s.note.clone(),
            })
        })
        .collect::<Result<_, LowerError>>()?;
    let common_parameters = ctx.fields(
        &raw.service.common_parameters,
        SERVICE_FILE,
        "common parameters",
    )?;

    let svc = &raw.service;
    Ok(ServiceIr {
        package: svc.package.clone().unwrap_or_default(),
        name: svc.name.clone(),
        server_trait: format!("{}Service", svc.name.to_upper_camel_case()),
        product: svc.product.clone(),
        api_version: svc.api_version.clone(),
        description: svc.description.clone(),
        default_signature_v1: svc.signature.default == model::SignatureMethod::HmacSha1,
        global_endpoint: svc.endpoints.global.clone(),
        endpoint_pattern: svc.endpoints.pattern.clone(),
        regional_endpoints: svc
            .endpoints
            .regional
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        common_parameters,
        notes: svc.notes.clone(),
        groups,
        enums,
        structs,
        errors,
    })
}

/// What lowering any field or operation reads: the spec's types by name and the service's
/// product and version.
pub(super) struct Ctx<'a> {
    pub(super) enums: &'a BTreeMap<&'a str, &'a model::EnumSpec>,
    pub(super) structs: &'a BTreeMap<&'a str, &'a model::StructSpec>,
    pub(super) product: &'a str,
    pub(super) version: &'a str,
}

impl Ctx<'_> {
    /// A list's item type; the problem when `name` is no scalar keyword, enum or struct.
    fn item(&self, name: &str) -> Result<ItemIr, String> {
        Ok(match name {
            "string" => ItemIr::Scalar(ScalarIr::String),
            "integer" => ItemIr::Scalar(ScalarIr::Integer),
            "long" => ItemIr::Scalar(ScalarIr::Long),
            "boolean" => ItemIr::Scalar(ScalarIr::Boolean),
            "float" => ItemIr::Scalar(ScalarIr::Float),
            n if self.enums.contains_key(n) => ItemIr::Enum(n.to_owned()),
            n if self.structs.contains_key(n) => ItemIr::Struct(n.to_owned()),
            n => return Err(format!("no type `{n}`")),
        })
    }

    /// `name`, when it is a struct; else the problem.
    fn struct_name(&self, name: &str) -> Result<String, String> {
        if self.structs.contains_key(name) {
            Ok(name.to_owned())
        } else {
            Err(format!("no struct `{name}`"))
        }
    }

    /// A field's type; the problem when it names no enum or struct.
    fn ty(&self, t: &TypeRef) -> Result<TypeIr, String> {
        Ok(match t {
            TypeRef::String => TypeIr::Scalar(ScalarIr::String),
            TypeRef::Integer => TypeIr::Scalar(ScalarIr::Integer),
            TypeRef::Long => TypeIr::Scalar(ScalarIr::Long),
            TypeRef::Boolean => TypeIr::Scalar(ScalarIr::Boolean),
            TypeRef::Float => TypeIr::Scalar(ScalarIr::Float),
            TypeRef::Enum(n) => {
                let e = self
                    .enums
                    .get(n.as_str())
                    .ok_or_else(|| format!("no enum `{n}`"))?;
                TypeIr::Enum(n.clone(), e.wire_type)
            }
            TypeRef::List(i) => TypeIr::List(self.item(i)?),
            TypeRef::Json(n) => TypeIr::Json(self.struct_name(n)?),
            TypeRef::Object(n) => TypeIr::Object(self.struct_name(n)?),
            TypeRef::WrappedList(w) => TypeIr::WrappedList {
                key: w.key.clone(),
                item: self.item(&w.item)?,
            },
            TypeRef::CommaList(i) => TypeIr::CommaList(self.item(i)?),
        })
    }

    /// Every field of `fields`, in order; `file` and `item` say where they are, for errors.
    pub(super) fn fields(
        &self,
        fields: &[Field],
        file: &str,
        item: &str,
    ) -> Result<Vec<FieldIr>, LowerError> {
        fields
            .iter()
            .map(|f| {
                self.field(f).map_err(|problem| LowerError {
                    file: file.to_owned(),
                    item: item.to_owned(),
                    field: f.name.clone(),
                    problem,
                })
            })
            .collect()
    }

    /// True when `f` is a sensitive scalar (or list of scalars) or its type is a struct holding
    /// one at any depth. `visiting` guards against a struct that (through lists) contains
    /// itself.
    fn holds_secrets<'s>(&'s self, f: &'s Field, visiting: &mut Vec<&'s str>) -> bool {
        let name = match &f.ty {
            TypeRef::List(n) | TypeRef::Json(n) | TypeRef::Object(n) => n.as_str(),
            TypeRef::WrappedList(w) => w.item.as_str(),
            _ => return f.sensitive,
        };
        let Some(spec) = self.structs.get(name) else {
            // A list of scalars or enums.
            return f.sensitive;
        };
        if visiting.contains(&name) {
            return false;
        }
        visiting.push(name);
        let found = spec.fields.iter().any(|g| self.holds_secrets(g, visiting));
        visiting.pop();
        found
    }

    fn field(&self, f: &Field) -> Result<FieldIr, String> {
        Ok(FieldIr {
            names: Names::of(&f.name, f.rust_name.as_deref()),
            ty: self.ty(&f.ty)?,
            required: f.required,
            default: f.default.as_ref().map(Scalar::to_string),
            example: f.example.as_ref().map(Scalar::to_string),
            doc: f.doc.trim().to_owned(),
            sensitive: f.sensitive,
            holds_secrets: self.holds_secrets(f, &mut Vec::new()),
            constraints: ConstraintsIr {
                range: f.constraints.range,
                length: f.constraints.length,
                items: f.constraints.items,
                forbidden_prefixes: f.constraints.forbidden_prefixes.clone(),
                forbidden_values: f
                    .constraints
                    .forbidden_values
                    .iter()
                    .map(Scalar::to_string)
                    .collect(),
                format: f.constraints.format,
            },
            note: f.note.clone(),
            location: f.location.unwrap_or_default(),
            origin: f.origin,
        })
    }
}

fn lower_error(e: &model::ErrorSpec, names: &BTreeMap<&str, String>) -> ErrorIr {
    let variant = names
        .get(e.code.as_str())
        .cloned()
        .unwrap_or_else(|| naming::error_variant(&e.code));
    ErrorIr {
        variant,
        code: e.code.clone(),
        http_status: e.http_status,
        message: e.message.clone(),
        description: e.description.clone(),
        retryable: e.retryable,
        invalid_value_of: e.invalid_value_of.clone(),
        note: e.note.clone(),
    }
}

/// Marks how each struct is used, following nesting, so emitters derive only what is needed.
fn record_uses(ctx: &Ctx<'_>, op: &OperationSpec, uses: &mut BTreeMap<String, StructUse>) {
    fn mark(
        ctx: &Ctx<'_>,
        name: &str,
        uses: &mut BTreeMap<String, StructUse>,
        set: fn(&mut StructUse),
        seen: &mut BTreeSet<String>,
    ) {
        if !seen.insert(name.to_owned()) {
            return;
        }
        set(uses.entry(name.to_owned()).or_default());
        if let Some(s) = ctx.structs.get(name) {
            for f in &s.fields {
                if let TypeRef::Object(n) | TypeRef::Json(n) | TypeRef::List(n) = &f.ty {
                    mark(ctx, n, uses, set, seen);
                }
                if let TypeRef::WrappedList(w) = &f.ty {
                    mark(ctx, &w.item, uses, set, seen);
                }
            }
        }
    }
    for p in &op.parameters {
        match &p.ty {
            TypeRef::List(n) | TypeRef::Object(n) if ctx.structs.contains_key(n.as_str()) => mark(
                ctx,
                n,
                uses,
                |u| u.flat_request = true,
                &mut BTreeSet::new(),
            ),
            TypeRef::Json(n) => mark(
                ctx,
                n,
                uses,
                |u| u.json_request = true,
                &mut BTreeSet::new(),
            ),
            _ => {}
        }
    }
    for r in &op.response {
        let name = match &r.ty {
            TypeRef::Object(n) | TypeRef::List(n) => n,
            TypeRef::WrappedList(w) => &w.item,
            _ => continue,
        };
        if ctx.structs.contains_key(name.as_str()) {
            mark(ctx, name, uses, |u| u.response = true, &mut BTreeSet::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::SpecSources;
    use std::path::Path;

    /// The fixture spec, validated, its raw files edited by `edit` behind the validator's back.
    fn lowered_after(
        edit: impl FnOnce(&mut crate::loader::RawSpec),
    ) -> Result<ServiceIr, LowerError> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let sources = SpecSources::read_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        let spec = crate::load_sources(sources).unwrap_or_else(|e| panic!("{e}"));
        let mut raw = spec.raw().clone();
        edit(&mut raw);
        lower(&Spec::unchecked(raw))
    }

    #[test]
    fn the_fixture_lowers() {
        assert!(lowered_after(|_| {}).is_ok());
    }

    #[test]
    fn an_unresolved_reference_is_an_error_naming_file_operation_and_field() {
        let result = lowered_after(|raw| {
            for (_, g) in &mut raw.groups {
                for op in &mut g.operations {
                    if op.idempotency_token.is_some() {
                        op.idempotency_token = Some("Missing".to_owned());
                    }
                }
            }
        });
        let Err(e) = result else {
            panic!("lowered a token that names no parameter");
        };
        assert_eq!(e.file, "groups/things.yaml");
        assert_eq!(e.item, "operation CreateThing");
        assert_eq!(e.field, "idempotency_token");
        assert!(e.problem.contains("Missing"), "{e}");
    }

    #[test]
    fn a_field_of_an_unknown_type_is_an_error_naming_its_struct() {
        let result = lowered_after(|raw| {
            if let Some(s) = raw.shared.structs.first_mut() {
                if let Some(f) = s.fields.first_mut() {
                    f.ty = TypeRef::Enum("Missing".to_owned());
                }
            }
        });
        let Err(e) = result else {
            panic!("lowered a field whose enum does not exist");
        };
        assert_eq!(e.file, SHARED_FILE);
        assert!(e.item.starts_with("struct "), "{e}");
        assert!(e.problem.contains("Missing"), "{e}");
    }
}
