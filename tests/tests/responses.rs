//! What the client makes of what the service sends back: scalars in whatever JSON type the
//! service's XML conversion chose, lists that are never silently cut, error documents behind
//! a 200, missing required fields, and bounded bodies, messages and attempts.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vpn_gateway::operation::create_vpn_gateway::{CreateVpnGatewayError, CreateVpnGatewayOutput};
use vpn_gateway::operation::describe_vpn_gateways::{
    DescribeVpnGatewaysError, DescribeVpnGatewaysOutput,
};
use vpn_gateway::runtime::transport::test_util::ReplayTransport;
use vpn_gateway::runtime::{RetryPolicy, TransportErrorKind};
use vpn_gateway::types::{Bandwidth, VpnGatewayStatus};
use vpn_gateway::{Client, Config, Credentials, SdkError};
use vpn_gateway_tests::{client_with, REGION};

fn replay(bodies: &[(u16, &str)]) -> (ReplayTransport, Client) {
    let transport = ReplayTransport::new();
    for (status, body) in bodies {
        transport.push_json(*status, *body);
    }
    let client = client_with(&transport, RetryPolicy::disabled());
    (transport, client)
}

type ListOutcome = Result<DescribeVpnGatewaysOutput, SdkError<DescribeVpnGatewaysError>>;
type CreateOutcome = Result<CreateVpnGatewayOutput, SdkError<CreateVpnGatewayError>>;

/// `DescribeVpnGateways` in the test region: the call most of these tests answer oddly.
async fn list_gateways(client: &Client) -> ListOutcome {
    client
        .describe_vpn_gateways()
        .region_id(REGION)
        .send()
        .await
}

/// A valid `CreateVpnGateway`: a write without a `ClientToken`.
async fn create_gateway(client: &Client) -> CreateOutcome {
    client
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-bp1ub1yt9cvakoelj0000")
        .bandwidth(Bandwidth::Mbps5)
        .send()
        .await
}

/// A client whose one call is answered 200 with `body`.
fn answering(body: &str) -> Client {
    replay(&[(200, body)]).1
}

/// The reason of the invalid response `outcome` must be.
fn invalid_reason<T: std::fmt::Debug, E: std::fmt::Debug>(
    outcome: Result<T, SdkError<E>>,
) -> String {
    match outcome {
        Err(SdkError::InvalidResponse(e)) => e.reason().to_owned(),
        other => panic!("expected an invalid response, got {other:?}"),
    }
}

#[tokio::test]
async fn numbers_sent_as_text_read_as_numbers() {
    let (_, client) = replay(&[(
        200,
        r#"{"RequestId":"R","TotalCount":"1","PageNumber":"1","PageSize":" 10 ",
            "VpnGateways":{"VpnGateway":[{"VpnGatewayId":"vpn-1","CreateTime":"1495382400000",
            "Status":"active"}]}}"#,
    )]);
    let out = list_gateways(&client).await.unwrap();
    assert_eq!(out.total_count(), Some(1));
    assert_eq!(out.page_size(), Some(10));
    assert_eq!(out.vpn_gateways().len(), 1);
    assert_eq!(out.vpn_gateways()[0].create_time, Some(1_495_382_400_000));
}

#[tokio::test]
async fn one_odd_item_never_changes_the_rest_of_a_list() {
    let (_, client) = replay(&[(
        200,
        r#"{"RequestId":"R","TotalCount":2,"VpnGateways":{"VpnGateway":[
            {"VpnGatewayId":"vpn-1","Status":"active"},
            {"VpnGatewayId":"vpn-2","CreateTime":"1495382400000","Status":"active"}]}}"#,
    )]);
    let out = list_gateways(&client).await.unwrap();
    let gateways = out.vpn_gateways();
    assert_eq!(gateways.len(), 2);
    assert_eq!(gateways[0].vpn_gateway_id.as_deref(), Some("vpn-1"));
    assert_eq!(gateways[1].vpn_gateway_id.as_deref(), Some("vpn-2"));
    assert_eq!(gateways[1].create_time, Some(1_495_382_400_000));
    assert!(gateways
        .iter()
        .all(|g| g.status == Some(VpnGatewayStatus::Active)));
}

