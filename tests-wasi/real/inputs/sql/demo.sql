-- A workout for the SQLite shell: schema, bulk inserts from a recursive CTE, joins,
-- aggregates, window functions, JSON, triggers, transactions, and a few recursive
-- computations. Everything is deterministic (no 'now', no random()).
.headers on
.mode list
.nullvalue NULL

CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT);
CREATE TABLE emp(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  dept_id INTEGER REFERENCES dept(id),
  boss_id INTEGER REFERENCES emp(id),
  salary REAL,
  hired TEXT
);
CREATE TABLE audit(n INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT);
CREATE TRIGGER emp_raise AFTER UPDATE OF salary ON emp
  WHEN new.salary > old.salary
  BEGIN INSERT INTO audit(what) VALUES (old.name || ': ' || old.salary || ' -> ' || new.salary); END;

INSERT INTO dept VALUES (1, 'Engineering', 'Zurich'), (2, 'Sales', 'Lyon'),
                        (3, 'Research', 'Kyoto'), (4, 'Empty', NULL);

BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO emp
SELECT i,
       'emp' || printf('%03d', i),
       1 + (i * 7) % 3,
       CASE WHEN i = 1 THEN NULL ELSE 1 + (i * 31) % (i - 1) END,
       30000 + (i * 7919) % 50000 + (i % 7) * 0.25,
       date('2015-03-01', '+' || (i * 13) || ' days')
FROM n;
COMMIT;
CREATE INDEX emp_dept ON emp(dept_id);

.print == departments
SELECT d.name, d.city, count(e.id) AS staff, round(avg(e.salary), 2) AS avg_salary,
       min(e.hired) AS first, max(e.hired) AS last
FROM dept d LEFT JOIN emp e ON e.dept_id = d.id
GROUP BY d.id ORDER BY d.name;

.print == best paid per department
SELECT dept, name, salary, rnk FROM (
  SELECT d.name AS dept, e.name, e.salary,
         rank() OVER (PARTITION BY e.dept_id ORDER BY e.salary DESC) AS rnk
  FROM emp e JOIN dept d ON d.id = e.dept_id)
WHERE rnk <= 3 ORDER BY dept, rnk;

.print == hires per year with running total
SELECT substr(hired, 1, 4) AS year, count(*) AS n,
       sum(count(*)) OVER (ORDER BY substr(hired, 1, 4)) AS running
FROM emp GROUP BY year ORDER BY year;

.print == chain of command of emp200
WITH RECURSIVE chain(id, name, boss_id, depth) AS (
  SELECT id, name, boss_id, 0 FROM emp WHERE id = 200
  UNION ALL
  SELECT e.id, e.name, e.boss_id, c.depth + 1 FROM emp e JOIN chain c ON e.id = c.boss_id)
SELECT group_concat(name, ' <- ') AS chain, max(depth) AS depth FROM chain;

.print == raises (trigger)
UPDATE emp SET salary = salary * 1.1 WHERE dept_id = 3 AND salary < 31000;
SELECT count(*) AS raised FROM audit;
SELECT what FROM audit ORDER BY n LIMIT 3;

.print == rolled back
BEGIN;
DELETE FROM emp WHERE dept_id = 1;
SELECT count(*) AS during FROM emp;
ROLLBACK;
SELECT count(*) AS after FROM emp;

.print == primes below 300
WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
SELECT count(*) AS primes, sum(i) AS total, max(i) AS largest FROM n
WHERE NOT EXISTS (SELECT 1 FROM n AS d WHERE d.i * d.i <= n.i AND n.i % d.i = 0);

.print == longest Collatz chain from below 400
WITH RECURSIVE c(start, x, steps) AS (
  SELECT value, value, 0 FROM generate_series(1, 399)
  UNION ALL
  SELECT start, CASE WHEN x % 2 = 0 THEN x / 2 ELSE 3 * x + 1 END, steps + 1
  FROM c WHERE x <> 1)
SELECT start, max(steps) AS steps FROM c GROUP BY start ORDER BY steps DESC, start LIMIT 3;

.print == Fibonacci
WITH RECURSIVE f(n, a, b) AS (SELECT 0, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM f WHERE n < 90)
SELECT n, a FROM f WHERE n IN (10, 50, 90);

.print == Pascal triangle row 20 via JSON
WITH RECURSIVE p(k, c) AS (SELECT 0, 1 UNION ALL SELECT k + 1, c * (20 - k) / (k + 1) FROM p WHERE k < 20)
SELECT json_group_array(c) AS row20 FROM p;

.print == strings and math
SELECT upper('wvm') || lower('ABC') AS s, length('ünïcödé') AS chars, hex('ok') AS h,
       replace('a-b-c', '-', '+') AS r, instr('hello', 'll') AS i, printf('%8.3f|%-5d|%x', pi(), 42, 255) AS f,
       round(sqrt(2), 10) AS sqrt2, round(exp(1), 12) AS e, 7 / 2 AS idiv, 7 / 2.0 AS fdiv,
       9223372036854775807 + 0 AS maxint, abs(-3) AS a;
SELECT json_object('n', 1, 'list', json_array(1, 2.5, 'x', NULL)) AS j,
       json_extract('{"a":{"b":[10,20,30]}}', '$.a.b[1]') AS pick;

.print == integrity
PRAGMA integrity_check;
SELECT count(*) AS tables FROM sqlite_schema WHERE type = 'table';
