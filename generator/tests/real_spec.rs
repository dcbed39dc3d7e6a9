//! The checked-in spec: it loads, it is complete, its schema is fresh, and no mutation of it
//! makes the loader panic.

use generator::{load_sources, load_spec, SpecSources};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn sources() -> SpecSources {
    SpecSources::read_dir(&spec_dir()).unwrap_or_else(|e| panic!("{e}"))
}

/// The 37 operations of the 2020 reference plus the two Vco route pages; CreateVpnRouteEntry
/// is in both and counted once.
const SEED_ACTIONS: [&str; 39] = [
    "CreateVpnGateway",
    "ModifyVpnGatewayAttribute",
    "DescribeVpnGateways",
    "DescribeVpnGateway",
    "DeleteVpnGateway",
    "TagResources",
    "ListTagResources",
    "UnTagResources",
    "CreateCustomerGateway",
    "ModifyCustomerGatewayAttribute",
    "DescribeCustomerGateways",
    "DescribeCustomerGateway",
    "DeleteCustomerGateway",
    "CreateVpnRouteEntry",
    "CreateVpnPbrRouteEntry",
    "PublishVpnRouteEntry",
    "DescribeVpnRouteEntries",
    "DescribeVpnPbrRouteEntries",
    "ModifyVpnRouteEntryWeight",
    "ModifyVpnPbrRouteEntryWeight",
    "DeleteVpnRouteEntry",
    "DeleteVpnPbrRouteEntry",
    "DescribeVcoRouteEntries",
    "DeleteVcoRouteEntry",
    "CreateVpnConnection",
    "ModifyVpnConnectionAttribute",
    "DescribeVpnConnections",
    "DescribeVpnConnection",
    "DownloadVpnConnectionConfig",
    "DeleteVpnConnection",
    "CreateSslVpnServer",
    "ModifySslVpnServer",
    "DescribeSslVpnServers",
    "DeleteSslVpnServer",
    "CreateSslVpnClientCert",
    "ModifySslVpnClientCert",
    "DescribeSslVpnClientCerts",
    "DescribeVpnSslServerLogs",
    "DeleteSslVpnClientCert",
];

/// The operations of the current API's VPN directories the seeds do not document.
const CURRENT_API_ACTIONS: [&str; 27] = [
    "AssociateVpnGatewayWithCertificate",
    "DissociateVpnGatewayWithCertificate",
    "ListVpnCertificateAssociations",
    "MoveVpnResourceGroup",
    "DiagnoseVpnGateway",
    "GetVpnGatewayDiagnoseResult",
    "DescribeVpnGatewayAvailableZones",
    "CheckVpnBgpEnabled",
    "ModifyVpnPbrRouteEntryPriority",
    "ModifyVpnPbrRouteEntryAttribute",
    "CreateVcoRouteEntry",
    "ModifyVcoRouteEntryWeight",
    "ModifyTunnelAttribute",
    "DescribeVpnConnectionLogs",
    "DiagnoseVpnConnections",
    "CreateVpnAttachment",
    "ModifyVpnAttachmentAttribute",
    "DescribeVpnAttachments",
    "DescribeVpnCrossAccountAuthorizations",
    "DeleteVpnAttachment",
    "DescribeSslVpnClientCert",
    "DescribeSslVpnClients",
    "CreateIpsecServer",
    "UpdateIpsecServer",
    "ListIpsecServers",
    "ListIpsecServerLogs",
    "DeleteIpsecServer",
];

#[test]
fn the_spec_documents_exactly_the_66_vpn_operations_each_at_parity_with_the_metadata() {
    let spec = load_spec(&spec_dir()).unwrap_or_else(|e| panic!("{e}"));
    let ops: Vec<_> = spec
        .raw()
        .groups
        .iter()
        .flat_map(|(_, g)| g.operations.iter())
        .collect();
    let actions: BTreeSet<&str> = ops.iter().map(|o| o.action.as_str()).collect();
    let expected: BTreeSet<&str> = SEED_ACTIONS
        .into_iter()
        .chain(CURRENT_API_ACTIONS)
        .collect();
    assert_eq!(actions, expected);
    for op in ops {
        assert!(op.imported.is_some(), "{} has no imported layer", op.action);
    }
}

