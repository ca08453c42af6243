/*
 * One curve's points and multi-scalar multiplication, included once per group with:
 *   G        the prefix (g1, g2);  F  the coordinate field type (fq, fq2);  F_* its operations, with
 *   F_norm(fq *n, const F *d)  a value whose inverse gives d's (d itself in F_q, N(d) in F_q^2), and
 *   F_div_by_norm(F *o, const F *u, const F *d, const fq *norm_inv)  o = u / d given 1 / F_norm(d),
 *   F_BYTES, F_from_ff, F_from_plain, F_to_bytes  a coordinate's size in snarkjs's encodings and its conversions.
 * Both groups are y^2 = x^3 + b with a = 0, so no formula here reads b.
 *
 * Affine points are (x, y); the point at infinity sets INF_BIT in the top limb of y's first coordinate (limbs
 * never use bits 29-31). Jacobian points (X, Y, Z) are x = X/Z^2, y = Y/Z^3, infinity when Z = 0.
 */
#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define FN(name) CAT(G, name)
#define AFF FN(affine)
#define JAC FN(jacobian)

typedef struct { F x, y; } AFF;
typedef struct { F x, y, z; } JAC;

#define INF_BIT 0x80000000u
#define AFF_INF_WORD(p) (((u32 *)&(p)->y)[NL - 1])

INLINE int FN(aff_is_inf)(const AFF *p) { return (AFF_INF_WORD(p) & INF_BIT) != 0; }
INLINE void FN(aff_set_inf)(AFF *p) { *p = (AFF){0}; AFF_INF_WORD(p) = INF_BIT; }
INLINE int FN(jac_is_inf)(const JAC *p) { return F_is_zero(&p->z); }
INLINE void FN(jac_set_inf)(JAC *p) { *p = (JAC){0}; }
INLINE void FN(jac_from_aff)(JAC *o, const AFF *p) {
  if (FN(aff_is_inf)(p)) { FN(jac_set_inf)(o); return; }
  o->x = p->x; o->y = p->y; o->z = F_ONE;
}

/* dbl-2009-l: 2M + 5S */
NOINLINE void FN(jac_double)(JAC *o, const JAC *p) {
  if (FN(jac_is_inf)(p)) { *o = *p; return; }
  F a, b, c, d, e, f, t;
  F_sqr(&a, &p->x);
  F_sqr(&b, &p->y);
  F_sqr(&c, &b);
  F_add(&t, &p->x, &b);
  F_sqr(&t, &t);
  F_sub(&t, &t, &a);
  F_sub(&t, &t, &c);
  F_add(&d, &t, &t);
  F_add(&e, &a, &a);
  F_add(&e, &e, &a);
  F_sqr(&f, &e);
  F z3;
  F_mul(&z3, &p->y, &p->z);
  F_add(&o->z, &z3, &z3);
  F_sub(&t, &f, &d);
  F_sub(&o->x, &t, &d);
  F_sub(&t, &d, &o->x);
  F_mul(&t, &e, &t);
  F_add(&c, &c, &c);
  F_add(&c, &c, &c);
  F_add(&c, &c, &c);
  F_sub(&o->y, &t, &c);
}

/* The common end of both additions: X3 = r^2 - J - 2V, Y3 = r (V - X3) - 2 S1 J, Z3 given. */
INLINE void FN(add_finish)(JAC *o, const F *r, const F *j, const F *v, const F *s1, const F *z3) {
  F x3, y3, t;
  F_sqr(&x3, r);
  F_sub(&x3, &x3, j);
  F_sub(&x3, &x3, v);
  F_sub(&x3, &x3, v);
  F_sub(&t, v, &x3);
  F_mul(&y3, r, &t);
  F_mul(&t, s1, j);
  F_add(&t, &t, &t);
  F_sub(&y3, &y3, &t);
  o->x = x3; o->y = y3; o->z = *z3;
}

