//! Every kind of broken spec is rejected with a message naming file, operation and field.
//!
//! Each case starts from the valid fixture in `tests/fixtures/minimal`, applies one textual
//! edit, and snapshots the complete diagnostic report, so a change in wording or location
//! shows up as a reviewable diff.

use generator::{load_sources, SpecSources};
use std::path::{Path, PathBuf};

fn fixture() -> SpecSources {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    match SpecSources::read_dir(&dir) {
        Ok(s) => s,
        Err(e) => panic!("fixture unreadable: {e}"),
    }
}

/// Applies `edits` (file, from, to) and returns the report, or "ok".
fn report(edits: &[(&str, &str, &str)]) -> String {
    let mut sources = fixture();
    for (file, from, to) in edits {
        let text = sources
            .files
            .get_mut(&PathBuf::from(file))
            .unwrap_or_else(|| panic!("no fixture file {file}"));
        assert!(text.contains(from), "fixture {file} lacks {from:?}");
        *text = text.replacen(from, to, 1);
    }
    match load_sources(sources) {
        Ok(_) => "ok".to_owned(),
        Err(d) => d.to_string(),
    }
}

const THINGS: &str = "groups/things.yaml";

#[test]
fn the_fixture_itself_is_valid() {
    assert_eq!(report(&[]), "ok");
}

macro_rules! case {
    ($name:ident, [$(($file:expr, $from:expr, $to:expr)),+ $(,)?]) => {
        #[test]
        fn $name() {
            let out = report(&[$(($file, $from, $to)),+]);
            assert_ne!(out, "ok", "the edit must be rejected");
            insta::assert_snapshot!(out);
        }
    };
}

