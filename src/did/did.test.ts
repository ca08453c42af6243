import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58btc } from 'multiformats/bases/base58';
import {
  canonicalPkh,
  didKeyDocument,
  DidError,
  ed25519Did,
  formatCaip10,
  formatDidKey,
  formatPkh,
  mlKemDid,
  mlKemPublicKeyFromDid,
  parseCaip10,
  parseDidKey,
  parsePkh,
  pkhDidDocument,
  resolveDidDocument,
} from './index.js';

test('CAIP-10 examples (eip155) parse; the checksummed spelling round-trips', () => {
  // From the CAIP-10 spec: Ethereum mainnet, canonicalised with the EIP-55 checksum.
  const a = parseCaip10('eip155:1:0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb');
  assert.deepEqual(a, { chainId: 1, address: '0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb' });
  assert.equal(formatCaip10(a), 'eip155:1:0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb');
  // From the did:pkh method spec (lowercase address, no checksum to check).
  const b = parsePkh('did:pkh:eip155:1:0xb9c5714089478a327f09197987f16f9e5d936e8a');
  assert.equal(b.chainId, 1);
  assert.equal(formatPkh(b), 'did:pkh:eip155:1:0xB9C5714089478a327F09197987f16f9E5d936E8a');
  assert.equal(canonicalPkh('did:pkh:eip155:1:0xB9C5714089478A327F09197987F16F9E5D936E8A'), formatPkh(b));
  assert.deepEqual(parsePkh('did:pkh:eip155:31337:0x0000000000000000000000000000000000000001'), {
    chainId: 31337,
    address: '0x0000000000000000000000000000000000000001',
  });
});

test('EIP-55 test vectors (from the EIP) are accepted as is and produced from lowercase', () => {
  for (const address of [
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ]) {
    assert.equal(parsePkh(`did:pkh:eip155:1:${address}`).address, address);
    assert.equal(formatPkh(parsePkh(`did:pkh:eip155:1:${address.toLowerCase()}`)), `did:pkh:eip155:1:${address}`);
  }
});

test('did:pkh refusals: bad checksum, other namespaces, malformed chain id or address', () => {
  const bad = [
    'did:pkh:eip155:1:0xab16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdc', // checksum-breaking case flip
    'did:pkh:eip155:1:0xAb16a96D359eC26a11e2C2b3d8f8B8942d5Bfcdb', // one letter's case flipped
    'did:pkh:bip122:000000000019d6689c085ae165831e93:128Lkh3S7CkDTBZ8W7BbpsN3YYizJMp8p6',
    'did:pkh:eip155:01:0xb9c5714089478a327f09197987f16f9e5d936e8a',
    'did:pkh:eip155:0:0xb9c5714089478a327f09197987f16f9e5d936e8a',
    'did:pkh:eip155:1:0xb9c5714089478a327f09197987f16f9e5d936e8',
    'did:pkh:eip155:1:b9c5714089478a327f09197987f16f9e5d936e8aa',
    'did:pkh:eip155:1:0xb9c5714089478a327f09197987f16f9e5d936e8a:extra',
    'did:key:z6Mk',
  ];
  for (const did of bad) assert.throws(() => parsePkh(did), DidError, did);
});

test('did:key for ML-KEM-768 carries multicodec 0x120c (varint 0x8c 0x24) and round-trips', () => {
  const { publicKey } = ml_kem768.keygen(new Uint8Array(64).fill(7));
  const did = mlKemDid(publicKey);
  assert.ok(did.startsWith('did:key:z'));
  const raw = base58btc.decode(did.slice('did:key:'.length));
  // 0x120c = 4620 = 0b10_0100_0000_1100 -> LEB128 [0x8c, 0x24] (multicodec table: mlkem-768-pub).
  assert.deepEqual([...raw.subarray(0, 2)], [0x8c, 0x24]);
  assert.deepEqual(raw.subarray(2), publicKey);
  assert.deepEqual(parseDidKey(did), { type: 'mlkem-768-pub', publicKey });
  assert.deepEqual(mlKemPublicKeyFromDid(did), publicKey);
});

