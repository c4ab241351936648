//! Errors in profiles: each names the file, the line and column where the
//! YAML gives one, the field path and what was expected. A run collects all
//! of them and prints them together.

use std::fmt;

/// One problem in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it.
    pub file: String,
    /// Line and column, from 1, when known.
    pub position: Option<(usize, usize)>,
    /// Field path (`serverless[0].input_usd_per_mtok`); empty for the whole file.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// The source line the position points at.
    pub excerpt: Option<String>,
}

impl Diagnostic {
    /// A problem with the whole file (unreadable, too large, not UTF-8).
    pub fn file(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            position: None,
            path: String::new(),
            message: message.into(),
            excerpt: None,
        }
    }

    /// A problem at a position of a file's text.
    pub fn at(
        file: &str,
        text: &str,
        position: Option<(usize, usize)>,
        path: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let excerpt = position
            .and_then(|(line, _)| text.lines().nth(line.saturating_sub(1)))
            .map(|l| l.trim_end().chars().take(200).collect());
        Diagnostic {
            file: file.to_string(),
            position,
            path: path.to_string(),
            message: message.into(),
            excerpt,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)?;
        if let (Some((line, column)), Some(excerpt)) = (self.position, &self.excerpt) {
            let gutter = line.to_string().len();
            write!(
                f,
                "\n {:gutter$} |\n {line} | {excerpt}\n {:gutter$} | {:>column$}",
                "", "", "^"
            )?;
        }
        Ok(())
    }
}

/// Every problem found in a set of profiles.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProfileErrors(pub Vec<Diagnostic>);

impl fmt::Display for ProfileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in the profiles:",
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.0 {
            writeln!(f, "\n{d}")?;
        }
        Ok(())
    }
}
