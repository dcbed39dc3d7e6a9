//! Decoding a response takes memory in proportion to its body: lists are read straight from
//! the body (no intermediate JSON tree), and a body of near-empty items cannot decode into
//! gigabytes. Measured with dhat's heap profiler, so the figures are exact and repeatable.
//!
//! One test on purpose: the profiler counts every thread of the test binary.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

use vpn_gateway::operation::describe_vpn_gateways::DescribeVpnGatewaysOutput;
use vpn_gateway::runtime::codec::{decode_body, DECODE_BUDGET_FACTOR};

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

/// The most bytes live at once while `f` runs (the input was allocated before, untracked).
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let profiler = dhat::Profiler::builder().testing().build();
    let out = f();
    let peak = dhat::HeapStats::get().max_bytes;
    drop(profiler);
    (out, peak)
}

fn page(items: usize, item: &str) -> Vec<u8> {
    let mut body =
        String::from(r#"{"RequestId":"R","TotalCount":"1","VpnGateways":{"VpnGateway":["#);
    for i in 0..items {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&item.replace("{i}", &i.to_string()));
    }
    body.push_str("]}}");
    body.into_bytes()
}

#[test]
fn decoding_memory_is_a_small_multiple_of_the_body() {
    // A realistic page: every documented field of a gateway, many times over.
    let full = r#"{"VpnGatewayId":"vpn-bp1q8bgx4xnkm2ogj{i}","VpcId":"vpc-bp1ub1yt9cvakoelj1y9c",
        "VSwitchId":"vsw-bp1y9ovl1cu9ou4tvma0l","InternetIp":"116.62.69.10",
        "CreateTime":"1515383700000","EndTime":1518105600000,"Spec":"5M","Name":"gateway-{i}",
        "Description":"a gateway","Status":"active","BusinessStatus":"Normal","ChargeType":"Prepay",
        "IpsecVpn":"enable","SslVpn":"enable","SslMaxConnections":"5",
        "Tag":"k","EnableBgp":"false","AutoPropagate":true}"#;
    let body = page(20_000, full);
    let (out, peak) = peak_during(|| decode_body::<DescribeVpnGatewaysOutput>(&body));
    let out = out.unwrap();
    assert_eq!(out.vpn_gateways().len(), 20_000);
    assert_eq!(
        out.vpn_gateways()[19_999].name.as_deref(),
        Some("gateway-19999")
    );
    println!(
        "full items: body {} bytes, peak {} bytes ({:.2}x)",
        body.len(),
        peak,
        peak as f64 / body.len() as f64
    );
    assert!(
        peak < 3 * body.len(),
        "peak {peak} for a {} byte body",
        body.len()
    );

    // A million near-empty items (22 MB): each would decode to a whole gateway record, so
    // the page is refused as invalid once the budget is spent — never gigabytes.
    let body = page(1_000_000, r#"{"VpnGatewayId":"v"}"#);
    let (out, peak) = peak_during(|| decode_body::<DescribeVpnGatewaysOutput>(&body));
    println!(
        "small items: body {} bytes, peak {} bytes ({:.2}x)",
        body.len(),
        peak,
        peak as f64 / body.len() as f64
    );
    let reason = out.unwrap_err();
    assert!(reason.contains("times the size of the body"), "{reason}");
    assert!(
        peak <= (DECODE_BUDGET_FACTOR + 1) * body.len() + (2 << 20),
        "peak {peak} for a {} byte body",
        body.len()
    );
}
