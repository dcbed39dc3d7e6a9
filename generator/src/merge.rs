//! Merging the imported layer (`spec/imported/`, the current API metadata's facts) into the
//! curated layer (`spec/groups/`, hand-written knowledge), before validation.
//!
//! Rules, in one place:
//! - Every imported operation must be placed in a group by a curated entry (at least its action
//!   and a summary in the project's own words); an imported operation no group lists is an error.
//! - Parameters and response fields follow the metadata's order; curated fields replace the
//!   imported field of the same wire name and keep their docs, constraints, rules and names.
//!   Imported-only fields are added with [`Origin::Imported`]. A curated field the metadata does
//!   not have stays, but needs a `decision`.
//! - Where a curated field disagrees with the imported one (type, required, placement, bounds,
//!   explicit value list), the curated field wins only if it records a `decision`; otherwise the
//!   disagreement is reported, naming the curated file, operation and field. Nothing is ever
//!   overwritten silently.
//! - A curated struct is matched with every imported position it is used at (request lists,
//!   flat objects, response objects, wrapped-list items): its fields become the union over those
//!   positions. Nested imported structs no curated field names get a derived name: the owner's
//!   name followed by the field's (`CreateVpnAttachmentTunnelOptionsSpecification`).
//! - Placement (`location`) and sensitivity come from the imported layer unless curated;
//!   sensitivity is the union of both (a secret is never un-marked by an import).
//! - Error codes: each operation gets the union of curated and imported codes, each with its
//!   per-operation HTTP status from the metadata; codes missing from `errors.yaml` join the
//!   catalogue with the metadata's message. Spellings are settled first (see
//!   `Merger::canonical_error`).
//! - Inferred idempotency tokens and pagination, and the metadata's read-only class, fill in
//!   only where the curated entry is silent.
//! - An operation with a `DryRun` parameter documents `DryRunOperation`, the answer to a dry
//!   run that passed (the metadata lists it for some such operations only).
//! - Response fields are optional unless curated, except the top-level `RequestId`, which every
//!   answer carries.

use crate::diagnostics::Diagnostic;
use crate::imported::{ImportedError, ImportedField, ImportedKind, ImportedOperation};
use crate::loader::RawSpec;
use crate::model::{
    Bounds, Constraints, EnumSpec, ErrorSpec, Field, OperationErrorSpec, Origin, Scalar,
    StructSpec, TypeRef, WrappedList,
};
use crate::naming;
use crate::validate::is_scalar_keyword;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The parameter that asks the service to check a request without running it.
const DRY_RUN_PARAMETER: &str = "DryRun";
/// The code a dry run that passed every check is answered with, its status and message as
/// the operations that list it document them.
const DRY_RUN_CODE: &str = "DryRunOperation";
const DRY_RUN_MESSAGE: &str = "Request validation has been passed with DryRun flag set.";

/// Merges `raw.imported` into the curated files of `raw`, returning every conflict found.
pub fn merge(raw: &mut RawSpec) -> Vec<Diagnostic> {
    let imported = std::mem::take(&mut raw.imported);
    let mut m = Merger::new(raw);
    let mut placed = BTreeSet::new();
    for gi in 0..raw.groups.len() {
        for oi in 0..raw.groups[gi].1.operations.len() {
            let action = raw.groups[gi].1.operations[oi].action.clone();
            if let Some((_, imp)) = imported.iter().find(|(_, i)| i.action == action) {
                placed.insert(action);
                m.merge_operation(raw, gi, oi, imp);
            }
        }
    }
    for (path, imp) in &imported {
        if !placed.contains(&imp.action) {
            m.problems.push(Diagnostic {
                file: path.clone(),
                line: None,
                operation: Some(imp.action.clone()),
                field: None,
                message: "imported, but no group lists it: add `- action: ...` with a summary \
                          in the project's own words to a file in spec/groups/"
                    .into(),
            });
        }
    }
    m.report_unmatched_struct_fields(raw);
    m.report_fields_sent_where_undocumented(raw);
    raw.imported = imported;
    m.problems
}

/// Where a field sits: request fields are checked for required-ness and placement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// Context of a diagnostic: the curated file and operation that must record the decision.
#[derive(Clone)]
struct At {
    file: PathBuf,
    operation: String,
}

