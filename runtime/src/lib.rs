//! The hand-written core under the generated VPN Gateway SDK.
//!
//! It never depends on generated code: the generated crate hands it a service description
//! ([`ServiceMetadata`]) and flat RPC requests ([`RpcRequest`]), and gets back raw responses
//! ([`RpcResponse`]) or one error type ([`SdkError`]).
//!
//! - [`signing`]: signature v1 (`HMAC-SHA1`) and V3 (`ACS3-HMAC-SHA256`), with verifiers.
//! - [`credentials`]: [`Credentials`](credentials::Credentials) and their providers.
//! - [`endpoint`]: regional endpoint resolution and overrides.
//! - [`transport`]: the [`HttpTransport`] seam, reqwest + rustls, and capture/replay for tests
//!   (feature `test-util`).
//! - [`retry`]: policy, backoff with full jitter, classification.
//! - [`redact`]: secrets removed from whatever the server sends back.
//! - [`operation_error`]: [`OperationError`], the one error type of every operation, over each
//!   operation's generated list of documented codes.
//! - [`wire_params`]: request values flattened into wire parameters ([`wire_params::encode`],
//!   used by the generated code) and read back ([`wire_params::decode`], used by the emulator);
//!   [`validate`]: the checks the generated code runs before sending.
//! - [`signed_request`]: the signed HTTP request of one attempt; [`client`]: the send path.
//! - [`codec`]: tolerant decoding of responses; [`paginate`] and [`waiter`]: the machinery behind
//!   the generated paginators and waiters.
//! - `server` (feature `server`): what every server of the API shares: the error response,
//!   decode errors and per-operation facts under the generated service trait.

#![warn(missing_docs)]

pub mod client;
pub mod codec;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod operation_error;
pub mod paginate;
pub mod redact;
pub mod retry;
#[cfg(feature = "server")]
pub mod server;
pub mod signed_request;
pub mod signing;
pub mod transport;
pub mod validate;
pub mod waiter;
pub mod wire_params;

pub use client::{OperationInput, RequestOptions, RpcClient, RpcRequest, RpcResponse};
pub use config::{Config, ConfigBuilder, ConfigError, RequestMethod, SignatureVersion};
pub use endpoint::{Endpoint, ServiceMetadata};
pub use error::{
    Error, InvalidResponseError, ProvideErrorMetadata, SdkError, ServiceError, TransportError,
    TransportErrorKind, ValidationError, ValidationErrorKind,
};
pub use operation_error::{ErrorKind, OperationError};
pub use paginate::{PaginationError, PaginationErrorKind};
pub use retry::RetryPolicy;
pub use transport::{HttpRequest, HttpResponse, HttpTransport, Timeouts};
pub use wire_params::encode::idempotency_token;
