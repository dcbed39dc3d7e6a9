//! Paginators and waiters, added to the fluent builders of listing and describe operations.
//!
//! Both are thin: the generated code supplies closures over the builder and the output;
//! timing, state and streaming live in the runtime's `paginate` and `waiter` modules.

use super::{doc_raw, ident, item_type, runtime_path};
use crate::ir::{FieldRef, OperationIr, PaginationIr, ScalarIr, StatusIr, TypeIr};
use proc_macro2::TokenStream;
use quote::quote;

/// `into_paginator` and `into_items` for an operation with pagination.
pub(super) fn emit_paginator(op: &OperationIr) -> TokenStream {
    let Some(p) = &op.pagination else {
        return quote!();
    };
    let builder = ident(&op.items.builder);
    let output = ident(&op.items.output);
    let error = ident(&op.items.error);
    let paginate = runtime_path("paginate");
    let sdk_error = runtime_path("SdkError");
    let (items, item, request_id) = match p {
        PaginationIr::PageNumber {
            items,
            item,
            request_id,
            ..
        }
        | PaginationIr::NextToken {
            items,
            item,
            request_id,
            ..
        } => (ident(&items.snake), item_type(item), request_id),
    };
    // A `long` is an i64 already: no conversion (clippy::useless_conversion).
    let is_long = |f: &FieldRef| matches!(f.ty, TypeIr::Scalar(ScalarIr::Long));
    // Numeric response fields as `Option<i64>`; a field of another type is `None` (no claim
    // about the listing).
    let number = |f: &FieldRef| {
        if !matches!(f.ty, TypeIr::Scalar(ScalarIr::Integer | ScalarIr::Long)) {
            return quote!(None);
        }
        let name = ident(&f.snake);
        match (f.required, is_long(f)) {
            (true, false) => quote!(Some(i64::from(out.#name))),
            (true, true) => quote!(Some(out.#name)),
            (false, false) => quote!(out.#name.map(i64::from)),
            (false, true) => quote!(out.#name),
        }
    };
    let widened = |param: &FieldRef| {
        let name = ident(&param.snake);
        if is_long(param) {
            quote!(self.input.#name)
        } else {
            quote!(self.input.#name.map(i64::from))
        }
    };
    let request_id = match request_id {
        Some(f) if matches!(f.ty, TypeIr::Scalar(ScalarIr::String)) => {
            let name = ident(&f.snake);
            if f.required {
                quote!(Some(out.#name.as_str()))
            } else {
                quote!(out.#name.as_deref())
            }
        }
        _ => quote!(None),
    };
    let (start, set_cursor, inspect, page_size) = match p {
        PaginationIr::PageNumber {
            page_number,
            page_size,
            total_count,
            echoed_page_number,
            echoed_page_size,
            ..
        } => {
            let pn = ident(&page_number.snake);
            let narrow = match &page_number.ty {
                TypeIr::Scalar(ScalarIr::Long) => quote!(page),
                // The runtime never asks for a page beyond `MAX_PAGE_NUMBER` (`i32::MAX`).
                _ => quote!(i32::try_from(page).unwrap_or(i32::MAX)),
            };
            let total = number(total_count);
            // The response echoes the paging parameters under their request names; a response
            // without them makes no claim.
            let echoed_number = echoed_page_number
                .as_ref()
                .map(number)
                .map(|n| quote!(.with_page_number(#n)));
            let echoed_size = echoed_page_size
                .as_ref()
                .map(number)
                .map(|n| quote!(.with_page_size(#n)));
            let first_page = widened(page_number);
            let size = widened(page_size);
            (
                quote!(#paginate::Cursor::Page(#first_page.unwrap_or(1))),
                quote! {
                    if let #paginate::Cursor::Page(page) = cursor {
                        builder.input.#pn = Some(#narrow);
                    }
                },
                quote! {
                    |out: &#output| #paginate::PageInfo::page_number(out.#items.len(), #total)
                        #echoed_number
                        #echoed_size
                        .with_request_id(#request_id)
                },
                (
                    // Read before `self` moves into the fetch closure.
                    quote!(let page_size = #size;),
                    quote!(.with_page_size(page_size)),
                ),
            )
        }
        PaginationIr::NextToken {
            next_token,
            next_token_out,
            ..
        } => {
            let nt = ident(&next_token.snake);
            let out_tok = ident(&next_token_out.snake);
            let token = if next_token_out.required {
                quote!(Some(out.#out_tok.as_str()))
            } else {
                quote!(out.#out_tok.as_deref())
            };
            (
                quote!(#paginate::Cursor::Token(self.input.#nt.clone())),
                quote! {
                    if let #paginate::Cursor::Token(token) = cursor {
                        builder.input.#nt = token;
                    }
                },
                quote! {
                    |out: &#output| #paginate::PageInfo::next_token(out.#items.len(), #token)
                        .with_request_id(#request_id)
                },
                (quote!(), quote!()),
            )
        }
    };
    let (page_size_prelude, page_size) = page_size;
    let end_rule = match p {
        PaginationIr::PageNumber { .. } => {
            "The listing ends after page n when n × `PageSize` ≥ `TotalCount` (without a `TotalCount`, at the first page with fewer items than `PageSize`)."
        }
        PaginationIr::NextToken { .. } => {
            "The listing ends when a response carries no `NextToken` or an empty one; a page without items that carries a token is not the end."
        }
    };
    let d = doc_raw(&format!(
        "Every page of `{}`, fetched as the stream is consumed; starts where the builder's paging parameters point (the first page by default). Consume with `.next().await` or as a `futures_core::Stream`.\n\n{end_rule} No page is requested twice: when the service does not advance the listing (a `NextToken` already requested, a page number other than the one asked for, empty pages where more were announced), the stream yields the pages it received and then `SdkError::Pagination` as its last item.",
        op.names.wire
    ));
    quote! {
        impl #builder {
            #d
            pub fn into_paginator(self) -> #paginate::Pages<#output, #sdk_error<#error>> {
                let start = #start;
                #page_size_prelude
                #paginate::Pages::new(
                    start,
                    move |cursor| {
                        let mut builder = self.clone();
                        #set_cursor
                        builder.send()
                    },
                    #inspect,
                )
                #page_size
            }

            /// Every item of every page, in order.
            pub fn into_items(self) -> #paginate::Items<#output, #item, #sdk_error<#error>> {
                self.into_paginator().items(|out| out.#items)
            }
        }
    }
}

/// `wait_until_*` methods on the fluent builder of `poll`, one per waiter the IR puts on it.
pub(super) fn emit_waiters(poll: &OperationIr) -> TokenStream {
    if poll.waiters.is_empty() {
        return quote!();
    }
    let builder = ident(&poll.items.builder);
    let output = ident(&poll.items.output);
    let error = ident(&poll.items.error);
    let waiter = runtime_path("waiter");
    let methods = poll.waiters.iter().map(|w| {
        let method = ident(&w.method);
        let status_expr = w.status.as_ref().map(status_expr);
        let status_arm = match &status_expr {
            Some(expr) => {
                let success = &w.success;
                let failure = &w.failure;
                let failure_arm = if failure.is_empty() {
                    quote!()
                } else {
                    quote!(Some(s @ (#(#failure)|*)) => #waiter::Observation::Failure(s.to_owned()),)
                };
                quote! {
                    Ok(out) => {
                        let status: Option<String> = #expr;
                        match status.as_deref() {
                            Some(#(#success)|*) => #waiter::Observation::Success(Some(out)),
                            #failure_arm
                            _ => #waiter::Observation::Pending(status),
                        }
                    }
                }
            }
            None => quote!(Ok(_) => #waiter::Observation::Pending(None),),
        };
        let gone_arm = match &w.gone_error {
            Some(code) => quote!(Err(e) if e.code() == Some(#code) => #waiter::Observation::Success(None),),
            None => quote!(),
        };
        let what = match (&w.gone_error, &w.status) {
            (Some(code), _) => format!("the service answers `{code}` (the resource is gone)"),
            (None, Some(status)) => format!(
                "`{}` is {}",
                status.wire,
                w.success
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            (None, None) => String::new(),
        };
        let failure_note = if w.failure.is_empty() {
            String::new()
        } else {
            format!(
                " Stops with `WaitError::FailureState` on {}.",
                w.failure
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let d = doc_raw(&format!(
            "Polls `{}` with this builder's input until {what}, backing off between polls, for at most the configured maximum wait (pass a `Duration` or a `WaiterConfig`).{failure_note}\n\nUse after: {}.\n\nReturns the last output, or `None` when the resource is gone.",
            poll.names.wire,
            w.used_after
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        quote! {
            #d
            pub async fn #method(
                self,
                config: impl Into<#waiter::WaiterConfig>,
            ) -> Result<Option<#output>, #waiter::WaitError<#error>> {
                #waiter::wait(
                    config.into(),
                    || self.clone().send(),
                    |result| match result {
                        #status_arm
                        #gone_arm
                        Err(e) => #waiter::Observation::Error(e),
                    },
                )
                .await
            }
        }
    });
    quote! {
        impl #builder {
            #(#methods)*
        }
    }
}

/// An `Option<String>` expression reading the status field from `out`.
fn status_expr(status: &StatusIr) -> TokenStream {
    let mut segs = status.path.iter().map(|s| ident(s));
    let Some(first) = segs.next() else {
        return quote!(None);
    };
    let mut expr = if status.top_required {
        quote!(Some(&out.#first))
    } else {
        quote!(out.#first.as_ref())
    };
    for seg in segs {
        expr = quote!(#expr.and_then(|x| x.#seg.as_ref()));
    }
    quote!(#expr.map(|s| s.to_string()))
}
