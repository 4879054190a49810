//! Resource limits: the store's limiter, object counts, module size and function count.

use wvm::*;

const GROW: &str = r#"(module
  (memory (export "mem") 1)
  (table 1 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))"#;

fn limited(limits: StoreLimits) -> (Store<StoreLimits>, Module) {
    let engine = Engine::default();
    let module = Module::new(&engine, GROW).unwrap();
    let mut store = Store::new(&engine, limits);
    store.limiter(|l| l);
    (store, module)
}

#[test]
fn limiter_refuses_memory_grow() {
    let (mut store, module) = limited(StoreLimitsBuilder::new().memory_size(3 << 16).build());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let grow = inst.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 1).unwrap(), 1, "1 -> 2 pages fits");
    assert_eq!(grow.call(&mut store, 1).unwrap(), 2, "2 -> 3 pages fits");
    assert_eq!(
        grow.call(&mut store, 1).unwrap(),
        -1,
        "3 -> 4 pages refused"
    );
    assert_eq!(grow.call(&mut store, 0).unwrap(), 3, "size unchanged");
    let mem = inst.get_memory(&store, "mem").unwrap();
    assert_eq!(mem.size(&store), 3);
}

#[test]
fn limiter_refuses_table_grow() {
    let (mut store, module) = limited(StoreLimitsBuilder::new().table_elements(4).build());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let tgrow = inst.get_typed_func::<i32, i32>(&store, "tgrow").unwrap();
    assert_eq!(tgrow.call(&mut store, 3).unwrap(), 1);
    assert_eq!(tgrow.call(&mut store, 1).unwrap(), -1);
}

#[test]
fn unlimited_store_grows() {
    let engine = Engine::default();
    let module = Module::new(&engine, GROW).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let grow = inst.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 10).unwrap(), 1);
}

#[test]
fn instantiation_beyond_limits_is_a_clean_error() {
    let (mut store, module) = limited(StoreLimitsBuilder::new().instances(2).build());
    Instance::new(&mut store, &module, &[]).unwrap();
    Instance::new(&mut store, &module, &[]).unwrap();
    let e = Instance::new(&mut store, &module, &[]).unwrap_err();
    assert!(e.to_string().contains("instance count"), "{e}");

    let (mut store, module) = limited(StoreLimitsBuilder::new().memories(1).build());
    Instance::new(&mut store, &module, &[]).unwrap();
    let e = Instance::new(&mut store, &module, &[]).unwrap_err();
    assert!(e.to_string().contains("memory count"), "{e}");

    let (mut store, module) = limited(StoreLimitsBuilder::new().tables(0).build());
    let e = Instance::new(&mut store, &module, &[]).unwrap_err();
    assert!(e.to_string().contains("table count"), "{e}");

    let (mut store, module) = limited(StoreLimitsBuilder::new().memory_size(1000).build());
    let e = Instance::new(&mut store, &module, &[]).unwrap_err();
    assert!(e.to_string().contains("memory minimum size"), "{e}");
}

struct Failing;
impl ResourceLimiter for Failing {
    fn memory_growing(
        &mut self,
        current: usize,
        _: usize,
        _: Option<usize>,
    ) -> Result<bool, Error> {
        if current == 0 {
            Ok(true) // creation
        } else {
            Err(Error::msg("no growing today"))
        }
    }
    fn table_growing(&mut self, _: usize, _: usize, _: Option<usize>) -> Result<bool, Error> {
        Ok(true)
    }
}

#[test]
fn limiter_error_traps_the_guest() {
    let engine = Engine::default();
    let module = Module::new(&engine, GROW).unwrap();
    let mut store = Store::new(&engine, Failing);
    store.limiter(|f| f);
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let grow = inst.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    let e = grow.call(&mut store, 1).unwrap_err();
    assert!(e.to_string().contains("no growing today"), "{e}");
}

#[test]
fn module_size_and_function_count_limits() {
    let wat = r#"(module (func) (func) (func))"#;
    let mut c = Config::new();
    c.max_functions(2);
    let e = Module::new(&Engine::new(&c), wat).unwrap_err();
    assert!(e.to_string().contains("too many functions"), "{e}");
    c.max_functions(3);
    Module::new(&Engine::new(&c), wat).unwrap();

    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../bench/wasm/fib.wasm"
    ))
    .unwrap();
    let mut c = Config::new();
    c.max_module_size(bytes.len() - 1);
    let e = Module::new(&Engine::new(&c), &bytes).unwrap_err();
    assert!(e.to_string().contains("module too large"), "{e}");
    c.max_module_size(bytes.len());
    Module::new(&Engine::new(&c), &bytes).unwrap();
}

#[test]
fn host_side_grow_is_limited_too() {
    let (mut store, module) = limited(StoreLimitsBuilder::new().memory_size(2 << 16).build());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let mem = inst.get_memory(&store, "mem").unwrap();
    assert_eq!(mem.grow(&mut store, 1).unwrap(), 1);
    assert!(mem.grow(&mut store, 1).is_err());
    assert_eq!(mem.size(&store), 2);
}
