//! IPsec-VPN connections bound to no VPN gateway (attachments), through the SDK: creation
//! observed with the waiter, single- and dual-tunnel attachments, changes, listings, routes,
//! cross-account authorizations, deletion, and every check on them.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::time::Duration;
use vpn_gateway::types::{
    AttachmentTunnelOptions, AttachmentTunnelOptionsUpdate, IkeConfig, IkeVersion, Tag,
    TunnelBgpConfig, TunnelIkeConfig, VpnConnectionState, VpnRouteWeight,
};
use vpn_gateway::Client;

fn tunnel(cgw: &str, index: Option<i32>, cidr: &str) -> AttachmentTunnelOptions {
    let mut bgp = TunnelBgpConfig::default();
    bgp.tunnel_cidr = Some(cidr.to_owned());
    let mut t = AttachmentTunnelOptions::default();
    t.customer_gateway_id = Some(cgw.to_owned());
    t.tunnel_index = index;
    t.tunnel_bgp_config = Some(bgp);
    t
}

async fn single_attachment(client: &Client, cgw: &str) -> String {
    client
        .create_vpn_attachment()
        .region_id(REGION)
        .customer_gateway_id(cgw)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .send()
        .await
        .unwrap()
        .vpn_connection_id
        .unwrap()
}

#[tokio::test]
async fn an_attachment_is_created_waited_for_changed_listed_and_deleted() {
    let emulator = emulator_with(|c| c.transition = Duration::from_millis(300)).await;
    let client = client(&emulator);
    let cgw = customer_gateway(&client, "116.62.69.1").await;
    let mut tag = Tag::default();
    tag.key = Some("owner".into());
    tag.value = Some("ops".into());
    let created = client
        .create_vpn_attachment()
        .region_id(REGION)
        .name("to-tr")
        .customer_gateway_id(&cgw)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .resource_group_id("rg-acfmxazb4ph6aiy")
        .tags(tag)
        .send()
        .await
        .unwrap();
    let vco = created.vpn_connection_id.unwrap();
    let describe = || {
        client
            .describe_vpn_connection()
            .region_id(REGION)
            .vpn_connection_id(&vco)
    };
    // Being set up first, then ready for a transit router.
    let first = describe().send().await.unwrap();
    assert_eq!(first.state, Some(VpnConnectionState::Init));
    let ready = describe()
        .wait_until_active(Duration::from_secs(20))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ready.state, Some(VpnConnectionState::Active));
    assert_eq!(ready.vpn_gateway_id, None);
    assert_eq!(ready.customer_gateway_id.as_deref(), Some(cgw.as_str()));
    assert_eq!(ready.attach_type.as_deref(), Some("CEN"));
    assert_eq!(ready.network_type.as_deref(), Some("public"));
    assert_eq!(
        ready.resource_group_id.as_deref(),
        Some("rg-acfmxazb4ph6aiy")
    );
    assert_eq!(ready.cross_account_authorized, Some(false));
    assert!(ready.internet_ip.is_some());
    assert_eq!(ready.tags[0].value.as_deref(), Some("ops"));

    // Listed as an attachment and as a connection, filtered by resource group.
    let attachments = client
        .describe_vpn_attachments()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(attachments.total_count, Some(1));
    let listed = &attachments.vpn_attachments[0];
    assert_eq!(listed.instance_id.as_deref(), Some(vco.as_str()));
    assert_eq!(listed.name.as_deref(), Some("to-tr"));
    assert_eq!(listed.tags.len(), 1);
    let by_group = |group: &str| {
        client
            .describe_vpn_connections()
            .region_id(REGION)
            .resource_group_id(group)
            .send()
    };
    assert_eq!(
        by_group("rg-acfmxazb4ph6aiy").await.unwrap().total_count,
        Some(1)
    );
    assert_eq!(by_group("rg-other").await.unwrap().total_count, Some(0));
    let other_type = client
        .describe_vpn_attachments()
        .region_id(REGION)
        .attach_type("VBR")
        .send()
        .await
        .unwrap();
    assert_eq!(other_type.total_count, Some(0));

    // No other account may attach it.
    let authorizations = client
        .describe_vpn_cross_account_authorizations()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(authorizations.total_count, Some(0));
    assert!(authorizations.cross_account_authorizations.is_empty());

    // A change puts it into `updating`; a second one meanwhile is refused.
    let modified = client
        .modify_vpn_attachment_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .name("renamed")
        .remote_subnet("192.168.1.0/24")
        .send()
        .await
        .unwrap();
    assert_eq!(modified.name.as_deref(), Some("renamed"));
    assert_eq!(modified.attach_type.as_deref(), Some("CEN"));
    assert_eq!(
        describe().send().await.unwrap().state,
        Some(VpnConnectionState::Updating)
    );
    let again = client
        .modify_vpn_attachment_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .name("again")
        .send()
        .await;
    assert_eq!(code(again), "VpnConnection.Configuring");
    let busy = client
        .delete_vpn_attachment()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await;
    assert_eq!(code(busy), "VpnConnection.Configuring");
    describe()
        .wait_until_active(Duration::from_secs(20))
        .await
        .unwrap();

    // Routes through the attachment.
    client
        .create_vco_route_entry()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .weight(100)
        .send()
        .await
        .unwrap();
    describe()
        .wait_until_active(Duration::from_secs(20))
        .await
        .unwrap();
    let routes = client
        .describe_vco_route_entries()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(routes.total_count, Some(1));
    assert_eq!(
        routes.vco_route_entries[0].weight,
        Some(VpnRouteWeight::HighPriority)
    );

    let deleted = client
        .delete_vpn_attachment()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.success, Some(true));
    assert_eq!(
        code(describe().send().await),
        "InvalidVpnConnectionInstanceId.NotFound"
    );
    assert_eq!(
        client
            .describe_vpn_attachments()
            .region_id(REGION)
            .send()
            .await
            .unwrap()
            .total_count,
        Some(0)
    );
    emulator.stop().await;
}

