//! The README's quick start, compiled by `cargo test` so it cannot rot.

use std::time::Duration;
use vpn_gateway::operation::delete_vpn_gateway::DeleteVpnGatewayErrorKind;
use vpn_gateway::types::Bandwidth;
use vpn_gateway::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Credentials from the official default chain (environment, OIDC, ~/.aliyun/config.json,
    // ~/.alibabacloud/credentials.ini, ECS RAM role); region from ALIBABA_CLOUD_REGION_ID.
    let client = Client::from_env().await?;

    // Every documented constraint is checked before anything is sent.
    let gw = client
        .create_vpn_gateway()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-bp1ub1yt9cvakoelj****")
        .bandwidth(Bandwidth::Mbps5)
        .send()
        .await?;

    // Wait until the gateway is active (polls DescribeVpnGateway with backoff).
    client
        .describe_vpn_gateway()
        .region_id("cn-hangzhou")
        .vpn_gateway_id(gw.vpn_gateway_id())
        .wait_until_active(Duration::from_secs(600))
        .await?;

    // Every gateway in the region, across pages.
    let mut gateways = client
        .describe_vpn_gateways()
        .region_id("cn-hangzhou")
        .into_items();
    while let Some(gateway) = gateways.next().await {
        println!("{:?}", gateway?.vpn_gateway_id);
    }

    // Typed errors per operation.
    match client
        .delete_vpn_gateway()
        .region_id("cn-hangzhou")
        .vpn_gateway_id(gw.vpn_gateway_id())
        .send()
        .await
    {
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is(DeleteVpnGatewayErrorKind::VpnGatewayConfiguring)) =>
        {
            println!(
                "gateway busy, try again later: {}",
                e.code().unwrap_or_default()
            );
        }
        other => {
            other?;
        }
    }
    Ok(())
}
