//! Diagnostics point at the line of the node they concern, also where the same name is
//! written elsewhere in the file: another operation's field, a parameter of the same operation,
//! an earlier entry of a duplicated name.

use generator::{load_sources, SpecSources};
use std::path::{Path, PathBuf};

fn fixture() -> SpecSources {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    match SpecSources::read_dir(&dir) {
        Ok(s) => s,
        Err(e) => panic!("fixture unreadable: {e}"),
    }
}

/// The report for `sources`, which must be refused.
fn refused(sources: SpecSources) -> String {
    match load_sources(sources) {
        Ok(_) => panic!("the spec must be refused"),
        Err(d) => d.to_string(),
    }
}

/// The fixture with `from` replaced by `to` in `file`.
fn edited(file: &str, from: &str, to: &str) -> SpecSources {
    let mut sources = fixture();
    let text = sources
        .files
        .get_mut(&PathBuf::from(file))
        .unwrap_or_else(|| panic!("no fixture file {file}"));
    assert!(text.contains(from), "fixture {file} lacks {from:?}");
    *text = text.replacen(from, to, 1);
    sources
}

/// The 1-based line of the only line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let found: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(found.len(), 1, "{needle:?} must be on exactly one line");
    found[0]
}

/// A group whose operations come before its structs: the struct field `Name` is written after
/// the parameter `Name` of another operation.
const EXTRAS: &str = "\
id: extras
title: Extras
description: Operations listed before the structs they use.
operations:
  - action: CreateExtra
    summary: Creates an extra.
    source: fixture
    parameters:
      - {name: Name, type: string, example: first, doc: The name.}
    response:
      - {name: RequestId, type: string, required: true, doc: The request ID.}
  - action: DescribeExtra
    summary: Describes an extra.
    source: fixture
    parameters:
      - {name: ExtraId, type: string, doc: The ID.}
    response:
      - {name: RequestId, type: string, required: true, doc: The request ID.}
      - {name: Extra, type: {object: Extra}, doc: The extra.}
structs:
  - name: Extra
    doc: An extra.
    fields:
      - name: Name
        type: string
        doc: The name.
        example: x
        constraints: {length: {min: 2}}
";

#[test]
fn a_field_named_like_a_field_of_an_earlier_operation_points_at_its_own_line() {
    let mut sources = fixture();
    sources
        .files
        .insert(PathBuf::from("groups/extras.yaml"), EXTRAS.to_owned());
    let service = sources
        .files
        .get_mut(&PathBuf::from("service.yaml"))
        .unwrap_or_else(|| panic!("no service.yaml"));
    *service = service.replacen("  - things\n", "  - things\n  - extras\n", 1);
    let out = refused(sources);
    let line = line_of(EXTRAS, "example: x");
    assert!(
        out.contains(&format!(
            "groups/extras.yaml:{line}: Extra.Name: example `x` violates"
        )),
        "{out}"
    );
}

#[test]
fn a_response_field_named_like_a_parameter_points_at_the_response_field() {
    let from = "      - {name: Status, type: {enum: ThingStatus}, doc: The status.}\n    errors:";
    let to = "      - {name: Status, type: {enum: ThingStatus}, doc: The status.}\n      - {name: ThingId, type: integer, example: abc, doc: The ID.}\n    errors:";
    let sources = edited("groups/things.yaml", from, to);
    let text = sources.files[&PathBuf::from("groups/things.yaml")].clone();
    let out = refused(sources);
    let line = line_of(&text, "{name: ThingId, type: integer, example: abc");
    assert!(
        out.contains(&format!(
            "groups/things.yaml:{line}: operation DescribeThing: response.ThingId: example `abc`"
        )),
        "{out}"
    );
}

#[test]
fn a_name_used_twice_is_reported_at_its_second_use() {
    let sources = edited(
        "groups/things.yaml",
        "{name: ChargeType, type: string, doc: Billing.}",
        "{name: Zone, type: string, doc: Billing.}",
    );
    let text = sources.files[&PathBuf::from("groups/things.yaml")].clone();
    let out = refused(sources);
    let second = line_of(&text, "{name: Zone, type: string, doc: Billing.}");
    assert!(
        out.contains(&format!(
            "groups/things.yaml:{second}: operation CreateThing: parameters.Zone: wire name is used twice"
        )),
        "{out}"
    );
}

#[test]
fn a_waiter_input_points_at_the_input_not_at_a_field_of_the_same_name() {
    let sources = edited(
        "groups/things.yaml",
        "input: {ThingId: response.ThingId}",
        "input: {ThingId: response.Nope}",
    );
    let text = sources.files[&PathBuf::from("groups/things.yaml")].clone();
    let out = refused(sources);
    let line = line_of(&text, "input: {ThingId: response.Nope}");
    assert!(
        out.contains(&format!(
            "groups/things.yaml:{line}: operation CreateThing: async.input.ThingId:"
        )),
        "{out}"
    );
}

#[test]
fn a_sample_request_key_points_at_the_sample_not_at_the_parameter() {
    let sources = edited("groups/things.yaml", "\"Zone.1\": z1", "\"Zone.0\": z1");
    let text = sources.files[&PathBuf::from("groups/things.yaml")].clone();
    let out = refused(sources);
    let line = line_of(&text, "\"Zone.0\": z1");
    assert!(
        out.contains(&format!(
            "groups/things.yaml:{line}: operation CreateThing: example.request.Zone.0: list indexes start at 1"
        )),
        "{out}"
    );
}

/// The imported layer of `DescribeThing`: its curated fields, and `TotalCount`, which no curated
/// file lists for this operation.
const IMPORTED_DESCRIBE_THING: &str = "\
action: DescribeThing
provenance:
  metadata: fixture.json
  product: Vpc
  version: 2016-04-28
  published: 2025-12-19
parameters:
- name: ThingId
  type: string
  required: true
- name: TotalCount
  type: integer
  constraints:
    range: {min: 5, max: 1}
response:
- name: RequestId
  type: string
- name: Status
  type: string
errors:
- code: Thing.NotFound
  http_status: 404
  message: The specified thing does not exist.
";

#[test]
fn a_field_only_the_imported_layer_has_points_at_its_operation() {
    let mut sources = fixture();
    sources.files.insert(
        PathBuf::from("imported/DescribeThing.yaml"),
        IMPORTED_DESCRIBE_THING.to_owned(),
    );
    let text = sources.files[&PathBuf::from("groups/things.yaml")].clone();
    let out = refused(sources);
    // Not the line of `TotalCount` in DescribeThings, further down the same file.
    let line = text
        .lines()
        .position(|l| l == "  - action: DescribeThing")
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("the fixture lists DescribeThing"));
    assert!(
        out.contains(&format!(
            "groups/things.yaml:{line}: operation DescribeThing: parameters.TotalCount: bounds have min greater than max"
        )),
        "{out}"
    );
}