#[tokio::test]
async fn a_dual_tunnel_attachment_has_two_tunnels_in_two_zones() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let a = client
        .create_customer_gateway()
        .region_id(REGION)
        .ip_address("116.62.69.2")
        .asn("65010")
        .send()
        .await
        .unwrap()
        .customer_gateway_id;
    let b = client
        .create_customer_gateway()
        .region_id(REGION)
        .ip_address("116.62.69.3")
        .asn("65011")
        .send()
        .await
        .unwrap()
        .customer_gateway_id;
    let create = || {
        client
            .create_vpn_attachment()
            .region_id(REGION)
            .local_subnet("10.0.0.0/24")
            .remote_subnet("192.168.0.0/24")
    };
    // Both tunnels, or none.
    assert_eq!(
        code(
            create()
                .tunnel_options_specification(tunnel(&a, Some(1), "169.254.1.0/30"))
                .send()
                .await
        ),
        "VpnConnection.InvalidCreateTunnelOptions"
    );
    assert_eq!(
        code(
            create()
                .tunnel_options_specification(tunnel(&a, Some(1), "169.254.1.0/30"))
                .tunnel_options_specification(tunnel(&b, Some(1), "169.254.2.0/30"))
                .send()
                .await
        ),
        "VpnConnection.InvalidCreateTunnelOptions"
    );
    let mut no_cgw = tunnel(&b, Some(2), "169.254.2.0/30");
    no_cgw.customer_gateway_id = None;
    assert_eq!(
        code(
            create()
                .tunnel_options_specification(tunnel(&a, Some(1), "169.254.1.0/30"))
                .tunnel_options_specification(no_cgw)
                .send()
                .await
        ),
        "MissingParameter.TunnelOptionsSpecification"
    );
    let mut bad_cidr = tunnel(&b, Some(2), "169.254.2.0/30");
    bad_cidr.tunnel_bgp_config.as_mut().unwrap().tunnel_cidr = Some("169.254.2.0/33".into());
    assert_eq!(
        code(
            create()
                .tunnel_options_specification(tunnel(&a, Some(1), "169.254.1.0/30"))
                .tunnel_options_specification(bad_cidr)
                .enable_tunnels_bgp(true)
                .send()
                .await
        ),
        "InvalidTunnelCidr.Malformed"
    );
    let mut bad_ip = tunnel(&b, Some(2), "169.254.2.0/30");
    bad_ip.tunnel_bgp_config.as_mut().unwrap().local_bgp_ip = Some("not-an-ip".into());
    assert_eq!(
        code(
            create()
                .tunnel_options_specification(tunnel(&a, Some(1), "169.254.1.0/30"))
                .tunnel_options_specification(bad_ip)
                .enable_tunnels_bgp(true)
                .send()
                .await
        ),
        "InvalidLocalBgpIp.Malformed"
    );
    // Single-tunnel settings together with tunnels, and tunnel settings without tunnels.
    assert_eq!(
        code(
            create()
                .customer_gateway_id(&a)
                .tunnel_options_specification(tunnel(&a, Some(1), "169.254.1.0/30"))
                .tunnel_options_specification(tunnel(&b, Some(2), "169.254.2.0/30"))
                .send()
                .await
        ),
        "InvalidParameter"
    );
    assert_eq!(
        code(
            create()
                .customer_gateway_id(&a)
                .enable_tunnels_bgp(true)
                .send()
                .await
        ),
        "InvalidParameter"
    );

    let vco = create()
        .tunnel_options_specification(tunnel(&a, Some(1), "169.254.1.0/30"))
        .tunnel_options_specification(tunnel(&b, Some(2), "169.254.2.0/30"))
        .enable_tunnels_bgp(true)
        .send()
        .await
        .unwrap()
        .vpn_connection_id
        .unwrap();
    let described = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .wait_until_active(Duration::from_secs(10))
        .await
        .unwrap()
        .unwrap();
    let tunnels = &described.tunnel_options_specification;
    assert_eq!(tunnels.len(), 2);
    assert_eq!(tunnels[0].tunnel_index, Some(1));
    assert_ne!(tunnels[0].zone_no, tunnels[1].zone_no);
    assert_ne!(tunnels[0].internet_ip, tunnels[1].internet_ip);
    assert_eq!(
        tunnels[1].tunnel_bgp_config.as_ref().unwrap().peer_asn,
        Some(65011)
    );
    let config = client
        .download_vpn_connection_config()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap()
        .vpn_connection_config
        .unwrap();
    assert_eq!(config.tunnels_config.len(), 2);
    assert_eq!(config.tunnels_config[0].local, tunnels[0].internet_ip);

    // Change one tunnel by its index.
    let mut ike = TunnelIkeConfig::default();
    ike.psk = Some("tunnel-two-Key".into());
    let mut update = AttachmentTunnelOptionsUpdate::default();
    update.tunnel_index = Some(2);
    update.tunnel_ike_config = Some(ike);
    let modified = client
        .modify_vpn_attachment_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .tunnel_options_specification(update)
        .send()
        .await
        .unwrap();
    assert_eq!(modified.tunnel_options_specification.len(), 2);
    assert_eq!(
        modified.tunnel_options_specification[1]
            .tunnel_ike_config
            .as_ref()
            .unwrap()
            .psk
            .as_deref(),
        Some("tunnel-two-Key")
    );
    let mut unknown = AttachmentTunnelOptionsUpdate::default();
    unknown.tunnel_id = Some("tun-bp1nope".into());
    let refused = client
        .modify_vpn_attachment_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .tunnel_options_specification(unknown)
        .send()
        .await;
    assert_eq!(code(refused), "InvalidParameter");
    emulator.stop().await;
}

