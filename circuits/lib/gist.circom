pragma circom 2.1.0;

// The global identity state tree (GIST): a quinary SMT (lib/quinary_smt.circom) of identity ID -> latest state,
// depth D, the ID's digits bound (key = sum d_l 5^l + 5^D q, q < 2^highBits). src/zk/gist.ts is the TypeScript
// model; its gistUpdateRoot computes what GistUpdate below checks.

include "quinary_smt.circom";

// oldRoot -> newRoot sets key's value to newValue. fnc = 0: key was in the tree with oldValue (an update in
// place: same path, same siblings). fnc = 1: key was absent; its path at oldRoot ends at an empty slot
// (auxEmpty = 1: the new leaf takes it) or at another key's leaf (auxKey, auxValue): then both leaves go down,
// through single-child middle nodes, to level newLevels - 1, the first level where their digits differ, and sit
// there side by side (the compressed tree's canonical shape, which keeps every key's path on its own digits).
//
// siblings are the old path's groups, zero past its end (levels). newLevels is a hint like levels, but pinned:
// equal to levels unless the path passed a leaf, and then the split level is checked to be the first where the
// digits of key and auxKey differ (equal digits above it, different at it).
template GistUpdate(D, highBits) {
    signal input oldRoot;
    signal input newRoot;
    signal input key;
    signal input oldValue;
    signal input newValue;
    signal input fnc;
    signal input siblings[D][4];
    signal input levels;
    signal input newLevels;
    signal input auxKey;
    signal input auxValue;
    signal input auxEmpty;

    component old = QuinarySMTVerifier(D, highBits);
    old.enabled <== 1;
    old.root <== oldRoot;
    for (var l = 0; l < D; l++) for (var j = 0; j < 4; j++) old.siblings[l][j] <== siblings[l][j];
    old.levels <== levels;
    old.key <== key;
    old.value <== oldValue;
    old.fnc <== fnc;
    old.auxKey <== auxKey;
    old.auxValue <== auxValue;
    old.auxEmpty <== auxEmpty;

    // The key's digits and where the old path ends, as the verifier above has them (recomputed here: the
    // verifier keeps them internal, and the holder-auth and query circuits share it unchanged).
    component keyPath = QuinaryPath(D, highBits);
    keyPath.key <== key;
    signal oend[D + 1];
    var oendSum = 0;
    var oendWeighted = 0;
    for (var m = 0; m <= D; m++) {
        oend[m] <-- levels == m ? 1 : 0;
        oend[m] * (oend[m] - 1) === 0;
        oendSum += oend[m];
        oendWeighted += m * oend[m];
    }
    oendSum === 1;
    levels === oendWeighted;
    // oldActive[l] = 1 when l < levels.
    var oldActive[D];
    var later = 0;
    for (var l = D - 1; l >= 0; l--) {
        later += oend[l + 1];
        oldActive[l] = later;
    }

    // The new path reuses the old siblings below the old end, so those past it must be the zero padding.
    for (var l = 0; l < D; l++) for (var j = 0; j < 4; j++) (1 - oldActive[l]) * siblings[l][j] === 0;

    // The other leaf, placed at the split level (it is what the old path ended at, checked against oldRoot above).
    component auxLeaf = LeanPoseidon(3);
    auxLeaf.inputs[0] <== auxKey;
    auxLeaf.inputs[1] <== auxValue;
    auxLeaf.inputs[2] <== 1;

    // The other leaf's digits, bound the same way (it is a key of the tree).
    component auxPath = QuinaryPath(D, highBits);
    auxPath.key <== auxKey;

    signal pastLeaf <== fnc * (1 - auxEmpty);

    // nend[m] = 1 for m = newLevels; newActive[l] = 1 when l < newLevels.
    signal nend[D + 1];
    var nendSum = 0;
    var nendWeighted = 0;
    for (var m = 0; m <= D; m++) {
        nend[m] <-- newLevels == m ? 1 : 0;
        nend[m] * (nend[m] - 1) === 0;
        nendSum += nend[m];
        nendWeighted += m * nend[m];
    }
    nendSum === 1;
    newLevels === nendWeighted;
    (newLevels - levels) * (1 - pastLeaf) === 0;

    // split[l] = 1 at l = newLevels - 1 when the path passed a leaf: the level holding both leaves, below the old end.
    signal split[D];
    var splitSum = 0;
    signal differ[D];
    signal inv[D];
    for (var l = 0; l < D; l++) {
        split[l] <== nend[l + 1] * pastLeaf;
        split[l] * oldActive[l] === 0;
        splitSum += split[l];
        var d = 0;
        var dAux = 0;
        for (var j = 0; j < 5; j++) {
            d += j * keyPath.sel[l][j];
            dAux += j * auxPath.sel[l][j];
        }
        // Different digits at the split level.
        inv[l] <-- d - dAux != 0 ? 1 / (d - dAux) : 0;
        differ[l] <== (d - dAux) * inv[l];
        split[l] * (1 - differ[l]) === 0;
        // Equal digits between the old end and the split level (newActive - oldActive - split is that range).
        var newActive = 0;
        for (var m = l + 1; m <= D; m++) newActive += nend[m];
        var between = newActive - oldActive[l] - split[l];
        for (var j = 0; j < 4; j++) between * (keyPath.sel[l][j] - auxPath.sel[l][j]) === 0;
    }
    splitSum === pastLeaf;

    component leaf = LeanPoseidon(3);
    leaf.inputs[0] <== key;
    leaf.inputs[1] <== newValue;
    leaf.inputs[2] <== 1;

    component ins[D];
    component hash[D];
    signal splitAux[D];
    signal placed[D][5];
    signal h[D + 1];
    h[D] <== leaf.out;
    for (var l = D - 1; l >= 0; l--) {
        ins[l] = InsertChild();
        ins[l].h <== h[l + 1];
        for (var j = 0; j < 5; j++) ins[l].sel[j] <== keyPath.sel[l][j];
        for (var j = 0; j < 4; j++) ins[l].s[j] <== siblings[l][j];
        // At the split level the other leaf joins at its own digit (the siblings are zero there).
        splitAux[l] <== split[l] * auxLeaf.out;
        hash[l] = LeanPoseidon(5);
        for (var j = 0; j < 5; j++) {
            placed[l][j] <== auxPath.sel[l][j] * splitAux[l];
            hash[l].inputs[j] <== ins[l].c[j] + placed[l][j];
        }
        var active = 0;
        for (var m = l + 1; m <= D; m++) active += nend[m];
        h[l] <== h[l + 1] + active * (hash[l].out - h[l + 1]);
    }
    newRoot === h[0];
}
