//! The error of one operation: which of its documented codes the service answered (the
//! operation's generated `ErrorKind` enum), or none for a code it does not document, with the
//! service's error details. One generic type, so each operation generates only its list of codes.

use crate::error::{ProvideErrorMetadata, ServiceError};
use std::error::Error as StdError;
use std::fmt;

/// The codes one operation documents: implemented by each operation's generated `XErrorKind`
/// enum.
pub trait ErrorKind: Copy + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// The kind of the wire code `code`; `None` for a code the operation does not document.
    fn from_code(code: &str) -> Option<Self>;
}

/// An error an operation returned: its documented kind, if the code is one the operation
/// documents, and the service's code, message, request ID, host ID and recommendation.
///
/// ```
/// # use vpn_gateway_runtime::{ErrorKind, OperationError, ServiceError};
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// enum DescribeThingErrorKind { ThingNotFound }
/// impl ErrorKind for DescribeThingErrorKind {
///     fn from_code(code: &str) -> Option<Self> {
///         (code == "Thing.NotFound").then_some(Self::ThingNotFound)
///     }
/// }
/// let e: OperationError<DescribeThingErrorKind> =
///     ServiceError::new(404, "Thing.NotFound", "No such thing.").into();
/// assert_eq!(e.kind(), Some(DescribeThingErrorKind::ThingNotFound));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OperationError<K> {
    kind: Option<K>,
    meta: ServiceError,
}

impl<K: ErrorKind> OperationError<K> {
    /// The documented code the service answered; `None` for a code this operation does not
    /// document (read it with [`ProvideErrorMetadata::code`]).
    pub fn kind(&self) -> Option<K> {
        self.kind
    }

    /// True when the service answered the documented code `kind`.
    pub fn is(&self, kind: K) -> bool {
        self.kind == Some(kind)
    }

    /// The service's error details.
    pub fn meta(&self) -> &ServiceError {
        &self.meta
    }

    /// The service's error details, by value.
    pub fn into_meta(self) -> ServiceError {
        self.meta
    }
}

impl<K: ErrorKind> From<ServiceError> for OperationError<K> {
    fn from(meta: ServiceError) -> Self {
        OperationError {
            kind: K::from_code(meta.code()),
            meta,
        }
    }
}

impl<K> ProvideErrorMetadata for OperationError<K> {
    fn code(&self) -> &str {
        self.meta.code()
    }
    fn message(&self) -> &str {
        self.meta.message()
    }
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl<K> fmt::Display for OperationError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.meta, f)
    }
}

impl<K: fmt::Debug> StdError for OperationError<K> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.meta)
    }
}
