// Test helper for sqlite-store.test.ts: issues claims forever into the identity at argv[2] until killed.
import { privateKeyFromSeed } from '../crypto/eddsa.js';
import { KYC_SCHEMA } from '../claims/index.js';
import { Identity } from './identity.js';
import { SqliteIdentityStore } from './sqlite-store.js';

const identity = Identity.open(SqliteIdentityStore.open(process.argv[2], { synchronous: 'NORMAL' }));
const signer = privateKeyFromSeed(new Uint8Array(32).fill(1));
for (let subject = 1_000n; ; subject++) {
  identity.issueClaim(signer, { schema: KYC_SCHEMA, subject, data: { birthDate: '1990-01-01', countryOfResidence: 'CH', nationality: 'FR' } });
  if (subject === 1_005n) process.stdout.write('ready\n');
}
