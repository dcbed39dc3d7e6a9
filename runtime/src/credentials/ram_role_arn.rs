//! Temporary credentials for a RAM role, from STS `AssumeRole`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::cache::CredentialsCache;
use super::http::HttpClient;
use super::provider_config::{Clock, ProviderConfig};
use super::sts::{self, EndpointSettings, StsRequest};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::signing::v1;

/// Assumes a RAM role with STS `AssumeRole`, signing the call (signature v1) with source
/// credentials, and caches the temporary credentials until shortly before they expire.
///
/// ```no_run
/// # async fn example() -> Result<(), vpn_gateway_runtime::credentials::CredentialsError> {
/// use vpn_gateway_runtime::credentials::{Credentials, ProvideCredentials, RamRoleArnCredentialsProvider};
///
/// let provider = RamRoleArnCredentialsProvider::builder()
///     .source_credentials(Credentials::new("LTAI...", "..."))
///     .role_arn("acs:ram::123456789012:role/vpn-admin")
///     .build()?;
/// let temporary = provider.provide_credentials().await?;
/// # Ok(()) }
/// ```
pub struct RamRoleArnCredentialsProvider {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    role_session_name: String,
    duration: Duration,
    policy: Option<String>,
    external_id: Option<String>,
    endpoint: String,
    http: HttpClient,
    cache: CredentialsCache,
    clock: Clock,
}

impl RamRoleArnCredentialsProvider {
    /// Starts building a provider; a source of credentials and a role ARN are required.
    pub fn builder() -> RamRoleArnCredentialsProviderBuilder {
        RamRoleArnCredentialsProviderBuilder::default()
    }

    /// The role this provider assumes.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The STS base URL calls go to.
    pub fn sts_endpoint(&self) -> &str {
        &self.endpoint
    }

    async fn assume_role(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source.provide_credentials().await.map_err(|e| {
            CredentialsError::with_source("AssumeRole: cannot load the source credentials", e)
        })?;
        let mut request = StsRequest::new("AssumeRole", self.clock.now())?;
        request.query("SignatureMethod", v1::SIGNATURE_METHOD);
        request.query("SignatureVersion", v1::SIGNATURE_VERSION);
        request.query("SignatureNonce", sts::nonce());
        request.query("AccessKeyId", source.access_key_id());
        request.form("RoleArn", &self.role_arn);
        request.form("RoleSessionName", &self.role_session_name);
        request.form("DurationSeconds", self.duration.as_secs().to_string());
        if let Some(policy) = &self.policy {
            request.form("Policy", policy);
        }
        if let Some(external_id) = &self.external_id {
            request.form("ExternalId", external_id);
        }
        if let Some(token) = source.security_token() {
            request.form("SecurityToken", token);
        }
        let signature = v1::sign("POST", &request.all_params(), source.access_key_secret());
        request.query(v1::SIGNATURE_PARAM, signature);
        tracing::debug!(role_arn = %self.role_arn, endpoint = %self.endpoint, "calling STS AssumeRole");
        request.send(&self.http, &self.endpoint, "AssumeRole").await
    }
}

impl ProvideCredentials for RamRoleArnCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.assume_role()))
    }
}

impl fmt::Debug for RamRoleArnCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnCredentialsProvider")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("duration", &self.duration)
            .field("policy", &self.policy)
            // The external ID guards against confused deputies: treat it as a secret.
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "** redacted **"),
            )
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// Builds a [`RamRoleArnCredentialsProvider`].
#[derive(Default)]
pub struct RamRoleArnCredentialsProviderBuilder {
    source: Option<Arc<dyn ProvideCredentials>>,
    role_arn: Option<String>,
    role_session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    external_id: Option<String>,
    endpoint: EndpointSettings,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    config: ProviderConfig,
}

impl RamRoleArnCredentialsProviderBuilder {
    /// The credentials that sign the `AssumeRole` call (required).
    pub fn source_credentials(self, source: impl ProvideCredentials + 'static) -> Self {
        self.source_provider(Arc::new(source))
    }

    /// A shared provider of the credentials that sign the `AssumeRole` call.
    pub fn source_provider(mut self, source: Arc<dyn ProvideCredentials>) -> Self {
        self.source = Some(source);
        self
    }

