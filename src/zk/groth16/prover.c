/*
 * The Groth16 prover's arithmetic, compiled to WebAssembly by scripts/build-groth16-wasm.ts (clang, no libc):
 * multi-scalar multiplications in G1 and G2, the QAP evaluation and its FFTs over F_r. src/zk/groth16/wasm.ts
 * drives it; memory is managed here (a bump allocator with marks) and read and written by the host.
 */
#include "fields.h"

/* ---- memory ---- */

extern unsigned char __heap_base;
static u32 heap_top;

static void *heap_alloc(u32 size) {
  if (!heap_top) heap_top = (u32)(uintptr_t)&__heap_base;
  u32 p = (heap_top + 15) & ~15u;
  u32 end = p + size;
  u32 have = (u32)__builtin_wasm_memory_size(0) * 65536u;
  if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (__SIZE_TYPE__)-1) __builtin_trap();
  heap_top = end;
  return (void *)(uintptr_t)p;
}
static u32 heap_mark(void) { if (!heap_top) heap_top = (u32)(uintptr_t)&__heap_base; return heap_top; }
static void heap_release(u32 mark) { heap_top = mark; }

EXPORT(alloc) u32 wasm_alloc(u32 size) { return (u32)(uintptr_t)heap_alloc(size); }
EXPORT(mark) u32 wasm_mark(void) { return heap_mark(); }
EXPORT(release) void wasm_release(u32 mark) { heap_release(mark); }

/*
 * Window size for m points: the c minimising windows * (m affine additions of ~6 products + 2^(c-1) buckets
 * summed at ~27 products each), for full-size scalars.
 */
static u32 msm_window_bits(u32 m) {
  u32 best = 4;
  u64 best_cost = ~(u64)0;
  for (u32 c = 4; c <= 16; c++) {
    u64 cost = (u64)((255 + c - 1) / c) * ((u64)m * 13 + ((u64)1 << (c - 1)) * 54);
    if (cost < best_cost) { best_cost = cost; best = c; }
  }
  return best;
}

/* ---- coordinates in snarkjs's encodings ---- */

INLINE int bytes_are_zero(const uint8_t *b, u32 n) {
  uint8_t z = 0;
  for (u32 i = 0; i < n; i++) z |= b[i];
  return z == 0;
}

/* An F_q element in ffjavascript's Montgomery form (32 bytes LE, R = 2^256) into ours. */
INLINE void fq_from_ff(fq *o, const uint8_t *b) {
  fq x;
  limbs_from_bytes(&x, b);
  fq_mul(o, &x, &Q_FROM_FF);
}
/* A plain value (32 bytes LE) into Montgomery form. */
INLINE void fq_from_plain(fq *o, const uint8_t *b) {
  fq x;
  limbs_from_bytes(&x, b);
  fq_mul(o, &x, &Q_R2);
}
/* F_q^2 elements as c0 then c1. */
INLINE void fq2_from_ff(fq2 *o, const uint8_t *b) { fq_from_ff(&o->c0, b); fq_from_ff(&o->c1, b + 32); }
INLINE void fq2_from_plain(fq2 *o, const uint8_t *b) { fq_from_plain(&o->c0, b); fq_from_plain(&o->c1, b + 32); }
INLINE void fq2_to_bytes(uint8_t *b, const fq2 *a) { fq_to_bytes(b, &a->c0); fq_to_bytes(b + 32, &a->c1); }

/* ---- G1 over F_q, G2 over F_q^2 ---- */

static fq2 FQ2_ONE;

