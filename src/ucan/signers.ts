import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes, type Address, type Hex } from 'viem';
import { formatPkh } from '../did/pkh.js';
import { ed25519Did } from '../did/key.js';

/**
 * The principals that sign UCANs here: a wallet as did:pkh (EIP-191 personal_sign over the UCAN
 * signature payload, varsig alg "EIP191") and an Ed25519 did:key (varsig alg "Ed25519"). The shape
 * is what iso-ucan's envelope signer expects.
 */
export interface UcanSigner {
  readonly did: string;
  readonly signatureType: 'EIP191' | 'Ed25519';
  sign(message: Uint8Array): Promise<Uint8Array>;
  toString(): string;
}

/** Anything with viem's LocalAccount / WalletClient-bound account signMessage. */
export interface MessageSigningAccount {
  readonly address: Address;
  signMessage(args: { message: { raw: Uint8Array } }): Promise<Hex>;
}

export function eip191Signer(account: MessageSigningAccount, chainId: number): UcanSigner {
  const did = formatPkh({ chainId, address: account.address });
  return {
    did,
    signatureType: 'EIP191',
    async sign(message) {
      return hexToBytes(await account.signMessage({ message: { raw: message } }));
    },
    toString: () => did,
  };
}

export interface Ed25519UcanSigner extends UcanSigner {
  readonly publicKey: Uint8Array;
}

export function ed25519Signer(secretKey: Uint8Array = ed25519.utils.randomSecretKey()): Ed25519UcanSigner {
  const publicKey = ed25519.getPublicKey(secretKey);
  const did = ed25519Did(publicKey);
  return {
    did,
    publicKey,
    signatureType: 'Ed25519',
    async sign(message) {
      return ed25519.sign(message, secretKey);
    },
    toString: () => did,
  };
}
