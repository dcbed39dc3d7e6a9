//! Dual-tunnel IPsec-VPN connections on dual-tunnel gateways, through the SDK: the lifecycle
//! (two tunnels with their own customer gateways, keys and BGP sessions), per-tunnel changes,
//! the downloaded configuration, routes, logs, diagnosis, the checks of each mode, and keys
//! that never leak.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::time::Duration;
use vpn_gateway::types::{
    HealthCheckConfig, IkeConfig, IkeVersion, Tag, TunnelBgpConfig, TunnelIkeConfig, TunnelOptions,
    TunnelRole, TunnelSettings, VcoHealthCheckEnable, VpnConnectionStatus, VpnRouteWeight,
};
use vpn_gateway::Client;

const MASTER_PSK: &str = "master-Secret-0001";
const SLAVE_PSK: &str = "slave-Secret-0002";

/// A customer gateway with an ASN, for BGP.
async fn bgp_customer_gateway(client: &Client, ip: &str, asn: &str) -> String {
    client
        .create_customer_gateway()
        .region_id(REGION)
        .ip_address(ip)
        .asn(asn)
        .send()
        .await
        .unwrap()
        .customer_gateway_id
}

fn tunnel(cgw: &str, role: TunnelRole, psk: &str, cidr: Option<&str>) -> TunnelOptions {
    let mut ike = TunnelIkeConfig::default();
    ike.psk = Some(psk.to_owned());
    let mut t = TunnelOptions::default();
    t.customer_gateway_id = Some(cgw.to_owned());
    t.role = Some(role);
    t.tunnel_ike_config = Some(ike);
    if let Some(cidr) = cidr {
        let mut bgp = TunnelBgpConfig::default();
        bgp.tunnel_cidr = Some(cidr.to_owned());
        t.tunnel_bgp_config = Some(bgp);
    }
    t
}

fn tag(key: &str, value: &str) -> Tag {
    let mut t = Tag::default();
    t.key = Some(key.to_owned());
    t.value = Some(value.to_owned());
    t
}

/// A dual-tunnel gateway and two customer gateways with ASNs.
async fn setup(client: &Client) -> (String, String, String) {
    let gw = dual_tunnel_gateway(client).await;
    let a = bgp_customer_gateway(client, "116.62.69.11", "65001").await;
    let b = bgp_customer_gateway(client, "116.62.69.12", "65002").await;
    (gw, a, b)
}

