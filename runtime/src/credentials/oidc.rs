//! Temporary credentials for a RAM role, from STS `AssumeRoleWithOIDC` — the RRSA flow of
//! Alibaba Cloud Container Service, where the pod's OIDC token is mounted as a file.

use std::fmt;
use std::path::PathBuf;

use super::host::{Env, Fs};
use super::provider_config::ProviderConfig;
pub use super::sts::ROLE_SESSION_NAME;
use super::sts::{self, SessionSettings, StsSession};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// The role to assume.
pub const ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// The OIDC identity provider registered in RAM.
pub const OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// The file that holds the OIDC token.
pub const OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";

/// The STS action this provider calls.
const ACTION: &str = "AssumeRoleWithOIDC";

/// Exchanges an OIDC token for temporary credentials with STS `AssumeRoleWithOIDC` (an
/// unsigned call: the token is the proof), and caches them until shortly before they expire.
///
/// The token file is read again at every refresh, because the platform rotates it.
pub struct OidcRoleArnCredentialsProvider {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    fs: Fs,
    session: StsSession,
}

impl OidcRoleArnCredentialsProvider {
    /// Starts building a provider; the role ARN, the OIDC provider ARN and the token file are
    /// required and default to `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
    /// `ALIBABA_CLOUD_OIDC_TOKEN_FILE`.
    pub fn builder() -> OidcRoleArnCredentialsProviderBuilder {
        OidcRoleArnCredentialsProviderBuilder::default()
    }

    /// Whether `env` names all three settings the environment-driven provider needs; the
    /// default chain includes this provider only then, as the official SDKs do.
    pub fn is_configured_in(env: &Env) -> bool {
        [ROLE_ARN, OIDC_PROVIDER_ARN, OIDC_TOKEN_FILE]
            .iter()
            .all(|name| env.get(name).is_some())
    }

    async fn assume_role_with_oidc(&self) -> Result<Credentials, CredentialsError> {
        let token = self.fs.read_to_string(&self.token_file).map_err(|e| {
            CredentialsError::with_source(
                format!(
                    "cannot read the OIDC token file {}",
                    self.token_file.display()
                ),
                e,
            )
        })?;
        let mut request = self.session.request(ACTION)?;
        request.form("RoleArn", &self.role_arn);
        request.form("OIDCProviderArn", &self.oidc_provider_arn);
        request.form("OIDCToken", token.trim());
        request.secret(token.trim());
        self.session.add_session_params(&mut request);
        self.session.send(request, ACTION, &self.role_arn).await
    }
}

impl ProvideCredentials for OidcRoleArnCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(
            self.session
                .cache
                .get_or_refresh(|| self.assume_role_with_oidc()),
        )
    }
}

impl fmt::Debug for OidcRoleArnCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcRoleArnCredentialsProvider")
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("token_file", &self.token_file)
            .field("role_session_name", &self.session.role_session_name)
            .field("duration", &self.session.duration)
            .field("endpoint", &self.session.endpoint)
            .finish_non_exhaustive()
    }
}

/// Builds an [`OidcRoleArnCredentialsProvider`].
#[derive(Debug, Default)]
pub struct OidcRoleArnCredentialsProviderBuilder {
    role_arn: Option<String>,
    oidc_provider_arn: Option<String>,
    token_file: Option<PathBuf>,
    session: SessionSettings,
}

