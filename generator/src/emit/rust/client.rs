//! `src/client.rs`: the `Client`, with one method per operation, each compiled with its
//! group's feature.

use super::{doc, ident, runtime_path};
use crate::ir::ServiceIr;
use proc_macro2::TokenStream;
use quote::quote;

/// The client type.
pub(super) fn emit_client(ir: &ServiceIr) -> TokenStream {
    let config = runtime_path("Config");
    let rpc = runtime_path("RpcClient");
    let credentials_error = runtime_path("credentials::CredentialsError");
    let methods = ir.operations().map(|op| {
        let m = ident(&op.names.snake);
        let module = ident(&op.items.module);
        let builder = ident(&op.items.builder);
        let d = super::doc_raw(&format!(
            "`{}`: {}\n\nSee [`crate::operation::{}`] for the input, output and errors.",
            op.names.wire,
            super::doc_text(&op.summary),
            op.items.module
        ));
        let gate = super::features::cfg(std::slice::from_ref(&op.group));
        quote! {
            #d
            #gate
            pub fn #m(&self) -> crate::operation::#module::#builder {
                crate::operation::#module::#builder::new(self.clone())
            }
        }
    });
    let client_doc = doc(&format!(
        "A client for the {} API. Cheap to clone: clones share one connection pool and credentials cache.",
        ir.name
    ));
    let any_group = super::features::cfg_any_group(ir);
    let rt = super::runtime_import();
    quote! {
        //! The service client.
        #rt

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            rpc: #rpc,
        }

        impl Client {
            /// A client with an explicit configuration.
            pub fn new(config: #config) -> Self {
                Self { rpc: #rpc::new(&crate::METADATA, config) }
            }

            /// A client configured from the environment: the default credential chain and
            /// `ALIBABA_CLOUD_REGION_ID`.
            pub async fn from_env() -> Result<Self, #credentials_error> {
                Ok(Self::new(#config::from_env().await?))
            }

            /// The configuration in use.
            pub fn config(&self) -> &#config {
                self.rpc.config()
            }

            #any_group
            pub(crate) fn rpc(&self) -> &#rpc {
                &self.rpc
            }

            #(#methods)*
        }
    }
}
