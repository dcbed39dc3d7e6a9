//! Resident memory, throughput and latency of the emulator binary under sustained mixed load.
//!
//! `cargo bench -p vpn-gateway-emulator --bench memory -- [--clients 16] [--requests 4000000]
//!  [--window-secs 10] [--every 250000]`
//!
//! Starts the release emulator binary as a child process (so the client's memory is not
//! counted), creates a gateway, then N clients, each with its own AccessKey, send signed
//! requests back to back over keep-alive connections until `--requests` have been answered:
//! v1 GET `DescribeVpnGateway` (4 in 10), V3 `DescribeVpnGateways` (2 in 10), v1 POST
//! `ModifyVpnGatewayAttribute` with a fresh `ClientToken` (1 in 10), v1 POST
//! `DescribeVpnGateways` (1 in 10), V3 `ListTagResources` (1 in 10) and v1 GET
//! `DescribeVpnGateways` for an unknown region (1 in 10, an error). Every
//! `--every` requests it prints the emulator's resident memory (VmRSS) and the throughput and
//! p99 latency of that stretch; at the end, totals and the answers by code.
//!
//! Nonces and ClientToken records are memory the emulator must hold for the timestamp window and
//! the retention time: `--window-secs` sets both (`--timestamp-tolerance-secs`,
//! `--client-token-retention-secs`), so a run of a few minutes shows the steady state.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::BufRead as _;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use vpn_gateway::runtime::signing::{v1, v3};

