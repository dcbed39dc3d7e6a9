//! `Config::from_env` reads the default credential chain and the region. Its own test binary,
//! because it sets process environment variables.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

mod common;

use vpn_gateway_runtime::{Config, RpcClient};

#[tokio::test]
async fn from_env_uses_the_chain_and_the_region() {
    // Only this test runs in this process, so changing the environment is race-free.
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id");
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret");
    std::env::set_var("ALIBABA_CLOUD_REGION_ID", "eu-central-1");
    std::env::set_var("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    std::env::set_var("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true");

    let config = Config::from_env().await.unwrap();
    assert_eq!(config.region(), Some("eu-central-1"));
    let credentials = config
        .credentials_provider()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "env-id");
    let client = RpcClient::new(&common::VPC, config);
    assert_eq!(
        client.endpoint().to_string(),
        "https://vpc.eu-central-1.aliyuncs.com"
    );
}
