//! The spec as it is written: typed mirrors of the YAML files under `spec/`.
//!
//! These types are the single definition of the spec format. `spec/schema.json` is derived from
//! them (see [`crate::schema`]), so an editor's completion and the loader can never disagree.
//! Every struct rejects unknown keys: a misspelt key is an error, not silently ignored data.
//!
//! Nothing here is validated beyond its shape; [`crate::validate`] checks meaning.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub use crate::imported::{Location, Provenance};

/// `spec/service.yaml`: what the service is and how it is reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// Human-readable service name, e.g. `VPN Gateway`.
    pub name: String,
    /// Product code used for endpoint resolution and signing, e.g. `Vpc`.
    pub product: String,
    /// API version sent as `Version` / `x-acs-version`, e.g. `2016-04-28`.
    pub api_version: String,
    /// API style. Only `rpc` is supported.
    pub protocol: Protocol,
    /// One-paragraph description used in crate docs.
    pub description: String,
    /// Signature methods the service accepts.
    pub signature: SignatureSpec,
    /// How to reach the service.
    pub endpoints: EndpointsSpec,
    /// Parameters sent with every request (documented once, filled in by the runtime).
    pub common_parameters: Vec<Field>,
    /// Operation groups in documentation order; each names a file `spec/groups/<id>.yaml`.
    pub groups: Vec<String>,
    /// Decisions taken where the sources disagree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The generated crate's package. When absent, the workspace's SDK: `vpn-gateway-sdk`,
    /// library `vpn_gateway`, the runtime at `../runtime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<PackageSpec>,
}

/// The package the generated crate is: what cargo and the user agent call it and where it finds
/// the runtime crate. A spec other than the workspace's own (a test fixture generated into a
/// crate of the same workspace) names its own, since one workspace cannot hold two packages of
/// one name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageSpec {
    /// Cargo package name (ASCII letters, digits, `-`, `_`; starting with a letter), also the
    /// SDK name the client sends in its user agent, e.g. `vpn-gateway-sdk`.
    pub name: String,
    /// Library crate name, a snake_case Rust identifier, e.g. `vpn_gateway`.
    pub lib: String,
    /// Path of the runtime crate's directory relative to the generated crate's, `/`-separated,
    /// e.g. `../runtime`.
    pub runtime_path: String,
}

impl Default for PackageSpec {
    /// The workspace's SDK: `generated-sdk/` beside `runtime/`.
    fn default() -> Self {
        Self {
            name: "vpn-gateway-sdk".to_owned(),
            lib: "vpn_gateway".to_owned(),
            runtime_path: "../runtime".to_owned(),
        }
    }
}

/// API style of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// Alibaba Cloud RPC style: `Action` plus flat parameters.
    Rpc,
}

/// Accepted signature methods and the default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureSpec {
    /// Default method used by the SDK.
    pub default: SignatureMethod,
    /// Every method the service accepts.
    pub methods: Vec<SignatureMethod>,
}

/// A signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SignatureMethod {
    /// Signature version 1.0: HMAC-SHA1 over the canonical query string.
    #[serde(rename = "HMAC-SHA1")]
    HmacSha1,
    /// Signature V3: header based, HMAC-SHA256.
    #[serde(rename = "ACS3-HMAC-SHA256")]
    Acs3HmacSha256,
}

/// Endpoint resolution data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointsSpec {
    /// The global endpoint, e.g. `vpc.aliyuncs.com`.
    pub global: String,
    /// Pattern for regions not in `regional`; `{region}` is replaced by the region ID.
    pub pattern: String,
    /// Regions whose endpoint differs from `pattern` (region ID → host).
    #[serde(default)]
    pub regional: BTreeMap<String, String>,
}

/// `spec/errors.yaml`: the service-wide error catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorsFile {
    /// Every error code the documentation lists, wire-exact.
    pub errors: Vec<ErrorSpec>,
}

