/**
 * Gas of a token issuer's suite: its deployment in one transaction (Masque TokenFactory's clones vs T-REX 4.1.6's
 * TREXFactory.deployTREXSuite, which deploys proxies) and each admin write on such a suite, side by side.
 *
 * Both suites: 1 required topic (KYC), 1 trusted issuer, no compliance module, a new identity registry storage, the
 * token's own identity created with it (ONCHAINID IdFactory.createTokenIdentity / Masque IdentityFactory), one agent
 * on the token and the identity registry. Each admin write runs once on each side in the same order and state.
 * Masque's writes are measured twice: sent by the agent's wallet (as T-REX's are) and as the node relays them, an
 * EIP-712 signed call through `executeSigned` sent by a relayer holding no role (a fresh random nonce each time).
 */
import { type Abi, type Address, type Hex, keccak256, toHex } from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { fmt, table } from './stats.js';
import { ClaimTopic, KeyPurpose, ECDSA_KEY_TYPE, deployClaimIssuer, deployIdentityStack, signClaim, walletKey } from '../src/chain/identity.js';
import { identityAbi, identityFactoryAbi, identityRegistryAbi, permissionedTokenAbi } from '../src/chain/artifacts/index.js';
import { Role } from '../src/chain/roles.js';
import { deploySuite, deployTokenFactory, relaySigned, suiteTypedData, type Suite, type SuiteParams } from '../src/chain/suite.js';
import { CID_URI, DOC_HASH, FR, YEAR, deployGas, gasOf, oid, send, signOidClaim, trex, type Env } from './gas-kit.js';

export const ADMIN_OPS = ['mint', 'burn', 'freeze', 'partialFreeze', 'pause', 'forcedTransfer', 'recovery', 'addAgent'] as const;
export type AdminOp = (typeof ADMIN_OPS)[number];
const OP_LABEL: Record<AdminOp, string> = {
  mint: 'mint (first tokens of a holder)', burn: 'burn', freeze: 'freeze a wallet (setAddressFrozen)', partialFreeze: 'freeze part of a balance (freezePartialTokens)',
  pause: 'pause', forcedTransfer: 'forced transfer', recovery: 'recovery (lost wallet to a new one)', addAgent: 'add an agent (all token agent roles)',
};

export interface SuiteMeasures {
  deploy: number;
  /** Masque: the same suite submitted by a relayer with the owner's EIP-712 authorization. */
  deployRelayed?: number;
  /** A holder's transfer on the factory-deployed suite (no module), second transfer of the pair. */
  transfer: number;
  admin: Record<AdminOp, number>;
  /** Masque: the same writes as signed calls relayed by an account holding no role. */
  signed?: Record<AdminOp, number>;
}

/** The op sequence both sides run: `op(name, fn, args)` sends one admin write and records its gas. */
async function runOps(op: (name: AdminOp | null, fn: string, args: readonly unknown[]) => Promise<void>, transfer: () => Promise<number>, p: {
  alice: Address; bob: Address; bobNew: Address; bobIdentity: Address; newAgent: Address;
}): Promise<number> {
  await op('mint', 'mint', [p.alice, 1_000_000n]);
  await op(null, 'mint', [p.bob, 1_000_000n]);
  const transferGas = await transfer();
  await op('burn', 'burn', [p.alice, 10n]);
  await op('partialFreeze', 'freezePartialTokens', [p.alice, 100n]);
  await op('freeze', 'setAddressFrozen', [p.bob, true]);
  await op('forcedTransfer', 'forcedTransfer', [p.alice, p.bob, 10n]);
  await op('pause', 'pause', []);
  await op('recovery', 'recoveryAddress', [p.bob, p.bobNew, p.bobIdentity]);
  await op('addAgent', 'addAgent', [p.newAgent]);
  return transferGas;
}

