//! The HTTP server: one handler at `/` that applies faults, authenticates, dispatches and
//! writes the response.

use crate::auth::{self, NonceStore};
use crate::config::{Access, EmulatorConfig, Limits};
use crate::error::ApiError;
use crate::faults::{Fault, Faults};
use crate::protocol::{self, RequestIds, RpcRequest};
use crate::service::CallContext;
use crate::state::Model;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use vpn_gateway::runtime::server::{DecodeError, OperationFacts};
use vpn_gateway::runtime::wire_params::decode::WireParams;
use vpn_gateway::server::{ServiceRequest, API_VERSION};
use vpn_gateway::ErrorCode;

/// Shared state of a running emulator.
#[derive(Debug)]
pub struct App {
    pub config: EmulatorConfig,
    pub model: Model,
    pub faults: Faults,
    pub nonces: NonceStore,
    pub request_ids: RequestIds,
}

impl App {
    /// A fresh emulator state.
    pub fn new(config: EmulatorConfig) -> Self {
        let seed = crate::ids::mix(
            u64::try_from(crate::state::unix_millis()).unwrap_or_default()
                ^ u64::from(std::process::id()),
        );
        App {
            model: Model::new(
                seed,
                config.quotas,
                config.transition,
                crate::state::TokenStore::new(
                    config.limits.client_token_retention,
                    config.limits.client_tokens,
                ),
            ),
            faults: Faults::new(config.faults),
            nonces: NonceStore::with_limits(&config.limits),
            request_ids: RequestIds::new(seed.rotate_left(29)),
            config,
        }
    }
}

/// The router serving the RPC endpoint.
pub fn router(app: Arc<App>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(app)
}

async fn handle(State(app): State<Arc<App>>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let request_id = app.request_ids.next_id();
    let body = match read_body(&app.config.limits, &parts.headers, body).await {
        Ok(body) => body,
        Err(e) => {
            let format = RpcRequest::new(
                parts.method.as_str(),
                parts.uri.path(),
                parts.uri.query(),
                &HeaderMap::new(),
                bytes::Bytes::new(),
            )
            .format();
            return protocol::error(format, &e, &request_id, &app.config.host_id);
        }
    };
    let faults = app.faults.get();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let request = RpcRequest::new(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        &parts.headers,
        body,
    );
    let format = request.format();
    let fault = Faults::draw(&faults, app.model.ids());
    let prepared = match fault {
        Fault::Drop => return dropped_connection(),
        Fault::Throttle => Err(ApiError::new(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        )),
        Fault::ServerError => Err(ApiError::new(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        )),
        Fault::None if request.size() <= INLINE_REQUEST_BYTES => prepare(&app, &request),
        // A large request (up to the body limit) takes milliseconds to verify and parse: do it
        // on the blocking pool so the runtime's workers keep serving everyone else.
        Fault::None => {
            let app = Arc::clone(&app);
            tokio::task::spawn_blocking(move || prepare(&app, &request))
                .await
                .unwrap_or_else(|_| {
                    Err(ApiError::new(
                        500,
                        "InternalError",
                        "The request processing has failed due to some unknown error.",
                    ))
                })
        }
    };
    let result = match prepared {
        Ok((call, context)) => {
            let action = call.action();
            call.call(&app.model, &context)
                .await
                .map_err(ApiError::from)
                .and_then(|output| {
                    serde_json::to_value(output).map_err(|e| {
                        ApiError::new(
                            500,
                            "InternalError",
                            format!("The response could not be encoded: {e}."),
                        )
                    })
                })
                .map(|body| (action, body))
        }
        Err(e) => Err(e),
    };
    match result {
        Ok((action, mut body)) => {
            if let Some(fields) = body.as_object_mut() {
                fields.insert("RequestId".to_owned(), request_id.into());
            }
            protocol::success(format, action, body)
        }
        Err(e) => {
            tracing::debug!(code = %e.code, status = e.status, "request failed");
            protocol::error(format, &e, &request_id, &app.config.host_id)
        }
    }
}

/// Requests up to this size (query and body) are served on the runtime's worker: they take
/// microseconds. Larger ones go to the blocking pool.
const INLINE_REQUEST_BYTES: usize = 16 * 1024;

