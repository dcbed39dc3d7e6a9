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
            let rule_at = at.key("rules").index(i);
            // (where the rule names it, parameter name)
            let mut names: Vec<(&str, &String)> = Vec::new();
            names.extend(rule.require.iter().map(|n| ("require", n)));
            names.extend(rule.require_any.iter().map(|n| ("require_any", n)));
            names.extend(rule.forbid.iter().map(|n| ("forbid", n)));
            if names.is_empty() {
                self.report(
                    &rule_at,
                    Some(path.clone()),
                    "rule has no `require`, `require_any` or `forbid`".into(),
                );
            }
            if let Some(c) = &rule.when {
                names.push(("when", &c.param));
                if let (Some(p), Some(v)) = (parameter(op, &c.param), &c.equals) {
                    if let Err(why) = self.value_satisfies(p, v) {
                        self.report(
                            &rule_at.key("when").key("equals"),
                            Some(path.clone()),
                            format!(
                                "`when.equals` `{v}` is not a legal value of {}: {why}",
                                c.param
                            ),
                        );
                    }
                }
            }
            for (list, n) in names {
                if parameter(op, n).is_none() {
                    let named = match list {
                        "when" => rule_at.key("when").key("param"),
                        _ => rule_at.key(list).nth_scalar(n, 0),
                    };
                    self.report(
                        &named,
                        Some(path.clone()),
                        format!("rule names `{n}`, which is not a parameter"),
                    );
                }
            }
        }
    }
}
