pragma circom 2.1.0;

// LeanPoseidon(n): the same function as circomlib's Poseidon(n) (same constants, same rounds, same output,
// bit for bit; src/zk/zk.test.ts checks it against circomlib and src/crypto through
// circuits/test/lean_poseidon.circom), laid out so that snarkjs proves it faster.
//
// Why. snarkjs's Groth16 prover evaluates A.w and B.w term by term (C.w is computed as (A.w)(B.w), the
// C terms are never read) and the zkey stores every A and B term. With --O2, circomlib's Poseidon has its
// linear layers folded into the S-box inputs: each partial-round S-box reads a ~36-term combination three
// times (x*x, and x4*x), most of the credential query's A/B terms. Here:
//  - every S-box input x is a wire, so x*x, x2*x2 and x4*x read one term each;
//  - no wire holds an S-box output x^5: the last multiplication x4*x of a round is constrained equal to a
//    linear combination of the NEXT round's input wires (the round's linear layer, inverted). Those dense
//    combinations sit on the C side, which costs the prover nothing. The next inputs are still uniquely
//    determined (the linear layer is invertible), so the constraint system is equivalent to circomlib's;
//  - the same number of multiplications (3 per S-box) and as many wires per S-box (x, x2, x4 instead of x2,
//    x4, x5). The only extras: t - 1 constraints where the partial rounds hand their state
//    (dense combinations of ~60 wires) to the full rounds, and 2 constraints forcing a wire `one` to 1.
//    Round 0 keeps its S-box outputs as wires (the capacity element's S-box is a constant: one product
//    short of inverting the linear layer); its inputs are short combinations anyway.

include "../../node_modules/circomlib/circuits/poseidon.circom";

// Inverse of a t x t matrix over the field (Gauss-Jordan); asserts the matrix is invertible.
function leanPoseidonInverse(t, m) {
    var a[6][12];
    for (var i = 0; i < t; i++) {
        for (var j = 0; j < t; j++) {
            a[i][j] = m[i][j];
            a[i][t + j] = i == j ? 1 : 0;
        }
    }
    for (var c = 0; c < t; c++) {
        var p = c;
        while (p < t && a[p][c] == 0) p++;
        assert(p < t);
        for (var j = 0; j < 2 * t; j++) {
            var tmp = a[c][j];
            a[c][j] = a[p][j];
            a[p][j] = tmp;
        }
        var inv = 1 / a[c][c];
        for (var j = 0; j < 2 * t; j++) a[c][j] = a[c][j] * inv;
        for (var i = 0; i < t; i++) {
            if (i != c) {
                var f = a[i][c];
                for (var j = 0; j < 2 * t; j++) a[i][j] = a[i][j] - f * a[c][j];
            }
        }
    }
    var r[6][6];
    for (var i = 0; i < t; i++) for (var j = 0; j < t; j++) r[i][j] = a[i][t + j];
    return r;
}

// x4 = x^4 as x*x, x2*x2: 2 constraints, wires x and x2 on the B side. (x*x, x2*x, x3*x would leave x
// alone on the B side, one G2 point fewer per S-box, for one more constraint: faster only where the FFT
// domain has room for the extra rows, which neither circuit has; circuits/README.md.)
template LeanFourth() {
    signal input x;
    signal output x4;
    signal x2 <== x * x;
    x4 <== x2 * x2;
}

// One full round on input wires x[] (or short combinations): S-boxes, then the linear layer; outputs the
// next round's inputs as wires y[] = mix(x^5 + cAfter), i.e. y_i = sum_j MX[j][i] (x_j^5 + cAfter_j).
// The multiplication x4_j * x_j is constrained to equal (mix^-1 y)_j - cAfter_j.
template LeanFullRound(t, MX, cAfter) {
    signal input x[t];
    signal output y[t];
    signal x4[t];
    component pw[t];
    var T[6][6];
    for (var i = 0; i < t; i++) for (var j = 0; j < t; j++) T[i][j] = MX[j][i];
    var TI[6][6] = leanPoseidonInverse(t, T);
    for (var j = 0; j < t; j++) {
        pw[j] = LeanFourth();
        pw[j].x <== x[j];
        x4[j] <== pw[j].x4;
    }
    for (var i = 0; i < t; i++) {
        var v = 0;
        for (var j = 0; j < t; j++) v += MX[j][i] * (x4[j] * x[j] + cAfter[j]);
        y[i] <-- v;
    }
    for (var j = 0; j < t; j++) {
        var lc = 0;
        for (var i = 0; i < t; i++) lc += TI[j][i] * y[i];
        x4[j] * x[j] === lc - cAfter[j];
    }
}

