//! Per-group cargo features of the generated crate: which groups need which type (shared
//! types under `any(...)`, recursive structs, request-only methods), the feature table of
//! `Cargo.toml`, and the gates on operation modules, client methods and types. That every
//! group compiles alone without warnings is checked on the real crate by
//! `cargo xtask feature-check` (run by CI).

use generator::ir::{self, group_reach};
use generator::{generate, load_sources, read_templates, GeneratedFile, SpecSources};
use std::path::{Path, PathBuf};

/// A second group beside the fixture's `things`: a group-only enum, a recursive group-only
/// struct, a struct `things` also sends (`Label`), a struct `things` sends and `gadgets` only
/// receives (`Settings`), and an operation whose waiter lives in `things` (`DescribeThing`).
const GADGETS: &str = "id: gadgets
title: Gadgets
enums:
  - name: GadgetColor
    type: string
    doc: A colour.
    values:
      - {value: red, doc: Red.}
structs:
  - name: GadgetPart
    doc: A part, made of parts.
    fields:
      - {name: PartId, type: string, doc: The ID.}
      - {name: Parts, type: {list: GadgetPart}, doc: Sub-parts.}
operations:
  - action: CreateGadget
    summary: Creates a gadget.
    source: test
    async:
      poll: DescribeThing
      input: {ThingId: response.GadgetId}
      status_field: Status
      pending: [creating]
      success: [ready]
    parameters:
      - {name: RegionId, type: string, required: true, doc: The region.}
      - {name: Color, type: {enum: GadgetColor}, doc: The colour.}
      - {name: Label, type: {list: Label}, doc: Labels.}
      - {name: Part, type: {list: GadgetPart}, doc: Parts.}
    response:
      - {name: RequestId, type: string, required: true, doc: The request ID.}
      - {name: GadgetId, type: string, required: true, doc: The ID.}
  - action: DescribeGadget
    summary: Describes a gadget.
    source: test
    parameters:
      - {name: GadgetId, type: string, required: true, doc: The ID.}
    response:
      - {name: RequestId, type: string, required: true, doc: The request ID.}
      - {name: Settings, type: {object: Settings}, doc: Settings.}
";

fn sources() -> SpecSources {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let mut sources = SpecSources::read_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    sources
        .files
        .insert(PathBuf::from("groups/gadgets.yaml"), GADGETS.to_owned());
    let service = sources
        .files
        .get_mut(&PathBuf::from("service.yaml"))
        .unwrap_or_else(|| panic!("no service.yaml"));
    *service = service.replacen("  - things\n", "  - things\n  - gadgets\n", 1);
    sources
}

fn lowered() -> ir::ServiceIr {
    ir::lower(&load_sources(sources()).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("no {path}"))
}

/// The attribute lines directly above the first line containing `item` (up to its doc comment
/// or a blank line), trimmed.
fn attributes_of<'a>(text: &'a str, item: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(item))
        .unwrap_or_else(|| panic!("no `{item}`"));
    lines[..at]
        .iter()
        .rev()
        .take_while(|l| !l.trim().is_empty() && !l.trim_start().starts_with("///"))
        .map(|l| l.trim())
        .collect()
}

#[test]
fn each_type_is_needed_by_the_groups_that_reach_it() {
    let reach = group_reach(&lowered());
    let groups = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(reach.of_type("GadgetColor"), groups(&["gadgets"]));
    assert_eq!(reach.of_type("GadgetPart"), groups(&["gadgets"]));
    assert_eq!(reach.of_type("Label"), groups(&["things", "gadgets"]));
    assert_eq!(reach.of_type("ThingStatus"), groups(&["things"]));
    // Reached through a struct field only.
    assert_eq!(reach.of_type("Size"), groups(&["things"]));
    assert_eq!(reach.of_type("Settings"), groups(&["things", "gadgets"]));
    assert_eq!(reach.of_request_type("Settings"), groups(&["things"]));
    assert_eq!(reach.requires.get("gadgets"), Some(&groups(&["things"])));
    assert_eq!(reach.requires.get("things"), None);
}

#[test]
fn the_crate_gates_modules_methods_and_types_by_group() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let templates = read_templates(&root.join("templates")).unwrap_or_else(|e| panic!("{e}"));
    let spec = load_sources(sources()).unwrap_or_else(|e| panic!("{e}"));
    let files = generate(&spec, &templates).unwrap_or_else(|e| panic!("{e}"));

    let manifest = file(&files, "Cargo.toml");
    assert!(
        manifest.contains("default = [\"things\", \"gadgets\"]\n"),
        "{manifest}"
    );
    assert!(manifest.contains("\nthings = []\n"), "{manifest}");
    assert!(
        manifest.contains("\ngadgets = [\"things\"]\n"),
        "{manifest}"
    );

    let types = file(&files, "src/types.rs");
    let one = "#[cfg(feature = \"gadgets\")]";
    let both = "#[cfg(any(feature = \"things\", feature = \"gadgets\"))]";
    assert!(attributes_of(types, "pub enum GadgetColor").contains(&one));
    assert!(attributes_of(types, "pub struct GadgetPart").contains(&one));
    assert!(attributes_of(types, "pub struct Label").contains(&both));
    assert!(attributes_of(types, "impl From<&str> for GadgetColor").contains(&one));
    assert!(
        attributes_of(types, "impl<'de> ::serde::Deserialize<'de> for GadgetColor").contains(&one)
    );
    // `gadgets` only receives `Settings`: its request methods need `things`.
    assert!(attributes_of(types, "pub struct Settings").contains(&both));
    let settings_request = types
        .split("impl Settings {")
        .nth(2)
        .unwrap_or_else(|| panic!("Settings has no separate request impl:\n{types}"));
    assert!(settings_request.contains("fn validate_at"));
    let before = types
        .split("impl Settings {")
        .nth(1)
        .and_then(|t| t.lines().next_back())
        .unwrap_or_default();
    assert_eq!(before.trim(), "#[cfg(feature = \"things\")]");

    let client = file(&files, "src/client.rs");
    assert!(attributes_of(client, "pub fn create_gadget(").contains(&one));
    assert!(attributes_of(client, "pub fn create_thing(").contains(&"#[cfg(feature = \"things\")]"));
    assert!(attributes_of(client, "pub(crate) fn rpc(").contains(&both));

    let index = file(&files, "src/operation.rs");
    assert!(attributes_of(index, "pub mod create_gadget;").contains(&one));
    assert!(
        index.contains(&format!("{one}\n    \"CreateGadget\"")),
        "{index}"
    );

    let lib = file(&files, "src/lib.rs");
    let tests_gate = "#[cfg(all(test, feature = \"things\", feature = \"gadgets\"))]";
    assert!(
        attributes_of(lib, "mod seed_examples;").contains(&tests_gate),
        "{lib}"
    );
    assert!(
        lib.contains("//! - `gadgets`: Gadgets (2 operations)"),
        "{lib}"
    );
}
