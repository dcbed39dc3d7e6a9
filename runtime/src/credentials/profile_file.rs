//! Credentials from the shared credentials file `~/.alibabacloud/credentials.ini`.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::OnceCell;

use super::ecs_ram_role::EcsRamRoleCredentialsProvider;
use super::ini;
use super::oidc::OidcRoleArnCredentialsProvider;
use super::provider_config::ProviderConfig;
use super::ram_role_arn::RamRoleArnCredentialsProvider;
use super::sts::SessionSettings;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// Overrides the path of the credentials file.
pub const CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
/// Selects the profile (section) to use; `default` when unset.
pub const PROFILE: &str = "ALIBABA_CLOUD_PROFILE";

/// Reads one section of the INI credentials file and provides credentials as its `type` says:
///
/// | `type` | keys |
/// |---|---|
/// | `access_key` | `access_key_id`, `access_key_secret` |
/// | `sts` | `access_key_id`, `access_key_secret`, `security_token` |
/// | `ecs_ram_role` | `role_name` (optional) |
/// | `ram_role_arn` | `access_key_id`, `access_key_secret`, `role_arn`, `role_session_name`, `policy` |
/// | `oidc_role_arn` | `role_arn`, `oidc_provider_arn`, `oidc_token_file_path`, `role_session_name`, `policy` |
///
/// The file is `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials.ini`; the
/// section is `ALIBABA_CLOUD_PROFILE`, else `default`. The file is read once, on first use.
pub struct ProfileFileCredentialsProvider {
    path: Option<PathBuf>,
    profile: Option<String>,
    config: ProviderConfig,
    inner: OnceCell<Arc<dyn ProvideCredentials>>,
}

impl ProfileFileCredentialsProvider {
    /// A provider for the default file and profile, read from the process environment.
    pub fn new() -> Self {
        ProfileFileCredentialsProvider::builder().build()
    }

    /// Starts building a provider.
    pub fn builder() -> ProfileFileCredentialsProviderBuilder {
        ProfileFileCredentialsProviderBuilder::default()
    }

    fn path(&self) -> Result<PathBuf, CredentialsError> {
        if let Some(path) = &self.path {
            return Ok(path.clone());
        }
        let env = &self.config.env;
        if let Some(path) = env.get(CREDENTIALS_FILE) {
            return Ok(PathBuf::from(path));
        }
        env.home_dir()
            .map(|home| home.join(".alibabacloud").join("credentials.ini"))
            .ok_or_else(|| {
                CredentialsError::new("cannot locate credentials.ini: no home directory")
            })
    }

    fn profile(&self) -> String {
        self.profile
            .clone()
            .or_else(|| self.config.env.get(PROFILE))
            .unwrap_or_else(|| "default".to_owned())
    }

    async fn load(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let path = self.path()?;
        let text = self.config.fs.read_to_string(&path).map_err(|e| {
            CredentialsError::with_source(format!("cannot read {}", path.display()), e)
        })?;
        let sections = ini::parse(&text).map_err(|e| {
            CredentialsError::with_source(format!("invalid INI in {}", path.display()), e)
        })?;
        let profile = self.profile();
        let section = sections.get(&profile).ok_or_else(|| {
            CredentialsError::new(format!("{} has no profile [{profile}]", path.display()))
        })?;
        let context = format!("profile [{profile}] of {}", path.display());
        provider_for_section(section, &context, &self.config)
    }
}

impl Default for ProfileFileCredentialsProvider {
    fn default() -> Self {
        ProfileFileCredentialsProvider::new()
    }
}

impl ProvideCredentials for ProfileFileCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let inner = self.inner.get_or_try_init(|| self.load()).await?;
            inner.provide_credentials().await
        })
    }
}

impl fmt::Debug for ProfileFileCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileFileCredentialsProvider")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .field("inner", &self.inner.get())
            .finish_non_exhaustive()
    }
}

