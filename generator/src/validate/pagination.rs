//! Pagination: the parameters and response fields a paginator reads and writes exist, with the
//! types the generated paginator needs, and the items field is a list.

use super::operations::{parameter, response_field};
use super::{At, Validator};
use crate::model::{OperationSpec, PaginationSpec, TypeRef};

impl<'a> Validator<'a> {
    /// The pagination of one operation, if it has one.
    pub(super) fn check_pagination(&mut self, at: &At<'a>, op: &'a OperationSpec) {
        let Some(pg) = &op.pagination else {
            return;
        };
        let paging = at.key("pagination");
        let (ins, outs, items): (Names<'_>, Names<'_>, &String) = match pg {
            PaginationSpec::PageNumber {
                page_number,
                page_size,
                total_count,
                items,
            } => (
                vec![("page_number", page_number), ("page_size", page_size)],
                vec![("total_count", total_count)],
                items,
            ),
            PaginationSpec::NextToken {
                next_token,
                max_results,
                next_token_out,
                items,
            } => (
                vec![("next_token", next_token), ("max_results", max_results)],
                vec![("next_token_out", next_token_out)],
                items,
            ),
        };
        for (key, name) in ins {
            match parameter(op, name) {
                None => self.report(
                    &paging.key(key),
                    Some(format!("pagination.{key}")),
                    format!("`{name}` is not a parameter"),
                ),
                Some(p) => {
                    if let Some(why) = pagination_type_problem(key, &p.ty) {
                        self.report(
                            &paging.key(key),
                            Some(format!("pagination.{key}")),
                            format!("parameter `{name}` {why}"),
                        );
                    }
                }
            }
        }
        for (key, name) in outs {
            match response_field(op, name) {
                None => self.report(
                    &paging.key(key),
                    Some(format!("pagination.{key}")),
                    format!("`{name}` is not a response field"),
                ),
                Some(f) => {
                    if let Some(why) = pagination_type_problem(key, &f.ty) {
                        self.report(
                            &paging.key(key),
                            Some(format!("pagination.{key}")),
                            format!("response field `{name}` {why}"),
                        );
                    }
                }
            }
        }
        match response_field(op, items) {
            Some(f) if matches!(f.ty, TypeRef::List(_) | TypeRef::WrappedList(_)) => {}
            Some(_) => self.report(
                &paging.key("items"),
                Some("pagination.items".into()),
                format!("`{items}` is not a list"),
            ),
            None => self.report(
                &paging.key("items"),
                Some("pagination.items".into()),
                format!("`{items}` is not a response field"),
            ),
        }
    }
}

/// (spec key, referenced name) pairs.
type Names<'s> = Vec<(&'static str, &'s String)>;

/// Why a pagination reference of kind `key` cannot have type `ty`: the generated paginator
/// reads page numbers and counts as integers and tokens as strings.
fn pagination_type_problem(key: &str, ty: &TypeRef) -> Option<&'static str> {
    let integer = matches!(ty, TypeRef::Integer | TypeRef::Long);
    match key {
        "page_number" | "page_size" | "max_results" | "total_count" if !integer => {
            Some("must be an `integer` or `long`")
        }
        "next_token" | "next_token_out" if *ty != TypeRef::String => Some("must be a `string`"),
        _ => None,
    }
}
