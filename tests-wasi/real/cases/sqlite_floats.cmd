sqlite3.wasm
-bail
:memory:
.read /sql/floats.sql
