//! The hand-written core under the generated VPN Gateway SDK.
//!
//! It never depends on generated code: the generated crate hands it a service description
//! ([`ServiceMetadata`]) and flat RPC requests, and gets back raw responses or typed errors.

pub mod credentials;
