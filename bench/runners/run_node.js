#!/usr/bin/env node
// Runner shim for node (V8): run_node.js FILE.wasm EXPORT [ARG...]
// Instantiates the module (imports, if any, are stubbed: every imported function traps),
// calls EXPORT with the integer arguments and prints each result on its own line.
// An i64 result arrives as a BigInt and is printed in decimal.
// With EXPORT `_start` the module runs as a WASI command (node:wasi) and ARG... become argv.
'use strict';
const fs = require('fs');

function main() {
  const [file, name, ...args] = process.argv.slice(2);
  if (!file || !name) {
    process.stderr.write('usage: run_node.js FILE.wasm EXPORT [ARG...]\n');
    process.exit(2);
  }
  const module = new WebAssembly.Module(fs.readFileSync(file));
  if (name === '_start') {
    const { WASI } = require('node:wasi');
    const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
    const instance = new WebAssembly.Instance(module, wasi.getImportObject());
    process.exitCode = wasi.start(instance);
    return;
  }
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') continue;
    imports[imp.module] = imports[imp.module] || {};
    imports[imp.module][imp.name] = () => {
      throw new Error(`imported function ${imp.module}.${imp.name} called (stub)`);
    };
  }
  const instance = new WebAssembly.Instance(module, imports);
  const fn = instance.exports[name];
  if (typeof fn !== 'function') {
    process.stderr.write(`no exported function ${name}\n`);
    process.exit(2);
  }
  // Arguments: i64 parameters need BigInt; we try numbers first and fall back to BigInt.
  let result;
  try {
    result = fn(...args.map(Number));
  } catch (e) {
    if (e instanceof TypeError) {
      result = fn(...args.map(BigInt));
    } else {
      throw e;
    }
  }
  const results = Array.isArray(result) ? result : result === undefined ? [] : [result];
  for (const r of results) process.stdout.write(`${r}\n`);
}

main();
