//! `vpn-gateway-emulator`: the local VPN Gateway API emulator on the command line.

use clap::Parser;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use vpn_gateway_emulator::{server::App, Credential, EmulatorConfig, FaultConfig};

/// A local emulator of the Alibaba Cloud VPN Gateway API (Vpc 2016-04-28).
///
/// Prints `listening on http://HOST:PORT` as its first line and serves until SIGINT or SIGTERM.
/// Point any client at that URL with AccessKey ID `testid` and secret `testsecret` (or the pairs
/// given with --access-key-id/--access-key-secret).
#[derive(Debug, Parser)]
#[command(name = "vpn-gateway-emulator", version)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Accepted AccessKey ID; repeat together with --access-key-secret for more pairs.
    /// Default: testid.
    #[arg(long = "access-key-id")]
    access_key_ids: Vec<String>,
    /// The secret of the --access-key-id at the same position. Default: testsecret.
    #[arg(long = "access-key-secret")]
    access_key_secrets: Vec<String>,
    /// An STS credential, as ACCESS_KEY_ID:ACCESS_KEY_SECRET:SECURITY_TOKEN (repeatable);
    /// requests signed with it must carry the token.
    #[arg(long = "sts-credential", value_name = "ID:SECRET:TOKEN")]
    sts_credentials: Vec<String>,
    /// How long lifecycle transitions take (init → active, updating → active), in milliseconds.
    #[arg(long, default_value_t = 200)]
    transition_ms: u64,
    /// Share of requests answered with Throttling.User (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    throttle_rate: f64,
    /// Share of requests answered with ServiceUnavailable, HTTP 503 (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    server_error_rate: f64,
    /// Share of requests whose connection is dropped mid-response (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// Latency added to every response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// How far, in seconds, a request's timestamp may be from the emulator's clock; nonces are
    /// remembered for as long.
    #[arg(long, default_value_t = 900)]
    timestamp_tolerance_secs: u64,
    /// How long, in seconds, a ClientToken and its response are remembered.
    #[arg(long, default_value_t = 3600)]
    client_token_retention_secs: u64,
    /// Connections served at once; keep it below the file-descriptor limit.
    #[arg(long, default_value_t = 256)]
    max_connections: usize,
}

fn config(args: &Args) -> Result<EmulatorConfig, String> {
    let mut config = EmulatorConfig::default();
    if !args.access_key_ids.is_empty() || !args.access_key_secrets.is_empty() {
        if args.access_key_ids.len() != args.access_key_secrets.len() {
            return Err("give one --access-key-secret for each --access-key-id".to_owned());
        }
        config.credentials = args
            .access_key_ids
            .iter()
            .zip(&args.access_key_secrets)
            .map(|(id, secret)| Credential::new(id, secret))
            .collect();
    }
    for sts in &args.sts_credentials {
        let mut parts = sts.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(id), Some(secret), Some(token)) if !id.is_empty() => config
                .credentials
                .push(Credential::new(id, secret).with_security_token(token)),
            _ => return Err("--sts-credential takes ID:SECRET:TOKEN".to_owned()),
        }
    }
    for (name, rate) in [
        ("--throttle-rate", args.throttle_rate),
        ("--server-error-rate", args.server_error_rate),
        ("--drop-rate", args.drop_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return Err(format!("{name} must be between 0 and 1"));
        }
    }
    if args.max_connections == 0 {
        return Err("--max-connections must be at least 1".to_owned());
    }
    config.transition = Duration::from_millis(args.transition_ms);
    config.timestamp_tolerance = Duration::from_secs(args.timestamp_tolerance_secs);
    config.limits.client_token_retention = Duration::from_secs(args.client_token_retention_secs);
    config.limits.max_connections = args.max_connections;
    config.faults = FaultConfig {
        throttle_rate: args.throttle_rate,
        server_error_rate: args.server_error_rate,
        drop_rate: args.drop_rate,
        latency: Duration::from_millis(args.latency_ms),
    };
    Ok(config)
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .init();
    let config = match config(&args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on http://{addr}");
    let _ = stdout.flush();
    match vpn_gateway_emulator::run(listener, Arc::new(App::new(config)), shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
