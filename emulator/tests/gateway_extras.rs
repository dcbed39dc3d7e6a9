//! Gateway certificates, resource groups, diagnoses, zones, BGP availability, SSL-VPN client
//! material and clients, IPsec servers and policy-route priorities, driven through the SDK:
//! each change is checked by reading it back, and each error the emulator produces for these
//! operations is expected by its wire code.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::time::Duration;
use vpn_gateway::types::{Bandwidth, VpnGatewayStatus, VpnRouteWeight};
use vpn_gateway::Client;
use vpn_gateway_emulator::Emulator;

const LONG: Duration = Duration::from_secs(3600);

/// Creates an SM-standard gateway and returns its ID.
async fn sm_gateway(client: &Client) -> String {
    client
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-bp1ub1yt9cvakoelj0001")
        .bandwidth(Bandwidth::Mbps5)
        .vpn_type("NationalStandard")
        .send()
        .await
        .unwrap()
        .vpn_gateway_id
}

async fn associate(client: &Client, gw: &str, kind: &str, cert: &str) -> Result<(), String> {
    client
        .associate_vpn_gateway_with_certificate()
        .region_id(REGION)
        .vpn_gateway_id(gw)
        .certificate_type(kind)
        .certificate_id(cert)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.code().unwrap_or_default().to_owned())
}

async fn dissociate(client: &Client, gw: &str, kind: &str, cert: &str) -> Result<(), String> {
    client
        .dissociate_vpn_gateway_with_certificate()
        .region_id(REGION)
        .vpn_gateway_id(gw)
        .certificate_type(kind)
        .certificate_id(cert)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.code().unwrap_or_default().to_owned())
}

/// (gateway, type, certificate) of every association, following NextToken pages of `max`.
async fn associations(client: &Client, max: i32) -> Vec<(String, String, String)> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = client
            .list_vpn_certificate_associations()
            .region_id(REGION)
            .max_results(max);
        if let Some(token) = &token {
            request = request.next_token(token);
        }
        let page = request.send().await.unwrap();
        assert!(page.vpn_certificate_relations.len() <= usize::try_from(max).unwrap());
        for r in page.vpn_certificate_relations {
            let time = r.association_time.unwrap();
            assert!(time.ends_with('Z') && time.contains('T'), "{time}");
            assert_eq!(r.region_id.as_deref(), Some(REGION));
            all.push((
                r.vpn_gateway_id.unwrap(),
                r.certificate_type.unwrap(),
                r.certificate_id.unwrap(),
            ));
        }
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    all
}

#[tokio::test]
async fn sm_gateways_hold_one_signature_and_one_encryption_certificate() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let normal = gateway(&client).await;
    let sm = sm_gateway(&client).await;
    let sm2 = sm_gateway(&client).await;
    let described = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&sm)
        .send()
        .await
        .unwrap();
    assert_eq!(described.vpn_type.as_deref(), Some("NationalStandard"));

    let err = |r: Result<(), String>| r.unwrap_err();
    assert_eq!(
        err(associate(&client, &normal, "Signature", "6bfe4218-ea1d").await),
        "OperationFailed.NotNationalStandard"
    );
    assert_eq!(
        err(associate(&client, &sm, "Authentication", "6bfe4218-ea1d").await),
        "IllegalParam.CertificateType"
    );
    assert_eq!(
        err(associate(&client, "vpn-bp1nothere000000000", "Signature", "c1").await),
        "InvalidVpnGatewayInstanceId.NotFound"
    );
    assert_eq!(
        err(associate(&client, &sm, "Signature", "no such cert!").await),
        "InvalidCertificateId.NotFound"
    );
    let dry = client
        .associate_vpn_gateway_with_certificate()
        .region_id(REGION)
        .vpn_gateway_id(&sm)
        .certificate_type("Signature")
        .certificate_id("sig-1")
        .dry_run(true)
        .send()
        .await;
    assert_eq!(code(dry), "DryRunOperation");
    assert!(associations(&client, 20).await.is_empty());

    associate(&client, &sm, "Signature", "sig-1").await.unwrap();
    assert_eq!(
        err(associate(&client, &sm, "Signature", "sig-1").await),
        "OperationFailed.AssociationExist"
    );
    assert_eq!(
        err(associate(&client, &sm, "Signature", "sig-2").await),
        "OperationFailed.AnotherAssociationExist"
    );
    assert_eq!(
        err(associate(&client, &sm, "Encryption", "sig-1").await),
        "OperationFailed.InvalidCertificate"
    );
    associate(&client, &sm, "Encryption", "enc-1")
        .await
        .unwrap();
    associate(&client, &sm2, "Signature", "sig-1")
        .await
        .unwrap();

    // Three associations, read one (the default), two and twenty at a time.
    let expected = vec![
        (sm.clone(), "Signature".to_owned(), "sig-1".to_owned()),
        (sm.clone(), "Encryption".to_owned(), "enc-1".to_owned()),
        (sm2.clone(), "Signature".to_owned(), "sig-1".to_owned()),
    ];
    for max in [1, 2, 20] {
        assert_eq!(associations(&client, max).await, expected, "pages of {max}");
    }
    let first = client
        .list_vpn_certificate_associations()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(first.max_results, Some(1));
    assert_eq!(first.total_count, Some(3));
    assert_eq!(first.vpn_certificate_relations.len(), 1);
    let filtered = client
        .list_vpn_certificate_associations()
        .region_id(REGION)
        .certificate_type("Signature")
        .certificate_id("sig-1")
        .vpn_gateway_id(&sm2)
        .max_results(20)
        .send()
        .await
        .unwrap();
    assert_eq!(filtered.total_count, Some(1));
    assert_eq!(
        filtered.vpn_certificate_relations[0]
            .vpn_gateway_id
            .as_deref(),
        Some(sm2.as_str())
    );
    let bad_token = client
        .list_vpn_certificate_associations()
        .region_id(REGION)
        .next_token("not-a-token")
        .send()
        .await;
    assert_eq!(code(bad_token), "IllegalParam.NextToken");

    assert_eq!(
        err(dissociate(&client, &sm, "Encryption", "sig-1").await),
        "InvalidAssociateRelation.NotFound"
    );
    assert_eq!(
        err(dissociate(&client, &sm, "Other", "sig-1").await),
        "IllegalParam.CertificateType"
    );
    assert_eq!(
        err(dissociate(&client, "vpn-bp1nothere000000000", "Signature", "sig-1").await),
        "InvalidVpnGatewayInstanceId.NotFound"
    );
    let dry = client
        .dissociate_vpn_gateway_with_certificate()
        .region_id(REGION)
        .vpn_gateway_id(&sm)
        .certificate_type("Encryption")
        .certificate_id("enc-1")
        .dry_run(true)
        .send()
        .await;
    assert_eq!(code(dry), "DryRunOperation");
    assert_eq!(associations(&client, 20).await.len(), 3);
    dissociate(&client, &sm, "Encryption", "enc-1")
        .await
        .unwrap();
    assert_eq!(associations(&client, 20).await.len(), 2);
    // Deleting a gateway ends its associations.
    client
        .delete_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&sm2)
        .send()
        .await
        .unwrap();
    assert_eq!(
        associations(&client, 20).await,
        vec![(sm.clone(), "Signature".to_owned(), "sig-1".to_owned())]
    );

    // A gateway being configured takes no certificate change.
    emulator.set_transition(LONG);
    let busy = sm_gateway(&client).await;
    assert_eq!(
        err(associate(&client, &busy, "Signature", "sig-9").await),
        "VpnGateway.Configuring"
    );
    // A change puts the gateway into configuring for the transition time.
    dissociate(&client, &sm, "Signature", "sig-1")
        .await
        .unwrap();
    assert!(associations(&client, 20).await.is_empty());
    assert_eq!(
        err(associate(&client, &sm, "Signature", "sig-1").await),
        "VpnGateway.Configuring"
    );
    assert_eq!(
        err(dissociate(&client, &sm, "Signature", "sig-1").await),
        "VpnGateway.Configuring"
    );
}

