//! Freshness of the two checked-in crates, determinism, and generator details checked on
//! variants of the feature fixture.
//!
//! The expectation of each spec is a checked-in crate, reviewed as a diff in pull requests
//! (with the API change summary `cargo xtask codegen` prints): `generated-sdk/` for the real
//! spec, and `generator/tests/fixture-sdk/` for the feature fixture, which shows a generator
//! change on a few lines of every feature. Both are workspace members, so the compiler, clippy,
//! rustdoc and their tests check the generated code too; the freshness tests fail when either
//! was not regenerated.

use generator::{generate, load_spec, read_templates, GeneratedFile};
use std::collections::BTreeSet;
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

/// Files below `crate_dir` that differ from what `spec_dir` generates, are missing, or carry
/// the generated marker without being generated any more (as `cargo xtask codegen --check`
/// reports them). Hand-written files (the fixture crate's `tests/`) are not looked at.
fn stale_files(spec_dir: &str, crate_dir: &str) -> Vec<String> {
    let crate_dir = root().join(crate_dir);
    let files = generate_from(&root().join(spec_dir));
    let wanted: BTreeSet<PathBuf> = files.iter().map(|f| crate_dir.join(&f.path)).collect();
    let mut stale: Vec<String> = files
        .into_iter()
        .filter(|f| {
            std::fs::read_to_string(crate_dir.join(&f.path)).ok() != Some(f.contents.clone())
        })
        .map(|f| f.path)
        .collect();
    let mut dirs = vec![crate_dir.clone()];
    while let Some(dir) = dirs.pop() {
        for path in std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
        {
            if path.is_dir() {
                dirs.push(path);
            } else if !wanted.contains(&path)
                && std::fs::read_to_string(&path).is_ok_and(|t| {
                    t.lines()
                        .next()
                        .is_some_and(|l| l.contains(generator::emit::GENERATED_MARKER))
                })
            {
                let shown = path.strip_prefix(&crate_dir).unwrap_or(&path);
                stale.push(format!("{} (orphaned)", shown.display()));
            }
        }
    }
    stale
}

#[test]
fn the_checked_in_crate_is_fresh() {
    let stale = stale_files("spec", "generated-sdk");
    assert!(
        stale.is_empty(),
        "generated-sdk/ is stale ({stale:?}); run `cargo xtask codegen`"
    );
}

/// The feature fixture (integer enums, struct lists inside struct lists, JSON-encoded structs,
/// sensitive fields, pagination, waiters, ... in a few lines each) generated into a crate of
/// the workspace of its own name.
#[test]
fn the_checked_in_fixture_crate_is_fresh() {
    let stale = stale_files(
        "generator/tests/fixtures/minimal",
        "generator/tests/fixture-sdk",
    );
    assert!(
        stale.is_empty(),
        "generator/tests/fixture-sdk/ is stale ({stale:?}); run `cargo xtask codegen`"
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
