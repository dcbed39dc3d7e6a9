//! Credentials found the way users provide them: environment variables, then a credentials
//! file named by `ALIBABA_CLOUD_CREDENTIALS_FILE`. One test, because it changes the process
//! environment.

#![allow(clippy::unwrap_used)] // Tests: a panic is the failure report.

use vpn_gateway::{Client, Config};
use vpn_gateway_emulator::{Emulator, EmulatorConfig};

async fn describe_with_env(emulator: &Emulator) -> Result<(), String> {
    let config = Config::from_env().await.map_err(|e| e.to_string())?;
    let config = config
        .to_builder()
        .endpoint(emulator.url())
        .allow_http(true)
        .build()
        .map_err(|e| e.to_string())?;
    Client::new(config)
        .describe_vpn_gateways()
        .region_id("cn-hangzhou")
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn credentials_come_from_the_environment_or_a_profile_file() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let home = std::env::temp_dir().join(format!("vpn-e2e-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    // Keep the real home's files and the metadata service out of the chain.
    std::env::set_var("HOME", &home);
    std::env::set_var("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    std::env::set_var("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou");

    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid");
    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret");
    describe_with_env(&emulator).await.unwrap();

    std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong-secret");
    let err = describe_with_env(&emulator).await.unwrap_err();
    assert!(err.contains("SignatureDoesNotMatch"), "{err}");
    assert!(!err.contains("wrong-secret"), "{err}");

    std::env::remove_var("ALIBABA_CLOUD_ACCESS_KEY_ID");
    std::env::remove_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    let file = home.join("credentials.ini");
    std::fs::write(
        &file,
        "[default]\ntype = access_key\naccess_key_id = testid\naccess_key_secret = testsecret\n",
    )
    .unwrap();
    std::env::set_var("ALIBABA_CLOUD_CREDENTIALS_FILE", &file);
    describe_with_env(&emulator).await.unwrap();

    emulator.stop().await;
    let _ = std::fs::remove_dir_all(&home);
}
