//! `spec/schema.json` as an editor's YAML language server uses it: every spec file (converted
//! from YAML to JSON, as the language server does) is valid against it, and broken files are
//! not. Checked with an independent validator (`jsonschema`), not with the loader's own types.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests: a panic is the failure report.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(manifest_dir().join("../spec/schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert!(
        jsonschema::meta::is_valid(&schema),
        "schema.json is not a valid JSON Schema"
    );
    jsonschema::validator_for(&schema).unwrap()
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in [dir.to_path_buf(), dir.join("groups"), dir.join("imported")] {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue; // The test fixture has no imported layer.
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn as_json(yaml: &str) -> Value {
    serde_yaml::from_str(yaml).unwrap()
}

/// The schema's complaints about `yaml`, one line each (empty when valid).
fn complaints(validator: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    let instance = as_json(yaml);
    validator
        .iter_errors(&instance)
        .map(|e| {
            // The message repeats the whole instance; the path and the start say enough.
            let text: String = e.to_string().chars().take(300).collect();
            format!("at `{}`: {text}", e.instance_path())
        })
        .collect()
}

#[test]
fn every_spec_file_is_valid_against_the_schema() {
    let validator = validator();
    let mut files = yaml_files(&manifest_dir().join("../spec"));
    assert!(files.len() >= 8, "{files:?}");
    let imported = files
        .iter()
        .filter(|f| f.parent().is_some_and(|p| p.ends_with("imported")));
    assert!(
        imported.count() >= 67,
        "the imported layer (66 operations and the manifest)"
    );
    files.extend(yaml_files(&manifest_dir().join("tests/fixtures/minimal")));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let problems = complaints(&validator, &text);
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }
}

/// One edit of a real spec file each; the schema must refuse every one, as the loader does.
#[test]
fn broken_files_are_refused() {
    let validator = validator();
    let spec = manifest_dir().join("../spec");
    let group = std::fs::read_to_string(spec.join("groups/vpn-gateways.yaml")).unwrap();
    let service = std::fs::read_to_string(spec.join("service.yaml")).unwrap();
    let errors = std::fs::read_to_string(spec.join("errors.yaml")).unwrap();
    let imported = std::fs::read_to_string(spec.join("imported/CreateVpnConnection.yaml")).unwrap();
    let manifest = std::fs::read_to_string(spec.join("imported/import.yaml")).unwrap();
    let cases: [(&str, &str, &str, &str); 14] = [
        (
            "unknown key",
            &group,
            "    summary:",
            "    sumary: typo\n    summary:",
        ),
        ("misspelled type", &group, "type: string", "type: strng"),
        ("capitalised type", &group, "type: string", "type: String"),
        (
            "capitalised composite",
            &group,
            "type: {enum: ",
            "type: {Enum: ",
        ),
        (
            "composite with two keys",
            &group,
            "type: {enum: ",
            "type: {list: string, enum: ",
        ),
        (
            "unknown composite",
            &group,
            "type: {enum: ",
            "type: {enumeration: ",
        ),
        ("unknown format", &group, "format: name", "format: nam"),
        (
            "missing required key",
            &group,
            "    summary:",
            "    summery:",
        ),
        (
            "unknown key in service.yaml",
            &service,
            "protocol: rpc",
            "protocol: rpc\nprotocols: rpc",
        ),
        (
            "wrong value type",
            &errors,
            "http_status: 400",
            "http_status: \"400\"",
        ),
        (
            "unknown imported kind",
            &imported,
            "type: list",
            "type: repeat_list",
        ),
        (
            "unknown key in an imported field",
            &imported,
            "  required: true",
            "  required: true\n  doc: prose",
        ),
        (
            "imported file without provenance",
            &imported,
            "provenance:",
            "source:",
        ),
        ("manifest without scope", &manifest, "scope:", "actions:"),
    ];
    for (what, text, from, to) in cases {
        assert!(text.contains(from), "{what}: the edit does not apply");
        let broken = text.replacen(from, to, 1);
        assert!(
            !complaints(&validator, &broken).is_empty(),
            "{what}: the schema accepts it"
        );
    }
}
