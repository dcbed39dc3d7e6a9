//! Throughput and latency of signed requests against the emulator on loopback.
//!
//! `cargo bench -p vpn-gateway-emulator --bench throughput -- [--clients N] [--seconds S] [--url URL]`
//!
//! N concurrent clients each send v1-signed `DescribeVpnGateway` GET requests back to back
//! (a fresh nonce and signature per request) over keep-alive connections. Without `--url` an
//! in-process emulator is started. Prints requests/s and p50/p99/max latency.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use vpn_gateway::runtime::signing::v1;
use vpn_gateway_emulator::{Emulator, EmulatorConfig};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn signed_query(client: usize, n: u64, timestamp: &str, gateway: &str) -> String {
    let mut params: Vec<(String, String)> = vec![
        ("Action".into(), "DescribeVpnGateway".into()),
        ("Version".into(), "2016-04-28".into()),
        ("Format".into(), "JSON".into()),
        ("AccessKeyId".into(), "testid".into()),
        ("SignatureMethod".into(), "HMAC-SHA1".into()),
        ("SignatureVersion".into(), "1.0".into()),
        (
            "SignatureNonce".into(),
            format!("bench-{client}-{n}-{}", std::process::id()),
        ),
        ("Timestamp".into(), timestamp.into()),
        ("RegionId".into(), "cn-hangzhou".into()),
        ("VpnGatewayId".into(), gateway.into()),
    ];
    let signature = v1::sign("GET", &params, "testsecret");
    params.push(("Signature".into(), signature));
    params
        .iter()
        .map(|(k, v)| format!("{}={}", v1::percent_encode(k), v1::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn create_gateway(url: &str) -> String {
    let client = vpn_gateway::Client::new(
        vpn_gateway::Config::builder()
            .endpoint(url)
            .allow_http(true)
            .credentials(vpn_gateway::Credentials::new("testid", "testsecret"))
            .region("cn-hangzhou")
            .build()
            .unwrap(),
    );
    client
        .create_vpn_gateway()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-bench")
        .bandwidth(vpn_gateway::types::Bandwidth::Mbps5)
        .send()
        .await
        .unwrap()
        .vpn_gateway_id
}

fn main() {
    let clients: usize = arg("--clients").and_then(|v| v.parse().ok()).unwrap_or(16);
    let seconds: u64 = arg("--seconds").and_then(|v| v.parse().ok()).unwrap_or(10);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let (url, _emulator) = match arg("--url") {
            Some(url) => (url, None),
            None => {
                let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
                (emulator.url().to_owned(), Some(emulator))
            }
        };
        let gateway = create_gateway(&url).await;
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(clients)
            .build()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for client in 0..clients {
            let (http, url, gateway) = (http.clone(), url.clone(), gateway.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let timestamp = OffsetDateTime::now_utc()
                        .replace_nanosecond(0)
                        .unwrap()
                        .format(&Rfc3339)
                        .unwrap();
                    let query = signed_query(client, n, &timestamp, &gateway);
                    n += 1;
                    let started = Instant::now();
                    let response = http.get(format!("{url}/?{query}")).send().await.unwrap();
                    assert_eq!(response.status(), 200);
                    response.bytes().await.unwrap();
                    latencies.push(started.elapsed());
                }
                latencies
            }));
        }
        let started = Instant::now();
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        let elapsed = started.elapsed().as_secs_f64();
        all.sort();
        let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
        println!(
            "clients={clients} requests={} seconds={elapsed:.1} throughput={:.0} req/s p50={:?} p99={:?} max={:?}",
            all.len(),
            all.len() as f64 / elapsed,
            pct(0.50),
            pct(0.99),
            all[all.len() - 1]
        );
    });
}
