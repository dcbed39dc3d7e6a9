//! The small HTTP client that STS and metadata providers share.
//!
//! Credential fetching has its own client (not the SDK's transport) because it happens before
//! a request can be signed, with its own, shorter timeouts, and must never log what it sends.

use std::sync::OnceLock;
use std::time::Duration;

use super::CredentialsError;

const USER_AGENT: &str = concat!(
    "vpn-gateway-runtime/",
    env!("CARGO_PKG_VERSION"),
    " credentials"
);

/// A response as credential providers need it.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// A lazily built `reqwest` client with fixed timeouts.
#[derive(Debug)]
pub(crate) struct HttpClient {
    client: OnceLock<reqwest::Client>,
    connect_timeout: Duration,
    read_timeout: Duration,
}

impl HttpClient {
    pub(crate) fn new(connect_timeout: Duration, read_timeout: Duration) -> Self {
        HttpClient {
            client: OnceLock::new(),
            connect_timeout,
            read_timeout,
        }
    }

    /// Builds the client on first use, so that constructing a provider cannot fail.
    fn client(&self) -> Result<&reqwest::Client, CredentialsError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| CredentialsError::with_source("cannot build the HTTP client", e))?;
        Ok(self.client.get_or_init(|| client))
    }

    /// Sends a request and reads the whole body.
    ///
    /// `what` names the call in error messages. URLs are stripped from errors: callers keep
    /// secrets out of URLs, and this makes sure no future change leaks one through an error.
    pub(crate) async fn send(
        &self,
        what: &str,
        request: Request<'_>,
    ) -> Result<Response, CredentialsError> {
        let client = self.client()?;
        let mut builder = client.request(request.method, request.url);
        for (name, value) in request.headers {
            builder = builder.header(*name, *value);
        }
        if let Some(form) = request.form {
            builder = builder
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form);
        }
        let response = builder.send().await.map_err(|e| transport_error(what, e))?;
        let status = response.status().as_u16();
        let body = response
            .text()
            .await
            .map_err(|e| transport_error(what, e))?;
        Ok(Response { status, body })
    }
}

/// One outgoing request.
pub(crate) struct Request<'a> {
    pub(crate) method: reqwest::Method,
    pub(crate) url: &'a str,
    pub(crate) headers: &'a [(&'a str, &'a str)],
    /// An `application/x-www-form-urlencoded` body, already encoded.
    pub(crate) form: Option<String>,
}

fn transport_error(what: &str, error: reqwest::Error) -> CredentialsError {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    CredentialsError::with_source(format!("{what}: {kind}"), error.without_url())
}
