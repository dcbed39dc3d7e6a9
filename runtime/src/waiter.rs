//! Waiters: poll a describe operation until an asynchronous change has finished.
//!
//! The generated code supplies the poll (`send` of the describe operation) and a classifier
//! that maps each poll result to [`Observation`]; this module owns the timing: exponential
//! delays with full jitter between `min_delay` and `max_delay`, never past `max_wait`.

use crate::error::SdkError;
use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// How long and how often to poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterConfig {
    /// Give up after this long (typed [`WaitError::Timeout`]).
    pub max_wait: Duration,
    /// The first delay between polls, and the floor of every delay.
    pub min_delay: Duration,
    /// The ceiling of every delay.
    pub max_delay: Duration,
}

impl WaiterConfig {
    /// Polls for at most `max_wait`, starting at 1 s between polls and backing off to 10 s.
    pub fn new(max_wait: Duration) -> Self {
        WaiterConfig {
            max_wait,
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(10),
        }
    }

    /// Sets the delay bounds (tests against a local emulator use milliseconds).
    pub fn with_delays(mut self, min_delay: Duration, max_delay: Duration) -> Self {
        self.min_delay = min_delay;
        self.max_delay = max_delay.max(min_delay);
        self
    }
}

impl From<Duration> for WaiterConfig {
    fn from(max_wait: Duration) -> Self {
        WaiterConfig::new(max_wait)
    }
}

/// What one poll showed.
#[derive(Debug)]
pub enum Observation<O, E> {
    /// Done: the resource reached a success state (or is gone, for deletes).
    Success(Option<O>),
    /// Still changing; the status seen, if any.
    Pending(Option<String>),
    /// Reached a state it will not leave by itself.
    Failure(String),
    /// The poll itself failed in a way that waiting cannot fix.
    Error(SdkError<E>),
}

/// Why a waiter stopped without success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<E> {
    /// `max_wait` passed; the last status seen, if any.
    Timeout {
        /// How long the waiter waited.
        waited: Duration,
        /// The last status the service reported.
        last_status: Option<String>,
    },
    /// The resource reached a terminal failure state.
    FailureState {
        /// The status reported.
        status: String,
    },
    /// A poll failed.
    Sdk(SdkError<E>),
}

impl<E: fmt::Display> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Timeout {
                waited,
                last_status,
            } => {
                write!(f, "gave up waiting after {waited:?}")?;
                match last_status {
                    Some(s) => write!(f, " (last status `{s}`)"),
                    None => Ok(()),
                }
            }
            WaitError::FailureState { status } => {
                write!(f, "the resource reached the failure state `{status}`")
            }
            WaitError::Sdk(e) => write!(f, "polling failed: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for WaitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Sdk(e) => Some(e),
            _ => None,
        }
    }
}

/// Polls until `classify` reports success or failure, or `config.max_wait` passes.
///
/// Throttling and transient errors are already retried inside each poll by the client; an
/// error that reaches the classifier is final unless the classifier says otherwise.
pub async fn wait<O, E, F, Fut>(
    config: WaiterConfig,
    mut poll: F,
    classify: impl Fn(Result<O, SdkError<E>>) -> Observation<O, E>,
) -> Result<Option<O>, WaitError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, SdkError<E>>>,
{
    let started = Instant::now();
    let deadline = started + config.max_wait;
    let mut last_status = None;
    let mut attempt: u32 = 0;
    // Statuses are the server's text and end up in `Display`: kept as bounded as any other.
    let bounded = |status: String| crate::redact::bounded(status, crate::redact::MAX_ID_CHARS);
    loop {
        // A poll may itself take long (its attempts and their backoff): it is cut off at
        // `max_wait` like the waiting between polls.
        let Ok(result) = tokio::time::timeout_at(deadline, poll()).await else {
            return Err(WaitError::Timeout {
                waited: started.elapsed(),
                last_status,
            });
        };
        match classify(result) {
            Observation::Success(out) => return Ok(out),
            Observation::Failure(status) => {
                return Err(WaitError::FailureState {
                    status: bounded(status),
                })
            }
            Observation::Error(e) => return Err(WaitError::Sdk(e)),
            Observation::Pending(status) => last_status = status.map(bounded).or(last_status),
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(WaitError::Timeout {
                waited: now - started,
                last_status,
            });
        }
        let delay = delay_for(attempt, &config).min(deadline - now);
        attempt = attempt.saturating_add(1);
        tokio::time::sleep(delay).await;
    }
}

