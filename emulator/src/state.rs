//! The in-memory model: one [`Region`] per region ID behind a mutex, resource records, lifecycle
//! transitions and the shared checks the handlers use.

use crate::config::Quotas;
use crate::error::ApiError;
use crate::ids::IdGenerator;
use std::any::Any;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use vpn_gateway::types::{
    BgpConfig, HealthCheckConfig, IkeConfigInfo, IpsecConfigInfo, TunnelBgpConfig, TunnelIkeConfig,
    TunnelIpsecConfig, TunnelRole, VpnGatewayBusinessStatus, VpnGatewayStatus, VpnRouteWeight,
};
use vpn_gateway::ErrorCode;

/// A VPN gateway.
#[derive(Debug, Clone)]
pub struct Gateway {
    pub id: String,
    pub seq: u64,
    pub vpc_id: String,
    pub v_switch_id: Option<String>,
    /// The second vSwitch, in another zone, of a gateway for dual-tunnel connections.
    pub disaster_recovery_v_switch_id: Option<String>,
    /// The second public IP of a dual-tunnel gateway.
    pub disaster_recovery_internet_ip: Option<String>,
    /// `public` or `private`.
    pub network_type: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub bandwidth: i64,
    /// The public IP (for a `private` gateway, its private one).
    pub internet_ip: String,
    pub intranet_ip: String,
    pub create_time: i64,
    pub end_time: Option<i64>,
    pub prepaid: bool,
    pub status: VpnGatewayStatus,
    pub busy_until: Option<Instant>,
    pub business_status: VpnGatewayBusinessStatus,
    pub ipsec: bool,
    pub ssl: bool,
    pub ssl_max_connections: i64,
    pub auto_propagate: bool,
    pub enable_bgp: bool,
    /// The resource group (`None`: the account's default group).
    pub resource_group_id: Option<String>,
    /// An SM-standard (`NationalStandard`) gateway, which takes SM certificates.
    pub national_standard: bool,
}

impl Gateway {
    /// Whether the gateway serves dual-tunnel IPsec-VPN connections: it was created with two
    /// vSwitches.
    pub fn dual_tunnel(&self) -> bool {
        self.disaster_recovery_v_switch_id.is_some()
    }
}

/// A customer gateway.
#[derive(Debug, Clone)]
pub struct CustomerGateway {
    pub id: String,
    pub seq: u64,
    pub ip_address: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub asn: Option<String>,
    pub create_time: i64,
    /// The resource group (`None`: the account's default group).
    pub resource_group_id: Option<String>,
}

/// An IPsec-VPN connection.
#[derive(Debug, Clone)]
pub struct Connection {
    pub id: String,
    pub seq: u64,
    pub gateway_id: String,
    pub customer_gateway_id: String,
    pub name: Option<String>,
    pub local_subnet: String,
    pub remote_subnet: String,
    pub create_time: i64,
    pub effect_immediately: bool,
    pub auto_config_route: bool,
    pub enable_dpd: bool,
    pub enable_nat_traversal: bool,
    pub ike: IkeConfigInfo,
    pub ipsec: IpsecConfigInfo,
    pub health_check: Option<HealthCheckConfig>,
    pub bgp: Option<BgpConfig>,
    /// The two tunnels of a dual-tunnel connection, master first; empty for a single-tunnel one.
    pub tunnels: Vec<Tunnel>,
    /// Whether BGP runs on every tunnel (`EnableTunnelsBgp`).
    pub enable_tunnels_bgp: bool,
    /// Set for a connection bound to no VPN gateway (CreateVpnAttachment); its `gateway_id` is
    /// then empty.
    pub attachment: Option<Attachment>,
    /// Negotiation log lines, oldest first, at most `Quotas::connection_log_lines`.
    pub logs: VecDeque<LogLine>,
    pub busy_until: Option<Instant>,
    /// The resource group (`None`: the gateway's).
    pub resource_group_id: Option<String>,
}

impl Connection {
    /// The VPN gateway the connection terminates on; `None` for an attachment.
    pub fn bound_gateway(&self) -> Option<&str> {
        (!self.gateway_id.is_empty()).then_some(self.gateway_id.as_str())
    }

    /// Whether the connection, or one of its tunnels, uses customer gateway `id`.
    pub fn uses_customer_gateway(&self, id: &str) -> bool {
        !id.is_empty()
            && (self.customer_gateway_id == id
                || self.tunnels.iter().any(|t| t.customer_gateway_id == id))
    }

