//! The importer on small inline metadata: every shape it converts, determinism, scope and
//! manifest, and every kind of bad input with its message.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests: a panic is the failure report.

use generator::import::{import, ImportError, ImportOutcome, ImportRequest};
use generator::imported::{ImportedField, ImportedKind, ImportedOperation, Location};
use generator::model::{Bounds, PaginationSpec, Scalar};

const FILE: &str = "test-meta.json";

/// A metadata file with `apis` (the text inside `"apis": {..}`) and `components` (inside
/// `"schemas": {..}`).
fn metadata(apis: &str, components: &str) -> String {
    format!(
        r#"{{"version":"1.0","info":{{"style":"RPC","product":"Vpc","version":"2016-04-28"}},
"directories":[{{"id":1,"title":"Gateways","type":"directory","children":["Shapes",
{{"id":2,"title":"Nested","type":"directory","children":["Other"]}}]}}],
"components":{{"schemas":{{{components}}}}},
"apis":{{{apis}}},
"endpoints":[]}}"#
    )
}

fn request(operations: &[&str]) -> ImportRequest {
    ImportRequest {
        operations: operations.iter().map(|s| s.to_string()).collect(),
        published: Some("2025-12-19".into()),
        ..ImportRequest::default()
    }
}

fn run(text: &str, operations: &[&str]) -> ImportOutcome {
    import(text, FILE, &request(operations)).unwrap_or_else(|e| panic!("{e}"))
}

fn fail(text: &str, operations: &[&str]) -> ImportError {
    match import(text, FILE, &request(operations)) {
        Ok(_) => panic!("the import succeeded"),
        Err(e) => e,
    }
}

/// The field at `path` (`A.B`, `A[]`, `A.Key[]` for a wrapped list's item) among `fields`.
fn at<'a>(fields: &'a [ImportedField], path: &str) -> &'a ImportedField {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    let (name, item) = match head.strip_suffix("[]") {
        Some(n) => (n, true),
        None => (head, false),
    };
    let field = fields
        .iter()
        .find(|f| f.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no field {name}"));
    let field = if item {
        field.item.as_deref().unwrap()
    } else {
        field
    };
    if rest.is_empty() {
        field
    } else if field.ty == ImportedKind::WrappedList {
        let (key, rest) = rest.split_once("[]").unwrap();
        assert_eq!(field.key.as_deref(), Some(key));
        let item = field.item.as_deref().unwrap();
        match rest.strip_prefix('.') {
            Some(rest) => at(&item.fields, rest),
            None => item,
        }
    } else {
        at(&field.fields, rest)
    }
}

const SHAPES: &str = r#""Shapes":{"summary":"Prose summary SHOULD-NOT-LEAK","deprecated":false,
"parameters":[
 {"name":"RegionId","in":"query","schema":{"type":"string","required":true,"example":"cn-hangzhou","description":"Prose SHOULD-NOT-LEAK"}},
 {"name":"ClientToken","in":"query","schema":{"type":"string"}},
 {"name":"Tag","in":"query","style":"repeatList","schema":{"type":"array","maxItems":20,"items":{"type":"object","properties":{"Key":{"type":"string","required":true},"Value":{"type":"string"}}}}},
 {"name":"ResourceId","in":"query","style":"repeatList","schema":{"type":"array","minItems":"1","maxItems":20,"items":{"type":"string"}}},
 {"name":"TunnelOptionsSpecification","in":"formData","style":"flat","schema":{"type":"array","items":{"type":"object","properties":{
   "Zeta":{"type":"string"},
   "TunnelIkeConfig":{"type":"object","properties":{"Psk":{"type":"string"},"IkeLifetime":{"type":"integer","format":"int64","example":"86400"}}},
   "Alpha":{"type":"array","items":{"type":"object","properties":{"Cidr":{"type":"string"}}}}}}}},
 {"name":"Flat","in":"query","style":"flat","schema":{"type":"object","properties":{"A":{"type":"string"},"Inner":{"type":"object","properties":{"B":{"type":"integer","format":"int32"}}}}}},
 {"name":"Ids","in":"query","style":"simple","schema":{"type":"array","items":{"type":"string"}}},
 {"name":"Config","in":"query","style":"json","schema":{"type":"object","properties":{"X":{"type":"string"},"AuthKey":{"type":"string"}}}},
 {"name":"Rules","in":"query","style":"json","schema":{"type":"array","items":{"type":"object","properties":{"Port":{"type":"integer"}}}}},
 {"name":"Bandwidth","in":"query","schema":{"type":"integer","format":"int32","enum":["5","10"],"minimum":"1","maximum":"200","default":"5","example":"10"}},
 {"name":"Size","in":"query","schema":{"type":"integer"}},
 {"name":"Ratio","in":"query","schema":{"type":"number","format":"double","example":"0.5"}},
 {"name":"Name","in":"query","schema":{"type":"string","minLength":2,"maxLength":128,"deprecated":true}},
 {"name":"DryRun","in":"query","schema":{"type":"boolean","example":"true"}},
 {"name":"PageNumber","in":"query","schema":{"type":"integer","format":"int32"}},
 {"name":"PageSize","in":"query","schema":{"type":"integer","format":"int32"}}],
