//! Caching of temporary credentials, refreshed shortly before they expire.
//!
//! Reads take a short synchronous lock; a refresh is single-flight: the first caller that finds
//! the cached credentials stale fetches new ones while concurrent callers wait on the same gate
//! and then reuse its result instead of calling STS or the metadata service again.

use std::future::Future;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use super::provider_config::Clock;
use super::{Credentials, CredentialsError};

/// How long before expiry credentials are refreshed, as the official SDKs do ("stale time").
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(15 * 60);

/// After a failed refresh while the cached credentials are still valid, how long to keep
/// serving them before trying again, so that an outage does not turn every call into a
/// doomed STS request.
const RETRY_AFTER_FAILED_REFRESH: Duration = Duration::from_secs(10);

#[derive(Clone)]
struct Entry {
    credentials: Credentials,
    /// When to fetch new credentials; `None` for credentials that never expire.
    refresh_at: Option<SystemTime>,
}

/// A cache for one provider's credentials.
pub(crate) struct CredentialsCache {
    entry: RwLock<Option<Entry>>,
    refresh_gate: tokio::sync::Mutex<()>,
    clock: Clock,
}

impl CredentialsCache {
    pub(crate) fn new(clock: Clock) -> Self {
        CredentialsCache {
            entry: RwLock::new(None),
            refresh_gate: tokio::sync::Mutex::new(()),
            clock,
        }
    }

    /// Returns the cached credentials, or refreshes them with `refresh` when they are missing
    /// or due for refresh.
    ///
    /// If a refresh fails while the cached credentials have not yet expired, those are
    /// returned (and the failure logged): a brief STS or metadata outage must not fail requests
    /// that can still be signed.
    pub(crate) async fn get_or_refresh<F, Fut>(
        &self,
        refresh: F,
    ) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        let _gate = self.refresh_gate.lock().await;
        // Another caller may have refreshed while this one waited for the gate.
        if let Some(credentials) = self.fresh() {
            return Ok(credentials);
        }
        let now = self.clock.now();
        match refresh().await {
            Ok(credentials) => {
                let refresh_at = refresh_time(&credentials, now);
                self.store(Entry {
                    credentials: credentials.clone(),
                    refresh_at,
                });
                Ok(credentials)
            }
            Err(error) => match self.unexpired(now) {
                Some(mut entry) => {
                    tracing::warn!(
                        error = %error,
                        "refreshing credentials failed; using the cached ones until they expire"
                    );
                    let retry_at = now + RETRY_AFTER_FAILED_REFRESH;
                    entry.refresh_at = Some(match entry.credentials.expiration() {
                        Some(expiration) => retry_at.min(expiration),
                        None => retry_at,
                    });
                    let credentials = entry.credentials.clone();
                    self.store(entry);
                    Ok(credentials)
                }
                None => Err(error),
            },
        }
    }

    /// The cached credentials if they are not yet due for refresh.
    fn fresh(&self) -> Option<Credentials> {
        let now = self.clock.now();
        let guard = self.entry.read().unwrap_or_else(PoisonError::into_inner);
        let entry = guard.as_ref()?;
        match entry.refresh_at {
            Some(refresh_at) if now >= refresh_at => None,
            _ => Some(entry.credentials.clone()),
        }
    }

    /// The cached entry if its credentials have not expired (even if due for refresh).
    fn unexpired(&self, now: SystemTime) -> Option<Entry> {
        let guard = self.entry.read().unwrap_or_else(PoisonError::into_inner);
        let entry = guard.as_ref()?;
        match entry.credentials.expiration() {
            Some(expiration) if now >= expiration => None,
            _ => Some(entry.clone()),
        }
    }

    fn store(&self, entry: Entry) {
        *self.entry.write().unwrap_or_else(PoisonError::into_inner) = Some(entry);
    }
}

