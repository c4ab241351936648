//! Which file names in `vendors/` and `workloads/` are profiles: one rule
//! for a folder on disk and for a git revision, so that the two reads
//! accept and refuse the same files. `x.yaml` and `x.yml` are profiles,
//! hidden or not (`.x.yaml` too, whose id check then fails: nothing named
//! like a profile is skipped in silence); other extensions are skipped; an
//! extension in capitals (`x.YAML`, `x.Yml`) is an error rather than a file
//! silently left out; two files of one stem are an error.

use std::collections::BTreeMap;

use super::diagnostic::Diagnostic;
use super::ProfileFile;

/// What a file name in a profile folder is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Name {
    /// A profile; its id is this stem.
    Profile(String),
    /// Not a profile: another extension, or none.
    Ignored,
    /// Looks like a profile but is refused, for this reason.
    Refused(String),
}

/// Classifies the file name `file` (no folder).
pub(crate) fn classify(file: &str) -> Name {
    let Some((stem, extension)) = file.rsplit_once('.') else {
        return Name::Ignored;
    };
    match extension {
        "yaml" | "yml" if stem.is_empty() => Name::Refused(format!(
            "`{file}` has no name before its extension; a profile is `<id>.yaml`"
        )),
        "yaml" | "yml" => Name::Profile(stem.to_string()),
        e if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
            Name::Refused(format!(
                "the extension `.{e}` is not read; a profile ends in `.yaml` or `.yml`, in lowercase: rename the file"
            ))
        }
        _ => Name::Ignored,
    }
}

/// One error per file whose stem another file of the same folder already
/// has (`x.yaml` beside `x.yml`): both would define the profile `x`.
pub(crate) fn duplicate_stems(files: &[ProfileFile]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    let mut errors = Vec::new();
    for f in files {
        match first.get(f.stem.as_str()) {
            Some(other) => {
                let other = other.rsplit(['/', ':']).next().unwrap_or(other);
                errors.push(Diagnostic::file(
                    &f.name,
                    format!(
                        "{other} defines the profile `{}` too; keep one of the two files",
                        f.stem
                    ),
                ))
            }
            None => {
                first.insert(&f.stem, &f.name);
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_yaml_and_yml_are_profiles_capitals_are_refused() {
        assert_eq!(classify("groq.yaml"), Name::Profile("groq".into()));
        assert_eq!(classify("a.b.yml"), Name::Profile("a.b".into()));
        assert!(matches!(classify("groq.YAML"), Name::Refused(m) if m.contains("`.YAML`")));
        assert_eq!(classify(".groq.yaml"), Name::Profile(".groq".into()));
        assert!(matches!(classify(".yml"), Name::Refused(_)));
        assert_eq!(classify("README.md"), Name::Ignored);
        assert_eq!(classify("Makefile"), Name::Ignored);
    }
}