#[tokio::test]
async fn a_dual_tunnel_connection_lives_through_its_whole_lifecycle() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let (gw, cgw_a, cgw_b) = setup(&client).await;
    let gateway = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();

    let created = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .name("dual")
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .tunnel_options_specification(tunnel(
            &cgw_a,
            TunnelRole::Master,
            MASTER_PSK,
            Some("169.254.10.0/30"),
        ))
        .tunnel_options_specification(tunnel(
            &cgw_b,
            TunnelRole::Slave,
            SLAVE_PSK,
            Some("169.254.20.0/30"),
        ))
        .enable_tunnels_bgp(true)
        .tags(tag("env", "test"))
        .send()
        .await
        .unwrap();
    let vco = created.vpn_connection_id;

    let described = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(described.vpn_gateway_id.as_deref(), Some(gw.as_str()));
    assert_eq!(described.customer_gateway_id, None);
    assert_eq!(described.enable_tunnels_bgp, Some(true));
    assert_eq!(
        described.status,
        Some(VpnConnectionStatus::IpsecSaEstablished)
    );
    assert_eq!(described.tags.len(), 1);
    assert_eq!(described.tags[0].key.as_deref(), Some("env"));
    let tunnels = &described.tunnel_options_specification;
    assert_eq!(tunnels.len(), 2);
    let (master, slave) = (&tunnels[0], &tunnels[1]);
    assert_eq!(master.role, Some(TunnelRole::Master));
    assert_eq!(slave.role, Some(TunnelRole::Slave));
    assert_eq!(master.customer_gateway_id.as_deref(), Some(cgw_a.as_str()));
    assert_eq!(slave.customer_gateway_id.as_deref(), Some(cgw_b.as_str()));
    assert_eq!(master.internet_ip, gateway.internet_ip);
    assert_eq!(slave.internet_ip, gateway.disaster_recovery_internet_ip);
    assert_ne!(master.zone_no, slave.zone_no);
    assert_eq!(master.state.as_deref(), Some("active"));
    assert_eq!(master.status, Some(VpnConnectionStatus::IpsecSaEstablished));
    let psk = |t: &vpn_gateway::types::TunnelDetail| {
        t.tunnel_ike_config.as_ref().unwrap().psk.clone().unwrap()
    };
    assert_eq!(psk(master), MASTER_PSK);
    assert_eq!(psk(slave), SLAVE_PSK);
    let bgp = master.tunnel_bgp_config.as_ref().unwrap();
    assert_eq!(bgp.enable_bgp, Some(true));
    assert_eq!(bgp.tunnel_cidr.as_deref(), Some("169.254.10.0/30"));
    assert_eq!(bgp.local_bgp_ip.as_deref(), Some("169.254.10.1"));
    assert_eq!(bgp.peer_bgp_ip.as_deref(), Some("169.254.10.2"));
    assert_eq!(bgp.peer_asn, Some(65001));
    assert_eq!(bgp.bgp_status.as_deref(), Some("success"));

    // The listing shows the same tunnels, and filters by tag.
    let listed = client
        .describe_vpn_connections()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(1));
    assert_eq!(
        listed.vpn_connections[0].tunnel_options_specification.len(),
        2
    );
    let mut filter = vpn_gateway::types::DescribeVpnConnectionsTag::default();
    filter.key = Some("env".into());
    filter.value = Some("other".into());
    let none = client
        .describe_vpn_connections()
        .region_id(REGION)
        .tag(filter)
        .send()
        .await
        .unwrap();
    assert_eq!(none.total_count, Some(0));

    // One tunnel changes; the other keeps its settings.
    let master_id = master.tunnel_id.clone().unwrap();
    let slave_id = slave.tunnel_id.clone().unwrap();
    let mut ike = TunnelIkeConfig::default();
    ike.psk = Some("changed-Secret-0003".into());
    ike.ike_version = Some(IkeVersion::Ikev2);
    let mut settings = TunnelSettings::default();
    settings.tunnel_ike_config = Some(ike);
    settings.enable_dpd = Some(false);
    let changed = client
        .modify_tunnel_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .tunnel_id(&slave_id)
        .tunnel_options_specification(settings)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.role, Some(TunnelRole::Slave));
    assert_eq!(changed.enable_dpd, Some(false));
    let after = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    let tunnels = &after.tunnel_options_specification;
    assert_eq!(psk(&tunnels[0]), MASTER_PSK);
    assert_eq!(psk(&tunnels[1]), "changed-Secret-0003");
    assert_eq!(tunnels[1].enable_dpd, Some(false));
    assert_eq!(tunnels[0].tunnel_id.as_deref(), Some(master_id.as_str()));

    // The downloaded configuration has both tunnels, each with its own addresses and BGP.
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
    assert_eq!(config.tunnels_config[0].local, gateway.internet_ip);
    assert_eq!(
        config.tunnels_config[1].local,
        gateway.disaster_recovery_internet_ip
    );
    assert_eq!(
        config.tunnels_config[0].remote.as_deref(),
        Some("116.62.69.11")
    );
    assert_eq!(
        config.tunnels_config[1]
            .ike_config
            .as_ref()
            .unwrap()
            .psk
            .as_deref(),
        Some("changed-Secret-0003")
    );
    assert_eq!(config.bgp_configs.len(), 2);
    assert_eq!(config.bgp_configs[1].peer_asn.as_deref(), Some("65002"));
    assert_eq!(config.local_subnet.as_deref(), Some("10.0.0.0/24"));

    // Routes on the gateway through the connection, seen as the connection's routes too.
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
    let routes = client
        .describe_vco_route_entries()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(routes.total_count, Some(1));
    let bgp_routes = client
        .describe_vco_route_entries()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .route_entry_type(vpn_gateway::types::VcoRouteEntryType::Bgp)
        .send()
        .await
        .unwrap();
    assert_eq!(
        bgp_routes.vco_route_entries[0].next_hop_tunnel_id_list,
        vec![master_id.clone(), slave_id.clone()]
    );

    // Logs of one tunnel, and of the whole connection.
    let logs = client
        .describe_vpn_connection_logs()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .tunnel_id(&master_id)
        .send()
        .await
        .unwrap();
    assert!(logs.count.unwrap() >= 2, "{logs:?}");
    assert!(logs.data.iter().all(|l| l.contains(&master_id)), "{logs:?}");
    assert_eq!(logs.is_completed, Some(true));

    // Teardown: the customer gateways are in use until the connection goes.
    assert_eq!(
        code(
            client
                .delete_customer_gateway()
                .region_id(REGION)
                .customer_gateway_id(&cgw_b)
                .send()
                .await
        ),
        "DependencyViolation.VpnConnection"
    );
    client
        .delete_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    for cgw in [&cgw_a, &cgw_b] {
        client
            .delete_customer_gateway()
            .region_id(REGION)
            .customer_gateway_id(cgw)
            .send()
            .await
            .unwrap();
    }
    let gone = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await;
    assert_eq!(code(gone), "InvalidVpnConnectionInstanceId.NotFound");
    emulator.stop().await;
}

