/* F_q, F_q^2 and F_r on top of field.h: the operations the curve code (curve.h) and the QAP use. */
#include "field.h"

typedef limbs fq;
typedef limbs fr;
typedef struct { fq c0, c1; } fq2; /* c0 + c1 u, u^2 = -1 */

NOINLINE void fq_mul(fq *o, const fq *a, const fq *b) { mont_mul(o, a, b, &MQ); }
NOINLINE void fq_sqr(fq *o, const fq *a) { mont_sqr(o, a, &MQ); }
INLINE void fq_add(fq *o, const fq *a, const fq *b) { mod_add(o, a, b, &MQ); }
INLINE void fq_sub(fq *o, const fq *a, const fq *b) { mod_sub(o, a, b, &MQ); }
INLINE void fq_neg(fq *o, const fq *a) { mod_neg(o, a, &MQ); }
INLINE int fq_is_zero(const fq *a) { return mod_is_zero(a, &MQ); }
INLINE int fq_eq(const fq *a, const fq *b) { return mod_eq(a, b, &MQ); }

NOINLINE void fr_mul(fr *o, const fr *a, const fr *b) { mont_mul(o, a, b, &MR); }
INLINE void fr_add(fr *o, const fr *a, const fr *b) { mod_add(o, a, b, &MR); }
INLINE void fr_sub(fr *o, const fr *a, const fr *b) { mod_sub(o, a, b, &MR); }

/* a^e for e given as 8 little-endian u32 words, 4-bit fixed windows. `one` is R mod m (Montgomery 1). */
NOINLINE void mod_pow(limbs *o, const limbs *a, const u32 *e, const limbs *one, const modulus *M) {
  limbs table[16];
  table[0] = *one;
  for (int i = 1; i < 16; i++) mont_mul(&table[i], &table[i - 1], a, M);
  limbs acc = *one;
  for (int w = 63; w >= 0; w--) {
    for (int s = 0; s < 4; s++) mont_sqr(&acc, &acc, M);
    u32 digit = (e[w >> 3] >> ((w & 7) * 4)) & 15;
    if (digit) mont_mul(&acc, &acc, &table[digit], M);
  }
  *o = acc;
}

/* Constants computed once by prover_init (field.h's moduli are the only inputs). */
static fq Q_ONE;         /* R mod q */
static fq Q_FROM_FF;     /* 2^266 mod q: multiplies ffjavascript's Montgomery form (R = 2^256) into ours */
static fq Q_R2;          /* R^2 mod q: multiplies a plain value into Montgomery form */
static fr R_ONE, R_FROM_FF, R_R2;
static u32 Q_MINUS_2[8], R_MINUS_2[8];

INLINE void fq_inv(fq *o, const fq *a) { mod_pow(o, a, Q_MINUS_2, &Q_ONE, &MQ); }
INLINE void fr_inv(fr *o, const fr *a) { mod_pow(o, a, R_MINUS_2, &R_ONE, &MR); }

/* 2^k mod m as a plain integer below 2m, by doubling. */
static void power_of_two(limbs *o, int k, const modulus *M) {
  limbs x = {{1}};
  for (int i = 0; i < k; i++) mod_add(&x, &x, &x, M);
  *o = x;
}

/* m - 2 as u32 words, from the 29-bit limbs. */
static void minus_two(u32 *e, const modulus *M) {
  u64 acc = 0;
  int bits = 0, w = 0;
  for (int i = 0; i < NL && w < 8; i++) {
    acc |= (u64)M->m[i] << bits;
    bits += LB;
    while (bits >= 32 && w < 8) { e[w++] = (u32)acc; acc >>= 32; bits -= 32; }
  }
  if (w < 8) e[w++] = (u32)acc;
  while (w < 8) e[w++] = 0;
  e[0] -= 2; /* m is odd and m mod 2^32 >= 2 */
}

static void fields_init(void) {
  power_of_two(&Q_ONE, 261, &MQ);
  power_of_two(&Q_FROM_FF, 266, &MQ);
  power_of_two(&Q_R2, 522, &MQ);
  power_of_two(&R_ONE, 261, &MR);
  power_of_two(&R_FROM_FF, 266, &MR);
  power_of_two(&R_R2, 522, &MR);
  minus_two(Q_MINUS_2, &MQ);
  minus_two(R_MINUS_2, &MR);
}

