/**
 * Groth16 proving and off-chain verification, and the public signals parsed into named fields.
 * Witnesses come from the circuit's circom WebAssembly (circom_runtime, one instance kept per circuit); proofs from
 * src/zk/groth16 (our WebAssembly prover on worker threads, snarkjs-compatible), or from snarkjs where no worker
 * threads exist; verification from snarkjs. Works in node and in browsers (artifacts as paths/URLs or bytes);
 * no node APIs here.
 */
import * as snarkjs from 'snarkjs';
import { WitnessCalculatorBuilder } from 'circom_runtime';
import { Groth16Prover, terminateProverWorkers, workersAvailable } from './groth16/prover.js';
import { wtnsValues } from './groth16/zkey.js';
import { credentialQueryInputs, stateTransitionInputs, type CircuitInputs, type CredentialQuery, type CredentialWitness, type HolderWitness, type QueryHolder } from './inputs.js';
import { freshSalt, holderAuthInputs, holderCommitment, type HolderAuthParams, type HolderAuthWitness } from './holder-auth.js';
import type { GistUpdateWitness } from './gist.js';
import type { StateTransition } from '../identity/index.js';
import {
  CREDENTIAL_QUERY_SIGNALS, HOLDER_AUTH_SIGNALS, Operator, QUERY_VALUES, STATE_TRANSITION_SIGNALS, ZkError,
  type CredentialQueryPublic, type HolderAuthPublic, type Groth16Proof, type OperatorCode, type ProofWithSignals, type ProverArtifacts,
  type StateTransitionPublic, type VerificationKey,
} from './types.js';

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

/**
 * What a proof needs, kept between proofs by path or URL (bytes given directly are used as they are): read or
 * fetched once, compiled or parsed once. releaseProverResources() empties these.
 */
const cached = new Map<string, Promise<unknown>>();
function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  let p = cached.get(key) as Promise<T> | undefined;
  if (!p) {
    p = make();
    cached.set(key, p);
    p.catch(() => cached.delete(key));
  }
  return p;
}

interface WitnessCalculator {
  calculateWTNSBin(input: CircuitInputs, sanityCheck?: boolean): Promise<Uint8Array>;
}

/** The circuit's witness calculator (circom's WebAssembly, instantiated once per artifact path). */
function witnessCalculator(wasm: string | Uint8Array): Promise<WitnessCalculator> {
  const build = async () => WitnessCalculatorBuilder(typeof wasm === 'string' ? await readAll(wasm) : wasm) as Promise<WitnessCalculator>;
  return typeof wasm === 'string' ? once(`wasm:${wasm}`, build) : build();
}

function groth16Prover(zkey: string | Uint8Array): Promise<Groth16Prover> {
  if (typeof zkey !== 'string') return Promise.resolve(new Groth16Prover(zkey));
  return once(`zkey:${zkey}`, async () => new Groth16Prover(await readAll(zkey)));
}

function zkeyBytes(zkey: string | Uint8Array): Promise<Uint8Array> {
  return typeof zkey === 'string' ? once(`zkey-bytes:${zkey}`, () => readAll(zkey)) : Promise.resolve(zkey);
}

const CONSTRAINT_FAILURE = /Assert Failed|Error in template/i;
const INPUT_MISMATCH = /Not enough values|Too many values|Signal not found|Not all inputs have been set/i;

/** Runs the witness calculator; a failed calculator is dropped (circom_runtime keeps its error text between runs). */
async function calculateWitness(inputs: CircuitInputs, wasm: string | Uint8Array): Promise<Uint8Array> {
  const calculator = await witnessCalculator(wasm);
  try {
    return await calculator.calculateWTNSBin(inputs);
  } catch (error) {
    if (typeof wasm === 'string') cached.delete(`wasm:${wasm}`);
    throw error;
  }
}

/** Proves any circuit from ready inputs. A false statement fails in witness generation: ZkError UNSATISFIED. */
export async function proveInputs(inputs: CircuitInputs, artifacts: ProverArtifacts): Promise<ProofWithSignals> {
  let wtns: Uint8Array;
  try {
    wtns = await calculateWitness(inputs, artifacts.wasm);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (CONSTRAINT_FAILURE.test(message) && !INPUT_MISMATCH.test(message)) {
      throw new ZkError('UNSATISFIED', `the circuit's constraints are not met: ${message.split('\n')[0]}`);
    }
    throw error;
  }
  if (workersAvailable()) {
    const { proof, publicSignals } = await (await groth16Prover(artifacts.zkey)).prove(wtnsValues(wtns));
    return { proof: proof as Groth16Proof, publicSignals };
  }
  const { proof, publicSignals } = await snarkjs.groth16.prove({ type: 'mem', data: await zkeyBytes(artifacts.zkey) }, { type: 'mem', data: wtns });
  return { proof: proof as Groth16Proof, publicSignals: publicSignals as string[] };
}