/// Where the fields being merged sit: the group new structs join, the curated file and
/// operation a problem is reported against, the side of the exchange, and whether they are an
/// operation's own parameters or response fields (only those have a placement).
#[derive(Clone, Copy)]
struct Site<'a> {
    group: usize,
    at: &'a At,
    side: Side,
    top_level: bool,
}

impl Site<'_> {
    /// The same site, one struct deeper.
    fn nested(self) -> Self {
        Site {
            top_level: false,
            ..self
        }
    }
}

struct Merger {
    /// Struct name → (group index, or `None` for `shared.yaml`).
    structs: BTreeMap<String, Option<usize>>,
    enums: BTreeMap<String, EnumSpec>,
    /// Structs matched with at least one imported position.
    covered: BTreeSet<String>,
    /// Struct → every request position it is sent at, with the fields the metadata gives it
    /// there.
    sent_at: BTreeMap<String, Vec<(At, String, BTreeSet<String>)>>,
    /// Catalogue codes, curated or added.
    codes: BTreeSet<String>,
    problems: Vec<Diagnostic>,
}

impl Merger {
    fn new(raw: &RawSpec) -> Self {
        let mut structs = BTreeMap::new();
        let mut enums = BTreeMap::new();
        for s in &raw.shared.structs {
            structs.insert(s.name.clone(), None);
        }
        for e in &raw.shared.enums {
            enums.insert(e.name.clone(), e.clone());
        }
        for (gi, (_, g)) in raw.groups.iter().enumerate() {
            for s in &g.structs {
                structs.insert(s.name.clone(), Some(gi));
            }
            for e in &g.enums {
                enums.insert(e.name.clone(), e.clone());
            }
        }
        let codes = raw.errors.errors.iter().map(|e| e.code.clone()).collect();
        Merger {
            structs,
            enums,
            covered: BTreeSet::new(),
            sent_at: BTreeMap::new(),
            codes,
            problems: Vec::new(),
        }
    }

    /// The metadata's spelling of a code, settled against the catalogue: surrounding
    /// whitespace is a publishing slip (`"Forbidden\t"`), and a code that differs from a known
    /// one only in letter case (`Forbidden.NoSlrPermission` beside `Forbidden.NoSLRPermission`)
    /// is the same error: one Rust variant cannot tell them apart, so the first spelling in
    /// the catalogue (curated, else the first imported in documentation order) is used.
    fn canonical_error(&self, e: &ImportedError) -> ImportedError {
        let trimmed = e.code.trim();
        let code = self
            .codes
            .iter()
            .find(|known| known.eq_ignore_ascii_case(trimmed))
            .cloned()
            .unwrap_or_else(|| trimmed.to_owned());
        ImportedError {
            code,
            http_status: e.http_status,
            message: e.message.trim().to_owned(),
        }
    }

    fn conflict(&mut self, at: &At, field: &str, message: String) {
        self.problems.push(Diagnostic {
            file: at.file.clone(),
            line: None,
            operation: Some(at.operation.clone()),
            field: Some(field.to_owned()),
            message,
        });
    }

