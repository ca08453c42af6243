pragma circom 2.1.0;

// Quinary, compressed Poseidon sparse Merkle tree verifier (docs/protocol.md, "Sparse Merkle tree").
// Node hashes: empty 0, leaf H(k, v, 1), middle H(c0..c4). Proofs come in the fixed-size form:
// siblings[l] = the 4 other children at level l (path position removed), zero groups padding to D levels.

include "poseidon_lean.circom";
include "../../node_modules/circomlib/circuits/comparators.circom";
include "../../node_modules/circomlib/circuits/bitify.circom";

// A key's first D base-5 digits, least significant first, as one-hot selectors sel[l][0..4].
// highBits >= 0 binds the digits to the key: key = sum d_l 5^l + 5^D q with q < 2^highBits. The right-hand
// side then stays below r, so the digits are the key's canonical ones; this is what makes a non-membership
// proof sound (with free digits the prover could walk an empty path of its choosing). The caller must
// guarantee key < 5^D 2^highBits, otherwise no witness exists.
// highBits < 0 leaves the digits unbound: only for membership, which the leaf hash H(k, v, 1) at the
// position the root commits to already pins (another path would need a Poseidon collision). It saves
// decomposing a 254-bit key.
template QuinaryPath(D, highBits) {
    signal input key;
    signal output sel[D][5];

    signal digit[D];
    var acc = 0;
    var pow = 1;
    for (var l = 0; l < D; l++) {
        var d = (key \ pow) % 5;
        var sum = 0;
        var weighted = 0;
        for (var j = 0; j < 5; j++) {
            sel[l][j] <-- d == j ? 1 : 0;
            sel[l][j] * (sel[l][j] - 1) === 0;
            sum += sel[l][j];
            weighted += j * sel[l][j];
        }
        // Exactly one selector set: the digit is in 0..4 without a separate range check.
        sum === 1;
        digit[l] <== weighted;
        acc += digit[l] * pow;
        pow *= 5;
    }
    if (highBits == 0) {
        key === acc;
    } else if (highBits > 0) {
        signal q;
        q <-- key \ pow;
        component qBits = Num2Bits(highBits);
        qBits.in <== q;
        key === acc + q * pow;
    }
}

// The 5 children of a node: the running hash h at position d (one-hot sel), siblings around it in order.
// child j = sibling j when j < d, h when j == d, sibling j-1 when j > d.
template InsertChild() {
    signal input h;
    signal input sel[5];
    signal input s[4];
    signal output c[5];
    // after[j] = 1 when d < j (the path position is left of j), linear in the selectors.
    signal t[5];
    signal u[5];
    c[0] <== s[0] + sel[0] * (h - s[0]);
    for (var j = 1; j < 4; j++) {
        var after = 0;
        for (var m = 0; m < j; m++) after += sel[m];
        t[j] <== sel[j] * (h - s[j]);
        u[j] <== after * (s[j - 1] - s[j]);
        c[j] <== s[j] + t[j] + u[j];
    }
    c[4] <== s[3] + sel[4] * (h - s[3]);
}

// Membership (fnc = 0) of (key, value), or non-membership (fnc = 1) of key: the path ends at an empty slot
// (auxEmpty = 1) or at the leaf (auxKey, auxValue) with auxKey != key. Checked only when enabled = 1.
// levels = L, the level where the path ends (the proof's length, 0..D): levels >= L pass the running hash
// through unchanged and their siblings are ignored. L is the prover's hint, not derived from the siblings:
// any L that hashes to the root is sound. The node at the key's level-L position is then the leaf (or empty),
// and a middle node there would need a Poseidon collision between the 3- and 5-input instances; the one-hot
// form below keeps the pass-through levels a suffix, so the path always follows the key's digits.
template QuinarySMTVerifier(D, keyHighBits) {
    signal input enabled;
    signal input root;
    signal input siblings[D][4];
    signal input levels;
    signal input key;
    signal input value;
    signal input fnc;
    signal input auxKey;
    signal input auxValue;
    signal input auxEmpty;

    fnc * (fnc - 1) === 0;
    auxEmpty * (auxEmpty - 1) === 0;
    // An inclusion-only instance (unbound digits) must never be used for exclusion.
    if (keyHighBits < 0) {
        fnc === 0;
    }

    component path = QuinaryPath(D, keyHighBits);
    path.key <== key;

    // Leaf at the end of the path: (key, value) for membership, the aux leaf otherwise; 0 when empty.
    signal lk <== key + fnc * (auxKey - key);
    signal lv <== value + fnc * (auxValue - value);
    component leaf = LeanPoseidon(3);
    leaf.inputs[0] <== lk;
    leaf.inputs[1] <== lv;
    leaf.inputs[2] <== 1;
    signal isEmpty <== fnc * auxEmpty;
    signal start <== leaf.out * (1 - isEmpty);

    // Non-membership past a leaf needs a different key there (else it is a membership proof).
    component same = IsEqual();
    same.in[0] <== auxKey;
    same.in[1] <== key;
    signal pastLeaf <== fnc * (1 - auxEmpty);
    signal pastLeafOn <== pastLeaf * enabled;
    pastLeafOn * same.out === 0;

    // end[m] = 1 for m = L; active[l] = 1 when l < L.
    signal end[D + 1];
    var endSum = 0;
    var endWeighted = 0;
    for (var m = 0; m <= D; m++) {
        end[m] <-- levels == m ? 1 : 0;
        end[m] * (end[m] - 1) === 0;
        endSum += end[m];
        endWeighted += m * end[m];
    }
    endSum === 1;
    levels === endWeighted;
    var active[D];
    var later = 0;
    for (var l = D - 1; l >= 0; l--) {
        later += end[l + 1];
        active[l] = later;
    }

    component ins[D];
    component hash[D];
    signal h[D + 1];
    h[D] <== start;
    for (var l = D - 1; l >= 0; l--) {
        ins[l] = InsertChild();
        ins[l].h <== h[l + 1];
        for (var j = 0; j < 5; j++) ins[l].sel[j] <== path.sel[l][j];
        for (var j = 0; j < 4; j++) ins[l].s[j] <== siblings[l][j];
        hash[l] = LeanPoseidon(5);
        for (var j = 0; j < 5; j++) hash[l].inputs[j] <== ins[l].c[j];
        h[l] <== h[l + 1] + active[l] * (hash[l].out - h[l + 1]);
    }

    enabled * (h[0] - root) === 0;
}
