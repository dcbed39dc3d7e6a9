//! The wire protocol with raw signed requests: v1 GET and POST, V3, XML, nonces, timestamps,
//! unknown keys, bad signatures, unknown actions, versions, parameters, STS tokens, faults.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;
use std::time::Duration;
use vpn_gateway::runtime::signing::v1;
use vpn_gateway::runtime::{RequestMethod, SignatureVersion};
use vpn_gateway::Credentials;
use vpn_gateway_emulator::{Credential, FaultConfig};

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn v1_get_and_post_are_accepted() {
    let emulator = emulator().await;
    let list = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]);
    let (status, body) = list.get(emulator.url()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["TotalCount"], 0);
    let create = Raw::new(
        "CreateVpnGateway",
        &[
            ("RegionId", REGION),
            ("VpcId", "vpc-abc"),
            ("Bandwidth", "10"),
        ],
    );
    let (status, body) = create.post(emulator.url()).await;
    assert_eq!(status, 200, "{body}");
    assert!(json(&body)["VpnGatewayId"]
        .as_str()
        .unwrap()
        .starts_with("vpn-bp1"));
    assert!(json(&body)["RequestId"].as_str().unwrap().len() == 36);
}

/// An action, its parameters, the HTTP status and what the XML body must contain.
type XmlCase<'a> = (&'a str, &'a [(&'a str, &'a str)], u16, &'a [&'a str]);

#[tokio::test]
async fn xml_is_answered_for_format_xml_with_list_wrappers() {
    let emulator = emulator().await;
    gateway(&client(&emulator)).await;
    let cases: [XmlCase<'_>; 2] = [
        (
            "DescribeVpnGateways",
            &[("RegionId", REGION)],
            200,
            &[
                "<DescribeVpnGatewaysResponse>",
                "<VpnGateways><VpnGateway><AutoPropagate>",
                "<VpnGatewayId>vpn-",
            ],
        ),
        (
            "DescribeVpnGateway",
            &[("RegionId", REGION), ("VpnGatewayId", "vpn-x")],
            404,
            &[
                "<Error><Code>InvalidVpnGatewayInstanceId.NotFound</Code>",
                "<RequestId>",
                "<Recommend>",
            ],
        ),
    ];
    for (action, params, status, needles) in cases {
        let (got, body) = Raw::new(action, params)
            .set("Format", "XML")
            .get(emulator.url())
            .await;
        assert_eq!(got, status, "{body}");
        assert!(body.starts_with("<?xml"), "{body}");
        for needle in needles {
            assert!(body.contains(needle), "{needle} not in {body}");
        }
    }
}

/// Checks an error response's status, code and body fields; returns the body.
async fn expect_error(response: (u16, String), status: u16, code: &str) -> Value {
    let (got, e) = error_of(response).await;
    assert_eq!((got, e["Code"].as_str().unwrap()), (status, code), "{e}");
    e
}

async fn error_of(response: (u16, String)) -> (u16, Value) {
    let (status, body) = response;
    let v = json(&body);
    for field in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(v[field].is_string(), "{field} missing in {body}");
    }
    (status, v)
}

#[tokio::test]
async fn a_reused_nonce_is_rejected() {
    let emulator = emulator().await;
    let raw = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]);
    assert_eq!(raw.get(emulator.url()).await.0, 200);
    expect_error(raw.get(emulator.url()).await, 400, "SignatureNonceUsed").await;
}

#[tokio::test]
async fn timestamps_more_than_15_minutes_off_are_expired() {
    let emulator = emulator().await;
    let old = timestamp(-16 * 60);
    let raw = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]).set("Timestamp", &old);
    expect_error(
        raw.get(emulator.url()).await,
        400,
        "InvalidTimeStamp.Expired",
    )
    .await;
    let near = timestamp(-14 * 60);
    let raw = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]).set("Timestamp", &near);
    assert_eq!(raw.get(emulator.url()).await.0, 200);
}

#[tokio::test]
async fn unknown_keys_and_bad_signatures_are_rejected() {
    let emulator = emulator().await;
    let raw = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]).set("AccessKeyId", "nobody");
    expect_error(
        raw.get(emulator.url()).await,
        404,
        "InvalidAccessKeyId.NotFound",
    )
    .await;

    let mut raw = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]);
    raw.secret = "wrong".into();
    let e = expect_error(raw.get(emulator.url()).await, 400, "SignatureDoesNotMatch").await;
    let expected = v1::string_to_sign("GET", &raw.params);
    assert!(e["Message"].as_str().unwrap().ends_with(&expected), "{e}");

    // V3 with the wrong secret, through the SDK.
    let client = client_with(
        &emulator,
        SignatureVersion::V3,
        RequestMethod::Post,
        Credentials::new("testid", "wrong"),
    );
    let result = list_gateways(&client).await;
    let e = result.unwrap_err();
    assert_eq!(e.code(), Some("SignatureDoesNotMatch"));
    assert!(e.to_string().contains("ACS3-HMAC-SHA256"), "{e}");
}

