// The ZK risk score slot: a RISK_SCORE claim in the holder's credential, "risk below 40" proven with the existing
// credential query circuit and its committed keys, verified, the score itself in no public signal.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { holderSubject, parseCredentialQuerySignals, proveCredentialQuery, releaseProverResources, verifyProof, Operator, ZkError } from '../zk/index.js';
import { artifactPaths, loadVerificationKey } from '../zk/node.js';
import { makeFixture } from '../zk/test-fixtures.js';
import { RISK_SCORE_SCHEMA, riskBelowQuery, riskScoreClaimData } from './index.js';
import { RiskInputError } from './errors.js';

after(releaseProverResources);

test('a holder proves "risk below 40" without revealing the score; a score of 40 or more does not prove', async () => {
  const f = makeFixture();
  const g = makeFixture(); // a second issuer state: one issuer holds one RISK_SCORE claim per holder (no index slot)
  const issue = (score: number, x = f) => x.issuer.issueClaim(x.issuerKey, {
    schema: RISK_SCORE_SCHEMA, data: riskScoreClaimData(score, 1_790_000_000), subject: holderSubject(f.holder),
  }).claim;
  const low = issue(23);
  const high = issue(40, g);
  const query = f.query({ ...riskBelowQuery(40), requestId: 4040n });
  assert.equal(query.slotIndex, 5, 'the score is in slot v1');
  const p = await proveCredentialQuery(f.queryHolder, f.credential(low), query, artifactPaths('credentialQuery'));
  assert.equal(await verifyProof(loadVerificationKey('credentialQuery'), p), true);
  const s = parseCredentialQuerySignals(p.publicSignals);
  assert.equal(s.operator, Operator.LESS_THAN);
  assert.equal(s.schema, RISK_SCORE_SCHEMA.hash);
  assert.equal(s.revealedValue, 0n, 'nothing revealed');
  assert.ok(!p.publicSignals.includes('23'), 'the score is in no public signal');
  // A claim at 40 does not satisfy "below 40": refused before any proving.
  await assert.rejects(proveCredentialQuery(g.queryHolder, g.credential(high), query, artifactPaths('credentialQuery')), (e: unknown) => e instanceof ZkError && e.code === 'UNSATISFIED');
  // The claim data and the query are checked, naming the field.
  assert.throws(() => riskScoreClaimData(101, 1), (e: unknown) => e instanceof RiskInputError && e.field === 'score');
  assert.throws(() => riskBelowQuery(0), (e: unknown) => e instanceof RiskInputError && e.field === 'limit');
});
