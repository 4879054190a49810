use wvm::{Caller, Engine, Error, Linker, Module, Store};

fn main() -> Result<(), Error> {
    let engine = Engine::default();
    let wat = r#"(module
        (import "host" "log" (func $log (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "hello world!\00")
        (func (export "hello") (param i32) (result i32)
          (call $log (local.get 0)) (i32.const 16)))"#;
    let module = Module::new(&engine, wat)?;
    let mut linker = Linker::new(&engine);
    // A host function; `Caller` reaches the store's data and the calling instance's exports.
    linker.func_wrap("host", "log", |mut caller: Caller<'_, Vec<i32>>, x: i32| {
        caller.data_mut().push(x)
    })?;
    let mut store = Store::new(&engine, Vec::new());
    let instance = linker.instantiate(&mut store, &module)?;
    let hello = instance.get_typed_func::<i32, i32>(&store, "hello")?;
    let addr = hello.call(&mut store, 7)?;
    let mem = instance
        .get_memory(&store, "memory")
        .ok_or(Error::msg("no memory"))?;
    let text = mem.read_cstr(&store, addr as usize)?;
    println!("{text} (the host saw {:?})", store.data());
    assert_eq!((text.as_str(), store.data()), ("hello world!", &vec![7]));
    Ok(())
}
