//! `docs/`: the Markdown reference, rendered with minijinja from a view-model of the IR.
//!
//! Templates live in `templates/`; undefined variables are errors, so a template that drifts
//! from the view-model fails generation instead of printing blanks.

use super::{header, EmitError, GeneratedFile, Templates};
use crate::ir::{
    AsyncIr, FieldIr, ItemIr, Location, OperationIr, Origin, PaginationIr, RuleIr, ServiceIr,
    StructIr, TypeIr,
};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Template names the emitter renders.
pub const INDEX_TEMPLATE: &str = "index.md.j2";
/// Per-operation page template.
pub const OPERATION_TEMPLATE: &str = "operation.md.j2";
/// Error catalogue template.
pub const ERRORS_TEMPLATE: &str = "errors.md.j2";
/// Decisions template.
pub const DECISIONS_TEMPLATE: &str = "decisions.md.j2";

#[derive(Serialize)]
struct NoteView {
    place: String,
    text: String,
}

#[derive(Serialize)]
struct NoteGroupView<'a> {
    title: &'a str,
    entries: Vec<NoteView>,
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn field_notes(place: &str, fields: &[FieldIr], out: &mut Vec<NoteView>) {
    for f in fields {
        if let Some(n) = &f.note {
            out.push(NoteView {
                place: format!("{place} `{}`", f.names.wire),
                text: one_line(n),
            });
        }
    }
}

/// Every decision recorded in the spec, grouped like the docs.
fn emit_decisions(env: &Environment<'_>, ir: &ServiceIr) -> Result<GeneratedFile, EmitError> {
    let groups: Vec<NoteGroupView<'_>> = ir
        .groups
        .iter()
        .map(|g| {
            let mut entries = Vec::new();
            for op in &g.operations {
                for d in &op.decisions {
                    entries.push(NoteView {
                        place: op.names.wire.clone(),
                        text: one_line(d),
                    });
                }
                field_notes(
                    &format!("{} parameter", op.names.wire),
                    &op.params,
                    &mut entries,
                );
                field_notes(
                    &format!("{} response", op.names.wire),
                    &op.response,
                    &mut entries,
                );
            }
            NoteGroupView {
                title: &g.title,
                entries,
            }
        })
        .collect();
    let mut types = Vec::new();
    for e in &ir.enums {
        if let Some(n) = &e.note {
            types.push(NoteView {
                place: format!("enum {}", e.name),
                text: one_line(n),
            });
        }
    }
    for st in &ir.structs {
        if let Some(n) = &st.note {
            types.push(NoteView {
                place: format!("struct {}", st.name),
                text: one_line(n),
            });
        }
        field_notes(&format!("struct {} field", st.name), &st.fields, &mut types);
    }
    let errors: Vec<NoteView> = ir
        .errors
        .iter()
        .filter_map(|e| {
            e.note.as_ref().map(|n| NoteView {
                place: format!("`{}`", e.code),
                text: one_line(n),
            })
        })
        .collect();
    let service_notes: Vec<String> = ir.notes.iter().map(|n| one_line(n)).collect();
    render(
        env,
        DECISIONS_TEMPLATE,
        "docs/decisions.md",
        minijinja::context! { service_notes => &service_notes, groups => &groups, types => &types, errors => &errors },
    )
}

#[derive(Serialize)]
struct ServiceView<'a> {
    name: &'a str,
    product: &'a str,
    api_version: &'a str,
    global_endpoint: &'a str,
    endpoint_pattern: &'a str,
    description: &'a str,
}

#[derive(Serialize)]
struct GroupView<'a> {
    title: &'a str,
    description: &'a str,
    operations: Vec<OpLinkView<'a>>,
}

#[derive(Serialize)]
struct OpLinkView<'a> {
    action: &'a str,
    summary: &'a str,
}

#[derive(Serialize)]
struct FieldView {
    wire: String,
    #[serde(rename = "type")]
    ty: String,
    required: bool,
    constraints: String,
    doc: String,
}

#[derive(Serialize)]
struct StructView {
    name: String,
    doc: String,
    fields: Vec<FieldView>,
}

#[derive(Serialize)]
struct ErrorView {
    code: String,
    http_status: u16,
    message: String,
    description: String,
    retryable: bool,
    note: Option<String>,
    operations: Vec<String>,
}

#[derive(Serialize)]
struct OperationView {
    action: String,
    summary: String,
    description: String,
    group_title: String,
    source: String,
    idempotency_token: Option<String>,
    pagination: Option<String>,
    #[serde(rename = "async")]
    async_completion: Option<String>,
    notes: Vec<String>,
    params: Vec<FieldView>,
    rules: Vec<String>,
    response: Vec<FieldView>,
    structs: Vec<StructView>,
    errors: Vec<ErrorView>,
    example_request: Vec<(String, String)>,
    example_response: Option<String>,
    decisions: Vec<String>,
    reference_url: String,
    imported: Option<String>,
}

