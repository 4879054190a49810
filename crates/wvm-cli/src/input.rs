//! Reading a module file: `.wat` or `.wasm` (told apart by the binary magic), decoded with
//! the chosen features. Every failure becomes a [`CliError`] naming the file and the reason.

use std::path::Path;

use wvm_binary::{Features, Module};
use wvm_text::{parse_wat, TextOptions};

/// A one-line error: `error: FILE: reason`.
#[derive(Debug)]
pub struct CliError {
    pub file: Option<String>,
    pub reason: String,
    /// Keep line breaks (a trap's backtrace follows its one-line message).
    pub multi_line: bool,
    /// The process exit code (1 unless said otherwise).
    pub exit_code: u8,
}

impl CliError {
    pub fn in_file(file: &Path, reason: impl Into<String>) -> Self {
        CliError {
            file: Some(file.display().to_string()),
            reason: reason.into(),
            multi_line: false,
            exit_code: 1,
        }
    }

    /// The same error ending the process with `code`.
    pub fn with_exit_code(self, code: u8) -> Self {
        CliError {
            exit_code: code,
            ..self
        }
    }

    /// An error whose first line is the message and later lines are details (a backtrace).
    pub fn multi_line(file: &Path, reason: impl Into<String>) -> Self {
        CliError {
            multi_line: true,
            ..CliError::in_file(file, reason)
        }
    }

    pub fn plain(reason: impl Into<String>) -> Self {
        CliError {
            file: None,
            reason: reason.into(),
            multi_line: false,
            exit_code: 1,
        }
    }
}

impl core::fmt::Display for CliError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Keep it one line whatever the reason contains.
        let reason = if self.multi_line {
            self.reason.clone()
        } else {
            self.reason.replace('\n', " ")
        };
        match &self.file {
            Some(file) => write!(f, "error: {file}: {reason}"),
            None => write!(f, "error: {reason}"),
        }
    }
}

/// Options shared by every command that reads a module.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    pub features: Features,
    /// Reject the pre-standard text spellings (`get_local`, `anyfunc`, ...).
    pub strict_text: bool,
}

/// A module file read into its binary form.
pub struct Input {
    pub bytes: Vec<u8>,
}

/// Reads `path` and returns the module binary (text is parsed to binary).
pub fn read_binary(path: &Path, opts: &LoadOptions) -> Result<Input, CliError> {
    if path.is_dir() {
        return Err(CliError::in_file(path, "is a directory, not a module file"));
    }
    let raw = std::fs::read(path)
        .map_err(|e| CliError::in_file(path, format!("cannot read file: {}", io_reason(&e))))?;
    if raw.starts_with(b"\0asm") {
        return Ok(Input { bytes: raw });
    }
    let text = String::from_utf8(raw).map_err(|e| {
        CliError::in_file(
            path,
            format!(
                "not a WebAssembly binary (no \\0asm magic) and not UTF-8 text (at byte offset {:#x})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    let options = TextOptions {
        legacy_names: !opts.strict_text,
    };
    let bytes = parse_wat(&text, &options)
        .map_err(|e| CliError::in_file(path, format!("{} (at byte offset {:#x})", e, e.offset)))?;
    Ok(Input { bytes })
}

/// Reads and decodes `path`.
pub fn read_module(path: &Path, opts: &LoadOptions) -> Result<(Input, Module), CliError> {
    let input = read_binary(path, opts)?;
    let module = wvm_binary::decode(&input.bytes, &opts.features)
        .map_err(|e| CliError::in_file(path, e.to_string()))?;
    Ok((input, module))
}

/// Reads, decodes and validates `path`.
pub fn read_valid_module(path: &Path, opts: &LoadOptions) -> Result<(Input, Module), CliError> {
    let (input, module) = read_module(path, opts)?;
    wvm_validate::validate(&module, &opts.features)
        .map_err(|e| CliError::in_file(path, format!("invalid module: {e}")))?;
    Ok((input, module))
}

/// The OS error without Rust's `(os error N)` suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s.get(..i).unwrap_or(&s).to_string(),
        None => s,
    }
}
