//! End to end: the generated client against the local emulator over HTTP, every one of the 39
//! operations on its success path, the way a user automates a VPN gateway.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

use std::time::Duration;
use vpn_gateway::runtime::RetryPolicy;
use vpn_gateway::types::{
    Bandwidth, IkeConfig, Tag, TagResourceType, VpnRouteType, VpnRouteWeight,
};
use vpn_gateway::{Client, Config, Credentials, WaiterConfig};
use vpn_gateway_emulator::{Emulator, EmulatorConfig};

const REGION: &str = "cn-hangzhou";

fn waiter() -> WaiterConfig {
    WaiterConfig::new(Duration::from_secs(20))
        .with_delays(Duration::from_millis(20), Duration::from_millis(100))
}

async fn start() -> (Emulator, Client) {
    let config = EmulatorConfig {
        transition: Duration::from_millis(50),
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).await.unwrap();
    let client = Client::new(
        Config::builder()
            .region(REGION)
            .endpoint(emulator.url())
            .allow_http(true)
            .credentials(Credentials::new("testid", "testsecret"))
            // A gateway is `updating` for 50 ms after each change; with full jitter three
            // attempts can all land inside that on a loaded machine, eight cannot.
            .retry_policy(RetryPolicy::standard().with_max_attempts(8))
            .build()
            .unwrap(),
    );
    (emulator, client)
}

async fn wait_active(client: &Client, gateway: &str) {
    client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(gateway)
        .wait_until_active(waiter())
        .await
        .unwrap();
}

