lua.wasm
/lua/demo.lua
/lua/words.txt
/report.tsv
20000