async function masqueSuite(env: Env, mode: 'direct' | 'signed'): Promise<SuiteMeasures> {
  const { reader, admin, signer } = env;
  const me = admin.account.address;
  const stack = await deployIdentityStack(admin, reader);
  const factory = await deployTokenFactory(admin, reader, { identityFactory: stack.identityFactory });
  const issuer = await deployClaimIssuer(admin, reader, { signers: [signer.address], claimIndex: stack.identityImplementation });
  const params: SuiteParams = {
    owner: me, salt: keccak256(toHex(`bench-${mode}`)), name: 'Bench', symbol: 'BNCH', decimals: 18, createOnchainID: true,
    claimTopics: [ClaimTopic.KYC], issuers: [{ issuer, topics: [ClaimTopic.KYC] }], modules: [],
    agents: [{ account: me, roles: Role.SUPPLY_MODIFIER | Role.FREEZER | Role.TRANSFER_MANAGER | Role.RECOVERY_AGENT | Role.WHITELIST_MANAGER }],
  };
  const deployed = await deploySuite(admin, reader, factory, params);
  const m: SuiteMeasures = { deploy: Number(deployed.receipt.gasUsed), transfer: 0, admin: {} as SuiteMeasures['admin'] };
  const suite: Suite = deployed.suite;
  // The same suite for another salt, submitted by a relayer with the owner's signature.
  const relayedParams = { ...params, salt: keccak256(toHex(`bench-${mode}-relayed`)) };
  const deadline = (await reader.getBlock()).timestamp + 600n;
  const signature = await env.chain.accounts[0].signTypedData(suiteTypedData({ chainId: env.chain.chainId, factory, params: relayedParams, deadline }));
  m.deployRelayed = Number((await deploySuite(env.carol, reader, factory, relayedParams, { authorization: { deadline, signature } })).receipt.gasUsed);

  // Investors: identities managed by the admin wallet (bob's also by his future wallet), a KYC claim each.
  const now = (await reader.getBlock()).timestamp;
  const bobNew = privateKeyToAccount(generatePrivateKey()).address;
  const identities: Address[] = [];
  for (const [i, w] of [env.alice, env.bob].entries()) {
    const salt = `0x${(900 + i).toString(16).padStart(64, '0')}` as Hex;
    await send(env, stack.identityFactory, identityFactoryAbi, 'createIdentity', [me, salt]);
    const id = await reader.readContract({ address: stack.identityFactory, abi: identityFactoryAbi, functionName: 'predictIdentity', args: [me, salt] });
    const c = await signClaim(signer, { chainId: env.chain.chainId, issuer, identity: id, topic: ClaimTopic.KYC, documentHash: DOC_HASH, issuedAt: now - 60n, expiresAt: now + YEAR, uri: CID_URI });
    await send(env, id, identityAbi, 'addClaim', [c.topic, c.scheme, c.issuer, c.signature, c.data, c.uri]);
    await send(env, suite.identityRegistry, identityRegistryAbi, 'registerIdentity', [w.account.address, id, FR]);
    identities.push(id);
  }
  await send(env, identities[1], identityAbi, 'addKey', [walletKey(bobNew), KeyPurpose.MANAGEMENT, ECDSA_KEY_TYPE]);

  const gas: Record<string, number> = {};
  const op = async (name: AdminOp | null, fn: string, args: readonly unknown[]) => {
    const tx = mode === 'direct'
      ? send(env, suite.token, permissionedTokenAbi as Abi, fn, args)
      : relaySigned(env.carol, reader, env.chain.accounts[0], { contract: suite.token, abi: permissionedTokenAbi as Abi, functionName: fn, args });
    const g = await gasOf(tx);
    if (name) gas[name] = g;
  };
  const transfer = async () => {
    await send(env, suite.token, permissionedTokenAbi as Abi, 'transfer', [env.bob.account.address, 1n], env.alice);
    return gasOf(send(env, suite.token, permissionedTokenAbi as Abi, 'transfer', [env.bob.account.address, 1n], env.alice));
  };
  m.transfer = await runOps(op, transfer, {
    alice: env.alice.account.address, bob: env.bob.account.address, bobNew, bobIdentity: identities[1], newAgent: privateKeyToAccount(generatePrivateKey()).address,
  });
  m.admin = gas as SuiteMeasures['admin'];
  return m;
}