    /// Appends a log line, dropping the oldest beyond `max`.
    pub fn log(&mut self, time_ms: i64, tunnel_id: Option<&str>, text: String, max: usize) {
        self.logs.push_back(LogLine {
            time_ms,
            tunnel_id: tunnel_id.map(str::to_owned),
            text,
        });
        while self.logs.len() > max {
            self.logs.pop_front();
        }
    }
}

/// One tunnel of a dual-tunnel IPsec-VPN connection.
#[derive(Debug, Clone)]
pub struct Tunnel {
    pub id: String,
    pub role: TunnelRole,
    /// 1 or 2: the position the tunnel was given in.
    pub index: i32,
    pub customer_gateway_id: String,
    /// Phase 1 settings, with the tunnel's pre-shared key (redacted by `Debug`).
    pub ike: TunnelIkeConfig,
    pub ipsec: TunnelIpsecConfig,
    /// The local side of the tunnel's BGP session.
    pub bgp: TunnelBgpConfig,
    pub enable_dpd: bool,
    pub enable_nat_traversal: bool,
    /// The zone and the public IP the tunnel terminates at.
    pub zone_no: String,
    pub internet_ip: String,
    pub busy_until: Option<Instant>,
}

/// What a connection bound to no VPN gateway has instead.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// `public` or `private`.
    pub network_type: String,
    /// The address of a single-tunnel attachment (each tunnel of a dual-tunnel one has its own).
    pub internet_ip: String,
    pub zone_no: String,
    pub description: Option<String>,
    /// False until the creation transition completes (`init`), true afterwards (`active`).
    pub provisioned: bool,
    /// Set when a transit router has attached the connection (`attached`).
    pub transit_router_id: Option<String>,
}

/// One negotiation log line of a connection.
#[derive(Debug, Clone)]
pub struct LogLine {
    pub time_ms: i64,
    pub tunnel_id: Option<String>,
    pub text: String,
}

/// A destination-based route (`policy_source` is `None`) or a policy-based route.
#[derive(Debug, Clone)]
pub struct Route {
    pub seq: u64,
    pub gateway_id: String,
    pub source: Option<String>,
    pub dest: String,
    pub next_hop: String,
    pub weight: VpnRouteWeight,
    pub published: bool,
    pub description: Option<String>,
    pub create_time: i64,
    /// The priority of a policy-based route (1 to 100, smaller first); `None` for a
    /// destination-based route.
    pub priority: Option<i32>,
}

/// An SSL-VPN server.
#[derive(Debug, Clone)]
pub struct SslServer {
    pub id: String,
    pub seq: u64,
    pub gateway_id: String,
    pub name: Option<String>,
    pub client_ip_pool: String,
    pub local_subnet: String,
    pub proto: vpn_gateway::types::SslVpnServerProto,
    pub cipher: vpn_gateway::types::SslVpnServerCipher,
    pub port: i32,
    pub compress: bool,
    pub create_time: i64,
}

/// An SSL-VPN client certificate.
#[derive(Debug, Clone)]
pub struct ClientCert {
    pub id: String,
    pub seq: u64,
    pub server_id: String,
    pub name: Option<String>,
    pub create_time: i64,
    pub end_time: i64,
    /// Seeds the certificate's key material, so every read returns the same.
    pub key_seed: u64,
}

/// The role of an SM certificate on a gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateType {
    Signature,
    Encryption,
}

impl CertificateType {
    /// The wire value, or `None` for an unknown one.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "Signature" => Some(CertificateType::Signature),
            "Encryption" => Some(CertificateType::Encryption),
            _ => None,
        }
    }

    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateType::Signature => "Signature",
            CertificateType::Encryption => "Encryption",
        }
    }
}

/// A certificate bound to a gateway.
#[derive(Debug, Clone)]
pub struct CertificateAssociation {
    pub seq: u64,
    pub gateway_id: String,
    pub certificate_type: CertificateType,
    pub certificate_id: String,
    pub time_ms: i64,
}

/// One diagnosis of a gateway's IPsec-VPN connection. Its findings are computed once, when it
/// is first read after it finished.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub id: String,
    pub seq: u64,
    pub gateway_id: String,
    pub resource_id: String,
    pub resource_type: String,
    /// Addresses of the private connectivity check, when asked for.
    pub private_ips: Option<(String, String)>,
    pub begin_ms: i64,
    pub started: Instant,
    pub finishes: Instant,
    /// The findings once finished; `Err` names the failure.
    pub outcome: Option<Result<Vec<Finding>, String>>,
}

/// One finding of a diagnosis: (item, level, description).
pub type Finding = (String, String, String);

