//! Build and sign a typical 10-parameter request with v1 and with V3.
//! Budget (issue 4): ≤ 5 µs each. Results are recorded in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use vpn_gateway_runtime::credentials::Credentials;
use vpn_gateway_runtime::transport::Timeouts;
use vpn_gateway_runtime::wire::{build_signed_request, WireRequest};
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
                    credentials: &credentials,
                    signature_version: version,
                    method: RequestMethod::Post,
                    timestamp: "2024-01-02T03:04:05Z",
                    nonce: "3ee8c1b883d344afa94f4e0ad82fd6cf",
                    user_agent: "vpn-gateway/0.1.0 vpn-gateway-runtime/0.1.0 (linux; x86_64)",
                    timeouts: Timeouts::DEFAULT,
                };
                black_box(build_signed_request(black_box(&request)))
            })
        });
    }
}

criterion_group!(benches, bench_signing);
criterion_main!(benches);
