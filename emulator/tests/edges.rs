//! Accept what the service accepts, refuse what it refuses: booleans in any case, the v1 common
//! parameters, the headers V3 requires to be signed, and regions outside the spec's list.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;
use vpn_gateway::runtime::signing::v3;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

/// The code and message of an error response (panics on success).
fn error(response: &(u16, String)) -> (String, String) {
    let v = json(&response.1);
    assert!(response.0 >= 400, "expected an error, got {}", response.1);
    (
        v["Code"].as_str().unwrap().to_owned(),
        v["Message"].as_str().unwrap().to_owned(),
    )
}

/// Every (action, parameter) of type `boolean` in the spec.
fn boolean_parameters() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/groups");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let group: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for op in group["operations"].as_sequence().unwrap() {
            let action = op["action"].as_str().unwrap();
            for p in op["parameters"].as_sequence().into_iter().flatten() {
                if p["type"].as_str() == Some("boolean") {
                    out.push((action.to_owned(), p["name"].as_str().unwrap().to_owned()));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn every_boolean_parameter_is_read_regardless_of_case() {
    let emulator = emulator().await;
    let booleans = boolean_parameters();
    for named in [
        ("CreateVpnGateway", "EnableSsl"),
        ("CreateVpnGateway", "AutoPay"),
    ] {
        assert!(
            booleans
                .iter()
                .any(|(a, p)| (a.as_str(), p.as_str()) == named),
            "{named:?} not found in the spec"
        );
    }
    for (action, parameter) in &booleans {
        let quoted = format!("\"{parameter}\"");
        // Not a boolean in any case: refused, naming the parameter.
        let refused = Raw::new(action, &[("RegionId", REGION), (parameter, "yes")])
            .post(emulator.url())
            .await;
        let (code, message) = error(&refused);
        assert_eq!(code, "InvalidParameter", "{action} {parameter}: {message}");
        assert!(message.contains(&quoted), "{action}: {message}");
        // Any case of true/false: the parameter is accepted (other parameters may be missing).
        for value in ["True", "False", "TRUE", "false", "tRuE"] {
            let response = Raw::new(action, &[("RegionId", REGION), (parameter, value)])
                .post(emulator.url())
                .await;
            if response.0 != 200 {
                let (code, message) = error(&response);
                assert!(
                    !(code == "InvalidParameter" && message.contains(&quoted)),
                    "{action} {parameter}={value}: {code} {message}"
                );
            }
        }
    }
}

#[tokio::test]
async fn capitalized_booleans_take_effect() {
    let emulator = emulator().await;
    let url = emulator.url();
    let created = Raw::new(
        "CreateVpnGateway",
        &[
            ("RegionId", REGION),
            ("VpcId", "vpc-bp1ub1yt9cvakoelj0001"),
            ("Bandwidth", "5"),
            ("EnableSsl", "True"),
            ("EnableIpsec", "False"),
            ("AutoPay", "False"),
        ],
    )
    .get(url)
    .await;
    assert_eq!(created.0, 200, "{}", created.1);
    let id = json(&created.1)["VpnGatewayId"]
        .as_str()
        .unwrap()
        .to_owned();
    let described = Raw::new(
        "DescribeVpnGateway",
        &[("RegionId", REGION), ("VpnGatewayId", &id)],
    )
    .get(url)
    .await;
    let gateway = json(&described.1);
    assert_eq!(gateway["SslVpn"], "enable", "{gateway}");
    assert_eq!(gateway["IpsecVpn"], "disable", "{gateway}");

    let client = client(&emulator);
    let gw = common::gateway(&client).await;
    let cgw = customer_gateway(&client, "116.62.69.20").await;
    let created = Raw::new(
        "CreateVpnConnection",
        &[
            ("RegionId", REGION),
            ("VpnGatewayId", &gw),
            ("CustomerGatewayId", &cgw),
            ("LocalSubnet", "10.0.0.0/24"),
            ("RemoteSubnet", "192.168.0.0/24"),
            ("EffectImmediately", "TRUE"),
            ("EnableDpd", "False"),
            ("EnableNatTraversal", "False"),
        ],
    )
    .post(url)
    .await;
    assert_eq!(created.0, 200, "{}", created.1);
    let id = json(&created.1)["VpnConnectionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let described = Raw::new(
        "DescribeVpnConnection",
        &[("RegionId", REGION), ("VpnConnectionId", &id)],
    )
    .get(url)
    .await;
    let connection = json(&described.1);
    assert_eq!(connection["EffectImmediately"], true, "{connection}");
    assert_eq!(connection["EnableDpd"], false, "{connection}");
    assert_eq!(connection["EnableNatTraversal"], false, "{connection}");
}

#[tokio::test]
async fn every_v1_common_parameter_is_required_with_its_protocol_value() {
    let emulator = emulator().await;
    let base = || Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]);
    let cases: Vec<(&str, Raw, &str)> = vec![
        (
            "HMAC-SHA256 while signed with HMAC-SHA1",
            base().set("SignatureMethod", "HMAC-SHA256"),
            "InvalidSignatureMethod",
        ),
        (
            "lowercase method",
            base().set("SignatureMethod", "hmacsha1"),
            "InvalidSignatureMethod",
        ),
        (
            "no SignatureMethod",
            base().remove("SignatureMethod"),
            "MissingSignatureMethod",
        ),
        (
            "empty SignatureMethod",
            base().set("SignatureMethod", ""),
            "MissingSignatureMethod",
        ),
        (
            "no SignatureVersion",
            base().remove("SignatureVersion"),
            "MissingSignatureVersion",
        ),
        (
            "SignatureVersion 2.0",
            base().set("SignatureVersion", "2.0"),
            "InvalidSignatureVersion",
        ),
        (
            "SignatureVersion 1",
            base().set("SignatureVersion", "1"),
            "InvalidSignatureVersion",
        ),
        (
            "no AccessKeyId",
            base().remove("AccessKeyId"),
            "MissingAccessKeyId",
        ),
        (
            "no SignatureNonce",
            base().remove("SignatureNonce"),
            "MissingSignatureNonce",
        ),
        (
            "no Timestamp",
            base().remove("Timestamp"),
            "MissingTimestamp",
        ),
        (
            "Format YAML",
            base().set("Format", "YAML"),
            "InvalidParameter",
        ),
    ];
    for (what, raw, expected) in cases {
        for response in [
            raw.get(emulator.url()).await,
            raw.post(emulator.url()).await,
        ] {
            let (code, message) = error(&response);
            assert_eq!(code, expected, "{what}: {message}");
        }
    }
    // Without a signature at all.
    let unsigned = base().params;
    let response =
        send(reqwest::Client::new().get(format!("{}/?{}", emulator.url(), Raw::query(&unsigned))))
            .await;
    assert_eq!(error(&response).0, "MissingSignature");
    // Format is optional, and read regardless of case.
    for raw in [
        base().remove("Format"),
        base().set("Format", "json"),
        base().set("Format", "XML"),
    ] {
        let (status, body) = raw.get(emulator.url()).await;
        assert_eq!(status, 200, "{body}");
    }
}

