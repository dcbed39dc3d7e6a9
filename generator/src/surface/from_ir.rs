//! [`ApiSurface::from_ir`]: the surface of the SDK the emitters generate from an IR.
//!
//! This is the only part of `surface` that reads the IR. What it needs beyond names and
//! types (where a parameter travels, how a list is encoded, an error's HTTP status, which
//! struct a field leads into, how the Rust emitters hold a field) is read by the small
//! functions in the first section, so an IR change is adapted there. The rest mirrors what
//! `emit/rust/` makes public, and says so where it repeats a decision of an emitter.

use super::{ApiSurface, Attr, Item, Key, Path, Scope, Segment};
use crate::ir::{
    ConstraintsIr, FieldIr, ItemIr, OperationErrorIr, OperationIr, PaginationIr, RuleIr, ScalarIr,
    ServiceIr, StructIr, TypeIr,
};
use crate::model::{Bounds, EnumWireType};
use crate::naming;
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// IR access: adapt these when the IR changes.
// ---------------------------------------------------------------------------------------------

/// Where a top-level parameter travels: the URL query or the form body.
fn placement(param: &FieldIr) -> Option<String> {
    Some(
        match param.location {
            crate::ir::Location::Query => "query",
            crate::ir::Location::Body => "body",
        }
        .to_owned(),
    )
}

/// How a parameter is encoded when its Rust type does not say it (a comma-joined list).
fn wire_form(param: &FieldIr) -> Option<String> {
    matches!(param.ty, TypeIr::CommaList(_)).then(|| "comma-joined".to_owned())
}

/// The HTTP status an operation documents for one of its error codes.
fn error_status(e: &OperationErrorIr) -> u16 {
    e.http_status
}

/// The struct a field's value leads into, and whether through the items of a list.
fn nested_struct(ty: &TypeIr) -> Option<(&str, bool)> {
    match ty {
        TypeIr::Json(n) | TypeIr::Object(n) => Some((n, false)),
        TypeIr::List(ItemIr::Struct(n))
        | TypeIr::WrappedList {
            item: ItemIr::Struct(n),
            ..
        } => Some((n, true)),
        _ => None,
    }
}

/// The type of a field as the generated struct declares it. Mirrors `emit/rust`: lists are
/// `Vec<T>`; only a required top-level response field is a plain `T` (`plain`); everything
/// else (inputs, struct fields, optional outputs) is `Option<T>`.
fn held_type(ty: &TypeIr, plain: bool) -> String {
    let value = value_type(ty);
    if matches!(
        ty,
        TypeIr::List(_) | TypeIr::WrappedList { .. } | TypeIr::CommaList(_)
    ) || plain
    {
        value
    } else {
        format!("Option<{value}>")
    }
}

/// The Rust type of a value, as users name it (`types::` left out).
fn value_type(ty: &TypeIr) -> String {
    match ty {
        TypeIr::Scalar(s) => scalar_type(*s).to_owned(),
        TypeIr::Enum(n, _) | TypeIr::Json(n) | TypeIr::Object(n) => n.clone(),
        TypeIr::List(i) | TypeIr::WrappedList { item: i, .. } | TypeIr::CommaList(i) => {
            format!("Vec<{}>", item_type(i))
        }
    }
}

fn item_type(i: &ItemIr) -> String {
    match i {
        ItemIr::Scalar(s) => scalar_type(*s).to_owned(),
        ItemIr::Enum(n) | ItemIr::Struct(n) => n.clone(),
    }
}

fn scalar_type(s: ScalarIr) -> &'static str {
    match s {
        ScalarIr::String => "String",
        ScalarIr::Integer => "i32",
        ScalarIr::Long => "i64",
        ScalarIr::Boolean => "bool",
        ScalarIr::Float => "f64",
    }
}

// ---------------------------------------------------------------------------------------------

