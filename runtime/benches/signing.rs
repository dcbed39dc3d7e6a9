//! Build and sign a typical 10-parameter request with v1 and with V3.
//! Budget (issue 4): ≤ 5 µs each. Results are recorded in BENCHMARKS.md.

use std::hint::black_box;

use http::HeaderValue;

use criterion::{criterion_group, criterion_main, Criterion};
use vpn_gateway_runtime::credentials::Credentials;
use vpn_gateway_runtime::signed_request::{build_signed_request, WireRequest};
use vpn_gateway_runtime::signing::{v1, v3};
use vpn_gateway_runtime::transport::Timeouts;
use vpn_gateway_runtime::{Endpoint, RequestMethod, SignatureVersion};

/// A CreateVpnGateway-like call: ten operation parameters, including a list and tags.
fn typical_params() -> Vec<(String, String)> {
    [
        ("RegionId", "cn-hangzhou"),
        ("VpcId", "vpc-bp1ub1yt9cvakoelj****"),
        ("VSwitchId", "vsw-bp1y9ovl1cu9ou4tv****"),
        ("Name", "VPN网关-生产"),
        ("Bandwidth", "10"),
        ("EnableIpsec", "true"),
        ("EnableSsl", "false"),
        ("InstanceChargeType", "POSTPAY"),
        ("Tag.1.Key", "env"),
        ("ClientToken", "02fb3da4-130e-11e9-8e44-001****"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn bench_signing(c: &mut Criterion) {
    let endpoint = Endpoint::https("vpc.cn-hangzhou.aliyuncs.com");
    let credentials = Credentials::new(
        "LTAI5tExampleAccessKeyId",
        "ExampleAccessKeySecret0123456789",
    )
    .with_security_token("CAIS-example-sts-token");
    let user_agent =
        HeaderValue::from_static("vpn-gateway/0.1.0 vpn-gateway-runtime/0.1.0 (linux; x86_64)");
    for (name, version) in [
        ("sign_v1", SignatureVersion::V1),
        ("sign_v3", SignatureVersion::V3),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                // Building the parameter list is part of what each operation pays.
                let params = typical_params();
                let request = WireRequest {
                    endpoint: &endpoint,
                    api_version: "2016-04-28",
                    action: "CreateVpnGateway",
                    params: &params,
                    body: &[],
                    credentials: &credentials,
                    signature_version: version,
                    method: RequestMethod::Post,
                    timestamp: "2024-01-02T03:04:05Z",
                    nonce: "3ee8c1b883d344afa94f4e0ad82fd6cf",
                    user_agent: &user_agent,
                    timeouts: Timeouts::DEFAULT,
                };
                black_box(build_signed_request(black_box(&request)))
            })
        });
    }
}

/// The signature computation alone (no request or header-map building), to see where the
/// time goes.
fn bench_signature_only(c: &mut Criterion) {
    let mut params = typical_params();
    params.extend(
        [
            ("Action", "CreateVpnGateway"),
            ("Version", "2016-04-28"),
            ("Format", "JSON"),
            ("AccessKeyId", "LTAI5tExampleAccessKeyId"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", "3ee8c1b883d344afa94f4e0ad82fd6cf"),
            ("Timestamp", "2024-01-02T03:04:05Z"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    c.bench_function("signature_only_v1", |b| {
        b.iter(|| black_box(v1::sign("POST", black_box(&params), "secret")))
    });
    let params = typical_params();
    let headers = [
        ("host", "vpc.cn-hangzhou.aliyuncs.com"),
        ("x-acs-action", "CreateVpnGateway"),
        ("x-acs-version", "2016-04-28"),
        ("x-acs-date", "2024-01-02T03:04:05Z"),
        ("x-acs-signature-nonce", "3ee8c1b883d344afa94f4e0ad82fd6cf"),
        ("x-acs-content-sha256", v3::EMPTY_PAYLOAD_SHA256),
    ];
    c.bench_function("signature_only_v3", |b| {
        b.iter(|| {
            black_box(v3::sign(
                black_box(&v3::SignableRequest {
                    method: "POST",
                    path: "/",
                    query: &params,
                    headers: &headers,
                    hashed_payload: v3::EMPTY_PAYLOAD_SHA256,
                }),
                "secret",
            ))
        })
    });
}

criterion_group!(benches, bench_signing, bench_signature_only);
criterion_main!(benches);
