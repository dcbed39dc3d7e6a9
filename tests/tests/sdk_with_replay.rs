//! The generated client against canned responses: validation before sending, wire encoding,
//! typed errors, automatic client tokens across retries, paginators and waiters.

use std::time::Duration;
use vpn_gateway::runtime::transport::test_util::ReplayTransport;
use vpn_gateway::runtime::RetryPolicy;
use vpn_gateway::types::{Bandwidth, IkeConfig, TagResourceType};
use vpn_gateway::{SdkError, WaitError, WaiterConfig};
use vpn_gateway_tests::{client_with, REGION};

fn fast_waiter(max_wait: Duration) -> WaiterConfig {
    WaiterConfig::new(max_wait).with_delays(Duration::from_millis(1), Duration::from_millis(5))
}

#[tokio::test]
async fn invalid_input_is_rejected_before_anything_is_sent() {
    let transport = ReplayTransport::new();
    let client = client_with(&transport, RetryPolicy::standard());
    let err = client
        .create_vpn_gateway()
        .region_id(REGION)
        .bandwidth(Bandwidth::Mbps5)
        .name("http://not-a-name")
        .send()
        .await
        .unwrap_err();
    match err {
        SdkError::Validation(v) => {
            assert!(["VpcId", "Name"].contains(&v.parameter()), "{v}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn a_create_is_encoded_as_documented_and_its_output_typed() {
    let transport = ReplayTransport::new();
    transport.push_json(
        200,
        r#"{"RequestId":"R1","VpnGatewayId":"vpn-1","Name":"gw","OrderId":42}"#,
    );
    let client = client_with(&transport, RetryPolicy::standard());
    let out = client
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-bp1ub1yt9cvakoelj0000")
        .bandwidth(Bandwidth::Mbps10)
        .enable_ssl(true)
        .send()
        .await
        .unwrap();
    assert_eq!(out.vpn_gateway_id(), "vpn-1");
    assert_eq!(out.order_id(), Some(42));
    let sent = transport.last_request().unwrap();
    assert_eq!(sent.action().as_deref(), Some("CreateVpnGateway"));
    assert_eq!(sent.param("Bandwidth").as_deref(), Some("10"));
    assert_eq!(sent.param("EnableSsl").as_deref(), Some("true"));
    assert_eq!(
        sent.param("VpcId").as_deref(),
        Some("vpc-bp1ub1yt9cvakoelj0000")
    );
}

#[tokio::test]
async fn json_parameters_and_struct_lists_are_flattened() {
    let transport = ReplayTransport::new();
    transport.push_json(200, r#"{"RequestId":"R1","VpnConnectionId":"vco-1"}"#);
    transport.push_json(200, r#"{"RequestId":"R2"}"#);
    let client = client_with(&transport, RetryPolicy::standard());
    client
        .create_vpn_connection()
        .region_id(REGION)
        .customer_gateway_id("cgw-1")
        .vpn_gateway_id("vpn-1")
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .ike_config(IkeConfig::new().psk("s3cret-psk"))
        .send()
        .await
        .unwrap();
    let sent = transport.requests()[0].clone();
    let ike = sent.param("IkeConfig").unwrap();
    assert!(ike.contains("\"Psk\":\"s3cret-psk\""), "{ike}");

    client
        .tag_resources()
        .region_id(REGION)
        .resource_type(vpn_gateway::types::TagResourceType::VpnGateway)
        .resource_id("vpn-1")
        .tag(vpn_gateway::types::Tag::new().key("env").value("prod"))
        .tag(vpn_gateway::types::Tag::new().key("team").value("net"))
        .send()
        .await
        .unwrap();
    let sent = transport.requests()[1].clone();
    assert_eq!(sent.param("ResourceId.1").as_deref(), Some("vpn-1"));
    assert_eq!(sent.param("Tag.2.Key").as_deref(), Some("team"));
    assert_eq!(sent.param("Tag.2.Value").as_deref(), Some("net"));
}

#[tokio::test]
async fn service_errors_are_typed_and_carry_the_request_id() {
    let transport = ReplayTransport::new();
    transport.push_json(
        400,
        r#"{"RequestId":"R-busy","HostId":"vpc.aliyuncs.com","Code":"VpnGateway.Configuring","Message":"The specified service is configuring.","Recommend":"https://api.aliyun.com/troubleshoot?q=VpnGateway.Configuring"}"#,
    );
    let client = client_with(&transport, RetryPolicy::disabled());
    let err = client
        .delete_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.request_id(), Some("R-busy"));
    let service = err.as_service_error().unwrap();
    assert!(service.is(vpn_gateway::operation::delete_vpn_gateway::DeleteVpnGatewayErrorKind::VpnGatewayConfiguring));
    assert_eq!(service.meta().host_id(), Some("vpc.aliyuncs.com"));
    assert!(service.meta().recommend().is_some());
    let shown = err.to_string();
    assert!(
        shown.contains("VpnGateway.Configuring") && shown.contains("R-busy"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_retried_create_reuses_its_client_token() {
    let transport = ReplayTransport::new();
    transport.push_json(
        503,
        r#"{"RequestId":"R-1","Code":"ServiceUnavailable","Message":"try later"}"#,
    );
    transport.push_json(200, r#"{"RequestId":"R-2","VpnRouteEntryId":"x"}"#);
    let client = client_with(
        &transport,
        RetryPolicy::standard().with_initial_backoff(Duration::from_millis(1)),
    );
    client
        .create_vpn_route_entry()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .route_dest("10.0.0.0/24")
        .next_hop("vco-1")
        .weight(vpn_gateway::types::VpnRouteWeight::HighPriority)
        .publish_vpc(false)
        .send()
        .await
        .unwrap();
    let requests = transport.requests();
    assert_eq!(requests.len(), 2);
    let first = requests[0].param("ClientToken").unwrap();
    assert_eq!(requests[1].param("ClientToken").unwrap(), first);
    assert!(!first.is_empty());
}

fn gateways_page(page: u32, ids: &[&str], total: u32) -> String {
    let items: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"VpnGatewayId":"{id}","Status":"active"}}"#))
        .collect();
    format!(
        r#"{{"RequestId":"R-{page}","PageNumber":{page},"PageSize":2,"TotalCount":{total},"VpnGateways":{{"VpnGateway":[{}]}}}}"#,
        items.join(",")
    )
}

#[tokio::test]
async fn the_paginator_walks_every_page_and_stops_after_the_last() {
    let transport = ReplayTransport::new();
    transport.push_json(200, gateways_page(1, &["vpn-1", "vpn-2"], 5));
    transport.push_json(200, gateways_page(2, &["vpn-3", "vpn-4"], 5));
    transport.push_json(200, gateways_page(3, &["vpn-5"], 5));
    let client = client_with(&transport, RetryPolicy::standard());
    let ids: Vec<String> = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .page_size(2)
        .into_items()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|g| g.vpn_gateway_id)
        .collect();
    assert_eq!(ids, ["vpn-1", "vpn-2", "vpn-3", "vpn-4", "vpn-5"]);
    let pages: Vec<String> = transport
        .requests()
        .iter()
        .filter_map(|r| r.param("PageNumber"))
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert_eq!(transport.remaining(), 0);
}

#[tokio::test]
async fn next_token_listings_follow_the_token() {
    let transport = ReplayTransport::new();
    transport.push_json(
        200,
        r#"{"RequestId":"R1","NextToken":"t2","TagResources":{"TagResource":[{"ResourceId":"vpn-1","TagKey":"a"}]}}"#,
    );
    transport.push_json(
        200,
        r#"{"RequestId":"R2","NextToken":"","TagResources":{"TagResource":[{"ResourceId":"vpn-1","TagKey":"b"}]}}"#,
    );
    let client = client_with(&transport, RetryPolicy::standard());
    let mut pages = client
        .list_tag_resources()
        .region_id(REGION)
        .resource_type(vpn_gateway::types::TagResourceType::VpnGateway)
        .resource_id("vpn-1")
        .into_paginator();
    let mut keys = Vec::new();
    while let Some(page) = pages.next().await {
        keys.extend(
            page.unwrap()
                .tag_resources()
                .iter()
                .filter_map(|t| t.tag_key.clone()),
        );
    }
    assert_eq!(keys, ["a", "b"]);
    let tokens: Vec<Option<String>> = transport
        .requests()
        .iter()
        .map(|r| r.param("NextToken"))
        .collect();
    assert_eq!(tokens, [None, Some("t2".to_owned())]);
}

fn gateway(status: &str) -> String {
    format!(r#"{{"RequestId":"R","VpnGatewayId":"vpn-1","Status":"{status}"}}"#)
}

#[tokio::test]
async fn the_waiter_polls_until_the_gateway_is_active() {
    let transport = ReplayTransport::new();
    for status in ["updating", "updating", "active"] {
        transport.push_json(200, gateway(status));
    }
    let client = client_with(&transport, RetryPolicy::standard());
    let out = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .wait_until_active(fast_waiter(Duration::from_secs(10)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.status.map(|s| s.to_string()).as_deref(), Some("active"));
    assert_eq!(transport.requests().len(), 3);
}

#[tokio::test]
async fn the_delete_waiter_succeeds_when_the_gateway_is_gone() {
    let transport = ReplayTransport::new();
    transport.push_json(200, gateway("deleting"));
    transport.push_json(
        404,
        r#"{"RequestId":"R","Code":"InvalidVpnGatewayInstanceId.NotFound","Message":"gone"}"#,
    );
    let client = client_with(&transport, RetryPolicy::standard());
    let out = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .wait_until_deleted(fast_waiter(Duration::from_secs(10)))
        .await
        .unwrap();
    assert!(out.is_none());
}

#[tokio::test]
async fn the_waiter_times_out_with_a_typed_error() {
    let transport = ReplayTransport::from_fn(|_| {
        Ok(vpn_gateway::runtime::HttpResponse::new(
            200,
            gateway("updating"),
        ))
    });
    let client = client_with(&transport, RetryPolicy::standard());
    let err = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .wait_until_active(fast_waiter(Duration::from_millis(30)))
        .await
        .unwrap_err();
    match err {
        WaitError::Timeout { last_status, .. } => {
            assert_eq!(last_status.as_deref(), Some("updating"));
        }
        other => panic!("expected a timeout, got {other}"),
    }
}

#[test]
fn pre_shared_keys_never_show_in_debug_output() {
    let config = IkeConfig::new().psk("s3cret-psk").ike_version("ikev2");
    let shown = format!("{config:?}");
    assert!(!shown.contains("s3cret-psk"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}

#[tokio::test]
async fn regions_resolve_to_the_documented_endpoints_over_https() {
    for (region, host) in [
        ("cn-hangzhou", "https://vpc.aliyuncs.com/"),
        ("cn-shanghai", "https://vpc.cn-shanghai.aliyuncs.com/"),
        ("ap-southeast-1", "https://vpc.ap-southeast-1.aliyuncs.com/"),
    ] {
        let transport = ReplayTransport::new();
        transport.push_json(200, r#"{"RequestId":"R"}"#);
        let config = vpn_gateway::Config::builder()
            .region(region)
            .credentials(vpn_gateway::Credentials::new("testid", "testsecret"))
            .transport(transport.clone())
            .build()
            .unwrap();
        vpn_gateway::Client::new(config)
            .describe_vpn_gateways()
            .region_id(region)
            .send()
            .await
            .unwrap();
        let url = transport.last_request().unwrap().http().url.clone();
        assert!(url.starts_with(host), "{region}: {url}");
    }
}

#[test]
fn case_insensitive_enums_and_strict_known_values() {
    use vpn_gateway::operation::create_vpn_route_entry::CreateVpnRouteEntryInput;
    use vpn_gateway::runtime::wire_params::decode::WireParams;
    // The service matches ResourceType regardless of case (spec: case_insensitive).
    assert_eq!(
        TagResourceType::from("VpnGateway"),
        TagResourceType::VpnGateway
    );
    assert_eq!(TagResourceType::VpnGateway.as_str(), "VPNGATEWAY");
    // A weight the SDK does not know passes client-side validation (forward compatible) but
    // not the strict check a server applies.
    let input = CreateVpnRouteEntryInput::from_params(&WireParams::new([("Weight", "7")])).unwrap();
    assert!(input.weight.as_ref().is_some_and(|w| !w.is_known()));
    let e = input.check_known_values().unwrap_err();
    assert_eq!(e.parameter(), "Weight");
}
