/**
 * The risk score as a ZK claim (RISK_SCORE_SCHEMA, topic 10): a risk issuer issues the score into the holder's
 * credential, and the holder proves a bound on it with the existing credential query circuit ("score below 40",
 * LESS_THAN on slot v1) without revealing the number. Builds the claim's data and the query; proving is src/zk's.
 */
import { RISK_SCORE_SCHEMA } from '../claims/index.js';
import { RiskInputError } from './errors.js';

export { RISK_SCORE_SCHEMA };

/** The data of a RISK_SCORE claim: the score (0-100) and when it was computed (unix seconds). */
export function riskScoreClaimData(score: number, scoredAt: number): { score: number; scoredAt: number } {
  if (!Number.isInteger(score) || score < 0 || score > 100) throw new RiskInputError('score', 'must be an integer 0-100');
  if (!Number.isInteger(scoredAt) || scoredAt < 0) throw new RiskInputError('scoredAt', 'must be unix seconds');
  return { score, scoredAt };
}

/** The query part of "my risk score is below `limit`" (strictly), for a credential query request. */
export function riskBelowQuery(limit: number): { schema: bigint; slotIndex: number; operator: 'LESS_THAN'; values: bigint[] } {
  if (!Number.isInteger(limit) || limit < 1 || limit > 101) throw new RiskInputError('limit', 'must be an integer 1-101');
  return { schema: RISK_SCORE_SCHEMA.hash, slotIndex: RISK_SCORE_SCHEMA.slotIndex('score'), operator: 'LESS_THAN', values: [BigInt(limit)] };
}