case!(
    unknown_key,
    [(
        THINGS,
        "    summary: Creates a thing.",
        "    summary: Creates a thing.\n    sumary: typo"
    )]
);
case!(
    unknown_scalar_type,
    [(
        THINGS,
        "{name: Period, type: integer",
        "{name: Period, type: int"
    )]
);
case!(
    unknown_composite_type,
    [(THINGS, "type: {json: Settings}", "type: {jsn: Settings}")]
);
case!(
    undefined_enum,
    [(THINGS, "type: {enum: Size}", "type: {enum: Sizes}")]
);
case!(
    undefined_list_item,
    [(THINGS, "type: {list: Label}", "type: {list: Labels}")]
);
case!(
    json_in_response,
    [(
        THINGS,
        "{name: ThingId, type: string, required: true, doc: The ID.}\n    errors",
        "{name: ThingId, type: {json: Settings}, doc: The ID.}\n    errors"
    )]
);
case!(
    wrapped_list_in_request,
    [(
        THINGS,
        "type: {list: Label}",
        "type: {wrapped_list: {key: L, item: Label}}"
    )]
);
case!(
    duplicate_wire_name,
    [(
        THINGS,
        "{name: ChargeType, type: string, doc: Billing.}",
        "{name: Period, type: string, doc: Billing.}"
    )]
);
case!(
    rust_name_collision,
    [(
        THINGS,
        "{name: ChargeType, type: string",
        "{name: PERIOD, type: string"
    )]
);
case!(
    duplicate_action,
    [(
        THINGS,
        "  - action: DescribeThings",
        "  - action: DescribeThing"
    )]
);
case!(
    required_with_default,
    [(
        THINGS,
        "{name: ThingId, type: string, required: true, doc: The ID.}\n    response",
        "{name: ThingId, type: string, required: true, default: x, doc: The ID.}\n    response"
    )]
);
case!(
    example_too_long,
    [(THINGS, "example: thing1", "example: t")]
);
case!(
    example_forbidden_prefix,
    [(THINGS, "example: thing1", "example: http://thing")]
);
case!(
    example_wrong_format,
    [(THINGS, "example: thing1", "example: 1thing")]
);
case!(
    example_not_in_enum,
    [(
        THINGS,
        "required: true, example: 5, doc: The size.",
        "required: true, example: 7, doc: The size."
    )]
);
case!(
    example_wrong_type,
    [(
        THINGS,
        "example: cn-hangzhou, doc: The region.",
        "example: 12, doc: The region."
    )]
);
case!(
    default_out_of_range,
    [(
        THINGS,
        "default: 10, doc: Size.",
        "default: 100, doc: Size."
    )]
);
case!(
    constraint_does_not_fit_type,
    [(
        THINGS,
        "{name: Period, type: integer, doc: Months., constraints: {range: {min: 1, max: 36}}}",
        "{name: Period, type: integer, doc: Months., constraints: {length: {min: 1, max: 36}}}"
    )]
);
case!(
    inverted_bounds,
    [(
        THINGS,
        "range: {min: 1, max: 36}",
        "range: {min: 36, max: 1}"
    )]
);
case!(
    error_code_not_in_catalogue,
    [(
        THINGS,
        "      - code: Thing.Busy",
        "      - code: Thing.Bussy"
    )]
);
case!(
    error_code_listed_twice_in_catalogue,
    [(
        "errors.yaml",
        "  - code: Thing.Busy",
        "  - code: Thing.NotFound"
    )]
);
case!(
    error_status_not_an_error,
    [("errors.yaml", "http_status: 404", "http_status: 200")]
);
case!(
    pagination_parameter_missing,
    [(THINGS, "page_size: PageSize", "page_size: Size")]
);
case!(
    pagination_items_not_a_list,
    [(THINGS, "items: Things", "items: TotalCount")]
);
case!(
    async_poll_missing,
    [(THINGS, "poll: DescribeThing\n", "poll: DescribeThingz\n")]
);
case!(
    async_status_not_in_enum,
    [(THINGS, "success: [ready]", "success: [done]")]
);
case!(
    async_input_bad_source,
    [(
        THINGS,
        "input: {ThingId: response.ThingId}",
        "input: {ThingId: response.Nope}"
    )]
);
case!(
    idempotency_token_missing,
    [(
        THINGS,
        "idempotency_token: ClientToken",
        "idempotency_token: Token"
    )]
);
case!(
    rule_names_unknown_parameter,
    [(THINGS, "require: [Period]", "require: [Periods]")]
);
case!(
    rule_value_illegal,
    [(
        THINGS,
        "when: {param: ChargeType, equals: PREPAY}",
        "when: {param: Period, equals: 99}"
    )]
);
case!(
    integer_enum_without_name,
    [(
        THINGS,
        "{value: 5, name: Small, doc: Five.}",
        "{value: 5, doc: Five.}"
    )]
);
case!(
    enum_variant_collision,
    [(
        "shared.yaml",
        "{value: ready, doc: Usable.}",
        "{value: Creating, doc: Usable.}"
    )]
);
case!(
    enum_value_wrong_type,
    [(
        THINGS,
        "{value: 10, name: Large, doc: Ten.}",
        "{value: ten, name: Large, doc: Ten.}"
    )]
);
case!(
    type_defined_twice,
    [(THINGS, "  - name: Settings\n", "  - name: Label\n")]
);
case!(
    type_name_not_camel,
    [
        (THINGS, "  - name: ThingItem\n", "  - name: thing_item\n"),
        (THINGS, "item: ThingItem", "item: thing_item")
    ]
);
case!(
    group_not_listed,
    [("service.yaml", "  - things", "  - stuff")]
);
case!(
    example_request_unknown_parameter,
    [(
        THINGS,
        "request: {RegionId: cn-hangzhou, Size: \"5\",",
        "request: {RegionId: cn-hangzhou, Sise: \"5\","
    )]
);
case!(
    example_response_not_json,
    [(
        THINGS,
        "response: '{\"RequestId\": \"R\", \"ThingId\": \"t-1\"}'",
        "response: '{RequestId: R'"
    )]
);
case!(
    several_problems_at_once,
    [
        (THINGS, "type: {enum: Size}", "type: {enum: Sizes}"),
        (
            THINGS,
            "      - code: Thing.Busy",
            "      - code: Thing.Bussy"
        ),
        ("errors.yaml", "http_status: 404", "http_status: 200"),
    ]
);
case!(
    several_files_fail_to_parse,
    [
        (THINGS, "title: Things", "title: [Things"),
        ("errors.yaml", "errors:", "errorz:"),
    ]
);

#[test]
fn a_missing_file_is_reported() {
    let mut sources = fixture();
    sources.files.remove(&PathBuf::from("errors.yaml"));
    let out = load_sources(sources).map(|_| ()).unwrap_err().to_string();
    assert!(out.contains("errors.yaml: file is missing"), "{out}");
}