async fn move_to(client: &Client, id: &str, kind: &str, group: &str) -> Result<(), String> {
    client
        .move_vpn_resource_group()
        .region_id(REGION)
        .instance_id(id)
        .resource_type(kind)
        .new_resource_group_id(group)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.code().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn moving_a_gateway_moves_what_belongs_to_it() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let other = gateway(&client).await;
    let vco = connection(&client, &gw, "116.62.69.1").await;
    let vss = ssl_server(&client, &gw).await;
    let vsc = client
        .create_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_server_id(&vss)
        .send()
        .await
        .unwrap()
        .ssl_vpn_client_cert_id;
    let group_of_gateway = |id: String| {
        let client = client.clone();
        async move {
            client
                .describe_vpn_gateway()
                .region_id(REGION)
                .vpn_gateway_id(id)
                .send()
                .await
                .unwrap()
                .resource_group_id
        }
    };
    assert_eq!(group_of_gateway(gw.clone()).await, None);

    move_to(&client, &gw, "VpnGateway", "rg-aek2x5nqy01")
        .await
        .unwrap();
    let rg = Some("rg-aek2x5nqy01".to_owned());
    assert_eq!(group_of_gateway(gw.clone()).await, rg);
    assert_eq!(group_of_gateway(other.clone()).await, None);
    let in_group = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .resource_group_id("rg-aek2x5nqy01")
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = in_group
        .vpn_gateways
        .iter()
        .map(|g| g.vpn_gateway_id.clone().unwrap())
        .collect();
    assert_eq!(ids, vec![gw.clone()]);
    let connection = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    assert_eq!(connection.resource_group_id, rg);
    let connections = client
        .describe_vpn_connections()
        .region_id(REGION)
        .resource_group_id("rg-aek2x5nqy01")
        .send()
        .await
        .unwrap();
    assert_eq!(connections.vpn_connections.len(), 1);
    let servers = client
        .describe_ssl_vpn_servers()
        .region_id(REGION)
        .ssl_vpn_server_id(&vss)
        .send()
        .await
        .unwrap();
    assert_eq!(servers.ssl_vpn_servers[0].resource_group_id, rg);
    let cert = client
        .describe_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_client_cert_id(&vsc)
        .send()
        .await
        .unwrap();
    assert_eq!(cert.resource_group_id, rg);

    // Customer gateways move on their own, and may be created in a group.
    let cgw = customer_gateway(&client, "116.62.69.9").await;
    move_to(&client, &cgw, "CustomerGateway", "rg-second")
        .await
        .unwrap();
    let described = client
        .describe_customer_gateway()
        .region_id(REGION)
        .customer_gateway_id(&cgw)
        .send()
        .await
        .unwrap();
    assert_eq!(described.resource_group_id.as_deref(), Some("rg-second"));
    let created_in_group = client
        .create_customer_gateway()
        .region_id(REGION)
        .ip_address("116.62.69.10")
        .resource_group_id("rg-second")
        .send()
        .await
        .unwrap()
        .customer_gateway_id;
    let listed = client
        .describe_customer_gateways()
        .region_id(REGION)
        .resource_group_id("rg-second")
        .send()
        .await
        .unwrap();
    let mut ids: Vec<_> = listed
        .customer_gateways
        .iter()
        .map(|c| c.customer_gateway_id.clone().unwrap())
        .collect();
    ids.sort();
    let mut expected = vec![cgw.clone(), created_in_group];
    expected.sort();
    assert_eq!(ids, expected);

    let err = |r: Result<(), String>| r.unwrap_err();
    assert_eq!(
        err(move_to(&client, &gw, "Vpc", "rg-third").await),
        "IllegalParam.ResourceType"
    );
    assert_eq!(
        err(move_to(&client, "vpn-bp1nothere000000000", "VpnGateway", "rg-third").await),
        "InvalidInstanceId.NotFound"
    );
    assert_eq!(
        err(move_to(&client, &gw, "CustomerGateway", "rg-third").await),
        "InvalidResourceId.NotFound"
    );
    // A connection bound to a gateway is no VPN attachment: it moves with its gateway.
    assert_eq!(
        err(move_to(&client, &vco, "VpnAttachment", "rg-third").await),
        "InvalidResourceId.NotFound"
    );
    assert_eq!(
        err(move_to(&client, &gw, "VpnGateway", "RG_Not-Valid").await),
        "InvalidResourceGroupId"
    );
    assert_eq!(
        group_of_gateway(gw).await,
        rg,
        "failed moves change nothing"
    );
}

