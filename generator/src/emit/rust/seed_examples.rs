//! `tests/seed_examples.rs`: for every documented sample request, build the input the way a
//! user would and check that it passes validation and encodes to exactly the sample's wire
//! parameters.

use super::ident;
use crate::ir::{EnumWireType, ItemIr, OperationIr, ScalarIr, ServiceIr, StructIr, TypeIr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The test file; `None` when no operation documents a sample request.
pub(super) fn emit_seed_examples(ir: &ServiceIr) -> Option<TokenStream> {
    let structs: BTreeMap<&str, &StructIr> =
        ir.structs.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut tests: Vec<TokenStream> = ir
        .operations()
        .filter(|op| !op.example_request.is_empty())
        .map(|op| emit_test(op, &structs))
        .collect();
    tests.extend(ir.operations().filter_map(|op| {
        op.example_response
            .as_ref()
            .map(|r| emit_response_test(op, r))
    }));
    if tests.is_empty() {
        return None;
    }
    Some(quote! {
        //! The seeds' sample requests, built through the public API, validate and encode to
        //! exactly the documented wire parameters; the sample responses decode.

        fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
            v.sort();
            v
        }

        fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
            sorted(v.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
        }

        /// The sample response deserializes, every field the sample carries lands in a typed
        /// field (nothing is dropped as unknown), wrappers such as
        /// `{"VpnGateways": {"VpnGateway": [...]}}` survive serialization, the output
        /// round-trips, and every drift of its representation reads as the same values.
        fn check_sample_response<T>(body: &str)
        where
            T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
        {
            let out: T = serde_json::from_str(body).expect("the documented sample response parses");
            let sample: serde_json::Value = serde_json::from_str(body).expect("valid JSON");
            let round: serde_json::Value = serde_json::to_value(&out).expect("serializes");
            for (key, value) in sample.as_object().into_iter().flatten() {
                let typed = round.get(key);
                assert!(typed.is_some(), "sample field `{key}` has no typed field");
                assert_eq!(typed.map(|t| t.is_object()), Some(value.is_object()), "shape of `{key}`");
            }
            let again: T = serde_json::from_value(round).expect("re-parses");
            assert_eq!(again, out);
            for how in [Drift::Text, Drift::Native, Drift::BareSingleItems] {
                let drifted: T = serde_json::from_value(drift(sample.clone(), how))
                    .unwrap_or_else(|e| panic!("the sample with {how:?} does not parse: {e}"));
                assert_eq!(drifted, out, "the sample with {how:?} reads differently");
            }
        }

        /// The representations the service's XML-to-JSON conversion drifts between.
        #[derive(Debug, Clone, Copy)]
        enum Drift {
            /// Every number and boolean sent as text.
            Text,
            /// Every text that spells an integer or a boolean sent as a JSON number or boolean.
            Native,
            /// Every one-element list sent as its bare item.
            BareSingleItems,
        }

        fn drift(value: serde_json::Value, how: Drift) -> serde_json::Value {
            use serde_json::Value;
            match (value, how) {
                (Value::Number(n), Drift::Text) => Value::String(n.to_string()),
                (Value::Bool(b), Drift::Text) => Value::String(b.to_string()),
                (Value::String(s), Drift::Native) => match s.parse::<i64>() {
                    Ok(n) if n.to_string() == s => Value::from(n),
                    _ if s == "true" || s == "false" => Value::Bool(s == "true"),
                    _ => Value::String(s),
                },
                (Value::Array(items), Drift::BareSingleItems) if items.len() == 1 => {
                    items.into_iter().map(|item| drift(item, how)).next().unwrap_or_default()
                }
                (Value::Array(items), _) => {
                    Value::Array(items.into_iter().map(|item| drift(item, how)).collect())
                }
                (Value::Object(map), _) => {
                    Value::Object(map.into_iter().map(|(k, v)| (k, drift(v, how))).collect())
                }
                (other, _) => other,
            }
        }

        #(#tests)*
    })
}

/// `Name.N.Field` values of one list parameter: N → (field, value) pairs.
type ListItems<'a> = BTreeMap<usize, Vec<(&'a str, &'a str)>>;

