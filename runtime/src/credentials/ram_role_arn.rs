//! Temporary credentials for a RAM role, from STS `AssumeRole`.

use std::fmt;
use std::sync::Arc;

use super::provider_config::ProviderConfig;
use super::sts::{self, SessionSettings, StsSession};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::signing::v1;

/// The STS action this provider calls.
const ACTION: &str = "AssumeRole";

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
    external_id: Option<String>,
    session: StsSession,
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
        &self.session.endpoint
    }

    async fn assume_role(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source.provide_credentials().await.map_err(|e| {
            CredentialsError::with_source("AssumeRole: cannot load the source credentials", e)
        })?;
        let mut request = self.session.request(ACTION)?;
        request.query("SignatureMethod", v1::SIGNATURE_METHOD);
        request.query("SignatureVersion", v1::SIGNATURE_VERSION);
        request.query("SignatureNonce", sts::nonce());
        request.query("AccessKeyId", source.access_key_id());
        request.form("RoleArn", &self.role_arn);
        self.session.add_session_params(&mut request);
        if let Some(external_id) = &self.external_id {
            request.form("ExternalId", external_id);
            request.secret(external_id);
        }
        if let Some(token) = source.security_token() {
            request.form("SecurityToken", token);
            request.secret(token);
        }
        request.secret(source.access_key_secret());
        let signature = v1::sign("POST", &request.all_params(), source.access_key_secret());
        request.query(v1::SIGNATURE_PARAM, signature);
        self.session.send(request, ACTION, &self.role_arn).await
    }
}

impl ProvideCredentials for RamRoleArnCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.session.cache.get_or_refresh(|| self.assume_role()))
    }
}

impl fmt::Debug for RamRoleArnCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnCredentialsProvider")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.session.role_session_name)
            .field("duration", &self.session.duration)
            .field("policy", &self.session.policy)
            // The external ID guards against confused deputies: treat it as a secret.
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "** redacted **"),
            )
            .field("endpoint", &self.session.endpoint)
            .finish_non_exhaustive()
    }
}

/// Builds a [`RamRoleArnCredentialsProvider`].
#[derive(Default)]
pub struct RamRoleArnCredentialsProviderBuilder {
    source: Option<Arc<dyn ProvideCredentials>>,
    role_arn: Option<String>,
    external_id: Option<String>,
    session: SessionSettings,
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

    /// The external ID the role's trust policy requires.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    sts::session_setters!();

    /// Takes environment variables and endpoint overrides from `config`.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.session.config = config.clone();
        self
    }

    /// Checks the settings and builds the provider.
    pub fn build(self) -> Result<RamRoleArnCredentialsProvider, CredentialsError> {
        let source = self.source.ok_or_else(|| {
            CredentialsError::new("RAM role ARN credentials need source credentials")
        })?;
        let role_arn = self
            .role_arn
            .filter(|arn| !arn.is_empty())
            .or_else(|| self.session.config.env.get("ALIBABA_CLOUD_ROLE_ARN"))
            .ok_or_else(|| {
                CredentialsError::new(
                    "RAM role ARN credentials need a role ARN (or ALIBABA_CLOUD_ROLE_ARN)",
                )
            })?;
        Ok(RamRoleArnCredentialsProvider {
            source,
            role_arn,
            external_id: self.external_id.filter(|id| !id.is_empty()),
            session: self.session.build()?,
        })
    }
}

impl fmt::Debug for RamRoleArnCredentialsProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnCredentialsProviderBuilder")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("endpoint", &self.session.endpoint)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::host::Env;
    use crate::credentials::provider_config::Clock;
    use crate::credentials::test_server::{expiration_in, sts_success, TestServer};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{Duration, SystemTime};

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

    #[tokio::test]
    async fn a_signature_mismatch_echo_never_shows_the_source_token_or_external_id() {
        // STS answers a bad signature with the whole string-to-sign, which carries every
        // parameter: the source credentials' security token and the external ID among them.
        let server = sts_server().await;
        let token = "source-TOKEN/7+x=";
        let external_id = "ext-ID/9+y=";
        let provider = RamRoleArnCredentialsProvider::builder()
            .source_credentials(
                Credentials::new("STS.source", "wrong-secret").with_security_token(token),
            )
            .role_arn("acs:ram::1:role/r")
            .external_id(external_id)
            .sts_endpoint(&server.url)
            .configure(&isolated())
            .build()
            .expect("provider");
        let error = provider
            .provide_credentials()
            .await
            .expect_err("bad signature");
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("SignatureDoesNotMatch"), "{shown}");
        for fragment in ["TOKEN", "ext-ID", "wrong-secret"] {
            assert!(!shown.contains(fragment), "{fragment} in {shown}");
        }
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
