//! Human-readable listings of translated code (used by snapshot tests and the CLI).

use crate::engine::CompiledFunc;
use crate::module::Module;
use core::fmt::Write;

/// Lists one translated function: a header, then one op per line with its index.
pub fn disassemble(func: &CompiledFunc) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "func {}{} params={} results={} locals={} frame={}",
        func.func_index,
        func.name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default(),
        func.num_params,
        func.num_results,
        func.num_locals,
        func.frame_size
    );
    for (i, instr) in func.ops.iter().enumerate() {
        let _ = writeln!(s, "  {i:4}: {}", instr.op());
    }
    s
}

/// Lists every defined function of a module.
pub fn disassemble_module(module: &Module) -> String {
    module
        .inner
        .funcs
        .iter()
        .enumerate()
        .map(|(i, _)| match module.translate(i) {
            Ok(f) => disassemble(f),
            Err(e) => format!("func (defined {i}): {e}\n"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
