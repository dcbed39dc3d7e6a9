//! Snapshots of every artifact generated from the feature fixture, freshness of the checked-in
//! crate, determinism.
//!
//! The real spec's expectation is the checked-in `generated-sdk/` itself (reviewed as a diff in
//! pull requests, with the API change summary `cargo xtask codegen` prints); the freshness test
//! fails when it was not regenerated. The fixture's snapshots show a generator change on a few
//! lines of every feature.

use generator::{generate, load_spec, read_templates, GeneratedFile};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn generate_from(spec_dir: &Path) -> Vec<GeneratedFile> {
    let spec = load_spec(spec_dir).unwrap_or_else(|e| panic!("{e}"));
    let templates = read_templates(&root().join("templates")).unwrap_or_else(|e| panic!("{e}"));
    generate(&spec, &templates).unwrap_or_else(|e| panic!("{e}"))
}

fn snapshot_all(prefix: &str, files: &[GeneratedFile]) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/generated");
    settings.bind(|| {
        for f in files {
            let name = format!("{prefix}__{}", f.path.replace(['/', '.'], "_"));
            insta::assert_snapshot!(name, f.contents);
        }
    });
}

#[test]
fn every_artifact_of_the_feature_fixture() {
    // The fixture exercises integer enums, lists of scalars and structs, struct lists inside
    // struct lists, JSON-encoded structs, nested responses, list wrappers, sensitive fields,
    // pagination, rules and asynchronous operations in a few lines each.
    snapshot_all(
        "fixture",
        &generate_from(&root().join("generator/tests/fixtures/minimal")),
    );
}

#[test]
fn the_checked_in_crate_is_fresh() {
    let stale: Vec<String> = generate_from(&root().join("spec"))
        .into_iter()
        .filter(|f| {
            std::fs::read_to_string(root().join("generated-sdk").join(&f.path)).ok()
                != Some(f.contents.clone())
        })
        .map(|f| f.path)
        .collect();
    assert!(
        stale.is_empty(),
        "generated-sdk/ is stale ({stale:?}); run `cargo xtask codegen`"
    );
}

#[test]
fn generation_is_deterministic() {
    let a = generate_from(&root().join("spec"));
    let b = generate_from(&root().join("spec"));
    assert_eq!(a, b);
}

#[test]
fn every_file_starts_with_the_generated_marker() {
    for f in generate_from(&root().join("spec")) {
        let first = f.contents.lines().next().unwrap_or_default();
        assert!(
            first.contains(generator::emit::GENERATED_MARKER),
            "{}: {first}",
            f.path
        );
    }
}

/// The wider metadata has operations without any parameter (`ListGeographicSubRegions`): their
/// wire codecs must not leave an unused reader or a needless `mut` (warnings in the crate).
#[test]
fn an_operation_without_parameters_binds_nothing_unused() {
    let dir = root().join("generator/tests/fixtures/minimal");
    let mut sources = generator::SpecSources::read_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let things = sources
        .files
        .get_mut(&PathBuf::from("groups/things.yaml"))
        .unwrap_or_else(|| panic!("no things.yaml"));
    things.push_str(
        "  - action: ListRegions
    summary: Lists regions.
    source: fixture
    response:
      - {name: RequestId, type: string, required: true, doc: The request ID.}
",
    );
    let spec = generator::load_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    let templates = read_templates(&root().join("templates")).unwrap_or_else(|e| panic!("{e}"));
    let files = generate(&spec, &templates).unwrap_or_else(|e| panic!("{e}"));
    let module = files
        .iter()
        .find(|f| f.path == "src/operation/list_regions.rs")
        .map(|f| f.contents.replace(char::is_whitespace, ""))
        .unwrap_or_else(|| panic!("no list_regions module"));
    assert!(module.contains("pubfnfrom_params(_r:"), "{module}");
    assert!(
        module.contains("letp=") && !module.contains("letmutp="),
        "{module}"
    );
}

/// The wider metadata bounds `long` parameters (`MaxResults` of some listings): the range check
/// takes the value as it is, with no conversion to its own type (clippy::useless_conversion).
#[test]
fn a_bounded_long_is_checked_without_a_conversion() {
    let dir = root().join("generator/tests/fixtures/minimal");
    let mut sources = generator::SpecSources::read_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let things = sources
        .files
        .get_mut(&PathBuf::from("groups/things.yaml"))
        .unwrap_or_else(|| panic!("no things.yaml"));
    let from =
        "{name: Period, type: integer, doc: Months., constraints: {range: {min: 1, max: 36}}}";
    assert!(things.contains(from));
    *things = things.replacen(from, &from.replace("integer", "long"), 1);
    let spec = generator::load_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    let templates = read_templates(&root().join("templates")).unwrap_or_else(|e| panic!("{e}"));
    let files = generate(&spec, &templates).unwrap_or_else(|e| panic!("{e}"));
    let module = files
        .iter()
        .find(|f| f.path == "src/operation/create_thing.rs")
        .map(|f| f.contents.replace(char::is_whitespace, ""))
        .unwrap_or_else(|| panic!("no create_thing module"));
    assert!(
        module.contains("rt::validate::range(\"Period\",*v,Some(1),Some(36))"),
        "{module}"
    );
    assert!(!module.contains("(\"Period\",i64::from"), "{module}");
}

/// Listings whose page number, page size and total count are `long`: the paginator reads them
/// as they are (clippy::useless_conversion otherwise).
#[test]
fn a_paginator_over_long_numbers_converts_nothing() {
    let dir = root().join("generator/tests/fixtures/minimal");
    let mut sources = generator::SpecSources::read_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let things = sources
        .files
        .get_mut(&PathBuf::from("groups/things.yaml"))
        .unwrap_or_else(|| panic!("no things.yaml"));
    for name in ["PageNumber", "PageSize", "TotalCount"] {
        let from = format!("{{name: {name}, type: integer");
        assert!(things.contains(&from), "{name}");
        *things = things.replacen(&from, &format!("{{name: {name}, type: long"), 1);
    }
    let spec = generator::load_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    let templates = read_templates(&root().join("templates")).unwrap_or_else(|e| panic!("{e}"));
    let files = generate(&spec, &templates).unwrap_or_else(|e| panic!("{e}"));
    let module = files
        .iter()
        .find(|f| f.path == "src/operation/describe_things.rs")
        .map(|f| f.contents.replace(char::is_whitespace, ""))
        .unwrap_or_else(|| panic!("no describe_things module"));
    assert!(module.contains("into_paginator"), "{module}");
    assert!(!module.contains("i64::from"), "{module}");
    assert!(
        module.contains("Cursor::Page(self.input.page_number.unwrap_or(1))"),
        "{module}"
    );
    assert!(
        module.contains("letpage_size=self.input.page_size;"),
        "{module}"
    );
}
