// Deploy and action helpers for the zero-knowledge contracts (contracts/zk): the Groth16 verifiers, the identity
// state registry, the query verifier with its request registry, and the private compliance gate (viem style: plain
// functions over a public and a wallet client, every write waits for its receipt and throws when it reverted).
// Proofs come from src/zk (snarkjs JSON); `toSolidityProof` converts them the way snarkjs's
// `groth16.exportSolidityCallData` does, without snarkjs (browser-safe).
import { type Address, getAddress, parseEventLogs, zeroAddress } from 'viem';
import { deployContract, write, type Reader, type Wallet } from './identity.js';
import {
  credentialQueryVerifierAbi,
  credentialQueryVerifierBytecode,
  holderAuthVerifierAbi,
  holderAuthVerifierBytecode,
  identityRegistryAbi,
  identityStateRegistryAbi,
  identityStateRegistryBytecode,
  stateTransitionVerifierAbi,
  stateTransitionVerifierBytecode,
  zkComplianceGateAbi,
  zkComplianceGateBytecode,
  zkQueryVerifierAbi,
  zkQueryVerifierBytecode,
} from './artifacts/index.js';
import { parseId } from '../identity/index.js';
import { Operator, type OperatorName, type Groth16Proof, type ProofWithSignals } from '../zk/types.js';
import type { CredentialQueryRequestJson, CredentialQueryResponseJson } from '../zk/request.js';
import { onchainHolderRequest, type RequestQueryJson } from '../zk/onchain.js';
import { nullifierOf } from '../zk/inputs.js';

/** Refusal codes of ZkQueryVerifier (`checkResponse`, `checkProof`, `ResponseRefused(code)`), in check order. */
export const QueryRefusal = {
  OK: 0,
  UNKNOWN_REQUEST: 1,
  REQUEST_INACTIVE: 2,
  WRONG_SCHEMA: 3,
  WRONG_SLOT: 4,
  WRONG_OPERATOR: 5,
  WRONG_VALUES: 6,
  WRONG_VERIFIER_ID: 7,
  WRONG_REQUEST_ID: 8,
  WRONG_CHALLENGE: 9,
  TIMESTAMP_IN_FUTURE: 10,
  PROOF_TOO_OLD: 11,
  ISSUER_NOT_TRUSTED: 12,
  ISSUER_STATE_INVALID: 13,
  NULLIFIER_USED: 14,
  INVALID_PROOF: 15,
  AUTH_MISMATCH: 16,
  GIST_ROOT_INVALID: 17,
  INVALID_AUTH_PROOF: 18,
} as const;
export type QueryRefusalName = keyof typeof QueryRefusal;
const refusalNames = Object.fromEntries(Object.entries(QueryRefusal).map(([k, v]) => [v, k])) as Record<number, QueryRefusalName>;
/** The name of a refusal code (`UNKNOWN_CODE_<n>` for a code this module does not know). */
export function queryRefusalName(code: number): QueryRefusalName | `UNKNOWN_CODE_${number}` {
  return refusalNames[code] ?? `UNKNOWN_CODE_${code}`;
}

// ------------------------------------------------------------------ proofs

/** A Groth16 proof as the Solidity verifiers take it (G2 coordinates swapped, affine). */
export interface SolidityProof {
  a: readonly [bigint, bigint];
  b: readonly [readonly [bigint, bigint], readonly [bigint, bigint]];
  c: readonly [bigint, bigint];
}

/** snarkjs proof JSON -> verifier arguments, exactly what `snarkjs.groth16.exportSolidityCallData` encodes. */
export function toSolidityProof(proof: Groth16Proof): SolidityProof {
  const n = (x: string) => BigInt(x);
  return {
    a: [n(proof.pi_a[0]), n(proof.pi_a[1])],
    b: [
      [n(proof.pi_b[0][1]), n(proof.pi_b[0][0])],
      [n(proof.pi_b[1][1]), n(proof.pi_b[1][0])],
    ],
    c: [n(proof.pi_c[0]), n(proof.pi_c[1])],
  };
}

function signalsOf(publicSignals: readonly string[], count: number): bigint[] {
  if (publicSignals.length !== count) throw new Error(`expected ${count} public signals, got ${publicSignals.length}`);
  return publicSignals.map((s) => BigInt(s));
}