    /// The role to assume (required; falls back to `ALIBABA_CLOUD_ROLE_ARN`).
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }

    /// The session name recorded in ActionTrail (default: `ALIBABA_CLOUD_ROLE_SESSION_NAME`,
    /// else `credentials-rust-<unix time>`).
    pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
        self.role_session_name = Some(name.into());
        self
    }

    /// How long the temporary credentials last (default one hour, at least 15 minutes).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// A policy that further restricts the session's permissions (JSON).
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The external ID the role's trust policy requires.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// Calls the regional STS endpoint `sts.<region>.aliyuncs.com` (default: `ALIBABA_CLOUD_STS_REGION`, else the global endpoint).
    pub fn sts_region(mut self, region: impl Into<String>) -> Self {
        self.endpoint.region = Some(region.into());
        self
    }

    /// Uses the VPC variant of the regional endpoint, `sts-vpc.<region>.aliyuncs.com`
    /// (default: `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`).
    pub fn sts_vpc_endpoint(mut self, enabled: bool) -> Self {
        self.endpoint.vpc = Some(enabled);
        self
    }

    /// Calls this STS endpoint: a host (HTTPS) or a full URL such as `http://127.0.0.1:8080`.
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint.endpoint = Some(endpoint.into());
        self
    }

    /// The connect timeout for STS calls (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The read timeout for STS calls (default 10 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Takes environment variables and endpoint overrides from `config`.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Checks the settings and builds the provider.
    pub fn build(self) -> Result<RamRoleArnCredentialsProvider, CredentialsError> {
        let env = &self.config.env;
        let source = self.source.ok_or_else(|| {
            CredentialsError::new("RAM role ARN credentials need source credentials")
        })?;
        let role_arn = self
            .role_arn
            .filter(|arn| !arn.is_empty())
            .or_else(|| env.get("ALIBABA_CLOUD_ROLE_ARN"))
            .ok_or_else(|| {
                CredentialsError::new(
                    "RAM role ARN credentials need a role ARN (or ALIBABA_CLOUD_ROLE_ARN)",
                )
            })?;
        let clock = self.config.clock.clone();
        let role_session_name = self
            .role_session_name
            .filter(|name| !name.is_empty())
            .or_else(|| env.get("ALIBABA_CLOUD_ROLE_SESSION_NAME"))
            .unwrap_or_else(|| sts::default_session_name(clock.now()));
        let duration = sts::check_duration(self.duration.unwrap_or(sts::DEFAULT_DURATION))?;
        let mut endpoint = self.endpoint;
        if endpoint.endpoint.is_none() {
            endpoint.endpoint = self.config.sts_endpoint.clone();
        }
        Ok(RamRoleArnCredentialsProvider {
            source,
            role_arn,
            role_session_name,
            duration,
            policy: self.policy.filter(|p| !p.is_empty()),
            external_id: self.external_id.filter(|id| !id.is_empty()),
            endpoint: endpoint.resolve(env),
            http: HttpClient::new(
                self.connect_timeout.unwrap_or(sts::CONNECT_TIMEOUT),
                self.read_timeout.unwrap_or(sts::READ_TIMEOUT),
            ),
            cache: CredentialsCache::new(clock.clone()),
            clock,
        })
    }
}

