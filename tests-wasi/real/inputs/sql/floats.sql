-- Floating point through SQLite: math functions, formatting, conversions, and the
-- round-trip precision of .dump. Then the same rows in other output modes.
CREATE TABLE f(i INTEGER PRIMARY KEY, x REAL, s REAL, l REAL, p REAL, t TEXT);
WITH RECURSIVE n(i) AS (SELECT -20 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
INSERT INTO f
SELECT i, i * 0.37 - 1e-3,
       sin(i * 0.37) * cos(i / 7.0),
       CASE WHEN i > 0 THEN ln(i) * log10(i * 1000.0) ELSE NULL END,
       pow(1.5, i) + exp(i / 10.0) - sqrt(abs(i) + 0.5),
       printf('%.17g|%e|%.3f|%g', i / 3.0, i * 12345.678, -i / 7.0, pow(10, i))
FROM n;
.mode box
SELECT i, round(x, 4) AS x, round(s, 6) AS s, round(p, 3) AS p FROM f WHERE i % 5 = 0;
.mode quote
SELECT t, CAST(x * 1000 AS INTEGER) AS xi, 1.0 * i / 7 AS q, x > 0 AS positive FROM f WHERE i BETWEEN -3 AND 3;
.mode json
SELECT sum(x) AS sx, avg(s) AS avg_s, max(l) AS max_l, min(p) AS min_p, total(p) AS total_p,
       stddev FROM (SELECT *, 0 AS stddev FROM f);
SELECT typeof(1e308 * 10) AS inf_type, 1e308 * 10 AS inf, -1e308 * 10 AS ninf, 0.1 + 0.2 AS sum,
       CAST('3.9e2x' AS REAL) AS parsed, CAST(2.5 AS INTEGER) AS trunc, round(-2.5) AS rnd,
       9007199254740993 AS big, 9007199254740993.0 AS bigf, 4.9e-324 AS tiny,
       floor(-0.5) AS fl, ceil(-0.5) AS ce, trunc(7.9) AS tr, mod(-7.5, 2) AS md,
       degrees(pi()) AS deg, atan2(1, -1) AS a2, acosh(2) AS ach;
.dump f
