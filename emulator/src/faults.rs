//! Injected faults: throttling, server errors, dropped connections and added latency, settable
//! while the emulator runs.

use crate::config::FaultConfig;
use crate::ids::IdGenerator;
use std::sync::RwLock;

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Serve it normally.
    None,
    /// Answer `Throttling.User` (HTTP 400).
    Throttle,
    /// Answer `ServiceUnavailable` (HTTP 503).
    ServerError,
    /// Break the connection before the response is complete.
    Drop,
}

/// The current fault settings.
#[derive(Debug)]
pub struct Faults {
    config: RwLock<FaultConfig>,
}

impl Faults {
    /// Faults as configured.
    pub fn new(config: FaultConfig) -> Self {
        Faults {
            config: RwLock::new(config),
        }
    }

    /// The current settings.
    pub fn get(&self) -> FaultConfig {
        match self.config.read() {
            Ok(guard) => *guard,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    /// Replaces the settings.
    pub fn set(&self, config: FaultConfig) {
        match self.config.write() {
            Ok(mut guard) => *guard = config,
            Err(poisoned) => *poisoned.into_inner() = config,
        }
    }

    /// Draws the fault for one request.
    pub fn draw(config: &FaultConfig, random: &IdGenerator) -> Fault {
        if config.drop_rate <= 0.0 && config.server_error_rate <= 0.0 && config.throttle_rate <= 0.0
        {
            return Fault::None;
        }
        let x = random.next_f64();
        if x < config.drop_rate {
            Fault::Drop
        } else if x < config.drop_rate + config.server_error_rate {
            Fault::ServerError
        } else if x < config.drop_rate + config.server_error_rate + config.throttle_rate {
            Fault::Throttle
        } else {
            Fault::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_of_one_always_fire_and_zero_never() {
        let random = IdGenerator::new(3);
        let always = FaultConfig {
            throttle_rate: 1.0,
            ..FaultConfig::default()
        };
        let never = FaultConfig::default();
        for _ in 0..100 {
            assert_eq!(Faults::draw(&always, &random), Fault::Throttle);
            assert_eq!(Faults::draw(&never, &random), Fault::None);
        }
    }
}
