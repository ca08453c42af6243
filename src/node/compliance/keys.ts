// The screening operator's keys, from its own keystore (src/wallet/keystore.ts, the CLI's format: `masque --keystore
// <dir> ... --as operator` uses the same file). Never the relayer's key: the operator signs claims, revocations,
// freezes and evidence runs; the node's relayer only pays gas.
//
// On embedded defaults the key is generated on first start under <dataDir>/screening/keys with a generated passphrase
// beside it (0600), so `npm start` shows the service working; an operator in production sets the passphrase
// (MASQUE_SCREENING_PASSPHRASE or keystore.passphrase) and keeps no passphrase file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { PrivateKeyAccount } from 'viem/accounts';
import { Keystore } from '../../wallet/keystore.js';
import { writeFileDurably } from '../../storage/durable-file.js';
import type { EncryptionKey } from '../../sdk/crypto.js';
import type { IssuerConfig, NodeConfig } from '../config.js';
import type { ScreeningConfig } from './config.js';

export interface OperatorKeys {
  /** Signs claims (EIP-712 Claim), executions at the ClaimIssuer, token signed calls, requests to the node, run headers. */
  account: PrivateKeyAccount;
  /** ML-KEM-768: opens the envelopes of KYC documents and profiles sealed for the operator. */
  encryption: EncryptionKey;
  /** AES-256-GCM key of profiles and case details at rest. */
  dataKey: Uint8Array;
  /** HMAC key of profile commitments in evidence records. */
  commitmentKey: Uint8Array;
}

const derive = (seed: Uint8Array, info: string) => hkdf(sha256, seed, undefined, new TextEncoder().encode(info), 32);

/** Opens (or on first use creates) the operator key `name` in `dir`; the passphrase comes from `passphrase` or a generated file. */
export async function openOperatorKeys(opts: { dir: string; name: string; passphrase?: string; log?: (m: string) => void }): Promise<OperatorKeys> {
  const store = new Keystore(opts.dir);
  const passFile = join(opts.dir, `${opts.name}.passphrase`);
  let passphrase = opts.passphrase;
  if (passphrase === undefined) {
    if (existsSync(passFile)) passphrase = readFileSync(passFile, 'utf8').trim();
    else {
      passphrase = randomBytes(24).toString('base64url');
      writeFileDurably(passFile, passphrase, 0o600);
    }
  }
  if (!existsSync(join(opts.dir, `${opts.name}.json`))) {
    const created = await store.create(opts.name, passphrase);
    opts.log?.(`screening operator key generated: ${created.address} (keystore ${opts.dir})`);
  }
  const key = await store.unlock(opts.name, passphrase);
  // The data keys follow the ML-KEM seed (secret, in the same box): one key file holds everything the operator needs.
  return {
    account: key.account,
    encryption: key.encryption,
    dataKey: derive(key.encryption.secretKey, 'masque-screening/data-key/v1'),
    commitmentKey: derive(key.encryption.secretKey, 'masque-screening/commitment-key/v1'),
  };
}

/** The service runs when configured (`screening`), by default only on an embedded chain (`enabled` decides otherwise). */
export function screeningEnabled(config: NodeConfig): boolean {
  return config.screening !== undefined && (config.screening.enabled ?? config.rpcUrl === undefined);
}

/** Opens (or, first time, generates) the operator key under `keystore.dir` (default <dataDir>/screening/keys). */
export async function openScreeningKeys(config: NodeConfig, log: (m: string) => void): Promise<{ config: ScreeningConfig; keys: OperatorKeys }> {
  const sc = config.screening!;
  const keys = await openOperatorKeys({
    dir: sc.keystore.dir ?? join(config.dataDir, 'screening', 'keys'), name: sc.keystore.name,
    passphrase: sc.keystore.passphrase ?? (process.env.MASQUE_SCREENING_PASSPHRASE || undefined), log,
  });
  return { config: sc, keys };
}

/** The node's issuers plus the screening issuer (signer: the operator), unless one of that name is configured already. */
export function withScreeningIssuer(config: NodeConfig, keys: OperatorKeys): IssuerConfig[] {
  const sc = config.screening!;
  if (config.issuers.some((i) => i.name === sc.issuerName)) return config.issuers;
  return [...config.issuers, { name: sc.issuerName, signer: keys.account.address, topics: [...sc.topics], validity: sc.validity }];
}
