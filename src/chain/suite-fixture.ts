// Test world for the factory and role suites: the token world (anvil, identity stack, issuer, modules, three
// onboarded investors), a TokenFactory, and a suite deployed through it by a relayer for an owner who holds no ether,
// bound to the stack's storage (so the onboarded investors are registered), with one unfunded account per role.
import { type Abi, type Address, type Hex, encodeFunctionData, keccak256, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { ClaimTopic } from './identity.js';
import { Role, SUITE_ROLES, type RoleName, type SuiteContract } from './roles.js';
import { deploySuite, deployTokenFactory, predictSuite, relaySigned, signCall, suiteContractAbis, suiteErrors, suiteTypedData, type Suite, type SuiteParams } from './suite.js';
import { moduleCall } from './token.js';
import { setupTokenWorld, Country, type TokenWorld } from './token-fixture.js';
import {
  identityRegistryStorageAbi,
} from './artifacts/index.js';

export type SuiteRole = Exclude<RoleName, 'AGENT'>;

export const suiteAbis = suiteContractAbis;

export interface SuiteWorld extends TokenWorld {
  factory: Address;
  /** The suite's owner: an account with no ether, acting only through signed calls. */
  owner: PrivateKeyAccount;
  /** Holds no role anywhere; pays for everything. */
  relayer: TokenWorld['admin'];
  /** One unfunded account per suite role, holding that role only. */
  holders: Record<SuiteRole, PrivateKeyAccount>;
  /** An unfunded account holding no role. */
  stranger: PrivateKeyAccount;
  suite: Suite;
  params: SuiteParams;
  /** Relays `fn(args)` on the suite's `contract`, signed by `signer`. */
  signed(signer: PrivateKeyAccount, contract: SuiteContract | 'identityRegistryStorage', fn: string, args: readonly unknown[]): ReturnType<typeof relaySigned>;
  /** Simulates the same relayed call (use with expectRevert). */
  signedSim(signer: PrivateKeyAccount, contract: SuiteContract | 'identityRegistryStorage', fn: string, args: readonly unknown[]): Promise<unknown>;
  read<T = unknown>(contract: SuiteContract | 'identityRegistryStorage', fn: string, args?: readonly unknown[]): Promise<T>;
}

export const SALT: Hex = keccak256(toHex('suite-1'));

export async function setupSuiteWorld(): Promise<SuiteWorld> {
  const world = await setupTokenWorld();
  const { reader, admin, chain } = world;
  const relayer = world.spareWallets[0];
  const factory = await deployTokenFactory(admin, reader, { identityFactory: world.stack.identityFactory });
  const owner = privateKeyToAccount(generatePrivateKey());
  const holders = Object.fromEntries(SUITE_ROLES.map((r) => [r, privateKeyToAccount(generatePrivateKey())])) as Record<SuiteRole, PrivateKeyAccount>;
  const stranger = privateKeyToAccount(generatePrivateKey());
  const params: SuiteParams = {
    owner: owner.address,
    salt: SALT,
    name: 'Masque Fund I',
    symbol: 'MFI',
    decimals: 0,
    createOnchainID: true,
    identityRegistryStorage: world.stack.identityRegistryStorage,
    claimTopics: [ClaimTopic.KYC],
    issuers: [{ issuer: world.issuer, topics: [ClaimTopic.KYC, ClaimTopic.AML] }],
    modules: [{ module: world.modules.CountryRestrictModule, settings: [moduleCall('CountryRestrictModule', 'addCountryRestriction', [Country.US])] }],
    agents: SUITE_ROLES.map((r) => ({ account: holders[r].address, roles: Role[r] })),
  };
  const predicted = await predictSuite(reader, factory, { owner: owner.address, salt: SALT, ownStorage: false, createOnchainID: true });
  const deadline = (await chain.now()) + 3600n;
  const authorization = { deadline, signature: await owner.signTypedData(suiteTypedData({ chainId: chain.chainId, factory, params, deadline })) };
  // The stack's storage is the admin's: it signs the binding of the predicted registry.
  const binding = await signCall(world.chain.accounts[0], {
    chainId: chain.chainId, contract: world.stack.identityRegistryStorage, deadline,
    data: encodeFunctionData({ abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [predicted.identityRegistry] }),
  });
  const { suite } = await deploySuite(relayer, reader, factory, params, { authorization, binding });
  const addressOf = (c: SuiteContract | 'identityRegistryStorage') => suite[c];
  const allAbi = (c: SuiteContract | 'identityRegistryStorage') => [...suiteAbis[c], ...suiteErrors()] as Abi;
  return {
    ...world,
    factory,
    owner,
    relayer,
    holders,
    stranger,
    suite,
    params,
    signed: (signer, contract, fn, args) => relaySigned(relayer, reader, signer, { contract: addressOf(contract), abi: suiteAbis[contract], functionName: fn, args }),
    async signedSim(signer, contract, fn, args) {
      const data = encodeFunctionData({ abi: suiteAbis[contract], functionName: fn, args } as never);
      const s = await signCall(signer, { chainId: chain.chainId, contract: addressOf(contract), data, deadline: (await chain.now()) + 600n });
      return reader.simulateContract({
        address: addressOf(contract), abi: allAbi(contract), functionName: 'executeSigned', args: [data, s.nonce, s.deadline, s.signature], account: relayer.account,
      } as never);
    },
    read: <T>(contract: SuiteContract | 'identityRegistryStorage', fn: string, args: readonly unknown[] = []) =>
      reader.readContract({ address: addressOf(contract), abi: suiteAbis[contract], functionName: fn, args } as never) as Promise<T>,
  };
}