/* 32 little-endian bytes (a value below 2^256) into 29-bit limbs, as a plain integer. */
INLINE void limbs_from_bytes(limbs *o, const uint8_t *b) {
  u64 acc = 0;
  int bits = 0, k = 0;
  for (int i = 0; i < 32; i++) {
    acc |= (u64)b[i] << bits;
    bits += 8;
    if (bits >= LB) { o->v[k++] = (u32)acc & LM; acc >>= LB; bits -= LB; }
  }
  o->v[k] = (u32)acc; /* k == 8: the last 24 bits */
}

/* A plain integer below 2^256 from limbs, as 32 little-endian bytes. */
INLINE void limbs_to_bytes(uint8_t *b, const limbs *a) {
  u64 acc = 0;
  int bits = 0, k = 0;
  for (int i = 0; i < 32; i++) {
    while (bits < 8 && k < NL) { acc |= (u64)a->v[k++] << bits; bits += LB; }
    b[i] = (uint8_t)acc;
    acc >>= 8;
    bits -= 8;
  }
}

/* Montgomery form -> canonical plain value -> bytes. */
INLINE void mod_to_bytes(uint8_t *b, const limbs *a, const modulus *M) {
  static const limbs one = {{1}};
  limbs x;
  mont_mul(&x, a, &one, M);
  mod_canonical(&x, &x, M);
  limbs_to_bytes(b, &x);
}
INLINE void fq_to_bytes(uint8_t *b, const fq *a) { mod_to_bytes(b, a, &MQ); }
INLINE void fr_to_bytes(uint8_t *b, const fr *a) { mod_to_bytes(b, a, &MR); }

/* F_q^2 (Karatsuba: 3 products). */
NOINLINE void fq2_mul(fq2 *o, const fq2 *a, const fq2 *b) {
  fq t0, t1, s0, s1, t2;
  fq_mul(&t0, &a->c0, &b->c0);
  fq_mul(&t1, &a->c1, &b->c1);
  fq_add(&s0, &a->c0, &a->c1);
  fq_add(&s1, &b->c0, &b->c1);
  fq_mul(&t2, &s0, &s1);
  fq_sub(&o->c0, &t0, &t1);
  fq_sub(&t2, &t2, &t0);
  fq_sub(&o->c1, &t2, &t1);
}
/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u */
NOINLINE void fq2_sqr(fq2 *o, const fq2 *a) {
  fq s, d, p;
  fq_add(&s, &a->c0, &a->c1);
  fq_sub(&d, &a->c0, &a->c1);
  fq_mul(&p, &a->c0, &a->c1);
  fq_mul(&o->c0, &s, &d);
  fq_add(&o->c1, &p, &p);
}
INLINE void fq2_add(fq2 *o, const fq2 *a, const fq2 *b) { fq_add(&o->c0, &a->c0, &b->c0); fq_add(&o->c1, &a->c1, &b->c1); }
INLINE void fq2_sub(fq2 *o, const fq2 *a, const fq2 *b) { fq_sub(&o->c0, &a->c0, &b->c0); fq_sub(&o->c1, &a->c1, &b->c1); }
INLINE void fq2_neg(fq2 *o, const fq2 *a) { fq_neg(&o->c0, &a->c0); fq_neg(&o->c1, &a->c1); }
INLINE int fq2_is_zero(const fq2 *a) { return fq_is_zero(&a->c0) && fq_is_zero(&a->c1); }
INLINE int fq2_eq(const fq2 *a, const fq2 *b) { return fq_eq(&a->c0, &b->c0) && fq_eq(&a->c1, &b->c1); }
/* N(a) = a0^2 + a1^2 = a * conj(a) */
INLINE void fq2_norm(fq *n, const fq2 *a) {
  fq t;
  fq_sqr(n, &a->c0);
  fq_sqr(&t, &a->c1);
  fq_add(n, n, &t);
}
/* u / d = u * conj(d) * (1 / N(d)), given 1 / N(d) */
INLINE void fq2_div_by_norm(fq2 *o, const fq2 *u, const fq2 *d, const fq *norm_inv) {
  fq2 w;
  fq_mul(&w.c0, &d->c0, norm_inv);
  fq_mul(&w.c1, &d->c1, norm_inv);
  fq_neg(&w.c1, &w.c1);
  fq2_mul(o, u, &w);
}
/* 1 / (a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2) */
NOINLINE void fq2_inv(fq2 *o, const fq2 *a) {
  fq n, t;
  fq_sqr(&n, &a->c0);
  fq_sqr(&t, &a->c1);
  fq_add(&n, &n, &t);
  fq_inv(&n, &n);
  fq_mul(&o->c0, &a->c0, &n);
  fq_mul(&t, &a->c1, &n);
  fq_neg(&o->c1, &t);
}