/** The 28 public signals of a credential query, as the contracts take them. */
export type QuerySignals = readonly [
  bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint,
  bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint,
];
/** The 3 public signals of a holder-auth proof: commitment, gistRoot, challenge. */
export type AuthSignals = readonly [bigint, bigint, bigint];

/**
 * A response's verifier arguments (ZkQueryVerifier.submitResponse / checkResponse / checkProof, ZkComplianceGate.prove
 * after their first arguments): the query proof, its 28 signals, the holder-auth proof, its 3 signals.
 */
export function queryCallArgs(response: Pick<CredentialQueryResponseJson, 'proof' | 'publicSignals' | 'auth'>) {
  return [
    toSolidityProof(response.proof), signalsOf(response.publicSignals, 28) as unknown as QuerySignals,
    toSolidityProof(response.auth.proof), signalsOf(response.auth.publicSignals, 3) as unknown as AuthSignals,
  ] as const;
}

// ------------------------------------------------------------------ deployment

export interface ZkContracts {
  stateTransitionVerifier: Address;
  credentialQueryVerifier: Address;
  holderAuthVerifier: Address;
  identityStateRegistry: Address;
  zkQueryVerifier: Address;
}

/** Deploys the three Groth16 verifiers, the IdentityStateRegistry and the ZkQueryVerifier (no owner: none has one). */
export async function deployZkContracts(wallet: Wallet, reader: Reader): Promise<ZkContracts> {
  const stateTransitionVerifier = await deployContract(wallet, reader, { abi: stateTransitionVerifierAbi, bytecode: stateTransitionVerifierBytecode });
  const credentialQueryVerifier = await deployContract(wallet, reader, { abi: credentialQueryVerifierAbi, bytecode: credentialQueryVerifierBytecode });
  const holderAuthVerifier = await deployContract(wallet, reader, { abi: holderAuthVerifierAbi, bytecode: holderAuthVerifierBytecode });
  const identityStateRegistry = await deployContract(wallet, reader, { abi: identityStateRegistryAbi, bytecode: identityStateRegistryBytecode }, [stateTransitionVerifier]);
  const zkQueryVerifier = await deployContract(wallet, reader, { abi: zkQueryVerifierAbi, bytecode: zkQueryVerifierBytecode }, [
    identityStateRegistry, credentialQueryVerifier, holderAuthVerifier,
  ]);
  return { stateTransitionVerifier, credentialQueryVerifier, holderAuthVerifier, identityStateRegistry, zkQueryVerifier };
}

/** Deploys a ZkComplianceGate over `queryVerifier`, owned by `owner` (default: the wallet's account). */
export async function deployZkComplianceGate(
  wallet: Wallet,
  reader: Reader,
  p: { queryVerifier: Address; owner?: Address },
): Promise<Address> {
  return deployContract(wallet, reader, { abi: zkComplianceGateAbi, bytecode: zkComplianceGateBytecode }, [
    p.owner ?? wallet.account.address, p.queryVerifier,
  ]);
}

// ------------------------------------------------------------------ identity states

/**
 * Publishes a state transition proven by `proveStateTransition` (public signals [id, oldState, newState,
 * isOldStateGenesis, gistOldRoot, gistNewRoot]). Any wallet may submit it; `StaleGistRoot` when another
 * transition moved the GIST since the proof's witness was taken (re-prove on the new root).
 */
export async function publishState(wallet: Wallet, reader: Reader, registry: Address, p: ProofWithSignals) {
  const [id, oldState, newState, genesis, gistOldRoot, gistNewRoot] = signalsOf(p.publicSignals, 6);
  const { a, b, c } = toSolidityProof(p.proof);
  return write(wallet, reader, {
    address: registry, abi: identityStateRegistryAbi, functionName: 'transitState',
    args: [id, oldState, newState, genesis === 1n, gistOldRoot, gistNewRoot, a, b, c],
  });
}

/** The registry's current GIST root (0n: the empty tree). */
export function getGistRoot(reader: Reader, registry: Address, at: { blockNumber?: bigint } = {}): Promise<bigint> {
  return reader.readContract({ address: registry, abi: identityStateRegistryAbi, functionName: 'gistRoot', ...at });
}

/** IdentityStateRegistry.isGistRootValid: the current root, or one replaced at most `maxAgeAfterReplacement` s ago. */
export function isGistRootValid(reader: Reader, registry: Address, root: bigint, maxAgeAfterReplacement: bigint): Promise<boolean> {
  return reader.readContract({ address: registry, abi: identityStateRegistryAbi, functionName: 'isGistRootValid', args: [root, maxAgeAfterReplacement] });
}

