//! Credentials from the Alibaba Cloud CLI's configuration, `~/.aliyun/config.json`.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::OnceCell;

use super::ecs_ram_role::EcsRamRoleCredentialsProvider;
use super::oidc::OidcRoleArnCredentialsProvider;
use super::provider_config::ProviderConfig;
use super::ram_role_arn::RamRoleArnCredentialsProvider;
use super::sts::{EndpointSettings, SessionSettings};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// Selects the CLI profile; the file's `current` profile when unset.
pub const PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// `true` turns this provider (and its place in the default chain) off.
pub const CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// How many `source_profile` hops a `ChainableRamRoleArn` profile may take: enough for any
/// real setup, and a guard against profiles that name each other.
const MAX_SOURCE_PROFILE_DEPTH: usize = 8;

/// Reads a profile of the CLI configuration and provides credentials as its `mode` says:
/// `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `OIDC` and `ChainableRamRoleArn` (a role
/// assumed with another profile's credentials).
///
/// The profile is `ALIBABA_CLOUD_PROFILE`, else the file's `current`. The file is read once,
/// on first use. `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` turns the provider off.
pub struct CliProfileCredentialsProvider {
    path: Option<PathBuf>,
    profile: Option<String>,
    config: ProviderConfig,
    inner: OnceCell<Arc<dyn ProvideCredentials>>,
}

impl CliProfileCredentialsProvider {
    /// A provider for the default file and profile, read from the process environment.
    pub fn new() -> Self {
        CliProfileCredentialsProvider::builder().build()
    }

    /// Starts building a provider.
    pub fn builder() -> CliProfileCredentialsProviderBuilder {
        CliProfileCredentialsProviderBuilder::default()
    }

    fn path(&self) -> Result<PathBuf, CredentialsError> {
        if let Some(path) = &self.path {
            return Ok(path.clone());
        }
        self.config
            .env
            .home_dir()
            .map(|home| home.join(".aliyun").join("config.json"))
            .ok_or_else(|| CredentialsError::new("cannot locate the CLI config: no home directory"))
    }

    async fn load(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let path = self.path()?;
        let text = self.config.fs.read_to_string(&path).map_err(|e| {
            CredentialsError::with_source(format!("cannot read {}", path.display()), e)
        })?;
        // serde_json's messages quote no input, but report only the position to be sure.
        let file: ConfigFile = serde_json::from_str(&text).map_err(|e| {
            CredentialsError::new(format!(
                "invalid JSON in {} (line {}, column {})",
                path.display(),
                e.line(),
                e.column()
            ))
        })?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.config.env.get(PROFILE))
            .or(file.current.clone())
            .filter(|name| !name.is_empty())
            .ok_or_else(|| {
                CredentialsError::new(format!(
                    "{} names no current profile and {PROFILE} is not set",
                    path.display()
                ))
            })?;
        let loader = ProfileLoader {
            file: &file,
            path: &path,
            config: &self.config,
        };
        loader.provider(&name, 0)
    }
}

impl Default for CliProfileCredentialsProvider {
    fn default() -> Self {
        CliProfileCredentialsProvider::new()
    }
}

impl ProvideCredentials for CliProfileCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            if self.config.env.is_true(CLI_PROFILE_DISABLED) {
                return Err(CredentialsError::new(format!(
                    "CLI profile credentials are disabled by {CLI_PROFILE_DISABLED}"
                )));
            }
            let inner = self.inner.get_or_try_init(|| self.load()).await?;
            inner.provide_credentials().await
        })
    }
}

impl fmt::Debug for CliProfileCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CliProfileCredentialsProvider")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .field("inner", &self.inner.get())
            .finish_non_exhaustive()
    }
}

/// The parts of `config.json` that matter for credentials. No `Debug`: it holds secrets.
#[derive(Deserialize)]
struct ConfigFile {
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<Profile>,
}

/// One CLI profile. Field names are the CLI's.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Profile {
    name: String,
    mode: String,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    sts_token: Option<String>,
    ram_role_name: Option<String>,
    ram_role_arn: Option<String>,
    ram_session_name: Option<String>,
    role_session_name: Option<String>,
    expired_seconds: Option<u64>,
    policy: Option<String>,
    external_id: Option<String>,
    sts_region: Option<String>,
    enable_vpc: Option<bool>,
    oidc_provider_arn: Option<String>,
    oidc_token_file: Option<String>,
    source_profile: Option<String>,
}

