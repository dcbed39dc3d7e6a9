//! Service description and endpoint resolution.
//!
//! Resolution follows the official SDKs: an explicit endpoint wins; otherwise the service's
//! region map; otherwise the regional pattern (`vpc.<region>.aliyuncs.com`). For a network
//! variant other than public (e.g. `vpc`, for calls from inside a VPC) the rule
//! `<product>-<network>.<region>.aliyuncs.com` applies, as the official endpoint rules build it.

use std::fmt;

/// Static description of a service, emitted by the generator.
#[derive(Debug)]
pub struct ServiceMetadata {
    /// Product code, e.g. `Vpc`.
    pub product: &'static str,
    /// API version, e.g. `2016-04-28`.
    pub api_version: &'static str,
    /// Endpoint used when no region is configured, e.g. `vpc.aliyuncs.com`.
    pub global_endpoint: &'static str,
    /// Regional endpoint pattern with a `{region}` placeholder, e.g. `vpc.{region}.aliyuncs.com`.
    pub endpoint_pattern: &'static str,
    /// Region → host exceptions from the official region map, sorted by region.
    pub regional_endpoints: &'static [(&'static str, &'static str)],
    /// Error codes the spec marks retryable.
    pub retryable_codes: &'static [&'static str],
    /// Name of the SDK crate, for the User-Agent.
    pub sdk_name: &'static str,
    /// Version of the SDK crate, for the User-Agent.
    pub sdk_version: &'static str,
}

impl ServiceMetadata {
    /// The host for `region` on the public network: the region map, else the pattern.
    pub fn regional_host(&self, region: &str) -> String {
        match self
            .regional_endpoints
            .binary_search_by(|(r, _)| (*r).cmp(region))
        {
            Ok(i) => self.regional_endpoints[i].1.to_owned(),
            Err(_) => self.endpoint_pattern.replace("{region}", region),
        }
    }

    /// The host for `region` on a network variant; `"public"` (or empty) means the public network.
    pub fn host_for(&self, region: Option<&str>, network: &str) -> String {
        let public = network.is_empty() || network == "public";
        match (region, public) {
            (None, true) => self.global_endpoint.to_owned(),
            (Some(region), true) => self.regional_host(region),
            (None, false) => format!(
                "{}-{network}.aliyuncs.com",
                self.product.to_ascii_lowercase()
            ),
            (Some(region), false) => format!(
                "{}-{network}.{region}.aliyuncs.com",
                self.product.to_ascii_lowercase()
            ),
        }
    }

    /// True when `code` is one the spec marks retryable.
    pub fn is_retryable_code(&self, code: &str) -> bool {
        self.retryable_codes.contains(&code)
    }
}

/// URL scheme of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// TLS (the default, and the only scheme allowed unless HTTP is explicitly enabled).
    Https,
    /// Plain text; only for local tests and emulators.
    Http,
}

impl Scheme {
    /// `https` or `http`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }
}

/// A resolved endpoint: scheme and authority (`host` or `host:port`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: Scheme,
    authority: String,
}

/// An endpoint override that could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// Not `scheme://host[:port][/]`.
    #[error("endpoint `{0}` is not a URL of the form https://host[:port]")]
    Malformed(String),
    /// `http://` without explicitly allowing plain HTTP.
    #[error("endpoint `{0}` uses plain HTTP; allow it explicitly with `allow_http(true)` (tests and emulators only)")]
    HttpNotAllowed(String),
}

impl Endpoint {
    /// An HTTPS endpoint for `host`.
    pub fn https(host: impl Into<String>) -> Self {
        Endpoint {
            scheme: Scheme::Https,
            authority: host.into(),
        }
    }

    /// Parses an endpoint override: a full URL with scheme. `http://` is accepted only when
    /// `allow_http` is true. A bare host (no scheme) is taken as HTTPS.
    pub fn parse(url: &str, allow_http: bool) -> Result<Self, EndpointError> {
        let malformed = || EndpointError::Malformed(url.to_owned());
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (Scheme::Https, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            if !allow_http {
                return Err(EndpointError::HttpNotAllowed(url.to_owned()));
            }
            (Scheme::Http, rest)
        } else if url.contains("://") {
            return Err(malformed());
        } else {
            (Scheme::Https, url)
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let valid = !authority.is_empty()
            && authority
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !valid {
            return Err(malformed());
        }
        Ok(Endpoint {
            scheme,
            authority: authority.to_owned(),
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// `host` or `host:port`; this is what the `host` header carries.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// `scheme://authority/`.
    pub fn base_url(&self) -> String {
        format!("{}://{}/", self.scheme.as_str(), self.authority)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.authority)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;

    static VPC: ServiceMetadata = ServiceMetadata {
        product: "Vpc",
        api_version: "2016-04-28",
        global_endpoint: "vpc.aliyuncs.com",
        endpoint_pattern: "vpc.{region}.aliyuncs.com",
        regional_endpoints: &[
            ("cn-beijing", "vpc.aliyuncs.com"),
            ("cn-hangzhou", "vpc.aliyuncs.com"),
        ],
        retryable_codes: &["VpnGateway.Configuring"],
        sdk_name: "vpn-gateway",
        sdk_version: "0.1.0",
    };

    #[test]
    fn region_map_then_pattern_then_global() {
        assert_eq!(
            VPC.host_for(Some("cn-hangzhou"), "public"),
            "vpc.aliyuncs.com"
        );
        assert_eq!(
            VPC.host_for(Some("eu-central-1"), ""),
            "vpc.eu-central-1.aliyuncs.com"
        );
        assert_eq!(VPC.host_for(None, "public"), "vpc.aliyuncs.com");
    }

    #[test]
    fn vpc_network_variant() {
        assert_eq!(
            VPC.host_for(Some("cn-hangzhou"), "vpc"),
            "vpc-vpc.cn-hangzhou.aliyuncs.com"
        );
    }

    #[test]
    fn override_requires_explicit_http() {
        assert_eq!(
            Endpoint::parse("https://vpc.example.com/", false)
                .unwrap()
                .base_url(),
            "https://vpc.example.com/"
        );
        assert_eq!(
            Endpoint::parse("vpc.example.com", false).unwrap().scheme(),
            Scheme::Https
        );
        assert!(matches!(
            Endpoint::parse("http://127.0.0.1:8080", false),
            Err(EndpointError::HttpNotAllowed(_))
        ));
        let local = Endpoint::parse("http://127.0.0.1:8080", true).unwrap();
        assert_eq!(local.authority(), "127.0.0.1:8080");
        assert!(Endpoint::parse("ftp://x", true).is_err());
        assert!(Endpoint::parse("https://a/b?c", true).is_err());
    }
}