/**
 * Computes only the witness (no proof): the fast way to ask "would this statement prove?". Resolves to
 * true, or false when a constraint fails.
 */
export async function witnessSatisfies(inputs: CircuitInputs, wasm: string | Uint8Array): Promise<boolean> {
  try {
    await calculateWitness(inputs, wasm);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (CONSTRAINT_FAILURE.test(message) && !INPUT_MISMATCH.test(message)) return false;
    throw error;
  }
}

/** The credential query proof alone (holder ID and salt private; pair it with a holder-auth proof of the same salt). */
export async function proveCredentialQuery(
  holder: QueryHolder,
  credential: CredentialWitness,
  query: CredentialQuery,
  artifacts: ProverArtifacts,
): Promise<ProofWithSignals> {
  return proveInputs(credentialQueryInputs(holder, credential, query), artifacts);
}

/** The holder-auth proof (a key of the holder's latest state, through the GIST); can be made before the query. */
export async function proveHolderAuth(w: HolderAuthWitness, params: HolderAuthParams, artifacts: ProverArtifacts): Promise<ProofWithSignals> {
  return proveInputs(holderAuthInputs(w, params), artifacts);
}

/** Both proofs of an answer, bound by one fresh salt: what a verifier checks together (request.ts verifyResponse). */
export interface AnswerProofs {
  readonly query: ProofWithSignals;
  readonly auth: ProofWithSignals;
}

/**
 * Answers a query: the holder-auth proof and the credential query proof with one fresh salt (so the two
 * commitments are equal and unlinkable to any other answer). `auth` may be a holder-auth proof made earlier for
 * this challenge with `salt` (e.g. prepared before the request arrived): then only the query is proven here.
 */
export async function proveAnswer(
  holder: HolderWitness,
  credential: CredentialWitness,
  query: CredentialQuery,
  artifacts: { readonly credentialQuery: ProverArtifacts; readonly holderAuth: ProverArtifacts },
  prepared?: { readonly auth: ProofWithSignals; readonly salt: bigint },
): Promise<AnswerProofs> {
  const salt = prepared?.salt ?? freshSalt();
  const queryHolder = { id: holder.id, salt, profileNonce: holder.profileNonce };
  // Built before any proving: a false statement throws with its reason.
  const queryInputs = credentialQueryInputs(queryHolder, credential, query);
  if (prepared) {
    const a = parseHolderAuthSignals(prepared.auth.publicSignals);
    if (a.challenge !== query.challenge) throw new ZkError('BAD_INPUT', 'prepared.auth: proven for another challenge');
    if (a.commitment !== holderCommitment(holder.id, salt)) throw new ZkError('BAD_INPUT', 'prepared.auth: not this holder\'s proof with this salt');
  }
  const auth = prepared?.auth ?? (await proveHolderAuth(holder, { challenge: query.challenge, salt }, artifacts.holderAuth));
  return { query: await proveInputs(queryInputs, artifacts.credentialQuery), auth };
}

/** A state transition proof: the transition signed by the identity and the GIST update it makes. */
export async function proveStateTransition(transition: StateTransition, gist: GistUpdateWitness, artifacts: ProverArtifacts): Promise<ProofWithSignals> {
  return proveInputs(stateTransitionInputs(transition, gist), artifacts);
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
    commitment: s.commitment,
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
  return {
    id: s.id, oldState: s.oldState, newState: s.newState, isOldStateGenesis: s.isOldStateGenesis === 1n,
    gistOldRoot: s.gistOldRoot, gistNewRoot: s.gistNewRoot,
  };
}

export function parseHolderAuthSignals(signals: readonly string[]): HolderAuthPublic {
  const s = named(HOLDER_AUTH_SIGNALS, signals);
  return { commitment: s.commitment, gistRoot: s.gistRoot, challenge: s.challenge };
}

/**
 * The prover keeps worker threads, each proving key's points in them, and the witness calculators; snarkjs keeps
 * its BN254 curve (and its own worker threads) after a verification. A CLI or test ends faster after releasing
 * them. Safe to call when nothing was cached.
 */
export async function releaseProverResources(): Promise<void> {
  cached.clear();
  terminateProverWorkers();
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } };
  if (g.curve_bn128) {
    await g.curve_bn128.terminate();
    g.curve_bn128 = undefined;
  }
}