struct ProfileLoader<'a> {
    file: &'a ConfigFile,
    path: &'a std::path::Path,
    config: &'a ProviderConfig,
}

impl ProfileLoader<'_> {
    fn provider(
        &self,
        name: &str,
        depth: usize,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let context = format!("CLI profile `{name}` in {}", self.path.display());
        if depth > MAX_SOURCE_PROFILE_DEPTH {
            return Err(CredentialsError::new(format!(
                "{context}: source_profile chain is too long (a cycle?)"
            )));
        }
        let profile = self
            .file
            .profiles
            .iter()
            .find(|profile| profile.name == name)
            .ok_or_else(|| CredentialsError::new(format!("{context}: no such profile")))?;
        let required = |value: &Option<String>, key: &str| {
            value
                .clone()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| CredentialsError::new(format!("{context}: `{key}` is missing")))
        };
        let with_context = |e: CredentialsError| CredentialsError::with_source(context.clone(), e);
        let access_key = || -> Result<Credentials, CredentialsError> {
            Ok(Credentials::new(
                required(&profile.access_key_id, "access_key_id")?,
                required(&profile.access_key_secret, "access_key_secret")?,
            ))
        };
        let assume_role = |source: Arc<dyn ProvideCredentials>| {
            let mut builder = RamRoleArnCredentialsProvider::builder()
                .source_provider(source)
                .role_arn(required(&profile.ram_role_arn, "ram_role_arn")?)
                .session_settings(profile.session(&profile.ram_session_name, self.config));
            if let Some(external_id) = &profile.external_id {
                builder = builder.external_id(external_id);
            }
            builder.build().map_err(with_context)
        };
        let provider: Arc<dyn ProvideCredentials> = match profile.mode.as_str() {
            "AK" => Arc::new(access_key()?),
            "StsToken" => Arc::new(
                access_key()?.with_security_token(required(&profile.sts_token, "sts_token")?),
            ),
            "RamRoleArn" => Arc::new(assume_role(Arc::new(access_key()?))?),
            "ChainableRamRoleArn" => {
                let source_name = required(&profile.source_profile, "source_profile")?;
                let source = self.provider(&source_name, depth + 1)?;
                Arc::new(assume_role(source)?)
            }
            "EcsRamRole" => Arc::new(EcsRamRoleCredentialsProvider::for_profile(
                profile.ram_role_name.clone(),
                self.config,
            )),
            "OIDC" => Arc::new(
                OidcRoleArnCredentialsProvider::builder()
                    .role_arn(required(&profile.ram_role_arn, "ram_role_arn")?)
                    .oidc_provider_arn(required(&profile.oidc_provider_arn, "oidc_provider_arn")?)
                    .token_file(required(&profile.oidc_token_file, "oidc_token_file")?)
                    .session_settings(profile.session(&profile.role_session_name, self.config))
                    .build()
                    .map_err(with_context)?,
            ),
            other => {
                return Err(CredentialsError::new(format!(
                    "{context}: unsupported mode `{other}` (supported: AK, StsToken, RamRoleArn, \
                     ChainableRamRoleArn, EcsRamRole, OIDC)"
                )))
            }
        };
        tracing::debug!(mode = %profile.mode, "loaded credentials settings from {context}");
        Ok(provider)
    }
}

impl Profile {
    /// The STS session settings of a role-assuming profile; which field names the session
    /// depends on the mode.
    fn session(
        &self,
        role_session_name: &Option<String>,
        config: &ProviderConfig,
    ) -> SessionSettings {
        SessionSettings {
            role_session_name: role_session_name.clone(),
            // The CLI writes `expired_seconds: 0` for "not set".
            duration: self
                .expired_seconds
                .filter(|&seconds| seconds > 0)
                .map(Duration::from_secs),
            policy: self.policy.clone(),
            endpoint: EndpointSettings {
                endpoint: None,
                region: self.sts_region.clone(),
                vpc: self.enable_vpc,
            },
            config: config.clone(),
            ..SessionSettings::default()
        }
    }
}

