//! The Rust crate: `Cargo.toml`, `src/lib.rs`, the client, shared types, the error catalogue
//! and one module per operation.

mod client;
mod crate_root;
mod error_codes;
mod features;
mod operation;
mod paginator_waiter;
mod seed_examples;
mod server;
mod types;
mod wire_cases;

use super::{header, EmitError, GeneratedFile};
use crate::ir::{ConstraintsIr, FieldIr, ItemIr, ScalarIr, ServiceIr, TypeIr};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// The runtime crate as generated code names it.
pub(crate) const RUNTIME: &str = "vpn_gateway_runtime";

/// Every file of the generated crate.
pub(super) fn emit_crate(ir: &ServiceIr) -> Result<Vec<GeneratedFile>, EmitError> {
    /// One Rust file to produce; formatting dominates, so all of them run in parallel.
    enum Job<'a> {
        Lib,
        Client,
        Types,
        ErrorCodes,
        OperationIndex,
        Server,
        SeedExamples,
        WireCases,
        Operation(&'a crate::ir::OperationIr),
    }
    // The largest files first, so no core is left with a big one at the end.
    let mut jobs = vec![
        Job::Types,
        Job::SeedExamples,
        Job::WireCases,
        Job::Server,
        Job::Client,
        Job::ErrorCodes,
    ];
    jobs.extend(ir.operations().map(Job::Operation));
    jobs.extend([Job::Lib, Job::OperationIndex]);
    let mut files = vec![crate_root::emit_cargo_toml(ir)];
    for file in super::parallel_map(&jobs, |job| match job {
        Job::Lib => rust_file("src/lib.rs", crate_root::emit_lib(ir)).map(Some),
        Job::Client => rust_file("src/client.rs", client::emit_client(ir)).map(Some),
        Job::Types => rust_file("src/types.rs", types::emit_types(ir)).map(Some),
        Job::ErrorCodes => {
            rust_file("src/error_codes.rs", error_codes::emit_error_codes(ir)).map(Some)
        }
        Job::Server => rust_file("src/server.rs", server::emit_server(ir)).map(Some),
        Job::OperationIndex => {
            rust_file("src/operation.rs", operation::emit_operation_index(ir)).map(Some)
        }
        Job::SeedExamples => seed_examples::emit_seed_examples(ir)
            .map(|tokens| rust_file("src/seed_examples.rs", tokens))
            .transpose(),
        Job::WireCases => wire_cases::emit_wire_cases(ir)
            .map(|tokens| rust_file("src/wire_cases.rs", tokens))
            .transpose(),
        Job::Operation(op) => rust_file(
            &format!("src/operation/{}.rs", op.items.module),
            operation::emit_operation(op),
        )
        .map(Some),
    }) {
        files.extend(file?);
    }
    Ok(files)
}

/// Parses and pretty-prints `tokens` into a file with the generated header.
fn rust_file(path: &str, tokens: TokenStream) -> Result<GeneratedFile, EmitError> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| EmitError {
        path: path.to_owned(),
        message: format!("emitted tokens are not valid Rust: {e}"),
    })?;
    Ok(GeneratedFile {
        path: path.to_owned(),
        contents: format!("{}{}", header(path), prettyplease::unparse(&file)),
    })
}

