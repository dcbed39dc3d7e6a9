//! Credentials of the RAM role attached to an ECS instance, from the instance metadata service.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use super::cache::CredentialsCache;
use super::host::Env;
use super::http::{HttpClient, Request, Response};
use super::provider_config::{endpoint_url, ProviderConfig};
use super::sts::credentials_from_fields;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::signing::v1::percent_encode;

/// The metadata service every ECS instance reaches.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";
/// Names the role explicitly, saving one metadata request.
pub const ROLE_NAME: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// `true` turns this provider (and its place in the default chain) off.
pub const METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// `true` forbids falling back to token-less (IMDSv1) requests.
pub const IMDS_V1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";

const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
/// Lifetime requested for the IMDSv2 session token, as the official SDKs.
const TOKEN_TTL: Duration = Duration::from_secs(21_600);
/// The metadata service is link-local: anything slower than this means "not on ECS".
const TIMEOUT: Duration = Duration::from_secs(1);

/// Fetches the instance RAM role's temporary credentials from the ECS metadata service
/// (`100.100.100.200`), using the IMDSv2 session token, and caches them until shortly before
/// they expire.
///
/// Each refresh asks for a session token (`PUT /latest/api/token`), discovers the role name
/// unless it is configured, then reads `/latest/meta-data/ram/security-credentials/<role>`.
/// If no token can be had, requests go without one (IMDSv1) unless that is disabled with
/// [`EcsRamRoleCredentialsProviderBuilder::disable_imds_v1`] or
/// `ALIBABA_CLOUD_IMDSV1_DISABLED=true`.
pub struct EcsRamRoleCredentialsProvider {
    role_name: Option<String>,
    endpoint: String,
    imds_v1_disabled: bool,
    metadata_disabled: bool,
    http: HttpClient,
    cache: CredentialsCache,
}

impl EcsRamRoleCredentialsProvider {
    /// A provider configured from the process environment.
    pub fn new() -> Self {
        EcsRamRoleCredentialsProvider::builder().build()
    }

    /// Starts building a provider.
    pub fn builder() -> EcsRamRoleCredentialsProviderBuilder {
        EcsRamRoleCredentialsProviderBuilder::default()
    }

    /// The provider a profile describes: its role name, if it names one (an empty name counts
    /// as none), and the configuration the profile was read with.
    pub(crate) fn for_profile(role_name: Option<String>, config: &ProviderConfig) -> Self {
        let mut builder = EcsRamRoleCredentialsProvider::builder().configure(config);
        if let Some(role_name) = role_name {
            builder = builder.role_name(role_name);
        }
        builder.build()
    }

    /// Whether `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` in `env`.
    pub fn is_disabled_in(env: &Env) -> bool {
        env.is_true(METADATA_DISABLED)
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self.metadata_disabled {
            return Err(CredentialsError::new(format!(
                "ECS metadata credentials are disabled by {METADATA_DISABLED}"
            )));
        }
        let token = self.session_token().await?;
        let role_name = match &self.role_name {
            Some(role_name) => role_name.clone(),
            None => self.discover_role_name(token.as_deref()).await?,
        };
        let url = format!(
            "{}{CREDENTIALS_PATH}{}",
            self.endpoint,
            percent_encode(&role_name)
        );
        tracing::debug!(role_name = %role_name, "fetching ECS RAM role credentials");
        let response = self.get(&url, token.as_deref()).await?;
        parse_credentials(&response.body)
    }

    /// Asks for an IMDSv2 session token; `None` when falling back to IMDSv1 is allowed.
    async fn session_token(&self) -> Result<Option<String>, CredentialsError> {
        let ttl = TOKEN_TTL.as_secs().to_string();
        let url = format!("{}{TOKEN_PATH}", self.endpoint);
        let result = self
            .http
            .send(
                "ECS metadata token request",
                Request {
                    method: reqwest::Method::PUT,
                    url: &url,
                    headers: &[(TOKEN_TTL_HEADER, &ttl)],
                    form: None,
                },
            )
            .await
            .and_then(|response| expect_ok("ECS metadata token request", response));
        match result {
            Ok(response) => Ok(Some(response.body.trim().to_owned())),
            Err(error) if self.imds_v1_disabled => Err(error),
            Err(error) => {
                tracing::debug!(error = %error, "no ECS metadata token; falling back to IMDSv1");
                Ok(None)
            }
        }
    }

    async fn discover_role_name(&self, token: Option<&str>) -> Result<String, CredentialsError> {
        let url = format!("{}{CREDENTIALS_PATH}", self.endpoint);
        let response = self.get(&url, token).await?;
        // The listing has one role per line; an instance has at most one RAM role.
        response
            .body
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| CredentialsError::new("no RAM role is attached to this ECS instance"))
    }

    async fn get(&self, url: &str, token: Option<&str>) -> Result<Response, CredentialsError> {
        let token_header;
        let headers: &[(&str, &str)] = match token {
            Some(token) => {
                token_header = [(TOKEN_HEADER, token)];
                &token_header
            }
            None => &[],
        };
        let what = "ECS metadata request";
        let response = self
            .http
            .send(
                what,
                Request {
                    method: reqwest::Method::GET,
                    url,
                    headers,
                    form: None,
                },
            )
            .await?;
        expect_ok(what, response)
    }
}