/// Attribute names, each written once. `diff.rs` classifies changes by these names.
pub(super) mod attr {
    /// Rust field name.
    pub const RUST: &str = "rust";
    /// Held Rust type.
    pub const TYPE: &str = "type";
    /// Validation demands it.
    pub const REQUIRED: &str = "required";
    /// Secret: redacted in `Debug` output and logs.
    pub const SENSITIVE: &str = "sensitive";
    /// Where a top-level parameter travels.
    pub const IN: &str = "in";
    /// Wire encoding when the type does not say it.
    pub const WIRE: &str = "wire";
    /// Numeric bounds.
    pub const RANGE: &str = "range";
    /// Length bounds.
    pub const LENGTH: &str = "length";
    /// Item count bounds.
    pub const ITEMS: &str = "items";
    /// Textual format.
    pub const FORMAT: &str = "format";
    /// Forbidden prefixes.
    pub const NOT_PREFIX: &str = "not-prefix";
    /// Forbidden values.
    pub const NOT_VALUE: &str = "not-value";
    /// Client method of an operation.
    pub const METHOD: &str = "method";
    /// Safe to send twice.
    pub const RETRY_SAFE: &str = "retry-safe";
    /// Idempotency-token parameter.
    pub const TOKEN: &str = "token";
    /// Rust variant name (enum values, error codes).
    pub const VARIANT: &str = "variant";
    /// HTTP status of an error code.
    pub const STATUS: &str = "status";
    /// Retrying a refused request can succeed.
    pub const RETRYABLE: &str = "retryable";
    /// Pagination style.
    pub const STYLE: &str = "style";
    /// Paginator: the request field that points at a page (page number or token).
    pub const CURSOR: &str = "cursor";
    /// Paginator: the request field with the page size.
    pub const SIZE: &str = "size";
    /// Paginator: the response field with the total count.
    pub const TOTAL: &str = "total";
    /// Paginator: the response field with the next token.
    pub const NEXT: &str = "next";
    /// Paginator: the response field holding the items.
    pub const LIST: &str = "list";
    /// Paginated item type.
    pub const ITEM: &str = "item";
    /// Waiter: the polled status field.
    pub const FIELD: &str = "field";
    /// Waiter: success states.
    pub const SUCCESS: &str = "success";
    /// Waiter: failure states.
    pub const FAILURE: &str = "failure";
    /// Waiter: the error code meaning "gone".
    pub const GONE: &str = "gone";
    /// Waiter: the operations it is used after.
    pub const AFTER: &str = "after";
    /// Struct used in requests.
    pub const REQUEST: &str = "request";
    /// Struct read from responses.
    pub const RESPONSE: &str = "response";
    /// Struct sent as `Name.N.Field`.
    pub const FLAT: &str = "flat";
    /// Enum value kind.
    pub const KIND: &str = "kind";
    /// Enum matched regardless of case.
    pub const CASE_INSENSITIVE: &str = "case-insensitive";
    /// Service: product code.
    pub const PRODUCT: &str = "product";
    /// Service: API version.
    pub const VERSION: &str = "version";
    /// Service: default signature version.
    pub const SIGNATURE: &str = "signature";
    /// Service: global endpoint.
    pub const GLOBAL_ENDPOINT: &str = "global-endpoint";
    /// Service: regional endpoint pattern.
    pub const ENDPOINT_PATTERN: &str = "endpoint-pattern";
    /// Service: a region's endpoint host.
    pub const HOST: &str = "host";
}

/// Collects elements.
struct Surface<'a> {
    structs: BTreeMap<&'a str, &'a StructIr>,
    elements: BTreeMap<Key, Vec<Attr>>,
}

impl Surface<'_> {
    fn add(&mut self, scope: &Scope, item: Item, attrs: Vec<Attr>) {
        self.elements.insert(
            Key {
                scope: scope.clone(),
                item,
            },
            attrs,
        );
    }
}

