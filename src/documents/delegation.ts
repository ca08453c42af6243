import { encodeAbiParameters, getAddress, hexToBigInt, keccak256, type Address } from 'viem';

/**
 * Topics under which delegated access is recorded on chain, in the identities' existing AccessGrants (keyed by
 * verifier and a uint256 topic), so delegation needs no contract change and no read grant ever doubles as one:
 *
 * - `delegationTopic(topic)`: on the subject's identity, the grant to its fund administrator (the right to grant
 *   `topic` onwards). Never a claim topic (a hash), so `canAccess(administrator, topic)` stays false: the
 *   administrator cannot read the document.
 * - `onwardTopic(identity, topic)`: on the administrator's identity, its grant to a regulator for that subject's
 *   topic (one administrator serves many subjects, hence the subject in the hash).
 *
 * Both are keccak256 of a domain tag and the ABI-encoded values, as uint256: public, but naming no person.
 */
export function delegationTopic(topic: bigint): bigint {
  return hexToBigInt(keccak256(encodeAbiParameters([{ type: 'string' }, { type: 'uint256' }], ['masque/delegation/v1', topic])));
}

export function onwardTopic(identity: Address, topic: bigint): bigint {
  return hexToBigInt(keccak256(encodeAbiParameters([{ type: 'string' }, { type: 'address' }, { type: 'uint256' }], ['masque/onward-grant/v1', getAddress(identity), topic])));
}