#[tokio::test]
async fn attachment_errors() {
    let emulator = emulator_with(|c| {
        c.quotas.vpn_attachments = 2;
        c.quotas.policy_routes = 4;
        c.quotas.vco_route_entries = 1;
    })
    .await;
    let client = client(&emulator);
    let cgw = customer_gateway(&client, "116.62.69.1").await;
    let create = || {
        client
            .create_vpn_attachment()
            .region_id(REGION)
            .customer_gateway_id(&cgw)
    };
    assert_eq!(
        code(
            create()
                .customer_gateway_id("cgw-bp1nope")
                .local_subnet("10.0.0.0/24")
                .remote_subnet("192.168.0.0/24")
                .send()
                .await
        ),
        "InvalidCustomerGatewayInstanceId.NotFound"
    );
    assert_eq!(
        code(
            create()
                .local_subnet("10.0.0.0/24,10.0.1.0/24,10.0.2.0/24")
                .remote_subnet("192.168.0.0/24,192.168.1.0/24")
                .send()
                .await
        ),
        "QuotaExceeded.PolicyBasedRoute"
    );
    let vco = single_attachment(&client, &cgw).await;
    assert_eq!(
        code(
            create()
                .local_subnet("10.0.0.0/24")
                .remote_subnet("192.168.0.0/24")
                .send()
                .await
        ),
        "InvalidVpnConnection.AlreadyExists"
    );
    create()
        .local_subnet("10.1.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            create()
                .local_subnet("10.2.0.0/24")
                .remote_subnet("192.168.0.0/24")
                .send()
                .await
        ),
        "Resource.QuotaFull"
    );

    // Changes.
    let modify = || {
        client
            .modify_vpn_attachment_attribute()
            .region_id(REGION)
            .vpn_connection_id(&vco)
    };
    assert_eq!(
        code(modify().network_type("elsewhere").send().await),
        "IllegalParam.NetworkType"
    );
    assert_eq!(
        code(
            modify()
                .local_subnet("10.0.0.0/24,10.0.1.0/24,10.0.2.0/24")
                .remote_subnet("192.168.0.0/24,192.168.1.0/24")
                .send()
                .await
        ),
        "CreatePbrRoutesQuotaFull.QuotaFull"
    );
    let mut ike = IkeConfig::default();
    ike.ike_version = Some(IkeVersion::Ikev1);
    assert_eq!(
        code(
            modify()
                .local_subnet("10.0.0.0/24,10.0.1.0/24")
                .ike_config(ike)
                .send()
                .await
        ),
        "ModifyIkeV1WithMultiRoutes.Invalid"
    );
    assert_eq!(
        code(modify().customer_gateway_id("cgw-bp1nope").send().await),
        "InvalidParameter"
    );
    let missing = client
        .modify_vpn_attachment_attribute()
        .region_id(REGION)
        .vpn_connection_id("vco-bp1nope")
        .send()
        .await;
    assert_eq!(code(missing), "InvalidVpnConnectionInstanceId.NotFound");

    // A connection on a gateway is no attachment.
    let gw = gateway(&client).await;
    let bound = connection(&client, &gw, "116.62.69.9").await;
    let delete = |id: &str| {
        client
            .delete_vpn_attachment()
            .region_id(REGION)
            .vpn_connection_id(id)
            .send()
    };
    assert_eq!(code(delete(&bound).await), "Vco.StatusNotSupport");
    assert_eq!(
        code(delete("vco-bp1nope").await),
        "InvalidVpnConnectionInstanceId.NotFound"
    );
    let modify_bound = client
        .modify_vpn_attachment_attribute()
        .region_id(REGION)
        .vpn_connection_id(&bound)
        .name("x")
        .send()
        .await;
    assert_eq!(code(modify_bound), "InvalidParameter");
    let authorizations = client
        .describe_vpn_cross_account_authorizations()
        .region_id(REGION)
        .vpn_connection_id("vco-bp1nope")
        .send()
        .await;
    assert_eq!(
        code(authorizations),
        "InvalidVpnConnectionInstanceId.NotFound"
    );
    emulator.stop().await;
}

