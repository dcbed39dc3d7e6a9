//! The send path end to end against a scripted server on 127.0.0.1: signing on the wire,
//! retries, classification, timeouts.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

mod common;

use std::time::Duration;

use common::{
    fast_retries, invoke, unreachable_config, Received, Reply, TestServer, ACCESS_KEY_ID, SECRET,
    TOKEN, VPC,
};
use vpn_gateway_runtime::signing::{v1, v3};
use vpn_gateway_runtime::{
    Error, RequestMethod, RequestOptions, RetryPolicy, RpcClient, RpcRequest, SdkError,
    SignatureVersion, TransportErrorKind,
};

fn describe() -> RpcRequest {
    RpcRequest::new(
        "DescribeVpnGateways",
        vec![
            ("RegionId".into(), "cn-hangzhou".into()),
            ("Tag.1.Key".into(), "环境 *~/+=&%".into()),
            ("Tag.10.Key".into(), "ten".into()),
            ("Tag.2.Key".into(), "two".into()),
        ],
        true,
    )
}

fn create_without_token() -> RpcRequest {
    RpcRequest::new(
        "CreateVpnGateway",
        vec![("RegionId".into(), "cn-hangzhou".into())],
        false,
    )
}

/// Verifies the request as the service would and answers `SignatureDoesNotMatch` otherwise.
fn verified(request: &Received, ok: Reply) -> Reply {
    let result = if request.header("authorization").is_some() {
        v3::verify(
            &request.method,
            &request.path,
            &request.query,
            &request.headers,
            &request.body,
            SECRET,
        )
        .map_err(|e| e.to_string())
    } else {
        v1::verify(&request.method, &request.params(), SECRET).map_err(|e| e.to_string())
    };
    match result {
        Ok(()) => ok,
        Err(message) => Reply::json(
            400,
            &serde_json::json!({"Code": "SignatureDoesNotMatch", "Message": message, "RequestId": "SIG"})
                .to_string(),
        ),
    }
}

#[tokio::test]
async fn v3_signed_request_is_accepted_and_carries_headers() {
    let server = TestServer::start(|_, r| verified(r, Reply::ok("R-V3"))).await;
    let client = RpcClient::new(
        &VPC,
        server
            .config()
            .user_agent_suffix("my-app/1.0")
            .build()
            .unwrap(),
    );
    let response = client.invoke(describe()).await.unwrap();
    assert_eq!(response.http_status, 200);
    assert_eq!(response.request_id.as_deref(), Some("R-V3"));
    assert_eq!(server.attempts(), 1);

    let seen = &server.received()[0];
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.header("x-acs-action"), Some("DescribeVpnGateways"));
    assert_eq!(seen.header("x-acs-version"), Some("2016-04-28"));
    assert_eq!(seen.header("x-acs-security-token"), Some(TOKEN));
    assert!(seen
        .header("authorization")
        .unwrap()
        .contains(ACCESS_KEY_ID));
    let agent = seen.header("user-agent").unwrap();
    assert!(agent.starts_with("vpn-gateway/9.9.9 vpn-gateway-runtime/"));
    assert!(agent.ends_with(" my-app/1.0"));
    assert_eq!(
        seen.query.iter().find(|(k, _)| k == "Tag.1.Key").unwrap().1,
        "环境 *~/+=&%"
    );
}

#[tokio::test]
async fn v1_signed_requests_are_accepted_with_get_and_post() {
    for method in [RequestMethod::Get, RequestMethod::Post] {
        let server = TestServer::start(|_, r| verified(r, Reply::ok("R-V1"))).await;
        let config = server
            .config()
            .signature_version(SignatureVersion::V1)
            .request_method(method)
            .build()
            .unwrap();
        let response = invoke(config, describe()).await.unwrap();
        assert_eq!(response.request_id.as_deref(), Some("R-V1"));
        let seen = &server.received()[0];
        assert_eq!(seen.param("Action").as_deref(), Some("DescribeVpnGateways"));
        assert_eq!(seen.param("Version").as_deref(), Some("2016-04-28"));
        assert_eq!(seen.param("Format").as_deref(), Some("JSON"));
        assert_eq!(seen.param("SignatureMethod").as_deref(), Some("HMAC-SHA1"));
        assert_eq!(seen.param("SecurityToken").as_deref(), Some(TOKEN));
        let timestamp = seen.param("Timestamp").unwrap();
        assert!(timestamp.ends_with('Z') && timestamp.len() == 20);
    }
}

