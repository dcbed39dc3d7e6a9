//! Client configuration: [`Config`], built with [`Config::builder`] or [`Config::from_env`].

use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{Credentials, CredentialsError, ProvideCredentials};
use crate::endpoint::{Endpoint, EndpointError};
use crate::retry::RetryPolicy;
use crate::transport::{HttpTransport, ReqwestTransport, Timeouts};

/// Environment variable naming the default region.
pub const REGION_ENV: &str = "ALIBABA_CLOUD_REGION_ID";

/// Which signature scheme requests carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// `HMAC-SHA1`, `SignatureVersion=1.0`: parameters signed in the query or form.
    V1,
    /// `ACS3-HMAC-SHA256`, header based. The default, as in the current official SDKs.
    #[default]
    V3,
}

/// The HTTP method RPC requests use. Both are accepted by the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestMethod {
    /// Parameters in the query string.
    Get,
    /// The default. With V3 the parameters travel in the query string (as the official SDKs send
    /// them); with v1 in a form body, which keeps the signature and STS token out of URLs.
    #[default]
    Post,
}

/// Client configuration. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Config {
    region: Option<String>,
    endpoint: Option<Endpoint>,
    network: String,
    credentials: Arc<dyn ProvideCredentials>,
    signature_version: SignatureVersion,
    method: RequestMethod,
    timeouts: Timeouts,
    operation_deadline: Option<Duration>,
    max_response_body: usize,
    retry_policy: RetryPolicy,
    user_agent_suffix: Option<String>,
    transport: Arc<dyn HttpTransport>,
}

impl Config {
    /// Starts a builder with the defaults: V3 signing, POST, connect 5 s / read 10 s, standard
    /// retries, no operation deadline, HTTPS, reqwest transport, the default credential chain.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The default credential chain and the region from `ALIBABA_CLOUD_REGION_ID`.
    ///
    /// Credentials are resolved once here so that a missing or broken setup fails now, with the
    /// chain's explanation, rather than on the first call.
    pub async fn from_env() -> Result<Config, CredentialsError> {
        let provider = default_credentials_provider();
        provider.provide_credentials().await?;
        let mut builder = Config::builder().credentials_provider(provider);
        if let Some(region) = std::env::var(REGION_ENV).ok().filter(|r| !r.is_empty()) {
            builder = builder.region(region);
        }
        builder
            .build()
            .map_err(|e| CredentialsError::with_source("invalid configuration", e))
    }

    /// Returns a builder holding this configuration, to derive a modified copy.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            region: self.region.clone(),
            endpoint: self.endpoint.as_ref().map(|e| e.to_string()),
            allow_http: self
                .endpoint
                .as_ref()
                .is_some_and(|e| e.scheme() == crate::endpoint::Scheme::Http),
            network: Some(self.network.clone()),
            credentials: Some(self.credentials.clone()),
            signature_version: self.signature_version,
            method: self.method,
            timeouts: self.timeouts,
            operation_deadline: self.operation_deadline,
            max_response_body: Some(self.max_response_body),
            retry_policy: self.retry_policy.clone(),
            user_agent_suffix: self.user_agent_suffix.clone(),
            transport: Some(self.transport.clone()),
        }
    }

    /// The configured region, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The explicit endpoint, if one was configured.
    pub fn endpoint_override(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    /// The network variant (`public` by default, `vpc` inside a VPC).
    pub fn network(&self) -> &str {
        &self.network
    }

    /// The credentials provider.
    pub fn credentials_provider(&self) -> &Arc<dyn ProvideCredentials> {
        &self.credentials
    }

    /// The signature scheme.
    pub fn signature_version(&self) -> SignatureVersion {
        self.signature_version
    }

    /// The HTTP method.
    pub fn request_method(&self) -> RequestMethod {
        self.method
    }

    /// Connect, read and total timeouts per attempt.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The largest response body accepted, in bytes.
    pub fn max_response_body(&self) -> usize {
        self.max_response_body
    }

    /// The overall deadline of an operation, across all attempts and backoff.
    pub fn operation_deadline(&self) -> Option<Duration> {
        self.operation_deadline
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry_policy
    }

    /// The user-agent suffix.
    pub fn user_agent_suffix(&self) -> Option<&str> {
        self.user_agent_suffix.as_deref()
    }

    /// The HTTP transport.
    pub fn transport(&self) -> &Arc<dyn HttpTransport> {
        &self.transport
    }

    /// Resolves the endpoint for `metadata`: the override, else the region rules.
    pub fn resolve_endpoint(&self, metadata: &crate::endpoint::ServiceMetadata) -> Endpoint {
        match &self.endpoint {
            Some(endpoint) => endpoint.clone(),
            None => Endpoint::https(metadata.host_for(self.region.as_deref(), &self.network)),
        }
    }
}

/// Why a [`Config`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint override was rejected.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The user-agent suffix contains characters not allowed in a header.
    #[error("the user-agent suffix must be printable ASCII")]
    InvalidUserAgentSuffix,
}

