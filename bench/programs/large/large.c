/* large: SQLite (the amalgamation from the crates.io package libsqlite3-sys, fetched by
 * bench/build.sh) and QuickJS (js.c) compiled into one big wasm32-wasi reactor module with no
 * imports (wasi_stubs.c), for the load-time case.
 *
 * Exports:
 *   noop() -> i32       returns 0 at once: invoking it measures load + compile/validate +
 *                       instantiate of the whole module and nothing else.
 *   query(n) -> i32     opens an in-memory database, inserts n rows, runs an aggregate query,
 *                       returns a checksum (a realistic workload for later).
 *
 * SQLite is built with SQLITE_OS_OTHER: no OS layer, so no WASI calls are reachable; the tiny
 * VFS below only serves in-memory databases.
 */
#include "sqlite3.h"
#include <string.h>

__attribute__((export_name("noop"))) int noop(void) { return 0; }

/* ---- a minimal VFS: in-memory databases only ---- */
static int mv_open(sqlite3_vfs *v, sqlite3_filename n, sqlite3_file *f, int fl, int *o) {
    (void)v; (void)n; (void)f; (void)fl; (void)o;
    return SQLITE_CANTOPEN;
}
static int mv_delete(sqlite3_vfs *v, const char *n, int s) { (void)v; (void)n; (void)s; return SQLITE_OK; }
static int mv_access(sqlite3_vfs *v, const char *n, int fl, int *out) {
    (void)v; (void)n; (void)fl;
    *out = 0;
    return SQLITE_OK;
}
static int mv_fullpath(sqlite3_vfs *v, const char *n, int len, char *out) {
    (void)v;
    int k = (int)strlen(n);
    if (k >= len) return SQLITE_CANTOPEN;
    memcpy(out, n, (size_t)k + 1);
    return SQLITE_OK;
}
static unsigned mv_seed = 12345;
static int mv_random(sqlite3_vfs *v, int len, char *out) {
    (void)v;
    for (int i = 0; i < len; i++) {
        mv_seed = mv_seed * 1103515245u + 12345u;
        out[i] = (char)(mv_seed >> 16);
    }
    return len;
}
static int mv_sleep(sqlite3_vfs *v, int us) { (void)v; return us; }
static int mv_time(sqlite3_vfs *v, double *t) { (void)v; *t = 2461000.5; return SQLITE_OK; }
static int mv_time64(sqlite3_vfs *v, sqlite3_int64 *t) {
    (void)v;
    *t = (sqlite3_int64)2461000 * 86400000 + 43200000;
    return SQLITE_OK;
}
static int mv_lasterr(sqlite3_vfs *v, int n, char *b) { (void)v; (void)n; (void)b; return 0; }

static sqlite3_vfs mem_vfs = {
    .iVersion = 2,
    .szOsFile = (int)sizeof(sqlite3_file),
    .mxPathname = 512,
    .zName = "memvfs",
    .xOpen = mv_open,
    .xDelete = mv_delete,
    .xAccess = mv_access,
    .xFullPathname = mv_fullpath,
    .xRandomness = mv_random,
    .xSleep = mv_sleep,
    .xCurrentTime = mv_time,
    .xGetLastError = mv_lasterr,
    .xCurrentTimeInt64 = mv_time64,
};

int sqlite3_os_init(void) { return sqlite3_vfs_register(&mem_vfs, 1); }
int sqlite3_os_end(void) { return SQLITE_OK; }

/* ---- workload ---- */
static int sum_cb(void *ctx, int ncol, char **vals, char **names) {
    (void)names;
    unsigned *acc = ctx;
    for (int i = 0; i < ncol; i++) {
        for (const char *p = vals[i] ? vals[i] : ""; *p; p++) *acc = *acc * 31u + (unsigned char)*p;
    }
    return 0;
}

__attribute__((export_name("query"))) int query(int n) {
    sqlite3 *db = 0;
    unsigned acc = 0;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return -1;
    if (sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, s TEXT);"
                         "CREATE INDEX tk ON t(k);", 0, 0, 0) != SQLITE_OK) return -2;
    sqlite3_stmt *ins = 0;
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    if (sqlite3_prepare_v2(db, "INSERT INTO t(k, s) VALUES(?1, printf('row-%d-%x', ?1, ?2))", -1,
                           &ins, 0) != SQLITE_OK) return -3;
    unsigned st = 1;
    for (int i = 0; i < n; i++) {
        st = st * 1664525u + 1013904223u;
        sqlite3_bind_int(ins, 1, (int)(st >> 12) % 1000);
        sqlite3_bind_int(ins, 2, i);
        if (sqlite3_step(ins) != SQLITE_DONE) return -4;
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    if (sqlite3_exec(db, "SELECT k, count(*), sum(length(s)), max(id) FROM t GROUP BY k ORDER BY k;"
                         "SELECT count(*) FROM t WHERE s LIKE 'row-1%';",
                     sum_cb, &acc, 0) != SQLITE_OK) return -5;
    sqlite3_close(db);
    return (int)(acc & 0x7fffffff);
}
