//! Which failures are retried for which requests, over real HTTP against a scripted server:
//! refusals before execution (throttling, busy resources) for every request; failures after
//! which the operation may have run (5xx, a read timeout, a dropped connection) only for
//! requests that are safe to send twice.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

mod common;

use std::time::Duration;

use common::{Reply, TestServer};
use vpn_gateway_runtime::{Config, RpcRequest};

/// A write without an idempotency token: not safe to send twice.
fn create_without_token() -> RpcRequest {
    RpcRequest::new(
        "CreateVpnGateway",
        vec![("RegionId".into(), "cn-hangzhou".into())],
        false,
    )
}

/// A read: safe to send twice.
fn describe() -> RpcRequest {
    RpcRequest::new(
        "DescribeVpnGateways",
        vec![("RegionId".into(), "cn-hangzhou".into())],
        true,
    )
}

/// A named first reply.
type Case = (&'static str, fn() -> Reply);

/// A server that answers `first` to the first request and success afterwards.
async fn first_then_ok(first: fn() -> Reply) -> TestServer {
    TestServer::start(move |n, _| match n {
        0 => first(),
        _ => Reply::ok("R-ok"),
    })
    .await
}

#[tokio::test]
async fn refusals_before_execution_are_retried_for_a_write_without_token() {
    let refusals: [Case; 5] = [
        ("Throttling.User", || {
            Reply::error(400, "Throttling.User", "R-1")
        }),
        ("Throttling", || Reply::error(400, "Throttling", "R-1")),
        ("HTTP 429 without a code", || {
            Reply::json(429, "Too Many Requests")
        }),
        ("HTTP 503 with a throttling code", || {
            Reply::error(503, "Throttling.Api", "R-1")
        }),
        // Marked `retryable` in the service metadata: a busy gateway.
        ("VpnGateway.Configuring", || {
            Reply::error(400, "VpnGateway.Configuring", "R-1")
        }),
    ];
    for (name, first) in refusals {
        let server = first_then_ok(first).await;
        let response = server.invoke(create_without_token()).await;
        assert!(response.is_ok(), "{name}: {response:?}");
        assert_eq!(server.attempts(), 2, "{name}");
    }
}

/// Failures after which the operation may have run.
fn ambiguous_failures() -> [Case; 5] {
    [
        ("InternalError", || {
            Reply::error(500, "InternalError", "R-1")
        }),
        ("ServiceUnavailable", || {
            Reply::error(503, "ServiceUnavailable", "R-1")
        }),
        ("HTTP 502 from a proxy", || {
            Reply::json(502, "<html>bad gateway</html>")
        }),
        ("connection dropped after the request", || Reply::Drop),
        ("read timeout", || {
            Reply::Delay(Duration::from_secs(5), Box::new(Reply::ok("late")))
        }),
    ]
}

/// The server's config with a read timeout short enough for the delayed case.
fn short_reads(server: &TestServer) -> Config {
    server
        .config()
        .read_timeout(Duration::from_millis(200))
        .build()
        .unwrap()
}

#[tokio::test]
async fn failures_after_which_a_write_may_have_run_are_not_retried_without_token() {
    for (name, first) in ambiguous_failures() {
        let server = first_then_ok(first).await;
        let err = common::invoke(short_reads(&server), create_without_token())
            .await
            .unwrap_err();
        assert_eq!(server.attempts(), 1, "{name}: {err}");
    }
}

#[tokio::test]
async fn the_same_failures_are_retried_for_a_read() {
    for (name, first) in ambiguous_failures() {
        let server = first_then_ok(first).await;
        let config = short_reads(&server);
        let response = common::invoke(config, describe()).await;
        assert!(response.is_ok(), "{name}: {response:?}");
        assert_eq!(server.attempts(), 2, "{name}");
    }
}

#[tokio::test]
async fn a_refusal_that_persists_ends_after_the_attempt_budget() {
    let server = TestServer::start(|_, _| Reply::error(400, "Throttling.User", "R")).await;
    let err = server.invoke(create_without_token()).await.unwrap_err();
    assert_eq!(server.attempts(), 3, "the standard policy makes 3 attempts");
    assert_eq!(err.code(), Some("Throttling.User"));
}
