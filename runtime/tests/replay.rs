//! The capture/replay transport (feature `test-util`), as SDK users would use it.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

mod common;

use common::VPC;
use vpn_gateway_runtime::credentials::Credentials;
use vpn_gateway_runtime::transport::test_util::ReplayTransport;
use vpn_gateway_runtime::transport::HttpResponse;
use vpn_gateway_runtime::{
    Config, RetryPolicy, RpcClient, RpcRequest, SdkError, SignatureVersion, TransportErrorKind,
};

fn client(transport: &ReplayTransport, version: SignatureVersion) -> RpcClient {
    let config = Config::builder()
        .region("cn-hangzhou")
        .credentials(Credentials::new("id", "secret"))
        .signature_version(version)
        .retry_policy(
            RetryPolicy::standard().with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .transport(transport.clone())
        .build()
        .unwrap();
    RpcClient::new(&VPC, config)
}

#[tokio::test]
async fn captures_requests_and_replays_responses() {
    let transport = ReplayTransport::new();
    transport.push_json(
        200,
        r#"{"RequestId":"R-1","VpnGateways":{"VpnGateway":[]}}"#,
    );
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let client = client(&transport, version);
        let request = RpcRequest::new(
            "DescribeVpnGateways",
            vec![("RegionId".into(), "cn-hangzhou".into())],
            true,
        );
        if version == SignatureVersion::V1 {
            transport.push_json(200, r#"{"RequestId":"R-2"}"#);
        }
        let response = client.invoke(request).await.unwrap();
        assert!(response.request_id.is_some());
        let captured = transport.last_request().unwrap();
        assert_eq!(captured.action().as_deref(), Some("DescribeVpnGateways"));
        assert_eq!(captured.param("RegionId").as_deref(), Some("cn-hangzhou"));
        assert!(captured.http().url.starts_with("https://vpc.aliyuncs.com/"));
    }
    assert_eq!(transport.requests().len(), 2);
    assert_eq!(transport.remaining(), 0);
}

#[tokio::test]
async fn unsafe_request_is_retried_when_the_connection_never_opened() {
    let transport = ReplayTransport::new();
    transport
        .push_error(TransportErrorKind::Connect)
        .push_error(TransportErrorKind::ConnectTimeout)
        .push_json(200, r#"{"RequestId":"R-3","VpnGatewayId":"vpn-1"}"#);
    let request = RpcRequest::new("CreateVpnGateway", Vec::new(), false);
    let response = client(&transport, SignatureVersion::V3)
        .invoke(request)
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some("R-3"));
    assert_eq!(transport.requests().len(), 3);
}

#[tokio::test]
async fn unsafe_request_is_not_retried_after_a_read_timeout() {
    let transport = ReplayTransport::new();
    transport.push_error(TransportErrorKind::ReadTimeout);
    let request = RpcRequest::new("CreateVpnGateway", Vec::new(), false);
    let err = client(&transport, SignatureVersion::V3)
        .invoke(request)
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn responder_function_and_empty_queue() {
    let transport = ReplayTransport::from_fn(|request| {
        let action = request
            .header("x-acs-action")
            .unwrap_or_default()
            .to_owned();
        Ok(HttpResponse::new(
            200,
            format!(r#"{{"RequestId":"for-{action}"}}"#),
        ))
    });
    let response = client(&transport, SignatureVersion::V3)
        .invoke(RpcRequest::new("DescribeVpnGateways", Vec::new(), true))
        .await
        .unwrap();
    assert_eq!(
        response.request_id.as_deref(),
        Some("for-DescribeVpnGateways")
    );

    let empty = ReplayTransport::new();
    let err = client(&empty, SignatureVersion::V3)
        .invoke(RpcRequest::new("DescribeVpnGateways", Vec::new(), true))
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Transport(_)));
}
