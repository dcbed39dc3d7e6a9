//! Shared test helpers: an emulator with instant transitions, SDK clients and raw requests.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use vpn_gateway::runtime::signing::v1;
use vpn_gateway::runtime::{RequestMethod, RetryPolicy, SignatureVersion};
use vpn_gateway::{Client, Config, Credentials};
use vpn_gateway_emulator::{Emulator, EmulatorConfig};

pub const REGION: &str = "cn-hangzhou";

/// An emulator whose lifecycle transitions complete at once.
pub async fn emulator() -> Emulator {
    emulator_with(|_| {}).await
}

/// An emulator with instant transitions, adjusted by `f`.
pub async fn emulator_with(f: impl FnOnce(&mut EmulatorConfig)) -> Emulator {
    let mut config = EmulatorConfig {
        transition: Duration::ZERO,
        ..EmulatorConfig::default()
    };
    f(&mut config);
    Emulator::start(config).await.unwrap()
}

/// An SDK client for `emulator` with the default credentials, no retries.
pub fn client(emulator: &Emulator) -> Client {
    client_with(
        emulator,
        SignatureVersion::V3,
        RequestMethod::Post,
        Credentials::new("testid", "testsecret"),
    )
}

pub fn client_with(
    emulator: &Emulator,
    version: SignatureVersion,
    method: RequestMethod,
    credentials: Credentials,
) -> Client {
    Client::new(
        Config::builder()
            .endpoint(emulator.url())
            .allow_http(true)
            .credentials(credentials)
            .region(REGION)
            .signature_version(version)
            .request_method(method)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap(),
    )
}

/// The error code of a failed SDK call.
pub fn code<T, E>(result: Result<T, vpn_gateway::SdkError<E>>) -> String
where
    T: std::fmt::Debug,
    E: std::fmt::Debug + std::error::Error + vpn_gateway::ProvideErrorMetadata + 'static,
{
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e
            .code()
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no code: {e:?}")),
    }
}

/// DescribeVpnGateways in the test region.
pub async fn list_gateways(
    client: &Client,
) -> Result<
    vpn_gateway::operation::describe_vpn_gateways::DescribeVpnGatewaysOutput,
    vpn_gateway::SdkError<vpn_gateway::operation::describe_vpn_gateways::DescribeVpnGatewaysError>,
> {
    client
        .describe_vpn_gateways()
        .region_id(REGION)
        .send()
        .await
}

/// Creates an active gateway and returns its ID.
pub async fn gateway(client: &Client) -> String {
    client
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-bp1ub1yt9cvakoelj0001")
        .bandwidth(vpn_gateway::types::Bandwidth::Mbps5)
        .enable_ssl(true)
        .send()
        .await
        .unwrap()
        .vpn_gateway_id
}

/// Two vSwitch IDs in different zones of [`REGION`] (by the emulator's zone rule), and a third in
/// the zone of the first.
pub fn vswitches() -> (String, String, String) {
    use vpn_gateway_emulator::zones::vswitch_zone;
    let ids: Vec<String> = (0..64).map(|i| format!("vsw-bp1test{i:04}")).collect();
    let zone = |id: &String| vswitch_zone(REGION, id);
    let first = ids[0].clone();
    let other = ids
        .iter()
        .find(|id| zone(id) != zone(&first))
        .unwrap()
        .clone();
    let same = ids[1..]
        .iter()
        .find(|id| zone(id) == zone(&first))
        .unwrap()
        .clone();
    (first, other, same)
}

/// Creates a gateway for dual-tunnel connections (two vSwitches in different zones) and
/// returns its ID.
pub async fn dual_tunnel_gateway(client: &Client) -> String {
    let (first, second, _) = vswitches();
    client
        .create_vpn_gateway()
        .region_id(REGION)
        .vpc_id("vpc-bp1ub1yt9cvakoelj0001")
        .bandwidth(vpn_gateway::types::Bandwidth::Mbps10)
        .v_switch_id(first)
        .disaster_recovery_v_switch_id(second)
        .send()
        .await
        .unwrap()
        .vpn_gateway_id
}

/// Creates an SSL-VPN server on `gateway_id` and returns its ID.
pub async fn ssl_server(client: &Client, gateway_id: &str) -> String {
    client
        .create_ssl_vpn_server()
        .region_id(REGION)
        .vpn_gateway_id(gateway_id)
        .client_ip_pool("192.168.100.0/24")
        .local_subnet("10.1.0.0/16")
        .send()
        .await
        .unwrap()
        .ssl_vpn_server_id
}