"responses":{"200":{"schema":{"type":"object","properties":{
 "RequestId":{"type":"string"},
 "TotalCount":{"type":"integer","format":"int32"},
 "VpnGateways":{"type":"object","itemNode":true,"properties":{"VpnGateway":{"type":"array","items":{"type":"object","properties":{
   "VpnGatewayId":{"type":"string"},
   "Tags":{"type":"object","properties":{"Tag":{"type":"array","items":{"type":"object","properties":{"Key":{"type":"string"}}}}}},
   "Password":{"type":"string"}}}}}},
 "Detail":{"type":"object","properties":{"A":{"type":"string"},"B":{"type":"array","items":{"type":"string"}}}},
 "Single":{"type":"object","properties":{"Only":{"type":"string"}}}}}}},
"errorCodes":{"500":[{"errorCode":"C.Code","errorMessage":"c"}],
 "400":[{"errorCode":"B.Code","errorMessage":"b"},{"errorCode":"A.Code","errorMessage":"a at 400"}],
 "404":[{"errorCode":"A.Code","errorMessage":"a at 404"}]}}"#;

const OTHER: &str = r##""Other":{"parameters":[{"name":"NextToken","in":"query","schema":{"type":"string"}},
 {"name":"MaxResults","in":"query","schema":{"type":"integer","format":"int32"}}],
"responses":{"200":{"schema":{"type":"object","properties":{"NextToken":{"type":"string"},
 "Items":{"type":"array","items":{"$ref":"#/components/schemas/Item"}}}}}}}"##;

const ITEM: &str = r#""Item":{"type":"object","properties":{"Id":{"type":"string"}}}"#;

fn shapes() -> ImportedOperation {
    let outcome = run(&metadata(SHAPES, ""), &["Shapes"]);
    outcome.operations.into_iter().next().unwrap()
}

