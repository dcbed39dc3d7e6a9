//! Dual-tunnel IPsec-VPN through the SDK: a connection created with two typed tunnels (their
//! nested settings flattened into the form body), one tunnel modified, the connection described
//! with per-tunnel state, pre-shared keys kept out of `Debug`, and `DryRun` answered by its
//! typed outcome.

use vpn_gateway::operation::create_vpn_connection::CreateVpnConnectionErrorKind;
use vpn_gateway::runtime::transport::test_util::ReplayTransport;
use vpn_gateway::runtime::RetryPolicy;
use vpn_gateway::types::{
    IpsecAuthenticationAlgorithm, IpsecDhGroup, TunnelBgpConfig, TunnelIkeConfig,
    TunnelIpsecConfig, TunnelOptions, TunnelRole, TunnelSettings, VpnConnectionStatus,
};
use vpn_gateway::SdkError;
use vpn_gateway_tests::{client_with, REGION};

const MASTER_PSK: &str = "master-psk-7Hq2";
const SLAVE_PSK: &str = "slave-psk-9Kd4";

fn tunnel(role: TunnelRole, cgw: &str, psk: &str, cidr: &str) -> TunnelOptions {
    TunnelOptions::new()
        .role(role)
        .customer_gateway_id(cgw)
        .tunnel_ike_config(
            TunnelIkeConfig::new()
                .with_psk(psk)
                .with_ike_auth_alg(IpsecAuthenticationAlgorithm::from("sha256"))
                .with_ike_lifetime(86400),
        )
        .tunnel_ipsec_config(TunnelIpsecConfig::new().with_ipsec_pfs(IpsecDhGroup::Disabled))
        .tunnel_bgp_config(
            TunnelBgpConfig::new()
                .local_asn(65530)
                .tunnel_cidr(cidr)
                .local_bgp_ip(cidr.replace(".0/30", ".1")),
        )
}

#[tokio::test]
async fn a_dual_tunnel_connection_is_created_with_typed_tunnels_in_the_form_body() {
    let transport = ReplayTransport::new();
    transport.push_json(
        200,
        r#"{"RequestId":"R1","VpnConnectionId":"vco-1","Name":"dual","CreateTime":1700000000000}"#,
    );
    let client = client_with(&transport, RetryPolicy::standard());
    let builder = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .local_subnet("10.0.0.0/24")
        .remote_subnet("10.1.0.0/24")
        .enable_tunnels_bgp(true)
        .tunnel_options_specification(tunnel(
            TunnelRole::Master,
            "cgw-a",
            MASTER_PSK,
            "169.254.10.0/30",
        ))
        .tunnel_options_specification(tunnel(
            TunnelRole::Slave,
            "cgw-b",
            SLAVE_PSK,
            "169.254.20.0/30",
        ));
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains(MASTER_PSK) && !shown.contains(SLAVE_PSK),
        "{shown}"
    );
    let out = builder.send().await.unwrap();
    assert_eq!(out.vpn_connection_id(), "vco-1");

    let sent = transport.last_request().unwrap();
    let http = sent.http();
    assert_eq!(http.method.as_str(), "POST", "body parameters force a POST");
    let query = http.query_params();
    let body = http.form_params();
    let find = |pairs: &[(String, String)], name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    for (name, value) in [
        ("TunnelOptionsSpecification.1.Role", "master"),
        ("TunnelOptionsSpecification.1.CustomerGatewayId", "cgw-a"),
        (
            "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk",
            MASTER_PSK,
        ),
        (
            "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeAuthAlg",
            "sha256",
        ),
        (
            "TunnelOptionsSpecification.1.TunnelIkeConfig.IkeLifetime",
            "86400",
        ),
        (
            "TunnelOptionsSpecification.1.TunnelIpsecConfig.IpsecPfs",
            "disabled",
        ),
        (
            "TunnelOptionsSpecification.1.TunnelBgpConfig.LocalAsn",
            "65530",
        ),
        ("TunnelOptionsSpecification.2.Role", "slave"),
        (
            "TunnelOptionsSpecification.2.TunnelIkeConfig.Psk",
            SLAVE_PSK,
        ),
        (
            "TunnelOptionsSpecification.2.TunnelBgpConfig.LocalBgpIp",
            "169.254.20.1",
        ),
    ] {
        assert_eq!(find(&body, name).as_deref(), Some(value), "{name}");
        assert_eq!(find(&query, name), None, "{name} is not in the query");
    }
    assert_eq!(find(&query, "EnableTunnelsBgp").as_deref(), Some("true"));
    assert_eq!(find(&query, "VpnGatewayId").as_deref(), Some("vpn-1"));
    assert!(
        find(&query, "CustomerGatewayId").is_none(),
        "a dual-tunnel connection names its customer gateways per tunnel"
    );
}

#[tokio::test]
async fn a_connection_needs_a_customer_gateway_or_tunnels() {
    let transport = ReplayTransport::new();
    let client = client_with(&transport, RetryPolicy::standard());
    let err = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .local_subnet("10.0.0.0/24")
        .remote_subnet("10.1.0.0/24")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "{err:?}");
    assert!(transport.requests().is_empty());
}

