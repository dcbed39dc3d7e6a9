//! Lowering of one operation: every name its spec refers to (parameters, response fields,
//! the poll operation, error codes) resolved, or a [`LowerError`] naming it; and the waiters
//! merged onto the operations they poll.

use super::lower::Ctx;
use super::*;
use crate::model::{self, Field, OperationSpec, PaginationSpec, Scalar, TypeRef};
use crate::naming;
use std::collections::BTreeMap;

/// Resolves the names one operation's spec refers to, failing with a [`LowerError`] that
/// names the spec file, the operation and the reference.
struct OpLowering<'a> {
    file: &'a str,
    action: &'a str,
}

impl OpLowering<'_> {
    fn item(&self) -> String {
        format!("operation {}", self.action)
    }

    fn error(&self, field: impl Into<String>, problem: impl Into<String>) -> LowerError {
        LowerError {
            file: self.file.to_owned(),
            item: self.item(),
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// The field of `fields` whose wire name is `wire`; `what` names the reference.
    fn find<'f>(
        &self,
        fields: &'f [FieldIr],
        wire: &str,
        what: &str,
    ) -> Result<&'f FieldIr, LowerError> {
        fields
            .iter()
            .find(|f| f.names.wire == wire)
            .ok_or_else(|| self.error(what, format!("no field `{wire}`")))
    }

    fn field_ref(
        &self,
        fields: &[FieldIr],
        wire: &str,
        what: &str,
    ) -> Result<FieldRef, LowerError> {
        self.find(fields, wire, what).map(FieldRef::to)
    }

    fn refs(
        &self,
        params: &[FieldIr],
        wires: &[String],
        what: &str,
    ) -> Result<Vec<FieldRef>, LowerError> {
        wires
            .iter()
            .map(|w| self.field_ref(params, w, what))
            .collect()
    }

    /// The list field with a paginated listing's items, and its item type.
    fn items(&self, response: &[FieldIr], wire: &str) -> Result<(FieldRef, ItemIr), LowerError> {
        let f = self.find(response, wire, "pagination.items")?;
        match &f.ty {
            TypeIr::List(i) | TypeIr::WrappedList { item: i, .. } => {
                Ok((FieldRef::to(f), i.clone()))
            }
            _ => Err(self.error("pagination.items", format!("`{wire}` is not a list"))),
        }
    }

    fn pagination(
        &self,
        p: &PaginationSpec,
        params: &[FieldIr],
        response: &[FieldIr],
    ) -> Result<PaginationIr, LowerError> {
        // The paginator reports the request ID of every page when the response has one.
        let request_id = response
            .iter()
            .find(|f| f.names.snake == "request_id")
            .map(FieldRef::to);
        // A response that echoes a paging parameter under its Rust name claims which page it is.
        let echoed = |param: &FieldRef| {
            response
                .iter()
                .find(|f| f.names.snake == param.snake)
                .map(FieldRef::to)
        };
        Ok(match p {
            PaginationSpec::PageNumber {
                page_number,
                page_size,
                total_count,
                items,
            } => {
                let page_number = self.field_ref(params, page_number, "pagination.page_number")?;
                let page_size = self.field_ref(params, page_size, "pagination.page_size")?;
                let (items, item) = self.items(response, items)?;
                PaginationIr::PageNumber {
                    echoed_page_number: echoed(&page_number),
                    echoed_page_size: echoed(&page_size),
                    total_count: self.field_ref(response, total_count, "pagination.total_count")?,
                    page_number,
                    page_size,
                    items,
                    item,
                    request_id,
                }
            }
            PaginationSpec::NextToken {
                next_token,
                max_results,
                next_token_out,
                items,
            } => {
                let (items, item) = self.items(response, items)?;
                PaginationIr::NextToken {
                    next_token: self.field_ref(params, next_token, "pagination.next_token")?,
                    max_results: self.field_ref(params, max_results, "pagination.max_results")?,
                    next_token_out: self.field_ref(
                        response,
                        next_token_out,
                        "pagination.next_token_out",
                    )?,
                    items,
                    item,
                    request_id,
                }
            }
        })
    }

    fn async_completion(
        &self,
        ctx: &Ctx<'_>,
        a: &model::AsyncSpec,
        params: &[FieldIr],
        response: &[FieldIr],
        all_ops: &BTreeMap<&str, &OperationSpec>,
    ) -> Result<AsyncIr, LowerError> {
        let poll = all_ops
            .get(a.poll.as_str())
            .ok_or_else(|| self.error("async.poll", format!("no operation `{}`", a.poll)))?;
        let poll_params: Vec<Names> = poll
            .parameters
            .iter()
            .map(|f| Names::of(&f.name, f.rust_name.as_deref()))
            .collect();
        let input = a
            .input
            .iter()
            .map(|(target, source)| {
                let what = format!("async.input.{target}");
                let src = match source.split_once('.') {
                    Some(("response", n)) => {
                        AsyncSource::Response(self.find(response, n, &what)?.names.snake.clone())
                    }
                    Some(("request", n)) => {
                        AsyncSource::Request(self.find(params, n, &what)?.names.snake.clone())
                    }
                    _ => {
                        return Err(self.error(
                            what,
                            format!("`{source}` is neither `request.X` nor `response.X`"),
                        ))
                    }
                };
                let poll_param =
                    poll_params
                        .iter()
                        .find(|n| n.wire == *target)
                        .ok_or_else(|| {
                            self.error(
                                &what,
                                format!("`{}` has no parameter `{target}`", poll.action),
                            )
                        })?;
                Ok((poll_param.snake.clone(), src))
            })
            .collect::<Result<_, _>>()?;
        Ok(AsyncIr {
            poll: Names::of(&poll.action, Some(&naming::snake_name(&poll.action))),
            input,
            status: self.status(ctx, poll, &a.status_field)?,
            pending: a.pending.clone(),
            success: a.success.clone(),
            failure: a.failure.clone(),
            gone_error: a.gone_error.clone(),
        })
    }

    /// Follows the dotted path of the status field through nested objects of `poll`'s
    /// response, to Rust names.
    fn status(
        &self,
        ctx: &Ctx<'_>,
        poll: &OperationSpec,
        wire: &str,
    ) -> Result<StatusIr, LowerError> {
        let what = "async.status_field";
        let mut path = Vec::new();
        let mut top_required = false;
        let mut fields: &[Field] = &poll.response;
        for (depth, seg) in wire.split('.').enumerate() {
            let f = fields.iter().find(|f| f.name == seg).ok_or_else(|| {
                self.error(what, format!("`{}` has no field `{seg}`", poll.action))
            })?;
            if depth == 0 {
                top_required = f.required;
            }
            path.push(Names::of(&f.name, f.rust_name.as_deref()).snake);
            fields = match &f.ty {
                TypeRef::Object(n) => ctx
                    .structs
                    .get(n.as_str())
                    .map(|s| s.fields.as_slice())
                    .ok_or_else(|| self.error(what, format!("no struct `{n}`")))?,
                _ => &[],
            };
        }
        Ok(StatusIr {
            wire: wire.to_owned(),
            path,
            top_required,
        })
    }
}