/// Builds the provider a credentials-file section describes.
fn provider_for_section(
    section: &HashMap<String, String>,
    context: &str,
    config: &ProviderConfig,
) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
    let optional = |key: &str| section.get(key).filter(|v| !v.is_empty()).cloned();
    let required = |key: &str| {
        optional(key).ok_or_else(|| CredentialsError::new(format!("{context}: `{key}` is missing")))
    };
    let with_context = |e: CredentialsError| CredentialsError::with_source(context.to_owned(), e);
    let session = || SessionSettings {
        role_session_name: optional("role_session_name"),
        policy: optional("policy"),
        config: config.clone(),
        ..SessionSettings::default()
    };
    let kind = required("type")?;
    let provider: Arc<dyn ProvideCredentials> = match kind.as_str() {
        "access_key" => Arc::new(Credentials::new(
            required("access_key_id")?,
            required("access_key_secret")?,
        )),
        "sts" => Arc::new(
            Credentials::new(required("access_key_id")?, required("access_key_secret")?)
                .with_security_token(required("security_token")?),
        ),
        "ecs_ram_role" => Arc::new(EcsRamRoleCredentialsProvider::for_profile(
            optional("role_name"),
            config,
        )),
        "ram_role_arn" => {
            let source =
                Credentials::new(required("access_key_id")?, required("access_key_secret")?);
            Arc::new(
                RamRoleArnCredentialsProvider::builder()
                    .source_credentials(source)
                    .role_arn(required("role_arn")?)
                    .session_settings(session())
                    .build()
                    .map_err(with_context)?,
            )
        }
        "oidc_role_arn" => Arc::new(
            OidcRoleArnCredentialsProvider::builder()
                .role_arn(required("role_arn")?)
                .oidc_provider_arn(required("oidc_provider_arn")?)
                .token_file(required("oidc_token_file_path")?)
                .session_settings(session())
                .build()
                .map_err(with_context)?,
        ),
        other => {
            return Err(CredentialsError::new(format!(
                "{context}: unsupported credential type `{other}` (supported: access_key, sts, \
                 ecs_ram_role, ram_role_arn, oidc_role_arn)"
            )))
        }
    };
    tracing::debug!(kind = %kind, "loaded credentials settings from {context}");
    Ok(provider)
}

/// Builds a [`ProfileFileCredentialsProvider`].
#[derive(Debug, Default)]
pub struct ProfileFileCredentialsProviderBuilder {
    path: Option<PathBuf>,
    profile: Option<String>,
    config: ProviderConfig,
}

