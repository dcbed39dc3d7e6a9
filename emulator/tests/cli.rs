//! The binary's command line contract: first stdout line, a request, clean exit on SIGTERM.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use vpn_gateway::runtime::RetryPolicy;
use vpn_gateway::{Client, Config, Credentials};

fn describe(url: &str, id: &str, secret: &str) -> Result<(), String> {
    let client = Client::new(
        Config::builder()
            .endpoint(url)
            .allow_http(true)
            .credentials(Credentials::new(id, secret))
            .region("cn-hangzhou")
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap(),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime
        .block_on(
            client
                .describe_vpn_gateways()
                .region_id("cn-hangzhou")
                .send(),
        )
        .map(|_| ())
        .map_err(|e| e.code().unwrap_or("transport").to_owned())
}

fn spawn(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vpn-gateway-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

fn terminate(mut child: std::process::Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit status {exit:?}");
}

#[test]
fn prints_its_url_serves_and_exits_cleanly_on_sigterm() {
    let (child, line) = spawn(&["--listen", "127.0.0.1:0"]);
    let url = line
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .map(|port| format!("http://127.0.0.1:{port}"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    assert_ne!(url, "http://127.0.0.1:0");
    describe(&url, "testid", "testsecret").unwrap();
    assert_eq!(
        describe(&url, "other", "testsecret").unwrap_err(),
        "InvalidAccessKeyId.NotFound"
    );
    terminate(child);
}

#[test]
fn more_key_pairs_replace_the_default_and_help_documents_them() {
    let (child, line) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--access-key-id",
        "first",
        "--access-key-secret",
        "s1",
        "--access-key-id",
        "second",
        "--access-key-secret",
        "s2",
    ]);
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    describe(&url, "first", "s1").unwrap();
    describe(&url, "second", "s2").unwrap();
    assert_eq!(
        describe(&url, "testid", "testsecret").unwrap_err(),
        "InvalidAccessKeyId.NotFound"
    );
    terminate(child);
    let help = Command::new(env!("CARGO_BIN_EXE_vpn-gateway-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for needle in [
        "--listen",
        "testid",
        "testsecret",
        "--throttle-rate",
        "--transition-ms",
        "--timestamp-tolerance-secs",
        "--client-token-retention-secs",
        "--max-connections",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
}