impl Default for EcsRamRoleCredentialsProvider {
    fn default() -> Self {
        EcsRamRoleCredentialsProvider::new()
    }
}

impl ProvideCredentials for EcsRamRoleCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

impl fmt::Debug for EcsRamRoleCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsRamRoleCredentialsProvider")
            .field("role_name", &self.role_name)
            .field("endpoint", &self.endpoint)
            .field("imds_v1_disabled", &self.imds_v1_disabled)
            .finish_non_exhaustive()
    }
}

fn expect_ok(what: &str, response: Response) -> Result<Response, CredentialsError> {
    if response.status == 200 {
        Ok(response)
    } else {
        Err(CredentialsError::new(format!(
            "{what} failed with HTTP {}",
            response.status
        )))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetadataCredentials {
    code: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

fn parse_credentials(body: &str) -> Result<Credentials, CredentialsError> {
    let what = "ECS metadata credentials";
    let parsed: MetadataCredentials = serde_json::from_str(body)
        .map_err(|_| CredentialsError::new(format!("{what}: the response is not valid JSON")))?;
    match parsed.code.as_deref() {
        Some("Success") => {}
        code => {
            // The code is the server's text: kept as bounded as a service error's.
            let code = crate::redact::bounded(
                code.unwrap_or_default().to_owned(),
                crate::redact::MAX_ID_CHARS,
            );
            return Err(CredentialsError::new(format!(
                "{what}: the metadata service answered Code {code:?}"
            )));
        }
    }
    credentials_from_fields(
        what,
        parsed.access_key_id,
        parsed.access_key_secret,
        parsed.security_token,
        parsed.expiration,
    )
}

/// Builds an [`EcsRamRoleCredentialsProvider`].
#[derive(Debug, Default)]
pub struct EcsRamRoleCredentialsProviderBuilder {
    role_name: Option<String>,
    endpoint: Option<String>,
    imds_v1_disabled: Option<bool>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    config: ProviderConfig,
}

impl EcsRamRoleCredentialsProviderBuilder {
    /// The instance's RAM role (default: `ALIBABA_CLOUD_ECS_METADATA`, else discovered).
    pub fn role_name(mut self, role_name: impl Into<String>) -> Self {
        self.role_name = Some(role_name.into());
        self
    }

    /// Asks this metadata service: a host (HTTP) or a full URL.
    pub fn metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Refuses token-less (IMDSv1) requests when no session token can be had.
    pub fn disable_imds_v1(mut self, disabled: bool) -> Self {
        self.imds_v1_disabled = Some(disabled);
        self
    }

    /// The connect timeout (default 1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The read timeout (default 1 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Takes environment variables and the metadata endpoint override from `config`.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Builds the provider; it never fails, since every setting has a default.
    pub fn build(self) -> EcsRamRoleCredentialsProvider {
        let env = &self.config.env;
        let endpoint = self
            .endpoint
            .or_else(|| self.config.metadata_endpoint.clone())
            .unwrap_or_else(|| DEFAULT_METADATA_ENDPOINT.to_owned());
        EcsRamRoleCredentialsProvider {
            role_name: self
                .role_name
                .filter(|name| !name.is_empty())
                .or_else(|| env.get(ROLE_NAME)),
            endpoint: endpoint_url(&endpoint, "http"),
            imds_v1_disabled: self
                .imds_v1_disabled
                .unwrap_or_else(|| env.is_true(IMDS_V1_DISABLED)),
            metadata_disabled: EcsRamRoleCredentialsProvider::is_disabled_in(env),
            http: HttpClient::new(
                self.connect_timeout.unwrap_or(TIMEOUT),
                self.read_timeout.unwrap_or(TIMEOUT),
            ),
            cache: CredentialsCache::new(self.config.clock.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::test_server::{expiration_in, Received, TestServer};

    fn credentials_body(expiration: &str) -> String {
        format!(
            r#"{{"AccessKeyId":"STS.ecs","AccessKeySecret":"ecs-secret","Expiration":"{expiration}",
"SecurityToken":"ecs-token","LastUpdated":"2024-01-01T00:00:00Z","Code":"Success"}}"#
        )
    }

    /// A metadata service that requires the IMDSv2 token when `require_token` is set.
    fn metadata(require_token: bool, token_status: u16) -> impl Fn(&Received) -> (u16, String) {
        move |request: &Received| {
            if request.method == "PUT" && request.path == TOKEN_PATH {
                return match request.header(TOKEN_TTL_HEADER) {
                    Some("21600") if token_status == 200 => (200, "session-token".into()),
                    Some(_) => (token_status, String::new()),
                    None => (400, String::new()),
                };
            }
            if require_token && request.header(TOKEN_HEADER) != Some("session-token") {
                return (401, String::new());
            }
            match request.path.as_str() {
                "/latest/meta-data/ram/security-credentials/" => (200, "VpnRole\n".into()),
                "/latest/meta-data/ram/security-credentials/VpnRole" => {
                    (200, credentials_body(&expiration_in(6 * 3600)))
                }
                _ => (404, String::new()),
            }
        }
    }

    fn provider(server: &TestServer, vars: &[(&str, &str)]) -> EcsRamRoleCredentialsProvider {
        let config = ProviderConfig::new()
            .with_env(Env::from_vars(vars.iter().copied()))
            .with_metadata_endpoint(&server.url);
        EcsRamRoleCredentialsProvider::builder()
            .configure(&config)
            .build()
    }

    #[tokio::test]
    async fn discovers_the_role_and_uses_the_imdsv2_token() {
        let server = TestServer::start(metadata(true, 200)).await;
        let provider = provider(&server, &[]);
        let credentials = provider.provide_credentials().await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "STS.ecs");
        assert_eq!(credentials.access_key_secret(), "ecs-secret");
        assert_eq!(credentials.security_token(), Some("ecs-token"));
        // Cached: a second call does not reach the metadata service.
        provider.provide_credentials().await.expect("cached");

        let received = server.received();
        let calls: Vec<(&str, &str)> = received
            .iter()
            .map(|r| (r.method.as_str(), r.path.as_str()))
            .collect();
        assert_eq!(
            calls,
            [
                ("PUT", "/latest/api/token"),
                ("GET", "/latest/meta-data/ram/security-credentials/"),
                ("GET", "/latest/meta-data/ram/security-credentials/VpnRole"),
            ]
        );
    }

    #[tokio::test]
    async fn a_configured_role_name_skips_discovery() {
        let server = TestServer::start(metadata(true, 200)).await;
        let provider = provider(&server, &[(ROLE_NAME, "VpnRole")]);
        provider.provide_credentials().await.expect("credentials");
        assert_eq!(server.received().len(), 2);
    }

    #[tokio::test]
    async fn falls_back_to_imdsv1_without_a_token() {
        let server = TestServer::start(metadata(false, 403)).await;
        let provider = provider(&server, &[]);
        provider.provide_credentials().await.expect("credentials");
        let received = server.received();
        assert!(received[1..]
            .iter()
            .all(|r| r.header(TOKEN_HEADER).is_none()));
    }

    #[tokio::test]
    async fn imdsv1_fallback_can_be_disabled() {
        let server = TestServer::start(metadata(false, 403)).await;
        let provider = provider(&server, &[(IMDS_V1_DISABLED, "true")]);
        let error = provider.provide_credentials().await.expect_err("no token");
        assert!(error.to_string().contains("HTTP 403"), "{error}");
        assert_eq!(server.received().len(), 1);
    }

    #[tokio::test]
    async fn failure_codes_and_disabled_metadata_are_errors() {
        let server = TestServer::start(|request: &Received| match request.method.as_str() {
            "PUT" => (200, "session-token".into()),
            _ => (200, r#"{"Code":"Failed","AccessKeySecret":"leak"}"#.into()),
        })
        .await;
        let error = provider(&server, &[(ROLE_NAME, "VpnRole")])
            .provide_credentials()
            .await
            .expect_err("failed code");
        assert!(error.to_string().contains("Failed"));
        assert!(!error.to_string().contains("leak"));

        let disabled = provider(&server, &[(METADATA_DISABLED, "true")]);
        let error = disabled.provide_credentials().await.expect_err("disabled");
        assert!(error.to_string().contains(METADATA_DISABLED));
    }

    #[tokio::test]
    async fn an_unreachable_service_is_a_connect_error() {
        // Bind a port, then free it, so that nothing listens there.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        drop(listener);
        let provider = EcsRamRoleCredentialsProvider::builder()
            .metadata_endpoint(format!("http://{address}"))
            .role_name("VpnRole")
            .configure(&ProviderConfig::new().with_env(Env::from_vars::<_, String, String>([])))
            .build();
        let error = provider
            .provide_credentials()
            .await
            .expect_err("nothing listens");
        assert!(error.to_string().contains("ECS metadata"), "{error}");
    }

    #[test]
    fn a_failure_code_kept_in_the_error_is_bounded() {
        let body = format!(r#"{{"Code":"{}"}}"#, "F".repeat(1 << 20));
        let error = parse_credentials(&body).expect_err("not Success");
        assert!(
            error.to_string().len() < 1024,
            "{} bytes",
            error.to_string().len()
        );
    }
}