#[tokio::test]
async fn one_tunnel_is_modified_with_its_settings_sent_flat() {
    let transport = ReplayTransport::new();
    transport.push_json(
        200,
        r#"{"RequestId":"R2","TunnelId":"tun-1","Role":"master","TunnelIkeConfig":{"Psk":"new-psk-1","IkeLifetime":3600}}"#,
    );
    let client = client_with(&transport, RetryPolicy::standard());
    let out = client
        .modify_tunnel_attribute()
        .region_id(REGION)
        .vpn_connection_id("vco-1")
        .tunnel_id("tun-1")
        .tunnel_options_specification(
            TunnelSettings::new().tunnel_ike_config(
                TunnelIkeConfig::new()
                    .with_psk("new-psk-1")
                    .with_ike_lifetime(3600),
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.tunnel_id(), Some("tun-1"));
    let sent = transport.last_request().unwrap();
    assert_eq!(
        sent.param("TunnelOptionsSpecification.TunnelIkeConfig.Psk")
            .as_deref(),
        Some("new-psk-1")
    );
    assert_eq!(
        sent.param("TunnelOptionsSpecification.TunnelIkeConfig.IkeLifetime")
            .as_deref(),
        Some("3600")
    );
    assert!(
        !format!("{out:?}").contains("new-psk-1"),
        "the returned key is redacted"
    );
}

#[tokio::test]
async fn a_described_connection_has_typed_per_tunnel_state() {
    let transport = ReplayTransport::new();
    // Per-tunnel numbers and booleans arrive as text here, as DescribeVpnConnection sends them.
    transport.push_json(
        200,
        r#"{"RequestId":"R3","VpnConnectionId":"vco-1","EnableTunnelsBgp":true,
            "TunnelOptionsSpecification":{"TunnelOptions":[
              {"TunnelId":"tun-1","Role":"master","State":"active","Status":"ipsec_sa_established",
               "EnableDpd":"true","ZoneNo":"cn-hangzhou-h","CustomerGatewayId":"cgw-a",
               "TunnelIkeConfig":{"Psk":"master-psk-7Hq2","IkeLifetime":"86400","IkeAuthAlg":"sha256"},
               "TunnelBgpConfig":{"LocalAsn":"65530","PeerAsn":"65531","BgpStatus":"success"}},
              {"TunnelId":"tun-2","Role":"slave","State":"active","Status":"ike_sa_not_established",
               "EnableDpd":"false","TunnelIkeConfig":{"Psk":"slave-psk-9Kd4"}}]}}"#,
    );
    let client = client_with(&transport, RetryPolicy::standard());
    let out = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id("vco-1")
        .send()
        .await
        .unwrap();
    let tunnels = out.tunnel_options_specification();
    assert_eq!(tunnels.len(), 2);
    let (master, slave) = (&tunnels[0], &tunnels[1]);
    assert_eq!(master.role(), Some(&TunnelRole::Master));
    assert_eq!(
        master.status(),
        Some(&VpnConnectionStatus::IpsecSaEstablished)
    );
    assert_eq!(master.enable_dpd(), Some(true));
    let ike = master.tunnel_ike_config().unwrap();
    assert_eq!(ike.ike_lifetime, Some(86400));
    assert_eq!(ike.psk.as_deref(), Some(MASTER_PSK));
    assert_eq!(
        master.tunnel_bgp_config().and_then(|b| b.peer_asn()),
        Some(65531)
    );
    assert_eq!(slave.role(), Some(&TunnelRole::Slave));
    assert_eq!(
        slave.status(),
        Some(&VpnConnectionStatus::IkeSaNotEstablished)
    );
    assert_eq!(slave.enable_dpd(), Some(false));
    let shown = format!("{out:?}");
    assert!(
        !shown.contains(MASTER_PSK) && !shown.contains(SLAVE_PSK),
        "{shown}"
    );
}

#[tokio::test]
async fn a_dry_run_is_answered_by_its_typed_outcome() {
    let transport = ReplayTransport::new();
    transport.push_json(
        400,
        r#"{"RequestId":"R4","Code":"DryRunOperation","Message":"Request validation has been passed with DryRun flag set."}"#,
    );
    let client = client_with(&transport, RetryPolicy::standard());
    let err = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id("vpn-1")
        .customer_gateway_id("cgw-a")
        .local_subnet("10.0.0.0/24")
        .remote_subnet("10.1.0.0/24")
        .dry_run(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(transport.requests().len(), 1, "a dry run is not retried");
    assert_eq!(
        transport.last_request().unwrap().param("DryRun").as_deref(),
        Some("true")
    );
    match err {
        SdkError::Service(e) => {
            assert!(e.is(CreateVpnConnectionErrorKind::DryRunOperation));
            assert_eq!(
                e.kind(),
                Some(CreateVpnConnectionErrorKind::DryRunOperation)
            );
        }
        other => panic!("expected the DryRunOperation outcome, got {other:?}"),
    }
}

#[tokio::test]
async fn a_new_attachment_is_awaited_until_it_is_ready() {
    use std::time::Duration;
    let transport = ReplayTransport::new();
    transport.push_json(200, r#"{"RequestId":"R5","VpnConnectionId":"vco-9"}"#);
    for state in ["init", "provisioning", "active"] {
        transport.push_json(
            200,
            format!(r#"{{"RequestId":"R","VpnConnectionId":"vco-9","State":"{state}"}}"#),
        );
    }
    let client = client_with(&transport, RetryPolicy::standard());
    let created = client
        .create_vpn_attachment()
        .region_id(REGION)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("10.1.0.0/24")
        .send()
        .await
        .unwrap();
    let vco = created.vpn_connection_id().unwrap();
    let ready = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(vco)
        .wait_until_active(
            vpn_gateway::WaiterConfig::new(Duration::from_secs(10))
                .with_delays(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        ready.state.map(|s| s.to_string()).as_deref(),
        Some("active")
    );
    assert_eq!(transport.requests().len(), 4);
}