    fn merge_operation(
        &mut self,
        raw: &mut RawSpec,
        gi: usize,
        oi: usize,
        imp: &ImportedOperation,
    ) {
        let at = At {
            file: raw.groups[gi].0.clone(),
            operation: imp.action.clone(),
        };
        let op = &raw.groups[gi].1.operations[oi];
        let curated_params = op.parameters.clone();
        let curated_response = op.response.clone();
        let site = |side| Site {
            group: gi,
            at: &at,
            side,
            top_level: true,
        };
        let params = self.merge_fields(
            raw,
            site(Side::Request),
            "parameters",
            &imp.action,
            &curated_params,
            &imp.parameters,
        );
        let response = self.merge_fields(
            raw,
            site(Side::Response),
            "response",
            &format!("{}Response", imp.action),
            &curated_response,
            &imp.response,
        );
        let mut errors = raw.groups[gi].1.operations[oi].errors.clone();
        let mut imported_errors = imp.errors.clone();
        // A `DryRun` request that passes every check is answered with this code and changes
        // nothing: it is the operation's typed "would succeed" outcome, whether or not the
        // metadata lists it for this operation.
        if imp
            .parameters
            .iter()
            .any(|p| p.name.as_deref() == Some(DRY_RUN_PARAMETER))
            && !imported_errors.iter().any(|e| e.code == DRY_RUN_CODE)
        {
            imported_errors.push(ImportedError {
                code: DRY_RUN_CODE.to_owned(),
                http_status: 400,
                message: DRY_RUN_MESSAGE.to_owned(),
            });
        }
        for e in &imported_errors {
            let e = &self.canonical_error(e);
            match errors.iter_mut().find(|c| c.code == e.code) {
                Some(c) => {
                    c.http_status.get_or_insert(e.http_status);
                    if c.origin == Origin::Curated {
                        c.origin = Origin::Both;
                    }
                }
                None => errors.push(OperationErrorSpec {
                    code: e.code.clone(),
                    description: None,
                    http_status: Some(e.http_status),
                    origin: Origin::Imported,
                }),
            }
            if self.codes.insert(e.code.clone()) {
                raw.errors.errors.push(ErrorSpec {
                    code: e.code.clone(),
                    http_status: e.http_status,
                    message: e.message.clone(),
                    description: String::new(),
                    retryable: false,
                    invalid_value_of: Vec::new(),
                    note: None,
                });
            }
        }
        let op = &mut raw.groups[gi].1.operations[oi];
        op.parameters = params;
        op.response = response;
        op.errors = errors;
        op.imported = Some(imp.provenance.clone());
        if op.idempotency_token.is_none() {
            op.idempotency_token = imp.inferred.idempotency_token.clone();
        }
        if op.pagination.is_none() {
            op.pagination = imp.inferred.pagination.clone();
        }
        if op.read_only.is_none() {
            op.read_only = Some(imp.read_only);
        }
    }

    /// Merges one position: curated fields over imported ones, in the metadata's order.
    fn merge_fields(
        &mut self,
        raw: &mut RawSpec,
        site: Site<'_>,
        scope: &str,
        owner: &str,
        curated: &[Field],
        imported: &[ImportedField],
    ) -> Vec<Field> {
        let mut out = Vec::with_capacity(imported.len() + curated.len());
        let mut seen = BTreeSet::new();
        for i in imported {
            let Some(name) = i.name.as_deref() else {
                continue;
            };
            seen.insert(name.to_owned());
            let path = format!("{scope}.{name}");
            match curated.iter().find(|c| c.name == name) {
                Some(c) => {
                    let merged = self.merge_field(raw, site, &path, c, i);
                    out.push(merged);
                }
                None => {
                    let f = self.convert(raw, site, &path, owner, i);
                    out.push(f);
                }
            }
        }
        for c in curated {
            if seen.contains(&c.name) {
                continue;
            }
            if c.decision.is_none() && c.origin == Origin::Curated {
                self.conflict(
                    site.at,
                    &format!("{scope}.{}", c.name),
                    "is not in the current API metadata: remove it, or record a `decision` \
                     saying why it stays"
                        .into(),
                );
            }
            out.push(c.clone());
        }
        out
    }

    fn merge_field(
        &mut self,
        raw: &mut RawSpec,
        site: Site<'_>,
        path: &str,
        c: &Field,
        i: &ImportedField,
    ) -> Field {
        let (side, top_level) = (site.side, site.top_level);
        let mut f = c.clone();
        f.origin = Origin::Both;
        f.sensitive |= i.sensitive;
        // Bounds the curated field does not state are the metadata's facts.
        let bounds = &mut f.constraints;
        bounds.range = bounds.range.or(i.constraints.range);
        bounds.items = bounds.items.or(i.constraints.items);
        if matches!(c.ty, TypeRef::String) {
            bounds.length = bounds.length.or(i.constraints.length);
        }
        if top_level && side == Side::Request && f.location.is_none() {
            f.location = Some(i.location);
        }
        if c.decision.is_none() {
            let mut disagreements = Vec::new();
            if let Some(why) = self.type_disagreement(&c.ty, i) {
                disagreements.push(why);
            }
            if side == Side::Request && c.required != i.required {
                disagreements.push(format!(
                    "required: curated {}, current API {}",
                    c.required, i.required
                ));
            }
            if let (Some(cl), true) = (c.location, top_level) {
                if cl != i.location {
                    disagreements.push(format!(
                        "placement: curated {cl:?}, current API {:?}",
                        i.location
                    ));
                }
            }
            disagreements.extend(bounds_disagreements(&c.constraints, &i.constraints));
            if let Some(why) = self.values_disagreement(&c.ty, &i.values) {
                disagreements.push(why);
            }
            for why in disagreements {
                self.conflict(
                    site.at,
                    path,
                    format!(
                        "disagrees with the current API metadata ({why}); follow the current \
                         API, or record a `decision`"
                    ),
                );
            }
        }
        // Nested structs: merge this position's fields into the curated struct.
        if let Some((name, fields)) = struct_position(&c.ty, i) {
            if self.structs.contains_key(&name) {
                self.merge_struct_position(raw, site.nested(), path, &name, fields);
            }
        }
        f
    }

