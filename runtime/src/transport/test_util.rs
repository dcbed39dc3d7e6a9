//! Capture/replay transport for unit-testing code that uses the SDK (feature `test-util`).
//!
//! ```
//! use vpn_gateway_runtime::transport::test_util::ReplayTransport;
//!
//! let transport = ReplayTransport::new();
//! transport.push_json(200, r#"{"RequestId":"R-1","VpnGateways":{"VpnGateway":[]}}"#);
//! // Build a client with `Config::builder().transport(transport.clone())`, call it, then:
//! assert!(transport.requests().is_empty());
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::HeaderValue;

use super::{TransportError, TransportErrorKind};

use super::{HttpRequest, HttpResponse, HttpTransport, TransportFuture};

type Responder = dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync;

/// One canned outcome.
enum Canned {
    Response(HttpResponse),
    Error(TransportErrorKind),
}

#[derive(Default)]
struct State {
    queue: VecDeque<Canned>,
    captured: Vec<CapturedRequest>,
}

/// Records every request and answers from a queue of canned responses (or a function).
///
/// Cheap to clone: clones share the queue and the recording. When the queue is empty and there
/// is no responder function, sending fails with a transport error saying so.
#[derive(Clone, Default)]
pub struct ReplayTransport {
    state: Arc<Mutex<State>>,
    responder: Option<Arc<Responder>>,
}

impl fmt::Debug for ReplayTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("ReplayTransport")
            .field("queued", &state.queue.len())
            .field("captured", &state.captured.len())
            .field("has_responder", &self.responder.is_some())
            .finish()
    }
}

impl ReplayTransport {
    /// An empty transport: queue responses with the `push_*` methods.
    pub fn new() -> Self {
        ReplayTransport::default()
    }

    /// A transport that answers every request (after the queue is drained) with `responder`.
    pub fn from_fn(
        responder: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
    ) -> Self {
        ReplayTransport {
            state: Arc::default(),
            responder: Some(Arc::new(responder)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a response.
    pub fn push_response(&self, response: HttpResponse) -> &Self {
        self.lock().queue.push_back(Canned::Response(response));
        self
    }

    /// Queues a JSON response with `status`; a `RequestId` in the body is also sent as the
    /// `x-acs-request-id` header.
    pub fn push_json(&self, status: u16, body: impl Into<String>) -> &Self {
        let body: String = body.into();
        let mut response = HttpResponse::new(status, Bytes::from(body.clone()));
        response.headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;charset=utf-8"),
        );
        let request_id = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("RequestId")?.as_str().map(str::to_owned));
        if let Some(value) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
            response.headers.insert("x-acs-request-id", value);
        }
        self.push_response(response)
    }

    /// Queues a transport failure (connection refused, timeout, ...).
    pub fn push_error(&self, kind: TransportErrorKind) -> &Self {
        self.lock().queue.push_back(Canned::Error(kind));
        self
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        self.lock().captured.clone()
    }

    /// The most recent request.
    pub fn last_request(&self) -> Option<CapturedRequest> {
        self.lock().captured.last().cloned()
    }

    /// How many canned outcomes are still queued.
    pub fn remaining(&self) -> usize {
        self.lock().queue.len()
    }
}

impl HttpTransport for ReplayTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let canned = {
            let mut state = self.lock();
            state.captured.push(CapturedRequest {
                request: request.clone(),
            });
            state.queue.pop_front()
        };
        let outcome = match (canned, &self.responder) {
            (Some(Canned::Response(response)), _) => Ok(response),
            (Some(Canned::Error(kind)), _) => {
                Err(TransportError::new(kind, "injected by ReplayTransport"))
            }
            (None, Some(responder)) => responder(&request),
            (None, None) => Err(TransportError::new(
                TransportErrorKind::Other,
                "ReplayTransport has no canned response left",
            )),
        };
        Box::pin(async move { outcome })
    }
}

/// A request the [`ReplayTransport`] saw, with helpers to inspect RPC parameters.
#[derive(Debug, Clone)]
pub struct CapturedRequest {
    request: HttpRequest,
}

impl CapturedRequest {
    /// The raw HTTP request.
    pub fn http(&self) -> &HttpRequest {
        &self.request
    }

    /// The API action (`Action` parameter for v1, `x-acs-action` header for V3).
    pub fn action(&self) -> Option<String> {
        self.request
            .header("x-acs-action")
            .map(str::to_owned)
            .or_else(|| self.param("Action"))
    }

    /// The value of RPC parameter `name` (query or form).
    pub fn param(&self, name: &str) -> Option<String> {
        self.request
            .params()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// All RPC parameters (query and form), in wire order.
    pub fn params(&self) -> Vec<(String, String)> {
        self.request.params()
    }
}
