//! Removing secrets from whatever the server sends back.
//!
//! Errors carry text the server chose: a message, a recommendation, an excerpt of a body. A
//! server may echo the request in it — `SignatureDoesNotMatch` with signature v1 returns the
//! whole string-to-sign, which holds every parameter value, a JSON-encoded `IkeConfig` with its
//! pre-shared key included. [`Redactor`] knows the secrets of one request (the AccessKey
//! secret, the STS token and every value the spec marks sensitive) and removes each in every
//! form a request can carry it: as is, JSON-escaped, and percent-encoded once (the query) or
//! twice (a v1 string-to-sign).

use crate::signing::v1::percent_encode;

/// What a removed secret is replaced with.
pub const REDACTED: &str = "** redacted **";

/// The secrets of one request, in every encoding a request may carry them.
#[derive(Default)]
pub struct Redactor {
    /// Longest first, so a secret that contains another is removed whole.
    forms: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("forms", &self.forms.len())
            .finish()
    }
}

impl Redactor {
    /// A redactor for `secrets`; empty values are ignored.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut forms = Vec::new();
        for secret in secrets.into_iter().filter(|s| !s.is_empty()) {
            let json = serde_json::to_string(secret).unwrap_or_default();
            let json = json
                .strip_prefix('"')
                .and_then(|j| j.strip_suffix('"'))
                .unwrap_or(secret)
                .to_owned();
            for plain in [secret.to_owned(), json] {
                let once = percent_encode(&plain);
                let twice = percent_encode(&once);
                forms.extend([plain, once, twice]);
            }
        }
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Redactor { forms }
    }

    /// True when there is nothing to remove.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// `text` with every form of every secret replaced by [`REDACTED`].
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), REDACTED);
            }
        }
        out
    }

    /// [`redact`](Self::redact) in place.
    pub fn redact_in_place(&self, text: &mut String) {
        if self.forms.iter().any(|form| text.contains(form.as_str())) {
            *text = self.redact(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_of_a_secret_is_removed() {
        let r = Redactor::new(["p/s k+\"1\"", "sts-token"]);
        let json = r#"{"Psk":"p/s k+\"1\""}"#;
        let query = percent_encode(json);
        let string_to_sign = format!("POST&%2F&{}", percent_encode(&format!("IkeConfig={query}")));
        for text in [
            "p/s k+\"1\"".to_owned(),
            json.to_owned(),
            query,
            string_to_sign,
            "SecurityToken=sts-token&x".to_owned(),
        ] {
            let clean = r.redact(&text);
            assert!(!clean.contains("p/s k+"), "{clean}");
            assert!(!clean.contains("p%2Fs"), "{clean}");
            assert!(!clean.contains("p%252Fs"), "{clean}");
            assert!(!clean.contains("sts-token"), "{clean}");
            assert!(clean.contains(REDACTED), "{clean}");
        }
    }

    #[test]
    fn text_without_secrets_is_unchanged() {
        let r = Redactor::new(["secret", ""]);
        assert_eq!(r.redact("nothing here"), "nothing here");
        assert!(Redactor::new([""]).is_empty());
    }
}
