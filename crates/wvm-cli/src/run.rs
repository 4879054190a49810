//! `wvm run`: instantiate a module and call one of its functions.

use std::path::Path;
use std::process::ExitCode;

use crate::input::{CliError, LoadOptions};

pub fn run(
    file: &Path,
    _invoke: Option<&str>,
    _args: &[String],
    opts: &LoadOptions,
) -> Result<ExitCode, CliError> {
    crate::input::read_valid_module(file, opts)?;
    Err(CliError::in_file(
        file,
        "running modules needs the wvm engine, which is not available in this build yet",
    ))
}
