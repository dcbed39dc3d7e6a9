//! Dropping an in-flight call abandons it cleanly: the client stays usable and nothing is
//! retried or sent on behalf of the abandoned call afterwards.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use vpn_gateway::runtime::transport::{HttpRequest, HttpResponse, HttpTransport, TransportFuture};
use vpn_gateway::runtime::RetryPolicy;
use vpn_gateway::{Client, Config, Credentials};

/// Hangs on the first request, answers every later one.
#[derive(Debug, Default)]
struct HangsOnce {
    calls: AtomicUsize,
}

impl HttpTransport for HangsOnce {
    fn send(&self, _request: HttpRequest) -> TransportFuture<'_> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            if call == 0 {
                std::future::pending::<()>().await;
            }
            Ok(HttpResponse::new(
                200,
                r#"{"RequestId":"R","TotalCount":0,"VpnGateways":{"VpnGateway":[]}}"#,
            ))
        })
    }
}

#[tokio::test]
async fn a_dropped_call_leaves_the_client_usable() {
    let transport = Arc::new(HangsOnce::default());
    let config = Config::builder()
        .region("cn-hangzhou")
        .credentials(Credentials::new("testid", "testsecret"))
        .retry_policy(RetryPolicy::standard())
        .shared_transport(transport.clone())
        .build()
        .unwrap();
    let client = Client::new(config);

    let abandoned = tokio::time::timeout(
        Duration::from_millis(50),
        client
            .describe_vpn_gateways()
            .region_id("cn-hangzhou")
            .send(),
    )
    .await;
    assert!(abandoned.is_err(), "the first call hangs until dropped");

    let out = client
        .describe_vpn_gateways()
        .region_id("cn-hangzhou")
        .send()
        .await
        .unwrap();
    assert_eq!(out.total_count(), Some(0));
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        transport.calls.load(Ordering::SeqCst),
        2,
        "nothing resent for the dropped call"
    );
}