fn emit_test(op: &OperationIr, structs: &BTreeMap<&str, &StructIr>) -> TokenStream {
    let module = ident(&op.items.module);
    let input = ident(&op.items.input);
    let test = format_ident!("{}_sample_request", op.names.snake);
    // Group flattened keys: plain params, `Name.N` items and `Name.N.Field` item fields.
    let mut sets: Vec<TokenStream> = Vec::new();
    let mut lists: BTreeMap<&str, ListItems<'_>> = BTreeMap::new();
    for (key, value) in &op.example_request {
        let mut parts = key.splitn(3, '.');
        let name = parts.next().unwrap_or_default();
        let index = parts.next().and_then(|i| i.parse::<usize>().ok());
        let field = parts.next();
        match index {
            Some(n) => lists
                .entry(name)
                .or_default()
                .entry(n)
                .or_default()
                .push((field.unwrap_or(""), value.as_str())),
            None => {
                if let Some(p) = op.params.iter().find(|p| &p.names.wire == key) {
                    let f = ident(&p.names.snake);
                    let v = typed_value(&p.ty, value);
                    sets.push(quote!(#f: Some(#v),));
                }
            }
        }
    }
    for (name, items) in &lists {
        let Some(p) = op.params.iter().find(|p| p.names.wire == *name) else {
            continue;
        };
        let f = ident(&p.names.snake);
        let TypeIr::List(item) = &p.ty else {
            continue;
        };
        let values = items.values().map(|fields| match item {
            ItemIr::Struct(s) => {
                let Some(def) = structs.get(s.as_str()) else {
                    return quote!(Default::default());
                };
                let ty = ident(s);
                let setters = fields.iter().filter_map(|(field, value)| {
                    let fd = def.fields.iter().find(|x| x.names.wire == *field)?;
                    let setter = if def.uses.response {
                        ident(&fd.names.with_setter())
                    } else {
                        ident(&fd.names.snake)
                    };
                    let v = typed_value(&fd.ty, value);
                    Some(quote!(.#setter(#v)))
                });
                let krate = ident("crate");
                quote!(#krate::types::#ty::new() #(#setters)*)
            }
            other => {
                let v = fields.first().map(|(_, v)| *v).unwrap_or_default();
                typed_value(&item_as_type(other), v)
            }
        });
        sets.push(quote!(#f: vec![#(#values),*],));
    }
    let expected = op.example_request.iter().map(|(k, v)| quote!((#k, #v)));
    let krate = ident("crate");
    quote! {
        #[test]
        fn #test() {
            let input = #krate::operation::#module::#input {
                #(#sets)*
                ..Default::default()
            };
            if let Err(e) = input.validate() {
                panic!("the documented sample request is rejected: {e}");
            }
            let params = input.to_params().expect("encodes");
            assert_eq!(sorted(params.clone()), pairs(&[#(#expected),*]));
            let decoded = #krate::operation::#module::#input::from_params(
                &#krate::runtime::wire_params::decode::WireParams::new(params),
            );
            assert_eq!(decoded, Ok(input));
        }
    }
}

/// The sample response deserializes into the output type, and every field the sample
/// carries lands in a typed field (nothing is silently dropped as unknown).
fn emit_response_test(op: &OperationIr, response: &str) -> TokenStream {
    let module = ident(&op.items.module);
    let output = ident(&op.items.output);
    let test = format_ident!("{}_sample_response", op.names.snake);
    let krate = ident("crate");
    quote! {
        #[test]
        fn #test() {
            check_sample_response::<#krate::operation::#module::#output>(#response);
        }
    }
}

fn item_as_type(item: &ItemIr) -> TypeIr {
    match item {
        ItemIr::Scalar(s) => TypeIr::Scalar(*s),
        ItemIr::Enum(n) => TypeIr::Enum(n.clone(), EnumWireType::String),
        ItemIr::Struct(n) => TypeIr::Object(n.clone()),
    }
}

/// A Rust expression of the field's type for a wire value (validated to parse).
fn typed_value(ty: &TypeIr, value: &str) -> TokenStream {
    let krate = ident("crate");
    match ty {
        TypeIr::Scalar(ScalarIr::Integer) => {
            let n: i32 = value.parse().unwrap_or_default();
            quote!(#n)
        }
        TypeIr::Scalar(ScalarIr::Long) => {
            let n: i64 = value.parse().unwrap_or_default();
            quote!(#n)
        }
        TypeIr::Scalar(ScalarIr::Float) => {
            let n: f64 = value.parse().unwrap_or_default();
            quote!(#n)
        }
        TypeIr::Scalar(ScalarIr::Boolean) => {
            let b = value == "true";
            quote!(#b)
        }
        TypeIr::Enum(name, EnumWireType::String) => {
            let n = ident(name);
            quote!(#krate::types::#n::from(#value))
        }
        TypeIr::Enum(name, _) => {
            let n = ident(name);
            let v: i64 = value.parse().unwrap_or_default();
            quote!(#krate::types::#n::from(#v))
        }
        _ => quote!(String::from(#value)),
    }
}