/// Every docs page.
pub(super) fn emit_docs(
    ir: &ServiceIr,
    templates: &Templates,
) -> Result<Vec<GeneratedFile>, EmitError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(false);
    env.add_filter("cell", cell);
    for (name, source) in &templates.sources {
        env.add_template_owned(name.clone(), source.clone())
            .map_err(|e| EmitError {
                path: format!("templates/{name}"),
                message: e.to_string(),
            })?;
    }
    let service = ServiceView {
        name: &ir.name,
        product: &ir.product,
        api_version: &ir.api_version,
        global_endpoint: &ir.global_endpoint,
        endpoint_pattern: &ir.endpoint_pattern,
        description: &ir.description,
    };
    let groups: Vec<GroupView<'_>> = ir
        .groups
        .iter()
        .map(|g| GroupView {
            title: &g.title,
            description: &g.description,
            operations: g
                .operations
                .iter()
                .map(|o| OpLinkView {
                    action: &o.names.wire,
                    summary: &o.summary,
                })
                .collect(),
        })
        .collect();
    let enums = enum_values(ir);
    let common: Vec<FieldView> = ir
        .common_parameters
        .iter()
        .map(|f| field_view(f, &enums))
        .collect();

    let mut files = vec![render(
        &env,
        INDEX_TEMPLATE,
        "docs/index.md",
        minijinja::context! { service => &service, groups => &groups, common => &common, notes => &ir.notes },
    )?];

    let mut users: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for op in ir.operations() {
        for e in &op.errors {
            users
                .entry(e.error.code.as_str())
                .or_default()
                .push(format!("[{0}](operations/{0}.md)", op.names.wire));
        }
    }
    let errors: Vec<ErrorView> = ir
        .errors
        .iter()
        .map(|e| ErrorView {
            code: e.code.clone(),
            http_status: e.http_status,
            message: e.message.clone(),
            description: e.description.clone(),
            retryable: e.retryable,
            note: e.note.clone(),
            operations: users.get(e.code.as_str()).cloned().unwrap_or_default(),
        })
        .collect();
    files.push(render(
        &env,
        ERRORS_TEMPLATE,
        "docs/errors.md",
        minijinja::context! { service => &service, errors => &errors },
    )?);

    files.push(emit_decisions(&env, ir)?);

    let structs: BTreeMap<&str, &StructIr> =
        ir.structs.iter().map(|s| (s.name.as_str(), s)).collect();
    for g in &ir.groups {
        for op in &g.operations {
            let view = operation_view(op, &g.title, &structs, &enums);
            let path = format!("docs/operations/{}.md", op.names.wire);
            files.push(render(
                &env,
                OPERATION_TEMPLATE,
                &path,
                minijinja::context! { op => &view },
            )?);
        }
    }
    Ok(files)
}

fn render(
    env: &Environment<'_>,
    template: &str,
    path: &str,
    ctx: minijinja::Value,
) -> Result<GeneratedFile, EmitError> {
    let fail = |e: minijinja::Error| EmitError {
        path: path.to_owned(),
        message: format!("{e:#}"),
    };
    let body = env
        .get_template(template)
        .map_err(fail)?
        .render(ctx)
        .map_err(fail)?;
    let mut contents = header(path);
    contents.push('\n');
    contents.push_str(body.trim_end());
    contents.push('\n');
    Ok(GeneratedFile {
        path: path.to_owned(),
        contents,
    })
}

/// Makes text safe inside a Markdown table cell: one line, pipes escaped.
fn cell(text: String) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// Enum values by enum name, for listing them next to the fields that use them.
type EnumValues<'a> = BTreeMap<&'a str, Vec<String>>;

fn enum_values(ir: &ServiceIr) -> EnumValues<'_> {
    ir.enums
        .iter()
        .map(|e| {
            let values = e.values.iter().map(|v| format!("`{}`", v.wire)).collect();
            (e.name.as_str(), values)
        })
        .collect()
}

/// What the docs say of an element only the imported layer documents: where the fact comes
/// from, instead of copying Alibaba's prose.
pub const IMPORTED_ONLY: &str = "_From the API metadata; see the official reference._";

