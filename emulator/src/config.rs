//! What an emulator instance is started with: credentials, timing, quotas and injected faults.

use std::fmt;
use std::time::Duration;

/// The AccessKey pair every emulator accepts unless told otherwise.
pub const DEFAULT_ACCESS_KEY_ID: &str = "testid";
/// The secret of [`DEFAULT_ACCESS_KEY_ID`].
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "testsecret";

/// What a credential is allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Access {
    /// Every operation is allowed.
    #[default]
    Full,
    /// A RAM user without permissions: every operation answers `Forbidden`.
    Denied,
    /// A RAM user created by another account: every operation answers the operation's
    /// documented `SubUser` code (`Forbbiden.SubUser` or `Forbidden.SubUser`).
    SubUserDenied,
}

/// An accepted AccessKey pair, optionally an STS one that must carry its `SecurityToken`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// The AccessKey ID.
    pub access_key_id: String,
    /// The AccessKey secret (never logged, redacted in `Debug`).
    pub access_key_secret: String,
    /// For STS credentials, the token requests must carry.
    pub security_token: Option<String>,
    /// What the credential may do.
    pub access: Access,
}

impl Credential {
    /// A long-term AccessKey pair with full access.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credential {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            access: Access::Full,
        }
    }

    /// Requires requests signed with this key to carry `token` as their `SecurityToken`.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// Restricts what the credential may do.
    pub fn with_access(mut self, access: Access) -> Self {
        self.access = access;
        self
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"** redacted **")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "** redacted **"),
            )
            .field("access", &self.access)
            .finish()
    }
}

/// Injected faults, for testing retries. Rates are probabilities between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FaultConfig {
    /// Share of requests answered with `Throttling.User` (HTTP 400).
    pub throttle_rate: f64,
    /// Share of requests answered with `ServiceUnavailable` (HTTP 503).
    pub server_error_rate: f64,
    /// Share of requests whose connection is dropped before a complete response.
    pub drop_rate: f64,
    /// Added to every response.
    pub latency: Duration,
}

/// Resource quotas, per region (gateways, customer gateways) or per parent resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// VPN gateways per region.
    pub vpn_gateways: usize,
    /// Customer gateways per region.
    pub customer_gateways: usize,
    /// IPsec connections per VPN gateway.
    pub vpn_connections_per_gateway: usize,
    /// Policy-based routes a connection's subnets may expand to (local × remote CIDR blocks),
    /// and policy-based routes per gateway.
    pub policy_routes: usize,
    /// Destination-based routes per VPN gateway.
    pub route_entries: usize,
    /// SSL-VPN servers per VPN gateway.
    pub ssl_vpn_servers_per_gateway: usize,
    /// Client certificates per SSL-VPN server.
    pub client_certs_per_server: usize,
    /// VPN routes published into one VPC's route table.
    pub vpc_published_routes: usize,
    /// IPsec-VPN connections bound to no VPN gateway (attachments) per region.
    pub vpn_attachments: usize,
    /// Destination-based routes per attachment (CreateVcoRouteEntry).
    pub vco_route_entries: usize,
    /// Negotiation log lines kept per connection; older lines are dropped.
    pub connection_log_lines: usize,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            vpn_gateways: 100,
            customer_gateways: 100,
            vpn_connections_per_gateway: 10,
            policy_routes: 100,
            route_entries: 100,
            ssl_vpn_servers_per_gateway: 1,
            client_certs_per_server: 100,
            vpc_published_routes: 100,
            vpn_attachments: 100,
            vco_route_entries: 100,
            connection_log_lines: 200,
        }
    }
}

/// What one request, one client and the emulator's memory may cost at most. Every limit is
/// checked before the work it protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Open connections served at once; further clients wait in the listen backlog until a
    /// connection closes. Keep it below the process's file-descriptor limit.
    pub max_connections: usize,
    /// How long a client may take to send a request head, and how long an idle keep-alive
    /// connection is kept open waiting for the next one.
    pub header_read_timeout: Duration,
    /// How long a client may take to send a request body.
    pub body_read_timeout: Duration,
    /// The largest request body accepted (`RequestBodyTooLarge`, HTTP 413, beyond it).
    pub max_body_bytes: usize,
    /// The most parameters (query and form together) one request may carry.
    pub max_parameters: usize,
    /// Unexpired signature nonces remembered per AccessKey ID; beyond it requests signed with
    /// that key are throttled until older nonces leave the timestamp window.
    pub nonces_per_key: usize,
    /// Unexpired signature nonces remembered overall; beyond it requests are refused with
    /// `Throttling` until older nonces leave the timestamp window.
    pub nonces_total: usize,
    /// How long a `ClientToken` and the response it produced are kept: within it, a repeated
    /// request returns the original response. The service does not document its retention;
    /// the default, one hour, spans every SDK retry schedule (seconds to minutes) many times
    /// over while keeping the store's size proportional to the recent write rate.
    pub client_token_retention: Duration,
    /// Unexpired `ClientToken` records kept at most; beyond it requests with a new token are
    /// throttled until older records expire.
    pub client_tokens: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 256,
            header_read_timeout: Duration::from_secs(15),
            body_read_timeout: Duration::from_secs(15),
            max_body_bytes: 1024 * 1024,
            max_parameters: 1000,
            nonces_per_key: 524_288,
            nonces_total: 524_288,
            client_token_retention: Duration::from_secs(60 * 60),
            client_tokens: 16_384,
        }
    }
}

/// Everything an emulator is started with.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Accepted credentials; the first is `testid`/`testsecret` unless replaced.
    pub credentials: Vec<Credential>,
    /// How long lifecycle transitions take (`init` → `active`, `updating` → `active`).
    pub transition: Duration,
    /// How far a request timestamp may be from the emulator's clock.
    pub timestamp_tolerance: Duration,
    /// Injected faults.
    pub faults: FaultConfig,
    /// Resource quotas.
    pub quotas: Quotas,
    /// Written into error bodies as `HostId`.
    pub host_id: String,
    /// Connection, request and memory limits.
    pub limits: Limits,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            credentials: vec![Credential::new(
                DEFAULT_ACCESS_KEY_ID,
                DEFAULT_ACCESS_KEY_SECRET,
            )],
            transition: Duration::from_millis(200),
            timestamp_tolerance: Duration::from_secs(15 * 60),
            faults: FaultConfig::default(),
            quotas: Quotas::default(),
            host_id: "vpc.aliyuncs.com".to_owned(),
            limits: Limits::default(),
        }
    }
}
