//! What can go wrong in an import, each problem naming the metadata file, the operation and
//! the element (`parameter TunnelOptionsSpecification[].TunnelIkeConfig.Psk`).

use std::fmt;

/// One problem found while importing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The metadata file name (or, for a bad request, what was requested).
    pub metadata: String,
    /// Line and column in the metadata file, when known.
    pub position: Option<(usize, usize)>,
    /// The operation concerned, if any.
    pub operation: Option<String>,
    /// The element concerned, if any: `parameter <path>`, `response <path>`, `errorCodes`.
    pub element: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem with the file (or the request) as a whole.
    pub fn file(metadata: &str, message: impl Into<String>) -> Self {
        Problem {
            metadata: metadata.to_owned(),
            position: None,
            operation: None,
            element: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.metadata)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(op) = &self.operation {
            write!(f, ": operation {op}")?;
        }
        if let Some(element) = &self.element {
            write!(f, ": {element}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem of a failed import. Nothing is written when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The problems, sorted.
    pub problems: Vec<Problem>,
}

impl ImportError {
    /// Sorts and deduplicates `problems`.
    pub fn new(mut problems: Vec<Problem>) -> Self {
        problems.sort();
        problems.dedup();
        ImportError { problems }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "error: {p}")?;
        }
        let n = self.problems.len();
        write!(
            f,
            "{n} problem{} in the import; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for ImportError {}
