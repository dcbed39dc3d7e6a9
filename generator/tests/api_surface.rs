//! The API surface and its diff: every kind of spec edit yields exactly the change a reviewer
//! should see, classified breaking or not.
//!
//! Each case starts from the real spec read into memory, makes one textual edit (as
//! `tests/diagnostics.rs` does), loads it, and compares the surfaces before and after.

use generator::surface::{self, ApiChange, ApiSurface, SURFACE_FILE};
use generator::{load_sources, SpecSources};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn real_sources() -> SpecSources {
    SpecSources::read_dir(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"))
}

fn surface_of(sources: SpecSources) -> ApiSurface {
    let spec = load_sources(sources).unwrap_or_else(|e| panic!("the edited spec is invalid:\n{e}"));
    ApiSurface::from_ir(&generator::ir::lower(&spec).unwrap_or_else(|e| panic!("{e}")))
}

fn baseline() -> &'static ApiSurface {
    static BASELINE: OnceLock<ApiSurface> = OnceLock::new();
    BASELINE.get_or_init(|| surface_of(real_sources()))
}

/// The curated layer alone. Edits of one kind are made to it, so that the merge with the
/// imported layer (which would rightly refuse an edit that contradicts the current API
/// without a `decision`) does not get in the way of what these tests measure.
fn curated_sources() -> SpecSources {
    let mut sources = real_sources();
    sources
        .files
        .retain(|path, _| !path.starts_with(generator::imported::IMPORTED_DIR));
    sources
}

fn curated_baseline() -> &'static ApiSurface {
    static BASELINE: OnceLock<ApiSurface> = OnceLock::new();
    BASELINE.get_or_init(|| surface_of(curated_sources()))
}

/// One textual edit: in `file`, the first `from` at or after the first `after`, replaced by
/// `to`.
struct Edit<'a> {
    file: &'a str,
    after: &'a str,
    from: &'a str,
    to: &'a str,
}

const GATEWAYS: &str = "groups/vpn-gateways.yaml";
const CUSTOMER: &str = "groups/customer-gateways.yaml";
const IPSEC: &str = "groups/ipsec-vpn.yaml";