pub(super) fn lower_operation(
    ctx: &Ctx<'_>,
    file: &str,
    group: &str,
    op: &OperationSpec,
    errors: &BTreeMap<&str, &ErrorIr>,
    all_ops: &BTreeMap<&str, &OperationSpec>,
) -> Result<OperationIr, LowerError> {
    let at = OpLowering {
        file,
        action: &op.action,
    };
    let params = ctx.fields(&op.parameters, file, &at.item())?;
    let response = ctx.fields(&op.response, file, &at.item())?;
    let pagination = op
        .pagination
        .as_ref()
        .map(|p| at.pagination(p, &params, &response))
        .transpose()?;
    let async_completion = op
        .async_completion
        .as_ref()
        .map(|a| at.async_completion(ctx, a, &params, &response, all_ops))
        .transpose()?;
    let mut op_errors: Vec<OperationErrorIr> = op
        .errors
        .iter()
        .map(|e| {
            let c = errors.get(e.code.as_str()).ok_or_else(|| {
                at.error("errors", format!("`{}` is not in the catalogue", e.code))
            })?;
            Ok(OperationErrorIr {
                http_status: e.http_status.unwrap_or(c.http_status),
                origin: e.origin,
                error: (*c).clone(),
                description: e
                    .description
                    .clone()
                    .unwrap_or_else(|| c.description.clone()),
            })
        })
        .collect::<Result<_, LowerError>>()?;
    op_errors.sort_by(|a, b| a.error.code.cmp(&b.error.code));
    let rules = op
        .rules
        .iter()
        .map(|r| {
            let when = match &r.when {
                Some(c) => Some((
                    at.field_ref(&params, &c.param, "rules.when")?,
                    c.equals.as_ref().map(Scalar::to_string),
                )),
                None => None,
            };
            Ok(RuleIr {
                doc: r.doc.clone(),
                when,
                require: at.refs(&params, &r.require, "rules.require")?,
                require_any: at.refs(&params, &r.require_any, "rules.require_any")?,
                forbid: at.refs(&params, &r.forbid, "rules.forbid")?,
            })
        })
        .collect::<Result<_, LowerError>>()?;
    let idempotency_token = op
        .idempotency_token
        .as_ref()
        .map(|t| at.field_ref(&params, t, "idempotency_token"))
        .transpose()?;

    let is_read = op.read_only.unwrap_or(false);
    let (example_request, example_response) = match &op.example {
        Some(ex) => (
            ex.request
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            serde_json::from_str::<serde_json::Value>(&ex.response)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok()),
        ),
        None => (Vec::new(), None),
    };
    let names = Names::of(&op.action, Some(&naming::snake_name(&op.action)));
    Ok(OperationIr {
        items: OperationItems::of(&names),
        names,
        group: group.to_owned(),
        summary: op.summary.trim().to_owned(),
        description: op.description.trim().to_owned(),
        notes: op.notes.iter().map(|n| n.trim().to_owned()).collect(),
        source: op.source.clone(),
        rules,
        read_only: is_read,
        retry_safe: is_read || idempotency_token.is_some(),
        idempotency_token,
        params,
        response,
        errors: op_errors,
        pagination,
        async_completion,
        // Filled once every operation is lowered (`attach_waiters`).
        waiters: Vec::new(),
        example_request,
        example_response,
        decisions: op.decisions.clone(),
        reference_url: format!(
            "https://api.alibabacloud.com/document/{}/{}/{}",
            ctx.product, ctx.version, op.action
        ),
        imported: op.imported.clone(),
    })
}