#[tokio::test]
async fn unknown_actions_versions_and_parameters_get_the_service_codes() {
    let emulator = emulator().await;
    let list = |extra: &[(&str, &str)]| {
        let mut params = vec![("RegionId", REGION)];
        params.extend_from_slice(extra);
        Raw::new("DescribeVpnGateways", &params)
    };
    let cases = [
        (
            Raw::new("DescribeEverything", &[]),
            404,
            "InvalidAction.NotFound",
            "DescribeEverything",
        ),
        (
            list(&[]).set("Version", "2014-05-26"),
            400,
            "InvalidVersion",
            "2014-05-26",
        ),
        (
            list(&[]).remove("Version"),
            400,
            "MissingVersion",
            "Version",
        ),
        (
            Raw::new("DescribeVpnGateways", &[]),
            400,
            "MissingParameter",
            "RegionId",
        ),
        (
            list(&[("PageSize", "ten")]),
            400,
            "InvalidParameter",
            "PageSize",
        ),
        (
            list(&[("PageSize", "51")]),
            400,
            "InvalidParameter",
            "PageSize",
        ),
        (
            Raw::new(
                "CreateVpnGateway",
                &[("RegionId", REGION), ("VpcId", "vpc-a"), ("Bandwidth", "7")],
            ),
            400,
            "InvalidParameter",
            "Bandwidth",
        ),
    ];
    for (raw, status, code, mentions) in cases {
        let (got_status, e) = error_of(raw.get(emulator.url()).await).await;
        assert_eq!((got_status, e["Code"].as_str().unwrap()), (status, code));
        assert!(e["Message"].as_str().unwrap().contains(mentions), "{e}");
    }
}

#[tokio::test]
async fn sts_tokens_are_required_for_sts_keys() {
    let emulator = emulator_with(|c| {
        c.credentials
            .push(Credential::new("STS.id", "stssecret").with_security_token("token-1"))
    })
    .await;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let good = Credentials::new("STS.id", "stssecret").with_security_token("token-1");
        let client = client_with(&emulator, version, RequestMethod::Post, good);
        list_gateways(&client).await.unwrap();
        let bad = Credentials::new("STS.id", "stssecret").with_security_token("token-2");
        let client = client_with(&emulator, version, RequestMethod::Get, bad);
        let result = list_gateways(&client).await;
        assert_eq!(code(result), "InvalidSecurityToken.MismatchWithAccessKey");
    }
}

#[tokio::test]
async fn injected_faults_throttle_fail_and_drop() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let none = FaultConfig::default();
    let cases = [
        (
            FaultConfig {
                throttle_rate: 1.0,
                ..none
            },
            Some("Throttling.User"),
        ),
        (
            FaultConfig {
                server_error_rate: 1.0,
                ..none
            },
            Some("ServiceUnavailable"),
        ),
        // A dropped connection is a transport error: no service code.
        (
            FaultConfig {
                drop_rate: 1.0,
                ..none
            },
            None,
        ),
    ];
    for (faults, expected) in cases {
        emulator.set_faults(faults);
        let e = list_gateways(&client).await.unwrap_err();
        assert_eq!(e.code(), expected, "{e:?}");
    }
    emulator.set_faults(FaultConfig {
        latency: Duration::from_millis(1),
        ..none
    });
    list_gateways(&client).await.unwrap();
}

#[tokio::test]
async fn a_repeated_client_token_returns_the_original_result() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let create = |ip: &'static str| {
        client
            .create_customer_gateway()
            .region_id(REGION)
            .ip_address(ip)
            .client_token("token-42")
            .send()
    };
    let first = create("116.62.69.12").await.unwrap();
    let again = create("116.62.69.12").await.unwrap();
    assert_eq!(first.customer_gateway_id, again.customer_gateway_id);
    assert_ne!(first.request_id, again.request_id);
    let all = client
        .describe_customer_gateways()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(all.total_count, Some(1));
    assert_eq!(
        code(create("116.62.69.13").await),
        "IdempotentParameterMismatch"
    );
}

