//! The default credentials chain, in the official SDKs' order.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use super::cli_profile::{self, CliProfileCredentialsProvider};
use super::ecs_ram_role::EcsRamRoleCredentialsProvider;
use super::environment::EnvironmentCredentialsProvider;
use super::oidc::OidcRoleArnCredentialsProvider;
use super::profile_file::ProfileFileCredentialsProvider;
use super::provider_config::ProviderConfig;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// Finds credentials the way Alibaba Cloud's official SDKs do, trying in order:
///
/// 1. `env`: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and optionally
///    `ALIBABA_CLOUD_SECURITY_TOKEN` ([`EnvironmentCredentialsProvider`]);
/// 2. `oidc_role_arn`: when `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
///    `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set ([`OidcRoleArnCredentialsProvider`]);
/// 3. `cli_profile`: `~/.aliyun/config.json`, unless `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`
///    ([`CliProfileCredentialsProvider`]);
/// 4. `profile`: `~/.alibabacloud/credentials.ini` or `ALIBABA_CLOUD_CREDENTIALS_FILE`
///    ([`ProfileFileCredentialsProvider`]);
/// 5. `ecs_ram_role`: the ECS instance metadata service, unless
///    `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` ([`EcsRamRoleCredentialsProvider`]).
///
/// Which providers take part is decided when the chain is built. The first provider that
/// succeeds is remembered and asked directly from then on (as the official SDKs do), so a
/// long-running program does not walk the chain — or wait for the metadata service — on every
/// request. If none succeeds, the error lists why each one failed.
pub struct DefaultCredentialsChain {
    providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>,
    last_used: RwLock<Option<usize>>,
}

impl DefaultCredentialsChain {
    /// The chain for the process environment, the real file system and the official endpoints.
    pub fn new() -> Self {
        DefaultCredentialsChain::builder().build()
    }

    /// Starts building a chain with custom settings (for example, to test it hermetically).
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder::default()
    }

    /// The names of the providers in the chain, in the order they are tried.
    pub fn provider_names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|(name, _)| *name).collect()
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let last_used = *self
            .last_used
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((name, provider)) = last_used.and_then(|index| self.providers.get(index)) {
            return provider.provide_credentials().await.map_err(|e| {
                CredentialsError::with_source(format!("{name} credentials failed"), e)
            });
        }
        let mut failures = Vec::with_capacity(self.providers.len());
        for (index, (name, provider)) in self.providers.iter().enumerate() {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(provider = name, "found credentials");
                    *self
                        .last_used
                        .write()
                        .unwrap_or_else(PoisonError::into_inner) = Some(index);
                    return Ok(credentials);
                }
                Err(error) => {
                    tracing::debug!(provider = name, error = %error, "no credentials");
                    failures.push(format!("{name}: {}", error_chain(&error)));
                }
            }
        }
        Err(CredentialsError::new(format!(
            "no credentials found in the default chain ({})",
            failures.join("; ")
        )))
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        DefaultCredentialsChain::new()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.resolve())
    }
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("providers", &self.providers)
            .finish_non_exhaustive()
    }
}

