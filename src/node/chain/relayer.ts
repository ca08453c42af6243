// The relayer: the node's own key pays gas for writes the callers authorized. Nonces are assigned under a lock
// (estimate -> sign -> send happen in nonce order), so concurrent requests never collide or leave gaps: a call
// that reverts in estimation consumes no nonce. Receipts are awaited outside the lock, then the durability
// barrier (embedded chain: state dump) runs before the write is acknowledged.
import {
  BaseError,
  ContractFunctionRevertedError,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { RpcCode, RpcError } from '../rpc/errors.js';

export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(() => {}, () => {});
    return result;
  }
}

export interface WriteCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
}

export interface Relayed { hash: Hex; receipt: TransactionReceipt }

/** Turns a viem revert into an RpcError naming the contract's custom error (never a stack trace). */
export function revertError(e: unknown, what: string): RpcError {
  if (e instanceof BaseError) {
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    if (revert) {
      const name = revert.data?.errorName ?? revert.reason ?? 'reverted';
      return new RpcError(RpcCode.CHAIN_REVERTED, `${what} reverted: ${name}`, { error: name, args: revert.data?.args?.map(String) });
    }
    return new RpcError(RpcCode.UPSTREAM, `${what} failed: ${e.shortMessage}`);
  }
  return new RpcError(RpcCode.UPSTREAM, `${what} failed: ${(e as Error)?.message ?? String(e)}`);
}

export class Relayer {
  private readonly lock = new Mutex();
  private nonce: number | undefined;
  sent = 0;

  constructor(
    readonly publicClient: PublicClient,
    readonly walletClient: WalletClient<Transport, Chain, Account>,
    /** Resolves once the state including a mined transaction is durable. */
    private readonly durable: () => Promise<void>,
  ) {}

  get address(): Address {
    return this.walletClient.account.address;
  }

  /** Re-reads the account nonce from the chain (after a restart, or when another sender used the key). */
  async resync(): Promise<void> {
    await this.lock.run(async () => {
      this.nonce = await this.publicClient.getTransactionCount({ address: this.address, blockTag: 'pending' });
    });
  }

  async write(call: WriteCall): Promise<Relayed> {
    const hash = await this.lock.run(async () => {
      if (this.nonce === undefined) this.nonce = await this.publicClient.getTransactionCount({ address: this.address, blockTag: 'pending' });
      let gas: bigint;
      try {
        gas = await this.publicClient.estimateContractGas({ ...call, account: this.walletClient.account } as never);
      } catch (e) {
        throw revertError(e, call.functionName);
      }
      for (let attempt = 0; ; attempt++) {
        try {
          const h = await this.walletClient.writeContract({
            ...call,
            account: this.walletClient.account,
            chain: this.walletClient.chain,
            nonce: this.nonce,
            // Headroom: estimation ran against the state before any transaction still ahead in this block.
            gas: (gas * 13n) / 10n + 20_000n,
          } as never);
          this.nonce++;
          this.sent++;
          return h;
        } catch (e) {
          const msg = (e as Error).message ?? '';
          if (attempt === 0 && /nonce/i.test(msg)) {
            this.nonce = await this.publicClient.getTransactionCount({ address: this.address, blockTag: 'pending' });
            continue;
          }
          throw revertError(e, call.functionName);
        }
      }
    });
    const receipt = await this.receipt(hash);
    if (receipt.status !== 'success') throw new RpcError(RpcCode.CHAIN_REVERTED, `${call.functionName} reverted (tx ${hash})`, { txHash: hash });
    await this.durable();
    return { hash, receipt };
  }

  private async receipt(hash: Hex): Promise<TransactionReceipt> {
    // Automining chains have the receipt at once; the poll is for chains with block times.
    try {
      return await this.publicClient.getTransactionReceipt({ hash });
    } catch {
      return this.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 100, timeout: 120_000 });
    }
  }
}