/** Every StateTransitioned event of the registry, in chain order: what rebuilds the GIST (src/zk GlobalStateTree.fromTransitions). */
export async function getStateTransitions(
  reader: Reader, registry: Address, range: { toBlock?: bigint } = {},
): Promise<{ id: bigint; oldState: bigint; newState: bigint; blockNumber: bigint }[]> {
  const logs = await reader.getContractEvents({
    address: registry, abi: identityStateRegistryAbi, eventName: 'StateTransitioned', fromBlock: 0n, toBlock: range.toBlock ?? 'latest',
  });
  return logs.map((l) => ({ id: l.args.id!, oldState: l.args.oldState!, newState: l.args.newState!, blockNumber: l.blockNumber }));
}

/** The latest published state of `id` (0n when it never published). */
export function getLatestState(reader: Reader, registry: Address, id: bigint): Promise<bigint> {
  return reader.readContract({ address: registry, abi: identityStateRegistryAbi, functionName: 'latestState', args: [id] });
}

export interface StateInfo {
  id: bigint;
  state: bigint;
  /** The next state (0n for the latest). */
  replacedByState: bigint;
  /** Unix seconds / block number of publication (0 for the genesis state). */
  createdAt: number;
  createdBlock: number;
  /** 0 while it is the latest state. */
  replacedAt: number;
  replacedBlock: number;
}

/** What the registry knows of `state` for `id`, undefined for a state it never saw. */
export async function getState(reader: Reader, registry: Address, id: bigint, state: bigint): Promise<StateInfo | undefined> {
  const [known, info] = await reader.readContract({ address: registry, abi: identityStateRegistryAbi, functionName: 'stateInfo', args: [id, state] });
  return known ? { ...info } : undefined;
}

/** Every published state of `id`, genesis first ([] when none). */
export async function getStateHistory(reader: Reader, registry: Address, id: bigint): Promise<bigint[]> {
  const n = await reader.readContract({ address: registry, abi: identityStateRegistryAbi, functionName: 'historyLength', args: [id] });
  if (n === 0n) return [];
  return [...(await reader.readContract({ address: registry, abi: identityStateRegistryAbi, functionName: 'stateHistory', args: [id, 0n, n] }))];
}

/**
 * IdentityStateRegistry.isStateValid: the latest state, a replaced one up to `maxAgeAfterReplacement` seconds after
 * its replacement, or the genesis state of an id that never published. At the latest block, or at `at.blockNumber`.
 */
export function isStateValid(
  reader: Reader, registry: Address, id: bigint, state: bigint, maxAgeAfterReplacement: bigint, at: { blockNumber?: bigint } = {},
): Promise<boolean> {
  return reader.readContract({ address: registry, abi: identityStateRegistryAbi, functionName: 'isStateValid', args: [id, state, maxAgeAfterReplacement], ...at });
}

// ------------------------------------------------------------------ requests and responses

/** What ZkQueryVerifier stores for a request, beyond the src/zk request JSON's query. */
export interface OnchainRequestOptions {
  /** Seconds a replaced issuer state stays acceptable (default 3600). */
  issuerStateMaxAge?: bigint;
  /** Seconds a proof's public timestamp may lie in the past (default 3600). */
  maxProofAge?: bigint;
}

/** The query part of a request: what the src/zk request JSON says, minus what the chain assigns. */
export type { RequestQueryJson };

export interface OnchainRequest {
  queryVerifier: Address;
  /** Assigned by the registry: uint256(keccak256(abi.encode(chainId, queryVerifier, n))) >> 8. */
  requestId: bigint;
  /** uint160(owner): the account that created the request. */
  verifierId: bigint;
  owner: Address;
  query: RequestQueryJson;
  issuerStateMaxAge: bigint;
  maxProofAge: bigint;
}

/**
 * Registers a request from a src/zk request JSON (its schema, slotIndex, operator, values and issuers; verifierId,
 * requestId, challenge and timestamp are the chain's: see `holderRequest`). The wallet becomes its owner.
 */