async function trexSuite(env: Env): Promise<SuiteMeasures> {
  const { reader, admin, signer } = env;
  const me = admin.account.address;
  const deploy = async (a: { abi: Abi; bytecode: Hex }, args: readonly unknown[] = []) => (await deployGas(env, a, args)).address;
  const A = {
    identity: oid('Identity.sol/Identity.json'),
    claimIssuer: oid('ClaimIssuer.sol/ClaimIssuer.json'),
    ia: oid('proxy/ImplementationAuthority.sol/ImplementationAuthority.json'),
    idFactory: oid('factory/IdFactory.sol/IdFactory.json'),
    token: trex('token/Token.sol/Token.json'),
    ctr: trex('registry/implementation/ClaimTopicsRegistry.sol/ClaimTopicsRegistry.json'),
    tir: trex('registry/implementation/TrustedIssuersRegistry.sol/TrustedIssuersRegistry.json'),
    irs: trex('registry/implementation/IdentityRegistryStorage.sol/IdentityRegistryStorage.json'),
    ir: trex('registry/implementation/IdentityRegistry.sol/IdentityRegistry.json'),
    mc: trex('compliance/modular/ModularCompliance.sol/ModularCompliance.json'),
    trexIa: trex('proxy/authority/TREXImplementationAuthority.sol/TREXImplementationAuthority.json'),
    factory: trex('factory/TREXFactory.sol/TREXFactory.json'),
  };
  const idFactory = await deploy(A.idFactory, [await deploy(A.ia, [await deploy(A.identity, [me, true])])]);
  const ia = await deploy(A.trexIa, [true, '0x0000000000000000000000000000000000000000', '0x0000000000000000000000000000000000000000']);
  await send(env, ia, A.trexIa.abi, 'addAndUseTREXVersion', [{ major: 4, minor: 0, patch: 0 }, {
    tokenImplementation: await deploy(A.token), ctrImplementation: await deploy(A.ctr), irImplementation: await deploy(A.ir),
    irsImplementation: await deploy(A.irs), tirImplementation: await deploy(A.tir), mcImplementation: await deploy(A.mc),
  }]);
  const factory = await deploy(A.factory, [ia, idFactory]);
  await send(env, idFactory, A.idFactory.abi, 'addTokenFactory', [factory]);
  const issuer = await deploy(A.claimIssuer, [me]);
  await send(env, issuer, A.claimIssuer.abi, 'addKey', [walletKey(signer.address), 3n, 1n]);

  const zero = '0x0000000000000000000000000000000000000000';
  const { receipt } = await send(env, factory, A.factory.abi, 'deployTREXSuite', ['bench', {
    owner: me, name: 'Bench', symbol: 'BNCH', decimals: 18, irs: zero, ONCHAINID: zero, irAgents: [me], tokenAgents: [me],
    complianceModules: [], complianceSettings: [],
  }, { claimTopics: [1n], issuers: [issuer], issuerClaims: [[1n]] }]);
  const m: SuiteMeasures = { deploy: Number(receipt.gasUsed), transfer: 0, admin: {} as SuiteMeasures['admin'] };
  const token = (await reader.readContract({ address: factory, abi: A.factory.abi, functionName: 'getToken', args: ['bench'] })) as Address;
  const ir = (await reader.readContract({ address: token, abi: A.token.abi, functionName: 'identityRegistry' })) as Address;
  await send(env, token, A.token.abi, 'unpause', []);

  const bobNew = privateKeyToAccount(generatePrivateKey()).address;
  const identities: Address[] = [];
  for (const w of [env.alice, env.bob]) {
    const id = await deploy(A.identity, [me, false]);
    const sig = await signOidClaim(signer, id, 1n, DOC_HASH);
    await send(env, id, A.identity.abi, 'addClaim', [1n, 1n, issuer, sig, DOC_HASH, CID_URI]);
    await send(env, ir, A.ir.abi, 'registerIdentity', [w.account.address, id, FR]);
    identities.push(id);
  }
  await send(env, identities[1], A.identity.abi, 'addKey', [walletKey(bobNew), 1n, 1n]);

  const gas: Record<string, number> = {};
  const op = async (name: AdminOp | null, fn: string, args: readonly unknown[]) => {
    const g = await gasOf(send(env, token, A.token.abi, fn, args));
    if (name) gas[name] = g;
  };
  const transfer = async () => {
    await send(env, token, A.token.abi, 'transfer', [env.bob.account.address, 1n], env.alice);
    return gasOf(send(env, token, A.token.abi, 'transfer', [env.bob.account.address, 1n], env.alice));
  };
  m.transfer = await runOps(op, transfer, {
    alice: env.alice.account.address, bob: env.bob.account.address, bobNew, bobIdentity: identities[1], newAgent: privateKeyToAccount(generatePrivateKey()).address,
  });
  m.admin = gas as SuiteMeasures['admin'];
  return m;
}