    /// Adds one imported position's fields to struct `name`.
    fn merge_struct_position(
        &mut self,
        raw: &mut RawSpec,
        site: Site<'_>,
        path: &str,
        name: &str,
        fields: &[ImportedField],
    ) {
        self.covered.insert(name.to_owned());
        if site.side == Side::Request {
            let names = fields.iter().filter_map(|f| f.name.clone()).collect();
            self.sent_at.entry(name.to_owned()).or_default().push((
                site.at.clone(),
                path.to_owned(),
                names,
            ));
        }
        let Some(existing) = self.struct_mut(raw, name).map(|s| s.fields.clone()) else {
            return;
        };
        let mut merged = existing.clone();
        for i in fields {
            let Some(fname) = i.name.as_deref() else {
                continue;
            };
            let fpath = format!("{path}.{fname}");
            match existing.iter().position(|c| c.name == fname) {
                Some(k) => {
                    let c = &existing[k];
                    let f = if c.origin == Origin::Imported {
                        // Seen at another position already: the positions must agree.
                        if let Some(why) = self.type_disagreement(&c.ty, i) {
                            self.conflict(
                                site.at,
                                &fpath,
                                format!(
                                    "struct `{name}` is used at positions the metadata types \
                                     differently ({why}); curate the field with a `decision`"
                                ),
                            );
                        }
                        if let Some((sname, sub)) = struct_position(&c.ty, i) {
                            self.merge_struct_position(raw, site, &fpath, &sname, sub);
                        }
                        c.clone()
                    } else {
                        let mut f = self.merge_field(raw, site, &fpath, c, i);
                        // A request-only position does not make a response field required.
                        f.required = c.required;
                        f
                    };
                    merged[k] = f;
                }
                None => {
                    let f = self.convert(raw, site, &fpath, name, i);
                    merged.push(f);
                }
            }
        }
        if let Some(s) = self.struct_mut(raw, name) {
            s.fields = merged;
        }
    }

    /// After every position: curated struct fields no position has are conflicts.
    fn report_unmatched_struct_fields(&mut self, raw: &RawSpec) {
        let mut found = Vec::new();
        for (name, home) in &self.structs {
            if !self.covered.contains(name) {
                continue;
            }
            let (file, s) = match home {
                Some(gi) => {
                    let (file, g) = &raw.groups[*gi];
                    (file.clone(), g.structs.iter().find(|s| &s.name == name))
                }
                None => (
                    PathBuf::from(crate::loader::SHARED_FILE),
                    raw.shared.structs.iter().find(|s| &s.name == name),
                ),
            };
            for f in s.map(|s| s.fields.as_slice()).unwrap_or_default() {
                if f.origin == Origin::Curated && f.decision.is_none() {
                    found.push(Diagnostic {
                        file: file.clone(),
                        line: None,
                        operation: None,
                        field: Some(format!("{name}.{}", f.name)),
                        message: "is in none of the positions the current API metadata uses \
                                  this struct at: remove it, or record a `decision`"
                            .into(),
                    });
                }
            }
        }
        self.problems.extend(found);
    }

    /// A struct is sent with every field it has: at a request position whose operation does
    /// not document some of them (they came from other positions), a user could set a
    /// parameter the operation does not take. Each such position needs its own struct.
    fn report_fields_sent_where_undocumented(&mut self, raw: &RawSpec) {
        let mut found = Vec::new();
        for (name, positions) in &self.sent_at {
            let home = match self.structs.get(name) {
                Some(Some(gi)) => &raw.groups[*gi].1.structs,
                Some(None) => &raw.shared.structs,
                None => continue,
            };
            let fields: Vec<&Field> = home
                .iter()
                .find(|s| &s.name == name)
                .map(|s| s.fields.iter().collect())
                .unwrap_or_default();
            for (at, path, documented) in positions {
                let extra: Vec<&str> = fields
                    .iter()
                    .filter(|f| f.origin != Origin::Curated && !documented.contains(&f.name))
                    .map(|f| f.name.as_str())
                    .collect();
                if !extra.is_empty() {
                    found.push(Diagnostic {
                        file: at.file.clone(),
                        line: None,
                        operation: Some(at.operation.clone()),
                        field: Some(path.clone()),
                        message: format!(
                            "struct `{name}` is sent here, but this operation does not take its \
                             field(s) {} (documented at other positions): give this position a \
                             struct of its own",
                            extra.join(", ")
                        ),
                    });
                }
            }
        }
        self.problems.extend(found);
    }