fn apply(edits: &[Edit<'_>]) -> SpecSources {
    let mut sources = curated_sources();
    for e in edits {
        let text = sources
            .files
            .get_mut(&PathBuf::from(e.file))
            .unwrap_or_else(|| panic!("no spec file {}", e.file));
        let start = text
            .find(e.after)
            .unwrap_or_else(|| panic!("{} lacks {:?}", e.file, e.after));
        let at = text[start..]
            .find(e.from)
            .map(|i| start + i)
            .unwrap_or_else(|| panic!("{} lacks {:?} after {:?}", e.file, e.from, e.after));
        text.replace_range(at..at + e.from.len(), e.to);
    }
    sources
}

/// The changes from the real spec to the edited one.
fn changes(edits: &[Edit<'_>]) -> Vec<ApiChange> {
    let changes = surface::diff(curated_baseline(), &surface_of(apply(edits)));
    for c in &changes {
        assert!(!c.reason.is_empty(), "{c} has no reason");
    }
    changes
}

/// Each change as its text and breaking flag.
fn shown(edits: &[Edit<'_>]) -> Vec<(String, bool)> {
    changes(edits)
        .iter()
        .map(|c| (c.to_string(), c.breaking))
        .collect()
}

fn expect(list: &[(&str, bool)]) -> Vec<(String, bool)> {
    list.iter().map(|(s, b)| ((*s).to_owned(), *b)).collect()
}

#[test]
fn adding_an_operation_is_compatible_and_listed_once() {
    let op = "  - action: DescribeCustomerGatewayQuota
    summary: Describes the customer gateway quota.
    source: test
    read_only: true
    parameters:
      - {name: RegionId, type: string, required: true, doc: The region.}
    response:
      - {name: RequestId, type: string, required: true, doc: The request ID.}
      - {name: Quota, type: integer, doc: The quota.}
    errors:
      - code: Forbidden
  - action: DeleteCustomerGateway";
    assert_eq!(
        shown(&[Edit {
            file: CUSTOMER,
            after: "",
            from: "  - action: DeleteCustomerGateway",
            to: op,
        }]),
        expect(&[(
            "operation DescribeCustomerGatewayQuota: added (method describe_customer_gateway_quota, retry-safe)",
            false
        )])
    );
}

#[test]
fn removing_an_operation_is_breaking_and_listed_once() {
    let mut sources = curated_sources();
    let text = sources
        .files
        .get_mut(&PathBuf::from(CUSTOMER))
        .unwrap_or_else(|| panic!("no {CUSTOMER}"));
    let at = text
        .find("  - action: DeleteCustomerGateway")
        .unwrap_or_else(|| panic!("no DeleteCustomerGateway"));
    // The last operation of the file.
    text.truncate(at);
    let changes = surface::diff(curated_baseline(), &surface_of(sources));
    let shown: Vec<(String, bool)> = changes
        .iter()
        .map(|c| (c.to_string(), c.breaking))
        .collect();
    assert_eq!(
        shown,
        expect(&[(
            "operation DeleteCustomerGateway: removed (method delete_customer_gateway, retry-safe, token ClientToken)",
            true
        )])
    );
    assert_eq!(
        changes[0].reason,
        "the client method, its module and types are gone"
    );
}

const CREATE_GATEWAY: &str = "  - action: CreateVpnGateway";

#[test]
fn a_new_optional_parameter_is_compatible() {
    assert_eq!(
        shown(&[Edit {
            file: GATEWAYS,
            after: CREATE_GATEWAY,
            from: "      - name: VSwitchId\n",
            to: "      - {name: Comment, type: string, doc: A comment.}\n      - name: VSwitchId\n",
        }]),
        expect(&[(
            "operation CreateVpnGateway param Comment: added (rust comment, type Option<String>, in query)",
            false
        )])
    );
}

#[test]
fn a_new_required_parameter_is_breaking() {
    let changes = changes(&[Edit {
        file: GATEWAYS,
        after: CREATE_GATEWAY,
        from: "      - name: VSwitchId\n",
        to: "      - {name: ZoneId, type: string, required: true, doc: The zone.}\n      - name: VSwitchId\n",
    }]);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        changes[0].to_string(),
        "operation CreateVpnGateway param ZoneId: added (rust zone_id, type Option<String>, required, in query)"
    );
    assert!(changes[0].breaking);
    assert!(
        changes[0].reason.contains("fail validation"),
        "{}",
        changes[0].reason
    );
}

#[test]
fn an_optional_parameter_made_required_is_breaking() {
    assert_eq!(
        shown(&[Edit {
            file: GATEWAYS,
            after: CREATE_GATEWAY,
            from: "      - name: VSwitchId\n        type: string\n",
            to: "      - name: VSwitchId\n        type: string\n        required: true\n",
        }]),
        expect(&[(
            "operation CreateVpnGateway param VSwitchId: +required",
            true
        )])
    );
}

#[test]
fn a_required_parameter_made_optional_is_compatible() {
    assert_eq!(
        shown(&[Edit {
            file: GATEWAYS,
            after: CREATE_GATEWAY,
            from: "        type: {enum: Bandwidth}\n        required: true\n",
            to: "        type: {enum: Bandwidth}\n",
        }]),
        expect(&[(
            "operation CreateVpnGateway param Bandwidth: -required",
            false
        )])
    );
}

#[test]
fn a_parameter_of_another_type_is_breaking() {
    assert_eq!(
        shown(&[Edit {
            file: GATEWAYS,
            after: CREATE_GATEWAY,
            from: "      - name: AutoPay\n        type: boolean\n        default: false\n        example: false\n",
            to: "      - name: AutoPay\n        type: string\n        default: \"false\"\n        example: \"false\"\n",
        }]),
        expect(&[(
            "operation CreateVpnGateway param AutoPay: type Option<bool> -> Option<String>",
            true
        )])
    );
}

#[test]
fn a_removed_response_field_is_breaking() {
    assert_eq!(
        shown(&[Edit {
            file: GATEWAYS,
            after: CREATE_GATEWAY,
            from: "      - name: OrderId\n        type: long\n        example: 20224940022015\n",
            to: "      - name: Unused\n        type: long\n        example: 20224940022015\n",
        }]),
        expect(&[
            (
                "operation CreateVpnGateway response OrderId: removed (rust order_id, type Option<i64>)",
                true
            ),
            (
                "operation CreateVpnGateway response Unused: added (rust unused, type Option<i64>)",
                false
            ),
        ])
    );
}

#[test]
fn a_new_response_field_is_compatible() {
    assert_eq!(
        shown(&[Edit {
            file: GATEWAYS,
            after: CREATE_GATEWAY,
            from: "      - name: OrderId\n",
            to: "      - {name: Comment, type: string, doc: A comment.}\n      - name: OrderId\n",
        }]),
        expect(&[(
            "operation CreateVpnGateway response Comment: added (rust comment, type Option<String>)",
            false
        )])
    );
}

#[test]
fn a_response_field_that_becomes_always_present_changes_type() {
    assert_eq!(
        shown(&[
            Edit {
                file: GATEWAYS,
                after: CREATE_GATEWAY,
                from: "      - name: OrderId\n        type: long\n",
                to: "      - name: OrderId\n        type: long\n        required: true\n",
            },
            Edit {
                file: GATEWAYS,
                after: CREATE_GATEWAY,
                from: "\"RequestId\": \"54B48E3D-DF70-471B-AA93-08E683A1B457\"\n",
                to: "\"RequestId\": \"54B48E3D-DF70-471B-AA93-08E683A1B457\", \"OrderId\": 1\n",
            }
        ]),
        expect(&[(
            "operation CreateVpnGateway response OrderId: type Option<i64> -> i64",
            true
        )])
    );
}

#[test]
fn a_new_enum_value_is_compatible() {
    assert_eq!(
        shown(&[Edit {
            file: GATEWAYS,
            after: "  - name: Bandwidth\n",
            from: "      - {value: 200, name: Mbps200, doc: 200 Mbit/s.}\n",
            to: "      - {value: 200, name: Mbps200, doc: 200 Mbit/s.}\n      - {value: 2000, name: Mbps2000, doc: 2000 Mbit/s.}\n",
        }]),
        expect(&[("enum Bandwidth value 2000: added (variant Mbps2000)", false)])
    );
}

#[test]
fn a_removed_enum_value_is_breaking() {
    let changes = changes(&[Edit {
        file: GATEWAYS,
        after: "  - name: Bandwidth\n",
        from: "      - {value: 200, name: Mbps200, doc: 200 Mbit/s.}\n",
        to: "",
    }]);
    assert_eq!(
        changes
            .iter()
            .map(|c| (c.to_string(), c.breaking))
            .collect::<Vec<_>>(),
        expect(&[("enum Bandwidth value 200: removed (variant Mbps200)", true)])
    );
    assert!(
        changes[0].reason.contains("Unknown"),
        "{}",
        changes[0].reason
    );
}

#[test]
fn a_new_error_code_of_an_operation_is_compatible() {
    assert_eq!(
        shown(&[Edit {
            file: GATEWAYS,
            after: CREATE_GATEWAY,
            from: "      - code: Resource.QuotaFull\n",
            to: "      - code: VpnGateway.Configuring\n      - code: Resource.QuotaFull\n",
        }]),
        expect(&[(
            "operation CreateVpnGateway error VpnGateway.Configuring: added (variant VpnGatewayConfiguring, status 400)",
            false
        )])
    );
}

#[test]
fn a_removed_error_code_of_an_operation_is_breaking() {
    assert_eq!(
        shown(&[Edit {
            file: CUSTOMER,
            after: "  - action: DeleteCustomerGateway",
            from: "      - code: Forbidden\n",
            to: "",
        }]),
        expect(&[(
            "operation DeleteCustomerGateway error Forbidden: removed (variant Forbidden, status 403)",
            true
        )])
    );
}

#[test]
fn a_field_inside_a_request_struct_shows_under_every_operation_that_sends_it() {
    // `IkeConfig` is sent JSON-encoded by the connection and attachment operations.
    assert_eq!(
        shown(&[Edit {
            file: IPSEC,
            after: "  - name: IkeConfig\n",
            from: "        type: {enum: IkeVersion}\n        default: ikev1\n",
            to: "        type: {enum: IkeVersion}\n        required: true\n",
        }]),
        expect(&[
            (
                "operation CreateVpnAttachment param IkeConfig.IkeVersion: +required",
                true
            ),
            (
                "operation CreateVpnConnection param IkeConfig.IkeVersion: +required",
                true
            ),
            (
                "operation ModifyVpnAttachmentAttribute param IkeConfig.IkeVersion: +required",
                true
            ),
            (
                "operation ModifyVpnConnectionAttribute param IkeConfig.IkeVersion: +required",
                true
            ),
            ("struct IkeConfig field IkeVersion: +required", true),
        ])
    );
}

#[test]
fn a_field_inside_a_response_struct_shows_under_every_operation_that_returns_it() {
    assert_eq!(
        shown(&[Edit {
            file: IPSEC,
            after: "  - name: IkeConfigInfo\n",
            from: "      - name: IkeLifetime\n        type: long\n",
            to: "      - name: IkeLifetime\n        type: integer\n",
        }]),
        expect(&[
            (
                "operation DescribeVpnConnection response IkeConfig.IkeLifetime: type Option<i64> -> Option<i32>",
                true
            ),
            (
                "operation DescribeVpnConnections response VpnConnections[].IkeConfig.IkeLifetime: type Option<i64> -> Option<i32>",
                true
            ),
            (
                "operation DownloadVpnConnectionConfig response VpnConnectionConfig.IkeConfig.IkeLifetime: type Option<i64> -> Option<i32>",
                true
            ),
            (
                "operation ModifyVpnConnectionAttribute response IkeConfig.IkeLifetime: type Option<i64> -> Option<i32>",
                true
            ),
            (
                "struct IkeConfigInfo field IkeLifetime: type Option<i64> -> Option<i32>",
                true
            ),
        ])
    );
}

#[test]
fn narrower_bounds_are_breaking_and_wider_ones_are_not() {
    let name = |from: &str, to: &str| {
        shown(&[Edit {
            file: GATEWAYS,
            after: CREATE_GATEWAY,
            from,
            to,
        }])
    };
    assert_eq!(
        name("length: {min: 2, max: 128}", "length: {min: 2, max: 64}"),
        expect(&[(
            "operation CreateVpnGateway param Name: length 2..=128 -> 2..=64",
            true
        )])
    );
    assert_eq!(
        name("length: {min: 2, max: 128}", "length: {min: 1, max: 256}"),
        expect(&[(
            "operation CreateVpnGateway param Name: length 2..=128 -> 1..=256",
            false
        )])
    );
    assert_eq!(
        name(
            "forbidden_prefixes: [\"http://\", \"https://\"]",
            "forbidden_prefixes: [\"http://\"]"
        ),
        expect(&[(
            "operation CreateVpnGateway param Name: not-prefix \"http://\" \"https://\" -> \"http://\"",
            false
        )])
    );
}

#[test]
fn an_unchanged_spec_has_no_changes() {
    let changes = surface::diff(baseline(), &surface_of(real_sources()));
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(surface::summary(&changes), "API surface unchanged.");
}

#[test]
fn the_summary_groups_by_operation_with_breaking_changes_first() {
    let changes = changes(&[
        Edit {
            file: GATEWAYS,
            after: CREATE_GATEWAY,
            from: "      - name: VSwitchId\n",
            to: "      - {name: Comment, type: string, doc: A comment.}\n      - {name: ZoneId, type: string, required: true, doc: The zone.}\n      - name: VSwitchId\n",
        },
        Edit {
            file: GATEWAYS,
            after: "  - name: Bandwidth\n",
            from: "      - {value: 200, name: Mbps200, doc: 200 Mbit/s.}\n",
            to: "      - {value: 200, name: Mbps200, doc: 200 Mbit/s.}\n      - {value: 2000, name: Mbps2000, doc: 2000 Mbit/s.}\n",
        },
        Edit {
            file: CUSTOMER,
            after: "  - action: DeleteCustomerGateway",
            from: "      - code: Forbidden\n",
            to: "",
        },
    ]);
    assert_eq!(
        surface::summary(&changes),
        "API surface: 2 breaking, 2 compatible change(s).

operation CreateVpnGateway
  BREAKING    param ZoneId: added (rust zone_id, type Option<String>, required, in query)
              a new required parameter: existing calls do not set it and now fail validation
  compatible  param Comment: added (rust comment, type Option<String>, in query)
              a new optional parameter: inputs are #[non_exhaustive] and built with setters, so existing calls are unchanged

operation DeleteCustomerGateway
  BREAKING    error Forbidden: removed (variant Forbidden, status 403)
              the error kind is gone: code that names it no longer compiles (the code now arrives without a kind)

enum Bandwidth
  compatible  value 2000: added (variant Mbps2000)
              a new enum value: enums are #[non_exhaustive]; this value used to arrive as `Unknown(..)`"
    );
}

#[test]
fn the_surface_round_trips_through_its_text() {
    let surface = baseline();
    let text = surface.render();
    assert_eq!(
        &ApiSurface::parse(&text).unwrap_or_else(|e| panic!("{e}")),
        surface
    );
    // Every line is one element, in order.
    assert_eq!(text.lines().count(), surface.elements.len());
    let mut sorted: Vec<_> = surface.elements.keys().collect();
    sorted.sort();
    assert_eq!(sorted, surface.elements.keys().collect::<Vec<_>>());
}

#[test]
fn from_ir_is_deterministic() {
    let a = surface_of(real_sources());
    let b = surface_of(real_sources());
    assert_eq!(a, b);
    assert_eq!(a.render(), b.render());
}

#[test]
fn the_checked_in_surface_is_the_real_specs() {
    // The freshness test in `generate.rs` compares bytes; this also proves it parses back.
    let path = root().join("generated-sdk").join(SURFACE_FILE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.contains(generator::emit::GENERATED_MARKER)),
        "{}",
        path.display()
    );
    let parsed = ApiSurface::parse(&text)
        .map_err(|e| e.in_file(path.display().to_string()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&parsed, baseline(), "run `cargo xtask codegen`");
}

#[test]
fn a_corrupt_surface_file_names_its_line() {
    let mut text = baseline().render();
    text.push_str("operation CreateVpnGateway param Name: rust name, type Option<String>,\n");
    let Err(e) = ApiSurface::parse(&text) else {
        panic!("a corrupt line was read")
    };
    let e = e.in_file(SURFACE_FILE);
    assert_eq!(e.line, baseline().elements.len() + 1);
    assert_eq!(
        e.to_string(),
        format!("{SURFACE_FILE}:{}: the line ends with `,`", e.line)
    );
}

#[test]
fn every_attribute_the_surface_uses_has_a_rule() {
    // Change every attribute of every element (a flag is dropped, a value altered): no change
    // may fall through to the rule for attributes the rules do not know.
    let mut edited = baseline().clone();
    for attrs in edited.elements.values_mut() {
        attrs.retain(|a| !a.values.is_empty());
        for a in attrs.iter_mut() {
            a.values.push("changed".to_owned());
        }
    }
    let unknown: Vec<String> = surface::diff(baseline(), &edited)
        .into_iter()
        .filter(|c| c.reason.contains("rules do not know"))
        .map(|c| c.to_string())
        .collect();
    assert!(unknown.is_empty(), "{unknown:#?}");
}

/// The surface mirrors decisions of the Rust emitters (held types, waiter names); the
/// generated crate (kept fresh by `generate.rs`) must declare what it lists.
#[test]
fn the_generated_crate_declares_what_the_surface_lists() {
    use generator::surface::{Item, Scope};
    let sdk = root().join("generated-sdk/src");
    // Compared without whitespace: the formatter wraps long declarations.
    let squeeze = |text: &str| {
        text.split_whitespace()
            .collect::<String>()
            .replace(",>", ">")
    };
    let read = |rel: &str| {
        squeeze(
            &std::fs::read_to_string(sdk.join(rel))
                .unwrap_or_else(|e| panic!("{rel}: {e}"))
                .replace("crate::types::", ""),
        )
    };
    let client = read("client.rs");
    let types = read("types.rs");
    let mut missing = Vec::new();
    for (key, attrs) in &baseline().elements {
        let value = |name: &str| {
            attrs
                .iter()
                .find(|a| a.name == name)
                .and_then(|a| a.values.first())
                .cloned()
                .unwrap_or_default()
        };
        let field = squeeze(&format!("pub {}: {},", value("rust"), value("type")));
        let action = match &key.scope {
            Scope::Operation(action) => action,
            Scope::Struct(_) if matches!(key.item, Item::Field(_)) => {
                if !types.contains(&field) {
                    missing.push(format!("{key}: `{field}`"));
                }
                continue;
            }
            _ => continue,
        };
        let module = read(&format!(
            "operation/{}.rs",
            generator::naming::snake_name(action)
        ));
        let (text, wanted) = match &key.item {
            Item::Itself => (&client, squeeze(&format!("pub fn {}(", value("method")))),
            Item::Param(p) | Item::Response(p) if p.is_top_level() => (&module, field),
            Item::Paginator => (&module, "pubfninto_paginator(".to_owned()),
            Item::Waiter(method) => (&module, squeeze(&format!("pub async fn {method}("))),
            _ => continue,
        };
        if !text.contains(&wanted) {
            missing.push(format!("{key}: `{wanted}`"));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