#[tokio::test]
async fn each_mode_refuses_the_other_modes_parameters() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let (dual, cgw_a, cgw_b) = setup(&client).await;
    let single = gateway(&client).await;
    let create = |gw: &str| {
        client
            .create_vpn_connection()
            .region_id(REGION)
            .vpn_gateway_id(gw)
            .local_subnet("10.0.0.0/24")
            .remote_subnet("192.168.0.0/24")
    };
    // A single-tunnel connection on a dual-tunnel gateway.
    assert_eq!(
        code(create(&dual).customer_gateway_id(&cgw_a).send().await),
        "MissingParameter.TunnelOptionsSpecification"
    );
    // Tunnels on a single-tunnel gateway.
    let tunnels =
        |b: vpn_gateway::operation::create_vpn_connection::CreateVpnConnectionFluentBuilder| {
            b.tunnel_options_specification(tunnel(&cgw_a, TunnelRole::Master, MASTER_PSK, None))
                .tunnel_options_specification(tunnel(&cgw_b, TunnelRole::Slave, SLAVE_PSK, None))
        };
    assert_eq!(
        code(tunnels(create(&single)).send().await),
        "InvalidParameter"
    );
    // Both kinds at once on a dual-tunnel gateway.
    assert_eq!(
        code(
            tunnels(create(&dual))
                .customer_gateway_id(&cgw_a)
                .send()
                .await
        ),
        "InvalidParameter"
    );
    // Only one tunnel, or two masters.
    assert_eq!(
        code(
            create(&dual)
                .tunnel_options_specification(tunnel(&cgw_a, TunnelRole::Master, MASTER_PSK, None))
                .send()
                .await
        ),
        "MissingParameter.TunnelOptionsSpecification"
    );
    assert_eq!(
        code(
            create(&dual)
                .tunnel_options_specification(tunnel(&cgw_a, TunnelRole::Master, MASTER_PSK, None))
                .tunnel_options_specification(tunnel(&cgw_b, TunnelRole::Master, SLAVE_PSK, None))
                .send()
                .await
        ),
        "MissingParameter.TunnelOptionsSpecification"
    );
    // A tunnel whose customer gateway does not exist.
    assert_eq!(
        code(
            create(&dual)
                .tunnel_options_specification(tunnel(&cgw_a, TunnelRole::Master, MASTER_PSK, None))
                .tunnel_options_specification(tunnel(
                    "cgw-bp1nope",
                    TunnelRole::Slave,
                    SLAVE_PSK,
                    None
                ))
                .send()
                .await
        ),
        "InvalidCustomerGatewayInstanceId.NotFound"
    );
    // Nothing was created by the refused requests; both modes still work.
    assert!(tunnels(create(&dual)).send().await.is_ok());
    let single_cgw = customer_gateway(&client, "116.62.69.30").await;
    let single_vco = create(&single)
        .customer_gateway_id(&single_cgw)
        .send()
        .await
        .unwrap()
        .vpn_connection_id;
    let described = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&single_vco)
        .send()
        .await
        .unwrap();
    assert!(described.tunnel_options_specification.is_empty());
    assert_eq!(
        described.customer_gateway_id.as_deref(),
        Some(single_cgw.as_str())
    );
    // Per-tunnel settings on a single-tunnel connection.
    let mut update = vpn_gateway::types::TunnelOptionsUpdate::default();
    update.tunnel_id = Some("tun-bp1nope".into());
    let modify = client
        .modify_vpn_connection_attribute()
        .region_id(REGION)
        .vpn_connection_id(&single_vco)
        .tunnel_options_specification(update)
        .send()
        .await;
    assert_eq!(code(modify), "IllegalParam.TunnelId");
    let modify = client
        .modify_vpn_connection_attribute()
        .region_id(REGION)
        .vpn_connection_id(&single_vco)
        .enable_tunnels_bgp(true)
        .send()
        .await;
    assert_eq!(code(modify), "InvalidParameter");
    emulator.stop().await;
}

