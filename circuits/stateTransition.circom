pragma circom 2.1.0;

// State transition (docs/protocol.md): oldState -> newState, authorized by a key of the old authentication
// tree signing H(oldState, newState). When isOldStateGenesis = 1, id must be the genesis ID of oldState
// (the registry has no record of the identity yet, so the ID itself is the proof of the old state).
// It also proves the GIST update (lib/gist.circom): gistOldRoot -> gistNewRoot sets id -> newState, id being
// absent at gistOldRoot on its first transition and holding oldState otherwise. The registry checks gistOldRoot is
// its current GIST root and keeps gistNewRoot (circuits/README.md: why proven rather than hashed on chain).

include "lib/identity.circom";
include "lib/gist.circom";

template StateTransition(AUTH_D, GIST_D, GIST_HIGH_BITS) {
    signal input id;
    signal input oldState;
    signal input newState;
    signal input isOldStateGenesis;
    signal input gistOldRoot;
    signal input gistNewRoot;

    signal input network;
    signal input oldAuthRoot;
    signal input oldClaimsRoot;
    signal input oldRevRoot;
    signal input newAuthRoot;
    signal input newClaimsRoot;
    signal input newRevRoot;
    signal input keySlot;
    signal input siblings[AUTH_D][4];
    signal input authLevels;
    signal input Ax;
    signal input Ay;
    signal input S;
    signal input R8x;
    signal input R8y;
    signal input gistSiblings[GIST_D][4];
    signal input gistLevels;
    signal input gistNewLevels;
    signal input gistAuxKey;
    signal input gistAuxValue;
    signal input gistAuxEmpty;

    isOldStateGenesis * (isOldStateGenesis - 1) === 0;

    component oldS = IdentityState();
    oldS.authRoot <== oldAuthRoot;
    oldS.claimsRoot <== oldClaimsRoot;
    oldS.revRoot <== oldRevRoot;
    oldS.state === oldState;

    // The new state must be well formed too: it is what the next transition will open.
    component newS = IdentityState();
    newS.authRoot <== newAuthRoot;
    newS.claimsRoot <== newClaimsRoot;
    newS.revRoot <== newRevRoot;
    newS.state === newState;

    // A transition changes the state (as src/identity's checkStateTransition requires).
    component same = IsZero();
    same.in <== newState - oldState;
    same.out === 0;

    component gid = GenesisId();
    gid.state <== oldState;
    gid.network <== network;
    isOldStateGenesis * (gid.id - id) === 0;

    component msg = LeanPoseidon(2);
    msg.inputs[0] <== oldState;
    msg.inputs[1] <== newState;

    component auth = AuthKeySigned(AUTH_D);
    auth.authRoot <== oldAuthRoot;
    auth.keySlot <== keySlot;
    for (var l = 0; l < AUTH_D; l++) for (var j = 0; j < 4; j++) auth.siblings[l][j] <== siblings[l][j];
    auth.levels <== authLevels;
    auth.Ax <== Ax;
    auth.Ay <== Ay;
    auth.S <== S;
    auth.R8x <== R8x;
    auth.R8y <== R8y;
    auth.msg <== msg.out;

    component gist = GistUpdate(GIST_D, GIST_HIGH_BITS);
    gist.oldRoot <== gistOldRoot;
    gist.newRoot <== gistNewRoot;
    gist.key <== id;
    gist.oldValue <== oldState;
    gist.newValue <== newState;
    gist.fnc <== isOldStateGenesis;
    for (var l = 0; l < GIST_D; l++) for (var j = 0; j < 4; j++) gist.siblings[l][j] <== gistSiblings[l][j];
    gist.levels <== gistLevels;
    gist.newLevels <== gistNewLevels;
    gist.auxKey <== gistAuxKey;
    gist.auxValue <== gistAuxValue;
    gist.auxEmpty <== gistAuxEmpty;
}

// GIST depth 32, IDs below 5^32 * 2^174 (src/zk/gist.ts GIST_DEPTH, GIST_KEY_HIGH_BITS).
component main {public [id, oldState, newState, isOldStateGenesis, gistOldRoot, gistNewRoot]} = StateTransition(4, 32, 174);
