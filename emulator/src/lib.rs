//! A local emulator of the Alibaba Cloud VPN Gateway API (`Vpc`, 2016-04-28).
//!
//! It speaks the RPC wire protocol (GET query strings and POST forms, signature v1 and V3,
//! JSON or XML) and serves the 39 documented operations over an in-memory model. Parsing and
//! validation come from the generated input types, responses from the generated output types,
//! and signatures are checked with the runtime's verifiers.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use vpn_gateway_emulator::{Emulator, EmulatorConfig};
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! println!("endpoint: {}", emulator.url()); // http://127.0.0.1:PORT, credentials testid/testsecret
//! emulator.stop().await;
//! # Ok(()) }
//! ```

pub mod auth;
pub mod config;
pub mod dispatch;
pub mod error;
pub mod faults;
mod handlers;
pub mod ids;
pub mod protocol;
pub mod server;
pub mod state;

pub use config::{
    Access, Credential, EmulatorConfig, FaultConfig, Quotas, DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
};

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use vpn_gateway::types::VpnGatewayBusinessStatus;

/// A running emulator. Dropping it stops the server too; [`Emulator::stop`] waits for it.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    url: String,
    app: Arc<server::App>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Emulator {
    /// Starts on a random loopback port (`127.0.0.1:0`).
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        Emulator::serve(listener, config)
    }

    /// Serves on an already bound listener.
    pub fn serve(listener: TcpListener, config: EmulatorConfig) -> std::io::Result<Emulator> {
        let addr = listener.local_addr()?;
        let app = Arc::new(server::App::new(config));
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(run(listener, Arc::clone(&app), async {
            let _ = rx.await;
        }));
        Ok(Emulator {
            addr,
            url: format!("http://{addr}"),
            app,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The endpoint, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Changes the injected faults while running.
    pub fn set_faults(&self, faults: FaultConfig) {
        self.app.faults.set(faults);
    }

    /// Changes how long lifecycle transitions take from now on.
    pub fn set_transition(&self, transition: std::time::Duration) {
        self.app.model.set_transition(transition);
    }

    /// Marks a gateway as suspended for overdue payment (`VpnGateway.FinancialLocked`), or
    /// back to normal. Returns false if there is no such gateway.
    pub fn set_financially_locked(&self, region_id: &str, gateway_id: &str, locked: bool) -> bool {
        self.app.model.with_region(region_id, |cx| {
            cx.region
                .gateways
                .get_mut(gateway_id)
                .map(|g| {
                    g.business_status = if locked {
                        VpnGatewayBusinessStatus::FinancialLocked
                    } else {
                        VpnGatewayBusinessStatus::Normal
                    };
                })
                .is_some()
        })
    }

    /// Stops accepting requests and waits for the server to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Serves `listener` until `shutdown` completes (the binary passes a signal future).
pub async fn run(
    listener: TcpListener,
    app: Arc<server::App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, server::router(app))
        .with_graceful_shutdown(shutdown)
        .await
}
