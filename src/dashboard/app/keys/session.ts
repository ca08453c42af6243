// The unlocked key of this tab: held in memory only, dropped by "Lock" or by closing the tab. Screens read it
// through `useSession`; the crypto that unlocks it (scrypt, ML-KEM) loads on demand from ./vault.ts.
import type { Address, Hex } from 'viem';
import { Store, useStore } from '../lib/store.js';
import type { EncryptionKey } from '../../../sdk/crypto.js';

/** What signs for the user: the vault's key, or an injected EIP-1193 wallet for the secp256k1 part. */
export interface Signer {
  address: Address;
  signTypedData(args: unknown): Promise<Hex>;
  signMessage(args: { message: { raw: Uint8Array } | string }): Promise<Hex>;
}

export interface Session {
  name: string;
  /** The vault key's address (the encryption key's owner). */
  keyAddress: Address;
  signer: Signer;
  via: 'vault' | 'injected';
  encryption: EncryptionKey;
  /** Encryption keys rotated away but still kept (under the same passphrase) to open what was wrapped for them. */
  retired: EncryptionKey[];
}

export const session = new Store<Session | null>(null);
export const useSession = () => useStore(session);

export function lock(): void {
  const s = session.get();
  s?.encryption.secretKey.fill(0);
  for (const k of s?.retired ?? []) k.secretKey.fill(0);
  session.set(null);
}