/* madd-2007-bl: p + q with q affine, 7M + 4S; o may alias p. */
NOINLINE void FN(jac_add_aff)(JAC *o, const JAC *p, const AFF *q) {
  if (FN(aff_is_inf)(q)) { *o = *p; return; }
  if (FN(jac_is_inf)(p)) { FN(jac_from_aff)(o, q); return; }
  F z1z1, u2, s2, h, hh, i, j, r, v;
  F_sqr(&z1z1, &p->z);
  F_mul(&u2, &q->x, &z1z1);
  F_mul(&s2, &q->y, &p->z);
  F_mul(&s2, &s2, &z1z1);
  F_sub(&h, &u2, &p->x);
  F_sub(&r, &s2, &p->y);
  if (F_is_zero(&h)) {
    if (F_is_zero(&r)) { FN(jac_double)(o, p); return; }
    FN(jac_set_inf)(o);
    return;
  }
  F_sqr(&hh, &h);
  F_add(&i, &hh, &hh);
  F_add(&i, &i, &i);
  F_mul(&j, &h, &i);
  F_add(&r, &r, &r);
  F_mul(&v, &p->x, &i);
  F z3;
  F_add(&z3, &p->z, &h);
  F_sqr(&z3, &z3);
  F_sub(&z3, &z3, &z1z1);
  F_sub(&z3, &z3, &hh);
  FN(add_finish)(o, &r, &j, &v, &p->y, &z3);
}

/* add-2007-bl: 11M + 5S; o may alias p or q. */
NOINLINE void FN(jac_add)(JAC *o, const JAC *p, const JAC *q) {
  if (FN(jac_is_inf)(q)) { *o = *p; return; }
  if (FN(jac_is_inf)(p)) { *o = *q; return; }
  F z1z1, z2z2, u1, u2, s1, s2, h, i, j, r, v;
  F_sqr(&z1z1, &p->z);
  F_sqr(&z2z2, &q->z);
  F_mul(&u1, &p->x, &z2z2);
  F_mul(&u2, &q->x, &z1z1);
  F_mul(&s1, &p->y, &q->z);
  F_mul(&s1, &s1, &z2z2);
  F_mul(&s2, &q->y, &p->z);
  F_mul(&s2, &s2, &z1z1);
  F_sub(&h, &u2, &u1);
  F_sub(&r, &s2, &s1);
  if (F_is_zero(&h)) {
    if (F_is_zero(&r)) { FN(jac_double)(o, p); return; }
    FN(jac_set_inf)(o);
    return;
  }
  F_add(&i, &h, &h);
  F_sqr(&i, &i);
  F_mul(&j, &h, &i);
  F_add(&r, &r, &r);
  F_mul(&v, &u1, &i);
  F z3;
  F_add(&z3, &p->z, &q->z);
  F_sqr(&z3, &z3);
  F_sub(&z3, &z3, &z1z1);
  F_sub(&z3, &z3, &z2z2);
  F_mul(&z3, &z3, &h);
  FN(add_finish)(o, &r, &j, &v, &s1, &z3);
}

NOINLINE void FN(jac_to_aff)(AFF *o, const JAC *p) {
  if (FN(jac_is_inf)(p)) { FN(aff_set_inf)(o); return; }
  F zi, zi2, zi3;
  F_inv(&zi, &p->z);
  F_sqr(&zi2, &zi);
  F_mul(&zi3, &zi2, &zi);
  F_mul(&o->x, &p->x, &zi2);
  F_mul(&o->y, &p->y, &zi3);
}

/* p0 + p1 when the batched formula does not apply: an operand at infinity, or equal x coordinates. */
NOINLINE void FN(aff_add_special)(AFF *o, const AFF *p0, const AFF *p1) {
  if (FN(aff_is_inf)(p0)) { *o = *p1; return; }
  if (FN(aff_is_inf)(p1)) { *o = *p0; return; }
  if (!F_eq(&p0->y, &p1->y)) { FN(aff_set_inf)(o); return; } /* p1 = -p0 */
  JAC j, d;
  FN(jac_from_aff)(&j, p0);
  FN(jac_double)(&d, &j);
  FN(jac_to_aff)(o, &d);
}

/*
 * Sums each bucket's points in place. Bucket b holds len[b] affine points from tmp[start[b]]; every round adds
 * the points pairwise (tmp[s + 2j] + tmp[s + 2j + 1] -> tmp[s + j]) with one inversion for the whole round
 * (Montgomery's trick), until every bucket holds one point. An affine addition then costs about 6 products where
 * a mixed Jacobian one costs 11. The trick runs in F_q on the differences' norms (F_norm: the difference itself
 * in G1, c0^2 + c1^2 in G2, whose inverse gives the difference's as conj(d) / N(d)): in G2 that is 3 products per
 * pair in F_q instead of 3 in F_q^2. `diff` holds one F per pair, `norm` and `prefix` one F_q, `special` a byte.
 */
