pragma circom 2.1.0;

// Credential query: the holder proves, revealing only what the request asks, that
//  1. an issuer's claims tree (depth TREE_D) at the public issuer state holds the claim, and the issuer's
//     revocations tree at that state does not hold its revocation nonce;
//  2. the claim is about the holder (subject in i1: the private holder ID, or the profile H(holderId,
//     profileNonce)), of the requested schema, not expired at the requested timestamp;
//  3. the requested data slot satisfies the operator (lib/query.circom);
// and outputs nullifier = H(holderId, verifierId, requestId) (one per holder and request, unlinkable across
// verifiers by anyone who does not know the holder ID) and commitment = H(holderId, salt). Ownership of the
// holder ID is not proven here: circuits/holderAuth.circom proves it (a key of the holder's latest state, through
// the GIST) and outputs the same commitment, so a verifier accepts the pair of proofs only (equal commitments,
// equal challenges). Two proofs keep this one in the 2^14 domain (circuits/README.md). The issuer state is
// checked on-chain against the state registry; issuerId is public so that check knows whose state it is.

include "lib/identity.circom";
include "lib/query.circom";

template CredentialQuery(N, TREE_D) {
    // Public
    signal input issuerId;
    signal input issuerState;
    signal input schema;
    signal input slotIndex;
    signal input operator;
    signal input values[N];
    signal input timestamp;
    signal input verifierId;
    signal input requestId;
    signal input challenge;
    signal output nullifier;
    signal output revealedValue;
    signal output commitment;

    // Holder (private)
    signal input holderId;
    signal input salt;
    signal input profileNonce;

    // Claim and issuer (private)
    signal input claim[8];
    signal input issuerAuthRoot;
    signal input issuerClaimsRoot;
    signal input issuerRevRoot;
    signal input claimSiblings[TREE_D][4];
    signal input claimLevels;
    signal input revSiblings[TREE_D][4];
    signal input revLevels;
    signal input revAuxKey;
    signal input revAuxValue;
    signal input revAuxEmpty;

    component com = LeanPoseidon(2);
    com.inputs[0] <== holderId;
    com.inputs[1] <== salt;
    commitment <== com.out;

    // 1. Claim issued and not revoked at issuerState.
    component iState = IdentityState();
    iState.authRoot <== issuerAuthRoot;
    iState.claimsRoot <== issuerClaimsRoot;
    iState.revRoot <== issuerRevRoot;
    iState.state === issuerState;

    component hi = LeanPoseidon(4);
    component hv = LeanPoseidon(4);
    for (var k = 0; k < 4; k++) {
        hi.inputs[k] <== claim[k];
        hv.inputs[k] <== claim[4 + k];
    }
    component issued = QuinarySMTVerifier(TREE_D, -1);
    issued.enabled <== 1;
    issued.root <== issuerClaimsRoot;
    for (var l = 0; l < TREE_D; l++) for (var j = 0; j < 4; j++) issued.siblings[l][j] <== claimSiblings[l][j];
    issued.levels <== claimLevels;
    issued.key <== hi.out;
    issued.value <== hv.out;
    issued.fnc <== 0;
    issued.auxKey <== 0;
    issued.auxValue <== 0;
    issued.auxEmpty <== 0;

    // i0 = schema (bits 0-127) | header << 128; header bits 0-2 subject position, bit 3 expiration flag.
    // 160 bits: the layout has nothing above the 32-bit header.
    component i0 = Num2Bits(160);
    i0.in <== claim[0];
    // v0 = revocation nonce (bits 0-63) | expiration << 64.
    component v0 = Num2Bits(128);
    v0.in <== claim[4];
    var nonce = 0;
    var expiration = 0;
    var schemaBits = 0;
    for (var b = 0; b < 64; b++) {
        nonce += v0.out[b] * (1 << b);
        expiration += v0.out[64 + b] * (1 << b);
    }
    for (var b = 0; b < 128; b++) schemaBits += i0.out[b] * (1 << b);

    // Nonces are below 2^64 < 5^14 * 2^32, so 32 high bits bind the 14 digits canonically.
    component revoked = QuinarySMTVerifier(TREE_D, 32);
    revoked.enabled <== 1;
    revoked.root <== issuerRevRoot;
    for (var l = 0; l < TREE_D; l++) for (var j = 0; j < 4; j++) revoked.siblings[l][j] <== revSiblings[l][j];
    revoked.levels <== revLevels;
    revoked.key <== nonce;
    revoked.value <== 0;
    revoked.fnc <== 1;
    revoked.auxKey <== revAuxKey;
    revoked.auxValue <== revAuxValue;
    revoked.auxEmpty <== revAuxEmpty;

    // 2. Schema, subject, expiration.
    schemaBits === schema;
    i0.out[128] === 0;
    i0.out[129] === 1;
    i0.out[130] === 0;

    component nonceZero = IsZero();
    nonceZero.in <== profileNonce;
    component profile = LeanPoseidon(2);
    profile.inputs[0] <== holderId;
    profile.inputs[1] <== profileNonce;
    claim[1] === profile.out + nonceZero.out * (holderId - profile.out);

    component ts = Num2Bits(64);
    ts.in <== timestamp;
    component before = LessThan(64);
    before.in[0] <== timestamp;
    before.in[1] <== expiration;
    component timeless = IsZero();
    timeless.in <== expiration;
    signal expires <== i0.out[131] * (1 - timeless.out);
    expires * (1 - before.out) === 0;

    // 3. The slot: data slots only (2, 3, 5, 6, 7), so a request cannot read the subject (the holder ID),
    // the schema header or the revocation nonce, all of which would link the holder.
    var DATA[5] = [2, 3, 5, 6, 7];
    signal slotSel[5];
    signal picked[5];
    var sum = 0;
    var weighted = 0;
    var selected = 0;
    for (var k = 0; k < 5; k++) {
        slotSel[k] <-- slotIndex == DATA[k] ? 1 : 0;
        slotSel[k] * (slotSel[k] - 1) === 0;
        sum += slotSel[k];
        weighted += DATA[k] * slotSel[k];
        picked[k] <== slotSel[k] * claim[DATA[k]];
        selected += picked[k];
    }
    sum === 1;
    slotIndex === weighted;

    component query = QueryOperator(N);
    query.value <== selected;
    query.operator <== operator;
    for (var i = 0; i < N; i++) query.values[i] <== values[i];
    revealedValue <== query.revealed;

    // Nullifier: 3 inputs, a different Poseidon instance from the 2-input profile hash.
    component nul = LeanPoseidon(3);
    nul.inputs[0] <== holderId;
    nul.inputs[1] <== verifierId;
    nul.inputs[2] <== requestId;
    nullifier <== nul.out;

    // issuerId and challenge appear in no other constraint. snarkjs's setup binds every public input to the
    // proof anyway (one extra row each); these squares keep that explicit, whatever the backend.
    signal issuerIdSq <== issuerId * issuerId;
    signal challengeSq <== challenge * challenge;
}

component main {public [issuerId, issuerState, schema, slotIndex, operator, values, timestamp, verifierId, requestId, challenge]} = CredentialQuery(16, 14);