export async function measureSuites(env: Env): Promise<{ masque: SuiteMeasures; trex: SuiteMeasures }> {
  const masque = await masqueSuite(env, 'direct');
  masque.signed = (await masqueSuite(env, 'signed')).admin;
  return { masque, trex: await trexSuite(env) };
}

/** The report section, with the transfer on a full (non-factory) deployment for the clone overhead. */
export function suiteReport(s: { masque: SuiteMeasures; trex: SuiteMeasures }, fullTransfer: { masque: number; trex: number }): string {
  const r = (a: number, b: number) => (a / b).toFixed(3);
  const rows: (string | number)[][] = [
    ['deploy the suite, sent by the owner (T-REX: by the factory owner)', fmt(s.masque.deploy), '', fmt(s.trex.deploy), r(s.masque.deploy, s.trex.deploy)],
    ['deploy the suite, relayed with the owner\'s EIP-712 authorization', '', fmt(s.masque.deployRelayed!), '', r(s.masque.deployRelayed!, s.trex.deploy)],
    ['transfer on the factory suite (no module)', fmt(s.masque.transfer), '', fmt(s.trex.transfer), r(s.masque.transfer, s.trex.transfer)],
    ...ADMIN_OPS.map((op) => [OP_LABEL[op], fmt(s.masque.admin[op]), fmt(s.masque.signed![op]), fmt(s.trex.admin[op]), r(s.masque.admin[op], s.trex.admin[op])]),
  ];
  const overhead = s.masque.transfer - fullTransfer.masque;
  return [
    '## Token suites: one-transaction deployment and admin writes',
    '',
    'Masque TokenFactory (ERC-1167 clones of templates, one transaction) vs T-REX 4.1.6 TREXFactory.deployTREXSuite (proxies',
    'over an implementation authority). Both: 1 claim topic, 1 trusted issuer, no module, a new identity registry storage, the',
    'token\'s own identity created with it, one agent on the token and the identity registry. Admin writes run in the same order',
    'and state on both sides; "signed" is the node\'s path: an EIP-712 signed call relayed through `executeSigned` by an',
    'account holding no role (signature check, ~22k for a fresh nonce slot, 20 bytes of calldata appended).',
    '',
    table(['operation', 'Masque (agent sends)', 'Masque (signed, relayed)', 'T-REX (agent sends)', 'ratio Masque / T-REX'], rows),
    '',
    `Clone overhead: a transfer on a factory suite costs ${fmt(s.masque.transfer)} against ${fmt(fullTransfer.masque)} on contracts deployed`,
    `directly (no module, same checks): +${fmt(overhead)} gas, the cold delegatecalls into the templates. T-REX's proxies cost it`,
    `${fmt(s.trex.transfer - fullTransfer.trex)} (${fmt(s.trex.transfer)} vs ${fmt(fullTransfer.trex)}). A suite deployed in full instead of as clones would cost`,
    'about 7M gas (its runtime code alone is ~60 kB at 200 gas a byte).',
  ].join('\n');
}