impl OidcRoleArnCredentialsProviderBuilder {
    /// The role to assume.
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }

    /// The ARN of the OIDC identity provider registered in RAM.
    pub fn oidc_provider_arn(mut self, arn: impl Into<String>) -> Self {
        self.oidc_provider_arn = Some(arn.into());
        self
    }

    /// The file holding the OIDC token.
    pub fn token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.token_file = Some(path.into());
        self
    }

    sts::session_setters!();

    /// Takes environment variables, the file system and endpoint overrides from `config`.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.session.config = config.clone();
        self
    }

    /// Checks the settings and builds the provider.
    pub fn build(self) -> Result<OidcRoleArnCredentialsProvider, CredentialsError> {
        let env = &self.session.config.env;
        let required = |value: Option<String>, variable: &str, what: &str| {
            value
                .filter(|v| !v.is_empty())
                .or_else(|| env.get(variable))
                .ok_or_else(|| {
                    CredentialsError::new(format!(
                        "OIDC role credentials need {what} (or {variable})"
                    ))
                })
        };
        let role_arn = required(self.role_arn, ROLE_ARN, "a role ARN")?;
        let oidc_provider_arn = required(
            self.oidc_provider_arn,
            OIDC_PROVIDER_ARN,
            "an OIDC provider ARN",
        )?;
        let token_file = match self.token_file {
            Some(path) => path,
            None => PathBuf::from(required(None, OIDC_TOKEN_FILE, "a token file")?),
        };
        Ok(OidcRoleArnCredentialsProvider {
            role_arn,
            oidc_provider_arn,
            token_file,
            fs: self.session.config.fs.clone(),
            session: self.session.build()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::test_server::{expiration_in, sts_success, TestServer};

    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.oidc-token-value.sig";

    fn config(server: &TestServer, extra: &[(&str, &str)]) -> ProviderConfig {
        let mut vars = vec![
            (ROLE_ARN, "acs:ram::1:role/pod-role"),
            (OIDC_PROVIDER_ARN, "acs:ram::1:oidc-provider/ack-rrsa"),
            (OIDC_TOKEN_FILE, "/var/run/secrets/tokens/oidc-token"),
        ];
        vars.extend_from_slice(extra);
        ProviderConfig::new()
            .with_env(Env::from_vars(vars))
            .with_fs(Fs::from_files([(
                "/var/run/secrets/tokens/oidc-token",
                format!("{TOKEN}\n"),
            )]))
            .with_sts_endpoint(&server.url)
    }

    #[tokio::test]
    async fn exchanges_the_token_from_the_environment_for_credentials() {
        let server = TestServer::start(|_| {
            (
                200,
                sts_success(
                    "STS.oidc",
                    "oidc-secret",
                    "oidc-token",
                    &expiration_in(3600),
                ),
            )
        })
        .await;
        let provider = OidcRoleArnCredentialsProvider::builder()
            .configure(&config(&server, &[(ROLE_SESSION_NAME, "my-pod")]))
            .build()
            .expect("provider");
        let credentials = provider.provide_credentials().await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "STS.oidc");
        assert_eq!(credentials.security_token(), Some("oidc-token"));
        provider.provide_credentials().await.expect("cached");

        let received = server.received();
        assert_eq!(received.len(), 1);
        let request = &received[0];
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.param("Action").as_deref(),
            Some("AssumeRoleWithOIDC")
        );
        assert_eq!(request.param("Version").as_deref(), Some("2015-04-01"));
        assert_eq!(
            request.param("RoleArn").as_deref(),
            Some("acs:ram::1:role/pod-role")
        );
        assert_eq!(
            request.param("OIDCProviderArn").as_deref(),
            Some("acs:ram::1:oidc-provider/ack-rrsa")
        );
        assert_eq!(request.param("RoleSessionName").as_deref(), Some("my-pod"));
        assert_eq!(request.param("DurationSeconds").as_deref(), Some("3600"));
        // The token (trimmed) travels in the body only, and the call is unsigned.
        assert!(request
            .form()
            .contains(&("OIDCToken".to_owned(), TOKEN.to_owned())));
        assert!(request.query.iter().all(|(name, _)| name != "OIDCToken"));
        assert_eq!(request.param("Signature"), None);
        assert_eq!(request.param("AccessKeyId"), None);
    }

    #[tokio::test]
    async fn a_missing_token_file_is_an_error_naming_the_file() {
        let server = TestServer::start(|_| (500, String::new())).await;
        let provider = OidcRoleArnCredentialsProvider::builder()
            .configure(&config(&server, &[]).with_fs(Fs::from_files::<_, String, String>([])))
            .build()
            .expect("provider");
        let error = provider.provide_credentials().await.expect_err("no token");
        assert!(error
            .to_string()
            .contains("/var/run/secrets/tokens/oidc-token"));
        assert!(server.received().is_empty());
    }

    #[test]
    fn all_three_settings_are_required() {
        let env = Env::from_vars([(ROLE_ARN, "a"), (OIDC_PROVIDER_ARN, "b")]);
        assert!(!OidcRoleArnCredentialsProvider::is_configured_in(&env));
        let error = OidcRoleArnCredentialsProvider::builder()
            .configure(&ProviderConfig::new().with_env(env))
            .build()
            .expect_err("no token file");
        assert!(error.to_string().contains(OIDC_TOKEN_FILE));
    }

    #[test]
    fn explicit_settings_win_over_the_environment() {
        let provider = OidcRoleArnCredentialsProvider::builder()
            .role_arn("explicit-role")
            .oidc_provider_arn("explicit-provider")
            .token_file("/token")
            .sts_region("cn-shanghai")
            .configure(&ProviderConfig::new().with_env(Env::from_vars([(ROLE_ARN, "env-role")])))
            .build()
            .expect("provider");
        assert_eq!(provider.role_arn, "explicit-role");
        assert_eq!(
            provider.session.endpoint,
            "https://sts.cn-shanghai.aliyuncs.com"
        );
    }
}