/// Reads the body within the size and time limits; the declared length is checked before any
/// byte is read.
async fn read_body(limits: &Limits, headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            413,
            "RequestBodyTooLarge",
            format!(
                "The request body is larger than {} bytes.",
                limits.max_body_bytes
            ),
        )
    };
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > u64::try_from(limits.max_body_bytes).unwrap_or(u64::MAX)) {
        return Err(too_large());
    }
    match tokio::time::timeout(
        limits.body_read_timeout,
        axum::body::to_bytes(body, limits.max_body_bytes),
    )
    .await
    {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => {
            if std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            {
                Err(too_large())
            } else {
                Err(ApiError::new(
                    400,
                    "InvalidRequestBody",
                    "The request body could not be read.",
                ))
            }
        }
        Err(_) => Err(ApiError::new(
            408,
            "RequestTimeout",
            format!(
                "The request body was not received within {} seconds.",
                limits.body_read_timeout.as_secs()
            ),
        )),
    }
}

/// Everything before a request runs: the method, parameter count, signature, action, version
/// and access checks, then decoding and validation into the operation's typed request.
fn prepare(app: &App, request: &RpcRequest) -> Result<(ServiceRequest, CallContext), ApiError> {
    if !matches!(request.method.as_str(), "GET" | "POST") {
        return Err(ApiError::new(
            405,
            "UnsupportedHTTPMethod",
            "Specified HTTP method is not supported; use GET or POST.",
        ));
    }
    let parameters = request.query.len() + request.form.len();
    if parameters > app.config.limits.max_parameters {
        return Err(ApiError::new(
            400,
            "InvalidParameter",
            format!(
                "The request carries {parameters} parameters; at most {} are accepted.",
                app.config.limits.max_parameters
            ),
        ));
    }
    let credential = auth::authenticate(
        request,
        &app.config.credentials,
        &app.nonces,
        app.config.timestamp_tolerance,
    )?;
    let action = request.action().ok_or_else(|| {
        ApiError::new(
            400,
            "MissingAction",
            "The input parameter \"Action\" that is mandatory for processing this request is not supplied.",
        )
    })?;
    let facts = vpn_gateway::server::operation(action).ok_or_else(|| unknown_action(action))?;
    match request.version() {
        Some(API_VERSION) => {}
        Some(other) => {
            return Err(ApiError::new(
                400,
                "InvalidVersion",
                format!("Specified parameter Version \"{other}\" is not valid; use {API_VERSION}."),
            ))
        }
        None => {
            return Err(ApiError::new(
                400,
                "MissingVersion",
                "The input parameter \"Version\" that is mandatory for processing this request is not supplied.",
            ))
        }
    }
    match credential.access {
        Access::Full => {}
        Access::Denied => return Err(ApiError::catalogue(ErrorCode::Forbidden)),
        Access::SubUserDenied => return Err(ApiError::catalogue(sub_user_code(facts))),
    }
    let params = WireParams::new(request.params().cloned());
    if let Some(region_id) = params.raw("RegionId").filter(|r| !r.is_empty()) {
        if !crate::state::is_known_region(region_id) {
            return Err(ApiError::invalid_region());
        }
    }
    let call = ServiceRequest::decode(facts.action(), &params).map_err(|e| match e {
        DecodeError::Invalid(e) => ApiError::from_validation(facts, &e),
        _ => unknown_action(action),
    })?;
    // A dry run checks the request and stops: the service answers `DryRunOperation` for a
    // request that would have been accepted, and changes nothing.
    if facts.documents(ErrorCode::DryRunOperation)
        && params.get::<bool>("DryRun").ok().flatten() == Some(true)
    {
        let code = ErrorCode::DryRunOperation;
        return Err(ApiError::documented(facts, code, code.message()));
    }
    Ok((call, CallContext::new(facts, &params)))
}

/// The service's error for an action it does not know.
fn unknown_action(action: &str) -> ApiError {
    ApiError::new(
        404,
        "InvalidAction.NotFound",
        format!("Specified api \"{action}\" is not found, please check your url and method."),
    )
}

/// The code an operation answers a RAM user without permission with: the spelling the service
/// actually returns (`Forbbiden.SubUser`, see the error catalogue) when the operation documents
/// it, else the documented `Forbidden.SubUser`, else `Forbidden`.
pub fn sub_user_code(facts: &OperationFacts<ErrorCode>) -> ErrorCode {
    [ErrorCode::ForbbidenSubUser, ErrorCode::ForbiddenSubUser]
        .into_iter()
        .find(|code| facts.documents(*code))
        .unwrap_or(ErrorCode::Forbidden)
}

/// A response whose body fails after the headers: the client sees the connection break.
fn dropped_connection() -> Response {
    Response::new(Body::from_stream(BrokenBody))
}

struct BrokenBody;

impl futures_core::Stream for BrokenBody {
    type Item = Result<bytes::Bytes, std::io::Error>;

    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault injection: connection dropped",
        ))))
    }
}