#[tokio::test]
async fn signature_mismatch_reports_server_string_to_sign_and_is_not_retried() {
    let server = TestServer::start(|_, r| verified(r, Reply::ok("never"))).await;
    let config = server
        .config()
        .credentials(vpn_gateway_runtime::credentials::Credentials::new(
            ACCESS_KEY_ID,
            "wrong-secret",
        ))
        .build()
        .unwrap();
    let err = invoke(config, describe()).await.unwrap_err();
    let service = err.as_service_error().unwrap();
    assert_eq!(service.code(), "SignatureDoesNotMatch");
    assert!(service.message().contains("ACS3-HMAC-SHA256\n"));
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn nonce_is_fresh_on_every_attempt() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::error(503, "ServiceUnavailable", "R-1"),
        _ => Reply::ok("R-2"),
    })
    .await;
    server.invoke(describe()).await.unwrap();
    let nonces: Vec<_> = server
        .received()
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap().to_owned())
        .collect();
    assert_eq!(nonces.len(), 2);
    assert_ne!(nonces[0], nonces[1]);
}

#[tokio::test]
async fn retries_5xx_and_throttling_then_succeeds() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::error(503, "ServiceUnavailable", "R-1"),
        1 => Reply::error(400, "Throttling.User", "R-2").with_header("x-acs-retry-after", "1"),
        _ => Reply::ok("R-3"),
    })
    .await;
    let response = server.invoke(describe()).await.unwrap();
    assert_eq!(response.request_id.as_deref(), Some("R-3"));
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let server =
        TestServer::start(|n, _| Reply::error(500, "InternalError", &format!("R-{n}"))).await;
    let config = server
        .config()
        .retry_policy(fast_retries().with_max_attempts(4))
        .build()
        .unwrap();
    let err = invoke(config, describe()).await.unwrap_err();
    assert_eq!(server.attempts(), 4);
    assert_eq!(err.request_id(), Some("R-3"));
    assert!(err.as_service_error().unwrap().is_retryable());
}

#[tokio::test]
async fn retry_after_longer_than_the_policy_allows_ends_retries() {
    let server = TestServer::start(|_, _| {
        Reply::error(429, "Throttling", "R").with_header("x-acs-retry-after", "600000")
    })
    .await;
    let err = server.invoke(describe()).await.unwrap_err();
    assert!(err.as_service_error().unwrap().is_throttling());
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn per_request_retry_policy_overrides_config() {
    let server = TestServer::start(|_, _| Reply::error(503, "ServiceUnavailable", "R")).await;
    let mut request = describe();
    request.options = RequestOptions::new().with_retry_policy(RetryPolicy::disabled());
    server.invoke(request).await.unwrap_err();
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn spec_retryable_codes_are_retried_and_flagged() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::error(400, "VpnGateway.Configuring", "R-1"),
        _ => Reply::error(400, "InvalidParameter", "R-2"),
    })
    .await;
    let err = server.invoke(describe()).await.unwrap_err();
    assert_eq!(server.attempts(), 2);
    let service = err.as_service_error().unwrap();
    assert_eq!(service.code(), "InvalidParameter");
    assert!(!service.is_retryable());
    assert_eq!(service.host_id(), Some("vpc.aliyuncs.com"));
    assert_eq!(service.recommend(), Some("https://diagnose/R-2"));
    assert_eq!(
        err.to_string(),
        "service error: InvalidParameter: injected InvalidParameter (RequestId: R-2)"
    );
}