fn arg<T: std::str::FromStr>(name: &str, default: T) -> T {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn now_timestamp() -> String {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}

fn query_string(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", v1::percent_encode(k), v1::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

struct Key {
    id: String,
    secret: String,
}

fn v1_params(
    key: &Key,
    action: &str,
    nonce: &str,
    extra: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = [
        ("Action", action),
        ("Version", "2016-04-28"),
        ("Format", "JSON"),
        ("AccessKeyId", key.id.as_str()),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    params.push(("Timestamp".into(), now_timestamp()));
    for (k, v) in extra {
        params.push((k.to_string(), v.to_string()));
    }
    params
}

/// The v1 parameters of a request, signed for `method`.
fn v1_signed(
    method: &str,
    key: &Key,
    action: &str,
    nonce: &str,
    extra: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut params = v1_params(key, action, nonce, extra);
    let signature = v1::sign(method, &params, &key.secret);
    params.push(("Signature".into(), signature));
    params
}

fn v1_get(
    http: &reqwest::Client,
    url: &str,
    key: &Key,
    action: &str,
    nonce: &str,
    extra: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let params = v1_signed("GET", key, action, nonce, extra);
    http.get(format!("{url}/?{}", query_string(&params)))
}

fn v1_post(
    http: &reqwest::Client,
    url: &str,
    key: &Key,
    action: &str,
    nonce: &str,
    extra: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let params = v1_signed("POST", key, action, nonce, extra);
    http.post(format!("{url}/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(query_string(&params))
}

fn v3_post(
    http: &reqwest::Client,
    url: &str,
    key: &Key,
    action: &str,
    nonce: &str,
    query: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let host = url.trim_start_matches("http://");
    let date = now_timestamp();
    let query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let payload = v3::hashed_payload(b"");
    let headers = [
        ("host", host),
        ("x-acs-action", action),
        ("x-acs-version", "2016-04-28"),
        ("x-acs-date", date.as_str()),
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
    let signature = v3::sign(&request, &key.secret);
    let mut builder = http
        .post(format!("{url}/?{}", query_string(&query)))
        .header("authorization", signature.authorization(&key.id));
    for (name, value) in headers.iter().filter(|(n, _)| *n != "host") {
        builder = builder.header(*name, *value);
    }
    builder
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[u32], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p) as usize).min(sorted.len() - 1);
    Duration::from_micros(u64::from(sorted[i]))
}

fn main() {
    let clients: usize = arg("--clients", 16);
    let total: u64 = arg("--requests", 4_000_000);
    let window: u64 = arg("--window-secs", 10);
    let every: u64 = arg("--every", 250_000);
    let keys: Vec<Key> = (0..clients)
        .map(|i| Key {
            id: format!("bench-key-{i}"),
            secret: format!("bench-secret-{i}"),
        })
        .collect();
    let mut command = Command::new(env!("CARGO_BIN_EXE_vpn-gateway-emulator"));
    command
        .args(["--listen", "127.0.0.1:0", "--transition-ms", "0"])
        .args(["--timestamp-tolerance-secs", &window.to_string()])
        .args(["--client-token-retention-secs", &window.to_string()])
        .args(["--max-connections", &(clients * 2).to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for key in &keys {
        command
            .args(["--access-key-id", &key.id])
            .args(["--access-key-secret", &key.secret]);
    }
    let mut child = command.spawn().unwrap();
    let pid = child.id();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first.trim().trim_start_matches("listening on ").to_owned();
    println!(
        "emulator pid {pid} at {url}; window {window}s; start RSS {} KiB",
        rss_kib(pid)
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let sdk = vpn_gateway::Client::new(
            vpn_gateway::Config::builder()
                .endpoint(&url)
                .allow_http(true)
                .credentials(vpn_gateway::Credentials::new(&keys[0].id, &keys[0].secret))
                .region("cn-hangzhou")
                .build()
                .unwrap(),
        );
        let gateway = sdk
            .create_vpn_gateway()
            .region_id("cn-hangzhou")
            .vpc_id("vpc-bench")
            .bandwidth(vpn_gateway::types::Bandwidth::Mbps5)
            .send()
            .await
            .unwrap()
            .vpn_gateway_id;
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(clients)
            .build()
            .unwrap();
        let issued = Arc::new(AtomicU64::new(0));
        let answered = Arc::new(AtomicU64::new(0));
        let codes = Arc::new(Mutex::new(BTreeMap::<String, u64>::new()));
        let latencies = Arc::new(Mutex::new(Vec::<u32>::with_capacity(every as usize * 2)));
        let keys = Arc::new(keys);
        let mut tasks = Vec::new();
        for client in 0..clients {
            let (http, url, gateway, keys) = (http.clone(), url.clone(), gateway.clone(), Arc::clone(&keys));
            let (issued, answered, codes, latencies) =
                (Arc::clone(&issued), Arc::clone(&answered), Arc::clone(&codes), Arc::clone(&latencies));
            tasks.push(tokio::spawn(async move {
                let key = &keys[client];
                let mut local: BTreeMap<String, u64> = BTreeMap::new();
                let mut local_latency = Vec::with_capacity(1024);
                loop {
                    let n = issued.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    let nonce = format!("m-{client}-{n}-{pid}");
                    let request = match n % 10 {
                        0..=3 => v1_get(&http, &url, key, "DescribeVpnGateway", &nonce, &[("RegionId", "cn-hangzhou"), ("VpnGatewayId", &gateway)]),
                        4 | 5 => v3_post(&http, &url, key, "DescribeVpnGateways", &nonce, &[("RegionId", "cn-hangzhou"), ("PageSize", "10")]),
                        6 => {
                            let token = format!("t-{client}-{n}-{pid}");
                            v1_post(&http, &url, key, "ModifyVpnGatewayAttribute", &nonce, &[("RegionId", "cn-hangzhou"), ("VpnGatewayId", &gateway), ("Description", "bench"), ("ClientToken", &token)])
                        }
                        7 => v1_post(&http, &url, key, "DescribeVpnGateways", &nonce, &[("RegionId", "cn-hangzhou")]),
                        8 => v3_post(&http, &url, key, "ListTagResources", &nonce, &[("RegionId", "cn-hangzhou"), ("ResourceType", "VPNGATEWAY"), ("ResourceId.1", &gateway)]),
                        _ => v1_get(&http, &url, key, "DescribeVpnGateways", &nonce, &[("RegionId", "xx-nowhere-1")]),
                    };
                    let started = Instant::now();
                    let response = request.send().await.unwrap();
                    let status = response.status().as_u16();
                    let body = response.bytes().await.unwrap();
                    let elapsed = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
                    let code = if status == 200 {
                        "200".to_owned()
                    } else {
                        serde_json::from_slice::<serde_json::Value>(&body)
                            .ok()
                            .and_then(|v| v["Code"].as_str().map(|c| format!("{status} {c}")))
                            .unwrap_or_else(|| status.to_string())
                    };
                    *local.entry(code).or_default() += 1;
                    local_latency.push(elapsed);
                    if local_latency.len() == 1024 {
                        latencies.lock().unwrap().append(&mut local_latency);
                    }
                    answered.fetch_add(1, Ordering::Relaxed);
                }
                latencies.lock().unwrap().append(&mut local_latency);
                let mut all = codes.lock().unwrap();
                for (code, count) in local {
                    *all.entry(code).or_default() += count;
                }
            }));
        }
        let started = Instant::now();
        let mut next = every;
        let mut last = (0u64, started);
        let mut all_latencies: Vec<u32> = Vec::new();
        println!("{:>10} {:>10} {:>10} {:>12} {:>10}", "requests", "seconds", "RSS MiB", "req/s", "p99");
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let done = answered.load(Ordering::Relaxed);
            if done >= next || done >= total {
                let rss = rss_kib(pid);
                let mut stretch = std::mem::take(&mut *latencies.lock().unwrap());
                stretch.sort_unstable();
                let now = Instant::now();
                let rate = (done - last.0) as f64 / now.duration_since(last.1).as_secs_f64();
                println!(
                    "{done:>10} {:>10.1} {:>10.1} {rate:>12.0} {:>10?}",
                    now.duration_since(started).as_secs_f64(),
                    rss as f64 / 1024.0,
                    percentile(&stretch, 0.99)
                );
                all_latencies.extend_from_slice(&stretch);
                last = (done, now);
                while next <= done {
                    next += every;
                }
            }
            if done >= total {
                break;
            }
        }
        for task in tasks {
            task.await.unwrap();
        }
        let elapsed = started.elapsed().as_secs_f64();
        all_latencies.sort_unstable();
        println!(
            "clients={clients} requests={total} seconds={elapsed:.1} throughput={:.0} req/s p50={:?} p99={:?} max={:?} final RSS {:.1} MiB",
            total as f64 / elapsed,
            percentile(&all_latencies, 0.50),
            percentile(&all_latencies, 0.99),
            percentile(&all_latencies, 1.0),
            rss_kib(pid) as f64 / 1024.0
        );
        println!("answers: {:?}", codes.lock().unwrap());
    });
    let _ = child.kill();
    let _ = child.wait();
}
