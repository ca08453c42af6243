// claimState: a claim's lifecycle state from what the chain says at one block, judged at that block's time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TOPIC_STATE_RANK, claimState, type ClaimFacts } from './reads.js';

const window = { issuedAt: 1_000, expiresAt: 2_000 };

describe('claimState', () => {
  it('judges the window [issuedAt, expiresAt) at the chain time given', () => {
    const f: ClaimFacts = { trusted: true, ...window, vouched: true };
    assert.equal(claimState(f, 999), 'issued');
    assert.equal(claimState(f, 1_000), 'valid');
    assert.equal(claimState(f, 1_999), 'valid');
    assert.equal(claimState(f, 2_000), 'expired');
  });

  it('an untrusted issuer outranks everything else; a withdrawn claim is revoked in or out of its window', () => {
    assert.equal(claimState({ trusted: false, ...window, vouched: true }, 1_500), 'issuer-untrusted');
    assert.equal(claimState({ trusted: true, ...window, vouched: false }, 1_500), 'revoked');
    assert.equal(claimState({ trusted: true, ...window, withdrawn: true }, 2_500), 'revoked');
    assert.equal(claimState({ trusted: true, ...window, withdrawn: true }, 500), 'revoked');
    assert.equal(claimState({ trusted: true, ...window, withdrawn: false }, 2_500), 'expired');
  });

  it('a window the contracts cannot hold (expiresAt <= issuedAt, e.g. undecodable data) never verifies', () => {
    assert.equal(claimState({ trusted: true, issuedAt: 0, expiresAt: 0, vouched: true }, 10), 'revoked');
    assert.equal(claimState({ trusted: true, issuedAt: 5, expiresAt: 5, vouched: true }, 5), 'revoked');
  });

  it('ranks states nearest to valid first', () => {
    const order = Object.entries(TOPIC_STATE_RANK).sort((a, b) => b[1] - a[1]).map(([s]) => s);
    assert.deepEqual(order, ['valid', 'issued', 'pending', 'expired', 'revoked', 'issuer-untrusted', 'none']);
  });
});
