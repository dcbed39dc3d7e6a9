//! The normalized intermediate representation every emitter works from.
//!
//! Lowering resolves every reference (enum and struct names, error codes, poll operations),
//! derives Rust names once, and fixes ordering: operations in documentation order, types and
//! error codes sorted by name. Emitters see only these types, never the YAML model.

use crate::model::{self, Field, OperationSpec, PaginationSpec, Scalar, TypeRef};
/// The model's plain value types that the IR carries as they are (no YAML in them): emitters
/// name them from here, never from `model`.
pub use crate::model::{Bounds, EnumWireType, Format, Location, Origin, PackageSpec, Provenance};
use crate::naming;
use crate::validate::Spec;
use std::collections::{BTreeMap, BTreeSet};

/// The whole service, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIr {
    /// The generated crate's package (the workspace's SDK unless the spec names another).
    pub package: PackageSpec,
    /// Human-readable name, e.g. `VPN Gateway`.
    pub name: String,
    /// Product code, e.g. `Vpc`.
    pub product: String,
    /// API version.
    pub api_version: String,
    /// Crate-level description.
    pub description: String,
    /// Whether signature v1 is the default (otherwise V3).
    pub default_signature_v1: bool,
    /// Global endpoint host.
    pub global_endpoint: String,
    /// Regional endpoint pattern with `{region}`.
    pub endpoint_pattern: String,
    /// Region → host, sorted by region.
    pub regional_endpoints: Vec<(String, String)>,
    /// Common parameters, for the docs.
    pub common_parameters: Vec<FieldIr>,
    /// Service-level decisions, for the docs.
    pub notes: Vec<String>,
    /// Groups in documentation order, each with its operations.
    pub groups: Vec<GroupIr>,
    /// Enums sorted by name.
    pub enums: Vec<EnumIr>,
    /// Structs sorted by name.
    pub structs: Vec<StructIr>,
    /// The error catalogue sorted by code.
    pub errors: Vec<ErrorIr>,
}

impl ServiceIr {
    /// Every operation in documentation order.
    pub fn operations(&self) -> impl Iterator<Item = &OperationIr> {
        self.groups.iter().flat_map(|g| g.operations.iter())
    }
}

/// An operation group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupIr {
    /// File stem, e.g. `vpn-gateways`.
    pub id: String,
    /// Title, e.g. `VPN gateways`.
    pub title: String,
    /// Description.
    pub description: String,
    /// Operations in documentation order.
    pub operations: Vec<OperationIr>,
}

/// A Rust name and the wire name it stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Names {
    /// Wire-exact name.
    pub wire: String,
    /// snake_case Rust identifier (keywords escaped).
    pub snake: String,
    /// UpperCamelCase Rust identifier.
    pub camel: String,
}

impl Names {
    fn of(wire: &str, rust_override: Option<&str>) -> Names {
        Names {
            wire: wire.to_owned(),
            snake: rust_override
                .map(str::to_owned)
                .unwrap_or_else(|| naming::field_name(wire)),
            camel: naming::type_name(wire),
        }
    }
}

impl Names {
    /// The whole-list setter of a list field besides its item setter: `set_<snake>`.
    pub fn list_setter(&self) -> String {
        format!("{}{}", naming::reserved::LIST_SETTER_PREFIX, self.snake)
    }

    /// The setter of a struct field when the struct is also read from responses (whose
    /// getter takes the plain name): `with_<snake>`.
    pub fn with_setter(&self) -> String {
        format!("with_{}", self.snake)
    }
}

/// The names of the items the generated crate defines for one operation, derived once from
/// its action so that every emitter, the docs and the surface name them alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationItems {
    /// The operation's module under `crate::operation`, e.g. `create_vpn_gateway`.
    pub module: String,
    /// `CreateVpnGatewayInput`.
    pub input: String,
    /// `CreateVpnGatewayOutput`.
    pub output: String,
    /// `CreateVpnGatewayError`.
    pub error: String,
    /// `CreateVpnGatewayErrorKind`.
    pub error_kind: String,
    /// `CreateVpnGatewayFluentBuilder`.
    pub builder: String,
    /// `CreateVpnGatewayRequest`, the validated request in `crate::server`.
    pub request: String,
}

impl OperationItems {
    fn of(names: &Names) -> OperationItems {
        use naming::reserved::suffix;
        let camel = &names.camel;
        OperationItems {
            module: names.snake.clone(),
            input: format!("{camel}{}", suffix::INPUT),
            output: format!("{camel}{}", suffix::OUTPUT),
            error: format!("{camel}{}", suffix::ERROR),
            error_kind: format!("{camel}{}", suffix::ERROR_KIND),
            builder: format!("{camel}{}", suffix::FLUENT_BUILDER),
            request: format!("{camel}{}", suffix::REQUEST),
        }
    }

