lua.wasm
/lua/numeric.lua