#define G g1
#define F fq
#define F_ONE Q_ONE
#define F_mul fq_mul
#define F_sqr fq_sqr
#define F_add fq_add
#define F_sub fq_sub
#define F_neg fq_neg
#define F_is_zero fq_is_zero
#define F_eq fq_eq
#define F_inv fq_inv
#define F_BYTES 32
#define F_from_ff fq_from_ff
#define F_from_plain fq_from_plain
#define F_to_bytes fq_to_bytes
#define F_norm(n, d) (*(n) = *(d))
#define F_div_by_norm(o, u, d, ninv) fq_mul(o, u, ninv)
#include "curve.h"
#undef G
#undef F
#undef F_ONE
#undef F_mul
#undef F_sqr
#undef F_add
#undef F_sub
#undef F_neg
#undef F_is_zero
#undef F_eq
#undef F_inv
#undef F_norm
#undef F_div_by_norm
#undef F_BYTES
#undef F_from_ff
#undef F_from_plain
#undef F_to_bytes

#define G g2
#define F fq2
#define F_ONE FQ2_ONE
#define F_mul fq2_mul
#define F_sqr fq2_sqr
#define F_add fq2_add
#define F_sub fq2_sub
#define F_neg fq2_neg
#define F_is_zero fq2_is_zero
#define F_eq fq2_eq
#define F_inv fq2_inv
#define F_BYTES 64
#define F_from_ff fq2_from_ff
#define F_from_plain fq2_from_plain
#define F_to_bytes fq2_to_bytes
#define F_norm fq2_norm
#define F_div_by_norm fq2_div_by_norm
#include "curve.h"

EXPORT(init) void prover_init(void) {
  fields_init();
  FQ2_ONE.c0 = Q_ONE;
  FQ2_ONE.c1 = (fq){{0}};
}

EXPORT(g1_size) u32 g1_size(void) { return sizeof(g1_affine); }
EXPORT(g2_size) u32 g2_size(void) { return sizeof(g2_affine); }

/* ---- the QAP: H's scalars ---- */

/* One term of A or B: matrix[constraint] += coefficient * witness[signal]. */
typedef struct { u32 matrix, constraint, signal; fr coef; } qap_term;

/*
 * The zkey's coefficient section (a u32 count, then per term three u32 and a coefficient that snarkjs stores
 * multiplied by its R^2 = 2^512) into terms with coefficients in our Montgomery form: c * 2^512 * 2^10 / R =
 * c * 2^261. Returns the number of terms; `dst` holds as many qap_term.
 */
EXPORT(qap_load) u32 qap_load(qap_term *dst, const uint8_t *src) {
  static const fr k = {{1024}};
  u32 n = *(const u32 *)src;
  src += 4;
  for (u32 i = 0; i < n; i++, src += 44) {
    const u32 *h = (const u32 *)src;
    dst[i].matrix = h[0];
    dst[i].constraint = h[1];
    dst[i].signal = h[2];
    fr c;
    limbs_from_bytes(&c, src + 12);
    fr_mul(&dst[i].coef, &c, &k);
  }
  return n;
}
EXPORT(qap_term_size) u32 qap_term_size(void) { return sizeof(qap_term); }

/* A domain of 2^log_n points: twiddles for the FFT and its inverse, and shift^i / n for the coset. */
typedef struct { u32 log_n; fr *tw; fr *itw; fr *coset; } domain;

/* omega: a primitive 2^log_n-th root of unity; shift: a square root of omega (snarkjs's coset), both plain LE. */
EXPORT(domain_new) domain *domain_new(u32 log_n, const uint8_t *omega_bytes, const uint8_t *shift_bytes) {
  u32 n = 1u << log_n;
  domain *d = (domain *)heap_alloc(sizeof(domain));
  d->log_n = log_n;
  d->tw = (fr *)heap_alloc((n / 2) * sizeof(fr));
  d->itw = (fr *)heap_alloc((n / 2) * sizeof(fr));
  d->coset = (fr *)heap_alloc(n * sizeof(fr));
  fr omega, iomega, shift, ninv, t;
  limbs_from_bytes(&t, omega_bytes);
  fr_mul(&omega, &t, &R_R2);
  limbs_from_bytes(&t, shift_bytes);
  fr_mul(&shift, &t, &R_R2);
  fr_inv(&iomega, &omega);
  fr nn = {{n}};
  fr_mul(&t, &nn, &R_R2);
  fr_inv(&ninv, &t);
  d->tw[0] = R_ONE;
  d->itw[0] = R_ONE;
  for (u32 i = 1; i < n / 2; i++) {
    fr_mul(&d->tw[i], &d->tw[i - 1], &omega);
    fr_mul(&d->itw[i], &d->itw[i - 1], &iomega);
  }
  d->coset[0] = ninv;
  for (u32 i = 1; i < n; i++) fr_mul(&d->coset[i], &d->coset[i - 1], &shift);
  return d;
}

