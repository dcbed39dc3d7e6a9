//! Operations: the checks of an operation's parts (parameters, response fields, the methods
//! generated from them, the side each type may sit on) and of what must agree across them: the
//! idempotency token names a string parameter, `location` is for parameters only, the summary
//! says something. Rules, pagination, waiters, errors and examples have their own modules.

use super::names::Methods;
use super::{At, Side, Validator};
use crate::model::{Field, OperationSpec, TypeRef};

impl<'a> Validator<'a> {
    /// Every check of one operation; `at` is the operation.
    pub(super) fn check_operation(&mut self, at: At<'a>, op: &'a OperationSpec) {
        let at = &at;
        let parameters = at.key("parameters");
        let response = at.key("response");
        let parameter_places = self.check_fields(
            &parameters,
            "parameters",
            &op.parameters,
            Some(Side::Request),
        );
        let response_places =
            self.check_fields(&response, "response", &op.response, Some(Side::Response));
        self.check_method_names(&parameters, "parameters", &op.parameters, Methods::Builder);
        self.check_method_names(&response, "response", &op.response, Methods::Output);
        for (p, place) in op.parameters.iter().zip(&parameter_places) {
            self.check_struct_side(&place.key("type"), &p.name, &p.ty, Side::Request);
        }
        for (r, place) in op.response.iter().zip(&response_places) {
            if r.location.is_some() {
                self.report(
                    &place.key("location"),
                    Some(format!("response.{}", r.name)),
                    "`location` applies to request parameters only".into(),
                );
            }
            self.check_response_nesting(&place.key("type"), &r.name, &r.ty, 0);
        }
        self.check_rules(at, op);
        self.check_idempotency_token(at, op);
        self.check_pagination(at, op);
        self.check_async(at, op);
        self.check_operation_errors(at, op);
        self.check_example(at, op);
        if op.summary.trim().is_empty() {
            self.report(
                &at.key("summary"),
                Some("summary".into()),
                "summary is empty".into(),
            );
        }
    }

    /// The idempotency token, if any, names a string parameter: the generated code fills it in
    /// with a fresh UUID when the caller leaves it unset.
    fn check_idempotency_token(&mut self, at: &At<'a>, op: &'a OperationSpec) {
        if let Some(tok) = &op.idempotency_token {
            match parameter(op, tok) {
                Some(p) if p.ty == TypeRef::String => {}
                Some(_) => self.report(
                    &at.key("idempotency_token"),
                    Some("idempotency_token".into()),
                    format!("`{tok}` must be a string parameter"),
                ),
                None => self.report(
                    &at.key("idempotency_token"),
                    Some("idempotency_token".into()),
                    format!("`{tok}` is not a parameter"),
                ),
            }
        }
    }
}

/// The parameter of `op` with wire name `name`.
pub(super) fn parameter<'o>(op: &'o OperationSpec, name: &str) -> Option<&'o Field> {
    op.parameters.iter().find(|p| p.name == name)
}

/// The top-level response field of `op` with wire name `name`.
pub(super) fn response_field<'o>(op: &'o OperationSpec, name: &str) -> Option<&'o Field> {
    op.response.iter().find(|p| p.name == name)
}