/// A V3 POST of `DescribeVpnGateways` that signs only the headers in `signed` (plus sends
/// `unsigned` headers as they are), with `body` as the form body.
async fn v3_with(
    url: &str,
    signed: &[&str],
    unsigned: &[(&str, &str)],
    body: &str,
    content_sha256: Option<&str>,
) -> (u16, String) {
    let host = url.trim_start_matches("http://").to_owned();
    let date = timestamp(0);
    let nonce = format!("v3-{}", rand_suffix());
    let query = vec![("RegionId".to_owned(), REGION.to_owned())];
    let payload = content_sha256
        .map(str::to_owned)
        .unwrap_or_else(|| v3::hashed_payload(body.as_bytes()));
    let all = [
        ("host", host.as_str()),
        ("x-acs-action", "DescribeVpnGateways"),
        ("x-acs-version", "2016-04-28"),
        ("x-acs-date", date.as_str()),
        ("x-acs-signature-nonce", nonce.as_str()),
        ("x-acs-content-sha256", payload.as_str()),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let chosen: Vec<(&str, &str)> = all
        .iter()
        .copied()
        .filter(|(n, _)| signed.contains(n))
        .collect();
    let request = v3::SignableRequest {
        method: "POST",
        path: "/",
        query: &query,
        headers: &chosen,
        hashed_payload: &v3::hashed_payload(body.as_bytes()),
    };
    let signature = v3::sign(&request, "testsecret");
    let mut builder = reqwest::Client::new()
        .post(format!("{url}/?RegionId={REGION}"))
        .header("authorization", signature.authorization("testid"))
        .body(body.to_owned());
    for (name, value) in all.iter().filter(|(n, _)| {
        *n != "host" && (signed.contains(n) || unsigned.iter().any(|(u, _)| u == n))
    }) {
        builder = builder.header(*name, *value);
    }
    for (name, value) in unsigned
        .iter()
        .filter(|(n, _)| all.iter().all(|(a, _)| a != n))
    {
        builder = builder.header(*name, *value);
    }
    send(builder).await
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

const REQUIRED_V3: &[&str] = &[
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

#[tokio::test]
async fn v3_requires_host_and_every_x_acs_header_to_be_signed() {
    let emulator = emulator().await;
    let url = emulator.url();
    // Everything signed: accepted, with and without a body and content type.
    let (status, body) = v3_with(url, REQUIRED_V3, &[], "", None).await;
    assert_eq!(status, 200, "{body}");
    let mut with_type = REQUIRED_V3.to_vec();
    with_type.push("content-type");
    let (status, body) = v3_with(url, &with_type, &[], "PageSize=10", None).await;
    assert_eq!(status, 200, "{body}");

    // Each required header left out of SignedHeaders, but sent: refused.
    for left_out in REQUIRED_V3 {
        let signed: Vec<&str> = REQUIRED_V3
            .iter()
            .copied()
            .filter(|h| h != left_out)
            .collect();
        let response = v3_with(url, &signed, &[(left_out, "")], "", None).await;
        let (code, message) = error(&response);
        assert_eq!(code, "IncompleteSignature", "{left_out}: {message}");
    }
    // An unsigned content type or other x-acs-* header: refused.
    for (name, value) in [
        ("content-type", "application/x-www-form-urlencoded"),
        ("x-acs-security-token", "token"),
        ("x-acs-anything", "x"),
    ] {
        let response = v3_with(url, REQUIRED_V3, &[(name, value)], "", None).await;
        let (code, message) = error(&response);
        assert_eq!(code, "IncompleteSignature", "{name}: {message}");
    }
    // The payload hash header must be present and be the body's hash.
    let without: Vec<&str> = REQUIRED_V3
        .iter()
        .copied()
        .filter(|h| *h != "x-acs-content-sha256")
        .collect();
    let response = v3_with(url, &without, &[], "", None).await;
    assert_eq!(error(&response).0, "IncompleteSignature");
    let wrong = v3::hashed_payload(b"something else");
    let response = v3_with(url, REQUIRED_V3, &[], "", Some(&wrong)).await;
    assert_eq!(error(&response).0, "IncompleteSignature");
}

#[tokio::test]
async fn unknown_regions_are_refused_and_create_no_state() {
    let emulator = emulator().await;
    let long = "r".repeat(1024);
    let before = emulator.stats().regions;
    for region in [
        long.as_str(),
        "cn-nowhere",
        "CN-HANGZHOU",
        "cn-hangzhou ",
        "名前",
    ] {
        for op in vpn_gateway::server::OPERATIONS {
            let response = Raw::new(op.action(), &[("RegionId", region)])
                .post(emulator.url())
                .await;
            let (code, message) = error(&response);
            assert_eq!(
                code,
                "InvalidRegionId.NotFound",
                "{}: {message}",
                op.action()
            );
            assert_eq!(response.0, 404);
            assert!(!message.contains(region), "{message}");
        }
    }
    assert_eq!(emulator.stats().regions, before);
    // Every region of the spec's list is served.
    for (region, _) in vpn_gateway::METADATA.regional_endpoints {
        let (status, body) = Raw::new("DescribeVpnGateways", &[("RegionId", region)])
            .get(emulator.url())
            .await;
        assert_eq!(status, 200, "{region}: {body}");
    }
    for region in ["cn-shanghai", "ap-southeast-1", "us-west-1", "eu-central-1"] {
        assert!(
            vpn_gateway_emulator::state::is_known_region(region),
            "{region}"
        );
    }
}