export async function createRequest(
  wallet: Wallet,
  reader: Reader,
  queryVerifier: Address,
  query: RequestQueryJson,
  opts: OnchainRequestOptions = {},
): Promise<OnchainRequest> {
  const issuerStateMaxAge = opts.issuerStateMaxAge ?? 3600n;
  const maxProofAge = opts.maxProofAge ?? 3600n;
  const operator = Operator[query.operator as OperatorName];
  if (operator === undefined) throw new Error(`operator: unknown ${query.operator}`);
  const { receipt } = await write(wallet, reader, {
    address: queryVerifier, abi: zkQueryVerifierAbi, functionName: 'createRequest',
    args: [{
      schema: BigInt(query.schema),
      slotIndex: query.slotIndex,
      operator,
      values: query.values.map((v) => BigInt(v)),
      trustedIssuers: query.issuers.map((i) => parseId(i).bigint),
      issuerStateMaxAge,
      maxProofAge,
    }],
  });
  const [event] = parseEventLogs({ abi: zkQueryVerifierAbi, logs: receipt.logs, eventName: 'RequestCreated' });
  const owner = wallet.account.address;
  return {
    queryVerifier, requestId: event.args.requestId, verifierId: BigInt(owner), owner,
    query: { schema: query.schema, slotIndex: query.slotIndex, operator: query.operator, values: [...query.values], issuers: [...query.issuers] },
    issuerStateMaxAge, maxProofAge,
  };
}

/** The src/zk request JSON a holder proves for an on-chain request (src/zk `onchainHolderRequest`). */
export function holderRequest(r: OnchainRequest, p: { wallet: Address; timestamp: bigint | number }): CredentialQueryRequestJson {
  return onchainHolderRequest(r, p);
}

/** Reads a request back: its query (issuers as decimal IDs), owner and whether it takes answers. */
export async function getRequest(reader: Reader, queryVerifier: Address, requestId: bigint) {
  const [p, owner, active] = await reader.readContract({ address: queryVerifier, abi: zkQueryVerifierAbi, functionName: 'getRequest', args: [requestId] });
  return { ...p, values: [...p.values], trustedIssuers: [...p.trustedIssuers], owner, active };
}

/**
 * Submits a response (src/zk response JSON) from the wallet (the proof's challenge must be this wallet). Reverts with
 * `ResponseRefused(code)` when refused. Returns the nullifier and the revealed value (DISCLOSE) from the event.
 */
export async function submitResponse(wallet: Wallet, reader: Reader, queryVerifier: Address, response: CredentialQueryResponseJson) {
  const { receipt } = await write(wallet, reader, {
    address: queryVerifier, abi: zkQueryVerifierAbi, functionName: 'submitResponse',
    args: [BigInt(response.requestId), ...queryCallArgs(response)],
  });
  const [event] = parseEventLogs({ abi: zkQueryVerifierAbi, logs: receipt.logs, eventName: 'ResponseAccepted' });
  return { nullifier: event.args.nullifier, revealedValue: event.args.revealedValue, receipt };
}

export interface CheckResult {
  ok: boolean;
  code: number;
  reason: QueryRefusalName | `UNKNOWN_CODE_${number}`;
}

/** What submitResponse would answer if `sender` submitted `response` now, without consuming anything. */
export async function checkResponse(reader: Reader, queryVerifier: Address, sender: Address, response: CredentialQueryResponseJson): Promise<CheckResult> {
  const code = await reader.readContract({
    address: queryVerifier, abi: zkQueryVerifierAbi, functionName: 'checkResponse',
    args: [BigInt(response.requestId), sender, ...queryCallArgs(response)],
  });
  return { ok: code === 0, code, reason: queryRefusalName(code) };
}

/** Whether `submitResponse` accepted a response with this nullifier. */
export function isNullifierUsed(reader: Reader, queryVerifier: Address, nullifier: bigint): Promise<boolean> {
  return reader.readContract({ address: queryVerifier, abi: zkQueryVerifierAbi, functionName: 'isNullifierUsed', args: [nullifier] });
}

// ------------------------------------------------------------------ compliance gate

/** Maps claim `topic` to `requestId`; marks last `validity` seconds (gate owner or agent). */
export async function setGateTopic(wallet: Wallet, reader: Reader, gate: Address, topic: bigint, requestId: bigint, validity: bigint) {
  return write(wallet, reader, { address: gate, abi: zkComplianceGateAbi, functionName: 'setTopicRequest', args: [topic, requestId, validity] });
}

