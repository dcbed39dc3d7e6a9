//! `Cargo.toml` and `src/lib.rs` of the generated crate.

use super::{doc, runtime_path};
use crate::emit::{header, GeneratedFile};
use crate::ir::ServiceIr;
use proc_macro2::TokenStream;
use quote::quote;

/// The crate manifest. Dependencies come from the workspace so versions live in one place; the
/// package, library and runtime path are the spec's (validated to need no TOML escaping).
pub(super) fn emit_cargo_toml(ir: &ServiceIr) -> GeneratedFile {
    let path = "Cargo.toml";
    let contents = format!(
        r#"{header}[package]
name = "{package}"
version = "0.1.0"
description = "Typed async client for the Alibaba Cloud {name} API ({product} {version})."
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[lib]
name = "{lib}"
# Named explicitly so the workspace still loads when `src/` is missing and
# `cargo xtask codegen` can rebuild it.
path = "src/lib.rs"

{features}
[dependencies]
serde.workspace = true
vpn-gateway-runtime = {{ path = "{runtime}" }}

[dev-dependencies]
serde_json.workspace = true
tokio.workspace = true
vpn-gateway-runtime = {{ path = "{runtime}", features = ["test-util"] }}

[lints]
workspace = true
"#,
        header = header(path),
        package = ir.package.name,
        lib = ir.package.lib,
        runtime = ir.package.runtime_path,
        name = ir.name,
        product = ir.product,
        version = ir.api_version,
        features = features_section(ir),
    );
    GeneratedFile {
        path: path.to_owned(),
        contents,
    }
}

/// `[features]`: one feature per operation group, all enabled by default, each enabling the
/// groups that hold the waiters to use after its asynchronous operations.
fn features_section(ir: &ServiceIr) -> String {
    let reach = crate::ir::group_reach(ir);
    let quoted = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|g| format!("\"{}\"", super::features::feature_name(g)))
            .collect()
    };
    let all: Vec<String> = ir.groups.iter().map(|g| g.id.clone()).collect();
    let mut out = String::from(
        "[features]\n\
         # One feature per operation group (`groups` in spec/service.yaml): it compiles the group's\n\
         # operation modules, their client methods and the types they use. All are on by default;\n\
         # depend with `default-features = false` and name the groups you call to compile less.\n",
    );
    out.push_str(&format!("default = [{}]\n", quoted(&all).join(", ")));
    out.push_str(&format!(
        "# The server side (`vpn_gateway::server`): the service trait, request decoding and the\n\
         # operations' facts, for servers such as the local emulator. It needs every group.\n\
         server = [\"vpn-gateway-runtime/server\", {}]\n",
        quoted(&all).join(", ")
    ));
    for g in &ir.groups {
        let title = g.title.split_whitespace().collect::<Vec<_>>().join(" ");
        let requires = reach.requires.get(&g.id).map_or(&[][..], Vec::as_slice);
        out.push_str(&format!("# {title} ({} operations)", g.operations.len()));
        if !requires.is_empty() {
            out.push_str(&format!(
                "; enables {} for the waiters of its asynchronous operations",
                requires.join(", ")
            ));
        }
        out.push('\n');
        out.push_str(&format!(
            "{} = [{}]\n",
            super::features::feature_name(&g.id),
            quoted(requires).join(", ")
        ));
    }
    out
}

/// The crate root: docs, modules, re-exports and the service metadata.
pub(super) fn emit_lib(ir: &ServiceIr) -> TokenStream {
    let features: Vec<String> = ir
        .groups
        .iter()
        .map(|g| {
            format!(
                "- `{}`: {} ({} operations)",
                super::features::feature_name(&g.id),
                g.title.split_whitespace().collect::<Vec<_>>().join(" "),
                g.operations.len()
            )
        })
        .collect();
    let crate_doc = format!(
        "Typed async client for the Alibaba Cloud {} API (`{}` {}).\n\n{}\n\nEvery request is validated against the documented constraints before it is sent, \
         signed, and retried on throttling and transient failures by the runtime crate.\n\n\
         Features: one cargo feature per operation group, all enabled by default. Each compiles \
         the group's operation modules, client methods and the types they use; with \
         `default-features = false`, enable only the groups you call. The `server` feature adds \
         `server`, the server side of the API (a service trait and request decoding), and \
         enables every group.\n\n{}",
        ir.name, ir.product, ir.api_version, ir.description, features.join("\n")
    );
    let crate_doc = super::doc_text(&crate_doc);
    let crate_docs = crate_doc.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let metadata = runtime_path("ServiceMetadata");
    let sdk_name = &ir.package.name;
    let (product, version, global, pattern) = (
        &ir.product,
        &ir.api_version,
        &ir.global_endpoint,
        &ir.endpoint_pattern,
    );
    let regional = ir.regional_endpoints.iter().map(|(r, h)| quote!((#r, #h)));
    let retryable = ir.errors.iter().filter(|e| e.retryable).map(|e| &e.code);
    let reexports = [
        "Config",
        "RpcClient",
        "RequestOptions",
        "SdkError",
        "ServiceError",
        "ValidationError",
        "ProvideErrorMetadata",
        "waiter::WaiterConfig",
        "waiter::WaitError",
        "PaginationError",
        "PaginationErrorKind",
        "credentials::Credentials",
    ]
    .iter()
    .map(|p| {
        let path = runtime_path(p);
        quote!(#[rustfmt::skip] pub use #path;)
    });
    let runtime = super::ident(super::RUNTIME);
    let meta_doc = doc("The static description of the service the runtime works from.");
    // The generated tests exercise every operation.
    let all_groups_test = super::features::cfg_test_all_groups(ir);
    let rt = super::runtime_import();
    quote! {
        #(#crate_docs)*
        #![deny(missing_docs)]
        #rt

        // Generated modules are formatted by the generator (prettyplease); rustfmt keeps out.
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod error_codes;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod types;
        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod server;
        #all_groups_test
        #[rustfmt::skip]
        mod seed_examples;
        #all_groups_test
        #[rustfmt::skip]
        mod wire_cases;

        pub use client::Client;
        pub use error_codes::ErrorCode;
        #(#reexports)*
        /// The runtime crate, for everything not re-exported here.
        #[rustfmt::skip]
        pub use ::#runtime as runtime;

        #meta_doc
        #[rustfmt::skip]
        pub static METADATA: #metadata = #metadata {
            product: #product,
            api_version: #version,
            global_endpoint: #global,
            endpoint_pattern: #pattern,
            regional_endpoints: &[#(#regional),*],
            retryable_codes: &[#(#retryable),*],
            sdk_name: #sdk_name,
            sdk_version: "0.1.0",
        };
    }
}
