//! Shared set-up for the tests that drive the generated SDK the way users do.

use vpn_gateway::runtime::transport::test_util::ReplayTransport;
use vpn_gateway::runtime::RetryPolicy;
use vpn_gateway::{Client, Config, Credentials};

/// The region every test uses.
pub const REGION: &str = "cn-hangzhou";

/// A client whose requests go to `transport` instead of the network.
pub fn client_with(transport: &ReplayTransport, retry: RetryPolicy) -> Client {
    let config = Config::builder()
        .region(REGION)
        .credentials(Credentials::new("testid", "testsecret"))
        .retry_policy(retry)
        .transport(transport.clone())
        .build();
    match config {
        Ok(config) => Client::new(config),
        Err(e) => panic!("test configuration rejected: {e}"),
    }
}
