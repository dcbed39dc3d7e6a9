//! The merge of the imported layer into the curated layer: what is added, what wins, and every
//! kind of disagreement reported with its curated file, operation and field.

use generator::ir::{self, ItemIr, Location, Origin, TypeIr};
use generator::{load_sources, SpecSources};
use std::path::{Path, PathBuf};

fn fixture() -> SpecSources {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    SpecSources::read_dir(&dir).unwrap_or_else(|e| panic!("{e}"))
}

const HEADER: &str = "action: CreateThing
provenance: {metadata: test.json, product: Things, version: '2020-01-01', published: '2025-12-19'}
";

/// The fixture plus `imported/CreateThing.yaml` with `body` after the header.
fn with_import(body: &str) -> SpecSources {
    let mut sources = fixture();
    sources.files.insert(
        PathBuf::from("imported/CreateThing.yaml"),
        format!("{HEADER}{body}{RESPONSE}"),
    );
    sources
}

/// The curated response of CreateThing, restated.
const RESPONSE: &str = "response:
  - {name: RequestId, type: string}
  - {name: ThingId, type: string}
";

/// The curated parameters of CreateThing, restated so the import agrees with them.
const AGREEING: &str = "parameters:
  - {name: RegionId, type: string, required: true}
  - {name: Size, type: integer, required: true}
  - {name: Name, type: string}
  - name: Label
    type: list
    item: {type: object, fields: [{name: Key, type: string}, {name: Value, type: string}]}
  - {name: Zone, type: list, item: {type: string}}
  - {name: Settings, type: string}
  - {name: Period, type: integer}
  - {name: ChargeType, type: string}
  - {name: ClientToken, type: string}
  - {name: Rule, type: list, item: {type: object, fields: [{name: Name, type: string}, {name: Psk, type: string}, {name: Match, type: list, item: {type: object, fields: [{name: Key, type: string}, {name: Value, type: string}]}}]}}
";

fn lowered(sources: SpecSources) -> ir::ServiceIr {
    let spec = load_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    ir::lower(&spec).unwrap_or_else(|e| panic!("{e}"))
}

fn problems(sources: SpecSources) -> String {
    match load_sources(sources) {
        Ok(_) => panic!("the merge should have been refused"),
        Err(e) => e.to_string(),
    }
}

fn create_thing(ir: &ir::ServiceIr) -> &ir::OperationIr {
    ir.operations()
        .find(|o| o.names.wire == "CreateThing")
        .unwrap_or_else(|| panic!("CreateThing is lowered"))
}

#[test]
fn imported_only_parameters_join_with_their_shape_placement_and_origin() {
    let ir = lowered(with_import(&format!(
        "{AGREEING}  - name: Tunnel
    type: list
    location: body
    item:
      type: object
      fields:
        - {{name: Role, type: string}}
        - name: Ike
          type: object
          fields: [{{name: Psk, type: string, sensitive: true}}, {{name: Lifetime, type: long}}]
  - {{name: Ids, type: comma_list, item: {{type: integer}}}}
  - {{name: DryRun, type: boolean}}
"
    )));
    let op = create_thing(&ir);
    let tunnel = op.params.iter().find(|p| p.names.wire == "Tunnel").unwrap();
    assert_eq!(tunnel.origin, Origin::Imported);
    assert_eq!(tunnel.location, Location::Body);
    assert!(
        tunnel.holds_secrets,
        "a secret two levels down is still a secret"
    );
    let TypeIr::List(ItemIr::Struct(item)) = &tunnel.ty else {
        panic!("Tunnel is a list of structs: {:?}", tunnel.ty)
    };
    assert_eq!(item, "CreateThingTunnel", "derived name: owner, then field");
    let item = ir.structs.iter().find(|s| &s.name == item).unwrap();
    let ike = item.fields.iter().find(|f| f.names.wire == "Ike").unwrap();
    assert_eq!(ike.ty, TypeIr::Object("CreateThingTunnelIke".into()));
    let ids = op.params.iter().find(|p| p.names.wire == "Ids").unwrap();
    assert_eq!(
        ids.ty,
        TypeIr::CommaList(ItemIr::Scalar(ir::ScalarIr::Integer))
    );
    assert_eq!(ids.location, Location::Query);
    // Curated fields keep their curated docs and are marked as in both layers.
    let name = op.params.iter().find(|p| p.names.wire == "Name").unwrap();
    assert_eq!(name.origin, Origin::Both);
    assert_eq!(name.doc, "The name.");
    assert!(op.imported.is_some(), "the provenance is recorded");
    assert!(op
        .reference_url
        .ends_with("/document/Vpc/2016-04-28/CreateThing"));
}

