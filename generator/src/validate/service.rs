//! Service-level checks: `service.yaml` (signature methods, the endpoint pattern, the common
//! parameters sent with every request) and the operation groups it lists, each of which names
//! a cargo feature of the generated crate.

use super::{occurrence, At, Side, Validator};
use crate::loader::{GROUPS_DIR, SERVICE_FILE};
use crate::model::PackageSpec;
use crate::naming;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

impl Validator<'_> {
    /// `service.yaml` lists each group once, each listed group has its file, each group file
    /// is listed and its id is the file name and a usable cargo feature name.
    pub(super) fn check_groups_listed(&mut self) {
        let groups = &self.raw.service.groups;
        let mut listed = BTreeSet::new();
        for (i, id) in groups.iter().enumerate() {
            let entry = || {
                let nth = occurrence(groups, i, String::as_str);
                At::file(Path::new(SERVICE_FILE))
                    .key("groups")
                    .nth_scalar(id, nth)
            };
            if !listed.insert(id.as_str()) {
                self.report(
                    &entry(),
                    Some("groups".into()),
                    format!("group `{id}` is listed twice"),
                );
            }
            let expected = PathBuf::from(GROUPS_DIR).join(format!("{id}.yaml"));
            if !self.raw.groups.iter().any(|(p, _)| p == &expected) {
                self.report(
                    &entry(),
                    Some("groups".into()),
                    format!("group `{id}` has no file {}", expected.display()),
                );
            }
        }
        for (path, g) in &self.raw.groups {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let at = At::file(path);
            if g.id != stem {
                self.report(
                    &at.key("id"),
                    Some("id".into()),
                    format!("group id `{}` must equal the file name `{stem}`", g.id),
                );
            }
            // The id names the group's cargo feature in the generated crate.
            let mut chars = g.id.chars();
            let feature_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && g.id != "default";
            if !feature_ok {
                self.report(
                    &at.key("id"),
                    Some("id".into()),
                    format!(
                        "group id `{}` must be lowercase ASCII letters, digits and `-`, starting \
                         with a letter, and not `default`: it names the group's cargo feature",
                        g.id
                    ),
                );
            }
            if !listed.contains(stem) {
                self.report(
                    &at,
                    None,
                    format!("group file is not listed in {SERVICE_FILE} `groups`"),
                );
            }
        }
    }

    /// The signature methods, the endpoint pattern and the common parameters.
    pub(super) fn check_service(&mut self) {
        let s = &self.raw.service;
        let at = At::file(Path::new(SERVICE_FILE));
        if !s.signature.methods.contains(&s.signature.default) {
            self.report(
                &at.key("signature").key("default"),
                Some("signature.default".into()),
                "default signature method is not among `methods`".into(),
            );
        }
        if !s.endpoints.pattern.contains("{region}") {
            self.report(
                &at.key("endpoints").key("pattern"),
                Some("endpoints.pattern".into()),
                "pattern must contain `{region}`".into(),
            );
        }
        self.check_fields(
            &at.key("common_parameters"),
            "common_parameters",
            &s.common_parameters,
            Some(Side::Request),
        );
        if let Some(package) = &s.package {
            self.check_package(package);
        }
    }

    /// The package's names and path go into the generated `Cargo.toml` as they are, so each
    /// must be what cargo accepts and need no escaping in a TOML string.
    fn check_package(&mut self, p: &PackageSpec) {
        let mut name = p.name.chars();
        let name_ok = name.next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let path_ok = !p.runtime_path.is_empty()
            && p.runtime_path.split('/').all(|segment| {
                !segment.is_empty()
                    && segment
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            });
        let checks = [
            (
                "name",
                &p.name,
                name_ok,
                "package name must start with an ASCII letter and hold only ASCII letters, \
                 digits, `-` and `_`",
            ),
            (
                "lib",
                &p.lib,
                naming::is_snake_ident(&p.lib),
                "library name must be a snake_case Rust identifier that is not a keyword",
            ),
            (
                "runtime_path",
                &p.runtime_path,
                path_ok,
                "runtime path must be relative, `/`-separated, each part ASCII letters, digits, \
                 `-`, `_` or `.`",
            ),
        ];
        let at = At::file(Path::new(SERVICE_FILE)).key("package");
        for (key, value, ok, message) in checks {
            if !ok {
                self.report(
                    &at.key(key),
                    Some(format!("package.{key}")),
                    format!("{message}, not `{value}`"),
                );
            }
        }
    }
}