#[tokio::test]
async fn tunnel_bgp_and_customer_gateway_checks() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let (gw, cgw_a, cgw_b) = setup(&client).await;
    let no_asn = customer_gateway(&client, "116.62.69.13").await;
    let gateway_ip = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap()
        .internet_ip
        .unwrap();
    let same_ip = customer_gateway(&client, &gateway_ip).await;
    let create = |master: TunnelOptions, slave: TunnelOptions| {
        client
            .create_vpn_connection()
            .region_id(REGION)
            .vpn_gateway_id(&gw)
            .local_subnet("10.0.0.0/24")
            .remote_subnet("192.168.0.0/24")
            .tunnel_options_specification(master)
            .tunnel_options_specification(slave)
            .enable_tunnels_bgp(true)
            .send()
    };
    let t = |cgw: &str, role: TunnelRole, cidr: Option<&str>| tunnel(cgw, role, MASTER_PSK, cidr);
    use TunnelRole::{Master, Slave};
    let cases: Vec<(TunnelOptions, TunnelOptions, &str)> = vec![
        (
            t(&cgw_a, Master, None),
            t(&cgw_b, Slave, Some("169.254.2.0/30")),
            "MissingParameter.TunnelCidr",
        ),
        (
            t(&cgw_a, Master, Some("169.254.1.0/30")),
            t(&no_asn, Slave, Some("169.254.2.0/30")),
            "MissingParam.CustomerGatewayAsn",
        ),
        (
            t(&cgw_a, Master, Some("10.0.0.0/30")),
            t(&cgw_b, Slave, Some("169.254.2.0/30")),
            "IllegalParam.TunnelCidr",
        ),
        (
            t(&cgw_a, Master, Some("169.254.1.0/30")),
            t(&cgw_b, Slave, Some("169.254.1.0/30")),
            "IllegalParam.TunnelCidr",
        ),
        (
            t(&same_ip, Master, Some("169.254.1.0/30")),
            t(&cgw_b, Slave, Some("169.254.2.0/30")),
            "CustomerGateway.ConflictVpnIp",
        ),
    ];
    for (master, slave, expected) in cases {
        assert_eq!(code(create(master, slave).await), expected);
    }
    let mut bad_ip = t(&cgw_a, Master, Some("169.254.1.0/30"));
    bad_ip.tunnel_bgp_config.as_mut().unwrap().local_bgp_ip = Some("169.254.9.9".into());
    assert_eq!(
        code(create(bad_ip, t(&cgw_b, Slave, Some("169.254.2.0/30"))).await),
        "IllegalParam.LocalBgpIp"
    );
    let mut bad_asn = t(&cgw_a, Master, Some("169.254.1.0/30"));
    bad_asn.tunnel_bgp_config.as_mut().unwrap().local_asn = Some(0);
    assert_eq!(
        code(create(bad_asn, t(&cgw_b, Slave, Some("169.254.2.0/30"))).await),
        "IllegalParam.LocalAsn"
    );

    // Tunnels can be given slave first; the master is listed first anyway.
    let vco = create(
        t(&cgw_b, Slave, Some("169.254.2.0/30")),
        t(&cgw_a, Master, Some("169.254.1.0/30")),
    )
    .await
    .unwrap()
    .vpn_connection_id;
    let described = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    let master = &described.tunnel_options_specification[0];
    assert_eq!(master.role, Some(Master));
    assert_eq!(master.customer_gateway_id.as_deref(), Some(cgw_a.as_str()));
    let master_id = master.tunnel_id.clone().unwrap();
    let slave_id = described.tunnel_options_specification[1]
        .tunnel_id
        .clone()
        .unwrap();
    // The same customer gateway cannot serve a second connection on the gateway.
    let cgw_c = bgp_customer_gateway(&client, "116.62.69.14", "65003").await;
    assert_eq!(
        code(
            create(
                t(&cgw_a, Master, Some("169.254.3.0/30")),
                t(&cgw_c, Slave, Some("169.254.4.0/30"))
            )
            .await
        ),
        "InvalidVpnConnection.AlreadyExists"
    );

    // ModifyTunnelAttribute checks the same, and knows only the connection's tunnels.
    let modify = |tunnel_id: &str, settings: TunnelSettings| {
        client
            .modify_tunnel_attribute()
            .region_id(REGION)
            .vpn_connection_id(&vco)
            .tunnel_id(tunnel_id)
            .tunnel_options_specification(settings)
            .send()
    };
    let bgp = |asn: Option<i64>, ip: Option<&str>| {
        let mut b = TunnelBgpConfig::default();
        b.local_asn = asn;
        b.local_bgp_ip = ip.map(str::to_owned);
        let mut s = TunnelSettings::default();
        s.tunnel_bgp_config = Some(b);
        s
    };
    assert_eq!(
        code(modify(&master_id, bgp(Some(5_000_000_000), None)).await),
        "IllegalParam.LocalAsn"
    );
    assert_eq!(
        code(modify(&master_id, bgp(None, Some("169.254.2.1"))).await),
        "IllegalParam.LocalBgpIp"
    );
    assert_eq!(
        code(modify("tun-bp1nope", bgp(None, None)).await),
        "InvalidParameter"
    );
    let mut cgw_change = TunnelSettings::default();
    cgw_change.customer_gateway_id = Some("cgw-bp1nope".into());
    assert_eq!(
        code(modify(&slave_id, cgw_change).await),
        "InvalidParameter"
    );
    let missing = client
        .modify_tunnel_attribute()
        .region_id(REGION)
        .vpn_connection_id("vco-bp1nope")
        .tunnel_id(&master_id)
        .send()
        .await;
    assert_eq!(code(missing), "InvalidVpnConnectionInstanceId.NotFound");
    // Per-tunnel changes through ModifyVpnConnectionAttribute check the tunnel and its role.
    let mut update = vpn_gateway::types::TunnelOptionsUpdate::default();
    update.tunnel_id = Some(slave_id.clone());
    update.role = Some(Master);
    let wrong_role = client
        .modify_vpn_connection_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .tunnel_options_specification(update)
        .send()
        .await;
    assert_eq!(code(wrong_role), "IllegalParam.Role");
    // Single-tunnel settings for a dual-tunnel connection.
    let single = client
        .modify_vpn_connection_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .ike_config(IkeConfig::default())
        .send()
        .await;
    assert_eq!(code(single), "InvalidParameter");
    emulator.stop().await;
}