#[test]
fn an_agreeing_import_changes_no_curated_fact() {
    let plain = lowered(fixture());
    let merged = lowered(with_import(AGREEING));
    let (a, b) = (create_thing(&plain), create_thing(&merged));
    assert_eq!(a.params.len(), b.params.len());
    for (x, y) in a.params.iter().zip(&b.params) {
        assert_eq!(
            (&x.names.wire, &x.ty, x.required, &x.constraints),
            (&y.names.wire, &y.ty, y.required, &y.constraints)
        );
    }
}

#[test]
fn every_kind_of_disagreement_names_the_curated_file_operation_and_field() {
    let cases = [
        ("  - {name: Period, type: string}\n", "Period", "type: curated integer, current API string"),
        ("  - {name: Name, type: string, required: true}\n", "Name", "required: curated false, current API true"),
        ("  - {name: Period, type: integer, constraints: {range: {min: 1, max: 120}}}\n", "Period", "range: curated 1..=36, current API 1..=120"),
        ("  - {name: Label, type: list, item: {type: object, fields: [{name: Key, type: string}]}, constraints: {items: {max: 50}}}\n", "Label", "items"),
        ("  - {name: Size, type: integer, required: true, values: [5, 10, 20]}\n", "Size", "enum `Size` lacks 20"),
    ];
    for (changed, field, why) in cases {
        let name = changed
            .split(',')
            .next()
            .unwrap()
            .trim_start_matches("  - {name: ")
            .trim_start_matches("  - name: ");
        let body: String = AGREEING
            .lines()
            .filter(|l| {
                !l.starts_with(&format!("  - {{name: {name},"))
                    && !l.starts_with(&format!("  - name: {name}"))
            })
            .filter(|l| name != "Label" || !l.starts_with("    "))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            + changed;
        let Err(report) = load_sources(with_import(&body)).map_err(|e| e.to_string()) else {
            panic!("{field} ({why}) was not reported");
        };
        assert!(
            report.contains("groups/things.yaml")
                && report.contains("CreateThing")
                && report.contains(field)
                && report.contains(why),
            "{field} ({why}):\n{report}"
        );
    }
}

#[test]
fn placement_comes_from_the_import_unless_curated_and_then_must_agree() {
    let body = AGREEING.replace(
        "  - {name: Name, type: string}",
        "  - {name: Name, type: string, location: body}",
    );
    let ir = lowered(with_import(&body));
    let name = create_thing(&ir)
        .params
        .iter()
        .find(|p| p.names.wire == "Name")
        .unwrap();
    assert_eq!(name.location, Location::Body);
    let mut sources = with_import(&body);
    let group = PathBuf::from("groups/things.yaml");
    let text = sources.files[&group].replace(
        "        example: thing1\n",
        "        example: thing1\n        location: query\n",
    );
    sources.files.insert(group, text);
    let report = problems(sources);
    assert!(
        report.contains("parameters.Name")
            && report.contains("placement: curated Query, current API Body"),
        "{report}"
    );
}

#[test]
fn a_recorded_decision_settles_a_disagreement() {
    let mut sources = with_import(&AGREEING.replace(
        "  - {name: Period, type: integer}",
        "  - {name: Period, type: integer, constraints: {range: {min: 1, max: 120}}}",
    ));
    let group = PathBuf::from("groups/things.yaml");
    let text = sources.files[&group].replace(
        "constraints: {range: {min: 1, max: 36}}}",
        "constraints: {range: {min: 1, max: 36}}, decision: Checked with the service.}",
    );
    sources.files.insert(group, text);
    lowered(sources);
}

#[test]
fn a_curated_parameter_the_current_api_lacks_needs_a_decision() {
    let body = AGREEING.replace("  - {name: ChargeType, type: string}\n", "");
    let report = problems(with_import(&body));
    assert!(
        report.contains("parameters.ChargeType")
            && report.contains("not in the current API metadata"),
        "{report}"
    );
}

#[test]
fn curated_structs_take_the_fields_of_every_position_they_are_used_at() {
    let body = AGREEING.replace(
        "fields: [{name: Key, type: string}, {name: Value, type: string}]",
        "fields: [{name: Key, type: string}, {name: Value, type: string}, {name: Scope, type: string}]",
    );
    let ir = lowered(with_import(&body));
    let label = ir.structs.iter().find(|s| s.name == "Label").unwrap();
    let scope = label
        .fields
        .iter()
        .find(|f| f.names.wire == "Scope")
        .unwrap();
    assert_eq!(scope.origin, Origin::Imported);
}

