/**
 * `npm run demo:zk`: a token admits an investor on a zero-knowledge proof, with no personal data on-chain.
 *
 * On an embedded anvil: a KYC provider keeps its claims in Poseidon trees (SQLite) and publishes its state with a
 * state-transition proof; a token issuer registers a request ("resides in one of 16 EU countries") and a compliance
 * gate; the investor proves it from its sealed wallet and is admitted to an ERC-3643 token. Then the provider renews
 * the claim with a non-EU residence: the investor cannot prove again, and on the provider's alert the gate suspends
 * its nullifier, so the admission ends at once (the chain never learns who). Every step prints
 * what went on-chain, its gas and the proving time.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from '@noble/hashes/utils.js';
import type { Address } from 'viem';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { KYC_SCHEMA, countryToNumeric } from '../claims/index.js';
import { Identity, Network } from '../identity/index.js';
import { SqliteIdentityStore } from '../identity/sqlite-store.js';
import { Wallet } from '../wallet/index.js';
import { ZkError, ZkHolder, ZkIssuer, releaseProverResources } from '../zk/index.js';
import { artifactPaths } from '../zk/node.js';
import { identityStateRegistry } from '../chain/identity-state.js';
import { permissionedTokenAbi } from '../chain/artifacts/index.js';
import { ClaimTopic, deployIdentity, deployIdentityStack, isVerified, registerIdentity, write } from '../chain/identity.js';
import { canTransferReason, deployCompliance, deployToken } from '../chain/token.js';
import { startTestChain } from '../chain/testkit.js';
import {
  createRequest, deployZkComplianceGate, deployZkContracts, holderRequest, isVerifiedByGate, proveToGate, requestNullifier, setGateTopic,
  setZkComplianceGate, suspendGateNullifier,
} from '../chain/zk.js';

const dataDir = process.env.MASQUE_DEMO_DIR ?? join(process.cwd(), '.masque', 'demo-zk');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const step = (title: string) => console.log(`\n== ${title}`);
const line = (text: string) => console.log(`   ${text}`);
const short = (n: bigint | string) => {
  const s = typeof n === 'string' ? n.replace(/^0x/, '') : n.toString(16).padStart(64, '0');
  return `0x${s.slice(0, 8)}…${s.slice(-6)}`;
};
const gas = (g: bigint | undefined) => `${Number(g ?? 0n).toLocaleString('en-US')} gas`;
const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const value = await f();
  return [value, performance.now() - t0];
};
const EU = ['AT', 'BE', 'CZ', 'DE', 'DK', 'ES', 'FI', 'FR', 'GR', 'IE', 'IT', 'LU', 'NL', 'PL', 'PT', 'SE'];
const DAY = 24n * 3600n;

const chain = await startTestChain({ accountCount: 5 });
try {
  const [admin, provider, investorWallet, outsiderWallet] = chain.wallets;
  const investor = investorWallet.account.address;
  const reader = chain.reader;

  step('Chain: embedded anvil; identity registry (KYC required), ERC-3643 token, ZK contracts and compliance gate');
  const stack = await deployIdentityStack(admin, reader, { requiredTopics: [ClaimTopic.KYC] });
  const compliance = await deployCompliance(admin, reader);
  const token = await deployToken(admin, reader, { name: 'Masque Bond 2030', symbol: 'MB30', decimals: 6, identityRegistry: stack.identityRegistry, compliance });
  await write(admin, reader, { address: token, abi: permissionedTokenAbi, functionName: 'addAgent', args: [admin.account.address] });
  const zk = await deployZkContracts(admin, reader);
  const gate = await deployZkComplianceGate(admin, reader, { queryVerifier: zk.zkQueryVerifier });
  await setZkComplianceGate(admin, reader, stack.identityRegistry, gate);
  line(`token ${token}, identity registry ${stack.identityRegistry}`);
  line(`state registry ${zk.identityStateRegistry}, query verifier ${zk.zkQueryVerifier}, gate ${gate}`);

  step('KYC provider: a ZK identity (SQLite trees), publishing from its own account');
  const providerKey = privateKeyFromSeed(randomBytes(32));
  const registry = identityStateRegistry({ reader, wallet: provider, address: zk.identityStateRegistry });
  const issuer = new ZkIssuer(
    Identity.create(SqliteIdentityStore.open(join(dataDir, 'kyc-provider.sqlite')), { keys: [publicKey(providerKey)], network: Network.Test }),
    providerKey, registry, artifactPaths('stateTransition'),
  );
  line(`DID ${issuer.identity.id.did}`);

  step('Investor: a sealed wallet, and an on-chain identity registered with no claim at all');
  const wallet = await Wallet.create(join(dataDir, 'investor.wallet'), 'demo passphrase', { scrypt: { N: 2 ** 14, r: 8, p: 1 }, network: Network.Main });
  const holder = new ZkHolder(wallet, { credentialQuery: artifactPaths('credentialQuery'), holderAuth: artifactPaths('holderAuth') }, registry);
  const onchainIdentity = await deployIdentity(admin, reader, { factory: stack.identityFactory, wallet: investor });
  await registerIdentity(admin, reader, stack.identityRegistry, investor, onchainIdentity, countryToNumeric('DE'));
  line(`wallet ${investor} -> identity contract ${onchainIdentity}`);
  line(`verified for the token: ${await isVerified(reader, stack.identityRegistry, investor)}`);

  step('Issue: the provider issues a KYC claim (birth date, residence DE, nationality) and publishes its state');
  const expiration = Number(await chain.now()) + 365 * 24 * 3600;
  const kyc = (countryOfResidence: string) => ({
    schema: KYC_SCHEMA, subject: holder.subject, expiration, data: { birthDate: '1988-11-02', countryOfResidence, nationality: 'FR' },
  });
  const issued = issuer.issue(kyc('DE'));
  wallet.receiveClaim(issued);
  const [first, provePublish] = await timed(() => issuer.publish());
  line(`state ${short(first!.oldState)} -> ${short(first!.newState)}: proof ${provePublish.toFixed(0)} ms with the transaction, ${gas(first!.receipt.gasUsed)}`);
  line('on-chain: the new state (a hash of three Merkle roots). No claim, no subject, no data.');

  step('Token issuer: a request "KYC residence in one of 16 EU countries", mapped to topic 1 (KYC) for 30 days');
  const onchainRequest = await createRequest(admin, reader, zk.zkQueryVerifier, {
    schema: KYC_SCHEMA.hash.toString(), slotIndex: KYC_SCHEMA.slotIndex('countryOfResidence'), operator: 'IN',
    values: EU.map((c) => countryToNumeric(c).toString()), issuers: [issuer.identity.id.string],
  }, { maxProofAge: DAY });
  await setGateTopic(admin, reader, gate, ClaimTopic.KYC, onchainRequest.requestId, 30n * DAY);
  line(`request ${short(onchainRequest.requestId)}: ${EU.join(' ')}`);

  const proveAndSubmit = async () => {
    const request = holderRequest(onchainRequest, { wallet: investor, timestamp: await chain.now() });
    const [response, ms] = await timed(() => holder.respond(request, (id) => (id === issuer.id ? issuer : undefined)));
    line(`proof made in ${ms.toFixed(0)} ms (witness + Groth16; the first proof of a process also loads the proving key)`);
    return proveToGate(investorWallet, reader, gate, ClaimTopic.KYC, response);
  };

  step('Investor: proves it from the wallet and submits to the gate');
  const admitted = await proveAndSubmit();
  line(`gate: verified for KYC until ${new Date(Number(admitted.expiresAt) * 1000).toISOString()}, ${gas(admitted.receipt.gasUsed)}`);
  line('on-chain: a nullifier (unlinkable across requests) and the wallet. Not the country, not the provider\'s claim.');
  line(`verified for the token: ${await isVerified(reader, stack.identityRegistry, investor)}`);
  const mintRefusal = async (to: Address) => {
    try {
      await reader.simulateContract({ address: token, abi: permissionedTokenAbi, functionName: 'mint', args: [to, 1n], account: admin.account });
      return 'accepted';
    } catch (error) {
      return (error as { cause?: { data?: { errorName?: string } } }).cause?.data?.errorName ?? (error as Error).message;
    }
  };
  const mint = await write(admin, reader, { address: token, abi: permissionedTokenAbi, functionName: 'mint', args: [investor, 1_000_000n] });
  line(`minted 1.000000 MB30 to the investor (${gas(mint.receipt.gasUsed)})`);
  const outsider = outsiderWallet.account.address;
  line(`a transfer to an unregistered wallet: ${(await canTransferReason(reader, token, investor, outsider, 1n)).name}`);

  step('The investor moves to the US: the provider renews the claim (revoke + next revision, one state) and publishes');
  const renewed = issuer.renew(issued.claim, kyc('US'));
  wallet.receiveClaim(renewed);
  const second = await issuer.publish();
  line(`state ${short(second!.oldState)} -> ${short(second!.newState)}, ${gas(second!.receipt.gasUsed)}; revision ${renewed.claim.revision}`);
  try {
    await proveAndSubmit();
    throw new Error('the investor proved an EU residence it no longer has');
  } catch (error) {
    if (!(error instanceof ZkError)) throw error;
    line(`a new proof is impossible: ${error.message}`);
  }
  step('Screening: the provider flags the holder; the gate agent suspends its nullifier');
  // The provider's claim names the holder's ID; with the public request that gives the nullifier, nothing more.
  const nullifier = requestNullifier(renewed.claim.subject!, onchainRequest);
  const suspended = await suspendGateNullifier(admin, reader, gate, ClaimTopic.KYC, nullifier);
  line(`nullifier ${short(nullifier)} suspended (${gas(suspended.receipt.gasUsed)}): the wallet it admitted loses its mark at once`);
  line(`gate mark: ${await isVerifiedByGate(reader, gate, investor, ClaimTopic.KYC)}, verified for the token: ${await isVerified(reader, stack.identityRegistry, investor)}`);
  line(`minting to the investor now: ${await mintRefusal(investor)}`);
  console.log(`\nData in ${dataDir}`);
} finally {
  await releaseProverResources();
  await chain.stop();
}