fn field_view(f: &FieldIr, enums: &EnumValues<'_>) -> FieldView {
    let mut doc = if f.origin == Origin::Imported {
        IMPORTED_ONLY.to_owned()
    } else {
        f.doc.clone()
    };
    if f.location == Location::Body {
        doc.push_str(" Sent in the form body.");
    }
    if let Some(d) = &f.default {
        doc.push_str(&format!(" Default: `{d}`."));
    }
    if let Some(e) = &f.example {
        if !f.sensitive {
            doc.push_str(&format!(" Example: `{e}`."));
        }
    }
    if f.sensitive {
        doc.push_str(" Sensitive.");
    }
    if let Some(n) = &f.note {
        doc.push_str(&format!(" Note: {n}"));
    }
    let mut constraints = f.constraints.describe();
    let enum_name = match &f.ty {
        TypeIr::Enum(n, _) | TypeIr::List(ItemIr::Enum(n)) => Some(n.as_str()),
        _ => None,
    };
    if let Some(values) = enum_name.and_then(|n| enums.get(n)) {
        constraints.insert(0, format!("one of {}", values.join(", ")));
    }
    FieldView {
        wire: f.names.wire.clone(),
        ty: f.ty.describe(),
        required: f.required,
        constraints: constraints.join("; "),
        doc,
    }
}

fn rule_text(r: &RuleIr) -> String {
    let names = |v: &[crate::ir::FieldRef]| {
        v.iter()
            .map(|f| format!("`{}`", f.wire))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = vec![r.doc.clone()];
    if !r.require.is_empty() {
        parts.push(format!("requires {}", names(&r.require)));
    }
    if !r.require_any.is_empty() {
        parts.push(format!("requires one of {}", names(&r.require_any)));
    }
    if !r.forbid.is_empty() {
        parts.push(format!("forbids {}", names(&r.forbid)));
    }
    parts.join(" — ")
}

fn pagination_text(p: &PaginationIr) -> String {
    match p {
        PaginationIr::PageNumber { .. } => "page number and page size in, total count out".into(),
        PaginationIr::NextToken { .. } => "next token and max results in, next token out".into(),
    }
}

fn async_text(a: &AsyncIr) -> String {
    let mut text = format!(
        "poll `{}` until `{}` is {}",
        a.poll.wire,
        a.status.wire,
        a.success
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    );
    if a.success.is_empty() {
        text = format!("poll `{}`", a.poll.wire);
    }
    if let Some(code) = &a.gone_error {
        text.push_str(&format!(" (done when it returns `{code}`)"));
    }
    text
}

/// Structs reachable from the operation's response, in first-use order, each once.
fn response_structs<'a>(
    op: &OperationIr,
    structs: &BTreeMap<&str, &'a StructIr>,
) -> Vec<&'a StructIr> {
    fn visit<'a>(
        ty: &TypeIr,
        structs: &BTreeMap<&str, &'a StructIr>,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<&'a StructIr>,
    ) {
        let name = match ty {
            TypeIr::Object(n) | TypeIr::Json(n) => n.as_str(),
            TypeIr::List(ItemIr::Struct(n))
            | TypeIr::WrappedList {
                item: ItemIr::Struct(n),
                ..
            } => n.as_str(),
            _ => return,
        };
        if !seen.insert(name.to_owned()) {
            return;
        }
        if let Some(s) = structs.get(name) {
            out.push(s);
            for f in &s.fields {
                visit(&f.ty, structs, seen, out);
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for f in op.params.iter().chain(&op.response) {
        visit(&f.ty, structs, &mut seen, &mut out);
    }
    out
}

fn operation_view(
    op: &OperationIr,
    group_title: &str,
    structs: &BTreeMap<&str, &StructIr>,
    enums: &EnumValues<'_>,
) -> OperationView {
    OperationView {
        action: op.names.wire.clone(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        group_title: group_title.to_owned(),
        source: op.source.clone(),
        idempotency_token: op.idempotency_token.as_ref().map(|t| t.wire.clone()),
        pagination: op.pagination.as_ref().map(pagination_text),
        async_completion: op.async_completion.as_ref().map(async_text),
        notes: op.notes.clone(),
        params: op.params.iter().map(|f| field_view(f, enums)).collect(),
        rules: op.rules.iter().map(rule_text).collect(),
        response: op.response.iter().map(|f| field_view(f, enums)).collect(),
        structs: response_structs(op, structs)
            .into_iter()
            .map(|s| StructView {
                name: s.name.clone(),
                doc: s.doc.clone(),
                fields: s.fields.iter().map(|f| field_view(f, enums)).collect(),
            })
            .collect(),
        errors: op
            .errors
            .iter()
            .map(|e| ErrorView {
                code: e.error.code.clone(),
                http_status: e.http_status,
                message: e.error.message.clone(),
                description: if e.origin == Origin::Imported && e.description.is_empty() {
                    IMPORTED_ONLY.to_owned()
                } else {
                    e.description.clone()
                },
                retryable: e.error.retryable,
                note: None,
                operations: Vec::new(),
            })
            .collect(),
        example_request: op.example_request.clone(),
        example_response: op.example_response.clone(),
        decisions: op.decisions.clone(),
        reference_url: op.reference_url.clone(),
        imported: op.imported.as_ref().map(|p| {
            format!(
                "{} ({} {}, published {})",
                p.metadata, p.product, p.version, p.published
            )
        }),
    }
}
