lua.wasm
-e
print("before"); local t = setmetatable({}, {__index = function(_, k) error("no field " .. k) end}); print(t.x)