#[tokio::test]
async fn vco_route_entries_are_created_changed_and_deleted_consistently() {
    let emulator = emulator_with(|c| c.quotas.vco_route_entries = 2).await;
    let client = client(&emulator);
    let cgw = customer_gateway(&client, "116.62.69.1").await;
    let vco = single_attachment(&client, &cgw).await;
    let create = |dest: &str, next_hop: &str, weight: i32| {
        client
            .create_vco_route_entry()
            .region_id(REGION)
            .vpn_connection_id(&vco)
            .route_dest(dest)
            .next_hop(next_hop)
            .weight(weight)
            .description("through the attachment")
            .send()
    };
    let created = create("172.16.0.0/16", &vco, 100).await.unwrap();
    assert_eq!(created.weight, Some(100));
    assert_eq!(created.route_dest.as_deref(), Some("172.16.0.0/16"));
    assert_eq!(
        code(create("172.16.0.0/16", &vco, 0).await),
        "VpnRouteEntry.AlreadyExists"
    );
    assert_eq!(
        code(create("172.17.0.0/16", "vco-bp1other", 100).await),
        "InvalidNextHop.NotFound"
    );
    assert_eq!(
        code(create("172.17.0.1/16", &vco, 100).await),
        "OperationFailed.InvalidCidrBlock"
    );
    assert_eq!(
        code(create("172.17.0.0/16", &vco, 50).await),
        "InvalidParameter"
    );
    create("172.17.0.0/16", &vco, 0).await.unwrap();
    assert_eq!(
        code(create("172.18.0.0/16", &vco, 0).await),
        "Resource.QuotaFull"
    );
    let missing = client
        .create_vco_route_entry()
        .region_id(REGION)
        .vpn_connection_id("vco-bp1nope")
        .route_dest("172.18.0.0/16")
        .next_hop("vco-bp1nope")
        .weight(100)
        .send()
        .await;
    assert_eq!(code(missing), "InvalidVpnConnectionInstanceId.NotFound");

    let modify = |dest: &str, weight: i32, new_weight: i32| {
        client
            .modify_vco_route_entry_weight()
            .region_id(REGION)
            .vpn_connection_id(&vco)
            .route_dest(dest)
            .next_hop(&vco)
            .weight(weight)
            .new_weight(new_weight)
            .send()
    };
    assert_eq!(
        code(modify("172.16.0.0/16", 0, 100).await),
        "VpnRouteEntry.Conflict"
    );
    assert_eq!(
        code(modify("172.16.0.0/16", 100, 100).await),
        "VpnRouteEntry.AlreadyExists"
    );
    assert_eq!(
        code(modify("172.30.0.0/16", 100, 0).await),
        "InvalidRouteEntry.NotFound"
    );
    modify("172.16.0.0/16", 100, 0).await.unwrap();
    let listed = client
        .describe_vco_route_entries()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert!(listed
        .vco_route_entries
        .iter()
        .all(|r| r.weight == Some(VpnRouteWeight::LowPriority)));
    let missing = client
        .modify_vco_route_entry_weight()
        .region_id(REGION)
        .vpn_connection_id("vco-bp1nope")
        .route_dest("172.16.0.0/16")
        .next_hop(&vco)
        .weight(0)
        .new_weight(100)
        .send()
        .await;
    assert_eq!(code(missing), "InvalidVpnConnectionInstanceId.NotFound");

    // While a route change applies, the next one must wait.
    emulator.set_transition(Duration::from_secs(3600));
    client
        .delete_vco_route_entry()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .route_dest("172.17.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::LowPriority)
        .send()
        .await
        .unwrap();
    assert_eq!(code(modify("172.16.0.0/16", 0, 100).await), "TaskConflict");
    emulator.stop().await;
}

#[tokio::test]
async fn route_changes_on_a_gateways_connection_follow_the_gateway() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let vco = connection(&client, &gw, "116.62.69.1").await;
    let create = |dest: &str| {
        client
            .create_vco_route_entry()
            .region_id(REGION)
            .vpn_connection_id(&vco)
            .route_dest(dest)
            .next_hop(&vco)
            .weight(100)
            .send()
    };
    create("172.16.0.0/16").await.unwrap();
    // The waiter sees the connection `attached` again once the change applied.
    client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .wait_until_attached(Duration::from_secs(10))
        .await
        .unwrap();
    // The route is one of the gateway's routes.
    let gateway_routes = client
        .describe_vpn_route_entries()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(gateway_routes.total_count, Some(1));
    // A locked or configuring gateway stops route changes on its connections.
    assert!(emulator.set_financially_locked(REGION, &gw, true));
    assert_eq!(
        code(create("172.17.0.0/16").await),
        "VpnConnection.FinancialLocked"
    );
    assert!(emulator.set_financially_locked(REGION, &gw, false));
    emulator.set_transition(Duration::from_secs(3600));
    client
        .modify_vpn_gateway_attribute()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .name("busy")
        .send()
        .await
        .unwrap();
    client
        .create_vpn_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_dest("172.18.0.0/16")
        .next_hop(&vco)
        .weight(VpnRouteWeight::HighPriority)
        .publish_vpc(false)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(create("172.17.0.0/16").await),
        "VpnConnection.Configuring"
    );
    emulator.stop().await;
}
