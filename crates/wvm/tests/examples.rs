//! Runs every example in `crates/wvm/examples/` and checks what it prints, and keeps the
//! README's embedding snippet (which is `examples/embedding.rs`, verbatim) compiling and
//! running.
//!
//! Each example is `fn main() { run(&mut stdout) }` around a `pub fn run(out: &mut impl Write)`;
//! the test includes the example file as a module and calls `run` with a buffer. Expected
//! values come from the seed documents (and from arithmetic done here), not from a previous
//! run.

#[allow(dead_code)]
#[path = "../examples/hello.rs"]
mod hello;

#[allow(dead_code)]
#[path = "../examples/hello_name.rs"]
mod hello_name;

#[allow(dead_code)]
#[path = "../examples/seed004.rs"]
mod seed004;

/// The README snippet; its `main` is private, so the module re-exports it.
mod embedding {
    include!("../examples/embedding.rs");
    pub fn run() -> Result<(), wvm::Error> {
        main()
    }
}

/// An example's entry point, writing into a buffer.
type Run = fn(&mut Vec<u8>) -> Result<(), Box<dyn std::error::Error>>;

/// Runs an example's `run` and returns its output lines.
fn output(run: Run) -> Vec<String> {
    let mut buf = Vec::new();
    if let Err(e) = run(&mut buf) {
        panic!(
            "example failed: {e}\noutput so far:\n{}",
            String::from_utf8_lossy(&buf)
        );
    }
    let text = String::from_utf8(buf).expect("examples print UTF-8");
    text.lines().map(str::to_string).collect()
}

/// Asserts that `line` occurs in `lines`, showing all of them if not.
#[track_caller]
fn has(lines: &[String], line: &str) {
    assert!(
        lines.iter().any(|l| l.trim() == line),
        "missing line {line:?} in:\n{}",
        lines.join("\n")
    );
}

#[test]
fn hello_reads_hello_world_from_memory() {
    let lines = output(hello::run);
    assert_eq!(
        lines,
        [
            "hello() = 16",
            "memory[16..28] = \"hello world!\"",
            "read_cstr(16) = \"hello world!\"",
        ]
    );
}

#[test]
fn hello_uses_the_seed_text_verbatim() {
    // Old spellings from the seed must still be in the text the example loads.
    assert!(hello::WAT.contains("(table 0 anyfunc)"));
    assert!(hello_name::SEED_WAT.contains("(get_local $0)"));
}

#[test]
fn hello_name_both_ways() {
    let lines = output(hello_name::run);
    // (a) "Alice\0" takes 6 bytes, rounded to 8: the result lands at 1024 + 8.
    let a = hello_name::HOST_AREA;
    has(&lines, &format!("wrote \"Alice\" at {a}"));
    has(
        &lines,
        &format!("hello({a}) = {} -> \"hello Alice\"", a + 8),
    );
    // (b) the guest heap starts at 1024 too; "hello Alice\0" is 12 bytes, rounded to 16.
    has(&lines, "alloc(6) = 1024, wrote \"Alice\" there");
    has(&lines, "hello(1024) = 1032 -> \"hello Alice\"");
    has(&lines, "next alloc(1) = 1048");
    assert_eq!(
        lines.iter().filter(|l| l.contains("hello Alice")).count(),
        2
    );
}

#[test]
fn seed004_anatomy_and_half() {
    let lines = output(seed004::run);
    has(&lines, "func_type #0: (func (param i32 i32) (result i32))");
    has(&lines, "func_type #1: (func (param i64) (result i64))");
    has(&lines, "func_type #2: (func)");
    has(
        &lines,
        "import \"dumb-math\" \"quadruple\": (func (param i64) (result i64))",
    );
    has(&lines, "import \"dumb-math\" \"pi\": (global i64)");
    has(&lines, "export \"half\": (func (param i64) (result i64))");
    has(&lines, "half(84) = 42");
    has(&lines, "half(7) = 3");
    // i64.div_u: -2 is 2^64 - 2 unsigned.
    has(&lines, &format!("half(-2) = {}", (u64::MAX - 1) / 2));
    has(&lines, &format!("quadruple_plus_pi(10) = {}", 10 * 4 + 3));
    has(&lines, "data segment: memory[4..8] = 2a 00 00 00");
}

#[test]
fn seed004_factorial() {
    let lines = output(seed004::run);
    let fact = |n: i64| (1..=n).product::<i64>();
    for n in [0, 1, 5, 10, 20] {
        has(&lines, &format!("factorial({n}) = {}", fact(n)));
    }
    has(&lines, "factorial(10) = 3628800");
    // The text and the listing show the seed's instruction sequence.
    for l in [
        "(export \"factorial\" (func 0))",
        "if (result i64)",
        "call 0",
    ] {
        has(&lines, l);
    }
    assert!(lines.iter().any(|l| l.trim().ends_with(":   i64.eq")));
    assert!(lines.iter().any(|l| l.trim().ends_with(":     i64.mul")));
}

#[test]
fn seed004_factorial_bytes_match_the_builder() {
    // The printed bytes are the encoding of the builder's module, and decode back to it.
    let ir = seed004::factorial_module();
    let bytes = wvm_binary::encode(&ir);
    let back = wvm_binary::decode(&bytes, &wvm_binary::Features::default()).expect("decodes");
    assert_eq!(back, ir);
    let lines = output(seed004::run);
    has(&lines, &format!("encoded: {} bytes", bytes.len()));
    assert!(bytes.starts_with(b"\0asm\x01\0\0\0"));
}

#[test]
fn seed004_print_str() {
    let lines = output(seed004::run);
    has(&lines, "putc called 6 times: 4c 6f 6c 63 61 74");
    has(&lines, "printed: Lolcat");
}

#[test]
fn seed004_memory() {
    let lines = output(seed004::run);
    has(&lines, "i32.store 123 at 4, i32.load 4 = 123");
    has(
        &lines,
        "memory[0..16] = 00 00 00 00 7b 00 00 00 00 00 00 00 00 00 00 00",
    );
    // 1234 = 0x04d2, stored little-endian at 3 + 3.
    has(
        &lines,
        "memory[0..16] = 00 00 00 00 7b 00 d2 04 00 00 00 00 00 00 00 00",
    );
    // store32 at 3 + 5 = 8.
    has(
        &lines,
        "memory[0..16] = 00 00 00 00 7b 00 d2 04 d2 04 00 00 00 00 00 00",
    );
    let bits = format!("{:#010x}", f32::from_bits(1234).to_bits());
    has(
        &lines,
        &format!("f32.load at 4 + 4 = 1.7292e-42 (bits {bits}: the bytes reinterpreted)"),
    );
    has(&lines, "i32.load at 4 + 4, f32.convert_i32_u = 1234.0");
    has(
        &lines,
        "i32.load at 65534: trap: out of bounds memory access",
    );
}

#[test]
fn seed004_js_api() {
    let lines = output(seed004::run);
    has(&lines, "foo(1) => 400");
    has(&lines, "foo(2) => 800");
    has(&lines, "foo(3) => 1200");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  default engine: ") && l.contains("version")),
        "the default engine must reject version 0x0d"
    );
}

#[test]
fn readme_embedding_snippet_runs() {
    embedding::run().expect("the README snippet runs");
}

#[test]
fn readme_embedding_snippet_is_the_example_verbatim() {
    let readme = include_str!("../../../README.md");
    let example = include_str!("../examples/embedding.rs");
    let block = format!("```rust\n{example}```");
    assert!(
        readme.contains(&block),
        "README's embedding snippet differs from crates/wvm/examples/embedding.rs; copy it over"
    );
}
