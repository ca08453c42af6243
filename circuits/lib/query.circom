pragma circom 2.1.0;

// The request's condition on one claim slot. Operators (src/zk/types.ts mirrors these numbers):
//   0 NOOP, 1 EQUAL, 2 LESS THAN, 3 GREATER THAN, 4 IN, 5 NOT IN, 6 NOT EQUAL, 7 LESS OR EQUAL,
//   8 GREATER OR EQUAL, 9 IN RANGE [values[0], values[1]], 10 NOT IN RANGE, 11 SELECTIVE DISCLOSURE.
// Orderings compare integers below 2^252 (circomlib LessThan(252) is only sound there). The slot value is
// private and range-checked here: a value out of that range has no proof under an ordering (refused), never
// a wrong answer. The bounds are public inputs, so their range is the verifier's check, made once when the
// request is created (ZkQueryVerifier.createRequest, src/zk checkQuery) instead of in every proof: 504
// constraints, which is what keeps this circuit inside the 2^14 FFT domain. Equality and set membership work on the whole field. Unused entries of values[] must repeat
// a member of the set (the prover library pads with values[0]) since padding with 0 would add 0 to it.

include "../../node_modules/circomlib/circuits/comparators.circom";
include "../../node_modules/circomlib/circuits/bitify.circom";

template QueryOperator(N) {
    var OPS = 12;
    signal input value;
    signal input operator;
    signal input values[N];
    signal output revealed;

    // One-hot operator; the sum constraint also refuses unknown operator numbers.
    signal op[OPS];
    var sum = 0;
    var weighted = 0;
    for (var k = 0; k < OPS; k++) {
        op[k] <-- operator == k ? 1 : 0;
        op[k] * (op[k] - 1) === 0;
        sum += op[k];
        weighted += k * op[k];
    }
    sum === 1;
    operator === weighted;

    // Orderings. Two comparators cover all six: lt = value < values[0], gt = x < value, where x is
    // values[0] (GT, LTE) or values[1] (the range operators). Operands are zeroed for other operators so
    // that huge values (hashes, say) still pass the range check under EQUAL, IN or disclosure.
    signal isCmp <== op[2] + op[3] + op[7] + op[8] + op[9] + op[10];
    signal isRange <== op[9] + op[10];
    signal x <== values[0] + isRange * (values[1] - values[0]);
    signal vc <== value * isCmp;
    signal ac <== values[0] * isCmp;
    signal xc <== x * isCmp;
    component rv = Num2Bits(252);
    rv.in <== vc;
    component lt = LessThan(252);
    lt.in[0] <== vc;
    lt.in[1] <== ac;
    component gt = LessThan(252);
    gt.in[0] <== xc;
    gt.in[1] <== vc;

    // Set membership: count of matching entries (at most N, so IsZero on it is exact).
    component eq[N];
    var count = 0;
    for (var i = 0; i < N; i++) {
        eq[i] = IsEqual();
        eq[i].in[0] <== value;
        eq[i].in[1] <== values[i];
        count += eq[i].out;
    }
    component none = IsZero();
    none.in <== count;
    signal inRange <== (1 - lt.out) * (1 - gt.out);

    signal res[OPS];
    res[0] <== op[0];
    res[1] <== op[1] * eq[0].out;
    res[2] <== op[2] * lt.out;
    res[3] <== op[3] * gt.out;
    res[4] <== op[4] * (1 - none.out);
    res[5] <== op[5] * none.out;
    res[6] <== op[6] * (1 - eq[0].out);
    res[7] <== op[7] * (1 - gt.out);
    res[8] <== op[8] * (1 - lt.out);
    res[9] <== op[9] * inRange;
    res[10] <== op[10] * (1 - inRange);
    res[11] <== op[11];
    var ok = 0;
    for (var k = 0; k < OPS; k++) ok += res[k];
    ok === 1;

    revealed <== op[11] * value;
}
