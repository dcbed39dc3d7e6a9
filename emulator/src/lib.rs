//! A local emulator of the Alibaba Cloud VPN Gateway API (`Vpc`, 2016-04-28).
//!
//! It speaks the RPC wire protocol (GET query strings and POST forms, signature v1 and V3,
//! JSON or XML) and serves all 66 operations of the API over an in-memory model. It implements
//! the generated `vpn_gateway::server::VpnGatewayService` trait ([`service`]): parsing,
//! validation and what it knows of each operation come from the generated server side,
//! responses are the generated output types, and signatures are checked with the runtime's
//! verifiers.
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
pub mod error;
pub mod faults;
mod handlers;
pub mod ids;
pub mod protocol;
pub mod server;
pub mod service;
pub mod state;
pub mod zones;

pub use config::{
    Access, Credential, EmulatorConfig, FaultConfig, Limits, Quotas, DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
};

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use vpn_gateway::types::VpnGatewayBusinessStatus;

/// Counts of what a running emulator keeps in memory, each bounded by [`Limits`] or the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Regions holding state (at most the spec's region list).
    pub regions: usize,
    /// Unexpired `ClientToken` records.
    pub client_tokens: usize,
    /// Remembered signature nonces.
    pub nonces: usize,
}

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

    /// How much state the emulator holds now.
    pub fn stats(&self) -> Stats {
        Stats {
            regions: self.app.model.region_count(),
            client_tokens: self.app.model.client_token_count(),
            nonces: self.app.nonces.len(),
        }
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
        if !state::is_known_region(region_id) {
            return false;
        }
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

/// Serves `listener` until `shutdown` completes (the binary passes a signal future), then waits
/// for open requests to finish.
///
/// Each connection is served by hyper's HTTP/1 server with a header read timeout (which also
/// closes idle keep-alive connections); at most `limits.max_connections` are served at once, and
/// further clients wait in the listen backlog until a connection closes.
pub async fn run(
    listener: TcpListener,
    app: Arc<server::App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;

    let limits = app.config.limits;
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let router = server::router(Arc::clone(&app));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors or a connection reset while queued: back off
                    // briefly instead of spinning, as hyper's and axum's servers do.
                    tracing::debug!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = http.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(router.clone()),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection closed with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    // Idle connections close at once; a request in progress gets as long as a client may take
    // to send one, no longer.
    let grace = limits
        .header_read_timeout
        .saturating_add(limits.body_read_timeout);
    let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
    Ok(())
}