async fn diagnose(
    client: &Client,
    gw: &str,
    resource: &str,
    extend: Option<&str>,
) -> Result<String, String> {
    let mut request = client
        .diagnose_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(gw)
        .resource_id(resource)
        .resource_type("IPsec");
    if let Some(extend) = extend {
        request = request.i_psec_extend_info(extend);
    }
    request
        .send()
        .await
        .map(|o| o.diagnose_id.unwrap())
        .map_err(|e| e.code().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_diagnosis_runs_for_the_transition_time_then_reports_every_item() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let vco = connection(&client, &gw, "116.62.69.1").await;
    emulator.set_transition(Duration::from_millis(600));
    let extend = r#"{"PrivateSourceIp":"10.0.0.5","PrivateDestinationIp":"192.168.0.7"}"#;
    let id = diagnose(&client, &gw, &vco, Some(extend)).await.unwrap();
    assert!(id.starts_with("vpndgn-"), "{id}");

    let running = client
        .get_vpn_gateway_diagnose_result()
        .region_id(REGION)
        .diagnose_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(running.total_count, Some(7));
    assert!(running.finished_count.unwrap() < 7);
    assert_eq!(running.finish_time, None);
    assert!(running.diagnose_result.is_empty());
    assert!(running.begin_time.unwrap().ends_with('Z'));
    assert_eq!(
        diagnose(&client, &gw, &vco, None).await.unwrap_err(),
        "OperationFailed.VpnGatewayDiagnosing"
    );

    tokio::time::sleep(Duration::from_millis(700)).await;
    // Read by gateway: its latest diagnosis.
    let done = client
        .get_vpn_gateway_diagnose_result()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(done.diagnose_id.as_deref(), Some(id.as_str()));
    assert_eq!(done.resource_instance_id.as_deref(), Some(vco.as_str()));
    assert_eq!(done.resource_type.as_deref(), Some("IPsec"));
    assert_eq!(done.finished_count, Some(7));
    assert!(done.finish_time.is_some());
    let items: Vec<_> = done
        .diagnose_result
        .iter()
        .map(|i| {
            (
                i.diagnose_name.clone().unwrap(),
                i.diagnose_result_level.clone().unwrap(),
                serde_json::from_str::<serde_json::Value>(
                    i.diagnose_result_description.as_deref().unwrap(),
                )
                .unwrap(),
            )
        })
        .collect();
    let names: Vec<_> = items.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "RouteEntryConflict",
            "VpnRouteQuota",
            "VpnIPsecQuota",
            "VpnPbrRouteQuota",
            "VcoConfigConsistency",
            "VcoUserInternetIpConnectivity",
            "VcoPrivateConnectivity"
        ]
    );
    let (_, level, ipsec_quota) = &items[2];
    assert_eq!(level, "normal");
    assert_eq!(ipsec_quota["used"], 1);
    assert_eq!(ipsec_quota["quantity"], 10);
    assert_eq!(items[5].2["targetIp"], "116.62.69.1");
    assert_eq!(items[6].2["srcIp"], "10.0.0.5");
    assert_eq!(items[6].2["targetIp"], "192.168.0.7");

    // A new diagnosis may start once the last one finished.
    emulator.set_transition(Duration::ZERO);
    let second = diagnose(&client, &gw, &vco, None).await.unwrap();
    let latest = client
        .get_vpn_gateway_diagnose_result()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap();
    assert_eq!(latest.diagnose_id.as_deref(), Some(second.as_str()));
    assert_eq!(latest.total_count, Some(6));
    assert_eq!(latest.finished_count, Some(6));
}

#[tokio::test]
async fn diagnosis_errors() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let quiet = gateway(&client).await;
    let vco = connection(&client, &gw, "116.62.69.1").await;
    let other_gw_vco = connection(&client, &quiet, "116.62.69.2").await;
    let raw = client
        .diagnose_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .resource_id(&vco)
        .resource_type("Vpc")
        .send()
        .await;
    assert_eq!(code(raw), "IllegalParam.ResourceType");
    let e = |r: Result<String, String>| r.unwrap_err();
    assert_eq!(
        e(diagnose(&client, &gw, "vco-bp1nothere000000000", None).await),
        "InvalidResourceId.NotFound"
    );
    assert_eq!(
        e(diagnose(&client, &gw, &other_gw_vco, None).await),
        "InvalidResourceId.NotFound"
    );
    assert_eq!(
        e(diagnose(&client, "vpn-bp1nothere000000000", &vco, None).await),
        "InvalidVpnGatewayInstanceId.NotFound"
    );
    let outside_local = r#"{"PrivateSourceIp":"10.9.0.5","PrivateDestinationIp":"192.168.0.7"}"#;
    assert_eq!(
        e(diagnose(&client, &gw, &vco, Some(outside_local)).await),
        "IllegalParam.PrivateSourceIp"
    );
    let outside_remote = r#"{"PrivateSourceIp":"10.0.0.5","PrivateDestinationIp":"8.8.8.8"}"#;
    assert_eq!(
        e(diagnose(&client, &gw, &vco, Some(outside_remote)).await),
        "IllegalParam.PrivateDestinationIp"
    );

    let missing = client
        .get_vpn_gateway_diagnose_result()
        .region_id(REGION)
        .send()
        .await;
    assert_eq!(code(missing), "MissingParam.DiagnoseInfo");
    let unknown = client
        .get_vpn_gateway_diagnose_result()
        .region_id(REGION)
        .diagnose_id("vpndgn-bp1nothere000000000")
        .send()
        .await;
    assert_eq!(code(unknown), "InvalidDiagnoseId.NotFound");
    let none_yet = client
        .get_vpn_gateway_diagnose_result()
        .region_id(REGION)
        .vpn_gateway_id(&quiet)
        .send()
        .await;
    assert_eq!(code(none_yet), "InvalidVpnGatewayId.NotFound");
    let no_gateway = client
        .get_vpn_gateway_diagnose_result()
        .region_id(REGION)
        .vpn_gateway_id("vpn-bp1nothere000000000")
        .send()
        .await;
    assert_eq!(code(no_gateway), "InvalidVpnGatewayInstanceId.NotFound");

    // The same token with another request.
    let first = client
        .diagnose_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&quiet)
        .resource_id(&other_gw_vco)
        .resource_type("IPsec")
        .client_token("diag-token-1")
        .send()
        .await
        .unwrap();
    let replay = client
        .diagnose_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&quiet)
        .resource_id(&other_gw_vco)
        .resource_type("IPsec")
        .client_token("diag-token-1")
        .send()
        .await
        .unwrap();
    assert_eq!(first.diagnose_id, replay.diagnose_id);
    let mismatch = client
        .diagnose_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .resource_id(&vco)
        .resource_type("IPsec")
        .client_token("diag-token-1")
        .send()
        .await;
    assert_eq!(code(mismatch), "IdempotentParameterMismatch");
    // A diagnosis read with the wrong gateway is not found.
    let wrong_gateway = client
        .get_vpn_gateway_diagnose_result()
        .region_id(REGION)
        .diagnose_id(first.diagnose_id.clone().unwrap())
        .vpn_gateway_id(&gw)
        .send()
        .await;
    assert_eq!(code(wrong_gateway), "InvalidDiagnoseId.NotFound");

    // A diagnosis whose connection is deleted before it finishes fails.
    emulator.set_transition(LONG);
    let running = diagnose(&client, &gw, &vco, None).await.unwrap();
    client
        .delete_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&vco)
        .send()
        .await
        .unwrap();
    let failed = client
        .get_vpn_gateway_diagnose_result()
        .region_id(REGION)
        .diagnose_id(&running)
        .send()
        .await;
    assert_eq!(code(failed), "IncorrectStatus.VpnConnectionDeleted");
    // Deleting the connection left the gateway configuring.
    let vco2 = connection(&client, &quiet, "116.62.69.3").await;
    assert_eq!(
        e(diagnose(&client, &quiet, &vco2, None).await),
        "VpnGateway.Configuring"
    );
}

