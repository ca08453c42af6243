// Another party named by its DID: a wallet's did:pkh (or the bare address), and the ML-KEM-768 encryption keys its
// DID document lists as keyAgreement (the purpose-4 keys of the wallet's identity, resolved by the node from chain
// state). Used wherever a page grants or delegates to someone else.
import { getAddress, type Address } from 'viem';
import type { ZodType } from 'zod';
import { client } from './rpc.js';
import { check } from '../ui/validate.js';

/** The wallet a did:pkh (on this chain) or an address names, or the reason it names none. */
export function partyAddress(input: string, chainId: number): { address: Address } | { error: string } {
  const v = input.trim();
  const m = /^did:pkh:eip155:(\d+):(0x[0-9a-fA-F]{40})$/.exec(v);
  if (m) return Number(m[1]) === chainId ? { address: getAddress(m[2]!) } : { error: `a DID of chain ${m[1]}, not of this node's chain ${chainId}` };
  if (/^0x[0-9a-fA-F]{40}$/.test(v)) return { address: getAddress(v) };
  return { error: `expected did:pkh:eip155:${chainId}:0x… or a wallet address` };
}

export const pkhOf = (chainId: number, address: string) => `did:pkh:eip155:${chainId}:${getAddress(address)}`;

/** The did:key encryption keys the wallet's DID document lists (none when it has no identity or published no key). */
export async function encryptionKeysOf(chainId: number, address: Address): Promise<string[]> {
  const doc = await client.rpc.id_resolveDid({ did: pkhOf(chainId, address) }) as { verificationMethod?: { id: string; publicKeyMultibase?: string }[]; keyAgreement?: string[] };
  return (doc.keyAgreement ?? []).flatMap((ref) => {
    const m = doc.verificationMethod?.find((x) => x.id === ref)?.publicKeyMultibase;
    return m ? [`did:key:${m}`] : [];
  });
}

/**
 * The wallet and encryption key to wrap a document key for: the party's DID (checked, then its address against the
 * API's own address schema) and either the did:key typed (checked with the API's did:key schema) or, left empty, the
 * key its DID document lists. Errors come back by field name, for the form to show at each field.
 */
export async function resolveRecipient(o: {
  party: string; key: string; chainId: number; fields: { party: string; key: string };
  schemas: { address: ZodType; key: ZodType };
}): Promise<{ address: Address; key: string } | { errors: Record<string, string> }> {
  const p = partyAddress(o.party, o.chainId);
  if ('error' in p) return { errors: { [o.fields.party]: p.error } };
  const bad = check(o.schemas.address, p.address);
  if (bad) return { errors: { [o.fields.party]: bad } };
  const typed = o.key.trim();
  if (typed) {
    const e = check(o.schemas.key, typed);
    return e ? { errors: { [o.fields.key]: e } } : { address: p.address, key: typed };
  }
  const [first] = await encryptionKeysOf(o.chainId, p.address);
  return first ? { address: p.address, key: first } : { errors: { [o.fields.key]: 'its DID document lists no encryption key: enter its did:key' } };
}