#[tokio::test]
async fn unsafe_request_is_not_retried_once_it_may_have_reached_the_server() {
    let server = TestServer::start(|_, _| Reply::error(503, "ServiceUnavailable", "R")).await;
    server.invoke(create_without_token()).await.unwrap_err();
    assert_eq!(server.attempts(), 1);

    let server = TestServer::start(|_, _| Reply::Drop).await;
    let err = server.invoke(create_without_token()).await.unwrap_err();
    assert_eq!(server.attempts(), 1);
    assert!(
        matches!(&err, SdkError::Transport(e) if e.kind() == TransportErrorKind::ConnectionClosed)
    );
}

#[tokio::test]
async fn dropped_connection_is_retried_for_safe_requests() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::Drop,
        _ => Reply::ok("R-2"),
    })
    .await;
    server.invoke(describe()).await.unwrap();
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let config = unreachable_config()
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = invoke(config, create_without_token()).await.unwrap_err();
    match &err {
        SdkError::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Connect);
            assert!(!e.may_have_reached_server());
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
    // The URL (with the v1 signature) is not in the message.
    assert!(!err.to_string().contains("Signature"));
}

#[tokio::test]
async fn slow_response_hits_the_read_timeout() {
    let server = TestServer::stalled().await;
    let config = server
        .config()
        .read_timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = invoke(config, describe()).await.unwrap_err();
    assert!(err.is_timeout());
    assert!(matches!(&err, SdkError::Transport(e) if e.kind() == TransportErrorKind::ReadTimeout));
}