/// Tags gateway `id` with `key` = `value`.
pub async fn tag(client: &Client, id: &str, key: &str, value: &str) {
    let mut tag = vpn_gateway::types::Tag::default();
    tag.key = Some(key.into());
    tag.value = Some(value.into());
    client
        .tag_resources()
        .region_id(REGION)
        .resource_type(vpn_gateway::types::TagResourceType::VpnGateway)
        .resource_id(id)
        .tag(tag)
        .send()
        .await
        .unwrap();
}

/// The tags of gateway `id`.
pub async fn tags_of(client: &Client, id: &str) -> Vec<vpn_gateway::types::TagResource> {
    client
        .list_tag_resources()
        .region_id(REGION)
        .resource_type(vpn_gateway::types::TagResourceType::VpnGateway)
        .resource_id(id)
        .send()
        .await
        .unwrap()
        .tag_resources
}

/// Creates a customer gateway with `ip` and returns its ID.
pub async fn customer_gateway(client: &Client, ip: &str) -> String {
    client
        .create_customer_gateway()
        .region_id(REGION)
        .ip_address(ip)
        .send()
        .await
        .unwrap()
        .customer_gateway_id
}

/// Creates a connection between a new customer gateway at `ip` and `gateway_id`.
pub async fn connection(client: &Client, gateway_id: &str, ip: &str) -> String {
    let cgw = customer_gateway(client, ip).await;
    client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id(gateway_id)
        .customer_gateway_id(cgw)
        .local_subnet("10.0.0.0/24")
        .remote_subnet("192.168.0.0/24")
        .send()
        .await
        .unwrap()
        .vpn_connection_id
}

/// The time `shift` seconds from now, as a request timestamp (`2026-11-22T00:00:00Z`).
pub fn timestamp(shift: i64) -> String {
    (OffsetDateTime::now_utc() + time::Duration::seconds(shift))
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}

/// A raw v1-signed request.
pub struct Raw {
    pub params: Vec<(String, String)>,
    pub secret: String,
}

fn nonce() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "nonce-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

impl Raw {
    /// A v1 request for `action` with the common parameters filled in.
    pub fn new(action: &str, extra: &[(&str, &str)]) -> Raw {
        let mut params: Vec<(String, String)> = [
            ("Action", action),
            ("Version", "2016-04-28"),
            ("Format", "JSON"),
            ("AccessKeyId", "testid"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        params.push(("SignatureNonce".into(), nonce()));
        params.push(("Timestamp".into(), timestamp(0)));
        for (k, v) in extra {
            params.push((k.to_string(), v.to_string()));
        }
        Raw {
            params,
            secret: "testsecret".into(),
        }
    }

    pub fn set(mut self, name: &str, value: &str) -> Raw {
        self.params.retain(|(k, _)| k != name);
        self.params.push((name.into(), value.into()));
        self
    }

    pub fn remove(mut self, name: &str) -> Raw {
        self.params.retain(|(k, _)| k != name);
        self
    }

    pub fn signed(&self, method: &str) -> Vec<(String, String)> {
        let mut params = self.params.clone();
        params.push(("Signature".into(), v1::sign(method, &params, &self.secret)));
        params
    }

    pub fn query(params: &[(String, String)]) -> String {
        params
            .iter()
            .map(|(k, v)| format!("{}={}", v1::percent_encode(k), v1::percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub async fn get(&self, url: &str) -> (u16, String) {
        let q = Raw::query(&self.signed("GET"));
        send(reqwest::Client::new().get(format!("{url}/?{q}"))).await
    }

    pub async fn post(&self, url: &str) -> (u16, String) {
        let body = Raw::query(&self.signed("POST"));
        send(
            reqwest::Client::new()
                .post(format!("{url}/"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
        .await
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> (u16, String) {
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The error code of a raw response, checking the error body's fields.
pub async fn raw_code(raw: Raw, url: &str) -> String {
    let (status, body) = raw.get(url).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    for field in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(v[field].is_string(), "{field} missing in {body}");
    }
    assert!(status >= 400, "{body}");
    v["Code"].as_str().unwrap().to_owned()
}
