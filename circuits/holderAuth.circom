pragma circom 2.1.0;

// Holder authentication (issue 17): the holder knows the secret of a key of the authentication tree of its
// latest published state, which is its ID's leaf in the GIST at the public gistRoot; or, for an ID absent from
// the GIST (it never published a transition), of its genesis state, whose genesis ID the ID must be. A rotated-out
// key (removed by a published transition) therefore proves nothing once the verifier's accepted GIST roots are
// newer than the rotation. Outputs commitment = H(holderId, salt): the credential query outputs the same value
// from its private holder ID, binding the two proofs; a fresh salt per answer keeps answers unlinkable. The
// challenge binds the proof to the verifier's request (equal to the query's).

include "lib/identity.circom";
include "lib/quinary_smt.circom";

template HolderAuth(AUTH_D, GIST_D, GIST_HIGH_BITS) {
    signal input gistRoot;
    signal input challenge;
    signal output commitment;

    signal input holderId;
    signal input salt;
    signal input network;
    signal input authRoot;
    signal input claimsRoot;
    signal input revRoot;
    signal input keySlot;
    signal input authSiblings[AUTH_D][4];
    signal input authLevels;
    signal input authSecret;
    signal input isGenesis;
    signal input gistSiblings[GIST_D][4];
    signal input gistLevels;
    signal input gistAuxKey;
    signal input gistAuxValue;
    signal input gistAuxEmpty;

    component state = IdentityState();
    state.authRoot <== authRoot;
    state.claimsRoot <== claimsRoot;
    state.revRoot <== revRoot;

    component auth = AuthKeyKnown(AUTH_D);
    auth.authRoot <== authRoot;
    auth.keySlot <== keySlot;
    for (var l = 0; l < AUTH_D; l++) for (var j = 0; j < 4; j++) auth.siblings[l][j] <== authSiblings[l][j];
    auth.levels <== authLevels;
    auth.secret <== authSecret;

    // Absent from the GIST: the state must be the ID's genesis state.
    component gid = GenesisId();
    gid.state <== state.state;
    gid.network <== network;
    isGenesis * (gid.id - holderId) === 0;

    // Present: (holderId, state) is its leaf. Absent: non-membership (fnc = isGenesis, boolean-checked there).
    component gist = QuinarySMTVerifier(GIST_D, GIST_HIGH_BITS);
    gist.enabled <== 1;
    gist.root <== gistRoot;
    for (var l = 0; l < GIST_D; l++) for (var j = 0; j < 4; j++) gist.siblings[l][j] <== gistSiblings[l][j];
    gist.levels <== gistLevels;
    gist.key <== holderId;
    gist.value <== state.state;
    gist.fnc <== isGenesis;
    gist.auxKey <== gistAuxKey;
    gist.auxValue <== gistAuxValue;
    gist.auxEmpty <== gistAuxEmpty;

    component c = LeanPoseidon(2);
    c.inputs[0] <== holderId;
    c.inputs[1] <== salt;
    commitment <== c.out;

    // The challenge enters no other constraint (see credentialQuery.circom).
    signal challengeSq <== challenge * challenge;
}

// GIST depth 32, IDs below 5^32 * 2^174 (src/zk/gist.ts GIST_DEPTH, GIST_KEY_HIGH_BITS).
component main {public [gistRoot, challenge]} = HolderAuth(4, 32, 174);