#[test]
fn scalars_keep_order_types_values_bounds_and_placement() {
    let op = shapes();
    let names: Vec<_> = op
        .parameters
        .iter()
        .map(|f| f.name.clone().unwrap())
        .collect();
    assert_eq!(names[..4], ["RegionId", "ClientToken", "Tag", "ResourceId"]);
    let region = at(&op.parameters, "RegionId");
    assert!(region.required);
    assert_eq!(region.example, Some(Scalar::Str("cn-hangzhou".into())));
    let bandwidth = at(&op.parameters, "Bandwidth");
    assert_eq!(bandwidth.ty, ImportedKind::Integer);
    assert_eq!(bandwidth.values, [Scalar::Int(5), Scalar::Int(10)]);
    assert_eq!(bandwidth.default, Some(Scalar::Int(5)));
    assert_eq!(bandwidth.example, Some(Scalar::Int(10)));
    let range = Bounds {
        min: Some(1),
        max: Some(200),
    };
    assert_eq!(bandwidth.constraints.range, Some(range));
    assert_eq!(at(&op.parameters, "Size").ty, ImportedKind::Integer);
    let ratio = at(&op.parameters, "Ratio");
    assert_eq!(
        (ratio.ty, ratio.example.clone()),
        (ImportedKind::Float, Some(Scalar::Float(0.5)))
    );
    let name = at(&op.parameters, "Name");
    assert_eq!(
        name.constraints.length,
        Some(Bounds {
            min: Some(2),
            max: Some(128)
        })
    );
    assert!(name.deprecated);
    let dry_run = at(&op.parameters, "DryRun");
    assert_eq!(
        (dry_run.ty, dry_run.example.clone()),
        (ImportedKind::Boolean, Some(Scalar::Bool(true)))
    );
    let long = at(
        &op.parameters,
        "TunnelOptionsSpecification[].TunnelIkeConfig.IkeLifetime",
    );
    assert_eq!(
        (long.ty, long.example.clone()),
        (ImportedKind::Long, Some(Scalar::Int(86400)))
    );
}

#[test]
fn styles_become_lists_objects_comma_lists_and_json() {
    let op = shapes();
    let p = &op.parameters;
    let tag = at(p, "Tag");
    assert_eq!(
        (tag.ty, tag.constraints.items),
        (
            ImportedKind::List,
            Some(Bounds {
                min: None,
                max: Some(20)
            })
        )
    );
    assert_eq!(at(p, "Tag[]").ty, ImportedKind::Object);
    assert!(at(p, "Tag[].Key").required);
    assert!(!at(p, "Tag[].Value").required);
    let ids = at(p, "ResourceId");
    assert_eq!(
        (ids.ty, at(p, "ResourceId[]").ty),
        (ImportedKind::List, ImportedKind::String)
    );
    assert_eq!(
        ids.constraints.items,
        Some(Bounds {
            min: Some(1),
            max: Some(20)
        })
    );

    let tunnels = at(p, "TunnelOptionsSpecification");
    assert_eq!(
        (tunnels.ty, tunnels.location),
        (ImportedKind::List, Location::Body)
    );
    let fields: Vec<_> = at(p, "TunnelOptionsSpecification[]")
        .fields
        .iter()
        .map(|f| f.name.clone().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["Zeta", "TunnelIkeConfig", "Alpha"],
        "metadata order, not sorted"
    );
    assert_eq!(
        at(p, "TunnelOptionsSpecification[].Alpha[].Cidr").ty,
        ImportedKind::String
    );
    let psk = at(p, "TunnelOptionsSpecification[].TunnelIkeConfig.Psk");
    assert!(psk.sensitive);
    assert_eq!(
        psk.location,
        Location::Query,
        "placement is a top-level fact"
    );

    assert_eq!(at(p, "Flat").ty, ImportedKind::Object);
    assert_eq!(at(p, "Flat.Inner.B").ty, ImportedKind::Integer);
    assert_eq!(
        (at(p, "Ids").ty, at(p, "Ids[]").ty),
        (ImportedKind::CommaList, ImportedKind::String)
    );
    assert_eq!(at(p, "Config").ty, ImportedKind::Json);
    assert!(at(p, "Config.AuthKey").sensitive);
    assert_eq!(
        (at(p, "Rules").ty, at(p, "Rules[].Port").ty),
        (ImportedKind::Json, ImportedKind::Integer)
    );
}