test('did:key Ed25519 matches the did:key spec test vector', () => {
  // did:key spec (w3c-ccg), Ed25519 example: the key is 0xed 0x01 prefixed.
  const did = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';
  const key = parseDidKey(did);
  assert.equal(key.type, 'ed25519-pub');
  assert.equal(ed25519Did(key.publicKey), did);
  const pk = ed25519.getPublicKey(new Uint8Array(32).fill(1));
  assert.ok(ed25519Did(pk).startsWith('did:key:z6Mk'));
});

test('did:key refusals: wrong length, unknown codec, non-minimal varint, wrong type for a recipient', () => {
  const { publicKey } = ml_kem768.keygen(new Uint8Array(64));
  assert.throws(() => formatDidKey('mlkem-768-pub', publicKey.subarray(1)), /1184 bytes/);
  const mk = (prefix: number[], body: Uint8Array) => `did:key:${base58btc.encode(new Uint8Array([...prefix, ...body]))}`;
  assert.throws(() => parseDidKey(mk([0x8c, 0x24], publicKey.subarray(1))), /1184 bytes/);
  assert.throws(() => parseDidKey(mk([0x8d, 0x24], publicKey)), /unsupported multicodec 0x120d/);
  assert.throws(() => parseDidKey(mk([0xed, 0x81, 0x00], new Uint8Array(32))), /varint/);
  assert.throws(() => parseDidKey('did:key:' + 'u' + 'AAAA'), /base58btc/);
  const edDid = ed25519Did(new Uint8Array(32).fill(9));
  assert.throws(() => mlKemPublicKeyFromDid(edDid), /expected an mlkem-768-pub/);
});

test('DID documents: did:pkh from chain facts, did:key by key type', () => {
  const did = 'did:pkh:eip155:1:0xb9c5714089478a327f09197987f16f9e5d936e8a';
  const kem = mlKemDid(ml_kem768.keygen(new Uint8Array(64)).publicKey);
  const doc = pkhDidDocument(did, { encryptionKeys: [kem], identities: ['0x0000000000000000000000000000000000000042'] });
  const id = 'did:pkh:eip155:1:0xB9C5714089478a327F09197987f16f9E5d936E8a';
  assert.equal(doc.id, id);
  assert.deepEqual(doc.verificationMethod[0], {
    id: `${id}#blockchainAccountId`,
    type: 'EcdsaSecp256k1RecoveryMethod2020',
    controller: id,
    blockchainAccountId: 'eip155:1:0xB9C5714089478a327F09197987f16f9E5d936E8a',
  });
  assert.deepEqual(doc.authentication, [`${id}#blockchainAccountId`]);
  assert.deepEqual(doc.keyAgreement, [`${id}#encryption-0`]);
  assert.equal(doc.verificationMethod[1].publicKeyMultibase, kem.slice('did:key:'.length));
  assert.equal(doc.service?.[0].serviceEndpoint, 'did:pkh:eip155:1:0x0000000000000000000000000000000000000042');
  assert.equal(pkhDidDocument(did).keyAgreement, undefined);
  assert.throws(() => pkhDidDocument(did, { encryptionKeys: [ed25519Did(new Uint8Array(32))] }), /mlkem-768-pub/);

  const kemDoc = didKeyDocument(kem);
  assert.deepEqual(kemDoc.keyAgreement, [`${kem}#${kem.slice(8)}`]);
  assert.equal(kemDoc.authentication, undefined, 'a KEM key cannot authenticate');
  const edDoc = resolveDidDocument(ed25519Did(new Uint8Array(32).fill(3)));
  assert.equal(edDoc.keyAgreement, undefined);
  assert.equal(edDoc.capabilityInvocation?.length, 1);
  assert.throws(() => resolveDidDocument('did:web:example.com'), /unsupported DID method/);
});
