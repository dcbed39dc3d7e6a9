//! The SDK's public API as a sorted set of elements, and what a change to it means.
//!
//! Reviewers of a spec change see thousands of lines of generated Rust; the API surface says
//! what changed for the SDK's users in a few lines. It is built from the IR
//! ([`ApiSurface::from_ir`], in `from_ir.rs`, the only part that reads the IR), written as the
//! checked-in `generated-sdk/api-surface.txt` ([`ApiSurface::render`], in `text.rs`), read back
//! ([`ApiSurface::parse`]), and compared ([`diff`], in `diff.rs`, which holds every breaking
//! rule in one place).
//!
//! # The file format
//!
//! One element per line, sorted; lines starting with `//` are comments. An element is a key,
//! then, after `: `, its attributes separated by `, `; an attribute is a name and its values,
//! separated by spaces (flags have no values):
//!
//! ```text
//! service: product Vpc, version 2016-04-28, signature v3, global-endpoint vpc.aliyuncs.com, endpoint-pattern vpc.{region}.aliyuncs.com
//! service endpoint cn-hangzhou: host vpc.aliyuncs.com
//! operation CreateVpnGateway: method create_vpn_gateway
//! operation CreateVpnGateway param Bandwidth: rust bandwidth, type Option<Bandwidth>, required, in query
//! operation CreateVpnGateway param Name: rust name, type Option<String>, in query, length 2..=128, format name, not-prefix "http://" "https://"
//! operation CreateVpnGateway response VpnGatewayId: rust vpn_gateway_id, type String
//! operation CreateVpnGateway error Resource.QuotaFull: variant ResourceQuotaFull, status 400
//! operation CreateVpnGateway rule when InstanceChargeType = PREPAY require Period
//! operation DescribeVpnGateway waiter wait_until_active: field Status, success active, after CreateVpnGateway CreateVpnRouteEntry
//! operation DescribeVpnGateways response VpnGateways[].Status: rust status, type Option<VpnGatewayStatus>
//! operation DescribeVpnGateways paginator: style page-number, cursor page_number, size page_size, total total_count, list vpn_gateways, item VpnGateway
//! operation TagResources param Tag[].Key: rust key, type Option<String>, required, length 1..=64, format name, not-prefix "acs:" aliyun "http://" "https://"
//! struct IkeConfig: request
//! struct IkeConfig field Psk: rust psk, type Option<String>, sensitive, length ..=100, format ascii
//! enum Bandwidth: kind integer
//! enum Bandwidth value 5: variant Mbps5
//! error VpnGateway.Configuring: variant VpnGatewayConfiguring, status 400, retryable
//! ```
//!
//! - Field paths are wire names joined by `.`; `[]` after a name means "each item of this
//!   list" (`Tag[].Key` is sent as `Tag.1.Key`; `VpnGateways[].Status` is read from every item).
//!   Request parameters and response fields are listed at every depth, so a change inside a
//!   shared struct shows up under each operation it reaches.
//! - `type` is the field's type as declared in the generated Rust struct (`Option<T>`, `Vec<T>`,
//!   or a plain `T` for a response field that is always present); `required` marks what the
//!   SDK's validation demands before sending; `sensitive` marks a secret redacted in `Debug`
//!   output and logs; `in` is where a top-level parameter travels.
//! - Constraints checked before sending: `range`, `length` and `items` (inclusive bounds,
//!   `1..=50`, `2..`, `..=20`), `format`, `not-prefix` and `not-value` (each with its values).
//! - A name or value that contains a space, `,`, `:`, `"`, `\` or a character outside printable
//!   ASCII (and, inside a path, `.`, `[` or `]`) is written as a JSON string literal.
//! - The order is the order of [`Key`]: service, operations, structs, enums, error codes; within
//!   an operation: itself, parameters, response fields, errors, rules, paginator, waiters.

mod diff;
mod from_ir;
mod text;

pub use diff::{diff, summary, ApiChange, Change};
pub use text::SurfaceParseError;

use crate::emit::GeneratedFile;
use crate::ir::ServiceIr;
use std::collections::BTreeMap;
use std::fmt;

/// Where the surface is written, relative to the generated crate's root.
pub const SURFACE_FILE: &str = "api-surface.txt";

/// The SDK-visible API: every element with its attributes, sorted by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiSurface {
    /// Element key → attributes.
    pub elements: BTreeMap<Key, Vec<Attr>>,
}