#[tokio::test]
async fn operation_deadline_bounds_all_attempts() {
    let server = TestServer::stalled().await;
    let mut request = describe();
    request.options = RequestOptions::new().with_operation_deadline(Duration::from_millis(200));
    let err = server.invoke(request).await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Transport(e) if e.kind() == TransportErrorKind::OperationTimeout),
        "{err:?}"
    );
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn html_from_a_proxy_is_a_typed_error() {
    let server = TestServer::start(|_, _| Reply::Respond {
        status: 502,
        headers: vec![("content-type".into(), "text/html".into())],
        body: "<html><body>502 Bad Gateway</body></html>".into(),
    })
    .await;
    let err: Error = server.invoke(describe()).await.unwrap_err();
    assert_eq!(server.attempts(), 3, "a 502 is retried");
    match &err {
        SdkError::InvalidResponse(e) => {
            assert_eq!(e.http_status(), 502);
            assert!(e.body_excerpt().contains("502 Bad Gateway"));
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn request_id_falls_back_to_the_header() {
    let server =
        TestServer::start(|_, _| Reply::json(200, "{}").with_header("x-acs-request-id", "HDR-1"))
            .await;
    let response = server.invoke(describe()).await.unwrap();
    assert_eq!(response.request_id.as_deref(), Some("HDR-1"));
}

#[test]
fn client_is_cheap_to_clone_send_and_sync() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<RpcClient>();
    assert_traits::<vpn_gateway_runtime::Config>();
}

#[test]
fn endpoint_resolution_uses_the_region() {
    let config = vpn_gateway_runtime::Config::builder()
        .region("ap-southeast-1")
        .credentials(vpn_gateway_runtime::credentials::Credentials::new(
            "id", "s",
        ))
        .build()
        .unwrap();
    let client = RpcClient::new(&VPC, config);
    assert_eq!(
        client.endpoint().to_string(),
        "https://vpc.ap-southeast-1.aliyuncs.com"
    );
}

#[tokio::test]
async fn per_request_read_timeout_overrides_config() {
    let server = TestServer::stalled().await;
    let config = server
        .config()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let mut request = describe();
    request.options = RequestOptions::new()
        .with_read_timeout(Duration::from_millis(100))
        .with_connect_timeout(Duration::from_secs(1));
    let err = invoke(config, request).await.unwrap_err();
    assert!(matches!(&err, SdkError::Transport(e) if e.kind() == TransportErrorKind::ReadTimeout));
}

/// A pre-shared key needing every kind of encoding: `/`, space, `*`, `~`, non-ASCII.
const BODY_PSK: &str = "p/s k*~1 中";

/// A `CreateVpnConnection` with per-tunnel options in the form body, the key declared secret.
fn create_with_body() -> RpcRequest {
    create_without_token()
        .with_body(vec![
            (
                "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk".into(),
                BODY_PSK.into(),
            ),
            ("TunnelOptionsSpecification.1.Role".into(), "master".into()),
        ])
        .with_secret_values(vec![BODY_PSK.into()])
}

#[tokio::test]
async fn body_parameters_travel_in_a_form_body_with_both_signatures_and_methods() {
    let server = TestServer::start(|_, r| verified(r, Reply::ok("R-BODY"))).await;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        for method in [RequestMethod::Get, RequestMethod::Post] {
            let config = server
                .config()
                .signature_version(version)
                .request_method(method)
                .retry_policy(RetryPolicy::disabled())
                .build()
                .unwrap();
            let response = common::invoke(config, create_with_body()).await;
            let label = format!("{version:?} {method:?}");
            assert_eq!(
                response.unwrap().request_id.as_deref(),
                Some("R-BODY"),
                "{label}"
            );
            let received = server.received().pop().unwrap();
            // POST whatever the configuration says: a GET body means nothing.
            assert_eq!(received.method, "POST", "{label}");
            assert_eq!(
                received.header("content-type"),
                Some("application/x-www-form-urlencoded"),
                "{label}"
            );
            let body = vpn_gateway_runtime::transport::decode_form(
                std::str::from_utf8(&received.body).unwrap(),
            );
            assert_eq!(
                body,
                [
                    ("TunnelOptionsSpecification.1.Role".into(), "master".into()),
                    (
                        "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk".into(),
                        BODY_PSK.into()
                    ),
                ],
                "{label}: the body holds the body parameters and nothing else"
            );
            // The query parameters stay in the URL, with the v1 common parameters.
            assert!(
                received
                    .query
                    .contains(&("RegionId".into(), "cn-hangzhou".into())),
                "{label}"
            );
            assert_eq!(
                received.query.iter().any(|(k, _)| k == "Signature"),
                version == SignatureVersion::V1,
                "{label}"
            );
        }
    }
}

#[tokio::test]
async fn body_secrets_echoed_by_the_server_are_redacted() {
    // A server that echoes the raw body and the v1 string-to-sign it computed, as
    // `SignatureDoesNotMatch` does.
    let server = TestServer::start(|_, r| {
        let echo = format!(
            "body {} string-to-sign {}",
            String::from_utf8_lossy(&r.body),
            v1::string_to_sign(&r.method, &r.params())
        );
        Reply::json(
            400,
            &serde_json::json!({"Code": "SignatureDoesNotMatch", "Message": echo, "RequestId": "R"})
                .to_string(),
        )
    })
    .await;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let config = server
            .config()
            .signature_version(version)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap();
        let error = common::invoke(config, create_with_body())
            .await
            .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("Role"), "the echo is kept: {shown}");
        for form in ["p/s k", "p%2Fs", "%2A~1", "p%252Fs"] {
            assert!(!shown.contains(form), "{version:?} leaks {form}: {shown}");
        }
    }
}

#[test]
fn rpc_request_body_is_kept_by_with_options_and_debug_shows_names_only() {
    let request = create_with_body()
        .with_options(RequestOptions::new().with_retry_policy(RetryPolicy::disabled()));
    assert_eq!(request.body().len(), 2);
    assert!(request.options.retry_policy.is_some());
    let shown = format!("{request:?}");
    assert!(
        shown.contains("TunnelOptionsSpecification.1.TunnelIkeConfig.Psk"),
        "{shown}"
    );
    assert!(
        !shown.contains("p/s") && !shown.contains("master"),
        "{shown}"
    );
    // Without `with_body`, no body: the request is sent as before.
    assert!(describe().body().is_empty());
    assert!(!format!("{:?}", describe()).contains("cn-hangzhou"));
}
