pragma circom 2.1.0;

// Test harness (src/zk/zk.test.ts): LeanPoseidon next to circomlib's Poseidon, for every arity the circuits
// use (t = 2..6) on the first n of the same inputs.

include "../lib/poseidon_lean.circom";

template LeanPoseidonCheck() {
    signal input in[5];
    signal output ref[5];
    signal output lean[5];
    component c[5];
    component l[5];
    for (var n = 1; n <= 5; n++) {
        c[n - 1] = Poseidon(n);
        l[n - 1] = LeanPoseidon(n);
        for (var i = 0; i < n; i++) {
            c[n - 1].inputs[i] <== in[i];
            l[n - 1].inputs[i] <== in[i];
        }
        ref[n - 1] <== c[n - 1].out;
        lean[n - 1] <== l[n - 1].out;
    }
}

component main = LeanPoseidonCheck();