impl fmt::Debug for RamRoleArnCredentialsProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnCredentialsProviderBuilder")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::env::Env;
    use crate::credentials::test_server::{expiration_in, sts_success, TestServer};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::SystemTime;

    fn isolated() -> ProviderConfig {
        ProviderConfig::new().with_env(Env::from_vars::<_, String, String>([]))
    }

    async fn sts_server() -> TestServer {
        TestServer::start(|request| {
            // Check the signature the way the real service does.
            match v1::verify(&request.method, &request.params(), "source-secret") {
                Ok(()) => (
                    200,
                    sts_success(
                        "STS.temp",
                        "temp-secret",
                        "temp-token",
                        &expiration_in(3600),
                    ),
                ),
                Err(mismatch) => (
                    400,
                    format!(
                        r#"{{"Code":"SignatureDoesNotMatch","Message":"{}","RequestId":"r"}}"#,
                        mismatch.string_to_sign
                    ),
                ),
            }
        })
        .await
    }

    #[tokio::test]
    async fn assumes_the_role_with_a_signed_request_and_caches_the_result() {
        let server = sts_server().await;
        let provider = RamRoleArnCredentialsProvider::builder()
            .source_credentials(Credentials::new("source-id", "source-secret"))
            .role_arn("acs:ram::1:role/vpn-admin")
            .role_session_name("session")
            .policy(r#"{"Version":"1"}"#)
            .external_id("ext")
            .duration(Duration::from_secs(1800))
            .sts_endpoint(&server.url)
            .configure(&isolated())
            .build()
            .expect("provider");

        let credentials = provider.provide_credentials().await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "STS.temp");
        assert_eq!(credentials.access_key_secret(), "temp-secret");
        assert_eq!(credentials.security_token(), Some("temp-token"));
        assert!(credentials.expiration().is_some());

        // Cached: the second call does not reach STS.
        provider.provide_credentials().await.expect("cached");
        let received = server.received();
        assert_eq!(received.len(), 1);

        let request = &received[0];
        assert_eq!(request.method, "POST");
        let param = |name: &str| request.param(name);
        assert_eq!(param("Action").as_deref(), Some("AssumeRole"));
        assert_eq!(param("Version").as_deref(), Some("2015-04-01"));
        assert_eq!(param("Format").as_deref(), Some("JSON"));
        assert_eq!(param("AccessKeyId").as_deref(), Some("source-id"));
        assert_eq!(param("SignatureMethod").as_deref(), Some("HMAC-SHA1"));
        assert_eq!(param("SignatureVersion").as_deref(), Some("1.0"));
        assert!(param("SignatureNonce").is_some());
        assert!(param("Timestamp").is_some_and(|t| t.ends_with('Z')));
        assert_eq!(
            param("RoleArn").as_deref(),
            Some("acs:ram::1:role/vpn-admin")
        );
        assert_eq!(param("RoleSessionName").as_deref(), Some("session"));
        assert_eq!(param("DurationSeconds").as_deref(), Some("1800"));
        assert_eq!(param("Policy").as_deref(), Some(r#"{"Version":"1"}"#));
        assert_eq!(param("ExternalId").as_deref(), Some("ext"));
        assert_eq!(param("SecurityToken"), None);
        // Nothing secret-bearing travels in the URL.
        assert!(request
            .query
            .iter()
            .all(|(name, _)| name != "SecurityToken"));
    }

    #[tokio::test]
    async fn sts_source_credentials_send_their_token_in_the_body() {
        let server = sts_server().await;
        let provider = RamRoleArnCredentialsProvider::builder()
            .source_credentials(
                Credentials::new("STS.source", "source-secret").with_security_token("source-token"),
            )
            .role_arn("acs:ram::1:role/r")
            .sts_endpoint(&server.url)
            .configure(&isolated())
            .build()
            .expect("provider");
        provider.provide_credentials().await.expect("credentials");
        let request = &server.received()[0];
        assert!(request
            .form()
            .contains(&("SecurityToken".to_owned(), "source-token".to_owned())));
        assert!(request
            .param("RoleSessionName")
            .is_some_and(|name| name.starts_with("credentials-rust-")));
        assert_eq!(request.param("DurationSeconds").as_deref(), Some("3600"));
    }

    #[tokio::test]
    async fn refreshes_shortly_before_expiry() {
        let server = sts_server().await;
        let start = SystemTime::now();
        let offset = Arc::new(AtomicU64::new(0));
        let read = Arc::clone(&offset);
        let clock =
            Clock::from_fn(move || start + Duration::from_secs(read.load(Ordering::SeqCst)));
        let provider = RamRoleArnCredentialsProvider::builder()
            .source_credentials(Credentials::new("source-id", "source-secret"))
            .role_arn("acs:ram::1:role/r")
            .sts_endpoint(&server.url)
            .configure(&isolated().with_clock(clock))
            .build()
            .expect("provider");

        provider.provide_credentials().await.expect("first");
        offset.store(40 * 60, Ordering::SeqCst);
        provider.provide_credentials().await.expect("cached");
        assert_eq!(server.received().len(), 1);
        // The server issues one-hour credentials; 46 minutes in, they are within the
        // 15-minute refresh window.
        offset.store(46 * 60, Ordering::SeqCst);
        provider.provide_credentials().await.expect("refreshed");
        assert_eq!(server.received().len(), 2);
    }

    #[tokio::test]
    async fn service_errors_surface_with_their_code() {
        let server = sts_server().await;
        let provider = RamRoleArnCredentialsProvider::builder()
            .source_credentials(Credentials::new("source-id", "wrong-secret"))
            .role_arn("acs:ram::1:role/r")
            .sts_endpoint(&server.url)
            .configure(&isolated())
            .build()
            .expect("provider");
        let error = provider
            .provide_credentials()
            .await
            .expect_err("bad signature");
        let message = error.to_string();
        assert!(message.contains("SignatureDoesNotMatch"), "{message}");
        assert!(!message.contains("wrong-secret"));
    }

    #[test]
    fn invalid_settings_are_rejected_when_building() {
        let source = Credentials::new("id", "secret");
        let no_role = RamRoleArnCredentialsProvider::builder()
            .source_credentials(source.clone())
            .configure(&isolated())
            .build();
        assert!(no_role.is_err());
        let no_source = RamRoleArnCredentialsProvider::builder()
            .role_arn("acs:ram::1:role/r")
            .configure(&isolated())
            .build();
        assert!(no_source.is_err());
        let too_short = RamRoleArnCredentialsProvider::builder()
            .source_credentials(source)
            .role_arn("acs:ram::1:role/r")
            .duration(Duration::from_secs(600))
            .configure(&isolated())
            .build();
        assert!(too_short.is_err());
    }

    #[test]
    fn role_arn_and_endpoint_come_from_the_environment() {
        let env = Env::from_vars([
            ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/from-env"),
            ("ALIBABA_CLOUD_STS_REGION", "cn-beijing"),
        ]);
        let provider = RamRoleArnCredentialsProvider::builder()
            .source_credentials(Credentials::new("id", "secret"))
            .configure(&ProviderConfig::new().with_env(env))
            .build()
            .expect("provider");
        assert_eq!(provider.role_arn(), "acs:ram::1:role/from-env");
        assert_eq!(
            provider.sts_endpoint(),
            "https://sts.cn-beijing.aliyuncs.com"
        );
    }
}
