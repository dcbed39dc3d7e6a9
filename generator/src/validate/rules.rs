//! Rules between parameters (`when` / `require` / `require_any` / `forbid`): each rule says
//! something, names only parameters of its operation, and a `when.equals` value is one the
//! parameter can take, so the generated check can fire.

use super::operations::parameter;
use super::{At, Validator};
use crate::model::OperationSpec;

impl<'a> Validator<'a> {
    /// The rules of one operation.
    pub(super) fn check_rules(&mut self, at: &At<'a>, op: &'a OperationSpec) {
        for (i, rule) in op.rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            let mut names: Vec<&String> = Vec::new();
            names.extend(&rule.require);
            names.extend(&rule.require_any);
            names.extend(&rule.forbid);
            if names.is_empty() {
                self.report(
                    at,
                    Some(path.clone()),
                    "rule has no `require`, `require_any` or `forbid`".into(),
                );
            }
            if let Some(c) = &rule.when {
                names.push(&c.param);
                if let (Some(p), Some(v)) = (parameter(op, &c.param), &c.equals) {
                    if let Err(why) = self.value_satisfies(p, v) {
                        self.report(
                            at,
                            Some(path.clone()),
                            format!(
                                "`when.equals` `{v}` is not a legal value of {}: {why}",
                                c.param
                            ),
                        );
                    }
                }
            }
            for n in names {
                if parameter(op, n).is_none() {
                    self.report(
                        at,
                        Some(path.clone()),
                        format!("rule names `{n}`, which is not a parameter"),
                    );
                }
            }
        }
    }
}