    fn struct_mut<'r>(&self, raw: &'r mut RawSpec, name: &str) -> Option<&'r mut StructSpec> {
        match self.structs.get(name)? {
            Some(gi) => raw.groups[*gi]
                .1
                .structs
                .iter_mut()
                .find(|s| s.name == name),
            None => raw.shared.structs.iter_mut().find(|s| s.name == name),
        }
    }

    /// An imported-only field, with a derived struct name for any nested struct.
    fn convert(
        &mut self,
        raw: &mut RawSpec,
        site: Site<'_>,
        path: &str,
        owner: &str,
        i: &ImportedField,
    ) -> Field {
        let (side, top_level) = (site.side, site.top_level);
        let name = i.name.clone().unwrap_or_default();
        let hint = format!("{owner}{}", naming::type_name(&name));
        let ty = self.convert_type(raw, site.nested(), path, &hint, i);
        // Every answer of the service carries its request ID: the one response field the
        // metadata does not mark but that is always there.
        let required = match side {
            Side::Request => i.required,
            Side::Response => top_level && name == "RequestId",
        };
        Field {
            name,
            ty,
            required,
            default: i.default.clone().filter(|d| literal_fits(d, i.ty)),
            example: None,
            doc: String::new(),
            sensitive: i.sensitive,
            constraints: Constraints {
                range: i.constraints.range,
                // On a list the metadata's length bounds its items, which the spec cannot
                // express (per-item rules are documented, not checked).
                length: i
                    .constraints
                    .length
                    .filter(|_| i.ty == ImportedKind::String),
                items: i.constraints.items,
                ..Constraints::default()
            },
            rust_name: None,
            location: (top_level && side == Side::Request).then_some(i.location),
            note: None,
            decision: None,
            origin: Origin::Imported,
        }
    }

    fn convert_type(
        &mut self,
        raw: &mut RawSpec,
        site: Site<'_>,
        path: &str,
        struct_name: &str,
        i: &ImportedField,
    ) -> TypeRef {
        match i.ty {
            ImportedKind::String => TypeRef::String,
            ImportedKind::Integer => TypeRef::Integer,
            ImportedKind::Long => TypeRef::Long,
            ImportedKind::Boolean => TypeRef::Boolean,
            ImportedKind::Float => TypeRef::Float,
            ImportedKind::Object => {
                TypeRef::Object(self.new_struct(raw, site, path, struct_name, &i.fields))
            }
            ImportedKind::Json if !i.fields.is_empty() => {
                TypeRef::Json(self.new_struct(raw, site, path, struct_name, &i.fields))
            }
            ImportedKind::Json => TypeRef::String,
            ImportedKind::List | ImportedKind::CommaList | ImportedKind::WrappedList => {
                let item = match i.item.as_deref() {
                    Some(item) => self.item_name(raw, site, path, struct_name, item),
                    None => {
                        self.conflict(site.at, path, "imported list has no item type".into());
                        "string".to_owned()
                    }
                };
                match i.ty {
                    ImportedKind::CommaList => TypeRef::CommaList(item),
                    ImportedKind::WrappedList => TypeRef::WrappedList(WrappedList {
                        key: i.key.clone().unwrap_or_default(),
                        item,
                    }),
                    _ => TypeRef::List(item),
                }
            }
        }
    }

    /// The spec's name for a list item: a scalar keyword or a (new) struct.
    fn item_name(
        &mut self,
        raw: &mut RawSpec,
        site: Site<'_>,
        path: &str,
        struct_name: &str,
        item: &ImportedField,
    ) -> String {
        match item.ty {
            ImportedKind::Object => self.new_struct(raw, site, path, struct_name, &item.fields),
            kind => match scalar_keyword(kind) {
                Some(k) => k.to_owned(),
                None => {
                    self.conflict(
                        site.at,
                        path,
                        "a list of lists cannot be expressed; curate the field".into(),
                    );
                    "string".to_owned()
                }
            },
        }
    }

    /// Adds a struct with a derived, unused name to the site's group.
    fn new_struct(
        &mut self,
        raw: &mut RawSpec,
        site: Site<'_>,
        path: &str,
        hint: &str,
        fields: &[ImportedField],
    ) -> String {
        let gi = site.group;
        let base = naming::type_name(hint);
        let mut name = base.clone();
        let mut n = 2;
        while self.structs.contains_key(&name) || self.enums.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.structs.insert(name.clone(), Some(gi));
        let converted: Vec<Field> = fields
            .iter()
            .map(|f| {
                let fpath = format!("{path}.{}", f.name.as_deref().unwrap_or_default());
                self.convert(raw, site, &fpath, &name, f)
            })
            .collect();
        let doc = format!(
            "The `{}` {} of `{}`, as the current API metadata describes it.",
            path.rsplit('.').next().unwrap_or(path),
            if site.side == Side::Request {
                "value"
            } else {
                "object"
            },
            site.at.operation
        );
        raw.groups[gi].1.structs.push(StructSpec {
            name: name.clone(),
            doc,
            fields: converted,
            note: None,
        });
        name
    }

    /// Why a curated type cannot carry the imported one, if it cannot.
    fn type_disagreement(&self, c: &TypeRef, i: &ImportedField) -> Option<String> {
        let scalar = |t: &TypeRef| -> Option<&'static str> {
            match t {
                TypeRef::String => Some("string"),
                TypeRef::Integer => Some("integer"),
                TypeRef::Long => Some("long"),
                TypeRef::Boolean => Some("boolean"),
                TypeRef::Float => Some("float"),
                TypeRef::Enum(e) => self.enums.get(e).map(|e| e.wire_type.keyword()),
                _ => None,
            }
        };
        let ok = match (c, i.ty) {
            (_, k) if scalar_keyword(k).is_some() => match scalar(c) {
                Some(ck) => scalar_compatible(ck, i.ty),
                // A JSON-encoded struct travels as a string parameter.
                None => matches!(c, TypeRef::Json(_)) && i.ty == ImportedKind::String,
            },
            (TypeRef::Json(_), ImportedKind::Json) => true,
            (TypeRef::Object(_), ImportedKind::Object) => true,
            (TypeRef::List(item), ImportedKind::List)
            | (TypeRef::CommaList(item), ImportedKind::CommaList) => {
                item_compatible(self, item, i.item.as_deref())
            }
            (TypeRef::WrappedList(w), ImportedKind::WrappedList) => {
                i.key.as_deref() == Some(w.key.as_str())
                    && item_compatible(self, &w.item, i.item.as_deref())
            }
            _ => false,
        };
        (!ok).then(|| {
            format!(
                "type: curated {}, current API {}",
                describe(c),
                imported_describe(i)
            )
        })
    }

    /// An explicit imported value list the curated enum does not cover.
    fn values_disagreement(&self, c: &TypeRef, values: &[Scalar]) -> Option<String> {
        let TypeRef::Enum(name) = c else {
            return None;
        };
        let e = self.enums.get(name)?;
        let known: BTreeSet<String> = e.values.iter().map(|v| v.value.to_string()).collect();
        let missing: Vec<String> = values
            .iter()
            .map(Scalar::to_string)
            .filter(|v| !known.contains(v))
            .collect();
        (!missing.is_empty()).then(|| {
            format!(
                "values: enum `{name}` lacks {} of the current API",
                missing.join(", ")
            )
        })
    }
}