#[tokio::test]
async fn tunnels_are_busy_while_a_change_applies() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let (gw, cgw_a, cgw_b) = setup(&client).await;
    let vco = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .local_subnet("10.0.0.0/24,10.0.1.0/24")
        .remote_subnet("192.168.0.0/24")
        .tunnel_options_specification(tunnel(&cgw_a, TunnelRole::Master, MASTER_PSK, None))
        .tunnel_options_specification(tunnel(&cgw_b, TunnelRole::Slave, SLAVE_PSK, None))
        .send()
        .await
        .unwrap()
        .vpn_connection_id;
    let tunnels = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap()
        .tunnel_options_specification;
    let master_id = tunnels[0].tunnel_id.clone().unwrap();
    // IKEv1 cannot carry several subnets.
    let mut ike = TunnelIkeConfig::default();
    ike.ike_version = Some(IkeVersion::Ikev1);
    let mut settings = TunnelSettings::default();
    settings.tunnel_ike_config = Some(ike);
    let modify = || {
        client
            .modify_tunnel_attribute()
            .region_id(REGION)
            .vpn_connection_id(&vco)
            .tunnel_id(&master_id)
    };
    assert_eq!(
        code(modify().tunnel_options_specification(settings).send().await),
        "ModifyIkeV1WithMultiRoutes.Invalid"
    );
    // While a change applies, the tunnel is `updating` and the gateway is configuring.
    emulator.set_transition(Duration::from_secs(3600));
    modify().send().await.unwrap();
    let during = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(
        during.tunnel_options_specification[0].state.as_deref(),
        Some("updating")
    );
    assert_eq!(
        during.tunnel_options_specification[1].state.as_deref(),
        Some("active")
    );
    assert_eq!(code(modify().send().await), "VpnGateway.Configuring");
    // Diagnosis reports the tunnel that is renegotiating.
    let diagnosis = client
        .diagnose_vpn_connections()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(diagnosis.total_count, Some(1));
    assert_eq!(
        diagnosis.vpn_connections[0].tunnel_id.as_deref(),
        Some(master_id.as_str())
    );
    assert!(emulator.set_financially_locked(REGION, &gw, true));
    emulator.set_transition(Duration::ZERO);
    assert_eq!(code(modify().send().await), "VpnGateway.FinancialLocked");
    emulator.stop().await;
}