/// One error code of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    /// The `Code` the service returns, exactly as it returns it.
    pub code: String,
    /// HTTP status the service answers with.
    pub http_status: u16,
    /// The `Message` the service returns.
    pub message: String,
    /// What the error means and what to do about it.
    pub description: String,
    /// Whether repeating the same request later can succeed (throttling, busy resource).
    #[serde(default)]
    pub retryable: bool,
    /// The request parameters whose bad value the service answers with this code (in the
    /// operations that document it) rather than the generic `InvalidParameter`: wire names, a
    /// list item's index written `N` (`Tag.N.Key`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalid_value_of: Vec<String>,
    /// Decisions taken where the sources disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `spec/shared.yaml` and every group file may define enums and structs; names are global.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedFile {
    /// Enums used by more than one group.
    #[serde(default)]
    pub enums: Vec<EnumSpec>,
    /// Structs used by more than one group.
    #[serde(default)]
    pub structs: Vec<StructSpec>,
}

/// `spec/groups/<id>.yaml`: one group of operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    /// Identifier, equal to the file stem and listed in `service.yaml`.
    pub id: String,
    /// Title used in the docs index, e.g. `VPN gateways`.
    pub title: String,
    /// What the operations of this group are for.
    #[serde(default)]
    pub description: String,
    /// Enums introduced by this group.
    #[serde(default)]
    pub enums: Vec<EnumSpec>,
    /// Structs introduced by this group (request list items, JSON parameters, response objects).
    #[serde(default)]
    pub structs: Vec<StructSpec>,
    /// The operations, in documentation order.
    pub operations: Vec<OperationSpec>,
}

/// A named set of allowed values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumSpec {
    /// Rust type name (UpperCamelCase), e.g. `Bandwidth`.
    pub name: String,
    /// Wire type of the values.
    #[serde(rename = "type")]
    pub wire_type: EnumWireType,
    /// What the enum describes.
    pub doc: String,
    /// The documented values.
    pub values: Vec<EnumValueSpec>,
    /// The service matches values regardless of case (string enums only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub case_insensitive: bool,
    /// Decisions taken where the sources disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The wire type of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnumWireType {
    /// Values are strings.
    String,
    /// Values are 32-bit integers.
    Integer,
    /// Values are 64-bit integers.
    Long,
}

impl EnumWireType {
    /// The scalar keyword of the values (`string`, `integer`, `long`).
    pub fn keyword(self) -> &'static str {
        match self {
            EnumWireType::String => "string",
            EnumWireType::Integer => "integer",
            EnumWireType::Long => "long",
        }
    }
}

/// One allowed value of an enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValueSpec {
    /// The value on the wire.
    pub value: Scalar,
    /// Rust variant name; required for integer enums, derived from the value otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the value means.
    pub doc: String,
}

/// A struct: the item of a `Tag.N.Key` list, a JSON-encoded parameter, or a response object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StructSpec {
    /// Rust type name (UpperCamelCase).
    pub name: String,
    /// What the struct describes.
    pub doc: String,
    /// Fields with their wire names.
    pub fields: Vec<Field>,
    /// Decisions taken where the sources disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One API operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    /// Wire-exact action name, e.g. `CreateVpnGateway`.
    pub action: String,
    /// One sentence, used as the first line of the docs.
    pub summary: String,
    /// Longer description.
    #[serde(default)]
    pub description: String,
    /// Usage notes, one paragraph each.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Where the operation is documented, e.g. `2020 API reference 4.1`.
    pub source: String,
    /// Name of the idempotency-token parameter (`ClientToken`), when the operation has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_token: Option<String>,
    /// The operation changes nothing, so a client may repeat it and a server need not remember
    /// its idempotency token. Normally imported (the metadata's `operationType: read`); set it
    /// here, with a `decisions` entry, where the metadata's class is wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// How results are paged, when they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationSpec>,
    /// How completion of an asynchronous operation is observed.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "async")]
    pub async_completion: Option<AsyncSpec>,
    /// Request parameters (common parameters excluded). Only the parameters with curated
    /// knowledge need to be written; the imported layer supplies the rest.
    #[serde(default)]
    pub parameters: Vec<Field>,
    /// Rules between parameters, e.g. "Period is required when InstanceChargeType is PREPAY".
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// Response fields (the top-level object); as for `parameters`, the imported layer
    /// supplies those not written here.
    #[serde(default)]
    pub response: Vec<Field>,
    /// Documented error codes; each must be in `errors.yaml`.
    #[serde(default)]
    pub errors: Vec<OperationErrorSpec>,
    /// A documented sample exchange.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<ExampleSpec>,
    /// Decisions taken where the sources disagree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<String>,
    /// The metadata the imported layer took this operation's facts from; set by the merge.
    #[serde(skip)]
    #[schemars(skip)]
    pub imported: Option<Provenance>,
}