#[test]
fn responses_unwrap_xml_lists_and_keep_objects() {
    let op = shapes();
    let r = &op.response;
    let gateways = at(r, "VpnGateways");
    assert_eq!(
        (gateways.ty, gateways.key.as_deref()),
        (ImportedKind::WrappedList, Some("VpnGateway"))
    );
    assert_eq!(at(r, "VpnGateways.VpnGateway[]").ty, ImportedKind::Object);
    let tags = at(r, "VpnGateways.VpnGateway[].Tags");
    assert_eq!(
        (tags.ty, tags.key.as_deref()),
        (ImportedKind::WrappedList, Some("Tag"))
    );
    assert!(at(r, "VpnGateways.VpnGateway[].Password").sensitive);
    assert_eq!(
        at(r, "Detail").ty,
        ImportedKind::Object,
        "two properties: not a wrapper"
    );
    assert_eq!(at(r, "Detail.B").ty, ImportedKind::List);
    assert_eq!(
        at(r, "Single").ty,
        ImportedKind::Object,
        "one scalar property: not a wrapper"
    );
    assert!(
        r.iter().all(|f| !f.required),
        "responses state no requirement"
    );
}

#[test]
fn errors_are_sorted_by_code_then_status_and_keep_their_messages() {
    let op = shapes();
    let errors: Vec<_> = op
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.http_status, e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            ("A.Code", 400, "a at 400"),
            ("A.Code", 404, "a at 404"),
            ("B.Code", 400, "b"),
            ("C.Code", 500, "c")
        ]
    );
}

/// `IllegalParam.%s` names a family of codes the service completes; no wire code equals it,
/// so it is left out with a warning instead of becoming an error variant.
#[test]
fn template_error_codes_are_left_out_with_a_warning() {
    let text = metadata(
        &SHAPES.replace(
            r#"{"errorCode":"B.Code","errorMessage":"b"}"#,
            r#"{"errorCode":"B.Code","errorMessage":"b"},{"errorCode":"IllegalParam.%s","errorMessage":"%s is illegal"}"#,
        ),
        "",
    );
    let outcome = run(&text, &["Shapes"]);
    let codes: Vec<_> = outcome.operations[0]
        .errors
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(codes, ["A.Code", "A.Code", "B.Code", "C.Code"]);
    let warnings: Vec<String> = outcome.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].ends_with(
            "operation Shapes: errorCodes.400[1]: error code `IllegalParam.%s` is a template with \
             a placeholder, not a wire code; left out"
        ),
        "{}",
        warnings[0]
    );
}

#[test]
fn inference_and_references() {
    let op = shapes();
    assert_eq!(
        op.inferred.idempotency_token.as_deref(),
        Some("ClientToken")
    );
    let expected = PaginationSpec::PageNumber {
        page_number: "PageNumber".into(),
        page_size: "PageSize".into(),
        total_count: "TotalCount".into(),
        items: "VpnGateways".into(),
    };
    assert_eq!(
        op.inferred.pagination,
        Some(expected),
        "one list: Detail is an object"
    );

    let outcome = run(&metadata(OTHER, ITEM), &["Other"]);
    let other = &outcome.operations[0];
    assert_eq!(
        at(&other.response, "Items[].Id").ty,
        ImportedKind::String,
        "$ref resolved"
    );
    assert_eq!(
        other.inferred.pagination,
        Some(PaginationSpec::NextToken {
            next_token: "NextToken".into(),
            max_results: "MaxResults".into(),
            next_token_out: "NextToken".into(),
            items: "Items".into(),
        })
    );
    assert_eq!(other.inferred.idempotency_token, None);
}

#[test]
fn prose_never_reaches_the_files_but_can_be_shown() {
    let text = metadata(SHAPES, "");
    let outcome = run(&text, &["Shapes"]);
    for f in &outcome.files {
        assert!(
            !f.contents.contains("SHOULD-NOT-LEAK"),
            "{}",
            f.path.display()
        );
        assert!(f.contents.starts_with(
            "# @generated by cargo xtask import-openapi from test-meta.json (published 2025-12-19). \
             Do not edit: curate in spec/groups/.\n"
        ));
    }
    assert!(outcome.docs.is_empty());
    let with_docs = import(
        &text,
        FILE,
        &ImportRequest {
            collect_docs: true,
            ..request(&["Shapes"])
        },
    )
    .unwrap();
    assert_eq!(
        with_docs.docs["Shapes"]["parameter RegionId"],
        "Prose SHOULD-NOT-LEAK"
    );
    assert_eq!(with_docs.files, outcome.files);
}

