//! The imported layer: `spec/imported/<Action>.yaml`, one file per operation, written only by
//! the importer (`cargo xtask import-openapi`) from Alibaba's published API metadata.
//!
//! The spec has two layers. The curated layer (`spec/groups/*.yaml`, `errors.yaml`, ...) is
//! written by hand: docs in the project's own words, decisions, constraints, rules, pagination,
//! async completion, enum value names. The imported layer is a faithful, mechanical copy of the
//! metadata's facts (wire names, types, nesting, placement, bounds, error codes with their
//! per-operation HTTP status) and nothing else: it carries no prose, so the metadata's
//! descriptions never enter `spec/`. The loader merges the two (see `crate::merge`); the
//! importer never writes a curated file, so it cannot lose curated knowledge, and re-running it
//! on the same metadata reproduces these files byte for byte.
//!
//! Every file records its provenance: which metadata file, product, version and publication
//! date its facts come from.

use crate::model::{Constraints, PaginationSpec, Scalar};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Directory, inside the spec directory, that holds the imported layer.
pub const IMPORTED_DIR: &str = "imported";

/// `spec/imported/<Action>.yaml`: the metadata's facts about one operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportedOperation {
    /// Wire-exact action name, equal to the file stem.
    pub action: String,
    /// Where these facts come from.
    pub provenance: Provenance,
    /// The metadata marks the operation deprecated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// The metadata classes the operation as a read (`operationType: read`): it changes nothing,
    /// so repeating it is always safe.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// Request parameters, in the metadata's order (common parameters excluded).
    #[serde(default)]
    pub parameters: Vec<ImportedField>,
    /// Response fields of the top-level object, in the metadata's order.
    #[serde(default)]
    pub response: Vec<ImportedField>,
    /// Error codes with the HTTP status this operation answers them with, sorted by code.
    #[serde(default)]
    pub errors: Vec<ImportedError>,
    /// Facts the metadata does not state but that follow reliably from it.
    #[serde(default, skip_serializing_if = "Inferred::is_empty")]
    pub inferred: Inferred,
}

/// The source of an imported file's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// File name of the metadata, e.g. `vpc-2016-04-28.en_us.json`.
    pub metadata: String,
    /// Product code, e.g. `Vpc`.
    pub product: String,
    /// API version, e.g. `2016-04-28`.
    pub version: String,
    /// Publication date of the metadata, `YYYY-MM-DD`.
    pub published: String,
}

/// A request parameter, struct field, response field or list item, as the metadata states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportedField {
    /// Wire-exact name; absent for a list item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The shape of the value.
    #[serde(rename = "type")]
    pub ty: ImportedKind,
    /// For `list`, `comma_list`, `json` (of a list) and `wrapped_list`: the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Box<ImportedField>>,
    /// For `object` and `json` (of an object): the fields, in the metadata's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<ImportedField>,
    /// For `wrapped_list`: the inner key holding the array (`VpnGateway` in
    /// `VpnGateways.VpnGateway[]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Requests: the caller must set it. Responses: not stated by the metadata (always false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Requests, top level only: where the parameter travels.
    #[serde(default, skip_serializing_if = "Location::is_query")]
    pub location: Location,
    /// Secret material (pre-shared keys, BGP auth keys, passwords): inferred from the name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// The metadata marks the field deprecated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Value the service assumes when the field is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    /// The metadata's example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Scalar>,
    /// The metadata's explicit value list (`enum`), when it has one; most value sets are only
    /// stated in prose and are curated by hand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Scalar>,
    /// Bounds the metadata states (`minimum`/`maximum`, `minLength`/`maxLength`,
    /// `minItems`/`maxItems`).
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
}

/// The shape of an imported value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportedKind {
    /// UTF-8 text.
    String,
    /// 32-bit integer (`integer`/`int32`).
    Integer,
    /// 64-bit integer (`integer`/`int64`).
    Long,
    /// Boolean.
    Boolean,
    /// Floating-point number.
    Float,
    /// Requests: repeated `Name.N` (the metadata's `repeatList` and `flat` styles for arrays).
    /// Responses: a JSON array.
    List,
    /// Requests: a struct sent flat as `Name.Field` (the `flat` style for objects), or the item
    /// of a list (`Name.N.Field`). Responses: a nested JSON object.
    Object,
    /// Requests: a list joined with commas into one parameter (the `simple` style).
    CommaList,
    /// Requests: a value JSON-encoded into one parameter (the `json` style).
    Json,
    /// Responses: the XML-derived wrapper `{"Wrapper": {"Item": [..]}}`.
    WrappedList,
}

/// Where a request parameter travels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// The URL query (the metadata's `in: query`).
    #[default]
    Query,
    /// The form-encoded body (the metadata's `in: formData`).
    Body,
}

impl Location {
    /// True for the default placement (used to omit it from files).
    pub fn is_query(&self) -> bool {
        *self == Location::Query
    }
}

/// An error code an operation answers with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportedError {
    /// The `Code` on the wire.
    pub code: String,
    /// The HTTP status this operation answers it with.
    pub http_status: u16,
    /// The `Message` the service returns (a wire fact, not documentation).
    pub message: String,
}

/// Facts inferred from the metadata by rules that the importer's tests check against the
/// curated spec.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inferred {
    /// `ClientToken` among the parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_token: Option<String>,
    /// `PageNumber`/`PageSize` in and `TotalCount` (or, without it, `Count`) out, or
    /// `NextToken`/`MaxResults` in and `NextToken` out; the items are the one list among the
    /// response fields or, of several, the one named after the action (see
    /// `crate::import::infer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationSpec>,
}

impl Inferred {
    /// True when nothing was inferred.
    pub fn is_empty(&self) -> bool {
        self == &Inferred::default()
    }
}