/// Phase-1 or phase-2 settings of an IPsec server, as `name → value`.
pub type NegotiationSettings = BTreeMap<&'static str, String>;

/// An IPsec server on a VPN gateway.
#[derive(Debug, Clone)]
pub struct IpsecServer {
    pub id: String,
    pub seq: u64,
    pub gateway_id: String,
    pub name: Option<String>,
    pub local_subnet: String,
    pub client_ip_pool: String,
    pub effect_immediately: bool,
    pub ike: NegotiationSettings,
    pub ipsec: NegotiationSettings,
    pub psk_enabled: bool,
    /// The pre-shared key: answered by ListIpsecServers only, never in a message or a log.
    pub psk: String,
    pub create_time: i64,
    /// What happened to the server, as (milliseconds, event), oldest first; the latest
    /// [`IpsecServer::MAX_EVENTS`] are kept.
    pub events: VecDeque<(i64, String)>,
}

impl IpsecServer {
    /// Log events kept per server.
    pub const MAX_EVENTS: usize = 100;

    /// Records an event, forgetting the oldest beyond [`IpsecServer::MAX_EVENTS`].
    pub fn log(&mut self, at_ms: i64, event: String) {
        if self.events.len() >= Self::MAX_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back((at_ms, event));
    }
}

/// Everything in one region.
#[derive(Debug, Default)]
pub struct Region {
    pub gateways: BTreeMap<String, Gateway>,
    pub customer_gateways: BTreeMap<String, CustomerGateway>,
    pub connections: BTreeMap<String, Connection>,
    pub routes: Vec<Route>,
    pub pbr_routes: Vec<Route>,
    pub ssl_servers: BTreeMap<String, SslServer>,
    pub client_certs: BTreeMap<String, ClientCert>,
    /// Tags by resource ID: (resource type wire name, key → value).
    pub tags: BTreeMap<String, (String, BTreeMap<String, String>)>,
    seq: u64,
    /// Certificates bound to gateways (at most one per gateway and certificate type).
    pub certificate_associations: Vec<CertificateAssociation>,
    /// Gateway diagnoses by diagnosis ID (the latest few per gateway).
    pub diagnoses: BTreeMap<String, Diagnosis>,
    /// IPsec servers by ID (at most one per gateway).
    pub ipsec_servers: BTreeMap<String, IpsecServer>,
}

impl Region {
    /// Forgets what belongs to a deleted gateway beyond its connections, routes and SSL-VPN
    /// servers: certificate associations, diagnoses and IPsec servers.
    pub fn forget_gateway_extras(&mut self, gateway_id: &str) {
        self.certificate_associations
            .retain(|a| a.gateway_id != gateway_id);
        self.diagnoses.retain(|_, d| d.gateway_id != gateway_id);
        self.ipsec_servers.retain(|_, s| s.gateway_id != gateway_id);
    }

    /// The next creation sequence number (listings are in creation order).
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Completes the transitions whose time has come.
    fn settle(&mut self, now: Instant) {
        for gateway in self.gateways.values_mut() {
            if gateway.busy_until.is_some_and(|t| t <= now) {
                gateway.busy_until = None;
                gateway.status = VpnGatewayStatus::Active;
            }
        }
        for connection in self.connections.values_mut() {
            if connection.busy_until.is_some_and(|t| t <= now) {
                connection.busy_until = None;
                if let Some(attachment) = &mut connection.attachment {
                    attachment.provisioned = true;
                }
            }
            for tunnel in &mut connection.tunnels {
                if tunnel.busy_until.is_some_and(|t| t <= now) {
                    tunnel.busy_until = None;
                }
            }
        }
    }
}

