/*
 * BN254 field arithmetic for the Groth16 prover's WebAssembly module.
 *
 * An element is 9 limbs of 29 bits (u32 each, little-endian), in Montgomery form with R = 2^261. WebAssembly
 * has 64-bit multiplications but no 64x64->128 one: with 29-bit limbs a product is below 2^58 and a column of the
 * Montgomery product sums at most 18 of them plus a carry, below 2^63, so the products are summed without carry
 * handling and a row shifts once (the layout and bounds of src/crypto's Poseidon, scripts/build-poseidon-wasm.ts).
 *
 * Every stored element is in [0, 2m) for its modulus m (m < 2^254). A Montgomery product of a, b < 2m is below
 * m + 4m^2/R < 1.01m; sums and differences are brought back below 2m by one conditional subtraction of 2m. Zero is
 * then 0 or m; `canonical` gives the value in [0, m).
 */
#include <stdint.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef int32_t i32;

#define NL 9
#define LB 29
#define LM 0x1fffffffu
#define INLINE static inline __attribute__((always_inline))
#define NOINLINE static __attribute__((noinline))
#define EXPORT(name) __attribute__((export_name(#name)))

typedef struct { u32 v[NL]; } limbs;

/* A modulus and what the arithmetic needs of it: 2m, -m^-1 mod 2^29. */
typedef struct { u32 m[NL]; u32 m2[NL]; u32 mu; } modulus;

/* q, the base field of G1 and G2 (coordinates), and r, the scalar field (the QAP and its FFTs). */
static const modulus MQ = {
  {410844487, 17064118, 477274959, 47522512, 361093496, 47923392, 10936641, 240920116, 3171406},
  {284818062, 34128237, 417679006, 95045025, 185316080, 95846785, 21873282, 481840232, 6342812},
  75916169,
};
static const modulus MR = {
  {268435457, 521120927, 240919632, 131109107, 361091715, 47923392, 10936641, 240920116, 3171406},
  {2, 505370943, 481839265, 262218214, 185312518, 95846785, 21873282, 481840232, 6342812},
  268435455,
};

/* Row i adds q_i * m with q_i chosen so that column i vanishes mod 2^29, and carries column i into i + 1; the result
 * is columns 9..17 with carries normalised. */
INLINE void mont_reduce(limbs *o, u64 *t, const modulus *M) {
  for (int i = 0; i < NL; i++) {
    u64 q = ((t[i] & LM) * M->mu) & LM;
    for (int j = 0; j < NL; j++) t[i + j] += q * M->m[j];
    t[i + 1] += t[i] >> LB;
  }
  for (int k = NL; k < 2 * NL - 1; k++) { t[k + 1] += t[k] >> LB; o->v[k - NL] = (u32)(t[k] & LM); }
  o->v[NL - 1] = (u32)t[2 * NL - 1];
}

INLINE void mont_mul(limbs *o, const limbs *a, const limbs *b, const modulus *M) {
  u64 t[2 * NL];
  u64 x[NL], y[NL];
  for (int i = 0; i < NL; i++) { x[i] = a->v[i]; y[i] = b->v[i]; }
  for (int k = 0; k < 2 * NL; k++) t[k] = 0;
  for (int i = 0; i < NL; i++)
    for (int j = 0; j < NL; j++) t[i + j] += x[i] * y[j];
  mont_reduce(o, t, M);
}

/* a^2: each cross product once, doubled. */
INLINE void mont_sqr(limbs *o, const limbs *a, const modulus *M) {
  u64 t[2 * NL];
  u64 x[NL], x2[NL];
  for (int i = 0; i < NL; i++) { x[i] = a->v[i]; x2[i] = x[i] << 1; }
  for (int k = 0; k < 2 * NL; k++) t[k] = 0;
  for (int i = 0; i < NL; i++) {
    t[2 * i] += x[i] * x[i];
    for (int j = i + 1; j < NL; j++) t[i + j] += x[i] * x2[j];
  }
  mont_reduce(o, t, M);
}

/* s (below 4m, normalised limbs) minus 2m when that is not negative. */
INLINE void reduce_2m(limbs *o, const u32 *s, const modulus *M) {
  u32 d[NL];
  i32 borrow = 0;
  for (int i = 0; i < NL; i++) {
    i32 x = (i32)s[i] - (i32)M->m2[i] + borrow;
    d[i] = (u32)x & LM;
    borrow = x >> LB;
  }
  u32 keep = (u32)(borrow >> 31); /* all ones when s < 2m */
  for (int i = 0; i < NL; i++) o->v[i] = (s[i] & keep) | (d[i] & ~keep);
}

INLINE void mod_add(limbs *o, const limbs *a, const limbs *b, const modulus *M) {
  u32 s[NL];
  u32 carry = 0;
  for (int i = 0; i < NL; i++) {
    u32 x = a->v[i] + b->v[i] + carry;
    s[i] = x & LM;
    carry = x >> LB;
  }
  reduce_2m(o, s, M);
}

/* a - b + 2m, in (0, 4m), then reduced. */
INLINE void mod_sub(limbs *o, const limbs *a, const limbs *b, const modulus *M) {
  u32 s[NL];
  i32 carry = 0;
  for (int i = 0; i < NL; i++) {
    i32 x = (i32)a->v[i] + (i32)M->m2[i] - (i32)b->v[i] + carry;
    s[i] = (u32)x & LM;
    carry = x >> LB;
  }
  reduce_2m(o, s, M);
}

/* 2m - a, in (0, 2m]: 2m itself (a = 0) is reduced to 0. */
INLINE void mod_neg(limbs *o, const limbs *a, const modulus *M) {
  static const limbs zero = {{0}};
  mod_sub(o, &zero, a, M);
}

INLINE int mod_is_zero(const limbs *a, const modulus *M) {
  u32 z = 0, m = 0;
  for (int i = 0; i < NL; i++) { z |= a->v[i]; m |= a->v[i] ^ M->m[i]; }
  return z == 0 || m == 0;
}

INLINE int mod_eq(const limbs *a, const limbs *b, const modulus *M) {
  limbs d;
  mod_sub(&d, a, b, M);
  return mod_is_zero(&d, M);
}

/* The value in [0, m), still in Montgomery form. */
INLINE void mod_canonical(limbs *o, const limbs *a, const modulus *M) {
  u32 d[NL];
  i32 borrow = 0;
  for (int i = 0; i < NL; i++) {
    i32 x = (i32)a->v[i] - (i32)M->m[i] + borrow;
    d[i] = (u32)x & LM;
    borrow = x >> LB;
  }
  u32 keep = (u32)(borrow >> 31);
  for (int i = 0; i < NL; i++) o->v[i] = (a->v[i] & keep) | (d[i] & ~keep);
}