    /// The path of `item` (one of these names but `request`) from the crate root:
    /// `crate::operation::<module>::<item>`.
    pub fn path(&self, item: &str) -> String {
        format!("crate::operation::{}::{item}", self.module)
    }
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationIr {
    /// Action and its Rust forms (`create_vpn_gateway`, `CreateVpnGateway`).
    pub names: Names,
    /// The names of its generated items (input, output, builder, ...).
    pub items: OperationItems,
    /// Group id.
    pub group: String,
    /// One sentence.
    pub summary: String,
    /// Longer description.
    pub description: String,
    /// Usage notes.
    pub notes: Vec<String>,
    /// Where it is documented.
    pub source: String,
    /// Request parameters in spec order.
    pub params: Vec<FieldIr>,
    /// Conditional rules.
    pub rules: Vec<RuleIr>,
    /// Response fields in spec order.
    pub response: Vec<FieldIr>,
    /// Documented errors, sorted by code, with catalogue data resolved.
    pub errors: Vec<OperationErrorIr>,
    /// The idempotency-token parameter, auto-filled when unset.
    pub idempotency_token: Option<FieldRef>,
    /// Safe to send twice: a read, or a write carrying an idempotency token.
    pub retry_safe: bool,
    /// The operation changes nothing (the spec's `read_only`).
    pub read_only: bool,
    /// Pagination.
    pub pagination: Option<PaginationIr>,
    /// Asynchronous completion.
    pub async_completion: Option<AsyncIr>,
    /// The waiters on this operation's fluent builder, one per method, sorted by method: the
    /// asynchronous operations that poll this one, merged.
    pub waiters: Vec<WaiterIr>,
    /// Documented sample request parameters (wire name → value), sorted by name.
    pub example_request: Vec<(String, String)>,
    /// Documented sample JSON response, pretty-printed.
    pub example_response: Option<String>,
    /// Decisions recorded in the spec.
    pub decisions: Vec<String>,
    /// The operation's page in Alibaba's official API reference.
    pub reference_url: String,
    /// The metadata the imported facts come from, when the operation has an imported layer.
    pub imported: Option<Provenance>,
}

/// A parameter, struct field or response field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldIr {
    /// Names.
    pub names: Names,
    /// Type.
    pub ty: TypeIr,
    /// Required (requests) / always present (responses).
    pub required: bool,
    /// Documented default, as text.
    pub default: Option<String>,
    /// Documented example, as text.
    pub example: Option<String>,
    /// Description.
    pub doc: String,
    /// Secret material.
    pub sensitive: bool,
    /// A sensitive scalar here, or a struct holding one at any depth: the values must be
    /// collected so that nothing the server echoes can show them.
    pub holds_secrets: bool,
    /// Constraints.
    pub constraints: ConstraintsIr,
    /// Decision note.
    pub note: Option<String>,
    /// Top-level request parameters: where the parameter travels.
    pub location: Location,
    /// Which layer of the spec the field comes from.
    pub origin: Origin,
}

/// Scalar kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScalarIr {
    /// `String`.
    String,
    /// `i32`.
    Integer,
    /// `i64`.
    Long,
    /// `bool`.
    Boolean,
    /// `f64`.
    Float,
}

impl ScalarIr {
    /// Spec keyword, for docs.
    pub fn keyword(self) -> &'static str {
        match self {
            ScalarIr::String => "string",
            ScalarIr::Integer => "integer",
            ScalarIr::Long => "long",
            ScalarIr::Boolean => "boolean",
            ScalarIr::Float => "float",
        }
    }
}

/// The item of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemIr {
    /// A scalar.
    Scalar(ScalarIr),
    /// An enum by name.
    Enum(String),
    /// A struct by name.
    Struct(String),
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeIr {
    /// A scalar.
    Scalar(ScalarIr),
    /// An enum by name, with its wire type.
    Enum(String, EnumWireType),
    /// `Name.N` / `Name.N.Field` in requests; a JSON array in responses.
    List(ItemIr),
    /// A JSON-encoded struct parameter.
    Json(String),
    /// A nested response object.
    Object(String),
    /// An XML-derived wrapper: `{"Outer": {"key": [item]}}`.
    WrappedList {
        /// Inner key.
        key: String,
        /// Item.
        item: ItemIr,
    },
    /// Requests: a list joined with commas into one parameter.
    CommaList(ItemIr),
}