#[tokio::test]
async fn booleans_and_numbers_drift_both_ways_in_nested_items() {
    let (_, client) = replay(&[(
        200,
        r#"{"RequestId":"R","TotalCount":"1","SslVpnServers":{"SslVpnServer":
            {"SslVpnServerId":12,"Compress":"True","Connections":"3","CreateTime":1495382400000,
             "Port":"1194"}}}"#,
    )]);
    let out = client
        .describe_ssl_vpn_servers()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    let servers = out.ssl_vpn_servers();
    assert_eq!(
        servers.len(),
        1,
        "a single item without its array is one item"
    );
    let server = &servers[0];
    assert_eq!(server.ssl_vpn_server_id.as_deref(), Some("12"));
    assert_eq!(server.compress, Some(true));
    assert_eq!(server.connections, Some(3));
    assert_eq!(server.create_time, Some(1_495_382_400_000));
}

#[tokio::test]
async fn a_value_that_cannot_be_read_fails_the_call_naming_its_path() {
    for (body, path) in [
        (
            r#"{"RequestId":"R","VpnGateways":{"VpnGateway":[{"VpnGatewayId":"vpn-1"},
                {"VpnGatewayId":"vpn-2","CreateTime":"soon"}]}}"#,
            "VpnGateways.VpnGateway[1].CreateTime",
        ),
        (r#"{"RequestId":"R","TotalCount":"many"}"#, "TotalCount"),
        (r#"{"RequestId":"R","TotalCount":4294967296}"#, "TotalCount"),
        (
            r#"{"RequestId":"R","VpnGateways":{"Other":[{"VpnGatewayId":"vpn-1"}]}}"#,
            "VpnGateways",
        ),
    ] {
        let reason = invalid_reason(list_gateways(&answering(body)).await);
        assert!(reason.contains(&format!("`{path}`")), "{reason}");
    }
}

/// Shapes no value may be read from by guessing: each fails naming its field, where reading it
/// would have put values in the wrong fields, changed digits or dropped items.
#[tokio::test]
async fn shapes_that_would_give_wrong_data_fail_naming_the_field() {
    for (body, path) in [
        // An item as an array: a derived struct would fill its fields by position.
        (
            r#"{"RequestId":"R","VpnGateways":{"VpnGateway":[["vpn-x","vpc-y","active"]]}}"#,
            "VpnGateways.VpnGateway[0]",
        ),
        (r#"["R", 1, 1, 10]"#, "."),
        // Integers as floats beyond what a float holds exactly: rounded or saturated digits.
        (
            r#"{"RequestId":"R","VpnGateways":{"VpnGateway":[{"VpnGatewayId":"vpn-1","CreateTime":9.223372036854775807e18}]}}"#,
            "VpnGateways.VpnGateway[0].CreateTime",
        ),
        (
            r#"{"RequestId":"R","VpnGateways":{"VpnGateway":[{"VpnGatewayId":"vpn-1","CreateTime":"9007199254740993.0"}]}}"#,
            "VpnGateways.VpnGateway[0].CreateTime",
        ),
        // A text field sent as an integer beyond u64: JSON parsing has already rounded it.
        (
            r#"{"RequestId":"R","VpnGateways":{"VpnGateway":[{"VpnGatewayId":12345678901234567890123}]}}"#,
            "VpnGateways.VpnGateway[0].VpnGatewayId",
        ),
        // A wrapper inside the wrapper: read as one item, its items would be lost.
        (
            r#"{"RequestId":"R","VpnGateways":{"VpnGateway":{"VpnGateway":[{"VpnGatewayId":"vpn-1"}]}}}"#,
            "VpnGateways.VpnGateway",
        ),
    ] {
        let reason = invalid_reason(list_gateways(&answering(body)).await);
        if path == "." {
            assert!(reason.contains("expected shape"), "{reason}");
        } else {
            assert!(reason.contains(&format!("`{path}`")), "{body}: {reason}");
        }
    }

    // A plain list that arrives wrapped: not one route with every field empty.
    let (_, client) = replay(&[(
        200,
        r#"{"RequestId":"R","VcoRouteEntries":{"VcoRouteEntry":[
            {"RouteDest":"10.0.0.0/24"},{"RouteDest":"10.0.1.0/24"}]}}"#,
    )]);
    let outcome = client
        .describe_vco_route_entries()
        .region_id(REGION)
        .vpn_connection_id("vco-1")
        .send()
        .await;
    let reason = invalid_reason(outcome);
    assert!(reason.contains("`VcoRouteEntries`"), "{reason}");
}

