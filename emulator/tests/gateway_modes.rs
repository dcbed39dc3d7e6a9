//! VPN gateways in today's API: single- and dual-tunnel gateways (two vSwitches in different
//! zones, two public IPs), public and private network types, the checks on each, and dry runs.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use vpn_gateway::types::Bandwidth;

/// The raw JSON of DescribeVpnGateway for `id`.
async fn described(emulator: &vpn_gateway_emulator::Emulator, id: &str) -> serde_json::Value {
    let (status, body) = Raw::new(
        "DescribeVpnGateway",
        &[("RegionId", REGION), ("VpnGatewayId", id)],
    )
    .post(emulator.url())
    .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn a_dual_tunnel_gateway_has_two_vswitches_and_two_public_ips() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let (first, second, _) = vswitches();
    let id = dual_tunnel_gateway(&client).await;
    let gateway = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(gateway.v_switch_id.as_deref(), Some(first.as_str()));
    assert_eq!(
        gateway.disaster_recovery_v_switch_id.as_deref(),
        Some(second.as_str())
    );
    let (ip, dr_ip) = (
        gateway.internet_ip.unwrap(),
        gateway.disaster_recovery_internet_ip.unwrap(),
    );
    assert_ne!(ip, dr_ip);
    assert!(ip.parse::<std::net::Ipv4Addr>().is_ok(), "{ip}");
    assert!(dr_ip.parse::<std::net::Ipv4Addr>().is_ok(), "{dr_ip}");
    assert_eq!(gateway.network_type.as_deref(), Some("public"));

    // The listing shows the same, and a single-tunnel gateway has no second vSwitch or IP.
    let single = common::gateway(&client).await;
    let listed = list_gateways(&client).await.unwrap().vpn_gateways;
    let find = |gw: &str| {
        listed
            .iter()
            .find(|g| g.vpn_gateway_id.as_deref() == Some(gw))
            .unwrap()
    };
    assert_eq!(
        find(&id).disaster_recovery_internet_ip.as_deref(),
        Some(dr_ip.as_str())
    );
    assert_eq!(find(&single).disaster_recovery_v_switch_id, None);
    assert_eq!(find(&single).disaster_recovery_internet_ip, None);
    assert_eq!(
        described(&emulator, &single).await["DisasterRecoveryInternetIp"],
        serde_json::Value::Null
    );
    emulator.stop().await;
}

#[tokio::test]
async fn the_two_vswitches_must_differ_and_be_in_different_zones() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let (first, other, same_zone) = vswitches();
    let create = |a: Option<&str>, b: &str| {
        let mut request = client
            .create_vpn_gateway()
            .region_id(REGION)
            .vpc_id("vpc-a")
            .bandwidth(Bandwidth::Mbps5)
            .disaster_recovery_v_switch_id(b);
        if let Some(a) = a {
            request = request.v_switch_id(a);
        }
        request.send()
    };
    assert_eq!(
        code(create(Some(&first), &first).await),
        "InvalidVSwitchId.VswitchIdShouldDifferent"
    );
    assert_eq!(
        code(create(Some(&first), &same_zone).await),
        "InvalidVSwitchId.ZoneIdShouldDifferent"
    );
    assert_eq!(code(create(None, &other).await), "MissingParameter");
    assert!(create(Some(&first), &other).await.is_ok());
    // Only the accepted request created a gateway.
    assert_eq!(list_gateways(&client).await.unwrap().total_count, Some(1));
    emulator.stop().await;
}

#[tokio::test]
async fn a_private_gateway_has_private_addresses_and_no_ssl_vpn() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let private = || {
        client
            .create_vpn_gateway()
            .region_id(REGION)
            .vpc_id("vpc-a")
            .bandwidth(Bandwidth::Mbps5)
            .network_type("private")
    };
    let id = private().send().await.unwrap().vpn_gateway_id;
    let gateway = described(&emulator, &id).await;
    assert_eq!(gateway["NetworkType"], "private");
    let ip: std::net::Ipv4Addr = gateway["InternetIp"].as_str().unwrap().parse().unwrap();
    assert!(ip.is_private(), "{ip}");
    assert_eq!(
        code(private().enable_ssl(true).send().await),
        "OperationFailed.SslNotSupport"
    );
    assert_eq!(
        code(private().network_type("elsewhere").send().await),
        "InvalidParameter"
    );
    emulator.stop().await;
}

#[tokio::test]
async fn a_gateway_needs_ipsec_or_ssl_and_ssl_connections_need_ssl() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let create = || {
        client
            .create_vpn_gateway()
            .region_id(REGION)
            .vpc_id("vpc-a")
            .bandwidth(Bandwidth::Mbps5)
    };
    assert_eq!(
        code(create().enable_ipsec(false).enable_ssl(false).send().await),
        "InvalidVpnEnable"
    );
    assert_eq!(
        code(
            create()
                .ssl_connections(vpn_gateway::types::VpnGatewaySslConnections::Clients10)
                .send()
                .await
        ),
        "UnnecessarySslConnection"
    );
    assert_eq!(list_gateways(&client).await.unwrap().total_count, Some(0));
    emulator.stop().await;
}