/// Builder for [`Config`].
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    allow_http: bool,
    network: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    signature_version: SignatureVersion,
    method: RequestMethod,
    timeouts: Timeouts,
    operation_deadline: Option<Duration>,
    max_response_body: Option<usize>,
    retry_policy: RetryPolicy,
    user_agent_suffix: Option<String>,
    transport: Option<Arc<dyn HttpTransport>>,
}

impl ConfigBuilder {
    /// The region, e.g. `cn-hangzhou`; selects the regional endpoint.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// An explicit endpoint: a full URL such as `https://vpc.cn-hangzhou.aliyuncs.com`.
    /// `http://` is rejected by [`build`](Self::build) unless [`allow_http`](Self::allow_http).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Allows a plain-HTTP endpoint override. For local tests and emulators only.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// The network variant: `public` (default) or `vpc` for calls from inside a VPC.
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.network = Some(network.into());
        self
    }

    /// Static credentials.
    pub fn credentials(self, credentials: Credentials) -> Self {
        // `Credentials` is itself a provider of static credentials.
        self.credentials_provider(Arc::new(credentials))
    }

    /// A credentials provider (cached and refreshed by the provider itself).
    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// The signature scheme; V3 (`ACS3-HMAC-SHA256`) by default.
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// The HTTP method; POST by default.
    pub fn request_method(mut self, method: RequestMethod) -> Self {
        self.method = method;
        self
    }

    /// Connect timeout per attempt (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// Read timeout per attempt (default 10 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.read = timeout;
        self
    }

    /// Total time limit of one attempt, from credentials to the last byte of the response
    /// (default 30 s; see [`Timeouts`]).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// Overall deadline of an operation, across attempts and backoff (none by default).
    pub fn operation_deadline(mut self, deadline: Duration) -> Self {
        self.operation_deadline = Some(deadline);
        self
    }

    /// The largest response body accepted, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`](crate::transport::DEFAULT_MAX_RESPONSE_BODY), 16 MiB).
    /// A larger body fails the call with
    /// [`TransportErrorKind::BodyTooLarge`](crate::transport::TransportErrorKind::BodyTooLarge)
    /// once the limit is reached, without reading the rest.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// The retry policy ([`RetryPolicy::standard`] by default).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Text appended to the User-Agent, e.g. `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The HTTP transport (reqwest with rustls by default); inject a mock here.
    pub fn transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// A shared HTTP transport.
    pub fn shared_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Checks the endpoint and user-agent suffix and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        let endpoint = self
            .endpoint
            .as_deref()
            .map(|url| Endpoint::parse(url, self.allow_http))
            .transpose()?;
        if let Some(suffix) = &self.user_agent_suffix {
            if !suffix.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
                return Err(ConfigError::InvalidUserAgentSuffix);
            }
        }
        Ok(Config {
            region: self.region,
            endpoint,
            network: self.network.unwrap_or_else(|| "public".to_owned()),
            credentials: self
                .credentials
                .unwrap_or_else(default_credentials_provider),
            signature_version: self.signature_version,
            method: self.method,
            timeouts: self.timeouts,
            operation_deadline: self.operation_deadline,
            max_response_body: self
                .max_response_body
                .unwrap_or(crate::transport::DEFAULT_MAX_RESPONSE_BODY),
            retry_policy: self.retry_policy,
            user_agent_suffix: self.user_agent_suffix,
            transport: self
                .transport
                .unwrap_or_else(|| Arc::new(ReqwestTransport::new())),
        })
    }
}

/// The official default credential chain (environment, OIDC, CLI profile, credentials file,
/// ECS RAM role).
fn default_credentials_provider() -> Arc<dyn ProvideCredentials> {
    Arc::new(crate::credentials::DefaultCredentialsChain::new())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_official_sdks() {
        let config = Config::builder()
            .credentials(Credentials::new("id", "secret"))
            .build()
            .unwrap();
        assert_eq!(config.signature_version(), SignatureVersion::V3);
        assert_eq!(config.timeouts().connect, Duration::from_secs(5));
        assert_eq!(config.timeouts().read, Duration::from_secs(10));
        assert_eq!(config.retry_policy(), &RetryPolicy::standard());
        assert_eq!(config.network(), "public");
        assert!(config.operation_deadline().is_none());
    }

    #[test]
    fn plain_http_needs_explicit_permission() {
        assert!(matches!(
            Config::builder().endpoint("http://127.0.0.1:1").build(),
            Err(ConfigError::Endpoint(EndpointError::HttpNotAllowed(_)))
        ));
        let config = Config::builder()
            .endpoint("http://127.0.0.1:1")
            .allow_http(true)
            .build()
            .unwrap();
        let rebuilt = config.to_builder().build().unwrap();
        assert_eq!(rebuilt.endpoint_override(), config.endpoint_override());
    }

    #[test]
    fn debug_never_shows_static_secret() {
        let config = Config::builder()
            .credentials(Credentials::new("id", "top-secret").with_security_token("sts-token"))
            .build()
            .unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("top-secret"));
        assert!(!debug.contains("sts-token"));
    }
}