/// Equivalent spellings of the same values read as those values.
#[tokio::test]
async fn other_spellings_of_the_same_values_read_the_same() {
    let (_, client) = replay(&[(
        200,
        // Integral numbers as text with a fraction or exponent, and a list whose wrapper
        // repeats its key (repeated XML elements converted one by one).
        "\u{feff}{\"RequestId\":\"R\",\"TotalCount\":\"3.0\",\"PageSize\":\"1e1\",
            \"VpnGateways\":{\"VpnGateway\":{\"VpnGatewayId\":\"vpn-1\"},
            \"VpnGateway\":[{\"VpnGatewayId\":\"vpn-2\"},{\"VpnGatewayId\":\"vpn-3\",
            \"CreateTime\":1495382400000.0}]}}",
    )]);
    let out = list_gateways(&client).await.unwrap();
    assert_eq!(out.total_count(), Some(3));
    assert_eq!(out.page_size(), Some(10));
    let ids: Vec<_> = out
        .vpn_gateways()
        .iter()
        .map(|g| g.vpn_gateway_id.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["vpn-1", "vpn-2", "vpn-3"]);
    assert_eq!(out.vpn_gateways()[2].create_time, Some(1_495_382_400_000));

    // An error document behind a byte order mark is still the service's error.
    let (_, client) = replay(&[(
        200,
        "\u{feff}{\"Code\":\"Throttling.User\",\"Message\":\"slow down\",\"RequestId\":\"R\"}",
    )]);
    let err = list_gateways(&client).await.unwrap_err();
    assert_eq!(err.code(), Some("Throttling.User"), "{err:?}");
    assert_eq!(err.request_id(), Some("R"));
}