/// A parameter, struct field or response field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire-exact name: the query key, JSON key or `N.Field` suffix.
    pub name: String,
    /// The value type and how it is encoded.
    #[serde(rename = "type")]
    pub ty: TypeRef,
    /// Whether the caller must set it (requests) or the service always returns it (responses).
    #[serde(default)]
    pub required: bool,
    /// Value the service assumes when the field is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    /// A documented example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Scalar>,
    /// What the field is.
    pub doc: String,
    /// Secret material (pre-shared keys): redacted in `Debug`, logs and errors.
    #[serde(default)]
    pub sensitive: bool,
    /// Machine-checkable constraints on the value.
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// Rust name override when the derived snake_case name is unusable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Requests, top level only: where the parameter travels. Normally taken from the imported
    /// layer; written here only to override it (with a `decision`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Decisions taken where the sources disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How a disagreement with the imported layer (the current API metadata) was settled: type,
    /// required, placement, bounds or value set. Without it, such a disagreement is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// Where the field's facts come from; set by the merge, never written in a file.
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
}

/// Which layer of the spec a field comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    /// Written by hand only (the 2020 reference and newer pages); not in the imported layer.
    #[default]
    Curated,
    /// Only in the imported layer: facts from the API metadata, no curated docs.
    Imported,
    /// In both layers: curated docs and decisions over imported facts.
    Both,
}

/// A field's type. Scalars are plain words (`string`); composite types are one-key maps
/// (`{enum: Bandwidth}`, `{list: string}`, `{json: IkeConfig}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TypeRepr", into = "TypeRepr")]
pub enum TypeRef {
    /// UTF-8 text.
    String,
    /// 32-bit signed integer.
    Integer,
    /// 64-bit signed integer.
    Long,
    /// `true` / `false`.
    Boolean,
    /// Floating-point number.
    Float,
    /// One of the values of the named enum.
    Enum(String),
    /// Request: repeated `Name.N` (scalars) or `Name.N.Field` (structs), N from 1.
    /// Response: a JSON array. The item is a scalar keyword, an enum or a struct name.
    List(String),
    /// Request only: the named struct encoded as a JSON string in one parameter.
    Json(String),
    /// Response only: a nested JSON object of the named struct.
    Object(String),
    /// Response only: the XML-derived wrapper `{"Wrapper": {"Item": [..]}}`.
    WrappedList(WrappedList),
    /// Request only: a list of scalars or enums joined with commas into one parameter
    /// (the metadata's `simple` style).
    CommaList(String),
}

/// How a [`TypeRef`] is written in YAML. serde_yaml spells externally tagged enums as YAML
/// tags (`!enum X`), which editors flag; a plain word or a one-key map reads better.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TypeRepr {
    /// A scalar keyword.
    Word(String),
    /// A one-key map naming the composite kind.
    Map(BTreeMap<String, serde_yaml::Value>),
}

const SCALAR_WORDS: &str = "string, integer, long, boolean, float";
const COMPOSITE_KEYS: &str = "enum, list, json, object, wrapped_list, comma_list";

impl TryFrom<TypeRepr> for TypeRef {
    type Error = String;

    fn try_from(repr: TypeRepr) -> Result<Self, String> {
        match repr {
            TypeRepr::Word(w) => match w.as_str() {
                "string" => Ok(TypeRef::String),
                "integer" => Ok(TypeRef::Integer),
                "long" => Ok(TypeRef::Long),
                "boolean" => Ok(TypeRef::Boolean),
                "float" => Ok(TypeRef::Float),
                other => Err(format!(
                    "unknown type `{other}`: expected one of {SCALAR_WORDS}, or a one-key map with key {COMPOSITE_KEYS}"
                )),
            },
            TypeRepr::Map(map) => {
                let mut entries = map.into_iter();
                let (Some((key, value)), None) = (entries.next(), entries.next()) else {
                    return Err(format!("a composite type is a map with exactly one key: {COMPOSITE_KEYS}"));
                };
                let name = |v: serde_yaml::Value| match v {
                    serde_yaml::Value::String(s) if !s.is_empty() => Ok(s),
                    _ => Err(format!("`{key}` takes a type name")),
                };
                match key.as_str() {
                    "enum" => Ok(TypeRef::Enum(name(value)?)),
                    "list" => Ok(TypeRef::List(name(value)?)),
                    "json" => Ok(TypeRef::Json(name(value)?)),
                    "object" => Ok(TypeRef::Object(name(value)?)),
                    "comma_list" => Ok(TypeRef::CommaList(name(value)?)),
                    "wrapped_list" => serde_yaml::from_value(value)
                        .map(TypeRef::WrappedList)
                        .map_err(|e| format!("wrapped_list: {e}")),
                    other => Err(format!("unknown composite type `{other}`: expected {COMPOSITE_KEYS}")),
                }
            }
        }
    }
}

