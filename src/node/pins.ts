// Pin audit of the documents in Kubo. The node pins every block it stores (block/put?pin=true), so Kubo's garbage
// collector keeps them; the audit, a recurring job (once per period across every replica), checks that each
// document the database knows is still pinned, pins again what an operator's `pin rm` or a put made with pinning off
// left unpinned, and counts what Kubo no longer holds at all. The last result is kept in meta (`documents.pin-audit`).
import { CID } from 'multiformats/cid';
import type { Hex } from 'viem';
import { cidOfDigest } from '../documents/index.js';
import type { KuboBlockstore } from '../storage/index.js';
import type { Repos } from './db/index.js';
import type { NodeContext } from './context.js';

export const PIN_AUDIT = 'documents.pin-audit';
const PAGE = 500;

export interface PinAuditResult {
  /** Documents checked. */
  checked: number;
  /** Key envelopes checked (counted in repinned / missing like documents). */
  envelopes: number;
  /** Unpinned but present: pinned again now. */
  repinned: number;
  /** Not in Kubo at all: the CIDs' count only (restore them from a replica of the cluster or a backup). */
  missing: number;
  startedAt: number;
  finishedAt: number;
}

/** What the audit needs of Kubo (KuboBlockstore). */
export type PinStore = Pick<KuboBlockstore, 'pinned' | 'has' | 'pinBlock'>;

/**
 * Walks every document, then every key envelope (the grants' envelopes, stored by the CID whose digest is the
 * on-chain envelopeRef: what keeps a grant readable with the database lost), in pages; stops early (what it has so
 * far) if `signal` aborts.
 */
export async function auditPins(repos: Repos, kubo: PinStore, signal?: AbortSignal): Promise<PinAuditResult> {
  const r: PinAuditResult = { checked: 0, envelopes: 0, repinned: 0, missing: 0, startedAt: Date.now(), finishedAt: 0 };
  const check = async (cid: CID) => {
    if (await kubo.pinned(cid)) return;
    if (await kubo.has(cid)) {
      await kubo.pinBlock(cid);
      r.repinned++;
    } else {
      r.missing++;
    }
  };
  for (let after = ''; !signal?.aborted;) {
    const cids = await repos.documents.cidsAfter(after, PAGE);
    if (cids.length === 0) break;
    for (const text of cids) {
      r.checked++;
      await check(CID.parse(text));
    }
    after = cids[cids.length - 1]!;
  }
  for (let after = ''; !signal?.aborted;) {
    const refs = await repos.documents.envelopeRefsAfter(after, PAGE);
    if (refs.length === 0) break;
    for (const ref of refs) {
      r.envelopes++;
      await check(cidOfDigest(ref as Hex));
    }
    after = refs[refs.length - 1]!;
  }
  r.finishedAt = Date.now();
  return r;
}

/** Registers the audit as recurring work of the node's job queue. */
export function schedulePinAudit(ctx: NodeContext, kubo: KuboBlockstore, intervalMs = 3_600_000): void {
  ctx.jobs.register(PIN_AUDIT, async (job) => {
    const result = await auditPins(ctx.repos, kubo, job.signal);
    await job.complete((tx) => tx.meta.set(PIN_AUDIT, result));
    if (result.repinned || result.missing) ctx.log(`pin audit: ${result.checked} documents, ${result.envelopes} envelopes, ${result.repinned} pinned again, ${result.missing} missing from Kubo`);
  }).every(PIN_AUDIT, intervalMs);
}