impl TypeIr {
    /// How the docs show this type.
    pub fn describe(&self) -> String {
        let item = |i: &ItemIr| match i {
            ItemIr::Scalar(s) => s.keyword().to_owned(),
            ItemIr::Enum(n) | ItemIr::Struct(n) => n.clone(),
        };
        match self {
            TypeIr::Scalar(s) => s.keyword().to_owned(),
            TypeIr::Enum(n, _) => format!("enum {n}"),
            TypeIr::List(i) => format!("list of {}", item(i)),
            TypeIr::Json(n) => format!("JSON {n}"),
            TypeIr::Object(n) => format!("object {n}"),
            TypeIr::WrappedList { key, item: i } => format!("list of {} (in `{key}`)", item(i)),
            TypeIr::CommaList(i) => format!("comma-joined list of {}", item(i)),
        }
    }
}

/// Constraints, resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConstraintsIr {
    /// Numeric range.
    pub range: Option<Bounds>,
    /// Length range.
    pub length: Option<Bounds>,
    /// List size range.
    pub items: Option<Bounds>,
    /// Forbidden prefixes.
    pub forbidden_prefixes: Vec<String>,
    /// Forbidden values, as text.
    pub forbidden_values: Vec<String>,
    /// Format.
    pub format: Option<Format>,
}

impl ConstraintsIr {
    /// Human-readable list of constraints for docs.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        let bounds = |b: &Bounds| match (b.min, b.max) {
            (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
            (Some(lo), None) => format!("at least {lo}"),
            (None, Some(hi)) => format!("at most {hi}"),
            (None, None) => "any".to_owned(),
        };
        if let Some(r) = &self.range {
            out.push(format!("value {}", bounds(r)));
        }
        if let Some(l) = &self.length {
            out.push(format!("length {}", bounds(l)));
        }
        if let Some(i) = &self.items {
            out.push(format!("items {}", bounds(i)));
        }
        if !self.forbidden_prefixes.is_empty() {
            out.push(format!(
                "must not start with {}",
                self.forbidden_prefixes
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.forbidden_values.is_empty() {
            out.push(format!(
                "must not be {}",
                self.forbidden_values
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(f) = self.format {
            out.push(format!("format: {}", format_doc(f)));
        }
        out
    }
}

/// A short description of a format.
pub fn format_doc(f: Format) -> &'static str {
    match f {
        Format::Ipv4 => "IPv4 address",
        Format::Ipv4Cidr => "IPv4 CIDR block",
        Format::Ipv4CidrList => "comma-separated IPv4 CIDR blocks",
        Format::Name => {
            "starts with a letter or Chinese character; letters, Chinese characters, digits, `.`, `_`, `-`"
        }
        Format::Description => "starts with a letter or Chinese character",
        Format::Timestamp => "`YYYY-MM-DDThh:mm:ssZ` (UTC)",
        Format::Ascii => "printable ASCII, no spaces",
    }
}

/// A conditional rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleIr {
    /// As documented.
    pub doc: String,
    /// Trigger parameter and optional value (as text).
    pub when: Option<(FieldRef, Option<String>)>,
    /// All required.
    pub require: Vec<FieldRef>,
    /// One of these required.
    pub require_any: Vec<FieldRef>,
    /// None allowed.
    pub forbid: Vec<FieldRef>,
}

/// A request parameter or response field of an operation, resolved during lowering: the
/// facts emitters need about it, so none has to look it up again by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// Wire name.
    pub wire: String,
    /// Rust field name.
    pub snake: String,
    /// The field's type (to compare `equals` values, to widen page numbers).
    pub ty: TypeIr,
    /// Required (parameters) or always present (response fields, held without `Option`).
    pub required: bool,
}

impl FieldRef {
    fn to(f: &FieldIr) -> FieldRef {
        FieldRef {
            wire: f.names.wire.clone(),
            snake: f.names.snake.clone(),
            ty: f.ty.clone(),
            required: f.required,
        }
    }
}

/// An error an operation documents.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationErrorIr {
    /// The catalogue entry.
    pub error: ErrorIr,
    /// Operation-specific description.
    pub description: String,
    /// The HTTP status this operation answers the code with (the catalogue's when the
    /// operation does not say).
    pub http_status: u16,
    /// Which layer documents the code for this operation.
    pub origin: Origin,
}

/// A catalogue error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorIr {
    /// Wire code.
    pub code: String,
    /// Rust variant name.
    pub variant: String,
    /// HTTP status.
    pub http_status: u16,
    /// Message.
    pub message: String,
    /// Description.
    pub description: String,
    /// Retryable.
    pub retryable: bool,
    /// Note.
    pub note: Option<String>,
}