/// Which request a `ClientToken` belongs to: region, action and the token.
pub type TokenKey = (String, &'static str, String);

/// A request remembered for its `ClientToken`.
#[derive(Clone)]
pub struct TokenRecord {
    /// A hash of the request's own parameters: a different request with the same token is an
    /// `IdempotentParameterMismatch`.
    pub fingerprint: u64,
    /// The original output (the operation's output type), answered again to a retry.
    pub output: Arc<dyn Any + Send + Sync>,
}

impl std::fmt::Debug for TokenRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRecord")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// Idempotency records: every `ClientToken` answered within the retention time, at most
/// `capacity` of them.
///
/// A record is never dropped before it expires: when the store is full of unexpired records, a
/// request with a new token is refused (and may be retried) rather than run without the
/// protection its token promises.
#[derive(Debug)]
pub struct TokenStore {
    records: HashMap<TokenKey, (Instant, TokenRecord)>,
    /// Keys in insertion order, which is expiry order (the retention is the same for all).
    order: VecDeque<(Instant, TokenKey)>,
    retention: Duration,
    capacity: usize,
}

impl TokenStore {
    /// An empty store keeping records for `retention`, at most `capacity` at once.
    pub fn new(retention: Duration, capacity: usize) -> Self {
        TokenStore {
            records: HashMap::new(),
            order: VecDeque::new(),
            retention,
            capacity,
        }
    }

    /// Forgets the records whose retention has passed.
    pub fn expire(&mut self, now: Instant) {
        while let Some((expiry, _)) = self.order.front() {
            if *expiry > now {
                break;
            }
            if let Some((_, key)) = self.order.pop_front() {
                if self.records.get(&key).is_some_and(|(e, _)| *e <= now) {
                    self.records.remove(&key);
                }
            }
        }
    }

    /// The unexpired record for `key`.
    pub fn get(&self, key: &TokenKey, now: Instant) -> Option<&TokenRecord> {
        self.records
            .get(key)
            .filter(|(expiry, _)| *expiry > now)
            .map(|(_, record)| record)
    }

    /// True when a new record can be stored now.
    pub fn has_room(&self) -> bool {
        self.records.len() < self.capacity
    }

    /// Remembers `record` for `key` from `now` on.
    pub fn insert(&mut self, key: TokenKey, record: TokenRecord, now: Instant) {
        let expiry = now.checked_add(self.retention).unwrap_or(now);
        self.order.push_back((expiry, key.clone()));
        self.records.insert(key, (expiry, record));
    }

    /// How many records are kept.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when no record is kept.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// What a handler works with: its region, the clock, IDs, quotas.
#[derive(Debug)]
pub struct Cx<'a> {
    pub region_id: &'a str,
    pub region: &'a mut Region,
    /// Idempotency records of every region.
    pub tokens: &'a mut TokenStore,
    pub ids: &'a IdGenerator,
    pub quotas: &'a Quotas,
    pub transition: Duration,
    pub now: Instant,
    pub now_ms: i64,
}

impl Cx<'_> {
    /// A gateway by ID, or `InvalidVpnGatewayInstanceId.NotFound`.
    pub fn gateway(&mut self, id: &str) -> Result<&mut Gateway, ApiError> {
        self.region
            .gateways
            .get_mut(id)
            .ok_or_else(ApiError::gateway_not_found)
    }

    /// A gateway that may be changed now: it exists, is not financially locked and not
    /// being configured.
    pub fn gateway_for_change(&mut self, id: &str) -> Result<&mut Gateway, ApiError> {
        let gateway = self.gateway(id)?;
        if gateway.business_status == VpnGatewayBusinessStatus::FinancialLocked {
            return Err(ApiError::catalogue(ErrorCode::VpnGatewayFinancialLocked));
        }
        if gateway.status != VpnGatewayStatus::Active {
            return Err(ApiError::catalogue(ErrorCode::VpnGatewayConfiguring));
        }
        Ok(gateway)
    }

    /// When a transition started now completes.
    pub fn transition_end(&self) -> Instant {
        self.now
            .checked_add(self.transition)
            .unwrap_or_else(|| self.now + Duration::from_secs(100 * 365 * 24 * 3600))
    }

    /// Puts a gateway into `updating` for the configured transition time.
    pub fn mark_updating(&mut self, id: &str) {
        let until = self.transition_end();
        if let Some(gateway) = self.region.gateways.get_mut(id) {
            gateway.status = VpnGatewayStatus::Updating;
            gateway.busy_until = Some(until);
        }
    }

    /// A connection by ID, or `InvalidVpnConnectionInstanceId.NotFound`.
    pub fn connection(&mut self, id: &str) -> Result<&mut Connection, ApiError> {
        self.region
            .connections
            .get_mut(id)
            .ok_or_else(ApiError::connection_not_found)
    }

    /// A new resource ID with `prefix`.
    pub fn new_id(&self, prefix: &str) -> String {
        self.ids.resource_id(prefix, self.region_id)
    }
}

/// All regions and the idempotency records, behind one lock (each request holds it for
/// microseconds).
#[derive(Debug)]
pub struct Model {
    regions: Mutex<World>,
    ids: IdGenerator,
    quotas: Quotas,
    /// Transition time in microseconds, changeable while running.
    transition_micros: AtomicU64,
}

impl Model {
    /// An empty model keeping `ClientToken` records as `tokens` says.
    pub fn new(seed: u64, quotas: Quotas, transition: Duration, tokens: TokenStore) -> Self {
        Model {
            regions: Mutex::new(World {
                regions: HashMap::new(),
                tokens,
            }),
            ids: IdGenerator::new(seed),
            quotas,
            transition_micros: AtomicU64::new(micros(transition)),
        }
    }

