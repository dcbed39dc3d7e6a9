//! Credentials from environment variables.

use super::host::Env;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// The AccessKey ID variable.
pub const ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The AccessKey secret variable.
pub const ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The optional STS security token variable.
pub const SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, for STS
/// credentials, `ALIBABA_CLOUD_SECURITY_TOKEN` — at every call, so changes are picked up.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentCredentialsProvider {
    env: Env,
}

impl EnvironmentCredentialsProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        EnvironmentCredentialsProvider::default()
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: Env) -> Self {
        EnvironmentCredentialsProvider { env }
    }

    fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.get(ACCESS_KEY_ID).ok_or_else(|| {
            CredentialsError::new(format!("environment variable {ACCESS_KEY_ID} is not set"))
        })?;
        let secret = self.env.get(ACCESS_KEY_SECRET).ok_or_else(|| {
            CredentialsError::new(format!(
                "environment variable {ACCESS_KEY_SECRET} is not set"
            ))
        })?;
        let credentials = Credentials::new(id, secret);
        Ok(match self.env.get(SECURITY_TOKEN) {
            Some(token) => credentials.with_security_token(token),
            None => credentials,
        })
    }
}

impl ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.credentials()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn provide(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        let env = Env::from_vars(vars.iter().copied());
        EnvironmentCredentialsProvider::with_env(env)
            .provide_credentials()
            .await
    }

    #[tokio::test]
    async fn reads_an_access_key() {
        let credentials = provide(&[(ACCESS_KEY_ID, "id"), (ACCESS_KEY_SECRET, "secret")])
            .await
            .expect("credentials");
        assert_eq!(credentials, Credentials::new("id", "secret"));
    }

    #[tokio::test]
    async fn reads_sts_credentials() {
        let credentials = provide(&[
            (ACCESS_KEY_ID, "STS.id"),
            (ACCESS_KEY_SECRET, "secret"),
            (SECURITY_TOKEN, "token"),
        ])
        .await
        .expect("credentials");
        assert_eq!(credentials.security_token(), Some("token"));
    }

    #[tokio::test]
    async fn missing_or_empty_variables_are_errors_naming_the_variable() {
        let error = provide(&[(ACCESS_KEY_SECRET, "secret")])
            .await
            .expect_err("no id");
        assert!(error.to_string().contains(ACCESS_KEY_ID));
        let error = provide(&[(ACCESS_KEY_ID, "id"), (ACCESS_KEY_SECRET, "")])
            .await
            .expect_err("empty secret");
        assert!(error.to_string().contains(ACCESS_KEY_SECRET));
    }
}