/// Pagination, its fields resolved.
#[derive(Debug, Clone, PartialEq)]
// One per paginated operation, built once: boxing the larger variant would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum PaginationIr {
    /// PageNumber/PageSize/TotalCount.
    PageNumber {
        /// Request parameter with the page number.
        page_number: FieldRef,
        /// Request parameter with the page size.
        page_size: FieldRef,
        /// Response field with the total count.
        total_count: FieldRef,
        /// Response field with the items.
        items: FieldRef,
        /// Item type.
        item: ItemIr,
        /// The response field echoing the page number under the parameter's Rust name.
        echoed_page_number: Option<FieldRef>,
        /// The response field echoing the page size under the parameter's Rust name.
        echoed_page_size: Option<FieldRef>,
        /// The response's `request_id`, when it has one.
        request_id: Option<FieldRef>,
    },
    /// NextToken/MaxResults.
    NextToken {
        /// Request parameter with the token.
        next_token: FieldRef,
        /// Request parameter with the page size.
        max_results: FieldRef,
        /// Response field with the next token.
        next_token_out: FieldRef,
        /// Response field with the items.
        items: FieldRef,
        /// Item type.
        item: ItemIr,
        /// The response's `request_id`, when it has one.
        request_id: Option<FieldRef>,
    },
}

/// Asynchronous completion, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct AsyncIr {
    /// Poll operation (its names).
    pub poll: Names,
    /// (poll parameter snake name, source) pairs, sorted.
    pub input: Vec<(String, AsyncSource)>,
    /// The status field in the poll response.
    pub status: StatusIr,
    /// Pending statuses.
    pub pending: Vec<String>,
    /// Success statuses.
    pub success: Vec<String>,
    /// Failure statuses.
    pub failure: Vec<String>,
    /// Error code meaning "gone" (deletes).
    pub gone_error: Option<String>,
}

/// The status field a waiter reads from the poll operation's response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusIr {
    /// Wire path, dotted through nested objects.
    pub wire: String,
    /// Path of snake names from the output to the field (never empty).
    pub path: Vec<String>,
    /// The first field of the path is always present (held without `Option`).
    pub top_required: bool,
}

/// A `wait_until_*` method on a polled operation's fluent builder, merged from every
/// asynchronous operation that polls it for the same outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterIr {
    /// Method name: `wait_until_deleted`, or `wait_until_` and the first success state.
    pub method: String,
    /// The status read (last of the merged operations that read one); none for a waiter that
    /// only waits for the resource to be gone.
    pub status: Option<StatusIr>,
    /// Success states, each once, in first-seen order.
    pub success: Vec<String>,
    /// Failure states, each once, in first-seen order.
    pub failure: Vec<String>,
    /// The error code meaning the resource is gone.
    pub gone_error: Option<String>,
    /// The operations it is used after (actions), in documentation order.
    pub used_after: Vec<String>,
}

/// Where a poll parameter's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsyncSource {
    /// A request field (snake name).
    Request(String),
    /// A response field (snake name).
    Response(String),
}

/// An enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumIr {
    /// Type name.
    pub name: String,
    /// Wire type.
    pub wire_type: EnumWireType,
    /// Description.
    pub doc: String,
    /// Values in spec order.
    pub values: Vec<EnumValueIr>,
    /// Matched regardless of case.
    pub case_insensitive: bool,
    /// Note.
    pub note: Option<String>,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValueIr {
    /// Variant name.
    pub variant: String,
    /// Wire value as text.
    pub wire: String,
    /// Description.
    pub doc: String,
}

/// Where a struct is used, which decides its derives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StructUse {
    /// Sent as `Name.N.Field`.
    pub flat_request: bool,
    /// Sent as a JSON string.
    pub json_request: bool,
    /// Received in a response.
    pub response: bool,
}

/// A struct.
#[derive(Debug, Clone, PartialEq)]
pub struct StructIr {
    /// Type name.
    pub name: String,
    /// Description.
    pub doc: String,
    /// Fields.
    pub fields: Vec<FieldIr>,
    /// Uses.
    pub uses: StructUse,
    /// Note.
    pub note: Option<String>,
}

impl StructIr {
    /// Whether any field is secret.
    pub fn has_sensitive(&self) -> bool {
        self.fields.iter().any(|f| f.sensitive)
    }
}

