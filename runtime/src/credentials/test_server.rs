//! A recording HTTP server on 127.0.0.1 that stands in for STS and the metadata service in
//! tests.

use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use percent_encoding::percent_decode_str;

/// One request the server received.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The decoded form body.
    pub(crate) fn form(&self) -> Vec<(String, String)> {
        decode_pairs(&self.body)
    }

    /// Query and form parameters together, as an RPC server sees them.
    pub(crate) fn params(&self) -> Vec<(String, String)> {
        self.query.iter().cloned().chain(self.form()).collect()
    }

    pub(crate) fn param(&self, name: &str) -> Option<String> {
        self.params()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

type Handler = dyn Fn(&Received) -> (u16, String) + Send + Sync;

/// A running server; stops when dropped.
pub(crate) struct TestServer {
    pub(crate) url: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server on an ephemeral port that answers every request with `handler`.
    pub(crate) async fn start(
        handler: impl Fn(&Received) -> (u16, String) + Send + Sync + 'static,
    ) -> TestServer {
        let handler: Arc<Handler> = Arc::new(handler);
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let app = axum::Router::new().fallback(move |request: Request<Body>| {
            let handler = Arc::clone(&handler);
            let log = Arc::clone(&log);
            async move {
                let received = read(request).await;
                let (status, body) = handler(&received);
                log.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(received);
                let mut response = Response::new(Body::from(body));
                *response.status_mut() =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                response
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a test port on 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        TestServer {
            url: format!("http://{address}"),
            received,
            task,
        }
    }

    /// Everything received so far, in order.
    pub(crate) fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read(request: Request<Body>) -> Received {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .expect("read the request body");
    Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: decode_pairs(parts.uri.query().unwrap_or_default()),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        body: String::from_utf8(body.to_vec()).expect("UTF-8 body"),
    }
}

fn decode_pairs(encoded: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    encoded
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// A successful STS body with these credentials.
pub(crate) fn sts_success(id: &str, secret: &str, token: &str, expiration: &str) -> String {
    format!(
        r#"{{"RequestId":"req-1","AssumedRoleUser":{{"Arn":"acs:ram::1:role/r/s","AssumedRoleId":"1:s"}},
"Credentials":{{"AccessKeyId":"{id}","AccessKeySecret":"{secret}","SecurityToken":"{token}","Expiration":"{expiration}"}}}}"#
    )
}

/// A successful ECS metadata credentials body with these credentials.
pub(crate) fn metadata_success(id: &str, secret: &str, token: &str, expiration: &str) -> String {
    format!(
        r#"{{"Code":"Success","AccessKeyId":"{id}","AccessKeySecret":"{secret}","SecurityToken":"{token}","Expiration":"{expiration}"}}"#
    )
}

/// An expiration time `seconds` from now, in Alibaba's format.
pub(crate) fn expiration_in(seconds: u64) -> String {
    let at = std::time::SystemTime::now() + std::time::Duration::from_secs(seconds);
    super::sts::timestamp(at).expect("format timestamp")
}
