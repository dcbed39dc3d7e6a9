//! `spec/schema.json`: a JSON Schema for the spec files, derived from [`crate::model`], and for
//! the imported layer ([`crate::imported`] and the importer's [`Manifest`]).
//!
//! Editors with a YAML language server use it for completion and checking. Because it is
//! generated from the loader's own types, the two cannot drift; a test fails when the
//! checked-in file is stale.

use crate::import::Manifest;
use crate::imported::ImportedOperation;
use crate::model::{ErrorsFile, GroupFile, ServiceFile, SharedFile};
use schemars::schema::RootSchema;
use schemars::schema_for;

/// Name of the schema file inside the spec directory.
pub const SCHEMA_FILE: &str = "schema.json";

/// One schema per kind of spec file, keyed by the file (or glob) it applies to.
pub fn schemas() -> Vec<(&'static str, RootSchema)> {
    vec![
        ("service.yaml", schema_for!(ServiceFile)),
        ("errors.yaml", schema_for!(ErrorsFile)),
        ("shared.yaml", schema_for!(SharedFile)),
        ("groups/*.yaml", schema_for!(GroupFile)),
        ("imported/*.yaml", schema_for!(ImportedOperation)),
        ("imported/import.yaml", schema_for!(Manifest)),
    ]
}

/// The checked-in schema: a group-file schema (the file most edited) whose `oneOf` branches
/// also accept the other files, so one `# yaml-language-server: $schema=` line works anywhere.
pub fn render_schema() -> String {
    let mut root = serde_json::Map::new();
    root.insert(
        "$schema".into(),
        "http://json-schema.org/draft-07/schema#".into(),
    );
    root.insert("title".into(), "VPN Gateway API spec file".into());
    let mut branches = Vec::new();
    let mut definitions = serde_json::Map::new();
    for (file, schema) in schemas() {
        let mut value = serde_json::to_value(&schema).unwrap_or_default();
        if let Some(obj) = value.as_object_mut() {
            if let Some(serde_json::Value::Object(defs)) = obj.remove("definitions") {
                definitions.extend(defs);
            }
            obj.remove("$schema");
            obj.insert("description".into(), format!("Schema of {file}").into());
        }
        branches.push(value);
    }
    root.insert("oneOf".into(), branches.into());
    root.insert("definitions".into(), definitions.into());
    let mut out =
        serde_json::to_string_pretty(&serde_json::Value::Object(root)).unwrap_or_default();
    out.push('\n');
    out
}
