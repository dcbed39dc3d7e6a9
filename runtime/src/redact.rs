//! Removing secrets from whatever the server sends back.
//!
//! Errors carry text the server chose: a message, a recommendation, an excerpt of a body. A
//! server may echo the request in it — `SignatureDoesNotMatch` with signature v1 returns the
//! whole string-to-sign, which holds every parameter value, a JSON-encoded `IkeConfig` with its
//! pre-shared key included. [`Redactor`] knows the secrets of one request (the AccessKey
//! secret, the STS token and every value the spec marks sensitive) and removes each in every
//! form a request or an echo of it can carry it: as is; JSON-escaped (with `/` escaped or not,
//! non-ASCII as is or as `\u` escapes); and percent-encoded once (the query; a form body with
//! `+` for space, as this runtime and Python's `urlencode` write it, or also with `*` kept and
//! `~` encoded, as Java writes it) or twice (a v1 string-to-sign), with upper- or lower-case
//! hex digits.
//!
//! Text is redacted before it is cut to length ([`Redactor::redact_bounded`]): a cut through a
//! secret would leave its first characters behind, where nothing can recognise them any more.

use crate::signing::v1::percent_encode;

/// The longest message, recommendation or access-denied detail kept from an error body, in
/// characters; the rest is replaced by a note of how much was left out.
pub const MAX_MESSAGE_CHARS: usize = 2048;

/// The longest code, request ID or host ID kept from an error body, in characters.
pub const MAX_ID_CHARS: usize = 128;

/// What a removed secret is replaced with.
pub const REDACTED: &str = "** redacted **";