#[tokio::test]
async fn logs_and_diagnosis_of_connections() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let vco = connection(&client, &gw, "116.62.69.1").await;
    let logs = |tunnel: Option<&str>| {
        let mut request = client
            .describe_vpn_connection_logs()
            .region_id(REGION)
            .vpn_connection_id(&vco)
            .page_size(1);
        if let Some(tunnel) = tunnel {
            request = request.tunnel_id(tunnel);
        }
        request.send()
    };
    let first = logs(None).await.unwrap();
    assert_eq!(first.count, Some(2));
    assert_eq!(first.data.len(), 1);
    assert_eq!(first.is_completed, Some(false));
    assert!(first.data[0].contains(&vco), "{first:?}");
    // A window in the past has no lines.
    let old = client
        .describe_vpn_connection_logs()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .from(1_000_000)
        .to(1_000_600)
        .send()
        .await
        .unwrap();
    assert_eq!(old.count, Some(0));
    assert_eq!(
        code(logs(Some("tun-bp1nope")).await),
        "QueryVpnConnectionLog.NotFound"
    );
    let missing = client
        .describe_vpn_connection_logs()
        .region_id(REGION)
        .vpn_connection_id("vco-bp1nope")
        .send()
        .await;
    assert_eq!(code(missing), "InvalidVpnConnectionInstanceId.NotFound");

    // A healthy connection has nothing to report; a health check aimed outside the remote
    // subnets can never succeed, and is reported.
    let diagnose = || {
        client
            .diagnose_vpn_connections()
            .region_id(REGION)
            .vpn_connection_ids(&vco)
            .send()
    };
    assert_eq!(diagnose().await.unwrap().total_count, Some(0));
    let mut health = HealthCheckConfig::default();
    health.enable = Some(VcoHealthCheckEnable::True);
    health.dip = Some("172.31.0.1".into());
    health.sip = Some("10.0.0.1".into());
    client
        .modify_vpn_connection_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .health_check_config(health)
        .send()
        .await
        .unwrap();
    let found = diagnose().await.unwrap();
    assert_eq!(found.total_count, Some(1));
    assert_eq!(found.vpn_connections[0].severity.as_deref(), Some("error"));
    assert_eq!(
        found.vpn_connections[0].mismatch_remote_param.as_deref(),
        Some("dip=172.31.0.1")
    );
    // Unknown gateways, connections or tunnels, or no selection at all.
    let bad = client
        .diagnose_vpn_connections()
        .region_id(REGION)
        .vpn_gateway_id("vpn-bp1nope")
        .send()
        .await;
    assert_eq!(code(bad), "InvalidParameter");
    let bad = client
        .diagnose_vpn_connections()
        .region_id(REGION)
        .send()
        .await;
    assert_eq!(code(bad), "InvalidParameter");
    let bad = client
        .diagnose_vpn_connections()
        .region_id(REGION)
        .vpn_connection_ids(&vco)
        .tunnel_ids("tun-bp1nope")
        .send()
        .await;
    assert_eq!(code(bad), "InvalidParameter");
    emulator.stop().await;
}