#[test]
fn schema_json_is_fresh() {
    let on_disk = std::fs::read_to_string(spec_dir().join(generator::schema::SCHEMA_FILE))
        .unwrap_or_default();
    assert!(
        on_disk == generator::schema::render_schema(),
        "spec/schema.json is stale; run `cargo xtask codegen`"
    );
}

/// One line-level edit of one spec file.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine,
    DuplicateLine,
    TruncateLine(usize),
    SwapWithNext,
    Indent,
    ReplaceToken(&'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::DeleteLine),
        Just(Mutation::DuplicateLine),
        (0usize..40).prop_map(Mutation::TruncateLine),
        Just(Mutation::SwapWithNext),
        Just(Mutation::Indent),
        prop::sample::select(vec![
            "",
            "-",
            ":",
            "{",
            "[",
            "~",
            "null",
            "0",
            "-1",
            "99999999999999999999",
            "\"",
            "{enum: X}",
            "{list: }",
            "true",
            "é中",
            "&a",
            "*a",
            "!tag x",
        ])
        .prop_map(Mutation::ReplaceToken),
    ]
}

fn apply(text: &str, line: usize, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return String::new();
    }
    let i = line % lines.len();
    match m {
        Mutation::DeleteLine => {
            lines.remove(i);
        }
        Mutation::DuplicateLine => {
            let l = lines[i].clone();
            lines.insert(i, l);
        }
        Mutation::TruncateLine(n) => {
            let cut: String = lines[i].chars().take(*n).collect();
            lines[i] = cut;
        }
        Mutation::SwapWithNext => {
            if i + 1 < lines.len() {
                lines.swap(i, i + 1);
            }
        }
        Mutation::Indent => lines[i].insert(0, ' '),
        Mutation::ReplaceToken(t) => {
            if let Some((k, _)) = lines[i].split_once(": ") {
                lines[i] = format!("{k}: {t}");
            } else {
                lines[i] = (*t).to_owned();
            }
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// Whatever the edit, the loader answers with a spec or diagnostics, never a panic, and
    /// every diagnostic names a file that exists.
    #[test]
    fn mutated_specs_never_panic(file in any::<prop::sample::Index>(), line in any::<usize>(), edits in prop::collection::vec(mutation(), 1..4)) {
        let mut src = sources();
        let keys: Vec<PathBuf> = src.files.keys().cloned().collect();
        let key = file.get(&keys).clone();
        let mut text = src.files[&key].clone();
        for (n, m) in edits.iter().enumerate() {
            text = apply(&text, line.wrapping_add(n), m);
        }
        src.files.insert(key, text);
        let known: BTreeSet<PathBuf> = src.files.keys().cloned().collect();
        if let Err(diags) = load_sources(src) {
            prop_assert!(!diags.is_empty());
            for d in diags.iter() {
                prop_assert!(known.contains(&d.file) || d.file == Path::new("groups"), "{d}");
                prop_assert!(!d.message.is_empty());
            }
        }
    }

    /// Arbitrary text in any file is rejected cleanly.
    #[test]
    fn arbitrary_text_never_panics(file in any::<prop::sample::Index>(), text in "\\PC{0,200}") {
        let mut src = sources();
        let keys: Vec<PathBuf> = src.files.keys().cloned().collect();
        let key = file.get(&keys).clone();
        src.files.insert(key, text);
        let _ = load_sources(src);
    }
}

/// A parameter whose Rust name is one the generated builder defines itself (`Options` on
/// `DescribeVpnGateways` once generated a crate with two `options` methods) is refused,
/// naming the file, operation and parameter.
#[test]
fn a_parameter_named_like_a_builder_method_is_refused() {
    let mut sources = sources();
    let file = PathBuf::from("groups/vpn-gateways.yaml");
    let text = sources.files.get_mut(&file).expect("the group file");
    let anchor = "      items: VpnGateways\n    parameters:\n";
    assert!(text.contains(anchor));
    *text = text.replacen(
        anchor,
        &format!("{anchor}      - {{name: Options, type: string, doc: Options.}}\n"),
        1,
    );
    let report = load_sources(sources)
        .map(|_| ())
        .expect_err("refused")
        .to_string();
    assert!(
        report.contains("groups/vpn-gateways.yaml:")
            && report.contains(
                "operation DescribeVpnGateways: parameters.Options: Rust method `options` collides"
            ),
        "{report}"
    );
}
