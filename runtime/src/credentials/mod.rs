//! Credentials and the providers that find them.
//!
//! [`Credentials`] are an AccessKey pair, optionally with an STS token. Anything that can
//! produce them implements [`ProvideCredentials`]:
//!
//! | provider | source |
//! |---|---|
//! | [`Credentials`] itself | static credentials in code |
//! | [`EnvironmentCredentialsProvider`] | `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN` |
//! | [`OidcRoleArnCredentialsProvider`] | STS `AssumeRoleWithOIDC` with a token file (RRSA) |
//! | [`CliProfileCredentialsProvider`] | the Alibaba Cloud CLI's `~/.aliyun/config.json` |
//! | [`ProfileFileCredentialsProvider`] | `~/.alibabacloud/credentials.ini` |
//! | [`EcsRamRoleCredentialsProvider`] | the ECS instance metadata service (IMDSv2) |
//! | [`RamRoleArnCredentialsProvider`] | STS `AssumeRole` with other credentials |
//! | [`DefaultCredentialsChain`] | all of the above, in the official SDKs' order |
//!
//! Temporary credentials are cached and refreshed before they expire; concurrent callers share
//! one refresh. Secrets never appear in `Debug` output, logs or error messages.
//!
//! Providers read the environment and files through [`Env`] and [`Fs`], and reach STS and the
//! metadata service at endpoints a [`ProviderConfig`] can override, so tests need neither the
//! process environment nor the network.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

mod cache;
mod chain;
pub mod cli_profile;
pub mod ecs_ram_role;
pub mod environment;
mod host;
mod http;
mod ini;
pub mod oidc;
pub mod profile_file;
mod provider_config;
mod ram_role_arn;
#[cfg(test)]
mod redaction_tests;
mod sts;
#[cfg(test)]
mod test_server;

pub use chain::{DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use cli_profile::{CliProfileCredentialsProvider, CliProfileCredentialsProviderBuilder};
pub use ecs_ram_role::{EcsRamRoleCredentialsProvider, EcsRamRoleCredentialsProviderBuilder};
pub use environment::EnvironmentCredentialsProvider;
pub use host::{Env, Fs};
pub use oidc::{OidcRoleArnCredentialsProvider, OidcRoleArnCredentialsProviderBuilder};
pub use profile_file::{ProfileFileCredentialsProvider, ProfileFileCredentialsProviderBuilder};
pub use provider_config::ProviderConfig;
pub use ram_role_arn::{RamRoleArnCredentialsProvider, RamRoleArnCredentialsProviderBuilder};

/// An AccessKey pair, optionally with an STS security token.
///
/// `Debug` never shows the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: Option<SystemTime>,
}

impl Credentials {
    /// Long-lived AccessKey credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiration: None,
        }
    }

    /// Adds an STS security token (temporary credentials).
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// Sets when temporary credentials expire.
    pub fn with_expiration(mut self, at: SystemTime) -> Self {
        self.expiration = Some(at);
        self
    }

    /// The AccessKey ID (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret. Never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The STS token, for temporary credentials. Never log it.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }

    /// When temporary credentials expire.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"** redacted **")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// A boxed future returned by [`ProvideCredentials::provide_credentials`].
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Something that can produce credentials, possibly asynchronously and with caching.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns credentials valid for at least the next request.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

/// Static credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

/// A shared provider is a provider, so chains and clients can hold `Arc<dyn ProvideCredentials>`.
impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Why no credentials could be obtained. Never contains secret material.
#[derive(Debug)]
pub struct CredentialsError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl CredentialsError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            source: None,
        }
    }

    /// An error caused by another error.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        CredentialsError {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
