//! Per-group cargo features of the generated crate: the `#[cfg(...)]` attributes that gate
//! operation modules, client methods and types. Which groups need which type is computed once
//! in [`crate::ir::group_reach`]; this module only prints.

use crate::ir::ServiceIr;
use proc_macro2::TokenStream;
use quote::quote;

/// The cargo feature of a group: its id (the validator keeps ids usable as feature names).
pub(crate) fn feature_name(group: &str) -> &str {
    group
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]` for an item several
/// groups need; nothing for an item no group needs (a type no operation uses is always there).
pub(crate) fn cfg(groups: &[String]) -> TokenStream {
    let features = groups.iter().map(|g| feature_name(g));
    match groups {
        [] => quote!(),
        [one] => {
            let one = feature_name(one);
            quote!(#[cfg(feature = #one)])
        }
        _ => quote!(#[cfg(any(#(feature = #features),*))]),
    }
}

/// The attribute for items any operation needs (the client's transport accessor).
pub(crate) fn cfg_any_group(ir: &ServiceIr) -> TokenStream {
    let groups: Vec<String> = ir.groups.iter().map(|g| g.id.clone()).collect();
    cfg(&groups)
}

/// The attribute for what needs every group at once (the generated tests, which exercise
/// every operation).
pub(crate) fn cfg_test_all_groups(ir: &ServiceIr) -> TokenStream {
    let features = ir.groups.iter().map(|g| feature_name(&g.id));
    quote!(#[cfg(all(test #(, feature = #features)*))])
}