/// An error and its sources on one line, so the chain's summary says why each provider failed.
fn error_chain(error: &CredentialsError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Builds a [`DefaultCredentialsChain`].
#[derive(Debug, Default)]
pub struct DefaultCredentialsChainBuilder {
    config: ProviderConfig,
}

impl DefaultCredentialsChainBuilder {
    /// Reads environment variables and files, and reaches STS and the metadata service, as
    /// `config` says.
    pub fn configure(mut self, config: ProviderConfig) -> Self {
        self.config = config;
        self
    }

    /// Builds the chain, deciding from the environment which providers take part.
    pub fn build(self) -> DefaultCredentialsChain {
        let config = &self.config;
        let env = &config.env;
        let mut providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)> = vec![(
            "env",
            Arc::new(EnvironmentCredentialsProvider::with_env(env.clone())),
        )];
        if OidcRoleArnCredentialsProvider::is_configured_in(env) {
            match OidcRoleArnCredentialsProvider::builder()
                .configure(config)
                .build()
            {
                Ok(provider) => providers.push(("oidc_role_arn", Arc::new(provider))),
                Err(error) => tracing::warn!(error = %error, "ignoring the OIDC settings"),
            }
        }
        if !env.is_true(cli_profile::CLI_PROFILE_DISABLED) {
            providers.push((
                "cli_profile",
                Arc::new(
                    CliProfileCredentialsProvider::builder()
                        .configure(config)
                        .build(),
                ),
            ));
        }
        providers.push((
            "profile",
            Arc::new(
                ProfileFileCredentialsProvider::builder()
                    .configure(config)
                    .build(),
            ),
        ));
        if !EcsRamRoleCredentialsProvider::is_disabled_in(env) {
            providers.push((
                "ecs_ram_role",
                Arc::new(
                    EcsRamRoleCredentialsProvider::builder()
                        .configure(config)
                        .build(),
                ),
            ));
        }
        DefaultCredentialsChain {
            providers,
            last_used: RwLock::new(None),
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

    const CLI_CONFIG: &str = r#"{"current":"p","profiles":[{"name":"p","mode":"AK",
        "access_key_id":"cli-id","access_key_secret":"cli-secret"}]}"#;
    const INI: &str =
        "[default]\ntype = access_key\naccess_key_id = ini-id\naccess_key_secret = ini-secret\n";

    fn chain(
        vars: &[(&str, &str)],
        files: &[(&str, &str)],
        server: &TestServer,
    ) -> DefaultCredentialsChain {
        let mut all = vec![("HOME", "/home/me")];
        all.extend_from_slice(vars);
        let config = ProviderConfig::new()
            .with_env(Env::from_vars(all))
            .with_fs(Fs::from_files(files.iter().copied()))
            .with_sts_endpoint(&server.url)
            .with_metadata_endpoint(&server.url);
        DefaultCredentialsChain::builder().configure(config).build()
    }

    /// Plays STS and the metadata service at once.
    async fn server() -> TestServer {
        TestServer::start(|request: &Received| match request.path.as_str() {
            "/latest/api/token" => (200, "tok".into()),
            "/latest/meta-data/ram/security-credentials/" => (200, "Role".into()),
            "/latest/meta-data/ram/security-credentials/Role" => (
                200,
                metadata_success("ecs-id", "s", "t", &expiration_in(3600)),
            ),
            _ => (200, sts_success("oidc-id", "s", "t", &expiration_in(3600))),
        })
        .await
    }

    const ENV_AK: [(&str, &str); 2] = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    ];
    const OIDC: [(&str, &str); 3] = [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/p",
        ),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/token"),
    ];
    const FILES: [(&str, &str); 3] = [
        ("/home/me/.aliyun/config.json", CLI_CONFIG),
        ("/home/me/.alibabacloud/credentials.ini", INI),
        ("/token", "oidc-token"),
    ];

    async fn first_id(vars: &[(&str, &str)], files: &[(&str, &str)]) -> String {
        let server = server().await;
        let chain = chain(vars, files, &server);
        let credentials = chain.provide_credentials().await.expect("credentials");
        credentials.access_key_id().to_owned()
    }

    #[tokio::test]
    async fn providers_follow_the_official_order() {
        let server = server().await;
        let all = chain(&OIDC, &[], &server);
        assert_eq!(
            all.provider_names(),
            [
                "env",
                "oidc_role_arn",
                "cli_profile",
                "profile",
                "ecs_ram_role"
            ]
        );
        let trimmed = chain(
            &[
                ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
                ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "TRUE"),
            ],
            &[],
            &server,
        );
        assert_eq!(trimmed.provider_names(), ["env", "profile"]);
    }

    #[tokio::test]
    async fn each_source_wins_over_the_ones_after_it() {
        let everything: Vec<(&str, &str)> = ENV_AK.iter().chain(&OIDC).copied().collect();
        assert_eq!(first_id(&everything, &FILES).await, "env-id");
        assert_eq!(first_id(&OIDC, &FILES).await, "oidc-id");
        assert_eq!(first_id(&[], &FILES).await, "cli-id");
        assert_eq!(first_id(&[], &FILES[1..]).await, "ini-id");
        assert_eq!(first_id(&[], &[]).await, "ecs-id");
    }

    #[tokio::test]
    async fn the_successful_provider_is_reused() {
        let server = server().await;
        let chain = chain(&[], &[], &server);
        chain.provide_credentials().await.expect("from ECS");
        let after_first = server.received().len();
        chain.provide_credentials().await.expect("cached");
        assert_eq!(server.received().len(), after_first);
    }

    #[tokio::test]
    async fn failure_lists_every_provider() {
        let server = TestServer::start(|_: &Received| (404, String::new())).await;
        let chain = chain(&[], &[], &server);
        let error = chain.provide_credentials().await.expect_err("nothing");
        let message = error.to_string();
        for name in ["env:", "cli_profile:", "profile:", "ecs_ram_role:"] {
            assert!(message.contains(name), "{name} missing from {message}");
        }
        assert!(message.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{message}");
        assert!(message.contains("HTTP 404"), "{message}");
    }
}