#[tokio::test]
async fn a_dry_run_answers_dry_run_operation_and_changes_nothing() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = common::gateway(&client).await;
    let result = client
        .create_ssl_vpn_server()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .client_ip_pool("192.168.100.0/24")
        .local_subnet("10.1.0.0/16")
        .dry_run(true)
        .send()
        .await;
    assert_eq!(code(result), "DryRunOperation");
    let servers = client
        .describe_ssl_vpn_servers()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(servers.total_count, Some(0));
    // A dry run of an invalid request answers the validation error instead.
    let (status, body) = Raw::new(
        "CreateSslVpnServer",
        &[("RegionId", REGION), ("DryRun", "true")],
    )
    .post(emulator.url())
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("MissingParameter"), "{body}");
    // `DryRun=false` runs the request.
    ssl_server(&client, &gw).await;
    emulator.stop().await;
}

/// A tag filter item of a listing.
fn filter<T: Default>(set: impl FnOnce(&mut T)) -> T {
    let mut t = T::default();
    set(&mut t);
    t
}

#[tokio::test]
async fn tags_and_resource_groups_given_at_creation_narrow_the_listings() {
    use vpn_gateway::types::{DescribeCustomerGatewaysTag, DescribeVpnGatewaysTag, Tag};
    let emulator = emulator().await;
    let client = client(&emulator);
    let tag = |key: &str, value: &str| {
        let mut t = Tag::default();
        t.key = Some(key.into());
        t.value = Some(value.into());
        t
    };
    let tagged = client
        .create_customer_gateway()
        .region_id(REGION)
        .ip_address("116.62.80.1")
        .tags(tag("env", "prod"))
        .resource_group_id("rg-prod")
        .send()
        .await
        .unwrap()
        .customer_gateway_id;
    let plain = customer_gateway(&client, "116.62.80.2").await;
    let listed = |key: &'static str, value: Option<&'static str>| {
        client
            .describe_customer_gateways()
            .region_id(REGION)
            .tag(filter(|t: &mut DescribeCustomerGatewaysTag| {
                t.key = Some(key.into());
                t.value = value.map(Into::into);
            }))
            .send()
    };
    let ids = |out: vpn_gateway::operation::describe_customer_gateways::DescribeCustomerGatewaysOutput| {
        out.customer_gateways
            .into_iter()
            .filter_map(|c| c.customer_gateway_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(listed("env", Some("prod")).await.unwrap()),
        vec![tagged.clone()]
    );
    assert_eq!(
        ids(listed("env", None).await.unwrap()),
        vec![tagged.clone()]
    );
    assert!(ids(listed("env", Some("test")).await.unwrap()).is_empty());
    let all = client
        .describe_customer_gateways()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    let shown = all
        .customer_gateways
        .iter()
        .find(|c| c.customer_gateway_id.as_deref() == Some(tagged.as_str()))
        .unwrap();
    assert_eq!(shown.tags.len(), 1);
    assert_eq!(shown.tags[0].value.as_deref(), Some("prod"));
    assert_eq!(
        all.total_count,
        Some(2),
        "{plain} is listed without a filter"
    );
    let in_group = client
        .describe_customer_gateways()
        .region_id(REGION)
        .resource_group_id("rg-prod")
        .send()
        .await
        .unwrap();
    assert_eq!(ids(in_group), vec![tagged.clone()]);
    // Bad tags at creation are refused with the tag codes.
    let result = client
        .create_customer_gateway()
        .region_id(REGION)
        .ip_address("116.62.80.3")
        .tags(tag("env", "a"))
        .tags(tag("env", "b"))
        .send()
        .await;
    assert_eq!(code(result), "Duplicated.TagKey");

    // Gateways: tags from TagResources, the resource group from creation.
    let gw = client
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-a")
        .bandwidth(Bandwidth::Mbps5)
        .resource_group_id("rg-prod")
        .send()
        .await
        .unwrap()
        .vpn_gateway_id;
    let other = common::gateway(&client).await;
    tag_gateway(&client, &gw).await;
    let by_tag = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .tag(filter(|t: &mut DescribeVpnGatewaysTag| {
            t.key = Some("team".into());
            t.value = Some("network".into());
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(by_tag.total_count, Some(1), "{other} has no tag");
    assert_eq!(
        by_tag.vpn_gateways[0].vpn_gateway_id.as_deref(),
        Some(gw.as_str())
    );
    assert_eq!(by_tag.vpn_gateways[0].tags[0].key.as_deref(), Some("team"));
    let by_group = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .resource_group_id("rg-prod")
        .send()
        .await
        .unwrap();
    assert_eq!(by_group.total_count, Some(1));
    emulator.stop().await;
}

async fn tag_gateway(client: &vpn_gateway::Client, id: &str) {
    common::tag(client, id, "team", "network").await;
}
