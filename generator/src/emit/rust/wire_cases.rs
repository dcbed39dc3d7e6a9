//! `src/wire_cases.rs`: every operation sent once with every parameter set (nested structs
//! included), through the public fluent API, to a capturing transport.
//!
//! The test checks that no value is lost on the way to the wire and, when
//! `VPN_GATEWAY_WIRE_CASES` names a file, writes each case (the values by wire name, as
//! Alibaba's official Python SDK takes them, and the query and form-body parameters our SDK
//! sent) there. `tests/wire_parity/official_wire.py` then builds the same requests with the
//! official SDK and compares name, value and placement of every parameter.
//!
//! Values are synthetic and deterministic: each satisfies its field's documented constraints,
//! so validation passes and every parameter reaches the wire.

use super::{doc_text, ident};
use crate::ir::{FieldIr, ItemIr, OperationIr, ScalarIr, ServiceIr, StructIr, TypeIr};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// How deep synthetic values nest before a struct is left empty (guards against recursion).
const MAX_DEPTH: usize = 6;

/// The module, or `None` when the spec has no operations.
pub(super) fn emit_wire_cases(ir: &ServiceIr) -> Option<TokenStream> {
    let ops: Vec<&OperationIr> = ir.operations().collect();
    if ops.is_empty() {
        return None;
    }
    let synth = Synth::new(ir);
    let mut sends = Vec::new();
    let mut cases = Vec::new();
    for op in &ops {
        let (calls, values) = synth.operation(op);
        let method = ident(&op.names.snake);
        sends.push(quote! {
            // Only the request matters: the transport has no answer to give.
            let _ = client.#method() #(#calls)* .send().await;
        });
        let action = &op.names.wire;
        let values = serde_json::Value::Object(values).to_string();
        cases.push(quote!((#action, #values)));
    }
    let module_doc = doc_text(
        "Every operation with every parameter set, sent through the public API: nothing is \
         lost on the way to the wire, and the cases can be compared with Alibaba's official \
         SDK (`tests/wire_parity/official_wire.py`).",
    );
    let module_doc = module_doc.lines().map(|l| {
        let l = format!(" {l}");
        quote!(#![doc = #l])
    });
    Some(quote! {
        #(#module_doc)*
        use crate::runtime::transport::test_util::{CapturedRequest, ReplayTransport};

        /// (action, the values by wire name as the official SDK's `from_map` takes them).
        const CASES: &[(&str, &str)] = &[#(#cases),*];

        fn client(transport: &ReplayTransport) -> crate::Client {
            let config = crate::Config::builder()
                .region("cn-hangzhou")
                .credentials(crate::Credentials::new("wire-case-id", "wire-case-secret"))
                .retry_policy(crate::runtime::RetryPolicy::disabled())
                .signature_version(crate::runtime::SignatureVersion::V3)
                .transport(transport.clone())
                .build();
            match config {
                Ok(config) => crate::Client::new(config),
                Err(e) => panic!("test configuration rejected: {e}"),
            }
        }

        /// The number of scalar values in a case: each must become one wire parameter.
        fn leaves(value: &serde_json::Value) -> usize {
            match value {
                serde_json::Value::Array(items) => items.iter().map(leaves).sum(),
                serde_json::Value::Object(fields) => fields.values().map(leaves).sum(),
                _ => 1,
            }
        }

        fn as_object(pairs: Vec<(String, String)>) -> serde_json::Value {
            serde_json::Value::Object(
                pairs.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect(),
            )
        }

        fn case(request: &CapturedRequest, action: &str, values: &str) -> serde_json::Value {
            let values: serde_json::Value =
                serde_json::from_str(values).expect("the generated values are JSON");
            // V3 carries the action, version and signature in headers: the query and the
            // form body hold the operation's parameters only.
            let query = request.http().query_params();
            let body = request.http().form_params();
            assert_eq!(request.action().as_deref(), Some(action));
            assert_eq!(
                query.len() + body.len(),
                leaves(&values),
                "{action}: every value set becomes exactly one wire parameter"
            );
            serde_json::json!({
                "action": action,
                "values": values,
                "wire": { "query": as_object(query), "body": as_object(body) },
            })
        }

        #[tokio::test]
        async fn every_operation_sends_every_parameter() {
            let transport = ReplayTransport::new();
            let client = client(&transport);
            #(#sends)*
            let requests = transport.requests();
            assert_eq!(requests.len(), CASES.len(), "one request per operation");
            let cases: Vec<serde_json::Value> = requests
                .iter()
                .zip(CASES)
                .map(|(request, (action, values))| case(request, action, values))
                .collect();
            if let Some(path) = std::env::var_os("VPN_GATEWAY_WIRE_CASES") {
                let text = serde_json::json!({ "cases": cases }).to_string();
                std::fs::write(&path, text).expect("the cases file is writable");
            }
        }
    })
}

/// Synthetic values for the fields of one spec.
struct Synth<'a> {
    structs: BTreeMap<&'a str, &'a StructIr>,
    enums: BTreeMap<&'a str, &'a crate::ir::EnumIr>,
}

/// One synthetic value: how the fluent API receives it and how the official SDK takes it.
struct Value {
    rust: TokenStream,
    json: serde_json::Value,
    /// Compact JSON with object keys in field order, as the SDK encodes a JSON parameter
    /// (`json` sorts its keys).
    ordered: String,
}

impl Value {
    fn scalar(rust: TokenStream, json: serde_json::Value) -> Self {
        let ordered = json.to_string();
        Value {
            rust,
            json,
            ordered,
        }
    }
}

impl<'a> Synth<'a> {
    fn new(ir: &'a ServiceIr) -> Self {
        Synth {
            structs: ir.structs.iter().map(|s| (s.name.as_str(), s)).collect(),
            enums: ir.enums.iter().map(|e| (e.name.as_str(), e)).collect(),
        }
    }

    /// The builder calls and the values object of one operation.
    fn operation(
        &self,
        op: &OperationIr,
    ) -> (Vec<TokenStream>, serde_json::Map<String, serde_json::Value>) {
        let mut calls = Vec::new();
        let mut values = serde_json::Map::new();
        for f in &op.params {
            let Some(v) = self.field(f, 0) else { continue };
            let setter = match &f.ty {
                TypeIr::List(_) | TypeIr::CommaList(_) | TypeIr::WrappedList { .. } => {
                    ident(&f.names.list_setter())
                }
                _ => ident(&f.names.snake),
            };
            let rust = &v.rust;
            calls.push(quote!(.#setter(#rust)));
            values.insert(f.names.wire.clone(), v.json);
        }
        (calls, values)
    }

    /// A value for `f`, or `None` for a struct with nothing to set.
    fn field(&self, f: &FieldIr, depth: usize) -> Option<Value> {
        match &f.ty {
            TypeIr::Scalar(s) => Some(self.scalar(*s, f)),
            TypeIr::Enum(name, _) => self.enum_value(name),
            TypeIr::Object(name) => self.structure(name, depth),
            TypeIr::Json(name) => {
                let v = self.structure(name, depth)?;
                Some(Value::scalar(v.rust, serde_json::Value::String(v.ordered)))
            }
            TypeIr::List(item) | TypeIr::CommaList(item) | TypeIr::WrappedList { item, .. } => {
                let count = f
                    .constraints
                    .items
                    .and_then(|b| b.max)
                    .map_or(2, |max| max.clamp(1, 2));
                let items: Vec<Value> = (0..count)
                    .filter_map(|i| self.item(item, f, depth, i))
                    .collect();
                if items.is_empty() {
                    return None;
                }
                let rust = items.iter().map(|v| &v.rust);
                let ordered: Vec<&str> = items.iter().map(|v| v.ordered.as_str()).collect();
                Some(Value {
                    rust: quote!(vec![#(#rust),*]),
                    json: serde_json::Value::Array(items.iter().map(|v| v.json.clone()).collect()),
                    ordered: format!("[{}]", ordered.join(",")),
                })
            }
        }
    }

    fn item(&self, item: &ItemIr, f: &FieldIr, depth: usize, index: i64) -> Option<Value> {
        match item {
            ItemIr::Scalar(s) => {
                let mut v = self.scalar(*s, f);
                if *s == ScalarIr::String {
                    // Distinct items, so a reordering would show.
                    let text = format!("{}{index}", v.json.as_str().unwrap_or_default());
                    v = Value::scalar(quote!(#text.to_owned()), serde_json::Value::String(text));
                }
                Some(v)
            }
            ItemIr::Enum(name) => self.enum_value(name),
            ItemIr::Struct(name) => self.structure(name, depth),
        }
    }

    fn enum_value(&self, name: &str) -> Option<Value> {
        let e = self.enums.get(name)?;
        let first = e.values.first()?;
        let ty = ident(name);
        let variant = ident(&first.variant);
        let json = match e.wire_type {
            crate::ir::EnumWireType::String => serde_json::Value::String(first.wire.clone()),
            _ => first
                .wire
                .parse::<i64>()
                .map(serde_json::Value::from)
                .unwrap_or_else(|_| serde_json::Value::String(first.wire.clone())),
        };
        Some(Value::scalar(quote!(crate::types::#ty::#variant), json))
    }

    fn structure(&self, name: &str, depth: usize) -> Option<Value> {
        let s = self.structs.get(name)?;
        if depth >= MAX_DEPTH {
            return None;
        }
        let request = s.uses.flat_request || s.uses.json_request;
        let response = s.uses.response || !request;
        let mut calls = Vec::new();
        let mut json = serde_json::Map::new();
        let mut ordered = Vec::new();
        for f in &s.fields {
            let Some(v) = self.field(f, depth + 1) else {
                continue;
            };
            let setter = if response {
                ident(&f.names.with_setter())
            } else {
                ident(&f.names.snake)
            };
            let rust = &v.rust;
            calls.push(quote!(.#setter(#rust)));
            ordered.push(format!(
                "{}:{}",
                serde_json::Value::String(f.names.wire.clone()),
                v.ordered
            ));
            json.insert(f.names.wire.clone(), v.json);
        }
        if calls.is_empty() {
            return None;
        }
        let ty = ident(name);
        Some(Value {
            rust: quote!(crate::types::#ty::new() #(#calls)*),
            json: serde_json::Value::Object(json),
            ordered: format!("{{{}}}", ordered.join(",")),
        })
    }

    fn scalar(&self, s: ScalarIr, f: &FieldIr) -> Value {
        match s {
            ScalarIr::Boolean => Value::scalar(quote!(true), serde_json::Value::Bool(true)),
            ScalarIr::Float => Value::scalar(quote!(1.5), serde_json::json!(1.5)),
            ScalarIr::Integer | ScalarIr::Long => {
                let n = integer(f);
                let rust = if s == ScalarIr::Integer {
                    let n = i32::try_from(n).unwrap_or(1);
                    quote!(#n)
                } else {
                    quote!(#n)
                };
                Value::scalar(rust, serde_json::Value::from(n))
            }
            ScalarIr::String => {
                let text = text(f);
                Value::scalar(quote!(#text), serde_json::Value::String(text))
            }
        }
    }
}

/// An integer inside the field's range that is not forbidden.
fn integer(f: &FieldIr) -> i64 {
    let range = f.constraints.range.unwrap_or_default();
    let mut n = match (range.min, range.max) {
        (Some(min), _) => min.max(1).min(range.max.unwrap_or(i64::MAX)),
        (None, Some(max)) => max.min(1),
        (None, None) => 1,
    };
    while f.constraints.forbidden_values.contains(&n.to_string()) {
        n += 1;
    }
    n
}

/// Text that satisfies the field's format, length and prefix rules.
fn text(f: &FieldIr) -> String {
    use vpn_gateway_formats::Format as F;
    let base = match f.constraints.format.map(crate::ir::Format::shared) {
        Some(F::Ipv4) => "10.0.0.1".to_owned(),
        Some(F::Ipv4Cidr) => "10.0.0.0/24".to_owned(),
        Some(F::Ipv4CidrList) => "10.0.0.0/24,10.0.1.0/24".to_owned(),
        Some(F::Timestamp) => "2024-01-02T03:04:05Z".to_owned(),
        // Names and descriptions start with a letter; a space and a `+` check the encoding.
        Some(F::Description) => "Wire case + text".to_owned(),
        _ => format!("w{}", f.names.wire.replace('.', "")),
    };
    let length = f.constraints.length.unwrap_or_default();
    let mut text = base;
    let min = usize::try_from(length.min.unwrap_or(0)).unwrap_or(0);
    while text.chars().count() < min {
        text.push('x');
    }
    if let Some(max) = length.max.and_then(|m| usize::try_from(m).ok()) {
        text = text.chars().take(max.max(1)).collect();
    }
    text
}
