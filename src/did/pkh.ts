import { getAddress, type Address } from 'viem';
import { DidError } from './errors.js';

/**
 * did:pkh for Ethereum accounts: `did:pkh:eip155:<chainId>:<address>`, whose method-specific id is a
 * CAIP-10 account id (CAIP-2 chain id `eip155:<chainId>` + account address).
 *
 * Parsing accepts an all-lowercase or all-uppercase hex address (such addresses carry no checksum, and
 * the did:pkh spec's own examples are lowercase) or an EIP-55 mixed-case one whose checksum holds; a
 * mixed-case address with a wrong checksum is a typo, so it is refused rather than silently normalised.
 * Formatting always writes the EIP-55 form, so one account has one canonical DID string.
 */
export interface PkhAccount {
  readonly chainId: number;
  /** EIP-55 checksummed. */
  readonly address: Address;
}

const PREFIX = 'did:pkh:eip155:';
// CAIP-2 for eip155: the reference is the decimal EIP-155 chain id, no leading zeros.
const CHAIN_ID = /^[1-9][0-9]{0,31}$/;
const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function checksumAddress(address: string): Address {
  if (!HEX_ADDRESS.test(address)) throw new TypeError(`not a 20-byte hex address: ${address}`);
  const body = address.slice(2);
  const uniformCase = body === body.toLowerCase() || body === body.toUpperCase();
  const checksummed = getAddress(`0x${body.toLowerCase()}`);
  if (!uniformCase && checksummed !== address) throw new TypeError(`bad EIP-55 checksum: ${address}`);
  return checksummed;
}

/** CAIP-10 account id: `eip155:<chainId>:<address>`. */
export function formatCaip10(account: PkhAccount): string {
  if (!Number.isSafeInteger(account.chainId) || account.chainId <= 0) throw new TypeError(`bad chain id: ${account.chainId}`);
  return `eip155:${account.chainId}:${checksumAddress(account.address)}`;
}

export function parseCaip10(accountId: string): PkhAccount {
  const parts = accountId.split(':');
  if (parts.length !== 3 || parts[0] !== 'eip155') throw new TypeError(`not an eip155 CAIP-10 account id: ${accountId}`);
  const [, chain, address] = parts;
  if (!CHAIN_ID.test(chain)) throw new TypeError(`bad eip155 chain reference: ${chain}`);
  const chainId = Number(chain);
  if (!Number.isSafeInteger(chainId)) throw new TypeError(`chain id out of range: ${chain}`);
  return { chainId, address: checksumAddress(address) };
}

export function formatPkh(account: PkhAccount): string {
  return `did:pkh:${formatCaip10(account)}`;
}

export function parsePkh(did: string): PkhAccount {
  if (typeof did !== 'string' || !did.startsWith(PREFIX)) throw new DidError(String(did), 'not a did:pkh:eip155 DID');
  try {
    return parseCaip10(did.slice('did:pkh:'.length));
  } catch (e) {
    throw new DidError(did, (e as Error).message);
  }
}

export function isPkh(did: string): boolean {
  try {
    parsePkh(did);
    return true;
  } catch {
    return false;
  }
}

/** The canonical (checksummed) spelling of a did:pkh, for comparing DIDs as strings. */
export function canonicalPkh(did: string): string {
  return formatPkh(parsePkh(did));
}