#[tokio::test]
async fn zones_are_fixed_per_region_and_bgp_is_available() {
    let emulator = emulator().await;
    let client = client(&emulator);
    for region in [REGION, "cn-shanghai"] {
        let zones = client
            .describe_vpn_gateway_available_zones()
            .region_id(region)
            .spec("10M")
            .send()
            .await
            .unwrap();
        assert_eq!(zones.region_id.as_deref(), Some(region));
        let ids: Vec<_> = zones
            .available_zone_id_list
            .iter()
            .map(|z| z.zone_id.clone().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                format!("{region}-a"),
                format!("{region}-b"),
                format!("{region}-c")
            ]
        );
        assert_eq!(ids, vpn_gateway_emulator::zones::zones(region));
        assert!(ids.contains(&vpn_gateway_emulator::zones::vswitch_zone(
            region,
            "vsw-bp1abc"
        )));
        assert_eq!(
            zones.available_zone_id_list[1].zone_name.as_deref(),
            Some("Zone B")
        );
    }
    let chinese = client
        .describe_vpn_gateway_available_zones()
        .region_id(REGION)
        .spec("1000M")
        .accept_language("zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(
        chinese.available_zone_id_list[0].zone_name.as_deref(),
        Some("可用区 A")
    );
    let bad = client
        .describe_vpn_gateway_available_zones()
        .region_id(REGION)
        .spec("7M")
        .send()
        .await;
    assert_eq!(code(bad), "InvalidParameter");

    let bgp = client
        .check_vpn_bgp_enabled()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(bgp.bgp_enabled, Some(true));
}

