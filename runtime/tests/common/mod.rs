//! A tiny scripted HTTP/1.1 server on 127.0.0.1 for the client tests: it records every request,
//! counts attempts, and can answer, stall or drop the connection.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vpn_gateway_runtime::credentials::Credentials;
use vpn_gateway_runtime::transport::decode_form;
use vpn_gateway_runtime::{
    Config, ConfigBuilder, Error, RequestMethod, RetryPolicy, RpcClient, RpcRequest, RpcResponse,
    ServiceMetadata, SignatureVersion,
};

pub static VPC: ServiceMetadata = ServiceMetadata {
    product: "Vpc",
    api_version: "2016-04-28",
    global_endpoint: "vpc.aliyuncs.com",
    endpoint_pattern: "vpc.{region}.aliyuncs.com",
    regional_endpoints: &[("cn-hangzhou", "vpc.aliyuncs.com")],
    retryable_codes: &["VpnGateway.Configuring"],
    sdk_name: "vpn-gateway",
    sdk_version: "9.9.9",
};

pub const ACCESS_KEY_ID: &str = "test-access-key-id";
pub const SECRET: &str = "SECRET-never-shown-0123456789";
pub const TOKEN: &str = "TOKEN-never-shown-abcdef";
/// A sensitive request parameter value: an IPsec pre-shared key.
pub const PSK: &str = "PSK-pre-shared-key-value";

/// A `CreateVpnConnection` request whose `IkeConfig` carries [`PSK`].
pub fn create_vpn_connection() -> RpcRequest {
    RpcRequest::new(
        "CreateVpnConnection",
        vec![
            ("RegionId".into(), "cn-hangzhou".into()),
            ("IkeConfig".into(), format!(r#"{{"Psk":"{PSK}"}}"#)),
        ],
        true,
    )
}

/// Sends `request` through a new client for `config`.
pub async fn invoke(config: Config, request: RpcRequest) -> Result<RpcResponse, Error> {
    RpcClient::new(&VPC, config).invoke(request).await
}

/// Retries that back off for a millisecond or so, to keep tests fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

/// A config for an endpoint on 127.0.0.1 where nothing listens (a port bound, noted and
/// closed), with STS credentials and v1 GET signing, whose URL carries the token and signature.
pub fn unreachable_config() -> ConfigBuilder {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    Config::builder()
        .endpoint(url)
        .allow_http(true)
        .credentials(Credentials::new(ACCESS_KEY_ID, SECRET).with_security_token(TOKEN))
        .signature_version(SignatureVersion::V1)
        .request_method(RequestMethod::Get)
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Query and form parameters, as an RPC server reads them.
    pub fn params(&self) -> Vec<(String, String)> {
        let mut params = self.query.clone();
        if self
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
        {
            params.extend(decode_form(&String::from_utf8_lossy(&self.body)));
        }
        params
    }

    pub fn param(&self, name: &str) -> Option<String> {
        self.params()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// What the server does with a request.
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Close the connection without answering.
    Drop,
    /// Wait, then do the inner reply.
    Delay(Duration, Box<Reply>),
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    pub fn ok(request_id: &str) -> Reply {
        Reply::json(
            200,
            &format!(r#"{{"RequestId":"{request_id}","TotalCount":0}}"#),
        )
    }

    pub fn error(status: u16, code: &str, request_id: &str) -> Reply {
        Reply::json(
            status,
            &format!(
                r#"{{"Code":"{code}","Message":"injected {code}","RequestId":"{request_id}","HostId":"vpc.aliyuncs.com","Recommend":"https://diagnose/{request_id}"}}"#
            ),
        )
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Script = dyn Fn(usize, &Received) -> Reply + Send + Sync;

/// A running server; the accept loop ends when the test's runtime shuts down.
pub struct TestServer {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    attempts: Arc<AtomicUsize>,
}

impl TestServer {
    /// `script(n, request)` decides the reply to the n-th request (0-based).
    pub async fn start(
        script: impl Fn(usize, &Received) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let attempts = Arc::new(AtomicUsize::new(0));
        let script: Arc<Script> = Arc::new(script);
        let (rec, att) = (received.clone(), attempts.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (rec, att, script) = (rec.clone(), att.clone(), script.clone());
                tokio::spawn(async move { serve(stream, rec, att, script).await });
            }
        });
        TestServer {
            url,
            received,
            attempts,
        }
    }

    /// A server that answers every request only after five seconds, later than any timeout
    /// the tests set.
    pub async fn stalled() -> TestServer {
        TestServer::start(|_, _| Reply::Delay(Duration::from_secs(5), Box::new(Reply::ok("late"))))
            .await
    }

    /// Sends `request` through a new client with [`TestServer::config`].
    pub async fn invoke(&self, request: RpcRequest) -> Result<RpcResponse, Error> {
        invoke(self.config().build().unwrap(), request).await
    }

    pub fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// A config pointing at this server with static STS credentials and fast retries.
    pub fn config(&self) -> ConfigBuilder {
        Config::builder()
            .endpoint(&self.url)
            .allow_http(true)
            .credentials(Credentials::new(ACCESS_KEY_ID, SECRET).with_security_token(TOKEN))
            .retry_policy(fast_retries())
    }
}

async fn serve(
    mut stream: TcpStream,
    received: Arc<Mutex<Vec<Received>>>,
    attempts: Arc<AtomicUsize>,
    script: Arc<Script>,
) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let n = attempts.fetch_add(1, Ordering::SeqCst);
    received.lock().unwrap().push(request.clone());
    let mut reply = script(n, &request);
    loop {
        match reply {
            Reply::Delay(duration, inner) => {
                tokio::time::sleep(duration).await;
                reply = *inner;
            }
            Reply::Drop => return,
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                    body.len()
                );
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(body.as_bytes()).await;
                let _ = stream.shutdown().await;
                return;
            }
        }
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), decode_form(q)),
        None => (target, Vec::new()),
    };
    Some(Received {
        method,
        path,
        query,
        headers,
        body,
    })
}