/// Puts on each polled operation the waiters of the operations that poll it: one method per
/// outcome (`wait_until_deleted` for a gone error, else `wait_until_<first success state>`),
/// merged across the operations that wait for the same outcome.
pub(super) fn attach_waiters(groups: &mut [GroupIr]) {
    let mut by_poll: BTreeMap<String, BTreeMap<String, WaiterIr>> = BTreeMap::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        let Some(a) = &op.async_completion else {
            continue;
        };
        let method = match (&a.gone_error, a.success.first()) {
            (Some(_), _) => naming::reserved::WAITER_DELETED.to_owned(),
            (None, Some(s)) => format!(
                "{}{}",
                naming::reserved::WAITER_PREFIX,
                naming::snake_name(s)
            ),
            // Nothing to observe: no waiter.
            (None, None) => continue,
        };
        let w = by_poll
            .entry(a.poll.wire.clone())
            .or_default()
            .entry(method.clone())
            .or_insert_with(|| WaiterIr {
                method,
                status: None,
                success: Vec::new(),
                failure: Vec::new(),
                gone_error: None,
                used_after: Vec::new(),
            });
        if a.gone_error.is_some() {
            w.gone_error.clone_from(&a.gone_error);
        } else {
            w.status = Some(a.status.clone());
        }
        for (all, new) in [(&mut w.success, &a.success), (&mut w.failure, &a.failure)] {
            for s in new {
                if !all.contains(s) {
                    all.push(s.clone());
                }
            }
        }
        w.used_after.push(op.names.wire.clone());
    }
    for op in groups.iter_mut().flat_map(|g| &mut g.operations) {
        if let Some(waiters) = by_poll.remove(&op.names.wire) {
            op.waiters = waiters.into_values().collect();
        }
    }
}
