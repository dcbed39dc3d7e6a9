//! Shared test helpers: an emulator with instant transitions, SDK clients and raw requests.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;
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
