/**
 * Attested jurisdiction: a JURISDICTION claim (topic 9) binds the country without putting it on-chain in the clear.
 * Its `documentHash` is a salted commitment `keccak256(abi.encode("masque.jurisdiction.v1", uint16 country, bytes32
 * salt))` the KYC provider signs; whoever holds the opening (country, salt) can show a node that the country it is
 * asked to register is the one the trusted issuer attested, and nobody else learns it from the claim.
 */
import { encodeAbiParameters, keccak256, type Hex } from 'viem';
import { RiskInputError } from './errors.js';

export const JURISDICTION_TOPIC = 9;
export const RISK_SCORE_TOPIC = 10;
/** The names the node registers in its ClaimTopicCatalog. */
export const CUSTOM_TOPICS: readonly { topic: number; name: string }[] = [
  { topic: JURISDICTION_TOPIC, name: 'JURISDICTION' },
  { topic: RISK_SCORE_TOPIC, name: 'RISK_SCORE' },
];

const DOMAIN = 'masque.jurisdiction.v1';

/** The documentHash of a JURISDICTION claim for `country` (ISO 3166-1 numeric) under `salt` (32 random bytes). */
export function jurisdictionCommitment(country: number, salt: Hex): Hex {
  if (!Number.isInteger(country) || country < 1 || country > 999) throw new RiskInputError('country', 'must be an ISO 3166-1 numeric code (1-999)');
  if (!/^0x[0-9a-fA-F]{64}$/.test(salt)) throw new RiskInputError('salt', 'must be 32 bytes of hex');
  return keccak256(encodeAbiParameters([{ type: 'string' }, { type: 'uint16' }, { type: 'bytes32' }], [DOMAIN, country, salt]));
}

/** Whether (country, salt) opens `documentHash`. */
export function opensCommitment(documentHash: Hex, country: number, salt: Hex): boolean {
  return jurisdictionCommitment(country, salt).toLowerCase() === documentHash.toLowerCase();
}