impl From<TypeRef> for TypeRepr {
    fn from(t: TypeRef) -> Self {
        let word = |w: &str| TypeRepr::Word(w.to_owned());
        let map =
            |k: &str, v: serde_yaml::Value| TypeRepr::Map(BTreeMap::from([(k.to_owned(), v)]));
        match t {
            TypeRef::String => word("string"),
            TypeRef::Integer => word("integer"),
            TypeRef::Long => word("long"),
            TypeRef::Boolean => word("boolean"),
            TypeRef::Float => word("float"),
            TypeRef::Enum(n) => map("enum", n.into()),
            TypeRef::List(n) => map("list", n.into()),
            TypeRef::Json(n) => map("json", n.into()),
            TypeRef::Object(n) => map("object", n.into()),
            TypeRef::CommaList(n) => map("comma_list", n.into()),
            TypeRef::WrappedList(w) => map(
                "wrapped_list",
                serde_yaml::to_value(w).unwrap_or(serde_yaml::Value::Null),
            ),
        }
    }
}

/// The schema of a type is the schema of how it is written ([`TypeRepr`]'s words and one-key
/// maps), not of the Rust enum: deriving it would describe `String` and `{Enum: …}`, which the
/// loader refuses and an editor would then demand.
impl JsonSchema for TypeRef {
    fn schema_name() -> String {
        "TypeRef".to_owned()
    }

    fn json_schema(generator: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        TypeSchema::json_schema(generator)
    }
}

/// A field's type: a scalar keyword (`string`, `integer`, `long`, `boolean`, `float`) or a
/// one-key map (`{enum: Bandwidth}`, `{list: string}`, `{json: IkeConfig}`,
/// `{object: Detail}`, `{wrapped_list: {key: Item, item: Detail}}`, `{comma_list: string}`).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum TypeSchema {
    Scalar(ScalarWord),
    Composite(CompositeType),
}

/// Scalar type keywords.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum ScalarWord {
    String,
    Integer,
    Long,
    Boolean,
    Float,
}

/// Composite types, written as one-key maps.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum CompositeType {
    /// One of the values of the named enum.
    Enum(String),
    /// Repeated `Name.N` / `Name.N.Field` (requests) or a JSON array (responses).
    List(String),
    /// The named struct, JSON-encoded into one parameter (requests only).
    Json(String),
    /// A nested object (responses only).
    Object(String),
    /// An XML-derived list wrapper (responses only).
    WrappedList(WrappedList),
    /// A list joined with commas into one parameter (requests only).
    CommaList(String),
}

/// The inner key and item type of an XML-derived list wrapper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WrappedList {
    /// Inner key holding the array, e.g. `VpnGateway` in `VpnGateways.VpnGateway[]`.
    pub key: String,
    /// Item type: a scalar keyword, an enum or a struct name.
    pub item: String,
}

/// Constraints on one value. All are optional; an empty set is omitted from the YAML.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Inclusive numeric range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Bounds>,
    /// Inclusive length range in characters (strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Bounds>,
    /// Inclusive bounds on the number of items (lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Bounds>,
    /// The value must not start with any of these (e.g. `http://`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden_prefixes: Vec<String>,
    /// The value must not equal any of these (e.g. ports reserved by the gateway).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden_values: Vec<Scalar>,
    /// A well-known textual format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
}

impl Constraints {
    /// True when no constraint is set.
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }
}

/// Inclusive bounds; either end may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    /// Smallest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

