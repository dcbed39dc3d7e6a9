//! Paginators as a user sees them, against canned pages: each style ends by its own rule (an
//! empty page is not the end), no page is requested twice, and a listing the service does not
//! advance ends with `SdkError::Pagination` after the pages it did return.

use vpn_gateway::runtime::transport::test_util::ReplayTransport;
use vpn_gateway::runtime::{PaginationErrorKind, RetryPolicy};
use vpn_gateway::types::TagResourceType;
use vpn_gateway::SdkError;
use vpn_gateway_tests::{client_with, REGION};

/// A listing that never ends fails the test instead of hanging it.
fn assert_bounded(transport: &ReplayTransport) {
    assert!(
        transport.requests().len() <= 100,
        "the paginator keeps requesting pages"
    );
}

fn tags_page(request_id: &str, next_token: Option<&str>, keys: &[&str]) -> String {
    let items: Vec<String> = keys
        .iter()
        .map(|k| format!(r#"{{"ResourceId":"vpn-1","ResourceType":"VpnGateWay","TagKey":"{k}","TagValue":"v"}}"#))
        .collect();
    let token = next_token.map_or(String::new(), |t| format!(r#""NextToken":"{t}","#));
    format!(
        r#"{{"RequestId":"{request_id}",{token}"TagResources":{{"TagResource":[{}]}}}}"#,
        items.join(",")
    )
}

type ListTagResourcesError =
    SdkError<vpn_gateway::operation::list_tag_resources::ListTagResourcesError>;

/// Every tag key listed, the error the listing ended with, and the tokens requested.
async fn list_tags(
    transport: &ReplayTransport,
) -> (
    Vec<String>,
    Option<ListTagResourcesError>,
    Vec<Option<String>>,
) {
    let mut items = client_with(transport, RetryPolicy::disabled())
        .list_tag_resources()
        .region_id(REGION)
        .resource_type(TagResourceType::VpnGateway)
        .resource_id("vpn-1")
        .into_items();
    let mut keys = Vec::new();
    let mut error = None;
    while let Some(item) = items.next().await {
        assert_bounded(transport);
        match item {
            Ok(tag) => keys.extend(tag.tag_key),
            Err(e) => {
                error = Some(e);
                assert!(items.next().await.is_none(), "the error is the last item");
                break;
            }
        }
    }
    let tokens = transport
        .requests()
        .iter()
        .map(|r| r.param("NextToken"))
        .collect();
    (keys, error, tokens)
}

fn pagination_kind(error: &Option<ListTagResourcesError>) -> Option<PaginationErrorKind> {
    match error {
        Some(SdkError::Pagination(e)) => Some(e.kind()),
        _ => None,
    }
}

#[tokio::test]
async fn an_empty_page_with_a_next_token_is_not_the_end() {
    let transport = ReplayTransport::new();
    transport.push_json(
        200,
        r#"{"RequestId":"R1","NextToken":"T1","TagResources":{"TagResource":[]}}"#,
    );
    transport.push_json(200, tags_page("R2", Some(""), &["env"]));
    let (keys, error, tokens) = list_tags(&transport).await;
    assert_eq!(keys, ["env"]);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(tokens, [None, Some("T1".to_owned())]);
}

#[tokio::test]
async fn a_next_token_listing_ends_on_an_absent_or_empty_token_only() {
    for last in [None, Some("")] {
        let transport = ReplayTransport::new();
        transport.push_json(200, tags_page("R1", Some("T1"), &["a"]));
        transport.push_json(200, tags_page("R2", Some("T2"), &[]));
        transport.push_json(200, tags_page("R3", Some("T3"), &[]));
        transport.push_json(200, tags_page("R4", last, &["b", "c"]));
        let (keys, error, tokens) = list_tags(&transport).await;
        assert_eq!(keys, ["a", "b", "c"], "last token {last:?}");
        assert!(error.is_none(), "{error:?}");
        assert_eq!(tokens.len(), 4);
        assert_eq!(transport.remaining(), 0);
    }
}

#[tokio::test]
async fn the_same_next_token_on_every_page_ends_with_a_typed_error() {
    // The service answers NextToken "A" forever.
    let transport = ReplayTransport::from_fn(|_| {
        let body = tags_page("R-A", Some("A"), &["k"]);
        Ok(vpn_gateway::runtime::HttpResponse::new(200, body))
    });
    let (keys, error, tokens) = list_tags(&transport).await;
    assert_eq!(keys, ["k", "k"], "both pages received are yielded");
    assert_eq!(tokens, [None, Some("A".to_owned())]);
    assert_eq!(
        pagination_kind(&error),
        Some(PaginationErrorKind::RepeatedToken)
    );
    let error = error.unwrap();
    assert_eq!(error.request_id(), Some("R-A"));
    assert!(error.to_string().contains("did not advance"), "{error}");
}

#[tokio::test]
async fn a_next_token_cycle_ends_before_any_page_is_requested_twice() {
    let transport = ReplayTransport::new();
    transport.push_json(200, tags_page("R1", Some("A"), &["1"]));
    transport.push_json(200, tags_page("R2", Some("B"), &["2"]));
    transport.push_json(200, tags_page("R3", Some("A"), &["3"]));
    transport.push_json(200, tags_page("R4", Some(""), &["never"]));
    let (keys, error, tokens) = list_tags(&transport).await;
    assert_eq!(keys, ["1", "2", "3"]);
    assert_eq!(tokens, [None, Some("A".to_owned()), Some("B".to_owned())]);
    assert_eq!(
        pagination_kind(&error),
        Some(PaginationErrorKind::RepeatedToken)
    );
    assert_eq!(transport.remaining(), 1);
}

#[tokio::test]
async fn endless_empty_pages_end_with_a_typed_error() {
    // Fresh tokens, never an item.
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let transport = ReplayTransport::from_fn(move |_| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let body = tags_page("R", Some(&format!("T{n}")), &[]);
        Ok(vpn_gateway::runtime::HttpResponse::new(200, body))
    });
    let (keys, error, tokens) = list_tags(&transport).await;
    assert!(keys.is_empty());
    assert!(matches!(
        pagination_kind(&error),
        Some(PaginationErrorKind::EmptyPages { .. })
    ));
    let limit = vpn_gateway::runtime::paginate::DEFAULT_MAX_EMPTY_PAGES as usize;
    assert_eq!(tokens.len(), limit + 1);
}

fn gateways_page(request_id: &str, page: i64, size: i64, total: i64, ids: &[&str]) -> String {
    let items: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"VpnGatewayId":"{id}","Status":"active"}}"#))
        .collect();
    format!(
        r#"{{"RequestId":"{request_id}","PageNumber":{page},"PageSize":{size},"TotalCount":{total},"VpnGateways":{{"VpnGateway":[{}]}}}}"#,
        items.join(",")
    )
}

type DescribeError =
    SdkError<vpn_gateway::operation::describe_vpn_gateways::DescribeVpnGatewaysError>;

/// Every gateway ID listed, the error the listing ended with, and the pages requested.
async fn list_gateways(
    transport: &ReplayTransport,
    page_size: Option<i32>,
) -> (Vec<String>, Option<DescribeError>, Vec<String>) {
    let mut builder = client_with(transport, RetryPolicy::disabled())
        .describe_vpn_gateways()
        .region_id(REGION);
    if let Some(size) = page_size {
        builder = builder.page_size(size);
    }
    let mut items = builder.into_items();
    let mut ids = Vec::new();
    let mut error = None;
    while let Some(item) = items.next().await {
        assert_bounded(transport);
        match item {
            Ok(gateway) => ids.extend(gateway.vpn_gateway_id),
            Err(e) => {
                error = Some(e);
                assert!(items.next().await.is_none(), "the error is the last item");
                break;
            }
        }
    }
    let pages = transport
        .requests()
        .iter()
        .filter_map(|r| r.param("PageNumber"))
        .collect();
    (ids, error, pages)
}

#[tokio::test]
async fn a_page_number_listing_ends_when_page_times_size_reaches_the_total() {
    // Page 2 is short (the service filtered an entry) but the total says one more page exists.
    let transport = ReplayTransport::new();
    transport.push_json(200, gateways_page("R1", 1, 2, 5, &["vpn-1", "vpn-2"]));
    transport.push_json(200, gateways_page("R2", 2, 2, 5, &["vpn-3"]));
    transport.push_json(200, gateways_page("R3", 3, 2, 5, &["vpn-5"]));
    let (ids, error, pages) = list_gateways(&transport, Some(2)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["vpn-1", "vpn-2", "vpn-3", "vpn-5"]);
    assert_eq!(pages, ["1", "2", "3"]);
    assert_eq!(transport.remaining(), 0);
}

#[tokio::test]
async fn a_page_number_the_service_does_not_advance_ends_with_a_typed_error() {
    // The service ignores PageNumber and serves page 1 every time.
    let transport = ReplayTransport::from_fn(|_| {
        let body = gateways_page("R-1", 1, 2, 10, &["vpn-1", "vpn-2"]);
        Ok(vpn_gateway::runtime::HttpResponse::new(200, body))
    });
    let (ids, error, pages) = list_gateways(&transport, Some(2)).await;
    assert_eq!(ids, ["vpn-1", "vpn-2", "vpn-1", "vpn-2"]);
    assert_eq!(pages, ["1", "2"]);
    match error {
        Some(SdkError::Pagination(e)) => assert_eq!(
            e.kind(),
            PaginationErrorKind::PageNumberMismatch {
                requested: 2,
                returned: 1
            }
        ),
        other => panic!("expected a pagination error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_total_count_that_never_runs_out_ends_with_a_typed_error() {
    // TotalCount announces far more than the pages hold: the first empty page inside it ends
    // the listing instead of walking two billion empty pages.
    let transport = ReplayTransport::from_fn(|request| {
        let page: i64 = request
            .params()
            .iter()
            .find(|(k, _)| k == "PageNumber")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        let ids: &[&str] = if page == 1 { &["vpn-1"] } else { &[] };
        let body = gateways_page("R", page, 10, i64::from(i32::MAX), ids);
        Ok(vpn_gateway::runtime::HttpResponse::new(200, body))
    });
    let (ids, error, pages) = list_gateways(&transport, None).await;
    assert_eq!(ids, ["vpn-1"]);
    assert_eq!(pages, ["1", "2"]);
    assert!(
        matches!(&error, Some(SdkError::Pagination(e)) if e.kind() == PaginationErrorKind::EmptyPages { count: 1 }),
        "{error:?}"
    );
}