/** Unmaps `topic` (its marks stop counting). */
export async function removeGateTopic(wallet: Wallet, reader: Reader, gate: Address, topic: bigint) {
  return write(wallet, reader, { address: gate, abi: zkComplianceGateAbi, functionName: 'removeTopicRequest', args: [topic] });
}

/** Ends `wallet`'s mark for `topic` now (gate owner or agent); a newer proof admits it again. */
/** Keeps the holder behind `nullifier` out of the gate at once (owner or agent); its wallet's `topic` mark ends. */
export async function suspendGateNullifier(wallet: Wallet, reader: Reader, gate: Address, topic: bigint, nullifier: bigint) {
  return write(wallet, reader, { address: gate, abi: zkComplianceGateAbi, functionName: 'suspendNullifier', args: [topic, nullifier] });
}

export async function restoreGateNullifier(wallet: Wallet, reader: Reader, gate: Address, nullifier: bigint) {
  return write(wallet, reader, { address: gate, abi: zkComplianceGateAbi, functionName: 'restoreNullifier', args: [nullifier] });
}

/**
 * The nullifier a holder answers an on-chain request with: Poseidon(holderId, verifierId = uint160(request owner),
 * requestId). Whoever knows the holder's ID (the issuer of a claim naming it) can compute it, e.g. to ask a gate
 * for a suspension.
 */
export function requestNullifier(holderId: bigint, request: Pick<OnchainRequest, 'verifierId' | 'requestId'>): bigint {
  return nullifierOf(holderId, request.verifierId, request.requestId);
}

export async function revokeGateMark(wallet: Wallet, reader: Reader, gate: Address, holderWallet: Address, topic: bigint) {
  return write(wallet, reader, { address: gate, abi: zkComplianceGateAbi, functionName: 'revokeMark', args: [holderWallet, topic] });
}

/** The request `topic` maps to, the marks' validity (seconds) and whether the topic is configured. */
export async function getGateTopic(reader: Reader, gate: Address, topic: bigint) {
  const [requestId, validity, active] = await reader.readContract({ address: gate, abi: zkComplianceGateAbi, functionName: 'topicRequest', args: [topic] });
  return { requestId, validity, active };
}

/** Proves `topic` to the gate from the wallet (the response's challenge must be this wallet). Returns the mark's expiry. */
export async function proveToGate(wallet: Wallet, reader: Reader, gate: Address, topic: bigint, response: Pick<CredentialQueryResponseJson, 'proof' | 'publicSignals' | 'auth'>) {
  const { receipt } = await write(wallet, reader, {
    address: gate, abi: zkComplianceGateAbi, functionName: 'prove', args: [topic, ...queryCallArgs(response)],
  });
  // From the mined event: the simulated return value used the pending block's time.
  const [event] = parseEventLogs({ abi: zkComplianceGateAbi, logs: receipt.logs, eventName: 'WalletVerified' });
  return { expiresAt: event.args.expiresAt, nullifier: event.args.nullifier, receipt };
}

/** Whether `wallet` holds a current gate mark for `topic`. */
export function isVerifiedByGate(reader: Reader, gate: Address, wallet: Address, topic: bigint): Promise<boolean> {
  return reader.readContract({ address: gate, abi: zkComplianceGateAbi, functionName: 'isVerifiedFor', args: [wallet, topic] });
}

/**
 * The identity registry's ZK compliance gate (undefined when none). IdentityRegistry has no getter for it (an extra
 * external function would put isVerified one comparison deeper in the selector dispatch): read from its ERC-7201 slot
 * (`masque.storage.IdentityRegistry.zkGate`).
 */
export async function getZkComplianceGate(reader: Reader, identityRegistry: Address): Promise<Address | undefined> {
  const word = await reader.getStorageAt({ address: identityRegistry, slot: ZK_GATE_SLOT });
  const gate = word ? getAddress(`0x${word.slice(-40)}`) : zeroAddress;
  return gate === zeroAddress ? undefined : gate;
}
const ZK_GATE_SLOT = '0xa944b7da675e0593da6497ca5047935281f577f557e07743ac2d3a5b04ae5d00';

/** Sets (or with `gate` undefined, removes) the identity registry's ZK compliance gate (registry owner). */
export async function setZkComplianceGate(wallet: Wallet, reader: Reader, identityRegistry: Address, gate?: Address) {
  return write(wallet, reader, { address: identityRegistry, abi: identityRegistryAbi, functionName: 'setZkComplianceGate', args: [gate ?? zeroAddress] });
}