/// Builds a [`CliProfileCredentialsProvider`].
#[derive(Debug, Default)]
pub struct CliProfileCredentialsProviderBuilder {
    path: Option<PathBuf>,
    profile: Option<String>,
    config: ProviderConfig,
}

impl CliProfileCredentialsProviderBuilder {
    /// Reads this file instead of `~/.aliyun/config.json`.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile instead of `ALIBABA_CLOUD_PROFILE` or the file's `current`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Takes environment variables, the file system and endpoint overrides from `config`.
    pub fn configure(mut self, config: &ProviderConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Builds the provider; the file is read on first use.
    pub fn build(self) -> CliProfileCredentialsProvider {
        CliProfileCredentialsProvider {
            path: self.path,
            profile: self.profile,
            config: self.config,
            inner: OnceCell::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::host::{Env, Fs};
    use crate::credentials::test_server::{
        expiration_in, metadata_success, sts_success, Received, TestServer,
    };
    use crate::signing::v1;

    const CONFIG: &str = r#"{
  "current": "ak",
  "profiles": [
    {"name": "ak", "mode": "AK", "access_key_id": "ak-id", "access_key_secret": "ak-secret",
     "sts_token": "", "ram_role_name": "", "ram_role_arn": "", "ram_session_name": "",
     "expired_seconds": 0, "region_id": "cn-hangzhou", "output_format": "json", "language": "en"},
    {"name": "sts", "mode": "StsToken", "access_key_id": "STS.id", "access_key_secret": "sts-secret",
     "sts_token": "sts-token"},
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "source-id",
     "access_key_secret": "source-secret", "ram_role_arn": "acs:ram::1:role/vpn",
     "ram_session_name": "cli-session", "expired_seconds": 900, "external_id": "ext"},
    {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "role",
     "ram_role_arn": "acs:ram::1:role/second", "ram_session_name": "second"},
    {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop",
     "ram_role_arn": "acs:ram::1:role/loop"},
    {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "VpnRole"},
    {"name": "oidc", "mode": "OIDC", "ram_role_arn": "acs:ram::1:role/pod",
     "oidc_provider_arn": "acs:ram::1:oidc-provider/p", "oidc_token_file": "/token",
     "role_session_name": "pod"},
    {"name": "sso", "mode": "CloudSSO"}
  ]
}"#;

    fn config(vars: &[(&str, &str)]) -> ProviderConfig {
        let mut all = vec![("HOME", "/home/me")];
        all.extend_from_slice(vars);
        ProviderConfig::new()
            .with_env(Env::from_vars(all))
            .with_fs(Fs::from_files([
                ("/home/me/.aliyun/config.json", CONFIG),
                ("/token", "oidc-token"),
            ]))
    }

    async fn provide(config: ProviderConfig) -> Result<Credentials, CredentialsError> {
        CliProfileCredentialsProvider::builder()
            .configure(&config)
            .build()
            .provide_credentials()
            .await
    }

    /// An STS server that checks v1 signatures made with any of the secrets it knows and
    /// answers with credentials named after the role's last path segment.
    async fn sts_server() -> TestServer {
        TestServer::start(|request: &Received| {
            let params = request.params();
            let signed = ["source-secret", "secret-of-vpn"]
                .iter()
                .any(|secret| v1::verify("POST", &params, secret).is_ok());
            let role = request.param("RoleArn").unwrap_or_default();
            let short = role.rsplit('/').next().unwrap_or_default().to_owned();
            if request.param("Action").as_deref() == Some("AssumeRole") && !signed {
                return (400, r#"{"Code":"SignatureDoesNotMatch"}"#.into());
            }
            (
                200,
                sts_success(
                    &format!("STS.{short}"),
                    &format!("secret-of-{short}"),
                    "token",
                    &expiration_in(3600),
                ),
            )
        })
        .await
    }

    #[tokio::test]
    async fn the_current_profile_is_used_by_default() {
        let credentials = provide(config(&[])).await.expect("credentials");
        assert_eq!(credentials, Credentials::new("ak-id", "ak-secret"));
    }

    #[tokio::test]
    async fn the_environment_selects_a_profile() {
        let credentials = provide(config(&[(PROFILE, "sts")]))
            .await
            .expect("credentials");
        assert_eq!(credentials.security_token(), Some("sts-token"));
    }

    #[tokio::test]
    async fn ram_role_arn_profiles_assume_the_role_with_the_profile_settings() {
        let server = sts_server().await;
        let config = config(&[(PROFILE, "role")]).with_sts_endpoint(&server.url);
        let credentials = provide(config).await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "STS.vpn");
        let request = &server.received()[0];
        assert_eq!(
            request.param("RoleSessionName").as_deref(),
            Some("cli-session")
        );
        assert_eq!(request.param("DurationSeconds").as_deref(), Some("900"));
        assert_eq!(request.param("ExternalId").as_deref(), Some("ext"));
        assert_eq!(request.param("AccessKeyId").as_deref(), Some("source-id"));
    }

    #[tokio::test]
    async fn chainable_profiles_assume_a_role_with_another_profiles_credentials() {
        let server = sts_server().await;
        let config = config(&[(PROFILE, "chained")]).with_sts_endpoint(&server.url);
        let credentials = provide(config).await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "STS.second");
        let received = server.received();
        assert_eq!(received.len(), 2);
        // The second AssumeRole is signed with the first role's temporary credentials.
        assert_eq!(received[1].param("AccessKeyId").as_deref(), Some("STS.vpn"));
        assert_eq!(received[1].param("SecurityToken").as_deref(), Some("token"));
    }

