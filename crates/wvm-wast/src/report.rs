//! Results of running `.wast` scripts: one [`FileReport`] per file and [`Totals`] over many.

use core::fmt;

/// What happened to one directive of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

/// A failed or skipped directive: where it is (1-based line) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub line: usize,
    pub text: String,
}

/// The results for one script.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    pub name: String,
    pub passed: usize,
    pub failed: Vec<Note>,
    pub skipped: Vec<Note>,
    /// `assert_invalid` / `assert_malformed` that were rejected with the expected wording.
    pub messages_matched: usize,
    /// Rejections whose wording differed from the script's (they still count as passed).
    pub messages_differed: Vec<Note>,
}

impl FileReport {
    pub fn new(name: impl Into<String>) -> Self {
        FileReport {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Records the outcome of the directive at `line`.
    pub fn record(&mut self, line: usize, outcome: Outcome) {
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed(text) => self.failed.push(Note { line, text }),
            Outcome::Skipped(text) => self.skipped.push(Note { line, text }),
        }
    }

    pub fn totals(&self) -> Totals {
        Totals {
            passed: self.passed,
            failed: self.failed.len(),
            skipped: self.skipped.len(),
            messages_matched: self.messages_matched,
            messages_differed: self.messages_differed.len(),
        }
    }

    /// Distinct skip reasons with how often each occurred, most frequent first.
    pub fn skip_reasons(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for n in &self.skipped {
            match out.iter_mut().find(|(r, _)| *r == n.text) {
                Some((_, c)) => *c += 1,
                None => out.push((n.text.clone(), 1)),
            }
        }
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

impl fmt::Display for FileReport {
    /// `name: P passed, F failed, S skipped`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} passed, {} failed, {} skipped",
            self.name,
            self.passed,
            self.failed.len(),
            self.skipped.len()
        )
    }
}

/// Counts summed over any number of files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub messages_matched: usize,
    pub messages_differed: usize,
}

impl Totals {
    pub fn add(&mut self, other: Totals) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.messages_matched += other.messages_matched;
        self.messages_differed += other.messages_differed;
    }
}

impl fmt::Display for Totals {
    /// `N passed, N failed, N skipped`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_lines() {
        let mut r = FileReport::new("a.wast");
        r.record(1, Outcome::Passed);
        r.record(2, Outcome::Failed("boom".into()));
        r.record(3, Outcome::Skipped("later".into()));
        r.record(4, Outcome::Skipped("later".into()));
        r.record(5, Outcome::Skipped("other".into()));
        assert_eq!(r.to_string(), "a.wast: 1 passed, 1 failed, 3 skipped");
        assert_eq!(
            r.skip_reasons(),
            vec![("later".to_string(), 2), ("other".to_string(), 1)]
        );
        let mut t = Totals::default();
        t.add(r.totals());
        t.add(r.totals());
        assert_eq!(t.to_string(), "2 passed, 2 failed, 6 skipped");
    }
}
