/**
 * Groth16 proving and off-chain verification with snarkjs, and the public signals parsed into named fields.
 * Works in node and in browsers (artifacts as paths/URLs or bytes); no node APIs here.
 */
import * as snarkjs from 'snarkjs';
import { credentialQueryInputs, stateTransitionInputs, type CircuitInputs, type CredentialQuery, type CredentialWitness, type HolderWitness } from './inputs.js';
import type { StateTransition } from '../identity/index.js';
import {
  CREDENTIAL_QUERY_SIGNALS, Operator, QUERY_VALUES, STATE_TRANSITION_SIGNALS, ZkError,
  type CredentialQueryPublic, type Groth16Proof, type OperatorCode, type ProofWithSignals, type ProverArtifacts,
  type StateTransitionPublic, type VerificationKey,
} from './types.js';

/** snarkjs reads bytes from { type: 'mem', data } and paths/URLs from strings. */
function source(a: string | Uint8Array): string | { type: 'mem'; data: Uint8Array } {
  return typeof a === 'string' ? a : { type: 'mem', data: a };
}

/**
 * Proving keys kept in memory between proofs, by path or URL. Given a string, snarkjs reads the whole zkey
 * again on every proof (a fetch in a browser, file reads in node); given bytes it only copies out the
 * sections it needs. releaseProverResources() empties this.
 */
const zkeys = new Map<string, Promise<Uint8Array>>();

async function readAll(location: string): Promise<Uint8Array> {
  // Node, a file path: process.getBuiltinModule (Node >= 20.16) keeps node imports out of browser bundles.
  const fs = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.('node:fs') as
    | { promises: { readFile(path: string): Promise<Uint8Array> } }
    | undefined;
  if (fs && !/^(https?|blob|data):/i.test(location)) {
    const b = await fs.promises.readFile(location);
    // A plain Uint8Array view (a Buffer's slice() would share memory with the cached key).
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const response = await fetch(location);
  if (!response.ok) throw new Error(`${location}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function zkeySource(zkey: string | Uint8Array): Promise<{ type: 'mem'; data: Uint8Array }> | { type: 'mem'; data: Uint8Array } {
  if (typeof zkey !== 'string') return { type: 'mem', data: zkey };
  let bytes = zkeys.get(zkey);
  if (!bytes) {
    bytes = readAll(zkey);
    zkeys.set(zkey, bytes);
    bytes.catch(() => zkeys.delete(zkey));
  }
  return bytes.then((data) => ({ type: 'mem', data }));
}

/** Proves any circuit from ready inputs. A false statement fails in witness generation: ZkError UNSATISFIED. */
export async function proveInputs(inputs: CircuitInputs, artifacts: ProverArtifacts): Promise<ProofWithSignals> {
  try {
    const zkey = await zkeySource(artifacts.zkey);
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(inputs, source(artifacts.wasm), zkey);
    return { proof: proof as Groth16Proof, publicSignals: publicSignals as string[] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/Assert Failed|Error in template/i.test(message)) throw new ZkError('UNSATISFIED', `the circuit's constraints are not met: ${message.split('\n')[0]}`);
    throw error;
  }
}

/**
 * Computes only the witness (no proof): the fast way to ask "would this statement prove?". Resolves to
 * true, or false when a constraint fails.
 */
export async function witnessSatisfies(inputs: CircuitInputs, wasm: string | Uint8Array): Promise<boolean> {
  const out = { type: 'mem' } as { type: 'mem'; data?: Uint8Array };
  try {
    await snarkjs.wtns.calculate(inputs, source(wasm), out);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/Assert Failed|Error in template|Not enough values|Too many values|Signal not found/i.test(message)) {
      if (/Not enough values|Too many values|Signal not found/i.test(message)) throw error;
      return false;
    }
    throw error;
  }
}

export async function proveCredentialQuery(
  holder: HolderWitness,
  credential: CredentialWitness,
  query: CredentialQuery,
  artifacts: ProverArtifacts,
): Promise<ProofWithSignals> {
  return proveInputs(credentialQueryInputs(holder, credential, query), artifacts);
}

export async function proveStateTransition(transition: StateTransition, artifacts: ProverArtifacts): Promise<ProofWithSignals> {
  return proveInputs(stateTransitionInputs(transition), artifacts);
}

/** Off-chain Groth16 verification; false (never a throw) for malformed proofs or signals. */
export async function verifyProof(vkey: VerificationKey, p: ProofWithSignals): Promise<boolean> {
  if (!Array.isArray(p.publicSignals) || p.publicSignals.length !== vkey.nPublic) return false;
  if (!p.publicSignals.every((s) => typeof s === 'string' && /^\d+$/.test(s))) return false;
  try {
    return (await snarkjs.groth16.verify(vkey, p.publicSignals, p.proof, { debug() {}, info() {}, warn() {}, error() {} })) === true;
  } catch {
    return false;
  }
}

function named<T extends readonly string[]>(names: T, signals: readonly string[]): Record<T[number], bigint> {
  if (signals.length !== names.length) throw new ZkError('BAD_RESPONSE', `expected ${names.length} public signals, got ${signals.length}`);
  return Object.fromEntries(names.map((n, i) => {
    const s = signals[i];
    if (typeof s !== 'string' || !/^\d+$/.test(s)) throw new ZkError('BAD_RESPONSE', `public signal ${n}: not a decimal string`);
    return [n, BigInt(s)];
  })) as Record<T[number], bigint>;
}

export function parseCredentialQuerySignals(signals: readonly string[]): CredentialQueryPublic {
  const s = named(CREDENTIAL_QUERY_SIGNALS, signals);
  const operator = Number(s.operator);
  if (!Object.values(Operator).includes(operator as OperatorCode)) throw new ZkError('BAD_RESPONSE', 'operator: unknown');
  return {
    nullifier: s.nullifier,
    revealedValue: s.revealedValue,
    issuerId: s.issuerId,
    issuerState: s.issuerState,
    schema: s.schema,
    slotIndex: Number(s.slotIndex),
    operator: operator as OperatorCode,
    values: Array.from({ length: QUERY_VALUES }, (_, i) => s[`values[${i}]` as keyof typeof s]),
    timestamp: s.timestamp,
    verifierId: s.verifierId,
    requestId: s.requestId,
    challenge: s.challenge,
  };
}

export function parseStateTransitionSignals(signals: readonly string[]): StateTransitionPublic {
  const s = named(STATE_TRANSITION_SIGNALS, signals);
  return { id: s.id, oldState: s.oldState, newState: s.newState, isOldStateGenesis: s.isOldStateGenesis === 1n };
}

/**
 * snarkjs keeps its BN254 curve (and worker threads) cached between calls, and proveInputs keeps the proving
 * keys it read; a CLI or test ends faster after releasing them. Safe to call when nothing was cached.
 */
export async function releaseProverResources(): Promise<void> {
  zkeys.clear();
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } };
  if (g.curve_bn128) {
    await g.curve_bn128.terminate();
    g.curve_bn128 = undefined;
  }
}
