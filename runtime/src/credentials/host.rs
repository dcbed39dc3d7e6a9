//! The seams through which providers see the outside world: environment variables, the home
//! directory and files.
//!
//! Production code uses the process environment and the real file system. Tests (ours and
//! users') inject fixed values instead, so they never mutate the process environment — which
//! would race with every other test running in parallel.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Environment variables, read either from the process or from a fixed map.
///
/// Alibaba Cloud tooling treats an empty variable like an unset one, so [`Env::get`] returns
/// `None` for both.
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// Reads the process environment, at the time of each lookup.
    pub fn process() -> Self {
        Env { fixed: None }
    }

    /// Uses exactly these variables and nothing from the process environment.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = vars
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        Env {
            fixed: Some(Arc::new(map)),
        }
    }

    /// The value of `name`, or `None` when it is unset, empty or not valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|value| !value.is_empty())
    }

    /// Whether `name` is set to `true` (case-insensitive), the convention of the official
    /// SDKs for switches such as `ALIBABA_CLOUD_ECS_METADATA_DISABLED`.
    pub fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|value| value.eq_ignore_ascii_case("true"))
    }

    /// The user's home directory: `HOME`, else `USERPROFILE` (Windows).
    pub fn home_dir(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }
}

impl fmt::Debug for Env {
    // Variable values can be secrets (ALIBABA_CLOUD_ACCESS_KEY_SECRET): show names only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Env::Process"),
            Some(map) => {
                let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_struct("Env::Fixed").field("names", &names).finish()
            }
        }
    }
}

/// Read access to files, either on disk or from a fixed in-memory map.
#[derive(Clone, Default)]
pub struct Fs {
    fixed: Option<Arc<HashMap<PathBuf, String>>>,
}

impl Fs {
    /// The real file system.
    pub fn real() -> Self {
        Fs { fixed: None }
    }

    /// Only these files exist; every other path is "not found".
    pub fn from_files<I, P, C>(files: I) -> Self
    where
        I: IntoIterator<Item = (P, C)>,
        P: Into<PathBuf>,
        C: Into<String>,
    {
        let map = files
            .into_iter()
            .map(|(path, contents)| (path.into(), contents.into()))
            .collect();
        Fs {
            fixed: Some(Arc::new(map)),
        }
    }

    /// Reads a whole UTF-8 file.
    ///
    /// Credential files are a few hundred bytes and read once per provider, so a blocking read
    /// is cheaper than a hop to a blocking thread pool.
    pub fn read_to_string(&self, path: &Path) -> io::Result<String> {
        match &self.fixed {
            None => std::fs::read_to_string(path),
            Some(map) => map.get(path).cloned().ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    "no such file in the fixed file system",
                )
            }),
        }
    }
}

impl fmt::Debug for Fs {
    // File contents are credentials: show paths only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Fs::Real"),
            Some(map) => {
                let mut paths: Vec<&Path> = map.keys().map(PathBuf::as_path).collect();
                paths.sort_unstable();
                f.debug_struct("Fs::Fixed").field("paths", &paths).finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_variables_count_as_unset() {
        let env = Env::from_vars([("A", ""), ("B", "x")]);
        assert_eq!(env.get("A"), None);
        assert_eq!(env.get("B").as_deref(), Some("x"));
        assert_eq!(env.get("C"), None);
    }

    #[test]
    fn switches_are_case_insensitive() {
        let env = Env::from_vars([("ON", "TRUE"), ("OFF", "false")]);
        assert!(env.is_true("ON"));
        assert!(!env.is_true("OFF"));
        assert!(!env.is_true("MISSING"));
    }

    #[test]
    fn home_falls_back_to_userprofile() {
        let env = Env::from_vars([("USERPROFILE", "C:\\Users\\me")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("C:\\Users\\me")));
        let env = Env::from_vars([("HOME", "/home/me"), ("USERPROFILE", "x")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("/home/me")));
    }

    #[test]
    fn debug_shows_names_and_paths_but_not_values() {
        let env = Env::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s3cr3t-value")]);
        let fs = Fs::from_files([("/h/.aliyun/config.json", "s3cr3t-contents")]);
        let shown = format!("{env:?} {fs:?}");
        assert!(shown.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"));
        assert!(shown.contains("config.json"));
        assert!(!shown.contains("s3cr3t"));
    }

    #[test]
    fn fixed_fs_reports_missing_files_as_not_found() {
        let fs = Fs::from_files([("/a", "1")]);
        assert_eq!(
            fs.read_to_string(Path::new("/a")).ok().as_deref(),
            Some("1")
        );
        let missing = fs.read_to_string(Path::new("/b"));
        assert!(matches!(missing, Err(e) if e.kind() == io::ErrorKind::NotFound));
    }
}