static u32 bit_reverse(u32 x, u32 bits) {
  u32 r = 0;
  for (u32 i = 0; i < bits; i++) { r = (r << 1) | (x & 1); x >>= 1; }
  return r;
}

/* In place, natural order in and out: a[i] <- sum_j a[j] w^(ij), w^k = tw[k] for k < n/2. */
static void fft(fr *a, u32 log_n, const fr *tw) {
  u32 n = 1u << log_n;
  for (u32 i = 0; i < n; i++) {
    u32 j = bit_reverse(i, log_n);
    if (i < j) { fr t = a[i]; a[i] = a[j]; a[j] = t; }
  }
  for (u32 half = 1; half < n; half <<= 1) {
    u32 step = n / (2 * half);
    for (u32 i = 0; i < n; i += 2 * half) {
      for (u32 j = 0; j < half; j++) {
        fr *x = &a[i + j], *y = &a[i + j + half];
        fr t, u = *x;
        if (j) fr_mul(&t, y, &tw[j * step]); else t = *y;
        fr_add(x, &u, &t);
        fr_sub(y, &u, &t);
      }
    }
  }
}

/* Evaluations on the domain -> evaluations on the coset shift * domain. */
static void to_coset(fr *a, const domain *d) {
  fft(a, d->log_n, d->itw);
  for (u32 i = 0; i < (1u << d->log_n); i++) fr_mul(&a[i], &a[i], &d->coset[i]);
  fft(a, d->log_n, d->tw);
}

/*
 * H's scalars, as snarkjs's prover computes them: A.w and B.w per constraint, C = A.w * B.w, each moved to the
 * coset, then A * B - C there, written as plain 32-byte LE values (2^log_n of them) to `out`.
 */
EXPORT(qap_h) void qap_h(uint8_t *out, const domain *d, const qap_term *terms, u32 nterms, const uint8_t *witness, u32 nvars) {
  u32 mark = heap_mark();
  u32 n = 1u << d->log_n;
  fr *w = (fr *)heap_alloc(nvars * sizeof(fr));
  fr *ab[2];
  ab[0] = (fr *)heap_alloc(n * sizeof(fr));
  ab[1] = (fr *)heap_alloc(n * sizeof(fr));
  fr *c = (fr *)heap_alloc(n * sizeof(fr));
  for (u32 i = 0; i < nvars; i++) {
    fr t;
    limbs_from_bytes(&t, witness + 32 * i);
    fr_mul(&w[i], &t, &R_R2);
  }
  for (u32 i = 0; i < n; i++) { ab[0][i] = (fr){{0}}; ab[1][i] = (fr){{0}}; }
  for (u32 i = 0; i < nterms; i++) {
    const qap_term *t = &terms[i];
    fr p;
    fr_mul(&p, &t->coef, &w[t->signal]);
    fr *x = &ab[t->matrix][t->constraint];
    fr_add(x, x, &p);
  }
  for (u32 i = 0; i < n; i++) fr_mul(&c[i], &ab[0][i], &ab[1][i]);
  to_coset(ab[0], d);
  to_coset(ab[1], d);
  to_coset(c, d);
  for (u32 i = 0; i < n; i++) {
    fr p;
    fr_mul(&p, &ab[0][i], &ab[1][i]);
    fr_sub(&p, &p, &c[i]);
    fr_to_bytes(out + 32 * i, &p);
  }
  heap_release(mark);
}
