//! Staying bounded: replayed nonces under load from other keys, oversized requests, slow
//! clients, the connection limit and idempotency records.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use vpn_gateway_emulator::{Credential, Limits};

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

fn code_of(response: &(u16, String)) -> String {
    json(&response.1)["Code"].as_str().unwrap_or("").to_owned()
}

fn limits(f: impl FnOnce(&mut Limits)) -> impl FnOnce(&mut vpn_gateway_emulator::EmulatorConfig) {
    move |config| f(&mut config.limits)
}

#[tokio::test]
async fn a_replay_is_refused_after_another_key_fills_the_nonce_store() {
    let emulator = emulator_with(|config| {
        config.limits.nonces_per_key = 50;
        config.limits.nonces_total = 80;
        config
            .credentials
            .push(Credential::new("other", "othersecret"));
    })
    .await;
    let url = emulator.url();
    let victim = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]);
    assert_eq!(victim.get(url).await.0, 200);
    // Another key signs far more requests than the store holds.
    let mut codes = std::collections::BTreeMap::new();
    for _ in 0..200 {
        let mut raw =
            Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]).set("AccessKeyId", "other");
        raw.secret = "othersecret".into();
        *codes.entry(code_of(&raw.get(url).await)).or_insert(0) += 1;
    }
    assert_eq!(codes.get(""), Some(&50), "{codes:?}");
    assert_eq!(codes.get("Throttling.User"), Some(&150), "{codes:?}");
    // The victim's nonce is still remembered.
    assert_eq!(code_of(&victim.get(url).await), "SignatureNonceUsed");
    assert!(emulator.stats().nonces <= 80);

    // The victim's own key fills up to the overall limit: the store refuses, never forgets.
    let mut codes = std::collections::BTreeMap::new();
    for _ in 0..40 {
        let raw = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]);
        *codes.entry(code_of(&raw.get(url).await)).or_insert(0) += 1;
    }
    assert_eq!(codes.get(""), Some(&29), "{codes:?}");
    assert_eq!(codes.get("Throttling"), Some(&11), "{codes:?}");
    assert_eq!(code_of(&victim.get(url).await), "SignatureNonceUsed");
    assert_eq!(emulator.stats().nonces, 80);
}

#[tokio::test]
async fn a_nonce_is_forgotten_only_when_its_timestamp_leaves_the_window() {
    let emulator = emulator_with(|config| {
        config.timestamp_tolerance = Duration::from_secs(2);
    })
    .await;
    let url = emulator.url();
    // Signed one second ago: replays are refused until its timestamp is out of the window,
    // and from then on the timestamp check refuses them.
    let raw =
        Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]).set("Timestamp", &timestamp(-1));
    assert_eq!(raw.get(url).await.0, 200);
    assert_eq!(code_of(&raw.get(url).await), "SignatureNonceUsed");
    tokio::time::sleep(Duration::from_millis(3200)).await;
    assert_eq!(code_of(&raw.get(url).await), "InvalidTimeStamp.Expired");
    // A fresh request prunes the expired nonce.
    let fresh = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]);
    assert_eq!(fresh.get(url).await.0, 200);
    assert_eq!(emulator.stats().nonces, 1);
}

/// `TagResources` with `n` tags on one (made-up) gateway, as a form body.
fn tag_resources(n: usize) -> Raw {
    let mut raw = Raw::new(
        "TagResources",
        &[
            ("RegionId", REGION),
            ("ResourceType", "VPNGATEWAY"),
            ("ResourceId.1", "vpn-nothere"),
        ],
    );
    for i in 1..=n {
        raw.params.push((
            format!("Tag.{i}.Key"),
            format!("key-{i:05}-{}", "k".repeat(8)),
        ));
        raw.params
            .push((format!("Tag.{i}.Value"), format!("value-{i:05}")));
    }
    raw
}

#[tokio::test]
async fn oversized_requests_are_refused_before_parsing_and_never_stall_others() {
    let emulator = emulator().await;
    let url = emulator.url();
    // 10,000 tags (about 350 kB): refused by the parameter limit, at once.
    let big = tag_resources(10_000);
    let started = Instant::now();
    let response = big.post(url).await;
    assert_eq!(code_of(&response), "InvalidParameter", "{}", response.1);
    assert!(response.1.contains("parameters"), "{}", response.1);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // Other lists: 10,000 resource IDs, 10,000 unknown parameters.
    let mut ids = Raw::new(
        "ListTagResources",
        &[("RegionId", REGION), ("ResourceType", "VPNGATEWAY")],
    );
    for i in 1..=10_000 {
        ids.params
            .push((format!("ResourceId.{i}"), format!("vpn-{i}")));
    }
    assert_eq!(code_of(&ids.post(url).await), "InvalidParameter");
    let mut junk = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]);
    for i in 1..=10_000 {
        junk.params.push((format!("X{i}"), String::new()));
    }
    assert_eq!(code_of(&junk.post(url).await), "InvalidParameter");
    // The current API's tag limit: 21 pass parsing (the gateway does not exist), 22 do not.
    assert_ne!(
        code_of(&tag_resources(21).post(url).await),
        "InvalidParameter"
    );
    assert_eq!(
        code_of(&tag_resources(22).post(url).await),
        "InvalidParameter"
    );

    // A body over the size limit is refused from its declared length, before it is read.
    let (status, body) = send(
        reqwest::Client::new()
            .post(format!("{url}/"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(vec![b'a'; 2 * 1024 * 1024]),
    )
    .await;
    assert_eq!(
        (status, code_of(&(status, body.clone())).as_str()),
        (413, "RequestBodyTooLarge"),
        "{body}"
    );

    // Four large requests at once do not hold up a small one.
    let mut heavy = Vec::new();
    for _ in 0..4 {
        let url = url.to_owned();
        heavy.push(tokio::spawn(async move {
            tag_resources(10_000).post(&url).await
        }));
    }
    let started = Instant::now();
    let small = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)])
        .get(url)
        .await;
    assert_eq!(small.0, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    for task in heavy {
        assert_eq!(code_of(&task.await.unwrap()), "InvalidParameter");
    }
}

