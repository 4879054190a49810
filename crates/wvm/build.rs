//! Chooses the executor's dispatch backend (see docs/engine.md, "Dispatch backends").
//!
//! The threaded backend ends every op handler with a call to the next op's handler in tail
//! position and relies on LLVM turning those calls into jumps (sibling-call optimisation).
//! Stable Rust does not guarantee that, so it is enabled only where it is known to happen:
//! optimised builds (`opt-level` 2, 3, s or z) on x86_64 and aarch64, not under Miri, and not
//! when the `portable-dispatch` feature asks for the `loop { match }` backend.
//! `tools/check_tail_calls.py` verifies a built binary.

fn main() {
    println!("cargo:rustc-check-cfg=cfg(wvm_threaded)");
    println!("cargo:rerun-if-changed=build.rs");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let opt_ok = matches!(var("OPT_LEVEL").as_str(), "2" | "3" | "s" | "z");
    let arch_ok = matches!(var("CARGO_CFG_TARGET_ARCH").as_str(), "x86_64" | "aarch64");
    let portable = std::env::var_os("CARGO_FEATURE_PORTABLE_DISPATCH").is_some();
    let miri = std::env::var_os("CARGO_CFG_MIRI").is_some();
    if opt_ok && arch_ok && !portable && !miri {
        println!("cargo:rustc-cfg=wvm_threaded");
    }
}
