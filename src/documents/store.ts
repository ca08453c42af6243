import type { Hex } from 'viem';
import type { CID } from 'multiformats/cid';
import type { Blockstore } from '../storage/blockstore.js';
import { equalBytes } from '../crypto/bytes.js';
import { hexToBytes } from 'viem';
import { cidDocumentHash, documentHash } from './hashes.js';
import { openDocument, type SealedDocument } from './document.js';
import { IntegrityError } from './errors.js';
import { parseDocumentCid, type ClaimContext } from './context.js';

/** Stores a sealed document; the store must name it by the CID computed when sealing. */
export async function storeDocument(store: Pick<Blockstore, 'put'>, sealed: SealedDocument): Promise<CID> {
  const cid = await store.put(sealed.bytes);
  if (!cid.equals(sealed.cid)) throw new IntegrityError(`store named the document ${cid}, expected ${sealed.cid}`);
  return cid;
}

/**
 * Fetches stored bytes and checks them against the claim's on-chain document hash. The on-chain hash
 * is the CID's SHA-256 digest, so the CID is checked against the chain before anything is read; the
 * bytes are then hashed here too, whatever the blockstore claims to have checked (a remote store is
 * not trusted). On a mismatch only an IntegrityError comes back, never the bytes.
 */
export async function fetchDocument(store: Pick<Blockstore, 'get'>, cid: CID | string, onChainHash: Hex): Promise<Uint8Array> {
  const c = parseDocumentCid(cid);
  if (!equalBytes(hexToBytes(cidDocumentHash(c)), hexToBytes(onChainHash))) {
    throw new IntegrityError(`document ${c} is not the one the on-chain hash names`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await store.get(c);
  } catch (e) {
    if ((e as Error)?.name === 'BlockIntegrityError') throw new IntegrityError(`stored bytes do not match CID ${c}`);
    throw e;
  }
  if (documentHash(bytes) !== cidDocumentHash(c)) throw new IntegrityError(`stored bytes do not match CID ${c}`);
  return bytes;
}

/** fetchDocument, then decrypt with a key the caller unwrapped from its envelope. */
export async function fetchAndOpenDocument(
  store: Pick<Blockstore, 'get'>,
  cid: CID | string,
  onChainHash: Hex,
  documentKey: Uint8Array,
  context: ClaimContext,
): Promise<Uint8Array> {
  return openDocument(await fetchDocument(store, cid, onChainHash), documentKey, context);
}