template LeanPoseidon(nInputs) {
    signal input inputs[nInputs];
    signal output out;

    // Round numbers and constants exactly as circomlib's PoseidonEx(nInputs, 1) with initialState 0.
    var N_ROUNDS_P[16] = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];
    var t = nInputs + 1;
    assert(t >= 2 && t <= 6);
    var nRoundsF = 8;
    var half = nRoundsF \ 2;
    var nRoundsP = N_ROUNDS_P[t - 2];
    var C[t * nRoundsF + nRoundsP] = POSEIDON_C(t);
    var S[N_ROUNDS_P[t - 2] * (t * 2 - 1)] = POSEIDON_S(t);
    var M[t][t] = POSEIDON_M(t);
    var P[t][t] = POSEIDON_P(t);
    var cAfter[6];

    // one = 1, non-linearly (one * one = one and one * inv = 1), so that --O2 keeps `z * one === lc`
    // below as a constraint instead of substituting lc for z everywhere.
    signal one;
    signal inv;
    one <-- 1;
    inv <-- 1;
    one * one === one;
    one * inv === 1;

    // Round 0: the inputs (plus constants) are short combinations; the capacity element's S-box is a
    // constant. Its outputs stay wires o[] (no inverse trick: one product short).
    signal o[nInputs];
    component f0[nInputs];
    var c0 = C[0];
    var ov[6];
    ov[0] = c0 * c0 * c0 * c0 * c0;
    for (var j = 1; j < t; j++) {
        var x = inputs[j - 1] + C[j];
        f0[j - 1] = LeanFourth();
        f0[j - 1].x <== x;
        o[j - 1] <== f0[j - 1].x4 * x;
        ov[j] = o[j - 1];
    }

    // Rounds 1..half-1 of the first half: round 1's inputs are mix(o + C) (short combinations), later
    // rounds' inputs are the previous round's y wires. The last one mixes with P (circomlib's sparse form).
    component full[nRoundsF - 1];
    for (var r = 1; r < half; r++) {
        for (var j = 0; j < t; j++) cAfter[j] = C[(r + 1) * t + j];
        if (r == half - 1) {
            full[r - 1] = LeanFullRound(t, P, cAfter);
        } else {
            full[r - 1] = LeanFullRound(t, M, cAfter);
        }
        for (var j = 0; j < t; j++) {
            if (r == 1) {
                var lc = 0;
                for (var k = 0; k < t; k++) lc += M[k][j] * (ov[k] + C[t + k]);
                full[r - 1].x[j] <== lc;
            } else {
                full[r - 1].x[j] <== full[r - 2].y[j];
            }
        }
    }

    // Partial rounds: one S-box on state[0]. Its input is always a wire px[r]; the product px4 * x is
    // constrained against the next S-box input: S0 * (x^5 + c) = px[r + 1] - sum_{i>0} S_i state[i].
    // state[1..] stay linear combinations (C side only).
    var state[6];
    for (var i = 0; i < t; i++) state[i] = full[half - 2].y[i];
    signal px[nRoundsP + 1];
    signal px4[nRoundsP];
    component ppw[nRoundsP];
    px[0] <== state[0];
    for (var r = 0; r < nRoundsP; r++) {
        var base = (t * 2 - 1) * r;
        var s0coef = S[base];
        assert(s0coef != 0);
        var c = C[(half + 1) * t + r];
        ppw[r] = LeanFourth();
        ppw[r].x <== px[r];
        px4[r] <== ppw[r].x4;
        var rest = 0;
        for (var i = 1; i < t; i++) rest += S[base + i] * state[i];
        px[r + 1] <-- s0coef * (px4[r] * px[r] + c) + rest;
        (s0coef * px4[r]) * px[r] === px[r + 1] - rest - s0coef * c;
        // s0 = x^5 + c, written in wires.
        var s0 = (px[r + 1] - rest) * (1 / s0coef);
        for (var i = 1; i < t; i++) state[i] = state[i] + s0 * S[base + t + i - 1];
        state[0] = px[r + 1];
    }

    // Hand-over: state[1..] are dense combinations; make them wires with z * one = lc (lc on C).
    signal z[t];
    z[0] <== px[nRoundsP];
    for (var i = 1; i < t; i++) {
        z[i] <-- state[i];
        z[i] * one === state[i];
    }

    // Second half: full rounds on wires; the last one has no constants and only y[0] = out is used.
    for (var r = 0; r < half; r++) {
        for (var j = 0; j < t; j++) {
            if (r < half - 1) {
                cAfter[j] = C[(half + 1) * t + nRoundsP + r * t + j];
            } else {
                cAfter[j] = 0;
            }
        }
        var k = half - 1 + r;
        full[k] = LeanFullRound(t, M, cAfter);
        for (var j = 0; j < t; j++) {
            if (r == 0) {
                full[k].x[j] <== z[j];
            } else {
                full[k].x[j] <== full[k - 1].y[j];
            }
        }
    }
    out <== full[nRoundsF - 2].y[0];
}