/// Textual formats the SDK checks client-side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Dotted-quad IPv4 address.
    Ipv4,
    /// IPv4 CIDR block, e.g. `10.0.0.0/24`.
    Ipv4Cidr,
    /// Comma-separated IPv4 CIDR blocks.
    Ipv4CidrList,
    /// Alibaba resource name: starts with a letter or Chinese character; letters, Chinese
    /// characters, digits, `.`, `_` and `-`.
    Name,
    /// Free text that starts with a letter or Chinese character.
    Description,
    /// `YYYY-MM-DDThh:mm:ssZ` (or `YYYY-MM-DDThh:mmZ`), UTC.
    Timestamp,
    /// Printable ASCII without spaces (client tokens, pre-shared keys).
    Ascii,
}

impl Format {
    /// The shared definition the runtime checks values with.
    pub fn shared(self) -> vpn_gateway_formats::Format {
        use vpn_gateway_formats::Format as F;
        match self {
            Format::Ipv4 => F::Ipv4,
            Format::Ipv4Cidr => F::Ipv4Cidr,
            Format::Ipv4CidrList => F::Ipv4CidrList,
            Format::Name => F::Name,
            Format::Description => F::Description,
            Format::Timestamp => F::Timestamp,
            Format::Ascii => F::Ascii,
        }
    }
}

/// A conditional rule between parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The rule in words, as documented.
    pub doc: String,
    /// When the rule applies; absent means always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Every one of these parameters must be set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub require: Vec<String>,
    /// At least one of these parameters must be set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub require_any: Vec<String>,
    /// None of these parameters may be set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbid: Vec<String>,
}

/// The trigger of a rule: a parameter is set, optionally to a given value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The parameter that triggers the rule.
    pub param: String,
    /// The value that triggers it; absent means "is set to anything".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Scalar>,
}

/// How an operation pages its results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, tag = "style", rename_all = "snake_case")]
pub enum PaginationSpec {
    /// `PageNumber`/`PageSize` in, `TotalCount` out.
    PageNumber {
        /// Request parameter carrying the page number (from 1).
        page_number: String,
        /// Request parameter carrying the page size.
        page_size: String,
        /// Response field with the total number of items.
        total_count: String,
        /// Response field holding the items.
        items: String,
    },
    /// `NextToken`/`MaxResults` in, `NextToken` out; an empty token ends the listing.
    NextToken {
        /// Request parameter carrying the token.
        next_token: String,
        /// Request parameter carrying the page size.
        max_results: String,
        /// Response field carrying the next token.
        next_token_out: String,
        /// Response field holding the items.
        items: String,
    },
}

/// How to observe that an asynchronous operation has finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AsyncSpec {
    /// Operation to poll, e.g. `DescribeVpnGateway`.
    pub poll: String,
    /// Parameters of the poll operation and where their values come from:
    /// `request.<Param>` or `response.<Field>` of this operation.
    pub input: BTreeMap<String, String>,
    /// Response field of the poll operation holding the status.
    pub status_field: String,
    /// Status values meaning "still working".
    pub pending: Vec<String>,
    /// Status values meaning "done".
    pub success: Vec<String>,
    /// Status values meaning "failed for good".
    #[serde(default)]
    pub failure: Vec<String>,
    /// When set, completion of a delete is observed as this error code from the poll operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gone_error: Option<String>,
}

/// An error code an operation documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationErrorSpec {
    /// Code from the catalogue.
    pub code: String,
    /// What the error means for this operation, when it says more than the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The HTTP status this operation answers the code with, when it differs from the
    /// catalogue's (normally taken from the imported layer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Which layer documents the code; set by the merge, never written in a file.
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
}

/// A documented sample request and response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// Operation parameters of the sample request, wire key → value, exactly as sent: list
    /// parameters appear flattened (`ResourceId.1`, `Tag.1.Key`).
    pub request: BTreeMap<String, String>,
    /// The sample JSON response body.
    pub response: String,
}

/// A YAML scalar: the value of an enum, default, example or forbidden value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A non-integer number.
    Float(f64),
    /// Text.
    Str(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::Str(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::Format;

    /// The spec keyword of every format is the shared definition's keyword, both ways.
    #[test]
    fn format_keywords_match_the_shared_definition() {
        for shared in vpn_gateway_formats::Format::ALL {
            let parsed: Format = serde_yaml::from_str(shared.keyword()).unwrap();
            assert_eq!(parsed.shared(), *shared);
            assert_eq!(
                serde_yaml::to_string(&parsed).unwrap().trim(),
                shared.keyword()
            );
        }
    }
}
