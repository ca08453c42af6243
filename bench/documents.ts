/**
 * Private-document path (src/documents on src/storage's FsBlockstore): encrypt + store and
 * fetch + verify + decrypt throughput for 10 KB, 1 MB and 10 MB documents with both document
 * ciphers, next to the cost of the pieces (keccak256, which the on-chain hash used before it became the CID's sha2-256 digest,
 * the AEAD alone, a bare durable write), and key-envelope wrap / open / rewrap (grant) per second.
 *
 * Each figure is the median of several rounds. "store" is durable (fsync of file and directory),
 * so small documents measure the disk's fsync latency more than the crypto.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from 'multiformats/hashes/sha2';
import { gcm } from '@noble/ciphers/webcrypto.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import {
  fetchAndOpenDocument,
  generateRecipientKeyPair,
  openEnvelope,
  rewrapKey,
  sealDocument,
  storeDocument,
  wrapKey,
  type ClaimContext,
  type DocumentCipher,
  type EnvelopeContext,
} from '../src/documents/index.js';
import { mlKemDid } from '../src/did/key.js';
import { FsBlockstore } from '../src/storage/fs.js';
import { fmt, ratio, secondsPerAsyncOp, table } from './stats.js';
import type { BenchModule } from './types.js';

const SIZES: [string, number][] = [
  ['10 KB', 10 * 1024],
  ['1 MB', 1 << 20],
  ['10 MB', 10 << 20],
];
const claim: ClaimContext = { chainId: 31337, identity: '0x5FbDB2315678afecb367f032d93F642f64180aa3', topic: 42n };

const secondsPerOp = secondsPerAsyncOp;

const mbps = (bytes: number, seconds: number) => bytes / (1 << 20) / seconds;

export const run: BenchModule = async ({ large }) => {
  const rounds = large ? 7 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'masque-bench-docs-'));
  try {
    const store = await FsBlockstore.open(dir);
    const subject = generateRecipientKeyPair();
    const subjectDid = mlKemDid(subject.publicKey);

    const throughput: (string | number)[][] = [];
    const pieces: (string | number)[][] = [];
    for (const [label, size] of SIZES) {
      const plaintext = new Uint8Array(randomBytes(size));
      const minMs = size >= 10 << 20 ? 0 : 300;
      const row: (string | number)[] = [label];
      for (const cipher of ['aes-256-gcm', 'xchacha20-poly1305'] as DocumentCipher[]) {
        const put = await secondsPerOp(async () => storeDocument(store, await sealDocument(plaintext, claim, { cipher })), { rounds, minMs });
        const sealed = await sealDocument(plaintext, claim, { cipher });
        await storeDocument(store, sealed);
        const get = await secondsPerOp(() => fetchAndOpenDocument(store, sealed.cid, sealed.documentHash, sealed.key, claim), { rounds, minMs });
        row.push(fmt(mbps(size, put), 1), fmt(mbps(size, get), 1));
      }
      throughput.push(row);
      console.log(`documents ${label}: ${row.join(' | ')}`);

      const key = new Uint8Array(32);
      const keccak = await secondsPerOp(async () => keccak_256(plaintext), { rounds, minMs });
      const sha = await secondsPerOp(async () => sha256.digest(plaintext), { rounds, minMs });
      const aes = await secondsPerOp(() => gcm(key, new Uint8Array(12)).encrypt(plaintext), { rounds, minMs });
      const xc = await secondsPerOp(async () => xchacha20poly1305(key, new Uint8Array(24)).encrypt(plaintext), { rounds, minMs });
      const bare = await secondsPerOp(() => store.put(new Uint8Array(randomBytes(size))), { rounds, minMs });
      pieces.push([label, fmt(mbps(size, keccak), 1), fmt(mbps(size, sha), 1), fmt(mbps(size, aes), 1), fmt(mbps(size, xc), 1), fmt(mbps(size, bare), 1)]);
    }

    const sealed = await sealDocument(new Uint8Array(1024), claim);
    const ctx: EnvelopeContext = { ...claim, documentHash: sealed.documentHash, cid: sealed.cid.toString(), recipient: subjectDid };
    const own = await wrapKey(sealed.key, ctx);
    const verifierDid = mlKemDid(generateRecipientKeyPair().publicKey);
    const wrap = 1 / (await secondsPerOp(() => wrapKey(sealed.key, ctx), { rounds, minMs: 500 }));
    const open = 1 / (await secondsPerOp(() => openEnvelope(own, subject.secretKey, ctx), { rounds, minMs: 500 }));
    const rewrap = 1 / (await secondsPerOp(() => rewrapKey(own, subject.secretKey, ctx, verifierDid), { rounds, minMs: 500 }));

    const markdown = [
      '## Documents on the fs blockstore (MB/s, median of ' + rounds + ' rounds)',
      '',
      'encrypt+store = seal (fresh key, AEAD, SHA-256 = CID digest) + durable put (temp, fsync, rename, fsync dir).',
      'fetch+verify+decrypt = get (re-hash against the CID) + SHA-256 against the on-chain hash + AEAD open.',
      '',
      table(['size', 'AES-256-GCM encrypt+store', 'AES-256-GCM fetch+verify+decrypt', 'XChaCha20 encrypt+store', 'XChaCha20 fetch+verify+decrypt'], throughput),
      '',
      '## The pieces alone (MB/s)',
      '',
      table(['size', 'keccak256 (noble)', 'sha2-256 (node:crypto)', 'AES-256-GCM (WebCrypto)', 'XChaCha20-Poly1305 (noble)', 'durable put only'], pieces),
      '',
      '## Key envelopes (HPKE ML-KEM-768 + HKDF-SHA256 + AES-256-GCM, ops/s)',
      '',
      table(
        ['operation', 'ops/s', 'vs wrap'],
        [
          ['wrap (encapsulate + seal)', fmt(wrap), '1.00x'],
          ['open (keygen from seed + decapsulate + open)', fmt(open), ratio(open, wrap)],
          ['rewrap / grant (open + wrap)', fmt(rewrap), ratio(rewrap, wrap)],
        ],
      ),
      '',
      `Filesystem: ${tmpdir()} (fsync-bound for small documents).`,
    ].join('\n');
    return { name: 'documents', title: 'Private documents: seal, store, fetch, open; key envelopes', markdown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