pub(super) fn surface(ir: &ServiceIr) -> ApiSurface {
    let mut s = Surface {
        structs: ir.structs.iter().map(|s| (s.name.as_str(), s)).collect(),
        elements: BTreeMap::new(),
    };
    service(ir, &mut s);
    for op in ir.operations() {
        operation(op, &mut s);
    }
    waiters(ir, &mut s);
    for st in &ir.structs {
        structure(st, &mut s);
    }
    for e in &ir.enums {
        let scope = Scope::Enum(e.name.clone());
        let kind = match e.wire_type {
            EnumWireType::String => "string",
            // Both are `i64` in Rust (`as_i64`, `From<i64>`).
            _ => "integer",
        };
        let mut attrs = vec![Attr::new(attr::KIND, kind)];
        if e.case_insensitive {
            attrs.push(Attr::flag(attr::CASE_INSENSITIVE));
        }
        s.add(&scope, Item::Itself, attrs);
        for v in &e.values {
            s.add(
                &scope,
                Item::Value(v.wire.clone()),
                vec![Attr::new(attr::VARIANT, &v.variant)],
            );
        }
    }
    for e in &ir.errors {
        let mut attrs = vec![
            Attr::new(attr::VARIANT, &e.variant),
            Attr::new(attr::STATUS, e.http_status.to_string()),
        ];
        if e.retryable {
            attrs.push(Attr::flag(attr::RETRYABLE));
        }
        s.add(&Scope::Error(e.code.clone()), Item::Itself, attrs);
    }
    ApiSurface {
        elements: s.elements,
    }
}

fn service(ir: &ServiceIr, s: &mut Surface<'_>) {
    let signature = if ir.default_signature_v1 { "v1" } else { "v3" };
    s.add(
        &Scope::Service,
        Item::Itself,
        vec![
            Attr::new(attr::PRODUCT, &ir.product),
            Attr::new(attr::VERSION, &ir.api_version),
            Attr::new(attr::SIGNATURE, signature),
            Attr::new(attr::GLOBAL_ENDPOINT, &ir.global_endpoint),
            Attr::new(attr::ENDPOINT_PATTERN, &ir.endpoint_pattern),
        ],
    );
    for (region, host) in &ir.regional_endpoints {
        s.add(
            &Scope::Service,
            Item::Endpoint(region.clone()),
            vec![Attr::new(attr::HOST, host)],
        );
    }
}

