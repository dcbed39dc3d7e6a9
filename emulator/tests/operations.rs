//! The semantics of the 39 operations through the SDK: lifecycle, pagination (PageNumber and
//! NextToken), and a walk through every operation.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::time::Duration;
use vpn_gateway::types::{
    Bandwidth, Tag, TagResourceType, VpnGatewayStatus, VpnRouteType, VpnRouteWeight,
};

#[tokio::test]
async fn gateways_go_init_to_active_and_updating_to_active() {
    let emulator = emulator_with(|c| c.transition = Duration::from_millis(20)).await;
    let client = client(&emulator);
    let id = client
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-a")
        .bandwidth(Bandwidth::Mbps5)
        .send()
        .await
        .unwrap()
        .vpn_gateway_id;
    emulator.set_transition(Duration::from_secs(3600));
    let status = |client: vpn_gateway::Client, id: String| async move {
        client
            .describe_vpn_gateway()
            .region_id(REGION)
            .vpn_gateway_id(id)
            .send()
            .await
            .unwrap()
            .status
            .unwrap()
    };
    let waited = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&id)
        .wait_until_active(Duration::from_secs(60))
        .await;
    assert!(waited.is_ok(), "{waited:?}");
    assert_eq!(
        status(client.clone(), id.clone()).await,
        VpnGatewayStatus::Active
    );
    // A connection change puts the gateway in `updating` (for an hour now).
    connection(&client, &id, "116.62.69.9").await;
    assert_eq!(
        status(client.clone(), id.clone()).await,
        VpnGatewayStatus::Updating
    );
    emulator.stop().await;
}

#[tokio::test]
async fn listings_paginate_by_page_number_and_next_token() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let mut ids = Vec::new();
    for i in 0..23 {
        ids.push(customer_gateway(&client, &format!("116.62.1.{}", i + 1)).await);
    }
    let page = client
        .describe_customer_gateways()
        .region_id(REGION)
        .page_number(3)
        .page_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (page.total_count, page.customer_gateways.len()),
        (Some(23), 3)
    );
    let mut all = Vec::new();
    let mut items = client
        .describe_customer_gateways()
        .region_id(REGION)
        .page_size(5)
        .into_items();
    while let Some(item) = items.next().await {
        all.push(item.unwrap().customer_gateway_id.unwrap());
    }
    all.sort();
    ids.sort();
    assert_eq!(all, ids);

    // 23 tagged gateways, 2 tags each: 46 rows over NextToken pages of 20.
    let mut gateways = Vec::new();
    for _ in 0..23 {
        gateways.push(gateway(&client).await);
    }
    for id in &gateways {
        for (k, v) in [("team", "net"), ("env", "test")] {
            tag(&client, id, k, v).await;
        }
    }
    let mut filter = Tag::default();
    filter.key = Some("team".into());
    let first = client
        .list_tag_resources()
        .region_id(REGION)
        .resource_type(TagResourceType::VpnGateway)
        .tag(filter.clone())
        .max_results(20)
        .send()
        .await
        .unwrap();
    assert_eq!(first.tag_resources.len(), 20);
    let token = first.next_token.clone().unwrap();
    assert!(!token.is_empty());
    let mut rows = first.tag_resources.len();
    let mut items = client
        .list_tag_resources()
        .region_id(REGION)
        .resource_type(TagResourceType::VpnGateway)
        .tag(filter.clone())
        .max_results(20)
        .next_token(token)
        .into_items();
    while let Some(item) = items.next().await {
        item.unwrap();
        rows += 1;
    }
    assert_eq!(rows, 46);
    let bad = client
        .list_tag_resources()
        .region_id(REGION)
        .resource_type(TagResourceType::VpnGateway)
        .tag(filter)
        .next_token("not-a-token")
        .send()
        .await;
    assert_eq!(code(bad), "InvalidNextToken");
}