/// Two lists among the response fields: the items are the one named after a listing action
/// (`ListItems` lists `Items`); otherwise nothing is inferred.
#[test]
fn of_several_lists_only_the_one_named_after_the_action_holds_the_items() {
    let two = OTHER.replace(
        r#""NextToken":{"type":"string"},"#,
        r#""NextToken":{"type":"string"},"More":{"type":"array","items":{"type":"string"}},"#,
    );
    let listing = two.replacen(r#""Other":"#, r#""ListItems":"#, 1);
    let outcome = run(
        &metadata(&format!("{two},{listing}"), ITEM),
        &["Other", "ListItems"],
    );
    let [list_items, other] = outcome.operations.as_slice() else {
        panic!("two operations");
    };
    assert_eq!(other.inferred.pagination, None);
    let Some(PaginationSpec::NextToken { items, .. }) = &list_items.inferred.pagination else {
        panic!("{:?}", list_items.inferred);
    };
    assert_eq!(items, "Items");
}

#[test]
fn imports_are_deterministic_and_a_change_touches_only_its_operation() {
    let text = metadata(&format!("{SHAPES},{OTHER}"), ITEM);
    let first = run(&text, &["Shapes", "Other"]);
    let second = run(&text, &["Other", "Shapes"]);
    assert_eq!(
        first.files, second.files,
        "byte-identical, whatever the request order"
    );
    let paths: Vec<_> = first
        .files
        .iter()
        .map(|f| f.path.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "imported/Other.yaml",
            "imported/Shapes.yaml",
            "imported/import.yaml"
        ]
    );

    let added = text.replace(
        r#""Other":{"parameters":["#,
        r#""Other":{"parameters":[{"name":"Extra","in":"query","schema":{"type":"string"}},"#,
    );
    assert_ne!(added, text);
    let changed = run(&added, &["Shapes", "Other"]);
    let differing: Vec<_> = first
        .files
        .iter()
        .zip(&changed.files)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.path.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(differing, ["imported/Other.yaml"]);
    let report = generator::import::diff::changes(&first.operations[0], &changed.operations[0]);
    let lines: Vec<String> = report.iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["+ parameter Extra (type string)"]);
}

#[test]
fn the_files_read_back_as_the_operations() {
    let outcome = run(
        &metadata(&format!("{SHAPES},{OTHER}"), ITEM),
        &["Shapes", "Other"],
    );
    for (file, op) in outcome.files.iter().zip(&outcome.operations) {
        let back: ImportedOperation = serde_yaml::from_str(&file.contents).unwrap();
        assert_eq!(&back, op);
    }
}

#[test]
fn directories_are_recursive_and_the_manifest_carries_scope_and_date() {
    let text = metadata(&format!("{SHAPES},{OTHER}"), ITEM);
    let first = import(
        &text,
        FILE,
        &ImportRequest {
            directories: vec!["Gateways".into()],
            ..request(&[])
        },
    )
    .unwrap();
    assert_eq!(
        first.manifest.scope,
        ["Other", "Shapes"],
        "Other is in a subdirectory"
    );
    assert_eq!(first.manifest.directories, ["Gateways"]);
    let rerun = ImportRequest {
        manifest: Some(first.manifest.clone()),
        ..ImportRequest::default()
    };
    assert_eq!(import(&text, FILE, &rerun).unwrap().files, first.files);

    let manifest_text = &first
        .files
        .iter()
        .find(|f| f.path.ends_with("import.yaml"))
        .unwrap()
        .contents;
    let read_back: generator::import::Manifest = serde_yaml::from_str(manifest_text).unwrap();
    assert_eq!(read_back, first.manifest);

    let newer = import(&text, "newer.json", &rerun).unwrap_err().to_string();
    assert!(newer.contains("newer.json: the manifest records test-meta.json (published 2025-12-19); for another metadata file pass --published"), "{newer}");
    let redated = ImportRequest {
        published: Some("2026-01-31".into()),
        ..rerun
    };
    let outcome = import(&text, "newer.json", &redated).unwrap();
    assert_eq!(outcome.manifest.published, "2026-01-31");
    assert_eq!(outcome.manifest.scope, first.manifest.scope);
}

