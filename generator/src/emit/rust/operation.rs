//! `src/operation/<action>.rs`: input, fluent builder, output and error enum of one operation,
//! and `src/operation.rs`, the module index.

use super::types::accessor;
use super::{constraint_checks, doc, field_doc, ident, is_list, runtime_path, value_type};
use crate::ir::{FieldIr, FieldRef, ItemIr, OperationIr, RuleIr, ServiceIr, TypeIr};
use proc_macro2::TokenStream;
use quote::quote;

/// `src/operation.rs`.
pub(super) fn emit_operation_index(ir: &ServiceIr) -> TokenStream {
    let gate = |op: &OperationIr| super::features::cfg(std::slice::from_ref(&op.group));
    let mods = ir.operations().map(|op| {
        let m = ident(&op.names.snake);
        let d = doc(&format!("`{}`: {}", op.names.wire, op.summary));
        let g = gate(op);
        quote!(#d #g #[rustfmt::skip] pub mod #m;)
    });
    let actions = ir.operations().map(|op| {
        let (g, wire) = (gate(op), &op.names.wire);
        quote!(#g #wire)
    });
    quote! {
        //! One module per operation: its input, fluent builder, output and error enum. Each is
        //! compiled with the cargo feature of its group.
        #(#mods)*

        /// The action name of every operation compiled in (see the crate's features), in
        /// documentation order.
        pub const ACTIONS: &[&str] = &[#(#actions),*];
    }
}

/// The module of one operation.
pub(super) fn emit_operation(op: &OperationIr) -> TokenStream {
    let module_doc = format!(" `{}`: {}", op.names.wire, op.summary);
    let rt = super::runtime_import();
    let input = emit_input(op);
    let builder = emit_fluent_builder(op);
    let output = emit_output(op);
    let error = emit_error(op);
    let paginator = super::paginator_waiter::emit_paginator(op);
    let waiters = super::paginator_waiter::emit_waiters(op);
    quote! {
        #![doc = #module_doc]
        #rt
        #input
        #builder
        #paginator
        #waiters
        #output
        #error
    }
}

/// The type a request field is held in: `Vec` for lists, `Option` otherwise.
fn held_type(f: &FieldIr) -> TokenStream {
    let t = value_type(&f.ty);
    if is_list(&f.ty) {
        t
    } else {
        quote!(Option<#t>)
    }
}

/// An expression that is true when the field is set.
fn is_set(snake: &str, ty: &TypeIr) -> TokenStream {
    let f = ident(snake);
    if is_list(ty) {
        quote!(!self.#f.is_empty())
    } else {
        quote!(self.#f.is_some())
    }
}

fn emit_input(op: &OperationIr) -> TokenStream {
    let name = ident(&op.items.input);
    let sensitive = op.params.iter().any(|f| f.sensitive);
    let derive = if sensitive {
        quote!(#[derive(Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Clone, Debug, Default, PartialEq)])
    };
    let input_doc = super::doc_raw(&format!(
        "The parameters of `{}`. Build it with [`crate::Client::{}`] or set its public fields directly.",
        op.names.wire, op.names.snake
    ));
    let fields = op.params.iter().map(|f| {
        let fname = ident(&f.names.snake);
        let ty = held_type(f);
        let d = doc(&field_doc(f, true));
        quote!(#d pub #fname: #ty,)
    });
    let debug = super::redacted_debug(&name.to_string(), &op.params, false);
    let validation_error = runtime_path("ValidationError");
    let checks = op.params.iter().map(validate_field);
    let rules = op.rules.iter().map(validate_rule);
    let params = runtime_path("wire_params::encode::Params");
    let encode = op.params.iter().map(encode_field);
    let wire_params = runtime_path("wire_params::decode::WireParams");
    let decode = op.params.iter().map(decode_field);
    let known = op.params.iter().map(|f| {
        let wire = &f.names.wire;
        known_checks(f, &quote!(#wire), &quote!(self))
    });
    let secrets = super::secret_collector(&op.params);
    // An operation without parameters reads and writes none (no unused binding).
    let (reader, writer) = if op.params.is_empty() {
        (quote!(_r), quote!(p))
    } else {
        (quote!(r), quote!(mut p))
    };
    quote! {
        #input_doc
        #derive
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        impl #name {
            /// Checks every documented constraint. `send` runs the same checks, so an invalid
            /// request never leaves the process.
            pub fn validate(&self) -> Result<(), #validation_error> {
                #(#checks)*
                #(#rules)*
                Ok(())
            }

            /// Checks that every enum value is a documented one. `validate` accepts values this
            /// SDK does not know (the service may have added them); a server rejects them.
            pub fn check_known_values(&self) -> Result<(), #validation_error> {
                #(#known)*
                Ok(())
            }

            /// Reads the input back from wire parameters: the inverse of [`Self::to_params`],
            /// for servers such as the local emulator. Type errors name the parameter.
            pub fn from_params(#reader: &#wire_params) -> Result<Self, #validation_error> {
                Ok(Self { #(#decode)* })
            }

            /// The operation's parameters as sent on the wire (common parameters excluded).
            pub fn to_params(&self) -> Result<Vec<(String, String)>, #validation_error> {
                let #writer = #params::new();
                #(#encode)*
                Ok(p.into_vec())
            }

            #secrets
        }
        #debug
    }
}

/// Required-ness and constraints of one parameter, including the fields of list items and
/// JSON structs (reported with their wire paths, e.g. `Tag.1.Key`).
fn validate_field(f: &FieldIr) -> TokenStream {
    let wire = &f.names.wire;
    field_checks(f, &quote!(#wire), &quote!(self))
}

/// The checks of one field of `owner` (`self` or a struct value), reported under the name
/// expression `name` (a `&str`).
pub(super) fn field_checks(f: &FieldIr, name: &TokenStream, owner: &TokenStream) -> TokenStream {
    let validate = runtime_path("validate");
    let fname = ident(&f.names.snake);
    let required = if f.required {
        let set = if is_list(&f.ty) {
            quote!(!#owner.#fname.is_empty())
        } else {
            quote!(#owner.#fname.is_some())
        };
        quote!(#validate::required(#name, #set)?;)
    } else {
        quote!()
    };
    let own = constraint_checks(name, &f.ty, &f.constraints);
    let own = if own.is_empty() {
        quote!()
    } else if is_list(&f.ty) {
        quote!({ let v = &#owner.#fname; #own })
    } else {
        quote!(if let Some(v) = &#owner.#fname { #own })
    };
    // Nested request structs check their own fields under `Name.N` / `Name`.
    let nested = match &f.ty {
        TypeIr::List(ItemIr::Struct(_)) => quote! {
            for (i, item) in #owner.#fname.iter().enumerate() {
                item.validate_at(&format!("{}.{}", #name, i + 1))?;
            }
        },
        TypeIr::Json(_) | TypeIr::Object(_) => quote! {
            if let Some(v) = &#owner.#fname {
                v.validate_at(#name)?;
            }
        },
        _ => quote!(),
    };
    quote!(#required #own #nested)
}

/// A conditional rule. The error names the first parameter the rule concerns.
fn validate_rule(r: &RuleIr) -> TokenStream {
    let validate = runtime_path("validate");
    let trigger = match &r.when {
        None => quote!(true),
        Some((field, None)) => is_set(&field.snake, &field.ty),
        Some((field, Some(value))) => {
            let f = ident(&field.snake);
            let compare = match &field.ty {
                TypeIr::Scalar(crate::ir::ScalarIr::String) => quote!(v == #value),
                _ => quote!(v.to_string() == #value),
            };
            quote!(self.#f.as_ref().is_some_and(|v| #compare))
        }
    };
    let text = &r.doc;
    let mut checks = Vec::new();
    for p in &r.require {
        let set = is_set(&p.snake, &p.ty);
        let wire = &p.wire;
        checks.push(quote!(#validate::rule(#wire, #text, #set)?;));
    }
    if let Some(first) = r.require_any.first() {
        let sets = r
            .require_any
            .iter()
            .map(|p: &FieldRef| is_set(&p.snake, &p.ty));
        let wire = &first.wire;
        checks.push(quote!(#validate::rule(#wire, #text, #(#sets)||*)?;));
    }
    for p in &r.forbid {
        let set = is_set(&p.snake, &p.ty);
        let wire = &p.wire;
        checks.push(quote!(#validate::rule(#wire, #text, !(#set))?;));
    }
    quote! {
        if #trigger { #(#checks)* }
    }
}

/// Checks that the enum values of one field of `owner` are documented ones, recursing into
/// request structs (reported as `Name.N.Field` / `Name.Field`).
pub(super) fn known_checks(f: &FieldIr, name: &TokenStream, owner: &TokenStream) -> TokenStream {
    let validate = runtime_path("validate");
    let fname = ident(&f.names.snake);
    match &f.ty {
        TypeIr::Enum(..) => quote! {
            if let Some(v) = &#owner.#fname {
                #validate::known(#name, v.is_known())?;
            }
        },
        TypeIr::List(ItemIr::Struct(_)) => quote! {
            for (i, item) in #owner.#fname.iter().enumerate() {
                item.check_known_values_at(&format!("{}.{}", #name, i + 1))?;
            }
        },
        TypeIr::List(ItemIr::Enum(_)) | TypeIr::CommaList(ItemIr::Enum(_)) => quote! {
            for (i, v) in #owner.#fname.iter().enumerate() {
                #validate::known(&format!("{}.{}", #name, i + 1), v.is_known())?;
            }
        },
        TypeIr::Json(_) | TypeIr::Object(_) => quote! {
            if let Some(v) = &#owner.#fname {
                v.check_known_values_at(#name)?;
            }
        },
        _ => quote!(),
    }
}

/// How one parameter or request-struct field is read back from the wire, relative to the
/// reader `r` (the whole request, or a struct's `Name.N.` / `Name.` scope).
pub(super) fn decode_field(f: &FieldIr) -> TokenStream {
    let wire = &f.names.wire;
    let fname = ident(&f.names.snake);
    match &f.ty {
        TypeIr::List(ItemIr::Struct(s)) => {
            let s = ident(s);
            quote!(#fname: r.struct_list(#wire, crate::types::#s::from_wire_params)?,)
        }
        TypeIr::Object(s) => {
            let s = ident(s);
            quote!(#fname: r.object(#wire, crate::types::#s::from_wire_params)?,)
        }
        TypeIr::List(_) | TypeIr::WrappedList { .. } => quote!(#fname: r.list(#wire)?,),
        TypeIr::CommaList(_) => quote!(#fname: r.comma_list(#wire)?,),
        TypeIr::Json(_) => quote!(#fname: r.json(#wire)?,),
        _ => quote!(#fname: r.get(#wire)?,),
    }
}

/// How one parameter or request-struct field goes on the wire. `p` is the request's
/// parameters or a struct's scope: both offer the same methods, so nesting is uniform
/// (`Tunnel.1.TunnelIkeConfig.Psk`).
pub(super) fn encode_field(f: &FieldIr) -> TokenStream {
    let wire = &f.names.wire;
    let fname = ident(&f.names.snake);
    match &f.ty {
        TypeIr::List(ItemIr::Struct(_)) => {
            quote!(p.push_struct_list(#wire, &self.#fname, |item, sub| item.encode_into(sub));)
        }
        TypeIr::Object(_) => quote! {
            if let Some(v) = &self.#fname {
                p.push_struct(#wire, |sub| v.encode_into(sub));
            }
        },
        TypeIr::List(_) | TypeIr::WrappedList { .. } => {
            quote!(p.push_list(#wire, &self.#fname);)
        }
        // Only top-level parameters (validated), where the encoder returns a `Result`.
        TypeIr::CommaList(_) => quote!(p.push_comma_list(#wire, &self.#fname)?;),
        TypeIr::Json(_) => quote! {
            if let Some(v) = &self.#fname {
                p.push_json(#wire, v)?;
            }
        },
        _ => quote!(p.push_opt(#wire, self.#fname.as_ref());),
    }
}

fn emit_fluent_builder(op: &OperationIr) -> TokenStream {
    let input = ident(&op.items.input);
    let output = ident(&op.items.output);
    let error = ident(&op.items.error);
    let name = ident(&op.items.builder);
    let mut text = op.summary.clone();
    if !op.description.is_empty() {
        text.push_str("\n\n");
        text.push_str(&op.description);
    }
    for n in &op.notes {
        text.push_str("\n\n");
        text.push_str(n);
    }
    text.push_str(&format!("\n\nOfficial reference: {}", op.reference_url));
    let builder_doc = doc(&text);
    let setters = op.params.iter().map(|f| {
        let fname = ident(&f.names.snake);
        let d = doc(&field_doc(f, true));
        match &f.ty {
            TypeIr::List(i) | TypeIr::WrappedList { item: i, .. } | TypeIr::CommaList(i) => {
                let item = super::item_type(i);
                let set_name = ident(&f.names.list_setter());
                let set_doc = doc(&format!("Replaces every `{}` item.", f.names.wire));
                quote! {
                    #d
                    ///
                    /// Appends one item; call repeatedly for more.
                    pub fn #fname(mut self, item: impl Into<#item>) -> Self {
                        self.input.#fname.push(item.into());
                        self
                    }
                    #set_doc
                    pub fn #set_name(mut self, items: Vec<#item>) -> Self {
                        self.input.#fname = items;
                        self
                    }
                }
            }
            _ => {
                let ty = value_type(&f.ty);
                quote! {
                    #d
                    pub fn #fname(mut self, value: impl Into<#ty>) -> Self {
                        self.input.#fname = Some(value.into());
                        self
                    }
                }
            }
        }
    });
    let sdk_error = runtime_path("SdkError");
    let options = runtime_path("RequestOptions");
    let operation_input = emit_operation_input(op);
    quote! {
        #builder_doc
        #[derive(Clone, Debug)]
        pub struct #name {
            client: crate::Client,
            input: #input,
            options: #options,
        }

        impl #name {
            pub(crate) fn new(client: crate::Client) -> Self {
                Self { client, input: Default::default(), options: Default::default() }
            }

            /// Replaces the whole input.
            pub fn input(mut self, input: #input) -> Self {
                self.input = input;
                self
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input {
                &self.input
            }

            /// Per-request overrides (timeouts, retries).
            pub fn options(mut self, options: #options) -> Self {
                self.options = options;
                self
            }

            #(#setters)*

            /// Validates the input, then sends the request through the client's retrying,
            /// signing send path.
            pub async fn send(self) -> Result<#output, #sdk_error<#error>> {
                self.client.rpc().send(self.input, self.options).await
            }
        }

        #operation_input
    }
}

/// The facts the runtime's send path needs of this operation (`rt::OperationInput`); the steps
/// themselves are the runtime's.
fn emit_operation_input(op: &OperationIr) -> TokenStream {
    let input = ident(&op.items.input);
    let output = ident(&op.items.output);
    let error = ident(&op.items.error);
    let action = &op.names.wire;
    let retry_safe = op.retry_safe;
    let trait_path = runtime_path("OperationInput");
    let validation_error = runtime_path("ValidationError");
    let body_params: Vec<&str> = op
        .params
        .iter()
        .filter(|f| f.location == crate::ir::Location::Body)
        .map(|f| f.names.wire.as_str())
        .collect();
    let body = if body_params.is_empty() {
        quote!()
    } else {
        quote! {
            // These parameters travel in the form body, as the service documents them.
            const BODY_PARAMETERS: &'static [&'static str] = &[#(#body_params),*];
        }
    };
    let token_fill = match &op.idempotency_token {
        Some(t) => {
            let t = ident(&t.snake);
            let token = runtime_path("idempotency_token");
            quote! {
                // A fresh token per logical call makes retries of this write safe.
                fn fill_idempotency_token(&mut self) {
                    if self.#t.is_none() {
                        self.#t = Some(#token());
                    }
                }
            }
        }
        None => quote!(),
    };
    let secrets = if op.params.iter().any(|f| f.holds_secrets) {
        quote! {
            fn collect_secrets(&self, out: &mut Vec<String>) {
                #input::collect_secrets(self, out);
            }
        }
    } else {
        quote!()
    };
    quote! {
        impl #trait_path for #input {
            const ACTION: &'static str = #action;
            const RETRY_SAFE: bool = #retry_safe;
            #body
            type Output = #output;
            type Error = #error;
            #token_fill
            fn validate(&self) -> Result<(), #validation_error> {
                #input::validate(self)
            }
            fn to_params(&self) -> Result<Vec<(String, String)>, #validation_error> {
                #input::to_params(self)
            }
            #secrets
        }
    }
}

fn emit_output(op: &OperationIr) -> TokenStream {
    let name = ident(&op.items.output);
    let sensitive = op.response.iter().any(|f| f.sensitive);
    let derive = if sensitive {
        quote!(#[derive(Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)])
    } else {
        quote!(#[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)])
    };
    let out_doc = doc(&format!("The response of `{}`.", op.names.wire));
    // Required response fields are held without `Option`.
    let plain = |f: &FieldIr| f.required && !is_list(&f.ty);
    let codecs: Vec<super::types::FieldCodec> = op
        .response
        .iter()
        .map(|f| super::types::field_codec(&op.names.camel, f, plain(f)))
        .collect();
    let fields = op.response.iter().zip(&codecs).map(|(f, codec)| {
        let fname = ident(&f.names.snake);
        let wire = &f.names.wire;
        let t = value_type(&f.ty);
        let d = doc(&field_doc(f, false));
        let read = &codec.read;
        let rename = super::types::rename_and_read(wire, read);
        if let Some(path) = &codec.serialize_with {
            quote!(#d #rename #[serde(serialize_with = #path)] pub #fname: #t,)
        } else if is_list(&f.ty) || plain(f) {
            quote!(#d #rename pub #fname: #t,)
        } else {
            quote!(#d #rename #[serde(skip_serializing_if = "Option::is_none")] pub #fname: Option<#t>,)
        }
    });
    let accessors = op.response.iter().map(|f| {
        let fname = ident(&f.names.snake);
        accessor(&fname, &f.ty, is_list(&f.ty), f.required)
    });
    let debug = super::redacted_debug(&name.to_string(), &op.response, true);
    let serializers = codecs.iter().flat_map(|codec| &codec.functions);
    quote! {
        #(#serializers)*
        #out_doc
        #derive
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        impl #name { #(#accessors)* }
        #debug
    }
}

fn emit_error(op: &OperationIr) -> TokenStream {
    let name = ident(&op.items.error);
    let kind = ident(&op.items.error_kind);
    let operation_error = runtime_path("OperationError");
    let error_kind = runtime_path("ErrorKind");
    let variants: Vec<_> = op.errors.iter().map(|e| ident(&e.error.variant)).collect();
    let variant_docs = op.errors.iter().map(|e| {
        doc(&format!(
            "`{}` (HTTP {}): {}",
            e.error.code, e.error.http_status, e.description
        ))
    });
    let codes = op.errors.iter().map(|e| &e.error.code);
    let err_doc = doc(&format!(
        "An error `{}` can return: [`{kind}`] names the documented code (none for any other), and the service's code, message, request ID, host ID and recommendation come with it.",
        op.names.wire
    ));
    let kind_doc = doc(&format!("The error codes `{}` documents.", op.names.wire));
    // An operation that documents no code of its own has no kind for any code.
    let classify = if op.errors.is_empty() {
        quote!(let _ = code; None)
    } else {
        quote! {
            Some(match code {
                #(#codes => Self::#variants,)*
                _ => return None,
            })
        }
    };
    quote! {
        #err_doc
        pub type #name = #operation_error<#kind>;

        #kind_doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #kind {
            #(#variant_docs #variants,)*
        }

        impl #error_kind for #kind {
            fn from_code(code: &str) -> Option<Self> {
                #classify
            }
        }
    }
}
