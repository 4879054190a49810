//! Prints the translated code of every function of a module: `disasm FILE.wasm`.

fn main() -> Result<(), wvm::Error> {
    let path = std::env::args().nth(1).unwrap_or_default();
    let bytes = std::fs::read(&path).map_err(|e| wvm::Error::msg(e.to_string()))?;
    let module = wvm::Module::new(&wvm::Engine::default(), &bytes)?;
    print!("{}", wvm::debug::disassemble_module(&module));
    Ok(())
}