/// A V3-signed POST of `DescribeVpnGateways` with the given date and nonce headers.
async fn v3_request(url: &str, date: &str, nonce: &str) -> (u16, String) {
    use vpn_gateway::runtime::signing::v3;
    let host = url.trim_start_matches("http://").to_owned();
    let query = vec![("RegionId".to_owned(), REGION.to_owned())];
    let payload = v3::hashed_payload(b"");
    let headers = [
        ("host", host.as_str()),
        ("x-acs-action", "DescribeVpnGateways"),
        ("x-acs-version", "2016-04-28"),
        ("x-acs-date", date),
        ("x-acs-signature-nonce", nonce),
        ("x-acs-content-sha256", payload.as_str()),
    ];
    let request = v3::SignableRequest {
        method: "POST",
        path: "/",
        query: &query,
        headers: &headers,
        hashed_payload: &payload,
    };
    let signature = v3::sign(&request, "testsecret");
    let mut builder = reqwest::Client::new()
        .post(format!("{url}/?RegionId={REGION}"))
        .header("authorization", signature.authorization("testid"));
    for (name, value) in headers.iter().filter(|(n, _)| *n != "host") {
        builder = builder.header(*name, *value);
    }
    send(builder).await
}

#[tokio::test]
async fn v3_checks_dates_and_nonces_from_headers() {
    let emulator = emulator().await;
    let date = timestamp(0);
    let (status, body) = v3_request(emulator.url(), &date, "v3-nonce-1").await;
    assert_eq!(status, 200, "{body}");
    expect_error(
        v3_request(emulator.url(), &date, "v3-nonce-1").await,
        400,
        "SignatureNonceUsed",
    )
    .await;
    let old = timestamp(-20 * 60);
    expect_error(
        v3_request(emulator.url(), &old, "v3-nonce-2").await,
        400,
        "InvalidTimeStamp.Expired",
    )
    .await;
}

#[tokio::test]
async fn malformed_parameters_never_cause_server_errors() {
    let emulator = emulator().await;
    let junk: &[&[(&str, &str)]] = &[
        &[],
        &[("RegionId", REGION)],
        &[
            ("RegionId", REGION),
            ("IkeConfig", "{not json"),
            ("IpsecConfig", "[]"),
        ],
        &[
            ("RegionId", REGION),
            ("PageSize", "-1"),
            ("PageNumber", "99999999999"),
        ],
        &[
            ("RegionId", REGION),
            ("Weight", "x"),
            ("Bandwidth", "1e9"),
            ("Port", "70000"),
        ],
        &[
            ("RegionId", "名前"),
            ("Name", "名前\u{0}"),
            ("Description", "\"Unknown("),
        ],
        &[
            ("RegionId", REGION),
            ("Tag.1.Key", ""),
            ("ResourceId.0", "x"),
            ("NextToken", "zz"),
        ],
        &[
            ("RegionId", REGION),
            ("VpnGatewayId", "vpn-x"),
            ("RouteDest", "300.0.0.0/99"),
        ],
    ];
    for op in vpn_gateway::server::OPERATIONS {
        for params in junk {
            let (status, body) = Raw::new(op.action(), params).post(emulator.url()).await;
            assert!(status < 500, "{} {params:?}: {status} {body}", op.action());
            let v = json(&body);
            assert!(v["RequestId"].is_string(), "{body}");
        }
    }
}

/// The runtime's own send path (what the generated client calls) against `emulator`.
fn rpc_client(
    emulator: &vpn_gateway_emulator::Emulator,
    version: SignatureVersion,
    method: RequestMethod,
) -> vpn_gateway::RpcClient {
    vpn_gateway::RpcClient::new(
        &vpn_gateway::METADATA,
        vpn_gateway::Config::builder()
            .endpoint(emulator.url())
            .allow_http(true)
            .credentials(Credentials::new("testid", "testsecret"))
            .region(REGION)
            .signature_version(version)
            .request_method(method)
            .retry_policy(vpn_gateway::runtime::RetryPolicy::disabled())
            .build()
            .unwrap(),
    )
}

/// A pre-shared key (printable ASCII, no spaces) needing every kind of encoding.
const BODY_PSK: &str = "p/s*k~1+=&%";

