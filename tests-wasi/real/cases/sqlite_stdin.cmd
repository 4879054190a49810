sqlite3.wasm
-json
:memory:
