/* Stand-in for <setjmp.h> when building Lua for wasm32-wasi without the exception-handling
   proposal (wasi-libc's setjmp needs it): Lua's error unwinding is configured (through its
   LUAI_THROW/LUAI_TRY hooks) to print the error and abort. A Lua error therefore ends the
   program with a trap instead of being caught by pcall; coroutine yields are errors too. */
#ifndef WVM_LUA_NOSJLJ_H
#define WVM_LUA_NOSJLJ_H
#include <stdio.h>
#include <stdlib.h>
#define luai_jmpbuf int
#define LUAI_TRY(L, c, a) { a }
#define LUAI_THROW(L, c) \
  (fprintf(stderr, "lua: unrecoverable error (status %d): %s\n", (c)->status, \
           lua_tostring(L, -1) ? lua_tostring(L, -1) : "(no message)"), \
   fflush(stderr), abort())
#endif