#[tokio::test]
async fn every_operation_works_end_to_end() {
    let (emulator, client) = start().await;

    // VPN gateway: create, wait, describe, list, modify.
    let created = client
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-bp1ub1yt9cvakoelj0001")
        .bandwidth(Bandwidth::Mbps10)
        .name("gw-e2e")
        .enable_ssl(true)
        .send()
        .await
        .unwrap();
    let gw = created.vpn_gateway_id().to_owned();
    assert!(gw.starts_with("vpn-"), "{gw}");
    wait_active(&client, &gw).await;
    let described = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(described.name(), Some("gw-e2e"));
    assert_eq!(
        described.status().map(|s| s.to_string()).as_deref(),
        Some("active")
    );
    let listed = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .into_items()
        .try_collect()
        .await
        .unwrap();
    assert!(listed
        .iter()
        .any(|g| g.vpn_gateway_id.as_deref() == Some(gw.as_str())));
    let modified = client
        .modify_vpn_gateway_attribute()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .name("gw-renamed")
        .description("managed end to end")
        .send()
        .await
        .unwrap();
    assert_eq!(modified.name(), Some("gw-renamed"));

    // Tags.
    client
        .tag_resources()
        .region_id(REGION)
        .resource_type(TagResourceType::VpnGateway)
        .resource_id(gw.as_str())
        .tag(Tag::new().key("env").value("test"))
        .send()
        .await
        .unwrap();
    let tags = client
        .list_tag_resources()
        .region_id(REGION)
        .resource_type(TagResourceType::VpnGateway)
        .resource_id(gw.as_str())
        .send()
        .await
        .unwrap();
    assert!(tags
        .tag_resources()
        .iter()
        .any(|t| t.tag_key.as_deref() == Some("env")));
    client
        .un_tag_resources()
        .region_id(REGION)
        .resource_type(TagResourceType::VpnGateway)
        .resource_id(gw.as_str())
        .tag_key("env")
        .send()
        .await
        .unwrap();

    // Customer gateway.
    let cgw = client
        .create_customer_gateway()
        .region_id(REGION)
        .ip_address("203.0.113.10")
        .name("office")
        .send()
        .await
        .unwrap()
        .customer_gateway_id()
        .to_owned();
    assert_eq!(
        client
            .modify_customer_gateway_attribute()
            .region_id(REGION)
            .customer_gateway_id(&cgw)
            .name("office-hq")
            .send()
            .await
            .unwrap()
            .name(),
        Some("office-hq")
    );
    assert_eq!(
        client
            .describe_customer_gateway()
            .region_id(REGION)
            .customer_gateway_id(&cgw)
            .send()
            .await
            .unwrap()
            .name(),
        Some("office-hq")
    );
    let cgws = client
        .describe_customer_gateways()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(cgws.customer_gateways().len(), 1);

    // IPsec connection.
    let vco = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .customer_gateway_id(&cgw)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .name("tunnel")
        .ike_config(IkeConfig::new().psk("e2e-pre-shared-key"))
        .send()
        .await
        .unwrap()
        .vpn_connection_id()
        .to_owned();
    wait_active(&client, &gw).await;
    let connection = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(connection.name(), Some("tunnel"));
    assert!(!format!("{connection:?}").contains("e2e-pre-shared-key"));
    let connections = client
        .describe_vpn_connections()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(connections.vpn_connections().len(), 1);
    client
        .modify_vpn_connection_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .name("tunnel-2")
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;
    let config = client
        .download_vpn_connection_config()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert!(config.vpn_connection_config().is_some());

    // Destination-based routes.
    client
        .create_vpn_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .publish_vpc(false)
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;
    let routes = client
        .describe_vpn_route_entries()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(routes.vpn_route_entries().len(), 1);
    client
        .modify_vpn_route_entry_weight()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .new_weight(VpnRouteWeight::LowPriority)
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;
    client
        .publish_vpn_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .route_type(VpnRouteType::Dbr)
        .publish_vpc(true)
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;
    client
        .delete_vpn_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::LowPriority)
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;

    // Policy-based routes.
    client
        .create_vpn_pbr_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_source("10.0.0.0/24")
        .route_dest("172.17.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .publish_vpc(false)
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;
    let pbr = client
        .describe_vpn_pbr_route_entries()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(pbr.vpn_pbr_route_entries().len(), 1);
    client
        .modify_vpn_pbr_route_entry_weight()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_source("10.0.0.0/24")
        .route_dest("172.17.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .new_weight(VpnRouteWeight::LowPriority)
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;
    client
        .delete_vpn_pbr_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_source("10.0.0.0/24")
        .route_dest("172.17.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::LowPriority)
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;

    // Routes of the IPsec connection.
    let vco_routes = client
        .describe_vco_route_entries()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    if let Some(route) = vco_routes.vco_route_entries().first() {
        client
            .delete_vco_route_entry()
            .region_id(REGION)
            .vpn_connection_id(&vco)
            .route_dest(route.route_dest.clone().unwrap_or_default())
            .next_hop(route.next_hop.clone().unwrap_or_default())
            .weight(route.weight.clone().unwrap_or(VpnRouteWeight::HighPriority))
            .send()
            .await
            .unwrap();
    } else {
        // No route to delete: the documented not-found path.
        let err = client
            .delete_vco_route_entry()
            .region_id(REGION)
            .vpn_connection_id(&vco)
            .route_dest("172.18.0.0/16")
            .next_hop(&vco)
            .weight(VpnRouteWeight::HighPriority)
            .send()
            .await
            .unwrap_err();
        assert!(err.as_service_error().is_some(), "{err}");
    }

    // SSL-VPN.
    let server = client
        .create_ssl_vpn_server()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .local_subnet("10.0.0.0/24")
        .client_ip_pool("192.168.100.0/24")
        .name("ssl")
        .send()
        .await
        .unwrap()
        .ssl_vpn_server_id()
        .to_owned();
    wait_active(&client, &gw).await;
    assert_eq!(
        client
            .modify_ssl_vpn_server()
            .region_id(REGION)
            .ssl_vpn_server_id(&server)
            .name("ssl-2")
            .send()
            .await
            .unwrap()
            .name(),
        Some("ssl-2")
    );
    wait_active(&client, &gw).await;
    let servers = client
        .describe_ssl_vpn_servers()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(servers.ssl_vpn_servers().len(), 1);
    let cert = client
        .create_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_server_id(&server)
        .name("laptop")
        .send()
        .await
        .unwrap()
        .ssl_vpn_client_cert_id()
        .to_owned();
    assert_eq!(
        client
            .modify_ssl_vpn_client_cert()
            .region_id(REGION)
            .ssl_vpn_client_cert_id(&cert)
            .name("laptop-2")
            .send()
            .await
            .unwrap()
            .name(),
        Some("laptop-2")
    );
    let certs = client
        .describe_ssl_vpn_client_certs()
        .region_id(REGION)
        .ssl_vpn_server_id(&server)
        .send()
        .await
        .unwrap();
    assert_eq!(certs.ssl_vpn_client_cert_keys().len(), 1);
    client
        .describe_vpn_ssl_server_logs()
        .region_id(REGION)
        .vpn_ssl_server_id(&server)
        .minute_period(10)
        .send()
        .await
        .unwrap();
    client
        .delete_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_client_cert_id(&cert)
        .send()
        .await
        .unwrap();
    client
        .delete_ssl_vpn_server()
        .region_id(REGION)
        .ssl_vpn_server_id(&server)
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;

    // Clean up: connection, customer gateway, gateway (and wait until it is gone).
    client
        .delete_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    wait_active(&client, &gw).await;
    client
        .delete_customer_gateway()
        .region_id(REGION)
        .customer_gateway_id(&cgw)
        .send()
        .await
        .unwrap();
    client
        .delete_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .wait_until_deleted(waiter())
        .await
        .unwrap();
    assert!(gone.is_none());
    emulator.stop().await;
}