    /// Changes how long lifecycle transitions take from now on.
    pub fn set_transition(&self, transition: Duration) {
        self.transition_micros
            .store(micros(transition), Ordering::Relaxed);
    }

    /// The ID and random-number generator.
    pub fn ids(&self) -> &IdGenerator {
        &self.ids
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        match self.regions.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Runs `f` on the region `region_id`, after settling due transitions.
    pub fn with_region<T>(&self, region_id: &str, f: impl FnOnce(&mut Cx<'_>) -> T) -> T {
        let now = Instant::now();
        let mut world = self.lock();
        let World { regions, tokens } = &mut *world;
        let region = regions.entry(region_id.to_owned()).or_default();
        region.settle(now);
        let mut cx = Cx {
            region_id,
            region,
            tokens,
            ids: &self.ids,
            quotas: &self.quotas,
            transition: Duration::from_micros(self.transition_micros.load(Ordering::Relaxed)),
            now,
            now_ms: unix_millis(),
        };
        f(&mut cx)
    }
}

/// The state behind the model's lock.
#[derive(Debug)]
struct World {
    regions: HashMap<String, Region>,
    tokens: TokenStore,
}

impl Model {
    /// How many regions hold state.
    pub fn region_count(&self) -> usize {
        self.lock().regions.len()
    }

    /// How many `ClientToken` records are kept.
    pub fn client_token_count(&self) -> usize {
        self.lock().tokens.len()
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// True for a region the service knows: a key of the spec's region map
/// ([`vpn_gateway::METADATA`]). Requests for any other region are refused before any state is
/// created, so the set of regions, and with it the model's size, stays bounded.
pub fn is_known_region(region_id: &str) -> bool {
    vpn_gateway::METADATA
        .regional_endpoints
        .binary_search_by(|(region, _)| (*region).cmp(region_id))
        .is_ok()
}

/// Milliseconds since the UNIX epoch.
pub fn unix_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// One page of `items` (PageNumber/PageSize style, 1-based, default size 10).
pub fn page<T>(items: Vec<T>, number: Option<i32>, size: Option<i32>) -> Page<T> {
    let number = number.unwrap_or(1).max(1);
    let size = size.unwrap_or(10).max(1);
    let total = items.len();
    let skip = usize::try_from(number - 1)
        .unwrap_or_default()
        .saturating_mul(usize::try_from(size).unwrap_or(10));
    Page {
        items: items
            .into_iter()
            .skip(skip)
            .take(usize::try_from(size).unwrap_or(10))
            .collect(),
        total: i32::try_from(total).unwrap_or(i32::MAX),
        number,
        size,
    }
}

/// A page of a listing.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i32,
    pub number: i32,
    pub size: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(token: &str) -> TokenKey {
        (
            "cn-hangzhou".to_owned(),
            "CreateVpnGateway",
            token.to_owned(),
        )
    }

    fn record(n: u64) -> TokenRecord {
        TokenRecord {
            fingerprint: n,
            output: Arc::new(n),
        }
    }

    #[test]
    fn token_records_expire_after_the_retention_and_not_before() {
        let start = Instant::now();
        let mut store = TokenStore::new(Duration::from_secs(10), 2);
        store.insert(key("a"), record(1), start);
        let almost = start + Duration::from_secs(9);
        store.expire(almost);
        assert_eq!(store.get(&key("a"), almost).map(|r| r.fingerprint), Some(1));
        let after = start + Duration::from_secs(10);
        store.expire(after);
        assert!(store.get(&key("a"), after).is_none());
        assert!(store.is_empty());
    }

    #[test]
    fn a_full_token_store_keeps_every_unexpired_record() {
        let start = Instant::now();
        let mut store = TokenStore::new(Duration::from_secs(10), 2);
        store.insert(key("a"), record(1), start);
        store.insert(key("b"), record(2), start + Duration::from_secs(5));
        assert!(!store.has_room());
        let later = start + Duration::from_secs(9);
        store.expire(later);
        assert!(!store.has_room());
        assert_eq!(store.get(&key("a"), later).map(|r| r.fingerprint), Some(1));
        // The oldest expires first and makes room; the newer one stays.
        let expired = start + Duration::from_secs(11);
        store.expire(expired);
        assert!(store.has_room());
        assert_eq!(
            store.get(&key("b"), expired).map(|r| r.fingerprint),
            Some(2)
        );
    }
}