/// The curated struct a field names and the imported fields at this position.
fn struct_position<'i>(c: &TypeRef, i: &'i ImportedField) -> Option<(String, &'i [ImportedField])> {
    let name = match c {
        TypeRef::Object(n) | TypeRef::Json(n) | TypeRef::List(n) => n.clone(),
        TypeRef::WrappedList(w) => w.item.clone(),
        _ => return None,
    };
    let fields = match i.ty {
        ImportedKind::Object | ImportedKind::Json if !i.fields.is_empty() => &i.fields,
        ImportedKind::List | ImportedKind::WrappedList | ImportedKind::Json => {
            &i.item.as_deref()?.fields
        }
        _ => return None,
    };
    (!fields.is_empty()).then_some((name, fields.as_slice()))
}

fn item_compatible(m: &Merger, item: &str, i: Option<&ImportedField>) -> bool {
    let Some(i) = i else { return false };
    match i.ty {
        ImportedKind::Object => !is_scalar_keyword(item) && !m.enums.contains_key(item),
        kind => {
            let curated = m.enums.get(item).map_or(item, |e| e.wire_type.keyword());
            scalar_keyword(kind).is_some() && scalar_compatible(curated, kind)
        }
    }
}

/// A curated scalar can carry an imported one when the kinds match, or when the curated type is
/// wider (`long` for an `integer`).
fn scalar_compatible(curated: &str, imported: ImportedKind) -> bool {
    matches!(
        (curated, imported),
        ("string", ImportedKind::String)
            | ("integer", ImportedKind::Integer)
            | ("long", ImportedKind::Integer | ImportedKind::Long)
            | ("boolean", ImportedKind::Boolean)
            | ("float", ImportedKind::Float)
    )
}