async fn read_client_cert(
    client: &Client,
    id: &str,
) -> vpn_gateway::operation::describe_ssl_vpn_client_cert::DescribeSslVpnClientCertOutput {
    client
        .describe_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_client_cert_id(id)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_client_certificate_comes_with_a_configuration_for_its_server() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let vss = ssl_server(&client, &gw).await;
    let vsc = client
        .create_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_server_id(&vss)
        .name("laptop")
        .send()
        .await
        .unwrap()
        .ssl_vpn_client_cert_id;
    let internet_ip = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap()
        .internet_ip
        .unwrap();
    let cert = read_client_cert(&client, &vsc).await;
    assert_eq!(cert.ssl_vpn_client_cert_id.as_deref(), Some(vsc.as_str()));
    assert_eq!(cert.ssl_vpn_server_id.as_deref(), Some(vss.as_str()));
    assert_eq!(cert.name.as_deref(), Some("laptop"));
    assert_eq!(cert.status.as_deref(), Some("normal"));
    assert!(cert.end_time.unwrap() > cert.create_time.unwrap());
    let ca = cert.ca_cert.clone().unwrap();
    let own = cert.client_cert.clone().unwrap();
    let key = cert.client_key.clone().unwrap();
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(own.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_ne!(ca, own);
    let config = cert.client_config.clone().unwrap();
    assert!(
        config.contains(&format!("remote {internet_ip} 1194")),
        "{config}"
    );
    assert!(config.contains("proto udp"), "{config}");
    // The material is the same on every read; the configuration follows the server.
    client
        .modify_ssl_vpn_server()
        .region_id(REGION)
        .ssl_vpn_server_id(&vss)
        .proto(vpn_gateway::types::SslVpnServerProto::Tcp)
        .port(1195)
        .send()
        .await
        .unwrap();
    let again = read_client_cert(&client, &vsc).await;
    assert_eq!(again.client_key.as_deref(), Some(key.as_str()));
    assert_eq!(again.ca_cert.as_deref(), Some(ca.as_str()));
    let config = again.client_config.unwrap();
    assert!(
        config.contains(&format!("remote {internet_ip} 1195")),
        "{config}"
    );
    assert!(config.contains("proto tcp"), "{config}");

    let unknown = client
        .describe_ssl_vpn_client_cert()
        .region_id(REGION)
        .ssl_vpn_client_cert_id("vsc-bp1nothere000000000")
        .send()
        .await;
    assert_eq!(code(unknown), "InvalidInstanceId.NotFound");

    let clients = client
        .describe_ssl_vpn_clients()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .page_number(2)
        .page_size(5)
        .send()
        .await
        .unwrap();
    assert!(clients.client_info_list.is_empty());
    assert_eq!(clients.total_count, Some(0));
    assert_eq!(clients.page_number, Some(2));
    assert_eq!(clients.page_size, Some(5));
    assert_eq!(clients.vpn_gateway_id.as_deref(), Some(gw.as_str()));
    assert_eq!(clients.region_id.as_deref(), Some(REGION));
    let no_gateway = client
        .describe_ssl_vpn_clients()
        .region_id(REGION)
        .vpn_gateway_id("vpn-bp1nothere000000000")
        .send()
        .await;
    assert_eq!(code(no_gateway), "InvalidVpnGatewayInstanceId.NotFound");
}

/// CreateIpsecServer on `gw` with the pools given; returns the error code on failure.
async fn create_ipsec(
    client: &Client,
    gw: &str,
    local: &str,
    pool: &str,
    adjust: impl FnOnce(
        vpn_gateway::operation::create_ipsec_server::CreateIpsecServerFluentBuilder,
    )
        -> vpn_gateway::operation::create_ipsec_server::CreateIpsecServerFluentBuilder,
) -> Result<String, String> {
    let request = client
        .create_ipsec_server()
        .region_id(REGION)
        .vpn_gateway_id(gw)
        .local_subnet(local)
        .client_ip_pool(pool)
        .psk_enabled(true);
    adjust(request)
        .send()
        .await
        .map(|o| o.ipsec_server_id.unwrap())
        .map_err(|e| e.code().unwrap_or_default().to_owned())
}

async fn ipsec_servers(
    client: &Client,
) -> Vec<vpn_gateway::types::ListIpsecServersResponseIpsecServers> {
    client
        .list_ipsec_servers()
        .region_id(REGION)
        .max_results(20)
        .send()
        .await
        .unwrap()
        .ipsec_servers
}

async fn gateway_status(client: &Client, gw: &str) -> VpnGatewayStatus {
    client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(gw)
        .send()
        .await
        .unwrap()
        .status
        .unwrap()
}

#[tokio::test]
async fn ipsec_servers_are_created_listed_updated_logged_and_deleted() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let internet_ip = client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .send()
        .await
        .unwrap()
        .internet_ip
        .unwrap();
    let dry = create_ipsec(&client, &gw, "10.1.0.0/16", "10.8.0.0/24", |r| {
        r.dry_run("true")
    })
    .await;
    assert_eq!(dry.unwrap_err(), "DryRunOperation");
    assert!(ipsec_servers(&client).await.is_empty());

    let iss = create_ipsec(
        &client,
        &gw,
        "10.1.0.0/16,10.2.0.0/16",
        "10.8.0.0/24",
        |r| {
            r.ip_sec_server_name("office")
                .psk("s3cret-Key!")
                .ike_config(r#"{"IkeVersion":"ikev1","IkeLifetime":3600}"#)
                .ipsec_config(r#"{"IpsecPfs":"disabled"}"#)
        },
    )
    .await
    .unwrap();
    assert!(iss.starts_with("iss-"), "{iss}");
    let listed = ipsec_servers(&client).await;
    assert_eq!(listed.len(), 1);
    let s = &listed[0];
    assert_eq!(s.ipsec_server_id.as_deref(), Some(iss.as_str()));
    assert_eq!(s.ipsec_server_name.as_deref(), Some("office"));
    assert_eq!(s.vpn_gateway_id.as_deref(), Some(gw.as_str()));
    assert_eq!(s.local_subnet.as_deref(), Some("10.1.0.0/16,10.2.0.0/16"));
    assert_eq!(s.client_ip_pool.as_deref(), Some("10.8.0.0/24"));
    assert_eq!(s.psk.as_deref(), Some("s3cret-Key!"));
    assert_eq!(s.psk_enabled, Some(true));
    assert_eq!(s.internet_ip.as_deref(), Some(internet_ip.as_str()));
    let ike = s.ike_config.as_ref().unwrap();
    assert_eq!(ike.ike_version.as_deref(), Some("ikev1"));
    assert_eq!(ike.ike_lifetime, Some(3600));
    assert_eq!(ike.ike_enc_alg.as_deref(), Some("aes"));
    assert_eq!(ike.local_id.as_deref(), Some(internet_ip.as_str()));
    let ipsec = s.ipsec_config.as_ref().unwrap();
    assert_eq!(ipsec.ipsec_pfs.as_deref(), Some("disabled"));
    assert_eq!(ipsec.ipsec_lifetime, Some(86400));

    // One server per gateway, and none with IPsec connections.
    assert_eq!(
        create_ipsec(&client, &gw, "10.3.0.0/16", "10.9.0.0/24", |r| r)
            .await
            .unwrap_err(),
        "OperationFailed.IPsecServerExist"
    );
    let cgw = customer_gateway(&client, "116.62.69.1").await;
    let vco = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .customer_gateway_id(cgw)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .send()
        .await;
    assert_eq!(code(vco), "VpnGateway.IPsecServerAndVpnConnectionConflict");

    // Renaming alone leaves the gateway active; other changes reconfigure it.
    emulator.set_transition(LONG);
    client
        .update_ipsec_server()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .ipsec_server_name("head-office")
        .send()
        .await
        .unwrap();
    assert_eq!(gateway_status(&client, &gw).await, VpnGatewayStatus::Active);
    let dry = client
        .update_ipsec_server()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .local_subnet("10.4.0.0/16")
        .dry_run("true")
        .send()
        .await;
    assert_eq!(code(dry), "DryRunOperation");
    client
        .update_ipsec_server()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .local_subnet("10.4.0.0/16")
        .psk("n3w-key")
        .send()
        .await
        .unwrap();
    assert_eq!(
        gateway_status(&client, &gw).await,
        VpnGatewayStatus::Updating
    );
    let s = ipsec_servers(&client).await.remove(0);
    assert_eq!(s.ipsec_server_name.as_deref(), Some("head-office"));
    assert_eq!(s.local_subnet.as_deref(), Some("10.4.0.0/16"));
    assert_eq!(s.psk.as_deref(), Some("n3w-key"));
    assert_eq!(
        s.ike_config.unwrap().ike_version.as_deref(),
        Some("ikev1"),
        "unchanged settings stay"
    );
    let busy = client
        .update_ipsec_server()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .local_subnet("10.5.0.0/16")
        .send()
        .await;
    assert_eq!(code(busy), "VpnGateway.Configuring");
    let busy = client
        .delete_ipsec_server()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .send()
        .await;
    assert_eq!(code(busy), "VpnGateway.Configuring");

    // The log has the creation, the rename and the update, without the key.
    let logs = client
        .list_ipsec_server_logs()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .minute_period(10)
        .send()
        .await
        .unwrap();
    assert_eq!(logs.count, Some(3));
    assert_eq!(logs.is_completed, Some(true));
    assert!(logs.data.iter().all(|l| l.contains(&iss)));
    assert!(logs.data[0].contains("created"), "{:?}", logs.data);
    assert!(logs.data[1].contains("renamed"), "{:?}", logs.data);
    assert!(logs.data[2].contains("10.4.0.0/16"), "{:?}", logs.data);
    assert!(logs
        .data
        .iter()
        .all(|l| !l.contains("n3w-key") && !l.contains("s3cret")));
    let second_page = client
        .list_ipsec_server_logs()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .minute_period(10)
        .page_size(2)
        .page_number(2)
        .send()
        .await
        .unwrap();
    assert_eq!(second_page.count, Some(3));
    assert_eq!(second_page.data, logs.data[2..].to_vec());
    let now = i32::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap();
    let past = client
        .list_ipsec_server_logs()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .from(now - 7200)
        .to(now - 3600)
        .send()
        .await
        .unwrap();
    assert_eq!(past.count, Some(0));
    let around = client
        .list_ipsec_server_logs()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .from(now - 60)
        .minute_period(5)
        .send()
        .await
        .unwrap();
    assert_eq!(around.count, Some(3));
    let no_window = client
        .list_ipsec_server_logs()
        .region_id(REGION)
        .ipsec_server_id(&iss)
        .send()
        .await;
    assert_eq!(code(no_window), "MissingParameter");
    let unknown = client
        .list_ipsec_server_logs()
        .region_id(REGION)
        .ipsec_server_id("iss-bp1nothere000000000")
        .minute_period(1)
        .send()
        .await;
    assert_eq!(code(unknown), "InvalidIpsecServerId.NotFound");

    // Deleting: a dry run keeps it, the deletion removes it, a second deletion finds nothing.
    emulator.set_transition(Duration::ZERO);
    let other = gateway(&client).await;
    let iss2 = create_ipsec(&client, &other, "10.1.0.0/16", "10.8.0.0/24", |r| r)
        .await
        .unwrap();
    let generated = ipsec_servers(&client)
        .await
        .into_iter()
        .find(|s| s.ipsec_server_id.as_deref() == Some(iss2.as_str()))
        .unwrap()
        .psk
        .unwrap();
    assert_eq!(generated.len(), 16, "a key is generated when none is given");
    let dry = client
        .delete_ipsec_server()
        .region_id(REGION)
        .ipsec_server_id(&iss2)
        .dry_run("true")
        .send()
        .await;
    assert_eq!(code(dry), "DryRunOperation");
    assert_eq!(ipsec_servers(&client).await.len(), 2);
    client
        .delete_ipsec_server()
        .region_id(REGION)
        .ipsec_server_id(&iss2)
        .send()
        .await
        .unwrap();
    assert_eq!(ipsec_servers(&client).await.len(), 1);
    let again = client
        .delete_ipsec_server()
        .region_id(REGION)
        .ipsec_server_id(&iss2)
        .send()
        .await;
    assert_eq!(code(again), "InvalidIpsecServerId.NotFound");
    let update_gone = client
        .update_ipsec_server()
        .region_id(REGION)
        .ipsec_server_id(&iss2)
        .ipsec_server_name("x")
        .send()
        .await;
    assert_eq!(code(update_gone), "InvalidIpsecServerId.NotFound");
}

#[tokio::test]
async fn ipsec_server_errors() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let _vss = ssl_server(&client, &gw).await; // client pool 192.168.100.0/24
    let check = |local: &'static str, pool: &'static str| {
        let client = client.clone();
        let gw = gw.clone();
        async move {
            create_ipsec(&client, &gw, local, pool, |r| r)
                .await
                .unwrap_err()
        }
    };
    assert_eq!(
        check("10.0.0.0/33", "10.8.0.0/24").await,
        "IllegalParam.LocalSubnet"
    );
    assert_eq!(
        check("10.1.0.0/16", "not-a-block").await,
        "IllegalParam.ClientIpPool"
    );
    assert_eq!(
        check("10.1.0.0/16", "10.8.0.0/30").await,
        "ClientIpPool.NetmaskInvalid"
    );
    assert_eq!(
        check("10.1.0.0/16", "127.0.0.0/24").await,
        "ClientIpPool.SubnetInvalid"
    );
    assert_eq!(
        check("10.1.0.0/16", "10.8.0.1/24").await,
        "ClientIpPool.SubnetInvalid"
    );
    assert_eq!(
        check("10.1.0.0/16", "10.1.2.0/24").await,
        "InvalidClientIpPool.Conflict"
    );
    assert_eq!(
        check("10.1.0.0/16", "192.168.100.0/25").await,
        "VpnRouteEntry.Conflict"
    );
    let no_auth = create_ipsec(&client, &gw, "10.1.0.0/16", "10.8.0.0/24", |r| {
        r.psk_enabled(false)
    })
    .await;
    assert_eq!(no_auth.unwrap_err(), "IllegalParam.AuthMethod");
    let pfs = create_ipsec(&client, &gw, "10.1.0.0/16", "10.8.0.0/24", |r| {
        r.ipsec_config(r#"{"IpsecPfs":"group20"}"#)
    })
    .await;
    assert_eq!(pfs.unwrap_err(), "OperationUnsupported.IpsecPfs");
    let bad_ike = create_ipsec(&client, &gw, "10.1.0.0/16", "10.8.0.0/24", |r| {
        r.ike_config(r#"{"IkeVersion":"ikev9"}"#)
    })
    .await;
    assert_eq!(bad_ike.unwrap_err(), "InvalidParameter");
    // A refused key is never echoed.
    let bad_psk = client
        .create_ipsec_server()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .local_subnet("10.1.0.0/16")
        .client_ip_pool("10.8.0.0/24")
        .psk_enabled(true)
        .psk("has a space inside")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad_psk.code(), Some("InvalidParameter"));
    assert!(!format!("{bad_psk:?} {bad_psk}").contains("has a space"));
    assert_eq!(
        create_ipsec(
            &client,
            "vpn-bp1nothere000000000",
            "10.1.0.0/16",
            "10.8.0.0/24",
            |r| r
        )
        .await
        .unwrap_err(),
        "InvalidVpnGatewayInstanceId.NotFound"
    );
    let no_ssl = client
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-bp1ub1yt9cvakoelj0001")
        .bandwidth(Bandwidth::Mbps5)
        .enable_ssl(false)
        .send()
        .await
        .unwrap()
        .vpn_gateway_id;
    assert_eq!(
        create_ipsec(&client, &no_ssl, "10.1.0.0/16", "10.8.0.0/24", |r| r)
            .await
            .unwrap_err(),
        "VpnGateway.SslVpnDisabled"
    );
    let with_connection = gateway(&client).await;
    connection(&client, &with_connection, "116.62.69.1").await;
    assert_eq!(
        create_ipsec(
            &client,
            &with_connection,
            "10.1.0.0/16",
            "10.8.0.0/24",
            |r| r
        )
        .await
        .unwrap_err(),
        "VpnGateway.IPsecServerAndVpnConnectionConflict"
    );

    // Updates are checked as creations are.
    let iss = create_ipsec(&client, &gw, "10.1.0.0/16", "10.8.0.0/24", |r| r)
        .await
        .unwrap();
    let update = |adjust: fn(
        vpn_gateway::operation::update_ipsec_server::UpdateIpsecServerFluentBuilder,
    )
        -> vpn_gateway::operation::update_ipsec_server::UpdateIpsecServerFluentBuilder| {
        let request = client
            .update_ipsec_server()
            .region_id(REGION)
            .ipsec_server_id(&iss);
        async move { code(adjust(request).send().await) }
    };
    assert_eq!(
        update(|r| r.psk_enabled(false)).await,
        "IllegalParam.AuthMethod"
    );
    assert_eq!(
        update(|r| r.client_ip_pool("10.8.0.0/12")).await,
        "ClientIpPool.NetmaskInvalid"
    );
    assert_eq!(
        update(|r| r.local_subnet("10.8.0.0/16")).await,
        "InvalidClientIpPool.Conflict"
    );
    assert_eq!(
        update(|r| r.local_subnet("10.8.0.0")).await,
        "IllegalParam.LocalSubnet"
    );
    assert_eq!(
        update(|r| r.client_ip_pool("10.8.0.0")).await,
        "IllegalParam.ClientIpPool"
    );
    assert_eq!(
        update(|r| r.client_ip_pool("224.0.0.0/24")).await,
        "ClientIpPool.SubnetInvalid"
    );
    assert_eq!(
        update(|r| r.client_ip_pool("192.168.100.0/24")).await,
        "VpnRouteEntry.Conflict"
    );
    assert_eq!(
        update(|r| r.ipsec_config(r#"{"IpsecPfs":"group99"}"#)).await,
        "OperationUnsupported.IpsecPfs"
    );
    let unchanged = ipsec_servers(&client).await.remove(0);
    assert_eq!(unchanged.client_ip_pool.as_deref(), Some("10.8.0.0/24"));
    assert_eq!(unchanged.local_subnet.as_deref(), Some("10.1.0.0/16"));

    assert!(emulator.set_financially_locked(REGION, &gw, true));
    assert_eq!(
        update(|r| r.ipsec_server_name("x")).await,
        "VpnGateway.FinancialLocked"
    );
    let locked_gateway = gateway(&client).await;
    assert!(emulator.set_financially_locked(REGION, &locked_gateway, true));
    assert_eq!(
        create_ipsec(
            &client,
            &locked_gateway,
            "10.1.0.0/16",
            "10.8.0.0/24",
            |r| r
        )
        .await
        .unwrap_err(),
        "VpnGateway.FinancialLocked"
    );
    emulator.set_transition(LONG);
    let busy = gateway(&client).await;
    assert_eq!(
        create_ipsec(&client, &busy, "10.1.0.0/16", "10.8.0.0/24", |r| r)
            .await
            .unwrap_err(),
        "VpnGateway.Configuring"
    );
}

#[tokio::test]
async fn ipsec_servers_list_in_pages_and_by_filter() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let mut created = Vec::new();
    for i in 0..3 {
        let gw = gateway(&client).await;
        let iss = create_ipsec(&client, &gw, "10.1.0.0/16", "10.8.0.0/24", |r| {
            r.ip_sec_server_name(format!("server-{i}"))
        })
        .await
        .unwrap();
        created.push((gw, iss));
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut request = client.list_ipsec_servers().region_id(REGION).max_results(2);
        if let Some(t) = &token {
            request = request.next_token(t);
        }
        let page = request.send().await.unwrap();
        pages += 1;
        assert_eq!(page.total_count, Some(3));
        assert_eq!(page.max_results, Some(2));
        seen.extend(
            page.ipsec_servers
                .into_iter()
                .map(|s| s.ipsec_server_id.unwrap()),
        );
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(pages, 2);
    let expected: Vec<_> = created.iter().map(|(_, iss)| iss.clone()).collect();
    assert_eq!(seen, expected);

    let by_name = client
        .list_ipsec_servers()
        .region_id(REGION)
        .ipsec_server_name("server-1")
        .send()
        .await
        .unwrap();
    assert_eq!(by_name.ipsec_servers.len(), 1);
    assert_eq!(
        by_name.ipsec_servers[0].ipsec_server_id,
        Some(created[1].1.clone())
    );
    let by_gateway = client
        .list_ipsec_servers()
        .region_id(REGION)
        .vpn_gateway_id(&created[2].0)
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_gateway.ipsec_servers[0].ipsec_server_id,
        Some(created[2].1.clone())
    );
    let by_ids = client
        .list_ipsec_servers()
        .region_id(REGION)
        .ipsec_server_id(&created[0].1)
        .ipsec_server_id(&created[2].1)
        .send()
        .await
        .unwrap();
    assert_eq!(by_ids.total_count, Some(2));
    move_to(&client, &created[1].0, "VpnGateway", "rg-ipsec")
        .await
        .unwrap();
    let by_group = client
        .list_ipsec_servers()
        .region_id(REGION)
        .resource_group_id("rg-ipsec")
        .send()
        .await
        .unwrap();
    assert_eq!(by_group.ipsec_servers.len(), 1);
    assert_eq!(
        by_group.ipsec_servers[0].resource_group_id.as_deref(),
        Some("rg-ipsec")
    );
    let bad = client
        .list_ipsec_servers()
        .region_id(REGION)
        .next_token("0000000000000001ffffffffffffffff")
        .send()
        .await;
    assert_eq!(code(bad), "IllegalParam.NextToken");
    // Deleting a gateway removes its server.
    client
        .delete_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(&created[0].0)
        .send()
        .await
        .unwrap();
    assert_eq!(ipsec_servers(&client).await.len(), 2);
}

/// The policy routes of `gw` as (source, dest, next hop, weight, priority).
async fn policy_routes(client: &Client, gw: &str) -> Vec<(String, String, String, i64, i32)> {
    let mut routes: Vec<_> = client
        .describe_vpn_pbr_route_entries()
        .region_id(REGION)
        .vpn_gateway_id(gw)
        .page_size(50)
        .send()
        .await
        .unwrap()
        .vpn_pbr_route_entries
        .into_iter()
        .map(|r| {
            (
                r.route_source.unwrap(),
                r.route_dest.unwrap(),
                r.next_hop.unwrap(),
                r.weight.unwrap().as_i64(),
                r.priority.unwrap(),
            )
        })
        .collect();
    routes.sort();
    routes
}

async fn pbr(
    client: &Client,
    gw: &str,
    source: &str,
    dest: &str,
    hop: &str,
    weight: VpnRouteWeight,
    priority: Option<i32>,
) -> Result<(), String> {
    let mut request = client
        .create_vpn_pbr_route_entry()
        .region_id(REGION)
        .vpn_gateway_id(gw)
        .route_source(source)
        .route_dest(dest)
        .next_hop(hop)
        .weight(weight)
        .publish_vpc(false);
    if let Some(priority) = priority {
        request = request.priority(priority);
    }
    request
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.code().unwrap_or_default().to_owned())
}

struct Attribute<'a> {
    source: &'a str,
    dest: &'a str,
    hop: &'a str,
    priority: i32,
    weight: i32,
    new_priority: Option<i32>,
    new_weight: Option<i32>,
}

async fn modify_attribute(client: &Client, gw: &str, a: Attribute<'_>) -> Result<(), String> {
    let mut request = client
        .modify_vpn_pbr_route_entry_attribute()
        .region_id(REGION)
        .vpn_gateway_id(gw)
        .route_source(a.source)
        .route_dest(a.dest)
        .next_hop(a.hop)
        .priority(a.priority)
        .weight(a.weight);
    if let Some(p) = a.new_priority {
        request = request.new_priority(p);
    }
    if let Some(w) = a.new_weight {
        request = request.new_weight(w);
    }
    request
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.code().unwrap_or_default().to_owned())
}