case!(
    example_flattened_key_not_a_field,
    [(THINGS, "\"Label.1.Key\": k1", "\"Label.1.Kee\": k1")]
);
case!(
    example_flattened_index_zero,
    [(THINGS, "\"Zone.1\": z1", "\"Zone.0\": z1")]
);
case!(
    example_flattened_value_violates_item_constraint,
    [(THINGS, "\"Label.1.Key\": k1", "\"Label.1.Key\": \"\"")]
);
case!(
    type_name_reserved,
    [
        (THINGS, "  - name: Settings\n", "  - name: SettingsOutput\n"),
        (
            THINGS,
            "type: {json: Settings}",
            "type: {json: SettingsOutput}"
        )
    ]
);

/// Loads the fixture with `file` replaced by `text`; returns the report and how long it took.
fn report_with_file(file: &str, text: String) -> (String, std::time::Duration) {
    let mut sources = fixture();
    sources.files.insert(PathBuf::from(file), text);
    let started = std::time::Instant::now();
    let out = match load_sources(sources) {
        Ok(_) => "ok".to_owned(),
        Err(d) => d.to_string(),
    };
    (out, started.elapsed())
}

/// Pathological nesting of every kind YAML has is refused before parsing, fast, naming the
/// file. Parsing 100,000 nested brackets takes tens of seconds, so the time bound is a real
/// check; it is generous because the test machine is shared.
#[test]
fn deep_nesting_of_every_kind_is_refused_before_parsing() {
    let n = 100_000;
    let cases = [
        (
            "flow sequences",
            format!("{}{}", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "flow mappings",
            format!("{}x{}", "{a: ".repeat(n), "}".repeat(n)),
        ),
        ("unclosed brackets", "[".repeat(n)),
        (
            "block sequences on one line",
            format!("{}x\n", "- ".repeat(n)),
        ),
        (
            "indented block mappings",
            (0..300)
                .map(|i| format!("{}a:\n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "brackets spread over lines",
            format!("id: [\n{}\n", "[\n".repeat(n)),
        ),
    ];
    for (what, text) in cases {
        let (out, took) = report_with_file(THINGS, text);
        assert!(
            out.contains("groups/things.yaml") && out.contains("nesting is deeper than 100"),
            "{what}: {out}"
        );
        assert!(took.as_secs() < 5, "{what}: took {took:?}");
    }
    let (out, _) = report_with_file(THINGS, format!("{}{}", "[".repeat(n), "]".repeat(n)));
    insta::assert_snapshot!(out);
}

/// Nesting within the limit, brackets in quoted text included, is left to the parser.
#[test]
fn nesting_within_the_limit_is_accepted() {
    let mut sources = fixture();
    let text = sources.files.get_mut(&PathBuf::from(THINGS)).unwrap();
    let deep = format!("{}{}", "[".repeat(60), "]".repeat(60));
    *text = text.replacen(
        "description: Things to test the loader with.",
        &format!("description: '{deep}'"),
        1,
    );
    assert!(load_sources(sources).is_ok());
}

#[test]
fn an_oversized_file_is_refused_before_parsing() {
    let size = generator::loader::MAX_FILE_BYTES + 1;
    let (out, _) = report_with_file(THINGS, format!("# {}\n", "x".repeat(size)));
    assert!(out.contains("groups/things.yaml"), "{out}");
    insta::assert_snapshot!(out);

    // Read from disk: the file is not read beyond the limit, and the report names it.
    let dir = std::env::temp_dir().join(format!("oversized-spec-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let fixture_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    std::fs::create_dir_all(dir.join("groups")).unwrap();
    for f in [
        "service.yaml",
        "errors.yaml",
        "shared.yaml",
        "groups/things.yaml",
    ] {
        std::fs::copy(fixture_dir.join(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("errors.yaml"), "#".repeat(size)).unwrap();
    let out = SpecSources::read_dir(&dir).unwrap_err().to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.contains("errors.yaml: file is larger than"), "{out}");
}

/// Every method the generated fluent builder defines itself is refused as a parameter's Rust
/// name, with the operation and parameter named.
#[test]
fn every_builder_method_is_refused_as_a_parameter_name() {
    use generator::naming::reserved;
    let mut names: Vec<String> = reserved::BUILDER_METHODS
        .iter()
        .map(|m| heck::AsUpperCamelCase(m).to_string())
        .collect();
    names.push("WaitUntilReady".into());
    for wire in names {
        let out = report(&[(
            THINGS,
            "      - {name: ThingId, type: string, required: true, doc: The ID.}\n    response",
            &format!(
                "      - {{name: ThingId, type: string, required: true, doc: The ID.}}\n      - {{name: {wire}, type: string, doc: X.}}\n    response"
            ),
        )]);
        assert!(
            out.contains(&format!(
                "operation DescribeThing: parameters.{wire}: Rust method `"
            )),
            "{wire}: {out}"
        );
    }
}

case!(
    parameter_collides_with_builder_method,
    [(
        THINGS,
        "{name: ChargeType, type: string, doc: Billing.}",
        "{name: Options, type: string, doc: Billing.}"
    )]
);
case!(
    parameter_collides_with_list_setter,
    [(
        THINGS,
        "{name: ChargeType, type: string, doc: Billing.}",
        "{name: SetLabel, type: string, doc: Billing.}"
    )]
);
case!(
    struct_field_collides_with_struct_method,
    [(
        "shared.yaml",
        "{name: Value, type: string, doc: The value.}",
        "{name: ValidateAt, type: string, doc: The value.}"
    )]
);
case!(
    operation_collides_with_client_method,
    [(THINGS, "  - action: DescribeThings", "  - action: FromEnv")]
);
case!(
    enum_value_becomes_keyword_variant,
    [(
        "shared.yaml",
        "{value: ready, doc: Usable.}",
        "{value: self, doc: Usable.}"
    )]
);
case!(
    type_named_like_a_keyword,
    [
        (THINGS, "  - name: Settings\n", "  - name: Self\n"),
        (THINGS, "type: {json: Settings}", "type: {json: Self}")
    ]
);

// Every field check applies wherever a field appears.

case!(
    struct_field_example_wrong_type,
    [(
        THINGS,
        "{name: Secret, type: string, doc: A secret., sensitive: true}",
        "{name: Lifetime, type: integer, example: twelve, doc: Seconds.}"
    )]
);
case!(
    struct_field_length_min_above_max,
    [(
        THINGS,
        "{name: Secret, type: string, doc: A secret., sensitive: true}",
        "{name: Secret, type: string, doc: A secret., sensitive: true, constraints: {length: {min: 100, max: 5}}}"
    )]
);
case!(
    struct_field_required_with_default,
    [(
        "shared.yaml",
        "{name: Value, type: string, doc: The value.}",
        "{name: Value, type: string, required: true, default: v, doc: The value.}"
    )]
);
case!(
    struct_field_default_violates_constraint,
    [(
        "shared.yaml",
        "{name: Key, type: string, doc: The key., constraints: {length: {min: 1, max: 64}}}",
        "{name: Key, type: string, default: \"\", doc: The key., constraints: {length: {min: 1, max: 64}}}"
    )]
);
case!(
    common_parameter_example_wrong_format,
    [(
        "service.yaml",
        "example: \"2016-02-23T12:46:24Z\"",
        "example: \"2016-13-23T12:46:24Z\""
    )]
);
case!(
    example_name_with_non_ascii_letter,
    [(THINGS, "example: thing1", "example: thingé")]
);
case!(
    common_parameter_listed_twice,
    [(
        "service.yaml",
        "  - name: AccessKeyId\n",
        "  - name: Format\n"
    )]
);
case!(
    package_that_cargo_would_refuse_or_toml_would_need_quoted,
    [
        (
            "service.yaml",
            "  name: vpn-gateway-fixture-sdk",
            "  name: 1sdk\"x"
        ),
        (
            "service.yaml",
            "  lib: vpn_gateway_fixture",
            "  lib: vpn-gateway"
        ),
        (
            "service.yaml",
            "  runtime_path: ../../../runtime",
            "  runtime_path: /work//runtime"
        ),
    ]
);

/// The same illegal example (shorter than the field's own minimum length) is reported for a
/// parameter, a response field, a struct field in a group file and in shared.yaml, and a
/// common parameter.
#[test]
fn an_illegal_example_is_reported_wherever_the_field_appears() {
    let bad = "example: x, constraints: {length: {min: 2}}, doc:";
    let locations = [
        (
            THINGS,
            "{name: ChargeType, type: string, doc:",
            "parameters.ChargeType",
        ),
        (
            THINGS,
            "{name: ThingId, type: string, required: true, doc: The ID.}\n    errors",
            "response.ThingId",
        ),
        (
            THINGS,
            "{name: Name, type: string, doc: The name.}",
            "Owner.Name",
        ),
        (
            "shared.yaml",
            "{name: Value, type: string, doc:",
            "Label.Value",
        ),
        (
            "service.yaml",
            "  - name: SecurityToken\n    type: string\n",
            "common_parameters.SecurityToken",
        ),
    ];
    for (file, field, path) in locations {
        let broken = if field.starts_with("  - name:") {
            format!("{field}    example: x\n    constraints: {{length: {{min: 2}}}}\n")
        } else {
            field.replacen("doc:", bad, 1)
        };
        let out = report(&[(file, field, &broken)]);
        assert!(
            out.contains(&format!("{file}:"))
                && out.contains(&format!(
                    "{path}: example `x` violates the field's own constraints"
                )),
            "{path}: {out}"
        );
    }
}

case!(
    negative_length_bound,
    [(
        "shared.yaml",
        "constraints: {length: {min: 1, max: 64}}",
        "constraints: {length: {min: -1, max: 64}}"
    )]
);
case!(
    negative_items_bound,
    [(
        THINGS,
        "constraints: {items: {max: 20}}",
        "constraints: {items: {max: -20}}"
    )]
);
case!(
    integer_range_beyond_32_bits,
    [(
        THINGS,
        "range: {min: 1, max: 36}",
        "range: {min: 1, max: 3000000000}"
    )]
);
case!(
    empty_forbidden_prefix,
    [(
        THINGS,
        "forbidden_prefixes: [\"http://\"]",
        "forbidden_prefixes: [\"\"]"
    )]
);
case!(
    forbidden_value_of_another_type,
    [(
        THINGS,
        "constraints: {range: {min: 1, max: 36}}",
        "constraints: {range: {min: 1, max: 36}, forbidden_values: [abc, 12]}"
    )]
);

/// Names that cannot travel on the wire are refused wherever a wire name is written.
#[test]
fn wire_names_are_ascii_letters_and_digits_everywhere() {
    let bad = [
        "'Gate\"way'",
        "\"Gate\\u200Bway\"",
        "Gate way",
        "Gatéway",
        "1Gateway",
        "Gate..way",
        "Gate_way",
        "'Gate&way=1'",
    ];
    let locations = [
        (THINGS, "{name: ChargeType,", "parameters."),
        (THINGS, "{name: TotalCount,", "response."),
        (
            THINGS,
            "{name: Name, type: string, doc: The name.}",
            "Owner.",
        ),
        ("shared.yaml", "{name: Value,", "Label."),
        (
            "service.yaml",
            "  - name: SecurityToken\n",
            "common_parameters.",
        ),
        (THINGS, "{wrapped_list: {key: Thing,", "wrapped_list key"),
    ];
    for name in bad {
        for (file, from, what) in locations {
            let to = if from.starts_with("{wrapped_list") {
                format!("{{wrapped_list: {{key: {name},")
            } else if from.starts_with("  - name:") {
                format!("  - name: {name}\n")
            } else if from.contains("doc: The name.") {
                from.replacen("Name", name, 1)
            } else {
                format!("{{name: {name},")
            };
            let out = report(&[(file, from, &to)]);
            assert!(
                out.contains(&format!("{file}:"))
                    && out.contains("must start with an ASCII letter"),
                "{name} in {what}: {out}"
            );
            assert!(out.contains(what), "{name} in {what}: {out}");
        }
    }
    // Flattened names keep their dots.
    let flattened = report(&[(THINGS, "{name: ChargeType,", "{name: Charge.1.Type,")]);
    assert!(!flattened.contains("wire name"), "{flattened}");
}

case!(
    parameter_name_with_quote,
    [(THINGS, "{name: ChargeType,", "{name: 'Gate\"way',")]
);
case!(
    error_code_with_invisible_character,
    [
        (
            "errors.yaml",
            "  - code: Thing.Busy",
            "  - code: \"Thing.\\u200BBusy\""
        ),
        (
            THINGS,
            "      - code: Thing.Busy",
            "      - code: \"Thing.\\u200BBusy\""
        )
    ]
);
case!(
    pagination_page_number_not_an_integer,
    [(
        THINGS,
        "{name: PageNumber, type: integer, default: 1, doc: Page., constraints: {range: {min: 1}}}",
        "{name: PageNumber, type: string, doc: Page.}"
    )]
);
case!(
    pagination_total_count_not_an_integer,
    [(
        THINGS,
        "{name: TotalCount, type: integer, doc: Total.}",
        "{name: TotalCount, type: string, doc: Total.}"
    )]
);
case!(
    waiter_status_field_not_a_status,
    [(
        THINGS,
        "      - {name: RequestId, type: string, required: true, doc: The request ID.}\n      - {name: Status, type: {enum: ThingStatus}, doc: The status.}",
        "      - {name: RequestId, type: string, required: true, doc: The request ID.}\n      - {name: Status, type: {list: string}, doc: The status.}"
    )]
);
case!(
    waiter_input_of_another_type,
    [(
        THINGS,
        "input: {ThingId: response.ThingId}",
        "input: {ThingId: request.Period}"
    )]
);
case!(
    sample_response_wrong_type,
    [(
        THINGS,
        "response: '{\"RequestId\": \"R\", \"ThingId\": \"t-1\"}'",
        "response: '{\"RequestId\": \"R\", \"ThingId\": 5}'"
    )]
);
case!(
    sample_response_lacks_required_field,
    [(
        THINGS,
        "response: '{\"RequestId\": \"R\", \"ThingId\": \"t-1\"}'",
        "response: '{\"RequestId\": \"R\"}'"
    )]
);
case!(
    sample_response_undocumented_field,
    [(
        THINGS,
        "response: '{\"RequestId\": \"R\", \"ThingId\": \"t-1\"}'",
        "response: '{\"RequestId\": \"R\", \"ThingId\": \"t-1\", \"ThingID\": \"t-1\"}'"
    )]
);
case!(
    sample_response_not_an_object,
    [(
        THINGS,
        "response: '{\"RequestId\": \"R\", \"ThingId\": \"t-1\"}'",
        "response: '[\"R\"]'"
    )]
);
case!(
    sample_response_nested_shapes,
    [(
        THINGS,
        "      - {name: Owner, type: {object: Owner}, doc: The owner.}\n",
        "      - {name: Owner, type: {object: Owner}, doc: The owner.}\n    example:\n      request: {}\n      response: '{\"RequestId\": \"R\", \"TotalCount\": \"1\", \"Things\": {\"Thing\": [{\"ThingId\": \"t\", \"Status\": \"gone\"}, 7]}, \"Owner\": {\"Name\": 3}}'\n"
    )]
);
case!(
    sample_response_wrapped_list_without_wrapper,
    [(
        THINGS,
        "      - {name: Owner, type: {object: Owner}, doc: The owner.}\n",
        "      - {name: Owner, type: {object: Owner}, doc: The owner.}\n    example:\n      request: {}\n      response: '{\"RequestId\": \"R\", \"Things\": [{\"ThingId\": \"t\"}]}'\n"
    )]
);

// The spec's own examples are held to the same format definitions as the SDK (one shared
// crate): a signed CIDR prefix, a month 13 and a non-ASCII letter are refused here too.
case!(
    example_cidr_with_signed_prefix,
    [
        (THINGS, "format: name}", "format: ipv4_cidr}"),
        (THINGS, "example: thing1", "example: 10.0.0.0/+8")
    ]
);

/// A group id names a cargo feature of the generated crate: `default` and names cargo or
/// users could not write as a feature are refused.
#[test]
fn group_ids_must_be_usable_feature_names() {
    for id in ["default", "Things", "9things", "things_2"] {
        let mut sources = fixture();
        let text = sources
            .files
            .remove(&PathBuf::from(THINGS))
            .unwrap_or_else(|| panic!("no {THINGS}"));
        sources.files.insert(
            PathBuf::from(format!("groups/{id}.yaml")),
            text.replacen("id: things", &format!("id: {id}"), 1),
        );
        let service = sources
            .files
            .get_mut(&PathBuf::from("service.yaml"))
            .unwrap_or_else(|| panic!("no service.yaml"));
        *service = service.replacen("  - things\n", &format!("  - {id}\n"), 1);
        let out = match load_sources(sources) {
            Ok(_) => panic!("group id `{id}` must be refused"),
            Err(d) => d.to_string(),
        };
        assert!(
            out.contains(&format!("group id `{id}` must be lowercase ASCII letters")),
            "{id}: {out}"
        );
    }
}
case!(
    invalid_value_of_names_no_parameter_or_a_numeric_index,
    [(
        "errors.yaml",
        "    retryable: true",
        "    retryable: true\n    invalid_value_of: [Nmae, Label.1.Key]"
    )]
);
