//! The quick start: create a VPN gateway, wait until it is active, connect an office over
//! IPsec, route to it, tag the gateway, list everything, then clean up.
//!
//! ```sh
//! cargo run --example quickstart                 # against the embedded local emulator
//! cargo run --example quickstart -- --real-cloud # against Alibaba Cloud (creates billable
//!                                                # resources; needs ALIBABA_CLOUD_* credentials,
//!                                                # ALIBABA_CLOUD_REGION_ID and QUICKSTART_VPC_ID)
//! ```

use std::error::Error;
use std::time::Duration;
use vpn_gateway::types::{Bandwidth, IkeConfig, Tag, TagResourceType, VpnRouteWeight};
use vpn_gateway::{Client, Config, Credentials, WaiterConfig};
use vpn_gateway_emulator::{Emulator, EmulatorConfig};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    let real_cloud = std::env::args().any(|a| a == "--real-cloud");
    let has_credentials = std::env::var_os("ALIBABA_CLOUD_ACCESS_KEY_ID").is_some();
    let (client, region, vpc, emulator, waiter) = if real_cloud {
        let region = std::env::var("ALIBABA_CLOUD_REGION_ID")
            .map_err(|_| "--real-cloud needs ALIBABA_CLOUD_REGION_ID")?;
        let vpc = std::env::var("QUICKSTART_VPC_ID")
            .map_err(|_| "--real-cloud needs QUICKSTART_VPC_ID (an existing VPC)")?;
        println!("Using Alibaba Cloud in {region}: this creates billable resources.");
        let waiter = WaiterConfig::new(Duration::from_secs(900));
        (Client::from_env().await?, region, vpc, None, waiter)
    } else {
        if has_credentials {
            println!(
                "Credentials found, but --real-cloud was not given: using the local emulator."
            );
        }
        let emulator = Emulator::start(EmulatorConfig::default()).await?;
        println!("Started the local emulator at {}", emulator.url());
        let config = Config::builder()
            .region("cn-hangzhou")
            .endpoint(emulator.url())
            .allow_http(true)
            .credentials(Credentials::new("testid", "testsecret"))
            .build()?;
        let waiter = WaiterConfig::new(Duration::from_secs(30))
            .with_delays(Duration::from_millis(50), Duration::from_millis(500));
        (
            Client::new(config),
            "cn-hangzhou".to_owned(),
            "vpc-quickstart0000000000".to_owned(),
            Some(emulator),
            waiter,
        )
    };
    let region = region.as_str();

    let gw = client
        .create_vpn_gateway()
        .region_id(region)
        .vpc_id(&vpc)
        .bandwidth(Bandwidth::Mbps5)
        .name("quickstart")
        .send()
        .await?;
    let gw = gw.vpn_gateway_id().to_owned();
    println!("Created VPN gateway {gw}; waiting until it is active...");
    let wait_active = || {
        client
            .describe_vpn_gateway()
            .region_id(region)
            .vpn_gateway_id(&gw)
            .wait_until_active(waiter)
    };
    wait_active().await?;
    println!("Gateway {gw} is active.");

    let cgw = client
        .create_customer_gateway()
        .region_id(region)
        .ip_address("203.0.113.10")
        .name("office")
        .send()
        .await?
        .customer_gateway_id()
        .to_owned();
    println!("Created customer gateway {cgw} for the office at 203.0.113.10.");

    let vco = client
        .create_vpn_connection()
        .region_id(region)
        .vpn_gateway_id(&gw)
        .customer_gateway_id(&cgw)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .name("office-tunnel")
        .ike_config(IkeConfig::new().psk("quickstart-pre-shared-key"))
        .send()
        .await?
        .vpn_connection_id()
        .to_owned();
    println!("Created IPsec connection {vco}.");
    wait_active().await?;

    client
        .create_vpn_route_entry()
        .region_id(region)
        .vpn_gateway_id(&gw)
        .route_dest("192.168.0.0/24")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .publish_vpc(false)
        .send()
        .await?;
    println!("Added a destination route 192.168.0.0/24 via {vco}.");
    wait_active().await?;

    client
        .tag_resources()
        .region_id(region)
        .resource_type(TagResourceType::VpnGateway)
        .resource_id(gw.as_str())
        .tag(Tag::new().key("project").value("quickstart"))
        .send()
        .await?;
    println!("Tagged {gw} with project=quickstart.");

    println!("Everything in {region}:");
    let mut gateways = client
        .describe_vpn_gateways()
        .region_id(region)
        .into_items();
    while let Some(g) = gateways.next().await {
        let g = g?;
        println!(
            "  gateway    {} {}",
            g.vpn_gateway_id.as_deref().unwrap_or("?"),
            g.status.map(|s| s.to_string()).unwrap_or_default()
        );
    }
    for c in client
        .describe_customer_gateways()
        .region_id(region)
        .into_items()
        .try_collect()
        .await?
    {
        println!(
            "  customer   {} {}",
            c.customer_gateway_id.as_deref().unwrap_or("?"),
            c.ip_address.as_deref().unwrap_or("?")
        );
    }
    for c in client
        .describe_vpn_connections()
        .region_id(region)
        .into_items()
        .try_collect()
        .await?
    {
        println!(
            "  connection {} {}",
            c.vpn_connection_id.as_deref().unwrap_or("?"),
            c.status.map(|s| s.to_string()).unwrap_or_default()
        );
    }
    for r in client
        .describe_vpn_route_entries()
        .region_id(region)
        .vpn_gateway_id(&gw)
        .into_items()
        .try_collect()
        .await?
    {
        println!(
            "  route      {} -> {}",
            r.route_dest.as_deref().unwrap_or("?"),
            r.next_hop.as_deref().unwrap_or("?")
        );
    }

    println!("Cleaning up...");
    client
        .delete_vpn_route_entry()
        .region_id(region)
        .vpn_gateway_id(&gw)
        .route_dest("192.168.0.0/24")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .send()
        .await?;
    wait_active().await?;
    client
        .delete_vpn_connection()
        .region_id(region)
        .vpn_connection_id(&vco)
        .send()
        .await?;
    wait_active().await?;
    client
        .delete_customer_gateway()
        .region_id(region)
        .customer_gateway_id(&cgw)
        .send()
        .await?;
    client
        .delete_vpn_gateway()
        .region_id(region)
        .vpn_gateway_id(&gw)
        .send()
        .await?;
    client
        .describe_vpn_gateway()
        .region_id(region)
        .vpn_gateway_id(&gw)
        .wait_until_deleted(waiter)
        .await?;
    println!("Deleted the route, the connection, the customer gateway and the gateway.");

    if let Some(emulator) = emulator {
        emulator.stop().await;
    }
    Ok(())
}
