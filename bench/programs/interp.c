/* interp: a switch-dispatched stack-machine bytecode interpreter running a pseudo-random
 * program, so the dispatch (a br_table in wasm) jumps unpredictably.  n = loop iterations
 * of the generated program body. */
#include "common.h"

enum {
    OP_PUSH, /* imm8 */
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_XOR,
    OP_AND,
    OP_OR,
    OP_SHL,
    OP_SHR,
    OP_DUP,
    OP_OVER,
    OP_SWAP,
    OP_DROP,
    OP_INC,
    OP_NOT,
    OP_ROTL,
    OP_LOAD,  /* imm8 register */
    OP_STORE, /* imm8 register */
    OP_LOOP,
    OP_HALT,
    OP_COUNT
};

#define BODY_OPS 512
#define MAX_DEPTH 24
#define NREGS 8

static u32 gen_program(u8 *code) {
    u32 st = 2024;
    u32 pc = 0;
    int depth = 1;
    for (int k = 0; k < BODY_OPS; k++) {
        for (;;) {
            u32 op = (lcg_next(&st) >> 16) % OP_LOOP; /* any op before OP_LOOP */
            int need = 0, delta = 0;
            switch (op) {
            case OP_PUSH: case OP_LOAD: delta = 1; break;
            case OP_DUP: need = 1; delta = 1; break;
            case OP_OVER: need = 2; delta = 1; break;
            case OP_SWAP: need = 2; break;
            case OP_INC: case OP_NOT: need = 1; break;
            case OP_DROP: case OP_STORE: need = 2; delta = -1; break;
            default: need = 2; delta = -1; break; /* binary ops */
            }
            if (depth < need || depth + delta > MAX_DEPTH || depth + delta < 1) continue;
            code[pc++] = (u8)op;
            if (op == OP_PUSH) code[pc++] = (u8)(lcg_next(&st) >> 24);
            if (op == OP_LOAD || op == OP_STORE) code[pc++] = (u8)((lcg_next(&st) >> 24) % NREGS);
            depth += delta;
            break;
        }
    }
    while (depth > 1) {
        code[pc++] = OP_STORE;
        code[pc++] = (u8)((lcg_next(&st) >> 24) % NREGS);
        depth--;
    }
    code[pc++] = OP_LOOP;
    code[pc++] = OP_HALT;
    return pc;
}

static NOINLINE u32 execute(const u8 *code, u32 iters, u32 *stack) {
    u32 regs[NREGS] = {1, 2, 3, 5, 8, 13, 21, 34};
    u32 sp = 1; /* stack[0] holds the seed */
    u32 pc = 0;
    u32 counter = iters;
    u32 a, b;
    for (;;) {
        u8 op = code[pc++];
        switch (op) {
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_ADD: b = stack[--sp]; stack[sp - 1] += b; break;
        case OP_SUB: b = stack[--sp]; stack[sp - 1] -= b; break;
        case OP_MUL: b = stack[--sp]; stack[sp - 1] *= b | 1; break;
        case OP_XOR: b = stack[--sp]; stack[sp - 1] ^= b; break;
        case OP_AND: b = stack[--sp]; stack[sp - 1] &= b | 0x5555; break;
        case OP_OR: b = stack[--sp]; stack[sp - 1] |= b & 0x0f0f; break;
        case OP_SHL: b = stack[--sp]; stack[sp - 1] <<= b & 7; break;
        case OP_SHR: b = stack[--sp]; stack[sp - 1] >>= b & 7; break;
        case OP_DUP: a = stack[sp - 1]; stack[sp++] = a; break;
        case OP_OVER: a = stack[sp - 2]; stack[sp++] = a; break;
        case OP_SWAP: a = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = a; break;
        case OP_DROP: sp--; break;
        case OP_INC: stack[sp - 1] += 1; break;
        case OP_NOT: stack[sp - 1] = ~stack[sp - 1]; break;
        case OP_ROTL: b = stack[--sp]; stack[sp - 1] = rotl32(stack[sp - 1], b); break;
        case OP_LOAD: stack[sp++] = regs[code[pc++]]; break;
        case OP_STORE: regs[code[pc++]] += stack[--sp]; break;
        case OP_LOOP:
            if (--counter != 0) pc = 0;
            break;
        case OP_HALT:
        default:
            goto done;
        }
    }
done:;
    u32 check = stack[0];
    for (int i = 0; i < NREGS; i++) check = rotl32(check, 5) ^ regs[i];
    return check;
}

static u32 bench(i32 n) {
    if (n < 1) return 0;
    u8 *code = bench_alloc(BODY_OPS * 2 + 2 * MAX_DEPTH + 16);
    u32 *stack = bench_alloc(sizeof(u32) * (MAX_DEPTH + 8));
    gen_program(code);
    stack[0] = 0x9e3779b9u;
    return execute(code, (u32)n, stack);
}

BENCH_ENTRY(100)