fn operation(op: &OperationIr, s: &mut Surface<'_>) {
    let scope = Scope::Operation(op.names.wire.clone());
    let mut attrs = vec![Attr::new(attr::METHOD, &op.names.snake)];
    if op.retry_safe {
        attrs.push(Attr::flag(attr::RETRY_SAFE));
    }
    if let Some(token) = &op.idempotency_token {
        attrs.push(Attr::new(attr::TOKEN, &token.wire));
    }
    s.add(&scope, Item::Itself, attrs);

    fields(s, &scope, Side::Request, &[], &op.params, &mut Vec::new());
    fields(
        s,
        &scope,
        Side::Response,
        &[],
        &op.response,
        &mut Vec::new(),
    );
    for e in &op.errors {
        s.add(
            &scope,
            Item::Error(e.error.code.clone()),
            vec![
                Attr::new(attr::VARIANT, &e.error.variant),
                Attr::new(attr::STATUS, error_status(e).to_string()),
            ],
        );
    }
    for r in &op.rules {
        s.add(&scope, Item::Rule(rule_words(r)), Vec::new());
    }
    if let Some(p) = &op.pagination {
        let attrs = match p {
            PaginationIr::PageNumber {
                page_number,
                page_size,
                total_count,
                items,
                item,
                ..
            } => vec![
                Attr::new(attr::STYLE, "page-number"),
                Attr::new(attr::CURSOR, &page_number.snake),
                Attr::new(attr::SIZE, &page_size.snake),
                Attr::new(attr::TOTAL, &total_count.snake),
                Attr::new(attr::LIST, &items.snake),
                Attr::new(attr::ITEM, item_type(item)),
            ],
            PaginationIr::NextToken {
                next_token,
                max_results,
                next_token_out,
                items,
                item,
                ..
            } => vec![
                Attr::new(attr::STYLE, "next-token"),
                Attr::new(attr::CURSOR, &next_token.snake),
                Attr::new(attr::SIZE, &max_results.snake),
                Attr::new(attr::NEXT, &next_token_out.snake),
                Attr::new(attr::LIST, &items.snake),
                Attr::new(attr::ITEM, item_type(item)),
            ],
        };
        s.add(&scope, Item::Paginator, attrs);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// Every field of `list` below `prefix`, and recursively the fields of the structs they lead
/// into (`stack` holds the structs on the way, so a struct that contains itself stops).
fn fields(
    s: &mut Surface<'_>,
    scope: &Scope,
    side: Side,
    prefix: &[Segment],
    list: &[FieldIr],
    stack: &mut Vec<String>,
) {
    for f in list {
        let mut path = prefix.to_vec();
        path.push(Segment {
            name: f.names.wire.clone(),
            list: false,
        });
        let top = prefix.is_empty();
        let attrs = match side {
            Side::Request => request_attrs(f, top),
            Side::Response => {
                let plain = top && f.required;
                let mut attrs = vec![
                    Attr::new(attr::RUST, &f.names.snake),
                    Attr::new(attr::TYPE, held_type(&f.ty, plain)),
                ];
                if f.sensitive {
                    attrs.push(Attr::flag(attr::SENSITIVE));
                }
                attrs
            }
        };
        let item = match side {
            Side::Request => Item::Param(Path(path.clone())),
            Side::Response => Item::Response(Path(path.clone())),
        };
        s.add(scope, item, attrs);
        let Some((name, through_list)) = nested_struct(&f.ty) else {
            continue;
        };
        let Some(st) = s.structs.get(name).copied() else {
            continue;
        };
        if stack.iter().any(|n| n == name) {
            continue;
        }
        if let Some(last) = path.last_mut() {
            last.list = through_list;
        }
        stack.push(name.to_owned());
        fields(s, scope, side, &path, &st.fields, stack);
        stack.pop();
    }
}

/// A request field: its name, type, whether validation demands it, where a top-level one
/// travels, and the constraints checked before sending.
fn request_attrs(f: &FieldIr, top: bool) -> Vec<Attr> {
    let mut attrs = vec![
        Attr::new(attr::RUST, &f.names.snake),
        Attr::new(attr::TYPE, held_type(&f.ty, false)),
    ];
    if f.required {
        attrs.push(Attr::flag(attr::REQUIRED));
    }
    if f.sensitive {
        attrs.push(Attr::flag(attr::SENSITIVE));
    }
    if top {
        if let Some(p) = placement(f) {
            attrs.push(Attr::new(attr::IN, p));
        }
        if let Some(w) = wire_form(f) {
            attrs.push(Attr::new(attr::WIRE, w));
        }
    }
    constraints(&f.constraints, &mut attrs);
    attrs
}

fn constraints(c: &ConstraintsIr, attrs: &mut Vec<Attr>) {
    for (name, bounds) in [
        (attr::RANGE, c.range),
        (attr::LENGTH, c.length),
        (attr::ITEMS, c.items),
    ] {
        if let Some(b) = bounds {
            attrs.push(Attr::new(name, bounds_text(b)));
        }
    }
    if let Some(f) = c.format {
        attrs.push(Attr::new(
            attr::FORMAT,
            naming::snake_name(&format!("{f:?}")),
        ));
    }
    // Sets: sorted, so reordering the spec's list changes nothing.
    for (name, values) in [
        (attr::NOT_PREFIX, &c.forbidden_prefixes),
        (attr::NOT_VALUE, &c.forbidden_values),
    ] {
        if !values.is_empty() {
            let mut values = values.clone();
            // Numbers in numeric order, then text.
            values.sort_by_key(|v| match v.parse::<i64>() {
                Ok(n) => (false, n, String::new()),
                Err(_) => (true, 0, v.clone()),
            });
            values.dedup();
            attrs.push(Attr::list(name, values));
        }
    }
}

/// `1..=50`, `2..`, `..=20`, `..`: Rust's inclusive range notation.
pub(super) fn bounds_text(b: Bounds) -> String {
    let lo = b.min.map(|v| v.to_string()).unwrap_or_default();
    match b.max {
        Some(hi) => format!("{lo}..={hi}"),
        None => format!("{lo}.."),
    }
}

/// `when X = V require A B`, `when X set forbid Y`, `always require-any A B`.
fn rule_words(r: &RuleIr) -> Vec<String> {
    let mut words = Vec::new();
    match &r.when {
        None => words.push("always".to_owned()),
        Some((f, None)) => words.extend(["when".to_owned(), f.wire.clone(), "set".to_owned()]),
        Some((f, Some(v))) => {
            words.extend(["when".to_owned(), f.wire.clone(), "=".to_owned(), v.clone()]);
        }
    }
    for (verb, refs) in [
        ("require", &r.require),
        ("require-any", &r.require_any),
        ("forbid", &r.forbid),
    ] {
        if !refs.is_empty() {
            words.push(verb.to_owned());
            words.extend(refs.iter().map(|f| f.wire.clone()));
        }
    }
    words
}

/// The `wait_until_*` methods on the builders of polled operations, as the IR merges them.
/// States and the operations a waiter is used after are sets here: sorted, so reordering the
/// spec changes nothing.
fn waiters(ir: &ServiceIr, s: &mut Surface<'_>) {
    for poll in ir.operations() {
        for w in &poll.waiters {
            let mut attrs = Vec::new();
            if let Some(status) = &w.status {
                attrs.push(Attr::new(attr::FIELD, &status.wire));
            }
            for (name, values) in [(attr::SUCCESS, &w.success), (attr::FAILURE, &w.failure)] {
                if !values.is_empty() {
                    attrs.push(Attr::list(name, sorted(values)));
                }
            }
            if let Some(code) = &w.gone_error {
                attrs.push(Attr::new(attr::GONE, code));
            }
            attrs.push(Attr::list(attr::AFTER, sorted(&w.used_after)));
            s.add(
                &Scope::Operation(poll.names.wire.clone()),
                Item::Waiter(w.method.clone()),
                attrs,
            );
        }
    }
}

fn sorted(values: &[String]) -> Vec<String> {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    values
}

/// A struct, its roles (which decide its methods in `emit/rust/types.rs`: `new` and setters
/// for request structs, named `with_*` when also read from responses, accessors for response
/// structs, `from_wire_params` for flat ones) and its direct fields.
fn structure(st: &StructIr, s: &mut Surface<'_>) {
    let scope = Scope::Struct(st.name.clone());
    let request = st.uses.flat_request || st.uses.json_request;
    let response = st.uses.response || !request;
    let mut roles = Vec::new();
    if request {
        roles.push(Attr::flag(attr::REQUEST));
    }
    if response {
        roles.push(Attr::flag(attr::RESPONSE));
    }
    if st.uses.flat_request {
        roles.push(Attr::flag(attr::FLAT));
    }
    s.add(&scope, Item::Itself, roles);
    for f in &st.fields {
        let mut attrs = vec![
            Attr::new(attr::RUST, &f.names.snake),
            Attr::new(attr::TYPE, held_type(&f.ty, false)),
        ];
        // Required-ness and constraints are checked only when the struct is sent.
        if request && f.required {
            attrs.push(Attr::flag(attr::REQUIRED));
        }
        if f.sensitive {
            attrs.push(Attr::flag(attr::SENSITIVE));
        }
        if request {
            constraints(&f.constraints, &mut attrs);
        }
        s.add(&scope, Item::Field(f.names.wire.clone()), attrs);
    }
}
