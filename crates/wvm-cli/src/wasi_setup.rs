//! What `wvm run` grants the guest through WASI: arguments, environment, preopened
//! directories and the host's standard streams, turned into a [`WasiCtx`].

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use wvm_wasi::{WasiCtx, WasiCtxBuilder};

/// One `--dir`/`--ro-dir` grant.
#[derive(Debug, PartialEq, Eq)]
pub struct DirGrant {
    pub host: PathBuf,
    pub guest: String,
    pub read_only: bool,
}

/// Parses `HOST[::GUEST]`. Without `::GUEST` the guest sees the directory under the host
/// path as written.
pub fn parse_dir(spec: &str, read_only: bool) -> Result<DirGrant, String> {
    let (host, guest) = match spec.split_once("::") {
        Some((h, g)) => (h, g),
        None => (spec, spec),
    };
    if host.is_empty() {
        return Err(format!("{spec:?}: the host directory is empty"));
    }
    if guest.is_empty() {
        return Err(format!("{spec:?}: the guest path after '::' is empty"));
    }
    Ok(DirGrant {
        host: PathBuf::from(host),
        guest: guest.to_string(),
        read_only,
    })
}

/// One environment variable: name and value as bytes.
pub type EnvVar = (Vec<u8>, Vec<u8>);

/// The guest's environment: the host's when `inherit`, then each `--env` in order, a later
/// setting of a name replacing an earlier one. `NAME=VALUE` sets a value; a bare `NAME`
/// copies the host's value (and is skipped when the host has none).
pub fn environment(
    inherit: bool,
    host_vars: impl Iterator<Item = (OsString, OsString)>,
    specs: &[String],
    host_var: impl Fn(&str) -> Option<OsString>,
) -> Result<Vec<EnvVar>, String> {
    let mut vars: Vec<EnvVar> = Vec::new();
    let mut set = |k: &[u8], v: &[u8]| match vars.iter_mut().find(|(name, _)| name == k) {
        Some(slot) => slot.1 = v.to_vec(),
        None => vars.push((k.to_vec(), v.to_vec())),
    };
    if inherit {
        for (k, v) in host_vars {
            set(k.as_encoded_bytes(), v.as_encoded_bytes());
        }
    }
    for spec in specs {
        let (name, value) = match spec.split_once('=') {
            Some((k, v)) => (k, Some(OsString::from(v))),
            None => (spec.as_str(), host_var(spec)),
        };
        if name.is_empty() {
            return Err(format!("--env {spec:?}: the variable name is empty"));
        }
        if let Some(v) = value {
            set(name.as_bytes(), v.as_encoded_bytes());
        }
    }
    Ok(vars)
}

/// `argv[0]` as wasmtime gives it: the module's file name without its directories (so the
/// host's layout does not leak into the guest).
pub fn default_argv0(file: &Path) -> OsString {
    file.file_name()
        .map(OsStr::to_os_string)
        .unwrap_or_else(|| file.as_os_str().to_os_string())
}

/// Everything the guest is granted.
pub struct Grants<'a> {
    pub argv: Vec<OsString>,
    pub env: Vec<EnvVar>,
    pub dirs: &'a [DirGrant],
}

/// Builds the context: the given argv, environment and directories (descriptors 3, 4, ...
/// in order) and the host's stdin, stdout and stderr.
pub fn build_ctx(grants: &Grants<'_>) -> Result<WasiCtx, String> {
    let mut b = WasiCtxBuilder::new();
    b.inherit_stdio();
    b.args(grants.argv.iter().map(|a| a.as_encoded_bytes()));
    for (k, v) in &grants.env {
        b.env(k, v);
    }
    for d in grants.dirs {
        b.preopen_dir(&d.host, d.guest.clone(), d.read_only)
            .map_err(|e| {
                format!(
                    "cannot open directory {} for the guest: {}",
                    d.host.display(),
                    crate::input::io_reason(&e)
                )
            })?;
    }
    b.build().map_err(|e| {
        format!(
            "cannot set up the standard streams: {}",
            crate::input::io_reason(&e)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_specs() {
        let g = parse_dir("/tmp/x::/", false);
        assert_eq!(
            g,
            Ok(DirGrant {
                host: "/tmp/x".into(),
                guest: "/".into(),
                read_only: false
            })
        );
        let g = parse_dir("data", true).map(|g| (g.guest, g.read_only));
        assert_eq!(g, Ok(("data".to_string(), true)));
        let g = parse_dir("a::/b/c", false).map(|g| g.guest);
        assert_eq!(g.as_deref(), Ok("/b/c"));
        assert!(parse_dir("", false).is_err());
        assert!(parse_dir("a::", false).is_err());
        assert!(parse_dir("::/x", false).is_err());
    }

    fn env(inherit: bool, specs: &[&str]) -> Result<Vec<(String, String)>, String> {
        let host = vec![
            (OsString::from("HOME"), OsString::from("/home/h")),
            (OsString::from("LANG"), OsString::from("C")),
        ];
        let lookup = |k: &str| (k == "HOME").then(|| OsString::from("/home/h"));
        let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
        environment(inherit, host.into_iter(), &specs, lookup).map(|v| {
            v.into_iter()
                .map(|(k, v)| {
                    (
                        String::from_utf8_lossy(&k).into_owned(),
                        String::from_utf8_lossy(&v).into_owned(),
                    )
                })
                .collect()
        })
    }

    #[test]
    fn environment_merging() {
        let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(env(false, &[]), Ok(vec![]));
        assert_eq!(
            env(false, &["A=1", "B=x=y", "A=2", "C="]),
            Ok(vec![kv("A", "2"), kv("B", "x=y"), kv("C", "")])
        );
        assert_eq!(
            env(true, &["LANG=fr", "X=1"]),
            Ok(vec![kv("HOME", "/home/h"), kv("LANG", "fr"), kv("X", "1")])
        );
        // A bare name copies the host's value; one the host lacks is skipped.
        assert_eq!(
            env(false, &["HOME", "NOPE"]),
            Ok(vec![kv("HOME", "/home/h")])
        );
        assert!(env(false, &["=v"]).is_err());
    }

    #[test]
    fn argv0_is_the_file_name() {
        assert_eq!(default_argv0(Path::new("/a/b/prog.wasm")), "prog.wasm");
        assert_eq!(default_argv0(Path::new("prog.wat")), "prog.wat");
    }
}
