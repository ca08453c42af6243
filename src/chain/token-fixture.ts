// Test world for the token suites: one anvil, the identity stack, a claim issuer, the onboarding contract, a
// permissioned token with its compliance, one instance of each module, and three onboarded investors.
import { before, after, beforeEach, afterEach } from 'node:test';
import { type Abi, type Address, type Hex, keccak256, toHex, parseEventLogs } from 'viem';
import type { HDAccount } from 'viem/accounts';
import {
  ClaimTopic,
  addTrustedIssuer,
  deployClaimIssuer,
  deployIdentityStack,
  knownErrors,
  signClaim,
  write,
  type IdentityStack,
  type Reader,
  type SignedClaim,
  type Wallet,
} from './identity.js';
import { startTestChain, type TestChain } from './testkit.js';
import {
  deployCompliance,
  deployModule,
  deployOnboarding,
  deployToken,
  onboard,
  predictOnboardedIdentity,
  tokenErrors,
  type ModuleName,
} from './token.js';
import { identityRegistryAbi, modularComplianceAbi, permissionedTokenAbi } from './artifacts/index.js';

export const Country = { FR: 250, DE: 276, US: 840 } as const;
const YEAR = 365n * 24n * 3600n;

/** Every custom error of every contract, deduplicated, for decoding bubbled reverts. */
export function allErrors(): Abi {
  const seen = new Set<string>();
  return [...tokenErrors(), ...knownErrors()].filter((e) => {
    if (e.type !== 'error') return false;
    const sig = `${e.name}(${e.inputs.map((i) => i.type).join(',')})`;
    return seen.has(sig) ? false : (seen.add(sig), true);
  });
}

/** The token ABI extended with every error (so a module's or registry's error decodes from a token call). */
export const tokenAbi = [...permissionedTokenAbi, ...allErrors().filter((e) => e.type === 'error' &&
  !permissionedTokenAbi.some((t) => t.type === 'error' && t.name === e.name))] as unknown as typeof permissionedTokenAbi;
export const complianceAbi = [...modularComplianceAbi, ...allErrors().filter((e) => e.type === 'error' &&
  !modularComplianceAbi.some((t) => t.type === 'error' && t.name === e.name))] as unknown as typeof modularComplianceAbi;

export interface Investor {
  account: HDAccount;
  wallet: Wallet;
  address: Address;
  identity: Address;
  country: number;
}

export interface TokenWorld {
  chain: TestChain;
  reader: Reader;
  /** Owner of everything, agent of the token, the registries and the onboarding contract. */
  admin: Wallet;
  /** Claim signer of `issuer`. */
  signer: HDAccount;
  stack: IdentityStack;
  issuer: Address;
  onboarding: Address;
  compliance: Address;
  token: Address;
  modules: Record<ModuleName, Address>;
  alice: Investor;
  bob: Investor;
  carol: Investor;
  /** Accounts not onboarded. */
  spare: HDAccount[];
  spareWallets: Wallet[];
  /** Signs a claim of `issuer` (default: the world's issuer) about `identity`. */
  claim(identity: Address, topic: bigint, opts?: { expiresAt?: bigint; issuer?: Address; signer?: HDAccount }): Promise<SignedClaim>;
  /** Onboards `account` with claims for `topics` (default: KYC). */
  onboardInvestor(account: HDAccount, wallet: Wallet, country: number, topics?: bigint[]): Promise<Investor>;
  /** Sends a token write from `from` (default admin). */
  tokenWrite(functionName: string, args: readonly unknown[], from?: Wallet): ReturnType<typeof write>;
  /** Simulates a token write from `from` (default admin): use with expectRevert. */
  tokenSim(functionName: string, args: readonly unknown[], from?: Wallet): Promise<unknown>;
  tokenRead<T = unknown>(functionName: string, args?: readonly unknown[]): Promise<T>;
  /** Decoded events of a receipt, across every contract of the world. */
  events(receipt: { logs: readonly unknown[] }, abi?: Abi): { eventName: string; args: Record<string, unknown>; address: Address }[];
}

export const DOCUMENT_HASH: Hex = keccak256(toHex('kyc-document'));
export const DOCUMENT_URI = 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';

