-- Floating point through Lua: a spectral norm, an ASCII Mandelbrot set, Simpson's rule,
-- exact formatting of doubles, then a summary of whatever arrives on stdin.

local function A(i, j)
  local ij = i + j - 1
  return 1.0 / (ij * (ij - 1) * 0.5 + i)
end
local function Av(x, y, n)
  for i = 1, n do
    local a = 0
    for j = 1, n do a = a + x[j] * A(i, j) end
    y[i] = a
  end
end
local function Atv(x, y, n)
  for i = 1, n do
    local a = 0
    for j = 1, n do a = a + x[j] * A(j, i) end
    y[i] = a
  end
end
local function spectral(n)
  local u, v, t = {}, {}, {}
  for i = 1, n do u[i] = 1 end
  for _ = 1, 10 do
    Av(u, t, n); Atv(t, v, n)
    Av(v, t, n); Atv(t, u, n)
  end
  local vBv, vv = 0, 0
  for i = 1, n do
    vBv = vBv + u[i] * v[i]
    vv = vv + v[i] * v[i]
  end
  return math.sqrt(vBv / vv)
end
print(string.format("spectral norm %.9f", spectral(30)))

local rows = {}
for y = -12, 12 do
  local row = {}
  for x = -39, 20 do
    local cr, ci = x / 20, y / 10
    local zr, zi, k = 0.0, 0.0, 0
    while k < 50 and zr * zr + zi * zi < 4 do
      zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
      k = k + 1
    end
    row[#row + 1] = k == 50 and "#" or (k > 8 and "+" or (k > 3 and "." or " "))
  end
  rows[#rows + 1] = (table.concat(row):gsub("%s+$", ""))
end
print(table.concat(rows, "\n"))

local function simpson(f, a, b, n)
  local h = (b - a) / n
  local s = f(a) + f(b)
  for i = 1, n - 1 do s = s + f(a + i * h) * (i % 2 == 1 and 4 or 2) end
  return s * h / 3
end
print(string.format("integral sin 0..pi = %.15f", simpson(math.sin, 0, math.pi, 1000)))
print(string.format("integral e^-x^2 = %.15f", simpson(function(x) return math.exp(-x * x) end, -6, 6, 2000)))

for _, v in ipairs({0.1, 1 / 3, 2 ^ -1074, 1.7976931348623157e308, -0.0, 100, 2 ^ 53 + 1}) do
  print(string.format("%.17g  %a  %g  %s", v, v, v, tostring(v)))
end
print(math.ult(1, -1), 5 // 0.0, -5 // 0.0, math.huge // 1, 3 % math.huge, -3 % math.huge)
print(string.format("%d %s %s", math.floor(2 ^ 62), 2 ^ 63, math.tointeger(2 ^ 63)))

local text = io.read("a")
local lines, words, chars = 0, 0, #text
for line in text:gmatch("[^\n]*\n?") do
  if line ~= "" then lines = lines + 1 end
  for _ in line:gmatch("%S+") do words = words + 1 end
end
print(("stdin: %d lines, %d words, %d bytes"):format(lines, words, chars))
print((text:gsub("%a+", string.upper)))