static void FN(sum_buckets)(AFF *tmp, const u32 *start, u32 *len, u32 nb, F *diff, fq *norm, fq *prefix, uint8_t *special) {
  for (;;) {
    u32 k = 0;
    for (u32 b = 0; b < nb; b++) {
      u32 l = len[b];
      if (l < 2) continue;
      AFF *s = tmp + start[b];
      for (u32 j = 0; j < l / 2; j++) {
        const AFF *p0 = s + 2 * j, *p1 = s + 2 * j + 1;
        uint8_t sp = FN(aff_is_inf)(p0) || FN(aff_is_inf)(p1);
        if (!sp) {
          F_sub(&diff[k], &p1->x, &p0->x);
          sp = F_is_zero(&diff[k]);
        }
        if (sp) { diff[k] = F_ONE; norm[k] = Q_ONE; } else F_norm(&norm[k], &diff[k]);
        special[k] = sp;
        if (k == 0) prefix[0] = norm[0];
        else fq_mul(&prefix[k], &prefix[k - 1], &norm[k]);
        k++;
      }
    }
    if (k == 0) return;
    /* norm[j] <- 1 / norm[j] */
    fq inv, t;
    fq_inv(&inv, &prefix[k - 1]);
    for (u32 j = k - 1; j > 0; j--) {
      fq_mul(&t, &inv, &prefix[j - 1]);
      fq_mul(&inv, &inv, &norm[j]);
      norm[j] = t;
    }
    norm[0] = inv;
    k = 0;
    for (u32 b = 0; b < nb; b++) {
      u32 l = len[b];
      if (l < 2) continue;
      AFF *s = tmp + start[b];
      for (u32 j = 0; j < l / 2; j++, k++) {
        const AFF *p0 = s + 2 * j, *p1 = s + 2 * j + 1;
        AFF r;
        if (special[k]) {
          FN(aff_add_special)(&r, p0, p1);
        } else {
          F lambda, u;
          F_sub(&u, &p1->y, &p0->y);
          F_div_by_norm(&lambda, &u, &diff[k], &norm[k]);
          F_sqr(&r.x, &lambda);
          F_sub(&r.x, &r.x, &p0->x);
          F_sub(&r.x, &r.x, &p1->x);
          F_sub(&u, &p0->x, &r.x);
          F_mul(&r.y, &lambda, &u);
          F_sub(&r.y, &r.y, &p0->y);
        }
        s[j] = r;
      }
      if (l & 1) s[l / 2] = s[l - 1];
      len[b] = (l + 1) / 2;
    }
  }
}

/* Bits [bit, bit + c) of a 256-bit little-endian scalar (c <= 16; bits past 255 read as 0). */
INLINE u32 FN(scalar_bits)(const u32 *s, u32 bit, u32 c) {
  u32 w = bit >> 5, sh = bit & 31;
  u64 v = s[w];
  if (w + 1 < 8) v |= (u64)s[w + 1] << 32;
  return (u32)(v >> sh) & ((1u << c) - 1);
}

/*
 * sum_i scalars[i] * bases[i] (Pippenger): windows of c bits as signed digits in (-2^(c-1), 2^(c-1)], so 2^(c-1)
 * buckets per window; each window's buckets filled by a counting sort and summed by sum_buckets, then
 * sum_b (b + 1) * bucket[b] by running sums. Scalars are 32-byte little-endian values below 2^254, `stride` bytes
 * apart. Points at infinity and zero scalars cost nothing.
 */
