//! `src/error_codes.rs`: the service-wide error catalogue as an enum.

use super::{doc, ident};
use crate::ir::ServiceIr;
use proc_macro2::TokenStream;
use quote::quote;

/// `ErrorCode`: code ↔ HTTP status ↔ message ↔ retryable, from `spec/errors.yaml`.
pub(super) fn emit_error_codes(ir: &ServiceIr) -> TokenStream {
    let variants: Vec<_> = ir.errors.iter().map(|e| ident(&e.variant)).collect();
    let docs = ir.errors.iter().map(|e| {
        let mut text = format!("`{}` (HTTP {}): {}", e.code, e.http_status, e.description);
        if let Some(n) = &e.note {
            text.push_str(&format!("\n\nNote: {n}"));
        }
        doc(&text)
    });
    let rows = ir.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let (code, status, message, retryable) = (&e.code, e.http_status, &e.message, e.retryable);
        quote!((ErrorCode::#v, #code, #status, #message, #retryable))
    });
    quote! {
        //! Every error code the service documents, with its HTTP status, message and whether
        //! retrying can help.
        use ::core::fmt;

        /// A documented error code of the service.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#docs #variants,)*
        }

        /// (code, wire code, HTTP status, message, retryable), sorted by wire code.
        const CATALOGUE: &[(ErrorCode, &str, u16, &str, bool)] = &[#(#rows),*];

        impl ErrorCode {
            /// Every documented code, sorted by wire code.
            pub fn all() -> impl ::core::iter::Iterator<Item = ErrorCode> {
                CATALOGUE.iter().map(|row| row.0)
            }

            /// The code for a wire code, if it is documented.
            pub fn from_code(code: &str) -> Option<ErrorCode> {
                CATALOGUE
                    .binary_search_by(|row| row.1.cmp(code))
                    .ok()
                    .map(|i| CATALOGUE[i].0)
            }

            fn row(self) -> &'static (ErrorCode, &'static str, u16, &'static str, bool) {
                // Variants and rows are emitted in the same order.
                &CATALOGUE[self as usize]
            }

            /// The wire code, e.g. `VpnGateway.Configuring`.
            pub fn code(self) -> &'static str { self.row().1 }

            /// The HTTP status the service answers with.
            pub fn http_status(self) -> u16 { self.row().2 }

            /// The documented message.
            pub fn message(self) -> &'static str { self.row().3 }

            /// Whether repeating the request later can succeed.
            pub fn is_retryable(self) -> bool { self.row().4 }
        }

        impl fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    }
}