/// When credentials fetched at `now` should be refreshed.
///
/// Normally [`REFRESH_BEFORE_EXPIRY`] before they expire; for short-lived credentials (STS
/// allows 15 minutes) halfway through their remaining lifetime, so that they are still reused
/// rather than fetched again for every request.
fn refresh_time(credentials: &Credentials, now: SystemTime) -> Option<SystemTime> {
    let expiration = credentials.expiration()?;
    match expiration.duration_since(now) {
        Ok(remaining) => Some(expiration - REFRESH_BEFORE_EXPIRY.min(remaining / 2)),
        Err(_) => {
            tracing::warn!("fetched credentials are already expired; will refresh on next use");
            Some(now)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::sync::Arc;

    const HOUR: Duration = Duration::from_secs(3600);

    /// A clock that tests move by hand; starts at an arbitrary fixed instant.
    fn manual_clock() -> (Clock, Arc<AtomicU64>) {
        let offset = Arc::new(AtomicU64::new(0));
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let read = Arc::clone(&offset);
        let clock =
            Clock::from_fn(move || start + Duration::from_secs(read.load(Ordering::SeqCst)));
        (clock, offset)
    }

    fn expiring(clock: &Clock, after: Duration, id: &str) -> Credentials {
        Credentials::new(id, "secret")
            .with_security_token("token")
            .with_expiration(clock.now() + after)
    }

    #[tokio::test]
    async fn reuses_credentials_until_shortly_before_expiry() {
        let (clock, offset) = manual_clock();
        let cache = CredentialsCache::new(clock.clone());
        let calls = AtomicUsize::new(0);
        let fetch = || async {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            Ok(expiring(&clock, HOUR, &format!("id-{n}")))
        };

        assert_eq!(
            cache
                .get_or_refresh(fetch)
                .await
                .ok()
                .map(|c| c.access_key_id().to_owned())
                .as_deref(),
            Some("id-0")
        );
        // 44 minutes later: still more than 15 minutes left, so cached.
        offset.store(44 * 60, Ordering::SeqCst);
        let again = cache.get_or_refresh(fetch).await;
        assert_eq!(
            again.ok().map(|c| c.access_key_id().to_owned()).as_deref(),
            Some("id-0")
        );
        // 45 minutes later: within 15 minutes of expiry, so refreshed.
        offset.store(45 * 60, Ordering::SeqCst);
        let refreshed = cache.get_or_refresh(fetch).await;
        assert_eq!(
            refreshed
                .ok()
                .map(|c| c.access_key_id().to_owned())
                .as_deref(),
            Some("id-1")
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn short_lived_credentials_refresh_halfway() {
        let (clock, offset) = manual_clock();
        let cache = CredentialsCache::new(clock.clone());
        let calls = AtomicUsize::new(0);
        let fetch = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(expiring(&clock, Duration::from_secs(900), "id"))
        };
        cache.get_or_refresh(fetch).await.ok();
        offset.store(449, Ordering::SeqCst);
        cache.get_or_refresh(fetch).await.ok();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        offset.store(450, Ordering::SeqCst);
        cache.get_or_refresh(fetch).await.ok();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn failed_refresh_falls_back_to_unexpired_credentials() {
        let (clock, offset) = manual_clock();
        let cache = CredentialsCache::new(clock.clone());
        let first = cache
            .get_or_refresh(|| async { Ok(expiring(&clock, HOUR, "cached")) })
            .await;
        assert!(first.is_ok());

        offset.store(50 * 60, Ordering::SeqCst);
        let failing = || async { Err(CredentialsError::new("sts is down")) };
        let served = cache.get_or_refresh(failing).await;
        assert_eq!(
            served.ok().map(|c| c.access_key_id().to_owned()).as_deref(),
            Some("cached")
        );

        // Within the retry pause the failing source is not asked again.
        let calls = AtomicUsize::new(0);
        let counted = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(CredentialsError::new("sts is down"))
        };
        assert!(cache.get_or_refresh(counted).await.is_ok());
        assert_eq!(calls.load(Ordering::SeqCst), 0);

        // Once expired, the failure surfaces.
        offset.store(HOUR.as_secs(), Ordering::SeqCst);
        let expired = cache.get_or_refresh(failing).await;
        assert_eq!(
            expired.err().map(|e| e.to_string()).as_deref(),
            Some("sts is down")
        );
    }

    #[tokio::test]
    async fn first_failure_is_returned() {
        let cache = CredentialsCache::new(Clock::default());
        let result = cache
            .get_or_refresh(|| async { Err(CredentialsError::new("nope")) })
            .await;
        assert!(result.is_err());
    }

    #[tokio::test]
    async fn credentials_without_expiry_are_cached_forever() {
        let (clock, offset) = manual_clock();
        let cache = CredentialsCache::new(clock);
        let calls = AtomicUsize::new(0);
        let fetch = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(Credentials::new("id", "secret"))
        };
        cache.get_or_refresh(fetch).await.ok();
        offset.store(10 * 365 * 24 * 3600, Ordering::SeqCst);
        cache.get_or_refresh(fetch).await.ok();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_refresh() {
        let cache = Arc::new(CredentialsCache::new(Clock::default()));
        let calls = Arc::new(AtomicUsize::new(0));
        // The refresh blocks until every caller has queued up behind it.
        let release = Arc::new(tokio::sync::Notify::new());
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let cache = Arc::clone(&cache);
            let calls = Arc::clone(&calls);
            let release = Arc::clone(&release);
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_refresh(|| async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        release.notified().await;
                        Ok(Credentials::new("id", "secret")
                            .with_expiration(SystemTime::now() + HOUR))
                    })
                    .await
            }));
        }
        // Wait until the one refresh has started, then let it finish.
        while calls.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        release.notify_one();
        for task in tasks {
            let result = task.await;
            assert!(matches!(result, Ok(Ok(_))));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