/// A reference lowering could not resolve. Validation refuses such specs first, so this is a
/// gap in the validator, reported rather than lowered to an empty name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerError {
    /// The spec file holding the operation, relative to the spec directory.
    pub file: String,
    /// The operation's action.
    pub operation: String,
    /// The reference, e.g. `pagination.items` or `idempotency_token`.
    pub field: String,
    /// What is missing.
    pub problem: String,
}

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: operation {}, {}: {} (the validator should have refused this spec)",
            self.file, self.operation, self.field, self.problem
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
    for e in raw
        .shared
        .enums
        .iter()
        .chain(raw.groups.iter().flat_map(|(_, g)| g.enums.iter()))
    {
        enum_specs.insert(&e.name, e);
    }
    for s in raw
        .shared
        .structs
        .iter()
        .chain(raw.groups.iter().flat_map(|(_, g)| g.structs.iter()))
    {
        struct_specs.insert(&s.name, s);
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
        .map(|s| StructIr {
            name: s.name.clone(),
            doc: s.doc.clone(),
            fields: s.fields.iter().map(|f| ctx.field(f)).collect(),
            uses: uses.get(&s.name).copied().unwrap_or_default(),
            note: s.note.clone(),
        })
        .collect();

    let svc = &raw.service;
    Ok(ServiceIr {
        package: svc.package.clone().unwrap_or_default(),
        name: svc.name.clone(),
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
        common_parameters: svc.common_parameters.iter().map(|f| ctx.field(f)).collect(),
        notes: svc.notes.clone(),
        groups,
        enums,
        structs,
        errors,
    })
}

struct Ctx<'a> {
    enums: &'a BTreeMap<&'a str, &'a model::EnumSpec>,
    structs: &'a BTreeMap<&'a str, &'a model::StructSpec>,
    product: &'a str,
    version: &'a str,
}

