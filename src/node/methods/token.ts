// token_ reads, the one-transaction suite deployment, and investor onboarding on the node's identity stack. Writes on a
// suite are in token-admin.ts; the cap table and role accounts come from the index (token-index.ts).
import { getAddress, parseEventLogs, recoverTypedDataAddress, zeroAddress, type Address, type Hex } from 'viem';
import {
  claimTopicsRegistryAbi, identityRegistryAbi, investorOnboardingAbi, modularComplianceAbi, permissionedTokenAbi, tokenFactoryAbi,
  trustedIssuersRegistryAbi,
} from '../../chain/artifacts/index.js';
import { roleNames } from '../../chain/roles.js';
import { suiteArgs, suiteErrors, suiteTypedData, predictSuite } from '../../chain/suite.js';
import { canTransferReason } from '../../chain/token.js';
import { settingModule, suiteContractAbis, suiteParamsOf, type DeployRequest } from '../../protocol/token-calls.js';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { authorize, ZERO32 } from './common.js';
import { checkPolicy, claimArgs } from './claims.js';
import { RpcCode, RpcError, invalidParams, unauthorized } from '../rpc/errors.js';
import { revertError } from '../chain/relayer.js';
import { checkOnboardingJurisdiction, recordOnboardingJurisdiction } from '../risk/onboarding.js';
import { moduleDirectoryOf, suiteOf, tokenAdminHandlers } from './token-admin.js';
import { readModules } from './token-modules.js';

/** The suite contracts that hold roles (contracts/roles/RoleControl.sol). */
const SUITE_CONTRACTS = ['token', 'identityRegistry', 'compliance', 'trustedIssuersRegistry', 'claimTopicsRegistry'] as const;

type ReadMethods = 'token_predictInvestorIdentity' | 'token_onboardInvestor' | 'token_canTransfer' | 'token_deploy' | 'token_predictSuite'
  | 'token_info' | 'token_balanceOf' | 'token_holders';