/// `min_delay * 2^attempt`, capped at `max_delay`, with full jitter above `min_delay`.
fn delay_for(attempt: u32, config: &WaiterConfig) -> Duration {
    let exp = config
        .min_delay
        .saturating_mul(2u32.saturating_pow(attempt.min(16)))
        .min(config.max_delay);
    let spread = exp.saturating_sub(config.min_delay);
    config.min_delay + spread.mul_f64(rand::random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn fast(max_wait: Duration) -> WaiterConfig {
        WaiterConfig::new(max_wait).with_delays(Duration::from_millis(1), Duration::from_millis(2))
    }

    #[tokio::test]
    async fn succeeds_once_the_status_flips() {
        let polls = AtomicU32::new(0);
        let out = wait(
            fast(Duration::from_secs(5)),
            || async {
                let n = polls.fetch_add(1, Ordering::SeqCst);
                Ok::<_, SdkError<ServiceError>>(if n < 3 { "updating" } else { "active" })
            },
            |r| match r {
                Ok("active") => Observation::Success(Some("active")),
                Ok(s) => Observation::Pending(Some(s.to_owned())),
                Err(e) => Observation::Error(e),
            },
        )
        .await;
        assert_eq!(out.unwrap(), Some("active"));
        assert_eq!(polls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn times_out_with_the_last_status() {
        let err = wait(
            WaiterConfig::new(Duration::from_secs(30)),
            || async { Ok::<_, SdkError<ServiceError>>("updating") },
            |r| match r {
                Ok(s) => Observation::Pending(Some(s.to_owned())),
                Err(e) => Observation::Error(e),
            },
        )
        .await
        .unwrap_err();
        match err {
            WaitError::Timeout {
                last_status,
                waited,
            } => {
                assert_eq!(last_status.as_deref(), Some("updating"));
                assert!(waited >= Duration::from_secs(30));
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_failure_state_stops_at_once() {
        let err = wait(
            fast(Duration::from_secs(5)),
            || async { Ok::<_, SdkError<ServiceError>>("failed") },
            |_| Observation::Failure("failed".to_owned()),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, WaitError::FailureState { status } if status == "failed"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_poll_is_cut_off_at_max_wait() {
        let started = Instant::now();
        let err = wait(
            WaiterConfig::new(Duration::from_secs(10)),
            || async {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok::<_, SdkError<ServiceError>>("active")
            },
            |_| Observation::Success(None),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, WaitError::Timeout { .. }), "{err:?}");
        assert!(started.elapsed() <= Duration::from_secs(11));
    }

    #[tokio::test]
    async fn statuses_kept_in_errors_are_bounded() {
        let huge = "s".repeat(1 << 20);
        let err = wait(
            fast(Duration::from_secs(5)),
            || async { Ok::<_, SdkError<ServiceError>>(()) },
            |_| Observation::Failure(huge.clone()),
        )
        .await
        .unwrap_err();
        assert!(
            err.to_string().len() < 1024,
            "{} bytes",
            err.to_string().len()
        );
    }

    #[test]
    fn delays_stay_within_bounds() {
        let c = WaiterConfig::new(Duration::from_secs(60));
        for attempt in 0..40 {
            let d = delay_for(attempt, &c);
            assert!(d >= c.min_delay && d <= c.max_delay, "{d:?}");
        }
    }
}