/// `text` cut to at most `max_chars` characters, noting how many bytes were left out: for
/// server texts that hold no request secret but must not grow without bound.
pub(crate) fn bounded(text: String, max_chars: usize) -> String {
    Redactor::default().redact_bounded(text, max_chars)
}

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
            // Other JSON writers escape `/` (PHP, some Java libraries), every non-ASCII
            // character (`ensure_ascii`) or the HTML-special `<`, `>` and `&` (Go), in either
            // case of hex digit.
            let json_slash = json.replace('/', "\\/");
            let json_ascii = ascii_escaped(&json, false);
            let json_ascii_upper = ascii_escaped(&json, true);
            let json_html = html_escaped(&json, false);
            let json_html_upper = html_escaped(&json, true);
            for plain in [
                secret.to_owned(),
                json,
                json_slash,
                json_ascii,
                json_ascii_upper,
                json_html,
                json_html_upper,
            ] {
                let once = percent_encode(&plain);
                let once_lower = lower_hex(&once);
                let twice = percent_encode(&once);
                let twice_lower = lower_hex(&percent_encode(&once_lower));
                // Form encoding (`application/x-www-form-urlencoded` as Java and browsers
                // write it): a space as `+`, `*` left as is, `~` encoded.
                let form_of = |encoded: &str| {
                    encoded
                        .replace("%20", "+")
                        .replace("%2A", "*")
                        .replace("%2a", "*")
                        .replace('~', "%7E")
                };
                let form = form_of(&once);
                let form_lower = lower_hex(&form_of(&once_lower));
                // The body this runtime sends for form-body parameters, like Python's
                // `urlencode`: only the space differs from the query encoding.
                let plus = once.replace("%20", "+");
                let plus_lower = lower_hex(&plus);
                forms.extend([
                    plain,
                    once,
                    once_lower,
                    twice,
                    twice_lower,
                    form,
                    form_lower,
                    plus,
                    plus_lower,
                ]);
            }
        }
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        Redactor { forms }
    }

    /// The length in characters of the longest form of any secret: how far past a cut a
    /// secret that starts before it can reach.
    pub fn longest_form_chars(&self) -> usize {
        self.forms
            .iter()
            .map(|form| form.chars().count())
            .max()
            .unwrap_or(0)
    }

    /// `text` redacted, then cut to at most `max_chars` characters with a note of how much was
    /// left out. Only the part of `text` a secret in the kept part can reach is searched, so a
    /// huge text costs no more than a short one.
    pub fn redact_bounded(&self, mut text: String, max_chars: usize) -> String {
        let reach = max_chars.saturating_add(self.longest_form_chars());
        let mut beyond_reach = 0;
        if let Some((cut, _)) = text.char_indices().nth(reach) {
            beyond_reach = text.len() - cut;
            text.truncate(cut);
        }
        self.redact_in_place(&mut text);
        if let Some((cut, _)) = text.char_indices().nth(max_chars) {
            let omitted = text.len() - cut + beyond_reach;
            text.truncate(cut);
            text.push_str(&format!("… ({omitted} more bytes)"));
        } else if beyond_reach > 0 {
            text.push_str(&format!("… ({beyond_reach} more bytes)"));
        }
        text
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

/// `json` with every non-ASCII character as a `\\uXXXX` escape (UTF-16), hex digits upper- or
/// lower-case.
fn ascii_escaped(json: &str, upper: bool) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            if upper {
                out.push_str(&format!("\\u{unit:04X}"));
            } else {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// `json` with `<`, `>` and `&` as `\\u` escapes, as Go's encoder writes them.
fn html_escaped(json: &str, upper: bool) -> String {
    let (lt, gt, amp) = if upper {
        ("\\u003C", "\\u003E", "\\u0026")
    } else {
        ("\\u003c", "\\u003e", "\\u0026")
    };
    json.replace('<', lt).replace('>', gt).replace('&', amp)
}

/// `encoded` with the two hex digits after every `%` in lower case.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut digits_left = 0;
    for c in encoded.chars() {
        if digits_left > 0 {
            out.push(c.to_ascii_lowercase());
            digits_left -= 1;
        } else {
            if c == '%' {
                digits_left = 2;
            }
            out.push(c);
        }
    }
    out
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

    #[test]
    fn other_writers_encodings_are_removed_too() {
        let secret = "p/s:k é+1 x";
        let r = Redactor::new([secret]);
        for text in [
            // Lower-case percent-encoding, once and twice.
            "IkeConfig=%7b%22Psk%22%3a%22p%2fs%3ak%20%c3%a9%2b1%20x%22%7d".to_owned(),
            "POST&%2f&IkeConfig%3d%257b%2522Psk%2522%253a%2522p%252fs%253ak%2520%25c3%25a9%252b1%2520x".to_owned(),
            // A form body: `+` for space.
            "Psk=p%2Fs%3Ak+%C3%A9%2B1+x".to_owned(),
            "psk=p%2fs%3ak+%c3%a9%2b1+x".to_owned(),
            // JSON with `/` escaped, and with non-ASCII as `\u` escapes.
            r#"{"Psk":"p\/s:k é+1 x"}"#.to_owned(),
            r#"{"Psk":"p/s:k \u00e9+1 x"}"#.to_owned(),
            r#"{"Psk":"p/s:k \u00E9+1 x"}"#.to_owned(),
        ] {
            let clean = r.redact(&text);
            assert!(clean.contains(REDACTED), "{text} -> {clean}");
            assert!(!clean.contains("s:k") && !clean.contains("s%3"), "{clean}");
            assert!(!clean.to_lowercase().contains("%3ak"), "{clean}");
        }
    }

    #[test]
    fn html_safe_json_escapes_are_removed() {
        let r = Redactor::new(["a<b>c&d"]);
        for text in [
            r#"{"Psk":"a\u003cb\u003ec\u0026d"}"#,
            r#"{"Psk":"a\u003Cb\u003Ec\u0026d"}"#,
        ] {
            assert!(!r.redact(text).contains("u003"), "{text}");
        }
    }

    #[test]
    fn form_encoding_of_star_and_tilde_is_removed() {
        let r = Redactor::new(["a*b~c d"]);
        // Query encoding, Java's form encoding, and the form body this runtime sends.
        let body = crate::signed_request::form_body(&[("k".into(), "a*b~c d".into())]);
        assert_eq!(body, "k=a%2Ab~c+d");
        for text in [
            "k=a%2Ab~c%20d",
            "k=a*b%7Ec+d",
            "k=a*b%7ec+d",
            body.as_str(),
            "k=a%2ab~c+d",
        ] {
            assert_eq!(r.redact(text), format!("k={REDACTED}"), "{text}");
        }
    }

    #[test]
    fn text_is_redacted_before_it_is_cut() {
        let r = Redactor::new(["psk-SECRET-4242"]);
        for pad in 0..40 {
            let text = format!("{}psk-SECRET-4242 and more text after it", "x".repeat(pad));
            let kept = r.redact_bounded(text, 20);
            assert!(!kept.contains("psk-"), "{kept}");
            assert!(!kept.contains("SEC"), "{kept}");
        }
        // Nothing cut, nothing noted.
        assert_eq!(r.redact_bounded("short".into(), 20), "short");
        // A huge text is cut and the note counts what was left out.
        let kept = r.redact_bounded("y".repeat(100_000), 10);
        assert_eq!(kept, format!("{}… (99990 more bytes)", "y".repeat(10)));
        let kept = Redactor::default().redact_bounded("abcdef".into(), 3);
        assert_eq!(kept, "abc… (3 more bytes)");
    }
}