impl Ctx<'_> {
    fn item(&self, name: &str) -> ItemIr {
        match name {
            "string" => ItemIr::Scalar(ScalarIr::String),
            "integer" => ItemIr::Scalar(ScalarIr::Integer),
            "long" => ItemIr::Scalar(ScalarIr::Long),
            "boolean" => ItemIr::Scalar(ScalarIr::Boolean),
            "float" => ItemIr::Scalar(ScalarIr::Float),
            n if self.enums.contains_key(n) => ItemIr::Enum(n.to_owned()),
            n => ItemIr::Struct(n.to_owned()),
        }
    }

    fn ty(&self, t: &TypeRef) -> TypeIr {
        match t {
            TypeRef::String => TypeIr::Scalar(ScalarIr::String),
            TypeRef::Integer => TypeIr::Scalar(ScalarIr::Integer),
            TypeRef::Long => TypeIr::Scalar(ScalarIr::Long),
            TypeRef::Boolean => TypeIr::Scalar(ScalarIr::Boolean),
            TypeRef::Float => TypeIr::Scalar(ScalarIr::Float),
            TypeRef::Enum(n) => TypeIr::Enum(
                n.clone(),
                self.enums
                    .get(n.as_str())
                    .map(|e| e.wire_type)
                    .unwrap_or(EnumWireType::String),
            ),
            TypeRef::List(i) => TypeIr::List(self.item(i)),
            TypeRef::Json(n) => TypeIr::Json(n.clone()),
            TypeRef::Object(n) => TypeIr::Object(n.clone()),
            TypeRef::WrappedList(w) => TypeIr::WrappedList {
                key: w.key.clone(),
                item: self.item(&w.item),
            },
            TypeRef::CommaList(i) => TypeIr::CommaList(self.item(i)),
        }
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

    fn field(&self, f: &Field) -> FieldIr {
        FieldIr {
            names: Names::of(&f.name, f.rust_name.as_deref()),
            ty: self.ty(&f.ty),
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
        }
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

/// Resolves the names one operation's spec refers to, failing with a [`LowerError`] that
/// names the spec file, the operation and the reference.
struct OpLowering<'a> {
    file: &'a str,
    action: &'a str,
}

impl OpLowering<'_> {
    fn error(&self, field: impl Into<String>, problem: impl Into<String>) -> LowerError {
        LowerError {
            file: self.file.to_owned(),
            operation: self.action.to_owned(),
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// The field of `fields` whose wire name is `wire`; `what` names the reference.
    fn find<'f>(
        &self,
        fields: &'f [FieldIr],
        wire: &str,
        what: &str,
    ) -> Result<&'f FieldIr, LowerError> {
        fields
            .iter()
            .find(|f| f.names.wire == wire)
            .ok_or_else(|| self.error(what, format!("no field `{wire}`")))
    }

    fn field_ref(
        &self,
        fields: &[FieldIr],
        wire: &str,
        what: &str,
    ) -> Result<FieldRef, LowerError> {
        self.find(fields, wire, what).map(FieldRef::to)
    }

    fn refs(
        &self,
        params: &[FieldIr],
        wires: &[String],
        what: &str,
    ) -> Result<Vec<FieldRef>, LowerError> {
        wires
            .iter()
            .map(|w| self.field_ref(params, w, what))
            .collect()
    }

    /// The list field with a paginated listing's items, and its item type.
    fn items(&self, response: &[FieldIr], wire: &str) -> Result<(FieldRef, ItemIr), LowerError> {
        let f = self.find(response, wire, "pagination.items")?;
        match &f.ty {
            TypeIr::List(i) | TypeIr::WrappedList { item: i, .. } => {
                Ok((FieldRef::to(f), i.clone()))
            }
            _ => Err(self.error("pagination.items", format!("`{wire}` is not a list"))),
        }
    }

    fn pagination(
        &self,
        p: &PaginationSpec,
        params: &[FieldIr],
        response: &[FieldIr],
    ) -> Result<PaginationIr, LowerError> {
        // The paginator reports the request ID of every page when the response has one.
        let request_id = response
            .iter()
            .find(|f| f.names.snake == "request_id")
            .map(FieldRef::to);
        // A response that echoes a paging parameter under its Rust name claims which page it is.
        let echoed = |param: &FieldRef| {
            response
                .iter()
                .find(|f| f.names.snake == param.snake)
                .map(FieldRef::to)
        };
        Ok(match p {
            PaginationSpec::PageNumber {
                page_number,
                page_size,
                total_count,
                items,
            } => {
                let page_number = self.field_ref(params, page_number, "pagination.page_number")?;
                let page_size = self.field_ref(params, page_size, "pagination.page_size")?;
                let (items, item) = self.items(response, items)?;
                PaginationIr::PageNumber {
                    echoed_page_number: echoed(&page_number),
                    echoed_page_size: echoed(&page_size),
                    total_count: self.field_ref(response, total_count, "pagination.total_count")?,
                    page_number,
                    page_size,
                    items,
                    item,
                    request_id,
                }
            }
            PaginationSpec::NextToken {
                next_token,
                max_results,
                next_token_out,
                items,
            } => {
                let (items, item) = self.items(response, items)?;
                PaginationIr::NextToken {
                    next_token: self.field_ref(params, next_token, "pagination.next_token")?,
                    max_results: self.field_ref(params, max_results, "pagination.max_results")?,
                    next_token_out: self.field_ref(
                        response,
                        next_token_out,
                        "pagination.next_token_out",
                    )?,
                    items,
                    item,
                    request_id,
                }
            }
        })
    }

    fn async_completion(
        &self,
        ctx: &Ctx<'_>,
        a: &model::AsyncSpec,
        params: &[FieldIr],
        response: &[FieldIr],
        all_ops: &BTreeMap<&str, &OperationSpec>,
    ) -> Result<AsyncIr, LowerError> {
        let poll = all_ops
            .get(a.poll.as_str())
            .ok_or_else(|| self.error("async.poll", format!("no operation `{}`", a.poll)))?;
        let poll_params: Vec<FieldIr> = poll.parameters.iter().map(|f| ctx.field(f)).collect();
        let input = a
            .input
            .iter()
            .map(|(target, source)| {
                let what = format!("async.input.{target}");
                let src = match source.split_once('.') {
                    Some(("response", n)) => {
                        AsyncSource::Response(self.find(response, n, &what)?.names.snake.clone())
                    }
                    Some(("request", n)) => {
                        AsyncSource::Request(self.find(params, n, &what)?.names.snake.clone())
                    }
                    _ => {
                        return Err(self.error(
                            what,
                            format!("`{source}` is neither `request.X` nor `response.X`"),
                        ))
                    }
                };
                Ok((
                    self.find(&poll_params, target, &what)?.names.snake.clone(),
                    src,
                ))
            })
            .collect::<Result<_, _>>()?;
        Ok(AsyncIr {
            poll: Names::of(&poll.action, Some(&naming::snake_name(&poll.action))),
            input,
            status: self.status(ctx, poll, &a.status_field)?,
            pending: a.pending.clone(),
            success: a.success.clone(),
            failure: a.failure.clone(),
            gone_error: a.gone_error.clone(),
        })
    }

    /// Follows the dotted path of the status field through nested objects of `poll`'s
    /// response, to Rust names.
    fn status(
        &self,
        ctx: &Ctx<'_>,
        poll: &OperationSpec,
        wire: &str,
    ) -> Result<StatusIr, LowerError> {
        let what = "async.status_field";
        let mut path = Vec::new();
        let mut top_required = false;
        let mut fields: &[Field] = &poll.response;
        for (depth, seg) in wire.split('.').enumerate() {
            let f = fields.iter().find(|f| f.name == seg).ok_or_else(|| {
                self.error(what, format!("`{}` has no field `{seg}`", poll.action))
            })?;
            if depth == 0 {
                top_required = f.required;
            }
            path.push(ctx.field(f).names.snake);
            fields = match &f.ty {
                TypeRef::Object(n) => ctx
                    .structs
                    .get(n.as_str())
                    .map(|s| s.fields.as_slice())
                    .ok_or_else(|| self.error(what, format!("no struct `{n}`")))?,
                _ => &[],
            };
        }
        Ok(StatusIr {
            wire: wire.to_owned(),
            path,
            top_required,
        })
    }
}