fn scalar_keyword(kind: ImportedKind) -> Option<&'static str> {
    match kind {
        ImportedKind::String => Some("string"),
        ImportedKind::Integer => Some("integer"),
        ImportedKind::Long => Some("long"),
        ImportedKind::Boolean => Some("boolean"),
        ImportedKind::Float => Some("float"),
        _ => None,
    }
}

/// A default is kept only when it is a literal of the field's type (`"false"` of a boolean
/// arrives as text in the metadata).
fn literal_fits(v: &Scalar, kind: ImportedKind) -> bool {
    matches!(
        (v, kind),
        (Scalar::Str(_), ImportedKind::String)
            | (Scalar::Int(_), ImportedKind::Integer | ImportedKind::Long)
            | (Scalar::Bool(_), ImportedKind::Boolean)
            | (Scalar::Float(_) | Scalar::Int(_), ImportedKind::Float)
    )
}

/// Bounds the metadata states that the curated field contradicts. A curated bound stricter
/// than the current API would reject requests the service accepts.
fn bounds_disagreements(c: &Constraints, i: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    let pairs: [(&str, Option<Bounds>, Option<Bounds>); 3] = [
        ("range", c.range, i.range),
        ("length", c.length, i.length),
        ("items", c.items, i.items),
    ];
    for (what, cb, ib) in pairs {
        // A bound only the metadata states is adopted by the merge, not a disagreement.
        let (Some(cb), Some(ib)) = (cb, ib) else {
            continue;
        };
        let stricter_min = matches!((cb.min, ib.min), (Some(c), Some(i)) if c > i)
            || matches!((cb.min, ib.min), (Some(_), None));
        let stricter_max = matches!((cb.max, ib.max), (Some(c), Some(i)) if c < i);
        let differs = cb.min != ib.min || cb.max != ib.max;
        if differs && (stricter_min || stricter_max) {
            out.push(format!(
                "{what}: curated {}, current API {}",
                show_bounds(cb),
                show_bounds(ib)
            ));
        }
    }
    out
}

fn show_bounds(b: Bounds) -> String {
    let end = |v: Option<i64>| v.map_or_else(|| "…".to_owned(), |v| v.to_string());
    format!("{}..={}", end(b.min), end(b.max))
}

fn describe(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "string".into(),
        TypeRef::Integer => "integer".into(),
        TypeRef::Long => "long".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Float => "float".into(),
        TypeRef::Enum(n) => format!("enum {n}"),
        TypeRef::List(n) => format!("list of {n}"),
        TypeRef::Json(n) => format!("JSON {n}"),
        TypeRef::Object(n) => format!("object {n}"),
        TypeRef::WrappedList(w) => format!("wrapped list of {}", w.item),
        TypeRef::CommaList(n) => format!("comma-joined list of {n}"),
    }
}

fn imported_describe(i: &ImportedField) -> String {
    let item = || {
        i.item
            .as_deref()
            .map(imported_describe)
            .unwrap_or_else(|| "?".into())
    };
    match i.ty {
        ImportedKind::List => format!("list of {}", item()),
        ImportedKind::CommaList => format!("comma-joined list of {}", item()),
        ImportedKind::WrappedList => format!("wrapped list of {}", item()),
        ImportedKind::Object => "object".into(),
        ImportedKind::Json => "JSON".into(),
        k => scalar_keyword(k).unwrap_or("?").into(),
    }
}
