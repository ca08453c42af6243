/**
 * Evidence of screenings, verifiable by an auditor without trusting the service that kept it.
 *
 * Every screening of a holder, hit or not, is one `EvidenceRecord`: the holder by its identity (never a name), a
 * commitment to the profile screened, the list versions (with their content hashes) and the matcher version and
 * thresholds it ran with, the best score, the decision and the time. A run (a full re-screen, a delta screen after an
 * import, a renewal, an enrolment) hashes its records into a Merkle tree whose root the screening operator signs once
 * (`runMessage`), so 100,000 records cost one signature. An auditor holding a record, its proof and the signed run
 * header checks: the leaf hash, the path to the root, the operator's signature over the header, and each list hash
 * against the list version itself (`ListVersion.fromJSON` recomputes it from the entries).
 *
 * Hashes: a leaf is sha256(0x00 || "masque-screening/evidence/v1\n" || canonical JSON of the record), an inner node
 * sha256(0x01 || left || right); an odd node is carried up unchanged. Domain-separated leaves and nodes keep a node from
 * passing as a record.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { ScreeningInputError } from './errors.js';
import { canonicalJson } from './version.js';

export type ScreeningKind = 'enrolment' | 'delta' | 'full' | 'renewal' | 'manual';
export type ScreeningDecision = 'clear' | 'review' | 'hit' | 'suppressed';

/** One screening of one holder. No personal data: the identity is a contract address, the profile a salted commitment. */
export interface EvidenceRecord {
  readonly format: 'masque-screening-evidence/1';
  readonly chainId: number;
  /** The holder's identity contract, lower-case. */
  readonly identity: string;
  /**
   * HMAC-SHA256 of the profile's canonical JSON under the service's commitment key: shows which version of the profile
   * was screened (the operator can open it to an auditor) without revealing it or letting anyone guess it.
   */
  readonly profileCommitment: string;
  readonly kind: ScreeningKind;
  /** ISO 8601 time of the screening (the service's clock). */
  readonly screenedAt: string;
  readonly lists: readonly { readonly source: string; readonly hash: string; readonly entryCount: number; readonly publishedAt: string | null }[];
  readonly matcher: { readonly version: string; readonly reviewThreshold: number; readonly autoActionThreshold: number };
  /** Highest score against any entry of the lists (0 when nothing came near). */
  readonly bestScore: number;
  /** Entries at or above the review threshold, best first: list ids and content hashes only. */
  readonly hits: readonly { readonly entityId: string; readonly entityHash: string; readonly score: number }[];
  /** clear: no entry at the review threshold; review: a case for an analyst; hit: at the auto-action threshold; suppressed: only pairs an analyst dismissed. */
  readonly decision: ScreeningDecision;
  /** The claim topics this screening speaks for, each `clear` or `hit`. */
  readonly topics: Readonly<Record<string, 'clear' | 'hit'>>;
}

export const EVIDENCE_FORMAT = 'masque-screening-evidence/1' as const;
const LEAF_PREFIX = utf8ToBytes('masque-screening/evidence/v1\n');

const h = (...parts: Uint8Array[]) => sha256(concatBytes(...parts));
const hex = (b: Uint8Array) => `0x${bytesToHex(b)}`;
const unhex = (s: string) => {
  if (!/^0x[0-9a-f]{64}$/.test(s)) throw new ScreeningInputError('hash', 'expected 0x and 64 lower-case hex digits');
  return hexToBytes(s.slice(2));
};

/** The leaf hash of a record (0x-hex, 32 bytes): what a run's tree holds and what a claim may bind as its documentHash. */
export function evidenceLeaf(record: EvidenceRecord): string {
  if (record?.format !== EVIDENCE_FORMAT) throw new ScreeningInputError('format', `not a ${EVIDENCE_FORMAT} record`);
  return hex(h(new Uint8Array([0]), LEAF_PREFIX, utf8ToBytes(canonicalJson(record))));
}

/** Inner node hash. */
function node(left: Uint8Array, right: Uint8Array): Uint8Array {
  return h(new Uint8Array([1]), left, right);
}

/** The Merkle root over leaf hashes in order (the empty tree's root is sha256 of nothing). */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return hex(sha256(new Uint8Array(0)));
  let level: Uint8Array[] = leaves.map(unhex);
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? node(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return hex(level[0]);
}

/** A path from a leaf to the root: each step the sibling and whether it sits on the left. */
export type MerkleProof = readonly { readonly left: boolean; readonly hash: string }[];

export function merkleProof(leaves: readonly string[], index: number): MerkleProof {
  if (!(index >= 0 && index < leaves.length)) throw new ScreeningInputError('index', `must be in [0, ${leaves.length})`);
  const proof: { left: boolean; hash: string }[] = [];
  let level: Uint8Array[] = leaves.map(unhex);
  let i = index;
  while (level.length > 1) {
    const sibling = i % 2 === 0 ? i + 1 : i - 1;
    if (sibling < level.length) proof.push({ left: sibling < i, hash: hex(level[sibling]) });
    const next: Uint8Array[] = [];
    for (let j = 0; j < level.length; j += 2) next.push(j + 1 < level.length ? node(level[j], level[j + 1]) : level[j]);
    level = next;
    i = Math.floor(i / 2);
  }
  return proof;
}

export function verifyMerkleProof(leaf: string, proof: MerkleProof, root: string): boolean {
  try {
    let acc: Uint8Array = unhex(leaf);
    for (const step of proof) acc = step.left ? node(unhex(step.hash), acc) : node(acc, unhex(step.hash));
    return hex(acc) === root;
  } catch {
    return false;
  }
}

/** What the operator signs for a run (EIP-191 personal message of `runMessage(header)`). */
export interface RunHeader {
  readonly format: 'masque-screening-run/1';
  readonly chainId: number;
  readonly runId: number;
  readonly kind: ScreeningKind;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly records: number;
  readonly root: string;
  /** The operator's address (the signer an auditor expects). */
  readonly operator: string;
}

export function runMessage(header: RunHeader): string {
  if (header?.format !== 'masque-screening-run/1') throw new ScreeningInputError('format', 'not a masque-screening-run/1 header');
  return `Masque screening run\n${canonicalJson(header)}`;
}

/**
 * Everything about a record an auditor can check without a signature library: the leaf, the path to the run's root,
 * and that the record names the run's chain. The caller then checks the operator's EIP-191 signature over
 * `runMessage(header)` (viem's verifyMessage) and each list hash against the list version.
 */
export function checkEvidence(record: EvidenceRecord, proof: MerkleProof, header: RunHeader): { ok: true; leaf: string } | { ok: false; reason: string } {
  let leaf: string;
  try {
    leaf = evidenceLeaf(record);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (record.chainId !== header.chainId) return { ok: false, reason: 'the record names another chain than its run' };
  if (!verifyMerkleProof(leaf, proof, header.root)) return { ok: false, reason: "the record is not in the run's tree (proof does not reach the root)" };
  return { ok: true, leaf };
}