#[tokio::test]
async fn every_operation_round_trips() {
    let emulator = emulator().await;
    let c = client(&emulator);
    let gw = gateway(&c).await;
    c.modify_vpn_gateway_attribute()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .name("renamed")
        .description("A described gateway")
        .send()
        .await
        .unwrap();
    let listed = c
        .describe_vpn_gateways()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.vpn_gateways[0].name.as_deref(), Some("renamed"));

    let cgw = customer_gateway(&c, "116.62.69.12").await;
    c.modify_customer_gateway_attribute()
        .region_id(REGION)
        .customer_gateway_id(&cgw)
        .name("office")
        .send()
        .await
        .unwrap();
    let d = c
        .describe_customer_gateway()
        .region_id(REGION)
        .customer_gateway_id(&cgw)
        .send()
        .await
        .unwrap();
    assert_eq!(d.name.as_deref(), Some("office"));

    let vco = c
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .customer_gateway_id(&cgw)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .send()
        .await
        .unwrap()
        .vpn_connection_id;
    c.modify_vpn_connection_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .remote_subnet("192.168.1.0/24")
        .send()
        .await
        .unwrap();
    let described = c
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(described.remote_subnet.as_deref(), Some("192.168.1.0/24"));
    let listed = c
        .describe_vpn_connections()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(1));
    let config = c
        .download_vpn_connection_config()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap()
        .vpn_connection_config
        .unwrap();
    assert_eq!(config.remote.as_deref(), Some("116.62.69.12"));
    assert!(config.ike_config.unwrap().psk.is_some());

    c.create_vpn_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .publish_vpc(false)
        .send()
        .await
        .unwrap();
    c.publish_vpn_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .route_type(VpnRouteType::Dbr)
        .publish_vpc(true)
        .send()
        .await
        .unwrap();
    c.modify_vpn_route_entry_weight()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .new_weight(VpnRouteWeight::LowPriority)
        .send()
        .await
        .unwrap();
    let routes = c
        .describe_vpn_route_entries()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(
        routes.vpn_route_entries[0].weight,
        Some(VpnRouteWeight::LowPriority)
    );
    let vco_routes = c
        .describe_vco_route_entries()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(vco_routes.total_count, Some(1));
    c.delete_vpn_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::LowPriority)
        .send()
        .await
        .unwrap();
    c.create_vpn_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.17.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .publish_vpc(false)
        .send()
        .await
        .unwrap();
    c.delete_vco_route_entry()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .route_dest("172.17.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .send()
        .await
        .unwrap();

    c.create_vpn_pbr_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_source("10.0.0.0/24")
        .route_dest("172.18.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .publish_vpc(false)
        .send()
        .await
        .unwrap();
    c.modify_vpn_pbr_route_entry_weight()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_source("10.0.0.0/24")
        .route_dest("172.18.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .new_weight(VpnRouteWeight::LowPriority)
        .send()
        .await
        .unwrap();
    let pbr = c
        .describe_vpn_pbr_route_entries()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pbr.vpn_pbr_route_entries[0].route_source.as_deref(),
        Some("10.0.0.0/24")
    );
    c.delete_vpn_pbr_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_source("10.0.0.0/24")
        .route_dest("172.18.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::LowPriority)
        .send()
        .await
        .unwrap();

    let vss = ssl_server(&c, &gw).await;
    let modified = c
        .modify_ssl_vpn_server()
        .region_id(REGION)
        .ssl_vpn_server_id(&vss)
        .port(1195)
        .send()
        .await
        .unwrap();
    assert_eq!(modified.port, Some(1195));
    let servers = c
        .describe_ssl_vpn_servers()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(servers.total_count, Some(1));
    let vsc = c
        .create_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_server_id(&vss)
        .name("laptop")
        .send()
        .await
        .unwrap()
        .ssl_vpn_client_cert_id;
    c.modify_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_client_cert_id(&vsc)
        .name("phone")
        .send()
        .await
        .unwrap();
    let certs = c
        .describe_ssl_vpn_client_certs()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(
        certs.ssl_vpn_client_cert_keys[0].name.as_deref(),
        Some("phone")
    );
    let logs = c
        .describe_vpn_ssl_server_logs()
        .region_id(REGION)
        .vpn_ssl_server_id(&vss)
        .from(0)
        .to(1)
        .minute_period(1)
        .send()
        .await;
    assert!(logs.is_ok(), "{logs:?}");
    c.delete_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_client_cert_id(&vsc)
        .send()
        .await
        .unwrap();
    c.delete_ssl_vpn_server()
        .region_id(REGION)
        .ssl_vpn_server_id(&vss)
        .send()
        .await
        .unwrap();

    tag(&c, &gw, "k", "v").await;
    c.un_tag_resources()
        .region_id(REGION)
        .resource_type(TagResourceType::VpnGateway)
        .resource_id(gw.clone())
        .tag_key("k")
        .send()
        .await
        .unwrap();
    assert!(tags_of(&c, &gw).await.is_empty());

    c.delete_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    c.delete_customer_gateway()
        .region_id(REGION)
        .customer_gateway_id(&cgw)
        .send()
        .await
        .unwrap();
    c.delete_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    let left = c
        .describe_vpn_gateways()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(left.total_count, Some(0));
}
