//! Linear memory: loads/stores with offsets, bounds, grow, data segments, the Memory API.

use wvm::*;

const WAT: &str = r#"(module
  (memory (export "memory") 1 3)
  (data (i32.const 100) "hello\00")
  (func (export "store16") (param i32 i64) (i64.store16 offset=3 (local.get 0) (local.get 1)))
  (func (export "store32") (param i32 i64) (i64.store32 offset=5 (local.get 0) (local.get 1)))
  (func (export "load_f32") (param i32) (result f32) (f32.load offset=4 (local.get 0)))
  (func (export "load_u16") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "load_s8") (param i32) (result i64) (i64.load8_s (local.get 0)))
  (func (export "load_big") (param i32) (result i32) (i32.load offset=0xffffffff (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2))))"#;

fn setup() -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, WAT).unwrap();
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    (store, i)
}

#[test]
fn seed_004_store16_with_offset() {
    let (mut s, i) = setup();
    let mem = i.get_memory(&s, "memory").unwrap();
    i.get_typed_func::<(i32, i64), ()>(&s, "store16")
        .unwrap()
        .call(&mut s, (3, 1234))
        .unwrap();
    // 1234 = 0x04d2, little-endian d2 04. (The seed's text says "d4 04", a typo: that
    // would be 1236.)
    assert_eq!(&mem.data(&s)[6..8], &[0xd2, 0x04]);
    // The seed's follow-ups: i64.store32 at 3+5 = 8, then f32.load of the same bytes.
    i.get_typed_func::<(i32, i64), ()>(&s, "store32")
        .unwrap()
        .call(&mut s, (3, 1234))
        .unwrap();
    assert_eq!(&mem.data(&s)[8..12], &[0xd2, 0x04, 0, 0]);
    let f = i
        .get_typed_func::<i32, f32>(&s, "load_f32")
        .unwrap()
        .call(&mut s, 4)
        .unwrap();
    assert_eq!(f.to_bits(), 1234);
    let u = i
        .get_typed_func::<i32, i32>(&s, "load_u16")
        .unwrap()
        .call(&mut s, 6)
        .unwrap();
    assert_eq!(u, 1234);
    mem.write(&mut s, 20, &[0xff]).unwrap();
    let b = i
        .get_typed_func::<i32, i64>(&s, "load_s8")
        .unwrap()
        .call(&mut s, 20)
        .unwrap();
    assert_eq!(b, -1);
}

#[test]
fn out_of_bounds_accesses_trap() {
    let (mut s, i) = setup();
    let l = i.get_typed_func::<i32, i32>(&s, "load_u16").unwrap();
    assert_eq!(l.call(&mut s, 65534).unwrap(), 0);
    assert_eq!(
        l.call(&mut s, 65535).unwrap_err().message(),
        "out of bounds memory access"
    );
    assert_eq!(
        l.call(&mut s, -1).unwrap_err().trap_code(),
        Some(TrapCode::MemoryOutOfBounds)
    );
    // addr + offset must not wrap around 32 bits.
    let big = i.get_typed_func::<i32, i32>(&s, "load_big").unwrap();
    assert_eq!(
        big.call(&mut s, 1).unwrap_err().trap_code(),
        Some(TrapCode::MemoryOutOfBounds)
    );
    let fill = i.get_typed_func::<(i32, i32, i32), ()>(&s, "fill").unwrap();
    assert!(fill.call(&mut s, (65530, 1, 7)).is_err());
    fill.call(&mut s, (65530, 1, 6)).unwrap();
    let mem = i.get_memory(&s, "memory").unwrap();
    assert_eq!(mem.data(&s)[65535], 1);
}

#[test]
fn grow_respects_maximum_and_updates_accesses() {
    let (mut s, i) = setup();
    let grow = i.get_typed_func::<i32, i32>(&s, "grow").unwrap();
    let size = i.get_typed_func::<(), i32>(&s, "size").unwrap();
    let l = i.get_typed_func::<i32, i32>(&s, "load_u16").unwrap();
    assert!(l.call(&mut s, 70000).is_err());
    assert_eq!(grow.call(&mut s, 1).unwrap(), 1);
    assert_eq!(size.call(&mut s, ()).unwrap(), 2);
    assert_eq!(l.call(&mut s, 70000).unwrap(), 0);
    assert_eq!(grow.call(&mut s, 2).unwrap(), -1);
    assert_eq!(grow.call(&mut s, 1).unwrap(), 2);
    let mem = i.get_memory(&s, "memory").unwrap();
    assert_eq!(mem.size(&s), 3);
    assert!(mem.grow(&mut s, 1).is_err());
}

#[test]
fn memory_api_reads_and_writes_with_bounds() {
    let (mut s, i) = setup();
    let mem = i.get_memory(&s, "memory").unwrap();
    assert_eq!(mem.read_cstr(&s, 100).unwrap(), "hello");
    assert_eq!(mem.read_str(&s, 101, 3).unwrap(), "ell");
    assert!(mem.read_str(&s, 65535, 2).is_err());
    let mut buf = [0u8; 4];
    assert!(mem.read(&s, 65533, &mut buf).is_err());
    assert!(mem.write(&mut s, usize::MAX, &[1]).is_err());
    mem.data_mut(&mut s)[0] = 9;
    assert_eq!(mem.data(&s)[0], 9);
    assert_eq!(mem.data_size(&s), 65536);
    let copy = i.get_typed_func::<(i32, i32, i32), ()>(&s, "copy").unwrap();
    copy.call(&mut s, (0, 100, 6)).unwrap();
    assert_eq!(mem.read_cstr(&s, 0).unwrap(), "hello");
}

#[test]
fn data_segments_apply_in_order_and_trap_when_out_of_bounds() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mem = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    let module = Module::new(
        &engine,
        r#"(module (import "m" "mem" (memory 1))
            (data (i32.const 0) "ab")
            (data (i32.const 65535) "cd"))"#,
    )
    .unwrap();
    let e = Instance::new(&mut store, &module, &[mem.into()]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    // The first segment stays written.
    assert_eq!(&mem.data(&store)[0..2], b"ab");
}
