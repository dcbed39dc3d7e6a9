//! Waiters (`async`): the polled operation exists, its inputs are filled from this operation's
//! request or response with values of the same type, the status field is a string or enum that
//! has every status named, and the waiter can succeed.

use super::operations::{parameter, response_field};
use super::{describe_type, At, TypeDef, Validator};
use crate::model::{AsyncSpec, EnumSpec, Field, OperationSpec, TypeRef};

impl<'a> Validator<'a> {
    /// The waiter of one operation, if it has one.
    pub(super) fn check_async(&mut self, at: &At<'a>, op: &'a OperationSpec) {
        let Some(a) = &op.async_completion else {
            return;
        };
        let waiter = at.key("async");
        match self.operations.get(a.poll.as_str()).copied() {
            None => self.report(
                &waiter.key("poll"),
                Some("async.poll".into()),
                format!("operation `{}` does not exist", a.poll),
            ),
            Some(poll) => {
                for (target, source) in &a.input {
                    if !poll.parameters.iter().any(|p| &p.name == target) {
                        self.report(
                            &waiter.key("input").key(target),
                            Some(format!("async.input.{target}")),
                            format!("`{target}` is not a parameter of {}", a.poll),
                        );
                    }
                    let from = match source.split_once('.') {
                        Some(("request", n)) => parameter(op, n),
                        Some(("response", n)) => response_field(op, n),
                        _ => None,
                    };
                    match (from, poll.parameters.iter().find(|p| &p.name == target)) {
                        (None, _) => self.report(
                            &waiter.key("input").key(target),
                            Some(format!("async.input.{target}")),
                            format!("`{source}` must be `request.<Parameter>` or `response.<Field>` of this operation"),
                        ),
                        (Some(from), Some(to)) if from.ty != to.ty => self.report(
                            &waiter.key("input").key(target),
                            Some(format!("async.input.{target}")),
                            format!(
                                "`{source}` is {} but `{target}` of {} is {}",
                                describe_type(&from.ty),
                                a.poll,
                                describe_type(&to.ty)
                            ),
                        ),
                        _ => {}
                    }
                }
                match self.resolve_response_path(poll, &a.status_field) {
                    None => self.report(
                        &waiter.key("status_field"),
                        Some("async.status_field".into()),
                        format!("`{}` is not a response field of {}", a.status_field, a.poll),
                    ),
                    Some(f) if !matches!(f.ty, TypeRef::String | TypeRef::Enum(_)) => self.report(
                        &waiter.key("status_field"),
                        Some("async.status_field".into()),
                        format!(
                            "`{}` is {}; a status field must be a `string` or an enum",
                            a.status_field,
                            describe_type(&f.ty)
                        ),
                    ),
                    Some(f) => {
                        if let TypeRef::Enum(name) = &f.ty {
                            if let Some(TypeDef::Enum(e)) = self.def(name) {
                                self.check_statuses(&waiter, a, e);
                            }
                        }
                    }
                }
            }
        }
        if a.success.is_empty() && a.gone_error.is_none() {
            self.report(
                &waiter.key("success"),
                Some("async.success".into()),
                "needs at least one success status or a `gone_error`".into(),
            );
        }
        if let Some(code) = &a.gone_error {
            if !self.error_codes.contains(code.as_str()) {
                self.report(
                    &waiter.key("gone_error"),
                    Some("async.gone_error".into()),
                    format!("error code `{code}` is not in the catalogue"),
                );
            }
        }
    }

    /// Every status the waiter names is a value of `e`, the status field's enum.
    fn check_statuses(&mut self, waiter: &At<'a>, a: &AsyncSpec, e: &EnumSpec) {
        let lists = [
            ("pending", &a.pending),
            ("success", &a.success),
            ("failure", &a.failure),
        ];
        for (list, statuses) in lists {
            for s in statuses {
                if !e.values.iter().any(|v| &v.value.to_string() == s) {
                    self.report(
                        &waiter.key(list).nth_scalar(s, 0),
                        Some("async".into()),
                        format!("status `{s}` is not a value of enum {}", e.name),
                    );
                }
            }
        }
    }

    /// Follows a dotted path through response objects (not lists).
    fn resolve_response_path(&self, op: &'a OperationSpec, path: &str) -> Option<&'a Field> {
        let mut fields: &'a [Field] = &op.response;
        let mut found = None;
        for seg in path.split('.') {
            let f = fields.iter().find(|f| f.name == seg)?;
            found = Some(f);
            fields = match &f.ty {
                TypeRef::Object(n) => match self.types.get(n.as_str()) {
                    Some((TypeDef::Struct(s), _)) => &s.fields,
                    _ => &[],
                },
                _ => &[],
            };
        }
        found
    }
}