fn lower_operation(
    ctx: &Ctx<'_>,
    file: &str,
    group: &str,
    op: &OperationSpec,
    errors: &BTreeMap<&str, &ErrorIr>,
    all_ops: &BTreeMap<&str, &OperationSpec>,
) -> Result<OperationIr, LowerError> {
    let at = OpLowering {
        file,
        action: &op.action,
    };
    let params: Vec<FieldIr> = op.parameters.iter().map(|f| ctx.field(f)).collect();
    let response: Vec<FieldIr> = op.response.iter().map(|f| ctx.field(f)).collect();
    let pagination = op
        .pagination
        .as_ref()
        .map(|p| at.pagination(p, &params, &response))
        .transpose()?;
    let async_completion = op
        .async_completion
        .as_ref()
        .map(|a| at.async_completion(ctx, a, &params, &response, all_ops))
        .transpose()?;
    let mut op_errors: Vec<OperationErrorIr> = op
        .errors
        .iter()
        .map(|e| {
            let c = errors.get(e.code.as_str()).ok_or_else(|| {
                at.error("errors", format!("`{}` is not in the catalogue", e.code))
            })?;
            Ok(OperationErrorIr {
                http_status: e.http_status.unwrap_or(c.http_status),
                origin: e.origin,
                error: (*c).clone(),
                description: e
                    .description
                    .clone()
                    .unwrap_or_else(|| c.description.clone()),
            })
        })
        .collect::<Result<_, LowerError>>()?;
    op_errors.sort_by(|a, b| a.error.code.cmp(&b.error.code));
    let rules = op
        .rules
        .iter()
        .map(|r| {
            let when = match &r.when {
                Some(c) => Some((
                    at.field_ref(&params, &c.param, "rules.when")?,
                    c.equals.as_ref().map(Scalar::to_string),
                )),
                None => None,
            };
            Ok(RuleIr {
                doc: r.doc.clone(),
                when,
                require: at.refs(&params, &r.require, "rules.require")?,
                require_any: at.refs(&params, &r.require_any, "rules.require_any")?,
                forbid: at.refs(&params, &r.forbid, "rules.forbid")?,
            })
        })
        .collect::<Result<_, LowerError>>()?;
    let idempotency_token = op
        .idempotency_token
        .as_ref()
        .map(|t| at.field_ref(&params, t, "idempotency_token"))
        .transpose()?;

    let is_read = op.read_only.unwrap_or(false);
    let (example_request, example_response) = match &op.example {
        Some(ex) => (
            ex.request
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            serde_json::from_str::<serde_json::Value>(&ex.response)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok()),
        ),
        None => (Vec::new(), None),
    };
    let names = Names::of(&op.action, Some(&naming::snake_name(&op.action)));
    Ok(OperationIr {
        items: OperationItems::of(&names),
        names,
        group: group.to_owned(),
        summary: op.summary.trim().to_owned(),
        description: op.description.trim().to_owned(),
        notes: op.notes.iter().map(|n| n.trim().to_owned()).collect(),
        source: op.source.clone(),
        rules,
        read_only: is_read,
        retry_safe: is_read || idempotency_token.is_some(),
        idempotency_token,
        params,
        response,
        errors: op_errors,
        pagination,
        async_completion,
        // Filled once every operation is lowered (`attach_waiters`).
        waiters: Vec::new(),
        example_request,
        example_response,
        decisions: op.decisions.clone(),
        reference_url: format!(
            "https://api.alibabacloud.com/document/{}/{}/{}",
            ctx.product, ctx.version, op.action
        ),
        imported: op.imported.clone(),
    })
}

/// Puts on each polled operation the waiters of the operations that poll it: one method per
/// outcome (`wait_until_deleted` for a gone error, else `wait_until_<first success state>`),
/// merged across the operations that wait for the same outcome.
fn attach_waiters(groups: &mut [GroupIr]) {
    let mut by_poll: BTreeMap<String, BTreeMap<String, WaiterIr>> = BTreeMap::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        let Some(a) = &op.async_completion else {
            continue;
        };
        let method = match (&a.gone_error, a.success.first()) {
            (Some(_), _) => naming::reserved::WAITER_DELETED.to_owned(),
            (None, Some(s)) => format!(
                "{}{}",
                naming::reserved::WAITER_PREFIX,
                naming::snake_name(s)
            ),
            // Nothing to observe: no waiter.
            (None, None) => continue,
        };
        let w = by_poll
            .entry(a.poll.wire.clone())
            .or_default()
            .entry(method.clone())
            .or_insert_with(|| WaiterIr {
                method,
                status: None,
                success: Vec::new(),
                failure: Vec::new(),
                gone_error: None,
                used_after: Vec::new(),
            });
        if a.gone_error.is_some() {
            w.gone_error.clone_from(&a.gone_error);
        } else {
            w.status = Some(a.status.clone());
        }
        for (all, new) in [(&mut w.success, &a.success), (&mut w.failure, &a.failure)] {
            for s in new {
                if !all.contains(s) {
                    all.push(s.clone());
                }
            }
        }
        w.used_after.push(op.names.wire.clone());
    }
    for op in groups.iter_mut().flat_map(|g| &mut g.operations) {
        if let Some(waiters) = by_poll.remove(&op.names.wire) {
            op.waiters = waiters.into_values().collect();
        }
    }
}

