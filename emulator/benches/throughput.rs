//! Throughput and latency of signed requests against the emulator on loopback.
//!
//! `cargo bench -p vpn-gateway-emulator --bench throughput -- [--clients N] [--seconds S] [--url URL] [--dual-tunnel]`
//!
//! N concurrent clients each send v1-signed `DescribeVpnGateway` GET requests back to back
//! (a fresh nonce and signature per request) over keep-alive connections; with `--dual-tunnel`,
//! `DescribeVpnConnection` of a dual-tunnel connection (two tunnels with BGP, each with its IKE,
//! IPsec and BGP settings and state in the answer). Without `--url` an in-process emulator is
//! started. Prints requests/s and p50/p99/max latency.
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

/// What each request asks for: the action and its resource parameter.
struct Target {
    action: &'static str,
    id_parameter: &'static str,
    id: String,
}

fn signed_query(client: usize, n: u64, timestamp: &str, target: &Target) -> String {
    let mut params: Vec<(String, String)> = vec![
        ("Action".into(), target.action.into()),
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
        (target.id_parameter.into(), target.id.clone()),
    ];
    let signature = v1::sign("GET", &params, "testsecret");
    params.push(("Signature".into(), signature));
    params
        .iter()
        .map(|(k, v)| format!("{}={}", v1::percent_encode(k), v1::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn sdk(url: &str) -> vpn_gateway::Client {
    vpn_gateway::Client::new(
        vpn_gateway::Config::builder()
            .endpoint(url)
            .allow_http(true)
            .credentials(vpn_gateway::Credentials::new("testid", "testsecret"))
            .region("cn-hangzhou")
            .build()
            .unwrap(),
    )
}

async fn create_gateway(url: &str) -> String {
    sdk(url)
        .create_vpn_gateway()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-bench")
        .bandwidth(vpn_gateway::types::Bandwidth::Mbps5)
        .send()
        .await
        .unwrap()
        .vpn_gateway_id
}

/// A dual-tunnel connection with BGP on both tunnels, on an active dual-tunnel gateway.
async fn create_dual_tunnel_connection(url: &str) -> String {
    use vpn_gateway::types::{TunnelBgpConfig, TunnelIkeConfig, TunnelOptions, TunnelRole};
    let client = sdk(url);
    let gateway = client
        .create_vpn_gateway()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-bench")
        .bandwidth(vpn_gateway::types::Bandwidth::Mbps10)
        .v_switch_id("vsw-bench1")
        .disaster_recovery_v_switch_id(dual_tunnel_second_vswitch())
        .send()
        .await
        .unwrap()
        .vpn_gateway_id;
    let mut tunnels = Vec::new();
    for (i, role) in [TunnelRole::Master, TunnelRole::Slave]
        .into_iter()
        .enumerate()
    {
        let cgw = client
            .create_customer_gateway()
            .region_id("cn-hangzhou")
            .ip_address(format!("116.62.90.{}", i + 1))
            .asn((65500 + i).to_string())
            .send()
            .await
            .unwrap()
            .customer_gateway_id;
        let mut ike = TunnelIkeConfig::default();
        ike.psk = Some("bench-psk".into());
        let mut bgp = TunnelBgpConfig::default();
        bgp.tunnel_cidr = Some(format!("169.254.{}.0/30", 10 + i));
        let mut tunnel = TunnelOptions::default();
        tunnel.role = Some(role);
        tunnel.customer_gateway_id = Some(cgw);
        tunnel.tunnel_ike_config = Some(ike);
        tunnel.tunnel_bgp_config = Some(bgp);
        tunnels.push(tunnel);
    }
    // The gateway accepts connections once it is active.
    loop {
        let status = client
            .describe_vpn_gateway()
            .region_id("cn-hangzhou")
            .vpn_gateway_id(&gateway)
            .send()
            .await
            .unwrap()
            .status;
        if status == Some(vpn_gateway::types::VpnGatewayStatus::Active) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client
        .create_vpn_connection()
        .region_id("cn-hangzhou")
        .vpn_gateway_id(&gateway)
        .local_subnet("10.0.0.0/16")
        .remote_subnet("192.168.0.0/24")
        .enable_tunnels_bgp(true)
        .set_tunnel_options_specification(tunnels)
        .send()
        .await
        .unwrap()
        .vpn_connection_id
}

/// A vSwitch in another zone than `vsw-bench1`, by the emulator's zone rule.
fn dual_tunnel_second_vswitch() -> String {
    use vpn_gateway_emulator::zones::vswitch_zone;
    let first = vswitch_zone("cn-hangzhou", "vsw-bench1");
    (2..)
        .map(|i| format!("vsw-bench{i}"))
        .find(|id| vswitch_zone("cn-hangzhou", id) != first)
        .unwrap()
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
        let target = if std::env::args().any(|a| a == "--dual-tunnel") {
            Target {
                action: "DescribeVpnConnection",
                id_parameter: "VpnConnectionId",
                id: create_dual_tunnel_connection(&url).await,
            }
        } else {
            Target {
                action: "DescribeVpnGateway",
                id_parameter: "VpnGatewayId",
                id: create_gateway(&url).await,
            }
        };
        let target = std::sync::Arc::new(target);
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(clients)
            .build()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for client in 0..clients {
            let (http, url, target) = (http.clone(), url.clone(), target.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let timestamp = OffsetDateTime::now_utc()
                        .replace_nanosecond(0)
                        .unwrap()
                        .format(&Rfc3339)
                        .unwrap();
                    let query = signed_query(client, n, &timestamp, &target);
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