impl ProfileFileCredentialsProviderBuilder {
    /// Reads this file instead of `ALIBABA_CLOUD_CREDENTIALS_FILE` or the default path.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this section instead of `ALIBABA_CLOUD_PROFILE` or `default`.
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
    pub fn build(self) -> ProfileFileCredentialsProvider {
        ProfileFileCredentialsProvider {
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

    const FILE: &str = "\
[default]
type = access_key
access_key_id = ak-id
access_key_secret = ak-secret

[sts]
type = sts
access_key_id = STS.id
access_key_secret = sts-secret
security_token = sts-token

[ecs]
type = ecs_ram_role
role_name = VpnRole

[role]
type = ram_role_arn
access_key_id = source-id
access_key_secret = source-secret
role_arn = acs:ram::1:role/vpn
role_session_name = from-ini

[oidc]
type = oidc_role_arn
role_arn = acs:ram::1:role/pod
oidc_provider_arn = acs:ram::1:oidc-provider/p
oidc_token_file_path = /token

[weird]
type = bearer
";

    fn config(vars: &[(&str, &str)]) -> ProviderConfig {
        let mut all = vec![("HOME", "/home/me")];
        all.extend_from_slice(vars);
        ProviderConfig::new()
            .with_env(Env::from_vars(all))
            .with_fs(Fs::from_files([
                ("/home/me/.alibabacloud/credentials.ini", FILE),
                ("/token", "oidc-token"),
            ]))
    }

    async fn provide(config: ProviderConfig) -> Result<Credentials, CredentialsError> {
        ProfileFileCredentialsProvider::builder()
            .configure(&config)
            .build()
            .provide_credentials()
            .await
    }

    #[tokio::test]
    async fn default_profile_with_an_access_key() {
        let credentials = provide(config(&[])).await.expect("credentials");
        assert_eq!(credentials, Credentials::new("ak-id", "ak-secret"));
    }

    #[tokio::test]
    async fn profile_from_the_environment_with_sts_credentials() {
        let credentials = provide(config(&[(PROFILE, "sts")]))
            .await
            .expect("credentials");
        assert_eq!(
            credentials,
            Credentials::new("STS.id", "sts-secret").with_security_token("sts-token")
        );
    }

    #[tokio::test]
    async fn file_path_from_the_environment() {
        let config = ProviderConfig::new()
            .with_env(Env::from_vars([(CREDENTIALS_FILE, "/etc/creds.ini")]))
            .with_fs(Fs::from_files([(
                "/etc/creds.ini",
                "[default]\ntype=access_key\naccess_key_id=x\naccess_key_secret=y\n",
            )]));
        let credentials = provide(config).await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "x");
    }

    #[tokio::test]
    async fn ram_role_arn_profiles_assume_the_role() {
        let server = TestServer::start(|request: &Received| {
            assert_eq!(
                request.param("RoleSessionName").as_deref(),
                Some("from-ini")
            );
            match crate::signing::v1::verify("POST", &request.params(), "source-secret") {
                Ok(()) => (200, sts_success("STS.role", "s", "t", &expiration_in(3600))),
                Err(_) => (400, r#"{"Code":"SignatureDoesNotMatch"}"#.into()),
            }
        })
        .await;
        let config = config(&[(PROFILE, "role")]).with_sts_endpoint(&server.url);
        let credentials = provide(config).await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "STS.role");
        assert_eq!(
            server.received()[0].param("RoleArn").as_deref(),
            Some("acs:ram::1:role/vpn")
        );
    }

    #[tokio::test]
    async fn oidc_profiles_exchange_the_token() {
        let server = TestServer::start(|_: &Received| {
            (200, sts_success("STS.oidc", "s", "t", &expiration_in(3600)))
        })
        .await;
        let config = config(&[(PROFILE, "oidc")]).with_sts_endpoint(&server.url);
        let credentials = provide(config).await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "STS.oidc");
        assert_eq!(
            server.received()[0].param("OIDCToken").as_deref(),
            Some("oidc-token")
        );
    }

    #[tokio::test]
    async fn ecs_ram_role_profiles_use_the_metadata_service() {
        let server = TestServer::start(|request: &Received| match request.path.as_str() {
            "/latest/api/token" => (200, "tok".into()),
            "/latest/meta-data/ram/security-credentials/VpnRole" => (
                200,
                metadata_success("STS.ecs", "s", "t", &expiration_in(3600)),
            ),
            _ => (404, String::new()),
        })
        .await;
        let config = config(&[(PROFILE, "ecs")]).with_metadata_endpoint(&server.url);
        let credentials = provide(config).await.expect("credentials");
        assert_eq!(credentials.access_key_id(), "STS.ecs");
    }

    #[tokio::test]
    async fn problems_are_reported_with_file_and_profile() {
        let error = provide(config(&[(PROFILE, "missing")]))
            .await
            .expect_err("no profile");
        assert!(error.to_string().contains("[missing]"), "{error}");
        let error = provide(config(&[(PROFILE, "weird")]))
            .await
            .expect_err("bad type");
        assert!(
            error
                .to_string()
                .contains("unsupported credential type `bearer`"),
            "{error}"
        );
        let no_file = ProviderConfig::new()
            .with_env(Env::from_vars([("HOME", "/nowhere")]))
            .with_fs(Fs::from_files::<_, String, String>([]));
        let error = provide(no_file).await.expect_err("no file");
        assert!(
            error
                .to_string()
                .contains("/nowhere/.alibabacloud/credentials.ini"),
            "{error}"
        );
    }
}
