//! Settings shared by every provider that is built from configuration rather than by hand.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use super::host::{Env, Fs};

/// What the configuration-driven providers (the default chain and the profile files, which
/// create STS and metadata providers on the fly) read and where they send requests.
///
/// The defaults are the real world: the process environment, the real file system and Alibaba
/// Cloud's endpoints. Tests override them to stay hermetic.
#[derive(Clone, Debug, Default)]
pub struct ProviderConfig {
    pub(crate) env: Env,
    pub(crate) fs: Fs,
    pub(crate) sts_endpoint: Option<String>,
    pub(crate) metadata_endpoint: Option<String>,
    pub(crate) clock: Clock,
}

impl ProviderConfig {
    /// The process environment, the real file system and the official endpoints.
    pub fn new() -> Self {
        ProviderConfig::default()
    }

    /// Reads environment variables (and the home directory) from `env`.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Reads credential files through `fs`.
    pub fn with_fs(mut self, fs: Fs) -> Self {
        self.fs = fs;
        self
    }

    /// Sends STS calls (AssumeRole, AssumeRoleWithOIDC) to this endpoint instead of the one
    /// resolved from region settings: a host (HTTPS is used) or a full URL such as
    /// `http://127.0.0.1:8080`.
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Asks this ECS instance metadata service instead of `http://100.100.100.200`: a host or a
    /// full URL.
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.metadata_endpoint = Some(endpoint.into());
        self
    }

    /// The environment variables in use.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The file system in use.
    pub fn fs(&self) -> &Fs {
        &self.fs
    }

    #[cfg(test)]
    pub(crate) fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// The source of "now" for expiry decisions; replaceable in tests so that refresh behaviour is
/// tested without sleeping.
#[derive(Clone, Default)]
pub(crate) struct Clock(Option<Arc<dyn Fn() -> SystemTime + Send + Sync>>);

impl Clock {
    pub(crate) fn now(&self) -> SystemTime {
        match &self.0 {
            Some(now) => now(),
            None => SystemTime::now(),
        }
    }

    /// A clock that reads the time from `now`.
    #[cfg(test)]
    pub(crate) fn from_fn(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Clock(Some(Arc::new(now)))
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Clock::Custom"
        } else {
            "Clock::System"
        })
    }
}

/// Turns a configured endpoint into a base URL: full URLs are kept, bare hosts get `scheme`.
pub(crate) fn endpoint_url(endpoint: &str, scheme: &str) -> String {
    let endpoint = endpoint.trim_end_matches('/');
    if endpoint.contains("://") {
        endpoint.to_owned()
    } else {
        format!("{scheme}://{endpoint}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_accept_hosts_and_urls() {
        assert_eq!(
            endpoint_url("sts.aliyuncs.com", "https"),
            "https://sts.aliyuncs.com"
        );
        assert_eq!(
            endpoint_url("http://127.0.0.1:9000/", "https"),
            "http://127.0.0.1:9000"
        );
    }
}