    #[tokio::test]
    async fn ecs_and_oidc_profiles_build_their_providers() {
        let server = TestServer::start(|request: &Received| match request.path.as_str() {
            "/latest/api/token" => (200, "tok".into()),
            "/latest/meta-data/ram/security-credentials/VpnRole" => (
                200,
                metadata_success("STS.ecs", "s", "t", &expiration_in(3600)),
            ),
            _ => (200, sts_success("STS.oidc", "s", "t", &expiration_in(3600))),
        })
        .await;
        let ecs = config(&[(PROFILE, "ecs")]).with_metadata_endpoint(&server.url);
        assert_eq!(provide(ecs).await.expect("ecs").access_key_id(), "STS.ecs");
        let oidc = config(&[(PROFILE, "oidc")]).with_sts_endpoint(&server.url);
        assert_eq!(
            provide(oidc).await.expect("oidc").access_key_id(),
            "STS.oidc"
        );
        let last = server.received().pop().expect("a request");
        assert_eq!(last.param("OIDCToken").as_deref(), Some("oidc-token"));
        assert_eq!(last.param("RoleSessionName").as_deref(), Some("pod"));
    }

    #[tokio::test]
    async fn problems_are_reported_with_the_profile_name() {
        let error = provide(config(&[(PROFILE, "nope")]))
            .await
            .expect_err("missing");
        assert!(error.to_string().contains("`nope`"), "{error}");
        let error = provide(config(&[(PROFILE, "sso")]))
            .await
            .expect_err("unsupported");
        assert!(
            error.to_string().contains("unsupported mode `CloudSSO`"),
            "{error}"
        );
        let error = provide(config(&[(PROFILE, "loop")]))
            .await
            .expect_err("cycle");
        assert!(error.to_string().contains("too long"), "{error}");
        let error = provide(config(&[(CLI_PROFILE_DISABLED, "true")]))
            .await
            .expect_err("off");
        assert!(error.to_string().contains(CLI_PROFILE_DISABLED), "{error}");
    }

    #[tokio::test]
    async fn invalid_json_reports_the_position_only() {
        let config = ProviderConfig::new()
            .with_env(Env::from_vars([("HOME", "/h")]))
            .with_fs(Fs::from_files([(
                "/h/.aliyun/config.json",
                r#"{"profiles": [{"access_key_secret": "s3cr3t" oops}]}"#,
            )]));
        let error = provide(config).await.expect_err("invalid");
        assert!(error.to_string().contains("line 1"), "{error}");
        assert!(!format!("{error:?}").contains("s3cr3t"));
    }
}
