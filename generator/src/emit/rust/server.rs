//! `src/server.rs` (the generated crate's `server` feature): what a server of the API needs,
//! modelled on tonic-build's server side. One request type per operation, validated, with the
//! required top-level parameters as plain values; a service trait with one method per
//! operation; `ServiceRequest`/`ServiceResponse`, which decode any action's parameters and
//! carry any operation's output; and the facts a server needs as data (API version, read-only
//! operations, idempotency tokens, documented errors with their per-operation status).

use super::{
    doc, doc_raw, ident, is_list, path_tokens, redacted_debug, runtime_import, runtime_path,
    value_type,
};
use crate::ir::{FieldIr, OperationIr, ServiceIr};
use proc_macro2::TokenStream;
use quote::quote;

/// `src/server.rs`.
pub(super) fn emit_server(ir: &ServiceIr) -> TokenStream {
    let rt = runtime_import();
    let version = &ir.api_version;
    let facts = ir.operations().map(emit_facts);
    let requests = ir.operations().map(emit_request);
    let service = emit_trait(ir);
    let dispatch = emit_dispatch(ir);
    let invalid_values = emit_invalid_value_codes(ir);
    let module_doc = format!(
        " The server side of the API, for services that answer it (such as the local emulator),\n \
         modelled on tonic-build's generated servers: implement [`{trait_name}`] and hand each \
         request's\n wire parameters to [`ServiceRequest::decode`] and the result to \
         [`ServiceRequest::call`].\n\n \
         Compiled with the `server` feature, which enables every operation group: a server answers\n \
         every operation.",
        trait_name = ir.server_trait
    );
    let facts_type = runtime_path("server::OperationFacts");
    quote! {
        #![doc = #module_doc]
        use ::core::future::Future;
        #rt

        /// The API version every request names in its `Version` parameter.
        pub const API_VERSION: &str = #version;

        /// What a server knows about each operation before running it, in documentation order.
        pub const OPERATIONS: &[#facts_type<crate::ErrorCode>] = &[#(#facts),*];

        /// The facts of `action`, if the API has such an operation.
        pub fn operation(action: &str) -> Option<&'static #facts_type<crate::ErrorCode>> {
            OPERATIONS.iter().find(|op| op.action() == action)
        }

        #invalid_values

        #(#requests)*
        #service
        #dispatch
    }
}

/// `invalid_value_codes`: which documented codes answer a bad value of which parameter
/// (`invalid_value_of` in `spec/errors.yaml`).
fn emit_invalid_value_codes(ir: &ServiceIr) -> TokenStream {
    let mut by_parameter: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for e in &ir.errors {
        for parameter in &e.invalid_value_of {
            by_parameter
                .entry(parameter.as_str())
                .or_default()
                .push(e.variant.as_str());
        }
    }
    let pattern = runtime_path("server::parameter_pattern");
    let arms = by_parameter.iter().map(|(parameter, variants)| {
        let variants = variants.iter().map(|v| ident(v));
        quote!(#parameter => &[#(crate::ErrorCode::#variants),*],)
    });
    quote! {
        /// The documented codes the service answers a bad value of `parameter` (a wire name or
        /// path, e.g. `Tag.1.Key`) with, instead of `InvalidParameter`, in the operations that
        /// document them (see [`OPERATIONS`]).
        pub fn invalid_value_codes(parameter: &str) -> &'static [crate::ErrorCode] {
            match #pattern(parameter).as_ref() {
                #(#arms)*
                _ => &[],
            }
        }
    }
}