/// What an element belongs to: the first part of its key, and the unit changes are grouped by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Service metadata (`METADATA`): product, version, endpoints.
    Service,
    /// An operation by action: its client method, input, output, errors, paginator, waiters.
    Operation(String),
    /// A shared struct by name (`types::Name`).
    Struct(String),
    /// A shared enum by name (`types::Name`).
    Enum(String),
    /// A code of the service-wide error catalogue (`ErrorCode`).
    Error(String),
}

/// One element within a [`Scope`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// The scope itself (the operation, struct, enum, error code or service).
    Itself,
    /// A regional endpoint of the service, by region.
    Endpoint(String),
    /// A request parameter of an operation, at any depth.
    Param(Path),
    /// A response field of an operation, at any depth.
    Response(Path),
    /// An error code an operation documents (a variant of its error enum).
    Error(String),
    /// A conditional rule between an operation's parameters, as canonical words
    /// (`when X = V require A B`).
    Rule(Vec<String>),
    /// An operation's paginator (`into_paginator`, `into_items`).
    Paginator,
    /// A waiter method on an operation's builder, by method name.
    Waiter(String),
    /// A field of a struct, by wire name.
    Field(String),
    /// A value of an enum, by wire value.
    Value(String),
}

/// A field path: wire names from the operation down.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path(pub Vec<Segment>);

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Segment {
    /// Wire name.
    pub name: String,
    /// The path continues into each item of this list (`Name[]`).
    pub list: bool,
}

/// The identity of an element: what stays the same when its attributes change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// What it belongs to.
    pub scope: Scope,
    /// What it is within that.
    pub item: Item,
}

/// One attribute of an element: a name and its values (none for a flag).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Attr {
    /// Attribute name, e.g. `type`, `required`, `length`.
    pub name: String,
    /// Values, e.g. `["Option<String>"]`; empty for a flag.
    pub values: Vec<String>,
}

impl Attr {
    /// An attribute with one value.
    pub fn new(name: &str, value: impl Into<String>) -> Attr {
        Attr {
            name: name.to_owned(),
            values: vec![value.into()],
        }
    }

    /// A flag (an attribute without values).
    pub fn flag(name: &str) -> Attr {
        Attr {
            name: name.to_owned(),
            values: Vec::new(),
        }
    }

    /// An attribute with several values.
    pub fn list(name: &str, values: impl IntoIterator<Item = impl Into<String>>) -> Attr {
        Attr {
            name: name.to_owned(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }
}

impl Key {
    /// The element this one is part of: a nested field's parent field, an operation's
    /// parameter's operation, an enum value's enum. `None` for a scope itself.
    pub fn parent(&self) -> Option<Key> {
        let item = match &self.item {
            Item::Itself => return None,
            Item::Param(p) => p.parent().map_or(Item::Itself, Item::Param),
            Item::Response(p) => p.parent().map_or(Item::Itself, Item::Response),
            _ => Item::Itself,
        };
        Some(Key {
            scope: self.scope.clone(),
            item,
        })
    }
}

impl Path {
    /// The path of the enclosing field, if this one is nested.
    pub fn parent(&self) -> Option<Path> {
        let (_, init) = self.0.split_last()?;
        let mut init = init.to_vec();
        let last = init.last_mut()?;
        last.list = false;
        Some(Path(init))
    }

    /// A top-level field (a parameter or response field of the operation itself).
    pub fn is_top_level(&self) -> bool {
        self.0.len() == 1
    }
}

impl ApiSurface {
    /// The surface of the SDK generated from `ir`.
    pub fn from_ir(ir: &ServiceIr) -> ApiSurface {
        from_ir::surface(ir)
    }

    /// The attributes of `key`, if the surface has that element.
    pub fn get(&self, key: &Key) -> Option<&[Attr]> {
        self.elements.get(key).map(Vec::as_slice)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text::render_key(self))
    }
}

impl fmt::Display for Attr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text::render_attr(self))
    }
}

/// `generated-sdk/api-surface.txt` for `ir`: the generated header, a line on the format, then
/// [`ApiSurface::render`].
pub(crate) fn emit_file(ir: &ServiceIr) -> GeneratedFile {
    let contents = format!(
        "{}// The SDK's public API, one element per line (format: generator/src/surface/mod.rs). `cargo xtask codegen` prints what a change means for users.\n{}",
        crate::emit::header(SURFACE_FILE),
        ApiSurface::from_ir(ir).render()
    );
    GeneratedFile {
        path: SURFACE_FILE.to_owned(),
        contents,
    }
}