NOINLINE void FN(msm)(JAC *out, const AFF *bases, const uint8_t *scalars, u32 stride, u32 n, u32 c) {
  u32 mark = heap_mark();
  /* The points that contribute. */
  u32 *idx = (u32 *)heap_alloc(n * 4);
  u32 m = 0;
  for (u32 i = 0; i < n; i++) {
    if (FN(aff_is_inf)(&bases[i])) continue;
    const u32 *s = (const u32 *)(scalars + (u64)i * stride);
    if ((s[0] | s[1] | s[2] | s[3] | s[4] | s[5] | s[6] | s[7]) == 0) continue;
    idx[m++] = i;
  }
  if (c == 0) c = msm_window_bits(m);
  u32 windows = (255 + c - 1) / c;
  u32 nb = 1u << (c - 1);
  uint8_t *carry = (uint8_t *)heap_alloc(m);
  int16_t *digit = (int16_t *)heap_alloc(m * 2);
  u32 *start = (u32 *)heap_alloc(nb * 4);
  u32 *len = (u32 *)heap_alloc(nb * 4);
  u32 *fill = (u32 *)heap_alloc(nb * 4);
  AFF *tmp = (AFF *)heap_alloc(m * sizeof(AFF) + sizeof(AFF));
  F *diff = (F *)heap_alloc((m / 2 + 1) * sizeof(F));
  fq *norm = (fq *)heap_alloc((m / 2 + 1) * sizeof(fq));
  fq *prefix = (fq *)heap_alloc((m / 2 + 1) * sizeof(fq));
  uint8_t *special = (uint8_t *)heap_alloc(m / 2 + 1);
  JAC *window_sum = (JAC *)heap_alloc(windows * sizeof(JAC));
  for (u32 i = 0; i < m; i++) carry[i] = 0;

  for (u32 w = 0; w < windows; w++) {
    for (u32 b = 0; b < nb; b++) len[b] = 0;
    for (u32 k = 0; k < m; k++) {
      const u32 *s = (const u32 *)(scalars + (u64)idx[k] * stride);
      i32 d = (i32)FN(scalar_bits)(s, w * c, c) + carry[k];
      carry[k] = d > (i32)nb;
      if (d > (i32)nb) d -= (i32)(nb << 1);
      digit[k] = (int16_t)d;
      if (d) len[(d < 0 ? -d : d) - 1]++;
    }
    u32 pos = 0;
    for (u32 b = 0; b < nb; b++) { start[b] = pos; fill[b] = pos; pos += len[b]; }
    for (u32 k = 0; k < m; k++) {
      i32 d = digit[k];
      if (!d) continue;
      AFF *t = &tmp[fill[(d < 0 ? -d : d) - 1]++];
      const AFF *p = &bases[idx[k]];
      t->x = p->x;
      if (d < 0) F_neg(&t->y, &p->y); else t->y = p->y;
    }
    FN(sum_buckets)(tmp, start, len, nb, diff, norm, prefix, special);
    JAC running, total;
    FN(jac_set_inf)(&running);
    FN(jac_set_inf)(&total);
    for (u32 b = nb; b-- > 0;) {
      if (len[b]) FN(jac_add_aff)(&running, &running, &tmp[start[b]]);
      FN(jac_add)(&total, &total, &running);
    }
    window_sum[w] = total;
  }
  JAC acc = window_sum[windows - 1];
  for (u32 w = windows - 1; w-- > 0;) {
    for (u32 i = 0; i < c; i++) FN(jac_double)(&acc, &acc);
    FN(jac_add)(&acc, &acc, &window_sum[w]);
  }
  *out = acc;
  heap_release(mark);
}

#define STR2(x) #x
#define STR(x) STR2(x)
#define EXPORT_FN(name) __attribute__((export_name(STR(CAT(G, name)))))

/* n points from a zkey section (coordinates in ffjavascript's Montgomery form; all zero is infinity). */
EXPORT_FN(load) void FN(load)(AFF *o, const uint8_t *src, u32 n) {
  for (u32 i = 0; i < n; i++, src += 2 * F_BYTES) {
    if (bytes_are_zero(src, 2 * F_BYTES)) { FN(aff_set_inf)(&o[i]); continue; }
    F_from_ff(&o[i].x, src);
    F_from_ff(&o[i].y, src + F_BYTES);
  }
}

/* A result as plain affine coordinates (32 bytes LE per F_q element; all zero for infinity). */
static void FN(write_plain)(uint8_t *out, const JAC *p) {
  AFF a;
  FN(jac_to_aff)(&a, p);
  if (FN(aff_is_inf)(&a)) { for (u32 i = 0; i < 2 * F_BYTES; i++) out[i] = 0; return; }
  F_to_bytes(out, &a.x);
  F_to_bytes(out + F_BYTES, &a.y);
}

/* sum_i scalars[i] * bases[i] over loaded points, written as plain coordinates. */
EXPORT_FN(msm) void FN(msm_export)(uint8_t *out, const AFF *bases, const uint8_t *scalars, u32 stride, u32 n, u32 c) {
  JAC r;
  FN(msm)(&r, bases, scalars, stride, n, c);
  FN(write_plain)(out, &r);
}

/* The same for a few points given as plain coordinates (as written above): the proof's final combination. */
EXPORT_FN(msm_plain) void FN(msm_plain)(uint8_t *out, const uint8_t *points, const uint8_t *scalars, u32 n) {
  u32 mark = heap_mark();
  AFF *p = (AFF *)heap_alloc(n * sizeof(AFF));
  for (u32 i = 0; i < n; i++, points += 2 * F_BYTES) {
    if (bytes_are_zero(points, 2 * F_BYTES)) { FN(aff_set_inf)(&p[i]); continue; }
    F_from_plain(&p[i].x, points);
    F_from_plain(&p[i].y, points + F_BYTES);
  }
  FN(msm_export)(out, p, scalars, 32, n, 0);
  heap_release(mark);
}

#undef EXPORT_FN
#undef AFF
#undef JAC
#undef FN
