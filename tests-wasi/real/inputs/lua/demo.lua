-- A workout for the Lua interpreter: closures, strings and patterns, tables and
-- metatables, sorting, integer and float arithmetic, utf8, string.pack, files through
-- WASI, and a small benchmark-like loop. Deterministic: no time, no random seed.
-- Usage: lua demo.lua INPUT OUTPUT [N]   (N: size of the benchmark loop)

local input, output, n = arg[1], arg[2], tonumber(arg[3] or "1000")
print(("args: %s %s %d (argv[0] = %s)"):format(input, output, n, arg[0]))

-- closures: counters sharing and not sharing state
local function counter(step)
  local count = 0
  return function() count = count + step; return count end
end
local c1, c2 = counter(1), counter(10)
c1(); c1(); c2()
print("closures", c1(), c2())

-- memoised recursion through an upvalue table
local memo = {}
local function fib(k)
  if k < 2 then return k end
  local v = memo[k]
  if v then return v end
  v = fib(k - 1) + fib(k - 2)
  memo[k] = v
  return v
end
print("fib(80)", fib(80), math.type(fib(80)))

-- strings and patterns: word frequencies of the input file
local freq, total, longest = {}, 0, ""
for line in io.lines(input) do
  for w in line:gmatch("%a+") do
    w = w:lower()
    freq[w] = (freq[w] or 0) + 1
    total = total + 1
    if #w > #longest or (#w == #longest and w < longest) then longest = w end
  end
end
local words = {}
for w in pairs(freq) do words[#words + 1] = w end
table.sort(words, function(a, b)
  if freq[a] ~= freq[b] then return freq[a] > freq[b] end
  return a < b
end)
local top = {}
for i = 1, 5 do top[i] = words[i] .. "=" .. freq[words[i]] end
print("words", total, #words, longest, table.concat(top, " "))
print("gsub", ("hello world from lua"):gsub("(%w+)", "<%1>"))
print("format", string.format("%5.1f|%-6s|%05d|%x|%q", 3.14159, "ab", 42, 255, "a\nb"))
print("rep/rev/byte", ("ab"):rep(3, "-"), ("wasm"):reverse(), ("A"):byte(), string.char(72, 105))
print("find", ("key = value"):find("(%w+)%s*=%s*(%w+)"))

-- metatables: a small vector type
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({x = x, y = y}, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__mul = function(a, k) return vec(a.x * k, a.y * k) end
Vec.__tostring = function(v) return ("(%g, %g)"):format(v.x, v.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
function Vec:len() return math.sqrt(self.x * self.x + self.y * self.y) end
local v = vec(3, 4) + vec(1, 2) * 2
print("vec", tostring(v), v:len(), v == vec(5, 8), rawequal(v, vec(5, 8)))

-- integers and floats
print("ints", 7 // 2, -7 // 2, 7 % -3, 2^10, 1 << 40, math.maxinteger, math.mininteger // -1)
print("floats", 1 / 3, 0.1 + 0.2, math.floor(-2.5), math.fmod(7, 3), 1e300 * 1e10, -(0 / 0) ~= -(0 / 0))
print("conv", math.tointeger(3.0), 10 // 3.0, tostring(2^53), string.format("%.14g", math.exp(1)))

-- utf8 and binary packing
local s = "ünïcödé ✓"
print("utf8", utf8.len(s), #s, utf8.codepoint(s, utf8.offset(s, -1)), utf8.char(72, 8364))
local packed = string.pack("<i4 d s1", -2, 1.5, "xyz")
print("pack", #packed, string.unpack("<i4 d s1", packed))

-- a benchmark-like loop: sieve, then sort a pseudo-random sequence (an LCG)
local sieve, primes = {}, 0
for i = 2, n do
  if not sieve[i] then
    primes = primes + 1
    for j = i * i, n, i do sieve[j] = true end
  end
end
local seq, x = {}, 12345
for i = 1, n do
  x = (x * 1103515245 + 12345) % 2147483648
  seq[i] = x % 1000
end
table.sort(seq)
local sum = 0
for i = 1, #seq do sum = sum + seq[i] * i end
print("bench", primes, seq[1], seq[#seq], sum)

-- files: write a report through WASI, read it back
local f = assert(io.open(output, "w"))
for i = 1, 5 do f:write(("%d\t%s\t%d\n"):format(i, words[i], freq[words[i]])) end
f:close()
local back = {}
for l in io.lines(output) do back[#back + 1] = l:match("^%d+\t(%a+)") end
print("file", table.concat(back, ","), #back)
local ok, err = io.open("/no/such/file.txt")
print("missing file", ok, err)
print("done")