#[tokio::test]
async fn a_200_carrying_an_error_code_is_a_service_error() {
    let (transport, client) = replay(&[(
        200,
        r#"{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"R"}"#,
    )]);
    let err = create_gateway(&client).await.unwrap_err();
    assert_eq!(err.code(), Some("Throttling.User"), "{err:?}");
    assert_eq!(err.request_id(), Some("R"));
    assert_eq!(transport.requests().len(), 1);

    // A read is retried on it like on any throttling answer.
    let transport = ReplayTransport::new();
    transport.push_json(200, r#"{"Code":"ServiceUnavailable","RequestId":"R1"}"#);
    transport.push_json(200, r#"{"RequestId":"R2","VpnGatewayId":"vpn-1"}"#);
    let retrying = client_with(
        &transport,
        RetryPolicy::standard().with_initial_backoff(Duration::from_millis(1)),
    );
    let out = retrying
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id(), "R2");
    assert_eq!(transport.requests().len(), 2);
}

/// However the error document is spelled, it is an error: with its keys repeated, its code
/// a number, or a member of a type the client does not expect.
#[tokio::test]
async fn an_oddly_spelled_error_document_behind_a_200_is_still_an_error() {
    for body in [
        r#"{"Code":"Throttling.User","Code":"Throttling.User","RequestId":"R"}"#,
        r#"{"RequestId":"R","RequestId":"R","Code":"Throttling.User","Message":"a","Message":"b"}"#,
        r#"{"Code":"Throttling.User","Message":{"text":"slow down"},"RequestId":"R"}"#,
        r#"{"Code":null,"Code":"Throttling.User","RequestId":"R"}"#,
    ] {
        // DeleteVpnGateway's output is only the request ID: an error read as a success
        // would report a deletion that never happened.
        let (transport, client) = replay(&[(200, body), (200, r#"{"RequestId":"R2"}"#)]);
        let err = client
            .delete_vpn_gateway()
            .region_id(REGION)
            .vpn_gateway_id("vpn-1")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("Throttling.User"), "{body}: {err:?}");
        assert_eq!(err.request_id(), Some("R"), "{body}");
        assert_eq!(transport.requests().len(), 1);
    }
    let (_, client) = replay(&[(200, r#"{"Code":503,"RequestId":"R"}"#)]);
    let err = client
        .delete_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("503"), "{err:?}");
}

/// An empty element is no value: a required identifier sent as `""` is as missing as one not
/// sent, where reading it would return `Ok` with an empty gateway ID.
#[tokio::test]
async fn an_empty_required_response_field_is_an_invalid_response() {
    for (body, field) in [
        (r#"{"RequestId":"R","VpnGatewayId":""}"#, "VpnGatewayId"),
        (r#"{"RequestId":"R","VpnGatewayId":"  "}"#, "VpnGatewayId"),
        (r#"{"RequestId":"","VpnGatewayId":"vpn-1"}"#, "RequestId"),
    ] {
        let reason = invalid_reason(create_gateway(&answering(body)).await);
        assert!(reason.contains(&format!("`{field}`")), "{body}: {reason}");
    }
}

#[tokio::test]
async fn a_missing_required_response_field_is_an_invalid_response() {
    for (body, field) in [
        (r#"{"RequestId":"R","Name":"gw"}"#, "VpnGatewayId"),
        (r#"{"VpnGatewayId":"vpn-1"}"#, "RequestId"),
        // The first required field in the current API's order.
        (r#"{}"#, "VpnGatewayId"),
    ] {
        let reason = invalid_reason(create_gateway(&answering(body)).await);
        assert!(
            reason.contains(&format!("missing field `{field}`")),
            "{reason}"
        );
    }
}

#[tokio::test]
async fn an_error_body_without_a_code_keeps_its_request_id() {
    for status in [400, 403, 404, 500] {
        let (_, client) = replay(&[(status, r#"{"RequestId":"R-no-code","Message":"odd"}"#)]);
        let err = list_gateways(&client).await.unwrap_err();
        assert!(matches!(err, SdkError::InvalidResponse(_)), "{err:?}");
        assert_eq!(err.request_id(), Some("R-no-code"));
    }
}

#[tokio::test]
async fn service_messages_kept_in_errors_are_bounded() {
    let huge = "m".repeat(5 << 20);
    let body = format!(
        r#"{{"Code":"InvalidParameter","Message":"{huge}","Recommend":"{huge}","HostId":"{huge}","RequestId":"R"}}"#
    );
    let (_, client) = replay(&[(400, body.as_str())]);
    let err = list_gateways(&client).await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.len() < 16 * 1024, "{} bytes", shown.len());
    assert!(shown.contains("more bytes"), "the cut is visible");
    assert_eq!(err.code(), Some("InvalidParameter"));
}

/// Error texts are cut to a bounded length; a secret the cut runs through must still be
/// removed whole, not leave its first characters behind.
#[tokio::test]
async fn a_secret_cut_by_a_length_bound_is_still_removed() {
    let psk = "psk-SECRET-4242";
    let mut bodies = Vec::new();
    // The message (2,048 characters kept), the request ID (128) and the excerpt of a body
    // that is no error document (200), each with the key placed across the cut.
    for pad in 2030..=2048 {
        let x = "x".repeat(pad);
        bodies.push((
            400,
            format!(
                r#"{{"Code":"SignatureDoesNotMatch","Message":"{x}{psk} tail","RequestId":"R"}}"#
            ),
        ));
    }
    for pad in 110..=128 {
        let x = "x".repeat(pad);
        bodies.push((
            400,
            format!(r#"{{"Code":"InvalidParameter","Message":"m","RequestId":"{x}{psk}"}}"#),
        ));
    }
    let prefix = r#"{"RequestId":"R","Echo":""#.len();
    for pad in (185 - prefix)..=(200 - prefix) {
        let x = "x".repeat(pad);
        bodies.push((
            502,
            format!(r#"{{"RequestId":"R","Echo":"{x}{psk} tail"}}"#),
        ));
    }
    let transport = ReplayTransport::new();
    for (status, body) in &bodies {
        transport.push_json(*status, body.clone());
    }
    let client = client_with(&transport, RetryPolicy::disabled());
    for _ in &bodies {
        let err = client
            .create_vpn_connection()
            .region_id("cn-hangzhou")
            .customer_gateway_id("cgw-1")
            .vpn_gateway_id("vpn-1")
            .local_subnet("10.0.0.0/24")
            .remote_subnet("192.168.0.0/24")
            .ike_config(vpn_gateway::types::IkeConfig::new().psk(psk))
            .send()
            .await
            .unwrap_err();
        for shown in [format!("{err}"), format!("{err:?}")] {
            // The padding is all `x`: any fragment of the key is a leak.
            assert!(!shown.contains("psk-") && !shown.contains("SEC"), "{shown}");
        }
    }
}

fn over_http(
    url: &str,
    configure: impl FnOnce(vpn_gateway::runtime::ConfigBuilder) -> vpn_gateway::runtime::ConfigBuilder,
) -> Client {
    let builder = Config::builder()
        .region(REGION)
        .endpoint(url)
        .allow_http(true)
        .credentials(Credentials::new("testid", "testsecret"))
        .retry_policy(RetryPolicy::disabled());
    Client::new(configure(builder).build().unwrap())
}

/// A server that answers every connection with `head`, then calls `body` with the socket.
async fn raw_server<F, Fut>(head: &'static str, body: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = std::sync::Arc::new(body);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_ok() {
                    body(socket).await;
                }
            });
        }
    });
    url
}

async fn body_too_large(client: &Client) {
    let err = list_gateways(client).await.unwrap_err();
    match err {
        SdkError::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::BodyTooLarge, "{e}"),
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_without_reading_it_whole() {
    // Declared too large: refused before reading.
    let url = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 209715200\r\n\r\n",
        |mut socket| async move {
            let _ = socket.write_all(b"{\"RequestId\":\"R\"").await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        },
    )
    .await;
    body_too_large(&over_http(&url, |b| b)).await;

    // Endless, without a length: reading stops at the limit.
    let url = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        |mut socket| async move {
            let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
            while socket.write_all(chunk.as_bytes()).await.is_ok() {}
        },
    )
    .await;
    body_too_large(&over_http(&url, |b| b.max_response_body(1 << 20))).await;

    // Through any transport, the client enforces the limit too.
    let transport = ReplayTransport::new();
    transport.push_json(200, format!(r#"{{"RequestId":"{}"}}"#, "r".repeat(2 << 20)));
    let config = Config::builder()
        .region(REGION)
        .credentials(Credentials::new("testid", "testsecret"))
        .retry_policy(RetryPolicy::disabled())
        .max_response_body(1 << 20)
        .transport(transport)
        .build()
        .unwrap();
    body_too_large(&Client::new(config)).await;
}

#[tokio::test]
async fn a_trickling_response_is_cut_off_by_the_attempt_limit() {
    // Headers at once, then a byte every 100 ms: each read is well inside the read timeout.
    let url = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n",
        |mut socket| async move {
            loop {
                if socket.write_all(b" ").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        },
    )
    .await;
    let client = over_http(&url, |b| {
        b.read_timeout(Duration::from_secs(3))
            .attempt_timeout(Duration::from_millis(800))
    });
    let err = list_gateways(&client).await.unwrap_err();
    match &err {
        SdkError::Transport(e) => assert_eq!(e.kind(), TransportErrorKind::AttemptTimeout, "{e}"),
        other => panic!("expected AttemptTimeout, got {other:?}"),
    }
    assert!(err.is_timeout());
}

#[test]
fn every_attempt_is_bounded_by_default() {
    let config = Config::builder().build().unwrap();
    assert_eq!(config.timeouts().attempt, Duration::from_secs(30));
    assert!(config.timeouts().attempt > config.timeouts().read);
    assert_eq!(config.max_response_body(), 16 * 1024 * 1024);
}
