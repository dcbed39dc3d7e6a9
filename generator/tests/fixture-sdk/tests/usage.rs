//! The feature fixture's generated API used as a user would: a struct list inside a struct list
//! sent flat and a struct sent as JSON, read back by the server-side decoder; nested items
//! validated where they are; an integer enum on the wire and in JSON, unknown values kept; and
//! sensitive fields, in a nested list, in a JSON struct and in a response, kept out of `Debug`
//! and out of the errors of a server that echoes them.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

use std::collections::BTreeMap;

use vpn_gateway_fixture::operation::create_thing::CreateThingInput;
use vpn_gateway_fixture::runtime::transport::test_util::ReplayTransport;
use vpn_gateway_fixture::runtime::wire_params::decode::WireParams;
use vpn_gateway_fixture::runtime::RetryPolicy;
use vpn_gateway_fixture::types::{Label, Rule, Settings, Size};
use vpn_gateway_fixture::{Client, Config, Credentials, SdkError};

const PSK: &str = "psk-SECRET-4242";
const SETTINGS_SECRET: &str = "settings-SECRET-8686";
const OWNER_TOKEN: &str = "owner-SECRET-1717";

fn client(transport: &ReplayTransport) -> Client {
    let config = Config::builder()
        .region("cn-hangzhou")
        .credentials(Credentials::new("testid", "testsecret"))
        .retry_policy(RetryPolicy::disabled())
        .transport(transport.clone())
        .build()
        .unwrap();
    Client::new(config)
}

/// Two rules, the first with a pre-shared key and two labels (one without a value), plus a
/// top-level label and secret settings.
fn rules_and_settings(client: &Client) -> CreateThingInput {
    client
        .create_thing()
        .region_id("cn-hangzhou")
        .size(Size::Large)
        .label(Label::new().key("env").value("prod"))
        .rule(Rule::new().name("r1").psk(PSK).match_(vec![
            Label::new().key("k1").value("v1"),
            Label::new().key("k2"),
        ]))
        .rule(
            Rule::new()
                .name("r2")
                .match_(vec![Label::new().key("k3").value("v3")]),
        )
        .settings(Settings::new().secret(SETTINGS_SECRET))
        .as_input()
        .clone()
}

fn as_map(params: &[(String, String)]) -> BTreeMap<&str, &str> {
    let map: BTreeMap<&str, &str> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        map.len(),
        params.len(),
        "a parameter sent twice: {params:?}"
    );
    map
}

