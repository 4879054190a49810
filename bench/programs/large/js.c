/* The QuickJS half of large.wasm: js(n) runs a small JavaScript workload in QuickJS (fetched
 * by bench/build.sh from the PyPI sdist of `quickjs`, which carries the upstream sources).
 * A JavaScript interpreter inside a wasm interpreter: large switch dispatch, calls, GC. */
#include <stdio.h>
#include "quickjs.h"

static const char *const SCRIPT =
    "function work(n) {\n"
    "  const a = [];\n"
    "  for (let i = 0; i < n; i++) a.push((i * 7919 + (i >> 3)) %% 1000);\n"
    "  a.sort((x, y) => x - y);\n"
    "  const o = {};\n"
    "  let s = 0;\n"
    "  for (let i = 0; i < n; i++) {\n"
    "    const k = 'k' + (a[i] %% 97);\n"
    "    o[k] = (o[k] | 0) + a[i];\n"
    "    s = (Math.imul(s, 31) + a[i]) | 0;\n"
    "  }\n"
    "  const text = JSON.stringify(o);\n"
    "  const back = JSON.parse(text);\n"
    "  let t = 0;\n"
    "  for (const k of Object.keys(back)) t = (t + back[k] * k.length) | 0;\n"
    "  const m = text.match(/k[0-9]+/g).length;\n"
    "  return (s ^ t ^ (m << 16) ^ text.length) | 0;\n"
    "}\n"
    "work(%d);\n";

__attribute__((export_name("js"))) int js(int n) {
    char src[1024];
    snprintf(src, sizeof src, SCRIPT, n);
    JSRuntime *rt = JS_NewRuntime();
    if (!rt) return -1;
    JSContext *ctx = JS_NewContext(rt);
    if (!ctx) return -2;
    JSValue v = JS_Eval(ctx, src, __builtin_strlen(src), "<bench>", JS_EVAL_TYPE_GLOBAL);
    int out = -3; /* -3: the script threw */
    if (!JS_IsException(v)) {
        if (JS_ToInt32(ctx, &out, v) != 0) out = -4;
    }
    JS_FreeValue(ctx, v);
    JS_FreeContext(ctx);
    JS_FreeRuntime(rt);
    return out;
}