/// `CreateVpnConnection` with `Name` and `IkeConfig` (carrying [`BODY_PSK`]) in the form body.
fn create_connection_with_body(
    gateway: &str,
    customer_gateway: &str,
    name: &str,
) -> vpn_gateway::runtime::RpcRequest {
    let query = [
        ("RegionId", REGION),
        ("VpnGatewayId", gateway),
        ("CustomerGatewayId", customer_gateway),
        ("LocalSubnet", "10.0.0.0/24"),
        ("RemoteSubnet", "192.168.0.0/24"),
    ];
    let body = [
        ("Name", name.to_owned()),
        (
            "IkeConfig",
            serde_json::json!({ "Psk": BODY_PSK }).to_string(),
        ),
    ];
    vpn_gateway::runtime::RpcRequest::new(
        "CreateVpnConnection",
        query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        false,
    )
    .with_body(
        body.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
    .with_secret_values(vec![BODY_PSK.into()])
}

#[tokio::test]
async fn body_parameters_are_verified_and_parsed_with_both_signatures() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let mut last_octet = 30;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        for method in [RequestMethod::Get, RequestMethod::Post] {
            last_octet += 1;
            let cgw = customer_gateway(&client, &format!("116.62.71.{last_octet}")).await;
            let name = format!("body-{version:?}-{method:?}.名");
            let response = rpc_client(&emulator, version, method)
                .invoke(create_connection_with_body(&gw, &cgw, &name))
                .await
                .unwrap_or_else(|e| panic!("{version:?} {method:?}: {e}"));
            let created = json(std::str::from_utf8(&response.body).unwrap());
            let id = created["VpnConnectionId"].as_str().unwrap();
            let described = client
                .describe_vpn_connection()
                .region_id(REGION)
                .vpn_connection_id(id)
                .send()
                .await
                .unwrap();
            assert_eq!(described.name.as_deref(), Some(name.as_str()));
            let psk = described.ike_config.and_then(|ike| ike.psk);
            assert_eq!(psk.as_deref(), Some(BODY_PSK), "{version:?} {method:?}");
        }
    }
}

/// The request `RpcClient` would send, signed now, for `emulator`.
fn signed(
    emulator: &vpn_gateway_emulator::Emulator,
    version: SignatureVersion,
    request: &vpn_gateway::runtime::RpcRequest,
    nonce: &str,
) -> vpn_gateway::runtime::HttpRequest {
    use vpn_gateway::runtime::signed_request;
    let endpoint = vpn_gateway::runtime::Endpoint::parse(emulator.url(), true).unwrap();
    let credentials = Credentials::new("testid", "testsecret");
    let timestamp = signed_request::timestamp_now();
    let user_agent = axum::http::HeaderValue::from_static("test");
    signed_request::build_signed_request(&signed_request::WireRequest {
        endpoint: &endpoint,
        api_version: "2016-04-28",
        action: request.action,
        params: &request.params,
        body: request.body(),
        credentials: &credentials,
        signature_version: version,
        method: RequestMethod::Post,
        timestamp: &timestamp,
        nonce,
        user_agent: &user_agent,
        timeouts: vpn_gateway::runtime::Timeouts::DEFAULT,
    })
    .unwrap()
}

/// Sends `request` with `body` in place of its own.
async fn send_with_body(
    request: &vpn_gateway::runtime::HttpRequest,
    body: Vec<u8>,
) -> (u16, String) {
    let mut builder = reqwest::Client::new().post(&request.url).body(body);
    for (name, value) in &request.headers {
        if name != "host" {
            builder = builder.header(name.as_str(), value.to_str().unwrap());
        }
    }
    send(builder).await
}

#[tokio::test]
async fn a_body_other_than_the_signed_one_is_refused_with_both_signatures() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    for (version, code, ip) in [
        (
            SignatureVersion::V1,
            "SignatureDoesNotMatch",
            "116.62.71.60",
        ),
        // V3 signs the body through its hash: a different body fails the header check.
        (SignatureVersion::V3, "IncompleteSignature", "116.62.71.61"),
    ] {
        let cgw = customer_gateway(&client, ip).await;
        let request = create_connection_with_body(&gw, &cgw, "signed-name");
        let built = signed(&emulator, version, &request, &format!("tamper-{version:?}"));
        let tampered = String::from_utf8(built.body.to_vec())
            .unwrap()
            .replace("signed-name", "other-name");
        let (status, body) = send_with_body(&built, tampered.into_bytes()).await;
        assert_eq!(status, 400, "{version:?}: {body}");
        assert_eq!(json(&body)["Code"], code, "{version:?}: {body}");
        // The request as signed, with a fresh nonce, is accepted.
        let built = signed(&emulator, version, &request, &format!("intact-{version:?}"));
        let (status, body) = send_with_body(&built, built.body.to_vec()).await;
        assert_eq!(status, 200, "{version:?}: {body}");
    }
}
