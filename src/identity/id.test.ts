import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idFromGenesisState, parseId, isGenesisOf, Network, ID_LENGTH } from './id.js';
import { poseidon } from '../crypto/poseidon.js';
import { bigintToBytesLE } from '../crypto/bytes.js';

const state = poseidon([1n, 2n, 3n]);

test('genesis ID layout: type, top 27 bytes of the state, checksum', () => {
  const id = idFromGenesisState(state, Network.Main);
  assert.equal(id.bytes.length, ID_LENGTH);
  assert.deepEqual([...id.bytes.subarray(0, 2)], [0x4d, 0x01]);
  assert.deepEqual([...id.bytes.subarray(2, 29)], [...bigintToBytesLE(state, 32).subarray(5)]);
  const sum = [...id.bytes.subarray(0, 29)].reduce((a, b) => a + b, 0);
  assert.equal(id.bytes[29] | (id.bytes[30] << 8), sum & 0xffff);
  assert.ok(id.bigint < 1n << 248n);
  assert.ok(id.did.startsWith('did:masque:'));
  assert.ok(isGenesisOf(id, state));
  assert.equal(isGenesisOf(id, poseidon([1n, 2n, 4n])), false);
  assert.ok(isGenesisOf(id, state ^ 1n), "the 5 low bytes of the state are not part of the ID");
});

test('string, DID, bigint and bytes forms parse back', () => {
  const id = idFromGenesisState(state);
  for (const form of [id.string, id.did, id.bigint, id.bytes]) assert.equal(parseId(form).bigint, id.bigint);
});

test('a bad checksum, type or encoding is rejected', () => {
  const id = idFromGenesisState(state);
  const bad = Uint8Array.from(id.bytes);
  bad[10] ^= 1;
  assert.throws(() => parseId(bad), /checksum/);
  const wrongType = Uint8Array.from(id.bytes);
  wrongType[0] = 0x11;
  assert.throws(() => parseId(wrongType), /type/);
  assert.throws(() => parseId('0OIl'), /base58/);
  assert.throws(() => parseId(1n << 250n), /248-bit/);
  assert.throws(() => parseId(id.string.slice(0, -1)), /31 bytes|checksum|type byte/);
});
