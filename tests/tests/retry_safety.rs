//! Retries as a user sees them: a refusal before execution (throttling, a busy resource, a
//! connection never established) is retried for every operation, including `CreateVpnGateway`,
//! which carries no idempotency token; a failure after which the operation may have run is
//! retried only for reads and token-carrying writes.

use std::time::Duration;
use vpn_gateway::runtime::transport::test_util::ReplayTransport;
use vpn_gateway::runtime::{RetryPolicy, TransportErrorKind};
use vpn_gateway::types::{Bandwidth, Tag, TagResourceType};
use vpn_gateway::SdkError;
use vpn_gateway_tests::{client_with, REGION};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(2))
}

fn error_body(code: &str) -> String {
    format!(r#"{{"Code":"{code}","Message":"injected {code}","RequestId":"R-err"}}"#)
}

const CREATED: &str = r#"{"RequestId":"R-ok","VpnGatewayId":"vpn-1"}"#;

async fn create_vpn_gateway(
    transport: &ReplayTransport,
) -> Result<String, SdkError<vpn_gateway::operation::create_vpn_gateway::CreateVpnGatewayError>> {
    client_with(transport, fast_retries())
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-bp1ub1yt9cvakoelj0000")
        .bandwidth(Bandwidth::Mbps5)
        .send()
        .await
        .map(|out| out.vpn_gateway_id().to_owned())
}

#[tokio::test]
async fn throttling_then_success_on_create_vpn_gateway_succeeds_after_two_attempts() {
    let transport = ReplayTransport::new();
    transport.push_json(400, error_body("Throttling.User"));
    transport.push_json(200, CREATED);
    assert_eq!(create_vpn_gateway(&transport).await.unwrap(), "vpn-1");
    assert_eq!(transport.requests().len(), 2);
}

#[tokio::test]
async fn every_refusal_before_execution_is_retried_for_a_write_without_token() {
    let refusals: Vec<(&str, u16, String)> = vec![
        ("Throttling", 400, error_body("Throttling")),
        ("Throttling.Api", 400, error_body("Throttling.Api")),
        ("HTTP 429", 429, r#"{"RequestId":"R-429"}"#.to_owned()),
        // The codes the spec marks `retryable`: busy resources.
        (
            "VpnGateway.Configuring",
            400,
            error_body("VpnGateway.Configuring"),
        ),
        ("TaskConflict", 400, error_body("TaskConflict")),
        (
            "Vco.StatusNotSupport",
            400,
            error_body("Vco.StatusNotSupport"),
        ),
    ];
    for (name, status, body) in refusals {
        let transport = ReplayTransport::new();
        transport.push_json(status, body);
        transport.push_json(200, CREATED);
        let result = create_vpn_gateway(&transport).await;
        assert!(result.is_ok(), "{name}: {result:?}");
        assert_eq!(transport.requests().len(), 2, "{name}");
    }
    for kind in [
        TransportErrorKind::Connect,
        TransportErrorKind::ConnectTimeout,
    ] {
        let transport = ReplayTransport::new();
        transport.push_error(kind);
        transport.push_json(200, CREATED);
        let result = create_vpn_gateway(&transport).await;
        assert!(result.is_ok(), "{kind:?}: {result:?}");
        assert_eq!(transport.requests().len(), 2, "{kind:?}");
    }
}

#[tokio::test]
async fn a_busy_gateway_on_tag_resources_is_retried() {
    // TagResources has no ClientToken either.
    let transport = ReplayTransport::new();
    transport.push_json(400, error_body("VpnGateway.Configuring"));
    transport.push_json(200, r#"{"RequestId":"R-ok"}"#);
    client_with(&transport, fast_retries())
        .tag_resources()
        .region_id(REGION)
        .resource_type(TagResourceType::VpnGateway)
        .resource_id("vpn-1")
        .tag(Tag::new().key("env").value("prod"))
        .send()
        .await
        .unwrap();
    assert_eq!(transport.requests().len(), 2);
}

/// A write the current API gives no `ClientToken`: repeating it after a failure that may
/// have come after the move could apply it twice.
async fn move_resource_group(
    transport: &ReplayTransport,
) -> Result<
    String,
    SdkError<vpn_gateway::operation::move_vpn_resource_group::MoveVpnResourceGroupError>,
> {
    client_with(transport, fast_retries())
        .move_vpn_resource_group()
        .region_id(REGION)
        .instance_id("vpn-1")
        .resource_type("VpnGateway")
        .new_resource_group_id("rg-1")
        .send()
        .await
        .map(|out| out.request_id().to_owned())
}

const MOVED: &str = r#"{"RequestId":"R-ok"}"#;

#[tokio::test]
async fn server_error_on_a_write_without_client_token_is_not_retried() {
    let transport = ReplayTransport::new();
    transport.push_json(500, error_body("InternalError"));
    transport.push_json(200, MOVED);
    let err = move_resource_group(&transport).await.unwrap_err();
    assert_eq!(err.code(), Some("InternalError"));
    assert_eq!(transport.requests().len(), 1);
    assert_eq!(transport.remaining(), 1);
}

#[tokio::test]
async fn every_failure_after_which_a_write_may_have_run_ends_the_call() {
    let transport = ReplayTransport::new();
    transport.push_json(503, error_body("ServiceUnavailable"));
    transport.push_json(200, MOVED);
    assert!(move_resource_group(&transport).await.is_err());
    assert_eq!(transport.requests().len(), 1, "ServiceUnavailable");

    for kind in [
        TransportErrorKind::ReadTimeout,
        TransportErrorKind::ConnectionClosed,
        TransportErrorKind::Other,
    ] {
        let transport = ReplayTransport::new();
        transport.push_error(kind);
        transport.push_json(200, MOVED);
        let err = move_resource_group(&transport).await.unwrap_err();
        assert!(
            matches!(&err, SdkError::Transport(e) if e.kind() == kind),
            "{err:?}"
        );
        assert_eq!(transport.requests().len(), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn server_error_on_a_read_is_retried() {
    let transport = ReplayTransport::new();
    transport.push_json(500, error_body("InternalError"));
    transport.push_json(
        200,
        r#"{"RequestId":"R-ok","TotalCount":0,"PageNumber":1,"PageSize":10,"VpnGateways":{"VpnGateway":[]}}"#,
    );
    client_with(&transport, fast_retries())
        .describe_vpn_gateways()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(transport.requests().len(), 2);
}

#[tokio::test]
async fn server_error_on_a_write_with_client_token_is_retried_with_the_same_token() {
    let transport = ReplayTransport::new();
    transport.push_json(500, error_body("InternalError"));
    transport.push_json(200, r#"{"RequestId":"R-ok","CustomerGatewayId":"cgw-1"}"#);
    client_with(&transport, fast_retries())
        .create_customer_gateway()
        .region_id(REGION)
        .ip_address("203.0.113.10")
        .send()
        .await
        .unwrap();
    let tokens: Vec<Option<String>> = transport
        .requests()
        .iter()
        .map(|r| r.param("ClientToken"))
        .collect();
    assert_eq!(tokens.len(), 2);
    assert!(tokens[0].is_some());
    assert_eq!(tokens[0], tokens[1]);
}