/// The one message of a failed import that mentions `needle`.
fn message(e: &ImportError, needle: &str) -> String {
    let found: Vec<_> = e
        .problems
        .iter()
        .map(ToString::to_string)
        .filter(|m| m.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "one problem mentioning {needle:?} in:\n{e}");
    found[0].clone()
}

fn api(name: &str, parameters: &str, response: &str) -> String {
    format!(
        r#""{name}":{{"parameters":[{parameters}],"responses":{{"200":{{"schema":{{"type":"object","properties":{{{response}}}}}}}}}}}"#
    )
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let e = fail("{\"info\": {\"product\": \"Vpc\",\n \"version\": }", &["X"]);
    assert_eq!(e.problems.len(), 1, "{e}");
    let m = e.problems[0].to_string();
    assert!(
        m.starts_with(
            "test-meta.json:2:13: malformed metadata: expected value (at `info.version`)"
        ),
        "{m}"
    );

    let structural = metadata(
        &api(
            "Bad",
            r#"{"name":"A","in":"query","schema":{"type":"string","items":5}}"#,
            "",
        ),
        "",
    );
    let e = fail(&structural, &["Bad"]);
    let m = message(&e, "Bad");
    // Line 5 of the file, at the `5`: positions are in the whole file, not in the operation.
    assert!(m.starts_with("test-meta.json:5:89: operation Bad: "), "{m}");
    assert!(
        m.contains(": operation Bad: parameters[0].schema.items: invalid type: integer `5`"),
        "{m}"
    );
}