#[tokio::test]
async fn parsing_is_linear_when_many_parameters_are_allowed() {
    let emulator = emulator_with(limits(|l| l.max_parameters = 100_000)).await;
    // Parsed in full, then refused by the documented limit of 20 tags.
    let started = Instant::now();
    let response = tag_resources(10_000).post(emulator.url()).await;
    assert_eq!(code_of(&response), "InvalidParameter", "{}", response.1);
    assert!(response.1.contains("Tag"), "{}", response.1);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    // Four of them at once, parsed in full, do not hold up a small request.
    let mut heavy = Vec::new();
    for _ in 0..4 {
        let url = emulator.url().to_owned();
        heavy.push(tokio::spawn(async move {
            tag_resources(10_000).post(&url).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
    let started = Instant::now();
    let small = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)])
        .get(emulator.url())
        .await;
    assert_eq!(small.0, 200, "{}", small.1);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    for task in heavy {
        assert_eq!(code_of(&task.await.unwrap()), "InvalidParameter");
    }
}

/// Reads from `stream` until the server closes it; how long that took.
async fn time_until_closed(stream: &mut TcpStream, limit: Duration) -> Duration {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(
            limit.saturating_sub(started.elapsed()),
            stream.read(&mut buf),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => return started.elapsed(),
            Ok(Ok(_)) => continue,
            Err(_) => panic!("the connection was still open after {limit:?}"),
        }
    }
}

#[tokio::test]
async fn a_client_dribbling_its_request_head_is_disconnected() {
    let emulator = emulator_with(limits(|l| {
        l.header_read_timeout = Duration::from_millis(500)
    }))
    .await;
    let mut stream = TcpStream::connect(emulator.addr()).await.unwrap();
    let head = b"GET /?Action=DescribeVpnGateways HTTP/1.1\r\nHost: x\r\n";
    let dribble = async {
        for byte in head {
            if stream.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(10), dribble).await;
    let closed_after = time_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(closed_after < Duration::from_secs(5));

    // An idle keep-alive connection is closed after the same time.
    let mut idle = TcpStream::connect(emulator.addr()).await.unwrap();
    let closed_after = time_until_closed(&mut idle, Duration::from_secs(5)).await;
    assert!(
        closed_after >= Duration::from_millis(300),
        "{closed_after:?}"
    );
}

#[tokio::test]
async fn a_client_dribbling_its_body_gets_a_timeout() {
    let emulator =
        emulator_with(limits(|l| l.body_read_timeout = Duration::from_millis(500))).await;
    let mut stream = TcpStream::connect(emulator.addr()).await.unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=")
        .await
        .unwrap();
    let mut response = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response)).await;
    let text = String::from_utf8_lossy(&response);
    assert!(read.is_ok(), "no answer: {text}");
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("RequestTimeout"), "{text}");
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_and_are_served_once_slow_ones_time_out() {
    let emulator = emulator_with(limits(|l| {
        l.max_connections = 4;
        l.header_read_timeout = Duration::from_millis(800);
    }))
    .await;
    // Ten clients that send half a request head and stall.
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut stream = TcpStream::connect(emulator.addr()).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\nHo").await.unwrap();
        slow.push(stream);
    }
    // An honest client still gets its answer once the slow ones time out.
    let started = Instant::now();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let raw = Raw::new("DescribeVpnGateways", &[("RegionId", REGION)]);
    let url = format!("{}/?{}", emulator.url(), Raw::query(&raw.signed("GET")));
    let response = http.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let waited = started.elapsed();
    // It waited for at least one round of slow clients to time out (the limit held), and no
    // longer than a few rounds.
    assert!(waited >= Duration::from_millis(600), "{waited:?}");
    assert!(waited < Duration::from_secs(8), "{waited:?}");
    drop(slow);
}

#[tokio::test]
async fn client_tokens_are_kept_for_the_retention_time_and_never_dropped_early() {
    let emulator = emulator_with(limits(|l| {
        l.client_token_retention = Duration::from_millis(1500);
        l.client_tokens = 3;
    }))
    .await;
    let client = client(&emulator);
    let create = |token: &'static str, ip: &'static str| {
        client
            .create_customer_gateway()
            .region_id(REGION)
            .ip_address(ip)
            .client_token(token)
            .send()
    };
    let first = create("t1", "116.62.69.1").await.unwrap();
    create("t2", "116.62.69.2").await.unwrap();
    create("t3", "116.62.69.3").await.unwrap();
    assert_eq!(emulator.stats().client_tokens, 3);
    // Full: a new token is refused rather than run unprotected or evicting t1.
    assert_eq!(code(create("t4", "116.62.69.4").await), "Throttling");
    let again = create("t1", "116.62.69.1").await.unwrap();
    assert_eq!(first.customer_gateway_id, again.customer_gateway_id);
    // After the retention time the records expire, and room is made.
    tokio::time::sleep(Duration::from_millis(1700)).await;
    create("t4", "116.62.69.4").await.unwrap();
    assert_eq!(emulator.stats().client_tokens, 1);
    let later = create("t1", "116.62.69.1").await;
    // t1 is forgotten: the same request now creates again (here refused as a duplicate IP,
    // which shows it ran).
    assert_ne!(
        later.map(|o| o.customer_gateway_id).ok(),
        Some(first.customer_gateway_id)
    );
}