/// An identifier; names were validated as identifiers before lowering.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A path written as text (`crate::operation::x::XInput`), as tokens.
pub(crate) fn path_tokens(path: &str) -> TokenStream {
    let mut segments = path.split("::").map(ident);
    let first = segments.next();
    quote!(#first #(::#segments)*)
}

/// A path to an item of the runtime crate, e.g. `runtime_path("SdkError")`.
///
/// Files that use it start with [`runtime_import`], so paths stay short: `rt::SdkError`.
pub(crate) fn runtime_path(item: &str) -> TokenStream {
    let segments = item.split("::").map(ident);
    quote!(rt #(::#segments)*)
}

/// `use ::vpn_gateway_runtime as rt;`
pub(crate) fn runtime_import() -> TokenStream {
    let krate = ident(RUNTIME);
    quote!(use ::#krate as rt;)
}

/// `#[doc = "..."]` attributes, one per line, so prettyplease prints `///` lines.
pub(crate) fn doc(text: &str) -> TokenStream {
    doc_raw(&doc_text(text))
}

/// Doc attributes for text the generator writes itself (may contain intra-doc links).
pub(crate) fn doc_raw(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// Makes spec prose safe for rustdoc: outside code spans, square brackets and angle brackets
/// are escaped (they would otherwise be read as intra-doc links or HTML) and bare URLs are
/// wrapped in `<...>`.
pub(crate) fn doc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.trim().split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let mut words = part.split(' ').peekable();
        while let Some(w) = words.next() {
            if w.starts_with("http://") || w.starts_with("https://") {
                let trimmed = w.trim_end_matches(['.', ',', ')', ';']);
                out.push('<');
                out.push_str(trimmed);
                out.push('>');
                out.push_str(&w[trimmed.len()..]);
            } else {
                for c in w.chars() {
                    match c {
                        '[' | ']' | '<' | '>' | '*' | '_' | '#' => {
                            out.push('\\');
                            out.push(c);
                        }
                        _ => out.push(c),
                    }
                }
            }
            if words.peek().is_some() {
                out.push(' ');
            }
        }
    }
    // An odd number of backticks would leave a code span open across items.
    if out.matches('`').count() % 2 == 1 {
        out = out.replace('`', "'");
    }
    out
}

/// The doc comment for a field: its description, then requirement, constraints, default
/// and example.
pub(crate) fn field_doc(f: &FieldIr, request: bool) -> String {
    let mut text = if f.origin == crate::ir::Origin::Imported {
        // No curated words: say where the fact comes from instead of copying Alibaba's prose.
        "From the current API metadata (no curated description); see the operation's official \
         reference."
            .to_owned()
    } else {
        f.doc.clone()
    };
    if request && f.location == crate::ir::Location::Body {
        text.push_str("\n\nSent in the form body.");
    }
    let mut facts = Vec::new();
    if request && f.required {
        facts.push("Required.".to_owned());
    }
    for c in f.constraints.describe() {
        facts.push(format!("{}.", capitalize(&c)));
    }
    if let Some(d) = &f.default {
        facts.push(format!("Default: `{d}`."));
    }
    if let Some(e) = &f.example {
        if !f.sensitive {
            facts.push(format!("Example: `{e}`."));
        }
    }
    if f.sensitive {
        facts.push("Sensitive: redacted in `Debug` output.".to_owned());
    }
    if !facts.is_empty() {
        text.push_str("\n\n");
        text.push_str(&facts.join(" "));
    }
    text
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The Rust type of a scalar.
pub(crate) fn scalar_type(s: ScalarIr) -> TokenStream {
    match s {
        ScalarIr::String => quote!(String),
        ScalarIr::Integer => quote!(i32),
        ScalarIr::Long => quote!(i64),
        ScalarIr::Boolean => quote!(bool),
        ScalarIr::Float => quote!(f64),
    }
}

/// The Rust type of a list item.
pub(crate) fn item_type(i: &ItemIr) -> TokenStream {
    match i {
        ItemIr::Scalar(s) => scalar_type(*s),
        ItemIr::Enum(n) | ItemIr::Struct(n) => {
            let n = ident(n);
            quote!(crate::types::#n)
        }
    }
}

/// The Rust type of a value (without the `Option` or `Vec` that holds it).
pub(crate) fn value_type(ty: &TypeIr) -> TokenStream {
    match ty {
        TypeIr::Scalar(s) => scalar_type(*s),
        TypeIr::Enum(n, _) | TypeIr::Json(n) | TypeIr::Object(n) => {
            let n = ident(n);
            quote!(crate::types::#n)
        }
        TypeIr::List(i) | TypeIr::WrappedList { item: i, .. } | TypeIr::CommaList(i) => {
            let t = item_type(i);
            quote!(Vec<#t>)
        }
    }
}

/// True for lists (held as `Vec`, empty meaning absent).
pub(crate) fn is_list(ty: &TypeIr) -> bool {
    matches!(
        ty,
        TypeIr::List(_) | TypeIr::WrappedList { .. } | TypeIr::CommaList(_)
    )
}

/// Calls into the runtime's validators for one present value named `v` (a reference).
///
/// `wire` is an expression of type `&str` naming the parameter in errors.
pub(crate) fn constraint_checks(wire: &TokenStream, ty: &TypeIr, c: &ConstraintsIr) -> TokenStream {
    let validate = runtime_path("validate");
    let bound = |x: Option<i64>| match x {
        Some(v) => {
            let v = proc_macro2::Literal::i64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let mut checks = Vec::new();
    if let Some(r) = c.range {
        let (lo, hi) = (bound(r.min), bound(r.max));
        let value = match ty {
            TypeIr::Scalar(ScalarIr::Float) => quote!(*v as i64),
            // Already an i64: a conversion would be a no-op (clippy::useless_conversion).
            TypeIr::Scalar(ScalarIr::Long) => quote!(*v),
            _ => quote!(i64::from(*v)),
        };
        checks.push(quote!(#validate::range(#wire, #value, #lo, #hi)?;));
    }
    if let Some(l) = c.length {
        let (lo, hi) = (bound(l.min), bound(l.max));
        checks.push(quote!(#validate::length(#wire, v, #lo, #hi)?;));
    }
    if let Some(i) = c.items {
        let (lo, hi) = (bound(i.min), bound(i.max));
        checks.push(quote!(#validate::items(#wire, v.len(), #lo, #hi)?;));
    }
    if !c.forbidden_prefixes.is_empty() {
        let p = &c.forbidden_prefixes;
        checks.push(quote!(#validate::forbidden_prefix(#wire, v, &[#(#p),*])?;));
    }
    if !c.forbidden_values.is_empty() {
        let p = &c.forbidden_values;
        let text = match ty {
            TypeIr::Scalar(ScalarIr::String) => quote!(v),
            _ => quote!(&v.to_string()),
        };
        checks.push(quote!(#validate::forbidden_value(#wire, #text, &[#(#p),*])?;));
    }
    if let Some(f) = c.format {
        let variant = ident(&format!("{f:?}"));
        checks.push(quote!(#validate::format(#wire, v, #validate::Format::#variant)?;));
    }
    quote!(#(#checks)*)
}

/// A `Debug` impl that shows every field but prints sensitive ones as `** redacted **`
/// (whether they are set stays visible). Empty when no field is sensitive, so the type can
/// derive `Debug` instead. `required_is_plain` says required fields are held without `Option`
/// (outputs).
pub(crate) fn redacted_debug(
    name: &str,
    fields: &[FieldIr],
    required_is_plain: bool,
) -> TokenStream {
    if !fields.iter().any(|f| f.sensitive) {
        return quote!();
    }
    let entries = fields.iter().map(|f| {
        let fname = ident(&f.names.snake);
        let label = &f.names.snake;
        let plain = is_list(&f.ty) || (required_is_plain && f.required);
        match (f.sensitive, !plain) {
            (false, _) => quote!(.field(#label, &self.#fname)),
            (true, true) => {
                quote!(.field(#label, &self.#fname.as_ref().map(|_| "** redacted **")))
            }
            (true, false) => quote!(.field(#label, &"** redacted **")),
        }
    });
    let type_name = ident(name);
    quote! {
        impl ::core::fmt::Debug for #type_name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name) #(#entries)* .finish()
            }
        }
    }
}

/// `collect_secrets` for a request-side type (fields held in `Option` or `Vec`): every value
/// of a sensitive scalar, at any depth, for the runtime to remove from whatever the server
/// echoes back. Empty when the type holds no secrets.
pub(crate) fn secret_collector(fields: &[FieldIr]) -> TokenStream {
    let pushes: Vec<TokenStream> = fields
        .iter()
        .filter(|f| f.holds_secrets)
        .map(|f| {
            let fname = ident(&f.names.snake);
            let holds_struct = matches!(
                &f.ty,
                TypeIr::Json(_)
                    | TypeIr::Object(_)
                    | TypeIr::List(ItemIr::Struct(_))
                    | TypeIr::WrappedList {
                        item: ItemIr::Struct(_),
                        ..
                    }
            );
            let collect = if holds_struct {
                quote!(v.collect_secrets(out);)
            } else {
                quote!(out.push(v.to_string());)
            };
            if is_list(&f.ty) {
                quote!(for v in &self.#fname { #collect })
            } else {
                quote!(if let Some(v) = &self.#fname { #collect })
            }
        })
        .collect();
    if pushes.is_empty() {
        return quote!();
    }
    quote! {
        /// Adds the value of every sensitive field, at any depth, to `out`.
        pub(crate) fn collect_secrets(&self, out: &mut Vec<String>) {
            #(#pushes)*
        }
    }
}
