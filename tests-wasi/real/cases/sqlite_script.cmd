sqlite3.wasm
-bail
/demo.db
.read /sql/demo.sql