#[test]
fn error_codes_get_their_per_operation_status_and_settled_spellings() {
    let body = format!(
        "{AGREEING}errors:
  - {{code: Thing.Busy, http_status: 409, message: Busy.}}
  - {{code: \"thing.busy\", http_status: 400, message: Busy.}}
  - {{code: \"Thing.Gone\\t\", http_status: 404, message: Gone.}}
"
    );
    let ir = lowered(with_import(&body));
    let op = create_thing(&ir);
    let codes: Vec<(&str, u16)> = op
        .errors
        .iter()
        .map(|e| (e.error.code.as_str(), e.http_status))
        .collect();
    assert_eq!(codes, vec![("Thing.Busy", 409), ("Thing.Gone", 404)]);
    assert!(
        ir.errors.iter().any(|e| e.code == "Thing.Gone"),
        "joins the catalogue"
    );
}

/// The wider metadata has codes that differ only by separators (`Internal.Error`,
/// `InternalError`, `INTERNAL_ERROR`): distinct wire codes, so each keeps a variant of its own.
#[test]
fn codes_that_share_a_plain_variant_get_distinct_variants() {
    let body = format!(
        "{AGREEING}errors:
  - {{code: ThingBusy, http_status: 400, message: Busy.}}
  - {{code: THING_BUSY, http_status: 400, message: Busy.}}
  - {{code: Thing-Busy, http_status: 400, message: Busy.}}
"
    );
    let ir = lowered(with_import(&body));
    let variants: Vec<(&str, &str)> = create_thing(&ir)
        .errors
        .iter()
        .map(|e| (e.error.code.as_str(), e.error.variant.as_str()))
        .collect();
    assert_eq!(
        variants,
        [
            ("THING_BUSY", "ThingUnderscoreBusy"),
            ("Thing-Busy", "ThingDashBusy"),
            ("Thing.Busy", "ThingDotBusy"),
            ("ThingBusy", "ThingBusy"),
        ]
    );
    // The catalogue agrees with the operation.
    let catalogue = ir.errors.iter().find(|e| e.code == "Thing.Busy").unwrap();
    assert_eq!(catalogue.variant, "ThingDotBusy");
}

#[test]
fn inferred_facts_fill_in_only_where_the_curated_entry_is_silent() {
    let mut sources = with_import(&format!(
        "{AGREEING}inferred:
  idempotency_token: ClientToken
"
    ));
    let group = PathBuf::from("groups/things.yaml");
    let text = sources.files[&group].replace("    idempotency_token: ClientToken\n", "");
    sources.files.insert(group, text);
    let ir = lowered(sources);
    assert_eq!(
        create_thing(&ir)
            .idempotency_token
            .as_ref()
            .map(|t| t.snake.as_str()),
        Some("client_token")
    );
}

#[test]
fn an_imported_operation_no_group_lists_is_an_error() {
    let mut sources = fixture();
    sources.files.insert(
        PathBuf::from("imported/DeleteThing.yaml"),
        HEADER.replace("CreateThing", "DeleteThing"),
    );
    let report = problems(sources);
    assert!(
        report.contains("imported/DeleteThing.yaml") && report.contains("no group lists it"),
        "{report}"
    );
}

#[test]
fn an_imported_file_is_named_after_its_action() {
    let mut sources = fixture();
    sources
        .files
        .insert(PathBuf::from("imported/Other.yaml"), HEADER.to_owned());
    let report = problems(sources);
    assert!(
        report.contains("imported/Other.yaml") && report.contains("file name"),
        "{report}"
    );
}

#[test]
fn a_struct_sent_at_positions_with_different_fields_is_refused() {
    // Label is sent by CreateThing; another operation sends it with one more field, which
    // CreateThing would then send although it does not take it.
    let mut sources = with_import(AGREEING);
    let group = PathBuf::from("groups/things.yaml");
    let text = sources.files[&group].replace(
        "  - action: DescribeThing\n",
        "  - action: LabelThing\n    summary: Labels a thing.\n    source: fixture\n    parameters:\n      - {name: Label, type: {list: Label}, doc: Labels.}\n    response:\n      - {name: RequestId, type: string, required: true, doc: The request ID.}\n  - action: DescribeThing\n",
    );
    sources.files.insert(group, text);
    sources.files.insert(
        PathBuf::from("imported/LabelThing.yaml"),
        HEADER.replace("CreateThing", "LabelThing")
            + "parameters:
  - name: Label
    type: list
    item: {type: object, fields: [{name: Key, type: string}, {name: Value, type: string}, {name: Scope, type: string}]}
response:
  - {name: RequestId, type: string}
",
    );
    let report = problems(sources);
    assert!(
        report.contains("operation CreateThing")
            && report.contains(
                "struct `Label` is sent here, but this operation does not take its field(s) Scope"
            ),
        "{report}"
    );
}

#[test]
fn bounds_only_the_metadata_states_are_adopted() {
    let body = AGREEING.replace(
        "  - {name: Zone, type: list, item: {type: string}}",
        "  - {name: Zone, type: list, item: {type: string}, constraints: {items: {max: 5}}}",
    );
    let ir = lowered(with_import(&body));
    let zone = create_thing(&ir)
        .params
        .iter()
        .find(|p| p.names.wire == "Zone")
        .unwrap();
    assert_eq!(zone.constraints.items.and_then(|b| b.max), Some(5));
}
