//! The normalized intermediate representation every emitter works from.
//!
//! Lowering resolves every reference (enum and struct names, error codes, poll operations),
//! derives Rust names once, and fixes ordering: operations in documentation order, types and
//! error codes sorted by name. Emitters see only these types, never the YAML model.
//!
//! The types are here; lowering is in `lower` (service, types, fields) and `operation` (one
//! operation's references, waiters); `reach` computes the per-group feature gates.

/// The model's plain value types that the IR carries as they are (no YAML in them): emitters
/// name them from here, never from `model`.
pub use crate::model::{Bounds, EnumWireType, Format, Location, Origin, PackageSpec, Provenance};
use crate::naming;

mod lower;
mod operation;
mod reach;

pub use lower::{lower, LowerError};
pub use reach::{group_reach, GroupReach};

/// The whole service, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIr {
    /// The generated crate's package (the workspace's SDK unless the spec names another).
    pub package: PackageSpec,
    /// Human-readable name, e.g. `VPN Gateway`.
    pub name: String,
    /// The server side's service trait, e.g. `VpnGatewayService`.
    pub server_trait: String,
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
    /// Parameters (wire names, list indexes as `N`) whose bad value the service answers with
    /// this code.
    pub invalid_value_of: Vec<String>,
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