export async function setupTokenWorld(): Promise<TokenWorld> {
  const chain = await startTestChain({ accountCount: 9 });
  const reader = chain.reader;
  const [admin] = chain.wallets;
  const signer = chain.accounts[1];
  const stack = await deployIdentityStack(admin, reader, { requiredTopics: [ClaimTopic.KYC] });
  const issuer = await deployClaimIssuer(admin, reader, { signers: [signer.address], claimIndex: stack.identityImplementation });
  await addTrustedIssuer(admin, reader, stack.trustedIssuersRegistry, issuer, [ClaimTopic.KYC, ClaimTopic.AML]);
  const onboarding = await deployOnboarding(admin, reader, {
    identityFactory: stack.identityFactory,
    identityRegistry: stack.identityRegistry,
  });
  const compliance = await deployCompliance(admin, reader);
  const token = await deployToken(admin, reader, {
    name: 'Masque Bond 2030',
    symbol: 'MB30',
    decimals: 6,
    identityRegistry: stack.identityRegistry,
    compliance,
  });
  await write(admin, reader, { address: token, abi: permissionedTokenAbi, functionName: 'addAgent', args: [admin.account.address] });
  // Recovery moves registry entries, so the token is an agent of the identity registry.
  await write(admin, reader, { address: stack.identityRegistry, abi: identityRegistryAbi, functionName: 'addAgent', args: [token] });
  const modules = {} as Record<ModuleName, Address>;
  for (const name of ['CountryAllowModule', 'CountryRestrictModule', 'MaxBalanceModule', 'MaxRiskScoreModule'] as const) {
    modules[name] = await deployModule(admin, reader, name);
  }

  const claim: TokenWorld['claim'] = async (identity, topic, opts = {}) => {
    const now = await chain.now();
    return signClaim(opts.signer ?? signer, {
      chainId: chain.chainId,
      issuer: opts.issuer ?? issuer,
      identity,
      topic,
      documentHash: DOCUMENT_HASH,
      issuedAt: now - 60n,
      expiresAt: opts.expiresAt ?? now + YEAR,
      uri: DOCUMENT_URI,
    });
  };
  const onboardInvestor: TokenWorld['onboardInvestor'] = async (account, wallet, country, topics = [ClaimTopic.KYC]) => {
    const predicted = await predictOnboardedIdentity(reader, onboarding, account.address);
    const claims = await Promise.all(topics.map((t) => claim(predicted, t)));
    const { identity } = await onboard(admin, reader, onboarding, { investor: account.address, country, claims });
    return { account, wallet, address: account.address, identity, country };
  };
  const alice = await onboardInvestor(chain.accounts[2], chain.wallets[2], Country.FR);
  const bob = await onboardInvestor(chain.accounts[3], chain.wallets[3], Country.DE);
  const carol = await onboardInvestor(chain.accounts[4], chain.wallets[4], Country.US);

  const everyAbi = [...permissionedTokenAbi, ...modularComplianceAbi, ...identityRegistryAbi] as Abi;
  return {
    chain,
    reader,
    admin,
    signer,
    stack,
    issuer,
    onboarding,
    compliance,
    token,
    modules,
    alice,
    bob,
    carol,
    spare: chain.accounts.slice(5),
    spareWallets: chain.wallets.slice(5),
    claim,
    onboardInvestor,
    tokenWrite: (functionName, args, from = admin) =>
      write(from, reader, { address: token, abi: tokenAbi, functionName: functionName as never, args: args as never }),
    tokenSim: (functionName, args, from = admin) =>
      reader.simulateContract({ address: token, abi: tokenAbi, functionName: functionName as never, args: args as never, account: from.account }),
    tokenRead: <T>(functionName: string, args: readonly unknown[] = []) =>
      reader.readContract({ address: token, abi: permissionedTokenAbi, functionName: functionName as never, args: args as never }) as Promise<T>,
    events: (receipt, abi = everyAbi) =>
      parseEventLogs({ abi, logs: receipt.logs as never }).map((l) => ({
        eventName: l.eventName,
        args: (l as unknown as { args: Record<string, unknown> }).args,
        address: l.address,
      })),
  };
}

/**
 * Registers the hooks every token suite uses: one world (anvil + deployed stack) per file, and a
 * snapshot reverted after each test so tests never see each other's state.
 */
export function useTokenWorld(onReady: (world: TokenWorld) => void | Promise<void>): void {
  let world: TokenWorld | undefined;
  let snapshot: Hex;
  before(async () => {
    world = await setupTokenWorld();
    await onReady(world);
  });
  after(async () => {
    await world?.chain.stop();
  });
  beforeEach(async () => {
    snapshot = await world!.chain.snapshot();
  });
  afterEach(async () => {
    await world!.chain.revert(snapshot);
  });
}