/// Which operation groups need which generated items: the generated crate has one cargo
/// feature per group, and an item is compiled when a group that needs it is enabled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupReach {
    /// Enum or struct name → the groups whose operations use it, directly or through other
    /// structs, in documentation order. A type no operation uses is absent (never gated).
    pub types: BTreeMap<String, Vec<String>>,
    /// The same for request parameters only: the groups that validate, encode or collect the
    /// secrets of a struct (its crate-private request methods).
    pub request_types: BTreeMap<String, Vec<String>>,
    /// Group id → the other groups its feature enables, in documentation order: the groups
    /// of the operations that hold the waiters to use after its asynchronous operations.
    pub requires: BTreeMap<String, Vec<String>>,
}

impl GroupReach {
    /// The groups that need type `name`; empty for a type no operation uses.
    pub fn of_type(&self, name: &str) -> &[String] {
        self.types.get(name).map_or(&[], Vec::as_slice)
    }

    /// The groups that send type `name` in a request.
    pub fn of_request_type(&self, name: &str) -> &[String] {
        self.request_types.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Computes [`GroupReach`] for `ir`.
pub fn group_reach(ir: &ServiceIr) -> GroupReach {
    let structs: BTreeMap<&str, &StructIr> =
        ir.structs.iter().map(|s| (s.name.as_str(), s)).collect();
    // Every enum and struct reachable from `roots`, through struct fields at any depth
    // (`seen` also stops recursive structs).
    let reach = |roots: Vec<&TypeIr>| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut pending = roots;
        while let Some(ty) = pending.pop() {
            let name = match ty {
                TypeIr::Scalar(_) => continue,
                TypeIr::Enum(n, _) | TypeIr::Json(n) | TypeIr::Object(n) => n,
                TypeIr::List(i) | TypeIr::CommaList(i) | TypeIr::WrappedList { item: i, .. } => {
                    match i {
                        ItemIr::Scalar(_) => continue,
                        ItemIr::Enum(n) | ItemIr::Struct(n) => n,
                    }
                }
            };
            if seen.insert(name.clone()) {
                if let Some(s) = structs.get(name.as_str()) {
                    pending.extend(s.fields.iter().map(|f| &f.ty));
                }
            }
        }
        seen
    };
    let group_of: BTreeMap<&str, usize> = ir
        .groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.operations.iter().map(move |o| (o.names.wire.as_str(), i)))
        .collect();
    let mut types: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut request_types: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut requires: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (gi, group) in ir.groups.iter().enumerate() {
        let ops = &group.operations;
        let sent = reach(ops.iter().flat_map(|o| &o.params).map(|f| &f.ty).collect());
        let received = reach(
            ops.iter()
                .flat_map(|o| &o.response)
                .map(|f| &f.ty)
                .collect(),
        );
        for name in sent.iter().chain(&received) {
            types.entry(name.clone()).or_default().insert(gi);
        }
        for name in sent {
            request_types.entry(name).or_default().insert(gi);
        }
        for op in ops {
            let poll_group = op
                .async_completion
                .as_ref()
                .and_then(|a| group_of.get(a.poll.wire.as_str()));
            if let Some(&pg) = poll_group.filter(|&&pg| pg != gi) {
                requires.entry(group.id.clone()).or_default().insert(pg);
            }
        }
    }
    let ids = |set: BTreeSet<usize>| {
        set.into_iter()
            .filter_map(|i| ir.groups.get(i).map(|g| g.id.clone()))
            .collect()
    };
    let named = |map: BTreeMap<String, BTreeSet<usize>>| -> BTreeMap<String, Vec<String>> {
        map.into_iter().map(|(k, v)| (k, ids(v))).collect()
    };
    GroupReach {
        types: named(types),
        request_types: named(request_types),
        requires: named(requires),
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
        assert_eq!(e.operation, "CreateThing");
        assert_eq!(e.field, "idempotency_token");
        assert!(e.problem.contains("Missing"), "{e}");
    }
}