export const tokenHandlers = (ctx: NodeContext): Pick<Handlers, ReadMethods> & ReturnType<typeof tokenAdminHandlers> => {
  const r = ctx.clients.publicClient;
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    r.readContract({ address, abi, functionName, args } as never) as Promise<T>;
  /** The suite of `token`, tracked by the index (from block 0 when met here first) and folded up to the head. */
  const indexedSuiteOf = async (token: Address | undefined) => {
    const suite = await suiteOf(ctx, token);
    await ctx.tokenIndex.track(suite.token, 0, suite);
    return { suite, indexedBlock: await ctx.tokenIndex.catchUp(suite.token) };
  };

  return {
    ...tokenAdminHandlers(ctx),

    async token_predictInvestorIdentity(p) {
      const identity = await r.readContract({
        address: ctx.deployment.onboarding, abi: investorOnboardingAbi, functionName: 'predictIdentity', args: [p.wallet, (p.salt ?? ZERO32) as Hex],
      });
      return { identity };
    },

    async token_onboardInvestor(p, { raw }) {
      const signer = await authorize(ctx, 'token_onboardInvestor', raw, p.auth);
      if (signer.toLowerCase() !== p.wallet.toLowerCase()) throw unauthorized('only the investor wallet can ask to be onboarded', { field: 'auth.signer' });
      const salt = (p.salt ?? ZERO32) as Hex;
      const identity = await r.readContract({ address: ctx.deployment.onboarding, abi: investorOnboardingAbi, functionName: 'predictIdentity', args: [p.wallet, salt] });
      p.claims.forEach((c, i) => checkPolicy(ctx, c, `claims.${i}.`));
      const jurisdiction = await checkOnboardingJurisdiction(ctx, p);
      const claims = p.claims.map((c) => {
        const [topic, scheme, issuer, signature, data, uri] = claimArgs({ ...c, identity });
        return { topic, scheme, issuer, signature, data, uri };
      });
      const res = await ctx.relayer.write({ address: ctx.deployment.onboarding, abi: investorOnboardingAbi, functionName: 'onboard', args: [p.wallet, p.country, salt, claims] });
      if (jurisdiction) await recordOnboardingJurisdiction(ctx, identity, p.country, jurisdiction);
      return { identity: getAddress(identity), txHash: res.hash };
    },

    async token_canTransfer(p) {
      const { token } = await suiteOf(ctx, p.token);
      try {
        const res = await canTransferReason(r, token, p.from, p.to, BigInt(p.amount));
        return { ok: res.code === 0, code: res.code, name: res.name, message: res.message };
      } catch (e) {
        throw revertError(e, 'canTransferReason');
      }
    },

    async token_predictSuite(p) {
      const s = await predictSuite(r, ctx.deployment.tokenFactory, { owner: p.owner, salt: p.salt, ownStorage: p.ownStorage ?? true, createOnchainID: p.createOnchainID ?? true });
      return { ...s, identityRegistryStorage: s.identityRegistryStorage, onchainID: s.onchainID };
    },

    async token_deploy(p, { raw }) {
      const signer = await authorize(ctx, 'token_deploy', raw, p.auth);
      if (signer.toLowerCase() !== p.owner.toLowerCase()) throw unauthorized("only the owner's wallet can ask for its suite", { field: 'auth.signer' });
      for (const [i, m] of (p.modules ?? []).entries()) {
        for (const [j, s] of (m.settings ?? []).entries()) {
          if (settingModule(s) !== m.module) throw invalidParams(`modules.${i}.settings.${j}.kind`, `${s.kind} configures ${settingModule(s)}, not ${m.module}`);
        }
      }
      if (p.identityRegistryStorage && !p.storageBinding) {
        throw invalidParams('storageBinding', "a shared storage needs its owner's signed bindIdentityRegistry of the predicted registry (token_predictSuite)");
      }
      const params = suiteParamsOf(p as DeployRequest, moduleDirectoryOf(ctx));
      const factory = ctx.deployment.tokenFactory;
      const typed = suiteTypedData({ chainId: ctx.chainId, factory, params, deadline: BigInt(p.authorization.deadline) });
      let by: Address;
      try {
        by = await recoverTypedDataAddress({ ...typed, signature: p.authorization.signature });
      } catch {
        throw unauthorized('malformed authorization signature', { field: 'authorization.signature' });
      }
      if (by.toLowerCase() !== p.owner.toLowerCase()) throw unauthorized('authorization is not the owner\'s signature of this suite', { field: 'authorization.signature' });
      if (p.authorization.deadline < Math.floor(Date.now() / 1000)) throw unauthorized('authorization expired (deadline passed)', { field: 'authorization.deadline' });
      const binding = p.storageBinding
        ? { nonce: BigInt(p.storageBinding.nonce), deadline: BigInt(p.storageBinding.deadline), signature: p.storageBinding.signature }
        : { nonce: 0n, deadline: 0n, signature: '0x' as Hex };
      let res;
      try {
        res = await ctx.relayer.write({
          address: factory, abi: [...tokenFactoryAbi, ...suiteErrors()], functionName: 'deploySuite',
          args: [suiteArgs(params), { deadline: BigInt(p.authorization.deadline), signature: p.authorization.signature }, binding],
        });
      } catch (e) {
        const data = (e as RpcError).data as { error?: string; args?: string[] } | undefined;
        if (data?.error === 'SuiteAlreadyDeployed') throw new RpcError(RpcCode.CONFLICT, `this owner already deployed a suite with this salt (token ${data.args?.[0]})`, { ...data, field: 'salt' });
        throw e;
      }
      const [ev] = parseEventLogs({ abi: tokenFactoryAbi, logs: res.receipt.logs, eventName: 'SuiteDeployed' });
      const s = ev!.args;
      const suite = {
        token: s.token, identityRegistry: s.identityRegistry, identityRegistryStorage: s.identityRegistryStorage, compliance: s.compliance,
        trustedIssuersRegistry: s.trustedIssuersRegistry, claimTopicsRegistry: s.claimTopicsRegistry,
      };
      await ctx.tokenIndex.track(s.token, Number(res.receipt.blockNumber), suite);
      return { ...suite, onchainID: s.onchainID, txHash: res.hash, blockNumber: Number(res.receipt.blockNumber), gasUsed: res.receipt.gasUsed.toString() };
    },

    async token_info(p) {
      const { suite, indexedBlock } = await indexedSuiteOf(p.token);
      const t = suite.token;
      const [name, symbol, decimals, totalSupply, paused, owner, onchainID, topics, issuers, modules] = await Promise.all([
        read<string>(t, permissionedTokenAbi, 'name'), read<string>(t, permissionedTokenAbi, 'symbol'), read<number>(t, permissionedTokenAbi, 'decimals'),
        read<bigint>(t, permissionedTokenAbi, 'totalSupply'), read<boolean>(t, permissionedTokenAbi, 'paused'), read<Address>(t, permissionedTokenAbi, 'owner'),
        read<Address>(t, permissionedTokenAbi, 'onchainID'),
        read<bigint[]>(suite.claimTopicsRegistry, claimTopicsRegistryAbi, 'getClaimTopics'),
        read<Address[]>(suite.trustedIssuersRegistry, trustedIssuersRegistryAbi, 'getTrustedIssuers'),
        read<Address[]>(suite.compliance, modularComplianceAbi, 'getModules'),
      ]);
      const trustedIssuers = await Promise.all(issuers.map(async (issuer) => ({
        issuer, topics: (await read<bigint[]>(suite.trustedIssuersRegistry, trustedIssuersRegistryAbi, 'getTrustedIssuerClaimTopics', [issuer])).map(Number),
      })));
      const moduleInfo = await readModules(r, suite.compliance, modules, moduleDirectoryOf(ctx));
      // Every account a role event named, its roles read now on each suite contract (all at once: one round trip).
      const held = await Promise.all((await ctx.repos.tokens.roleAccounts(t)).map(async (account) => {
        const bits = await Promise.all(SUITE_CONTRACTS.map((c) => read<bigint>(suite[c], suiteContractAbis[c], 'rolesOf', [account]).catch(() => 0n)));
        return { account, bits: bits.reduce((a, b) => a | b, 0n) };
      }));
      // The token's own whitelist-manager role on its registry (recovery) is wiring, not an agent.
      const agents = held.filter(({ account, bits }) => bits !== 0n && account.toLowerCase() !== t.toLowerCase())
        .map(({ account, bits }) => ({ address: getAddress(account), roles: roleNames(bits) }));
      return {
        ...suite, name, symbol, decimals, totalSupply: totalSupply.toString(), paused, owner, onchainID,
        claimTopics: topics.map(Number), trustedIssuers, modules: moduleInfo, agents, indexedBlock,
      };
    },

    async token_balanceOf(p) {
      const suite = await suiteOf(ctx, p.token);
      const [balance, frozenTokens, frozen, identity, verified] = await Promise.all([
        read<bigint>(suite.token, permissionedTokenAbi, 'balanceOf', [p.wallet]),
        read<bigint>(suite.token, permissionedTokenAbi, 'getFrozenTokens', [p.wallet]),
        read<boolean>(suite.token, permissionedTokenAbi, 'isFrozen', [p.wallet]),
        read<Address>(suite.identityRegistry, identityRegistryAbi, 'identity', [p.wallet]),
        read<boolean>(suite.identityRegistry, identityRegistryAbi, 'isVerified', [p.wallet]),
      ]);
      const registered = identity !== zeroAddress;
      return {
        balance: balance.toString(), frozenTokens: frozenTokens.toString(), available: (balance - frozenTokens).toString(), frozen,
        identity: registered ? identity : null, registered, verified,
      };
    },

    async token_holders(p) {
      const { suite, indexedBlock } = await indexedSuiteOf(p.token);
      const offset = p.offset ?? 0;
      const limit = p.limit ?? 100;
      const [{ rows, total }, supply] = await Promise.all([
        ctx.repos.tokens.holders(suite.token, offset, limit),
        read<bigint>(suite.token, permissionedTokenAbi, 'totalSupply'),
      ]);
      // Parts per billion, then a fraction: exact enough for a cap table, no float on 128-bit integers.
      const share = (b: bigint) => (supply === 0n ? 0 : Number((b * 1_000_000_000n) / supply) / 1e9);
      return {
        holders: rows.map((h) => ({ wallet: getAddress(h.holder), balance: h.balance.toString(), share: share(h.balance) })),
        total, totalSupply: supply.toString(), indexedBlock, nextOffset: offset + rows.length < total ? offset + rows.length : null,
      };
    },
  };
};
