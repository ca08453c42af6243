import type { Hex } from 'viem';
import { cidOfDigest, decodeEnvelope, envelopeContext, fetchDocument, IntegrityError } from '../../documents/index.js';
import type { NodeContext } from '../context.js';
import { RpcCode, RpcError, notFound } from '../rpc/errors.js';

/**
 * A stored document's bytes, checked against `documentHash` (the on-chain hash, or the one recorded with a KYC
 * application) and its CID: -32005 when they do not match (the bytes are never returned), undefined when the block
 * is absent (distinguishable from tampering), -32006 when the blockstore cannot be read.
 */
export async function storedDocument(ctx: NodeContext, cid: string, documentHash: Hex): Promise<Uint8Array | undefined> {
  try {
    return await fetchDocument(ctx.blocks, cid, documentHash);
  } catch (e) {
    if (e instanceof IntegrityError) {
      ctx.log(`integrity failure for document ${cid}`);
      throw new RpcError(RpcCode.INTEGRITY, 'integrity error: stored document does not match its hash');
    }
    if ((e as Error)?.name === 'BlockNotFoundError') return undefined;
    throw new RpcError(RpcCode.UPSTREAM, 'the document store could not be read');
  }
}

/**
 * Envelopes go to the blockstore too (before any row or transaction refers to them), named by the CID whose digest
 * is their `envelopeRef`: the chain's grant alone finds them again if the node's database is lost.
 */
export async function putEnvelopeBlocks(ctx: NodeContext, canonical: readonly string[]): Promise<void> {
  for (const c of canonical) await ctx.blocks.put(new TextEncoder().encode(c));
}

/** A stored key envelope by its reference (the grant's `envelopeRef` on chain): the database row, else its block. */
export async function envelopeByRef(ctx: NodeContext, ref: Hex): Promise<{ cid: string; recipient: string; envelope: string }> {
  const row = await ctx.repos.documents.envelope(ref);
  if (row) return row;
  let text: string;
  try {
    text = new TextDecoder().decode(await ctx.blocks.get(cidOfDigest(ref)));
  } catch {
    throw notFound('the envelope of this grant is not stored on this node');
  }
  const stated = envelopeContext(decodeEnvelope(text));
  return { cid: String(stated.cid), recipient: stated.recipient, envelope: text };
}
