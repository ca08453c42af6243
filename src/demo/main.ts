/**
 * `npm run demo`: the zero-knowledge identity core end to end, on embedded
 * defaults (SQLite for the issuer, a sealed wallet file for the holder, under .masque/demo).
 * An issuer and a holder are created, a KYC claim is issued, proven and revoked; each state is printed.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from '@noble/hashes/utils.js';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { KYC_SCHEMA } from '../claims/index.js';
import { Identity, verifyStateTransition, type StateTransition } from '../identity/index.js';
import { SqliteIdentityStore } from '../identity/sqlite-store.js';
import { Wallet } from '../wallet/index.js';

const dataDir = process.env.MASQUE_DEMO_DIR ?? join(process.cwd(), '.masque', 'demo');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const short = (n: bigint) => {
  const s = n.toString(16).padStart(64, '0');
  return `0x${s.slice(0, 10)}…${s.slice(-6)}`;
};
const step = (title: string) => console.log(`\n== ${title}`);
const transition = (t: StateTransition) =>
  console.log(`   state ${short(t.oldState)} -> ${short(t.newState)}  signed by slot ${t.signerSlot}, verifies: ${verifyStateTransition(t)}`);

step('Issuer: a KYC provider creates its identity (SQLite)');
const issuerSigner = privateKeyFromSeed(randomBytes(32));
const issuer = Identity.create(SqliteIdentityStore.open(join(dataDir, 'issuer.sqlite')), { keys: [publicKey(issuerSigner)] });
console.log(`   DID     ${issuer.id.did}`);
console.log(`   genesis ${short(issuer.state)}  (auth ${short(issuer.roots.auth)}, claims 0, revocations 0)`);

step('Holder: an investor creates a sealed wallet');
const wallet = await Wallet.create(join(dataDir, 'holder.wallet'), 'demo passphrase', { scrypt: { N: 2 ** 14, r: 8, p: 1 } });
console.log(`   DID     ${wallet.id.did}`);
console.log(`   state   ${short(wallet.identity.state)}`);

step('Issue: KYC claim (birth date, residence, nationality), valid one year');
const expiration = Math.floor(Date.now() / 1000) + 365 * 24 * 3600;
const issued = issuer.issueClaim(issuerSigner, {
  schema: KYC_SCHEMA,
  subject: wallet.id.bigint,
  expiration,
  data: { birthDate: '1988-11-02', countryOfResidence: 'CH', nationality: 'DE' },
});
console.log(`   schema  ${KYC_SCHEMA.definition.name} (hash ${short(KYC_SCHEMA.hash)})`);
console.log(`   Hi ${short(issued.claim.indexHash)}  Hv ${short(issued.claim.valueHash)}  revocation nonce ${issued.claim.revocationNonce}`);
transition(issued.transition);

step('Holder receives the claim and checks the inclusion proof');
const held = wallet.receiveClaim(issued);
console.log(`   proof depth ${issued.proof.siblings.length}, decoded: ${JSON.stringify(held.claim.decode(KYC_SCHEMA))}`);

step('Prove: issued at the issuer state and not revoked now');
const shown = wallet.showClaim(held, issuer.revocationStatus(held.claim.revocationNonce));
console.log(`   issued: ${shown.issued}, not revoked: ${shown.notRevoked}`);

step('Revoke: the issuer revokes the claim');
transition(issuer.revokeClaim(issuerSigner, held.claim.revocationNonce));
const after = wallet.showClaim(held, issuer.revocationStatus(held.claim.revocationNonce));
console.log(`   issued: ${after.issued}, not revoked: ${after.notRevoked}`);

step('History');
for (const [i, t] of issuer.transitions().entries()) console.log(`   ${i + 1}. ${short(t.oldState)} -> ${short(t.newState)}${t.isOldStateGenesis ? ' (from genesis)' : ''}`);
console.log(`\nData in ${dataDir}`);
if (!shown.issued || !shown.notRevoked || after.notRevoked) process.exit(1);