async fn modify_priority(
    client: &Client,
    gw: &str,
    dest: &str,
    hop: &str,
    priority: Option<i32>,
    new_priority: i32,
) -> Result<(), String> {
    let mut request = client
        .modify_vpn_pbr_route_entry_priority()
        .region_id(REGION)
        .vpn_gateway_id(gw)
        .route_source("10.0.0.0/24")
        .route_dest(dest)
        .next_hop(hop)
        .weight(100)
        .new_priority(new_priority);
    if let Some(p) = priority {
        request = request.priority(p);
    }
    request
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.code().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn policy_routes_have_priorities_that_can_change() {
    let emulator: Emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let vco = connection(&client, &gw, "116.62.69.1").await;
    let vco2 = connection(&client, &gw, "116.62.69.2").await;
    const HI: VpnRouteWeight = VpnRouteWeight::HighPriority;
    const LO: VpnRouteWeight = VpnRouteWeight::LowPriority;
    let src = "10.0.0.0/24";
    pbr(&client, &gw, src, "192.168.1.0/24", &vco, HI, None)
        .await
        .unwrap();
    pbr(&client, &gw, src, "192.168.1.0/24", &vco2, LO, None)
        .await
        .unwrap();
    pbr(&client, &gw, src, "172.16.0.0/16", &vco, HI, Some(30))
        .await
        .unwrap();
    let route = |dest: &str, hop: &str, weight: i64, priority: i32| {
        (
            src.to_owned(),
            dest.to_owned(),
            hop.to_owned(),
            weight,
            priority,
        )
    };
    let mut expected = vec![
        route("192.168.1.0/24", &vco, 100, 10),
        route("192.168.1.0/24", &vco2, 0, 10),
        route("172.16.0.0/16", &vco, 100, 30),
    ];
    expected.sort();
    assert_eq!(policy_routes(&client, &gw).await, expected, "default 10");

    modify_priority(&client, &gw, "192.168.1.0/24", &vco, Some(10), 5)
        .await
        .unwrap();
    modify_priority(&client, &gw, "172.16.0.0/16", &vco, None, 40)
        .await
        .unwrap();
    let mut expected = vec![
        route("192.168.1.0/24", &vco, 100, 5),
        route("192.168.1.0/24", &vco2, 0, 10),
        route("172.16.0.0/16", &vco, 100, 40),
    ];
    expected.sort();
    assert_eq!(policy_routes(&client, &gw).await, expected);
    // The original priority, when given, must be the route's.
    modify_priority(&client, &gw, "192.168.1.0/24", &vco, Some(10), 6)
        .await
        .unwrap_err();

    // Both attributes at once: the standby becomes active at priority 20, the other standby.
    modify_attribute(
        &client,
        &gw,
        Attribute {
            source: src,
            dest: "192.168.1.0/24",
            hop: &vco,
            priority: 5,
            weight: 100,
            new_priority: Some(10),
            new_weight: Some(0),
        },
    )
    .await
    .unwrap_err(); // the other route at 10 already has weight 0
    modify_attribute(
        &client,
        &gw,
        Attribute {
            source: src,
            dest: "192.168.1.0/24",
            hop: &vco2,
            priority: 10,
            weight: 0,
            new_priority: Some(20),
            new_weight: Some(100),
        },
    )
    .await
    .unwrap();
    let mut expected = vec![
        route("192.168.1.0/24", &vco, 100, 5),
        route("192.168.1.0/24", &vco2, 100, 20),
        route("172.16.0.0/16", &vco, 100, 40),
    ];
    expected.sort();
    assert_eq!(policy_routes(&client, &gw).await, expected);
    // ModifyVpnPbrRouteEntryWeight still works alongside priorities.
    client
        .modify_vpn_pbr_route_entry_weight()
        .region_id(REGION)
        .vpn_gateway_id(&gw)
        .route_source(src)
        .route_dest("192.168.1.0/24")
        .next_hop(&vco2)
        .weight(HI)
        .new_weight(LO)
        .send()
        .await
        .unwrap();
    assert!(policy_routes(&client, &gw)
        .await
        .contains(&route("192.168.1.0/24", &vco2, 0, 20)));
}

#[tokio::test]
async fn policy_route_priority_errors() {
    let emulator = emulator().await;
    let client = client(&emulator);
    let gw = gateway(&client).await;
    let vco = connection(&client, &gw, "116.62.69.1").await;
    let vco2 = connection(&client, &gw, "116.62.69.2").await;
    const HI: VpnRouteWeight = VpnRouteWeight::HighPriority;
    const LO: VpnRouteWeight = VpnRouteWeight::LowPriority;
    let src = "10.0.0.0/24";
    pbr(&client, &gw, src, "192.168.1.0/24", &vco, HI, Some(10))
        .await
        .unwrap();
    pbr(&client, &gw, src, "192.168.1.0/24", &vco2, LO, Some(10))
        .await
        .unwrap();
    pbr(&client, &gw, src, "192.168.0.0/16", &vco, HI, Some(20))
        .await
        .unwrap();
    // Overlapping traffic at one priority, created or changed into.
    assert_eq!(
        pbr(
            &client,
            &gw,
            "10.0.0.0/16",
            "192.168.1.128/25",
            &vco,
            HI,
            Some(10)
        )
        .await
        .unwrap_err(),
        "VpnRouteEntry.SamePriorityPbrRoutePrefixOverlap"
    );
    assert_eq!(
        modify_priority(&client, &gw, "192.168.0.0/16", &vco, None, 10)
            .await
            .unwrap_err(),
        "VpnRouteEntry.SamePriorityPbrRoutePrefixOverlap"
    );
    let attribute = |hop: String, priority, weight, new_priority, new_weight| {
        let client = client.clone();
        let gw = gw.clone();
        async move {
            modify_attribute(
                &client,
                &gw,
                Attribute {
                    source: "10.0.0.0/24",
                    dest: "192.168.1.0/24",
                    hop: &hop,
                    priority,
                    weight,
                    new_priority,
                    new_weight,
                },
            )
            .await
            .unwrap_err()
        }
    };
    assert_eq!(
        attribute(vco2.clone(), 10, 0, None, Some(100)).await,
        "VpnRouteEntry.SrcDestWeightConflict"
    );
    assert_eq!(
        attribute(vco2.clone(), 10, 0, None, None).await,
        "MissingParameter"
    );
    assert_eq!(
        attribute(vco2.clone(), 10, 0, Some(101), None).await,
        "InvalidParameter"
    );
    assert_eq!(
        modify_priority(&client, &gw, "192.168.1.0/24", &vco, None, 0)
            .await
            .unwrap_err(),
        "InvalidParameter"
    );
    assert_eq!(
        modify_priority(
            &client,
            "vpn-bp1nothere000000000",
            "192.168.1.0/24",
            &vco,
            None,
            5
        )
        .await
        .unwrap_err(),
        "InvalidVpnGatewayInstanceId.NotFound"
    );
    assert!(emulator.set_financially_locked(REGION, &gw, true));
    assert_eq!(
        modify_priority(&client, &gw, "192.168.1.0/24", &vco, None, 5)
            .await
            .unwrap_err(),
        "VpnGateway.FinancialLocked"
    );
    assert_eq!(
        attribute(vco.clone(), 10, 100, Some(5), None).await,
        "VpnGateway.FinancialLocked"
    );
    assert!(emulator.set_financially_locked(REGION, &gw, false));
    emulator.set_transition(LONG);
    modify_priority(&client, &gw, "192.168.1.0/24", &vco, None, 5)
        .await
        .unwrap();
    assert_eq!(
        attribute(vco.clone(), 5, 100, Some(6), None).await,
        "VpnGateway.Configuring"
    );
    assert_eq!(
        modify_priority(&client, &gw, "192.168.1.0/24", &vco, None, 7)
            .await
            .unwrap_err(),
        "VpnGateway.Configuring"
    );
}
