pragma circom 2.1.0;

// Identity pieces of docs/protocol.md, "Identities": state, genesis ID, a key of the authentication tree,
// and the two ways to show it is ours: it signed a message, or we know its secret.

include "poseidon_lean.circom";
include "../../node_modules/circomlib/circuits/bitify.circom";
include "../../node_modules/circomlib/circuits/eddsaposeidon.circom";
include "../../node_modules/circomlib/circuits/babyjub.circom";
include "quinary_smt.circom";

// state = H(authRoot, claimsRoot, revocationsRoot).
template IdentityState() {
    signal input authRoot;
    signal input claimsRoot;
    signal input revRoot;
    signal output state;
    component h = LeanPoseidon(3);
    h.inputs[0] <== authRoot;
    h.inputs[1] <== claimsRoot;
    h.inputs[2] <== revRoot;
    state <== h.out;
}

// Genesis ID as a field element: the 31 bytes type(2) || genesis(27) || checksum(2) read little-endian.
// type = 0x4d ('M'), network; genesis = bytes 5..31 of the state's 32-byte little-endian encoding;
// checksum = sum of the 29 preceding bytes (at most 29 * 255 < 2^16, so no wrap-around), little-endian.
// Everything is linear in the state's bits: the cost is one strict bit decomposition.
template GenesisId() {
    signal input state;
    signal input network;
    signal output id;

    // Strict: a plain Num2Bits(254) would also accept the bits of state + r.
    component sb = Num2Bits_strict();
    sb.in <== state;
    component nb = Num2Bits(8);
    nb.in <== network;

    var checksum = 0x4d + network;
    var genesis = 0;
    for (var m = 0; m < 27; m++) {
        var byte = 0;
        for (var b = 0; b < 8; b++) {
            var bit = 40 + 8 * m + b;
            if (bit < 254) byte += sb.out[bit] * (1 << b);
        }
        checksum += byte;
        genesis += byte * (1 << (8 * m));
    }
    id <== 0x4d + network * (1 << 8) + genesis * (1 << 16) + checksum * (1 << 232);
}

// The Baby Jubjub key (Ax, Ay) sits at slot keySlot of the authentication tree authRoot (depth D, leaf
// value H(Ax, Ay), a path of `levels` levels).
template AuthKeyInTree(D) {
    signal input authRoot;
    signal input keySlot;
    signal input siblings[D][4];
    signal input levels;
    signal input Ax;
    signal input Ay;

    component leafValue = LeanPoseidon(2);
    leafValue.inputs[0] <== Ax;
    leafValue.inputs[1] <== Ay;

    // Slots are 0..5^D - 1, so the digits are bound exactly (highBits 0).
    component smt = QuinarySMTVerifier(D, 0);
    smt.enabled <== 1;
    smt.root <== authRoot;
    for (var l = 0; l < D; l++) for (var j = 0; j < 4; j++) smt.siblings[l][j] <== siblings[l][j];
    smt.levels <== levels;
    smt.key <== keySlot;
    smt.value <== leafValue.out;
    smt.fnc <== 0;
    smt.auxKey <== 0;
    smt.auxValue <== 0;
    smt.auxEmpty <== 0;
}

// A key of the authentication tree signed msg with EdDSA-Poseidon (circomlib's verifier): what authorizes a
// state transition, so that the key may live where the transition is only signed (a hardware wallet).
template AuthKeySigned(D) {
    signal input authRoot;
    signal input keySlot;
    signal input siblings[D][4];
    signal input levels;
    signal input Ax;
    signal input Ay;
    signal input S;
    signal input R8x;
    signal input R8y;
    signal input msg;

    component key = AuthKeyInTree(D);
    key.authRoot <== authRoot;
    key.keySlot <== keySlot;
    for (var l = 0; l < D; l++) for (var j = 0; j < 4; j++) key.siblings[l][j] <== siblings[l][j];
    key.levels <== levels;
    key.Ax <== Ax;
    key.Ay <== Ay;

    component sig = EdDSAPoseidonVerifier();
    sig.enabled <== 1;
    sig.Ax <== Ax;
    sig.Ay <== Ay;
    sig.S <== S;
    sig.R8x <== R8x;
    sig.R8y <== R8y;
    sig.M <== msg;
}

// The prover knows the secret scalar of a key of the authentication tree: (Ax, Ay) = secret * Base8
// (circomlib's BabyPbk, the public key EdDSA derives from the private key). Holder ownership in a query: the
// proof binds its public inputs (the challenge among them), so knowing the key proves what a signature of the
// challenge would, for 3,400 fewer constraints than verifying one.
template AuthKeyKnown(D) {
    signal input authRoot;
    signal input keySlot;
    signal input siblings[D][4];
    signal input levels;
    signal input secret;

    component pbk = BabyPbk();
    pbk.in <== secret;

    component key = AuthKeyInTree(D);
    key.authRoot <== authRoot;
    key.keySlot <== keySlot;
    for (var l = 0; l < D; l++) for (var j = 0; j < 4; j++) key.siblings[l][j] <== siblings[l][j];
    key.levels <== levels;
    key.Ax <== pbk.Ax;
    key.Ay <== pbk.Ay;
}