#[test]
fn every_bad_input_is_reported_with_file_operation_and_path() {
    let psk = r#"{"name":"TunnelOptionsSpecification","in":"formData","style":"flat","schema":{"type":"array","items":{"type":"object","properties":{"TunnelIkeConfig":{"type":"object","properties":{"Psk":{"type":"secret"}}}}}}}"#;
    let apis = [
        api("UnknownType", psk, ""),
        api(
            "UnknownStyle",
            r#"{"name":"Tag","in":"query","style":"deepObject","schema":{"type":"array","items":{"type":"string"}}}"#,
            "",
        ),
        api(
            "UnknownIn",
            r#"{"name":"A","in":"header","schema":{"type":"string"}}"#,
            "",
        ),
        api(
            "UnknownFormat",
            r#"{"name":"A","in":"query","schema":{"type":"integer","format":"int128"}}"#,
            "",
        ),
        api(
            "WrongFormat",
            r#"{"name":"A","in":"query","schema":{"type":"string","format":"int64"}}"#,
            "",
        ),
        api("NoName", r#"{"in":"query","schema":{"type":"string"}}"#, ""),
        api(
            "NoStyle",
            r#"{"name":"Ids","in":"query","schema":{"type":"array","items":{"type":"string"}}}"#,
            "",
        ),
        api(
            "Dangling",
            "",
            r##""Gateway":{"$ref":"#/components/schemas/Missing"}"##,
        ),
        api("Cycle", "", r##""Node":{"$ref":"#/components/schemas/A"}"##),
        api(
            "BadBound",
            r#"{"name":"A","in":"query","schema":{"type":"integer","maximum":"many"}}"#,
            "",
        ),
        api(
            "SimpleObjects",
            r#"{"name":"A","in":"query","style":"simple","schema":{"type":"array","items":{"type":"object"}}}"#,
            "",
        ),
    ];
    let components = r##""A":{"type":"object","properties":{"Next":{"$ref":"#/components/schemas/B"}}},"B":{"$ref":"#/components/schemas/A"}"##;
    let text = metadata(&apis.join(","), components);
    let mut all: Vec<&str> = apis
        .iter()
        .map(|a| a[1..].split('"').next().unwrap())
        .collect();
    all.push("Missing");
    let e = fail(&text, &all);
    let expect = [
        ("UnknownType", "test-meta.json: operation UnknownType: parameter TunnelOptionsSpecification[].TunnelIkeConfig.Psk: unknown `type: secret` (known: string, integer, number, boolean, array, object)"),
        ("UnknownStyle", "parameter Tag: unknown `style: deepObject` (known: repeatList, flat, simple, json)"),
        ("UnknownIn", "parameter A: unknown `in: header` (known: query, formData)"),
        ("UnknownFormat", "parameter A: unknown `format: int128` (known: int32, int64, float, double, iso8601)"),
        ("WrongFormat", "parameter A: `format: int64` does not apply to `type: string`"),
        ("NoName", "parameters[0]: a parameter without a name"),
        ("NoStyle", "parameter Ids: an array parameter without a `style`"),
        ("Dangling", "response Gateway: reference `#/components/schemas/Missing` does not resolve"),
        ("Cycle", "response Node.Next: reference cycle: A → B → A"),
        ("BadBound", "parameter A: `maximum` is not an integer: \"many\""),
        ("SimpleObjects", "parameter A: `style: simple` joins scalars with commas; the item is not one"),
        ("Missing", "test-meta.json: operation Missing: the operation is not in the metadata"),
    ];
    for (operation, text) in expect {
        let m = message(&e, &format!("operation {operation}:"));
        assert!(
            m.ends_with(text) && m.starts_with("test-meta.json: "),
            "{m}\n  expected to end with: {text}"
        );
    }
    assert_eq!(e.problems.len(), expect.len(), "{e}");
    assert!(e
        .to_string()
        .ends_with("12 problems in the import; nothing was written"));
}

#[test]
fn bad_requests_are_refused() {
    let text = metadata(SHAPES, "");
    let no_date = ImportRequest {
        published: None,
        ..request(&["Shapes"])
    };
    let e = import(&text, FILE, &no_date).unwrap_err();
    message(&e, "--published YYYY-MM-DD is required for a first import");
    for date in [
        "2025-02-29",
        "2025-13-01",
        "25-12-19",
        "2025-1-19",
        "yesterday",
    ] {
        let bad = ImportRequest {
            published: Some(date.into()),
            ..request(&["Shapes"])
        };
        let e = import(&text, FILE, &bad).unwrap_err();
        message(
            &e,
            &format!("--published `{date}` is not a date (YYYY-MM-DD)"),
        );
    }
    assert!(import(
        &text,
        FILE,
        &ImportRequest {
            published: Some("2024-02-29".into()),
            ..request(&["Shapes"])
        }
    )
    .is_ok());
    let e = import(
        &text,
        FILE,
        &ImportRequest {
            directories: vec!["Nope".into()],
            ..request(&[])
        },
    )
    .unwrap_err();
    message(&e, "no directory titled `Nope` in the metadata");
    let e = import(&text, FILE, &request(&[])).unwrap_err();
    message(&e, "nothing to import");
}

#[test]
fn a_repeated_parameter_is_kept_once() {
    let same = api(
        "Same",
        r#"{"name":"RegionId","in":"query","schema":{"type":"string"}},{"name":"RegionId","in":"query","schema":{"type":"string"}}"#,
        "",
    );
    let differ = api(
        "Differ",
        r#"{"name":"RegionId","in":"query","schema":{"type":"string","required":true}},{"name":"RegionId","in":"query","schema":{"type":"string"}}"#,
        "",
    );
    let outcome = run(
        &metadata(&format!("{same},{differ}"), ""),
        &["Same", "Differ"],
    );
    for op in &outcome.operations {
        assert_eq!(op.parameters.len(), 1, "{}", op.action);
    }
    assert!(
        outcome.operations[0].parameters[0].required,
        "the first is kept"
    );
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("test-meta.json: operation Differ: parameter RegionId: the parameter appears twice with different facts"), "{warnings:?}");
}
