// Shared test scaffolding for on-chain suites: one anvil per test file, clients for the funded dev accounts,
// snapshot/revert isolation, time travel and custom-error assertions.
import assert from 'node:assert/strict';
import {
  type Address,
  type Hex,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  toFunctionSelector,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { anvilRpc, startAnvil, type Anvil, type AnvilOptions } from './anvil.js';
import type { Reader, Wallet } from './identity.js';

/** anvil's default mnemonic: its first accounts are funded. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

export interface TestChain {
  anvil: Anvil;
  chainId: number;
  reader: Reader;
  accounts: HDAccount[];
  wallets: Wallet[];
  /** Latest block timestamp. */
  now(): Promise<bigint>;
  /** Moves time forward and mines a block so views see it. */
  travel(seconds: number): Promise<void>;
  snapshot(): Promise<Hex>;
  revert(id: Hex): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestChain(opts: AnvilOptions & { accountCount?: number } = {}): Promise<TestChain> {
  const anvil = await startAnvil({ baseFee: 0n, ...opts });
  const chain = defineChain({
    id: anvil.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  });
  const transport = http(anvil.rpcUrl, { batch: false });
  const reader = createPublicClient({ chain, transport, pollingInterval: 20, cacheTime: 0 }) as Reader;
  const accounts = Array.from({ length: opts.accountCount ?? 6 }, (_, i) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }));
  const wallets = accounts.map((account) =>
    createWalletClient({ account, chain, transport, pollingInterval: 20, cacheTime: 0 }),
  ) as Wallet[];
  return {
    anvil,
    chainId: anvil.chainId,
    reader,
    accounts,
    wallets,
    async now() {
      return (await reader.getBlock({ blockTag: 'latest' })).timestamp;
    },
    async travel(seconds) {
      await anvilRpc.increaseTime(anvil.rpcUrl, seconds);
      await anvilRpc.mine(anvil.rpcUrl, 1);
    },
    snapshot: () => anvilRpc.snapshot(anvil.rpcUrl),
    revert: (id) => anvilRpc.revert(anvil.rpcUrl, id),
    stop: () => anvil.stop(),
  };
}

/**
 * Asserts that `p` rejects with the custom error `errorName` (and, when given, these arguments). Errors bubbled up
 * from another contract are matched by selector when the caller's ABI does not declare them.
 */
export async function expectRevert(p: Promise<unknown>, errorName: string, args?: readonly unknown[]): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof BaseError)) throw e;
    const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    if (!reverted) {
      // Deployments revert without an ABI to decode with: match the raw selector of a parameterless error.
      const selector = toFunctionSelector(`${errorName}()`).slice(0, 10);
      assert.ok(e.message.includes(selector), `expected revert ${errorName} (${selector}), got: ${e.shortMessage}`);
      return;
    }
    if (reverted.data) {
      assert.equal(reverted.data.errorName, errorName, `expected ${errorName}, got ${reverted.data.errorName}`);
      if (args) assert.deepEqual(reverted.data.args, args);
      return;
    }
    const selector = toFunctionSelector(`${errorName}()`).slice(0, 10);
    assert.ok(reverted.raw?.startsWith(selector) || reverted.signature === selector,
      `expected ${errorName} (${selector}), got raw ${reverted.raw ?? reverted.signature ?? reverted.reason}`);
    return;
  }
  assert.fail(`expected revert ${errorName}, but the call succeeded`);
}

export function addrEq(a: Address, b: Address): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