/// One entry of `OPERATIONS`.
fn emit_facts(op: &OperationIr) -> TokenStream {
    let facts = runtime_path("server::OperationFacts");
    let action = &op.names.wire;
    let read_only = op.read_only;
    let token = match &op.idempotency_token {
        Some(t) => {
            let wire = &t.wire;
            quote!(Some(#wire))
        }
        None => quote!(None),
    };
    let errors = op.errors.iter().map(|e| {
        let variant = ident(&e.error.variant);
        let status = e.http_status;
        quote!((crate::ErrorCode::#variant, #status))
    });
    quote!(#facts::new(#action, #read_only, #token, &[#(#errors),*]))
}

fn request_name(op: &OperationIr) -> proc_macro2::Ident {
    ident(&op.items.request)
}

/// The path of the operation's input type, as tokens and as text for doc links.
fn input_path(op: &OperationIr) -> (TokenStream, String) {
    let path = op.items.path(&op.items.input);
    (path_tokens(&path), path)
}

fn output_path(op: &OperationIr) -> TokenStream {
    path_tokens(&op.items.path(&op.items.output))
}

/// A required scalar or struct is held as a plain value; lists are `Vec` either way.
fn plain(f: &FieldIr) -> bool {
    f.required && !is_list(&f.ty)
}

/// The validated request of one operation and its conversion from the input.
fn emit_request(op: &OperationIr) -> TokenStream {
    let name = request_name(op);
    let (input, input_link) = input_path(op);
    let input_name = &op.items.input;
    let sensitive = op.params.iter().any(|f| f.sensitive);
    let derive = if sensitive {
        quote!(#[derive(Clone, PartialEq)])
    } else {
        quote!(#[derive(Clone, Debug, PartialEq)])
    };
    let request_doc = doc_raw(&format!(
        "A validated `{}` request: every documented constraint holds, every enum value is a \
         documented one, and the required parameters are plain values. Made from a \
         [`{input_name}`]({input_link}) with `try_from`.",
        op.names.wire,
    ));
    let fields = op.params.iter().map(|f| {
        let fname = ident(&f.names.snake);
        let t = value_type(&f.ty);
        let ty = if plain(f) || is_list(&f.ty) {
            t
        } else {
            quote!(Option<#t>)
        };
        let d = doc_raw(&format!(
            "`{}`: see [`{input_name}::{snake}`]({input_link}::{snake}).",
            f.names.wire,
            snake = f.names.snake,
        ));
        quote!(#d pub #fname: #ty,)
    });
    let present = runtime_path("validate::present");
    let moves = op.params.iter().map(|f| {
        let fname = ident(&f.names.snake);
        let wire = &f.names.wire;
        if plain(f) {
            quote!(#fname: #present(#wire, input.#fname)?,)
        } else {
            quote!(#fname: input.#fname,)
        }
    });
    let debug = redacted_debug(&name.to_string(), &op.params, true);
    let validation_error = runtime_path("ValidationError");
    quote! {
        #request_doc
        #derive
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        impl TryFrom<#input> for #name {
            type Error = #validation_error;

            /// Runs the input's validation and enum checks, then takes its values.
            fn try_from(input: #input) -> Result<Self, #validation_error> {
                input.validate()?;
                input.check_known_values()?;
                Ok(Self { #(#moves)* })
            }
        }
        #debug
    }
}

/// The service trait.
fn emit_trait(ir: &ServiceIr) -> TokenStream {
    let name = ident(&ir.server_trait);
    let error = runtime_path("server::ErrorResponse");
    let methods = ir.operations().map(|op| {
        let method = ident(&op.names.snake);
        let request = request_name(op);
        let output = output_path(op);
        let d = doc(&format!("`{}`: {}", op.names.wire, op.summary));
        quote! {
            #d
            fn #method(
                &self,
                context: &Self::Context,
                request: #request,
            ) -> impl Future<Output = Result<#output, #error>> + Send;
        }
    });
    let trait_doc = doc_raw(&format!(
        "A server of the {} API: one method per operation, each taking the validated request \
         and returning the operation's output or the error response to answer with.\n\n\
         Implementations may use `async fn` for the methods.",
        ir.name
    ));
    quote! {
        #trait_doc
        pub trait #name: Send + Sync {
            /// What the server passes along with every request (the caller, the region, ...).
            type Context: Send + Sync;

            #(#methods)*
        }
    }
}

/// `ServiceRequest`, `ServiceResponse` and the dispatch between them.
fn emit_dispatch(ir: &ServiceIr) -> TokenStream {
    let service = ident(&ir.server_trait);
    let wire_params = runtime_path("wire_params::decode::WireParams");
    let decode_error = runtime_path("server::DecodeError");
    let error = runtime_path("server::ErrorResponse");
    let facts = runtime_path("server::OperationFacts");
    let ops: Vec<&OperationIr> = ir.operations().collect();
    let variants = ops.iter().map(|op| {
        let v = ident(&op.names.camel);
        let r = request_name(op);
        let d = doc(&format!("A `{}` request.", op.names.wire));
        quote!(#d #v(#r),)
    });
    let outputs = ops.iter().map(|op| {
        let v = ident(&op.names.camel);
        let o = output_path(op);
        let d = doc(&format!("The output of `{}`.", op.names.wire));
        quote!(#d #v(#o),)
    });
    let decodes = ops.iter().map(|op| {
        let v = ident(&op.names.camel);
        let wire = &op.names.wire;
        let (input, _) = input_path(op);
        quote!(#wire => Self::#v(#input::from_params(params)?.try_into()?),)
    });
    let positions = ops.iter().enumerate().map(|(i, op)| {
        let v = ident(&op.names.camel);
        quote!(Self::#v(_) => #i,)
    });
    let calls = ops.iter().map(|op| {
        let v = ident(&op.names.camel);
        let method = ident(&op.names.snake);
        quote!(Self::#v(r) => ServiceResponse::#v(service.#method(context, r).await?),)
    });
    quote! {
        /// The decoded, validated request of any operation.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum ServiceRequest { #(#variants)* }

        /// The output of any operation. It serializes as the operation's response document.
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum ServiceResponse { #(#outputs)* }

        impl ServiceRequest {
            /// Reads the request of `action` from its wire parameters (common parameters such
            /// as `Action` and `Signature` are ignored), then validates it as the service does:
            /// documented constraints, documented enum values, required parameters.
            pub fn decode(action: &str, params: &#wire_params) -> Result<Self, #decode_error> {
                Ok(match action {
                    #(#decodes)*
                    _ => return Err(#decode_error::UnknownAction),
                })
            }

            /// The operation's facts.
            pub fn facts(&self) -> &'static #facts<crate::ErrorCode> {
                let position = match self { #(#positions)* };
                &OPERATIONS[position]
            }

            /// The wire action name.
            pub fn action(&self) -> &'static str {
                self.facts().action()
            }

            /// Runs the request on `service`.
            pub async fn call<S: #service>(
                self,
                service: &S,
                context: &S::Context,
            ) -> Result<ServiceResponse, #error> {
                Ok(match self { #(#calls)* })
            }
        }
    }
}