#[tokio::test]
async fn tags_given_at_creation_are_checked() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let cgw = customer_gateway(&client, "116.62.69.1").await;
    let create = || {
        client
            .create_vpn_connection()
            .region_id(REGION)
            .vpn_gateway_id(&gw)
            .customer_gateway_id(&cgw)
            .local_subnet("10.0.0.0/24")
            .remote_subnet("192.168.0.0/24")
    };
    assert_eq!(
        code(
            create()
                .tags(tag("k", "1"))
                .tags(tag("k", "2"))
                .send()
                .await
        ),
        "Duplicated.TagKey"
    );
    // Reserved prefixes: the SDK refuses them before sending, so raw requests.
    let raw = |key: &str, value: &str| {
        Raw::new(
            "CreateVpnConnection",
            &[
                ("RegionId", REGION),
                ("VpnGatewayId", &gw),
                ("CustomerGatewayId", &cgw),
                ("LocalSubnet", "10.0.0.0/24"),
                ("RemoteSubnet", "192.168.0.0/24"),
                ("Tags.1.Key", key),
                ("Tags.1.Value", value),
            ],
        )
    };
    assert_eq!(
        raw_code(raw("aliyun-k", "1"), emulator.url()).await,
        "InvalidParameter.TagKey"
    );
    assert_eq!(
        raw_code(raw("k", "acs:v"), emulator.url()).await,
        "InvalidParameter.TagValue"
    );
    let mut many = create();
    for i in 0..21 {
        many = many.tags(tag(&format!("k{i}"), "v"));
    }
    assert_eq!(code(many.send().await), "SizeLimitExceeded.TagNum");
    let vco = create()
        .tags(tag("team", "net"))
        .send()
        .await
        .unwrap()
        .vpn_connection_id;
    let listed = client
        .describe_vpn_connections()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    let tags = &listed.vpn_connections[0].tag;
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].value.as_deref(), Some("net"));
    emulator.stop().await;
}

#[tokio::test]
async fn pre_shared_keys_never_appear_in_debug_output_or_error_messages() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let (gw, cgw_a, cgw_b) = setup(&client).await;
    let vco = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .tunnel_options_specification(tunnel(&cgw_a, TunnelRole::Master, MASTER_PSK, None))
        .tunnel_options_specification(tunnel(&cgw_b, TunnelRole::Slave, SLAVE_PSK, None))
        .send()
        .await
        .unwrap()
        .vpn_connection_id;
    let described = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    let config = client
        .download_vpn_connection_config()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    let tunnel_id = described.tunnel_options_specification[0]
        .tunnel_id
        .clone()
        .unwrap();
    let mut ike = TunnelIkeConfig::default();
    ike.psk = Some(MASTER_PSK.into());
    let mut settings = TunnelSettings::default();
    settings.tunnel_ike_config = Some(ike);
    let modified = client
        .modify_tunnel_attribute()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .tunnel_id(&tunnel_id)
        .tunnel_options_specification(settings.clone())
        .send()
        .await
        .unwrap();
    let debug = format!("{described:?} {config:?} {modified:?} {settings:?}");
    for psk in [MASTER_PSK, SLAVE_PSK] {
        assert!(!debug.contains(psk), "{psk} in {debug}");
    }
    // A refused request carrying keys: neither the SDK error nor the raw body echoes them.
    let refused = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .tunnel_options_specification(tunnel(&cgw_a, TunnelRole::Master, MASTER_PSK, None))
        .tunnel_options_specification(tunnel(&cgw_b, TunnelRole::Master, SLAVE_PSK, None))
        .send()
        .await
        .unwrap_err();
    let text = format!("{refused:?} {refused}");
    for psk in [MASTER_PSK, SLAVE_PSK] {
        assert!(!text.contains(psk), "{psk} in {text}");
    }
    let (status, body) = Raw::new(
        "ModifyTunnelAttribute",
        &[
            ("RegionId", REGION),
            ("VpnConnectionId", &vco),
            ("TunnelId", "tun-bp1nope"),
            ("TunnelOptionsSpecification.TunnelIkeConfig.Psk", MASTER_PSK),
        ],
    )
    .post(emulator.url())
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(!body.contains(MASTER_PSK), "{body}");
    let (_, body) = Raw::new(
        "CreateVpnConnection",
        &[
            ("RegionId", REGION),
            ("VpnGatewayId", "vpn-bp1nope"),
            ("LocalSubnet", "10.0.0.0/24"),
            ("RemoteSubnet", "10.1.0.0/24"),
            ("IkeConfig", &format!("{{\"Psk\":\"{MASTER_PSK}\"}}")),
            ("CustomerGatewayId", &cgw_a),
        ],
    )
    .post(emulator.url())
    .await;
    assert!(
        body.contains("InvalidVpnGatewayInstanceId.NotFound"),
        "{body}"
    );
    assert!(!body.contains(MASTER_PSK), "{body}");
    emulator.stop().await;
}