#[test]
fn a_struct_list_inside_a_struct_list_goes_flat_and_a_struct_as_json() {
    let input = rules_and_settings(&client(&ReplayTransport::new()));
    input.validate().unwrap();
    let params = input.to_params().unwrap();
    let settings = format!(r#"{{"Secret":"{SETTINGS_SECRET}"}}"#);
    assert_eq!(
        as_map(&params),
        BTreeMap::from([
            ("RegionId", "cn-hangzhou"),
            ("Size", "10"),
            ("Label.1.Key", "env"),
            ("Label.1.Value", "prod"),
            ("Rule.1.Name", "r1"),
            ("Rule.1.Psk", PSK),
            ("Rule.1.Match.1.Key", "k1"),
            ("Rule.1.Match.1.Value", "v1"),
            ("Rule.1.Match.2.Key", "k2"),
            ("Rule.2.Name", "r2"),
            ("Rule.2.Match.1.Key", "k3"),
            ("Rule.2.Match.1.Value", "v3"),
            ("Settings", settings.as_str()),
        ])
    );
    // What a server reads from these parameters is the input that was sent.
    assert_eq!(
        CreateThingInput::from_params(&WireParams::new(params)),
        Ok(input)
    );
}

#[tokio::test]
async fn the_client_sends_the_nested_parameters_and_types_the_output() {
    let transport = ReplayTransport::new();
    transport.push_json(200, r#"{"RequestId":"R1","ThingId":"t-1"}"#);
    let client = client(&transport);
    let out = client
        .create_thing()
        .input(rules_and_settings(&client))
        .send()
        .await
        .unwrap();
    assert_eq!(out.thing_id(), "t-1");
    let sent = transport.last_request().unwrap();
    assert_eq!(sent.action().as_deref(), Some("CreateThing"));
    assert_eq!(sent.param("Rule.1.Match.2.Key").as_deref(), Some("k2"));
    assert_eq!(sent.param("Rule.1.Match.2.Value"), None);
    assert_eq!(sent.param("Rule.2.Match.1.Value").as_deref(), Some("v3"));
    assert!(
        sent.param("ClientToken").is_some(),
        "the idempotency token is filled in"
    );
}

#[tokio::test]
async fn nested_items_are_validated_where_they_are_before_anything_is_sent() {
    let transport = ReplayTransport::new();
    let client = client(&transport);
    let too_many = Rule::new().match_(vec![Label::new().key("k"); 6]);
    let empty_key = Rule::new().match_(vec![Label::new().key("")]);
    for (rules, parameter) in [
        (vec![too_many], "Rule.1.Match"),
        (vec![Rule::new(), empty_key], "Rule.2.Match.1.Key"),
    ] {
        let err = client
            .create_thing()
            .region_id("cn-hangzhou")
            .size(Size::Small)
            .set_rule(rules)
            .send()
            .await
            .unwrap_err();
        match err {
            SdkError::Validation(v) => assert_eq!(v.parameter(), parameter, "{v}"),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
    assert!(transport.requests().is_empty());
}

#[test]
fn an_integer_enum_round_trips_and_keeps_unknown_values() {
    for size in Size::VALUES {
        assert_eq!(&Size::from(size.as_i64()), size);
        let json = serde_json::to_string(size).unwrap();
        assert_eq!(json, size.as_i64().to_string(), "sent as a JSON number");
        assert_eq!(&serde_json::from_str::<Size>(&json).unwrap(), size);
    }
    assert_eq!(Size::from(5), Size::Small);
    assert_eq!(Size::Large.as_i64(), 10);
    assert_eq!(Size::Large.to_string(), "10");
    assert_eq!(
        serde_json::from_str::<Size>(r#""10""#).unwrap(),
        Size::Large,
        "a number sent as text still reads"
    );

    // A value added to the service later: kept as received, accepted by `validate`, refused
    // by the server-side `check_known_values`, and sent on unchanged.
    let params = vec![
        ("RegionId".to_owned(), "cn-hangzhou".to_owned()),
        ("Size".to_owned(), "20".to_owned()),
    ];
    let input = CreateThingInput::from_params(&WireParams::new(params.clone())).unwrap();
    assert_eq!(input.size, Some(Size::Unknown(20)));
    assert!(!Size::Unknown(20).is_known());
    input.validate().unwrap();
    assert_eq!(input.check_known_values().unwrap_err().parameter(), "Size");
    assert_eq!(input.to_params().unwrap(), params);
}

#[test]
fn debug_output_hides_sensitive_fields_at_any_depth() {
    let client = client(&ReplayTransport::new());
    let input = rules_and_settings(&client);
    let builder = client.create_thing().input(input.clone());
    for shown in [
        format!("{input:?}"),
        format!("{input:#?}"),
        format!("{builder:?}"),
    ] {
        assert!(
            !shown.contains(PSK) && !shown.contains(SETTINGS_SECRET),
            "{shown}"
        );
        // Everything else is still there.
        assert!(
            shown.contains("r1") && shown.contains("k3") && shown.contains("redacted"),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn an_error_echoing_the_secrets_does_not_show_them() {
    let transport = ReplayTransport::new();
    transport.push_json(
        400,
        format!(
            r#"{{"RequestId":"R1","Code":"Thing.Busy","Message":"busy: Rule.1.Psk={PSK}, Settings.Secret={SETTINGS_SECRET}"}}"#
        ),
    );
    let client = client(&transport);
    let err = client
        .create_thing()
        .input(rules_and_settings(&client))
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error()
            .is_some_and(|e| e
                .is(vpn_gateway_fixture::operation::create_thing::CreateThingErrorKind::ThingBusy)),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains(PSK) && !shown.contains(SETTINGS_SECRET),
        "{shown}"
    );
    assert!(shown.contains("busy: Rule.1.Psk="), "{shown}");
}

#[tokio::test]
async fn a_sensitive_response_field_reads_but_does_not_show() {
    let transport = ReplayTransport::new();
    transport.push_json(
        200,
        format!(
            r#"{{"RequestId":"R1","TotalCount":1,"Things":{{"Thing":[{{"ThingId":"t-1","Status":"ready"}}]}},"Owner":{{"Name":"ops","Token":"{OWNER_TOKEN}"}}}}"#
        ),
    );
    let out = client(&transport).describe_things().send().await.unwrap();
    assert_eq!(out.things().len(), 1);
    let owner = out.owner().unwrap();
    assert_eq!(owner.token(), Some(OWNER_TOKEN));
    let shown = format!("{out:?}");
    assert!(
        !shown.contains(OWNER_TOKEN) && shown.contains("ops"),
        "{shown}"
    );
}
