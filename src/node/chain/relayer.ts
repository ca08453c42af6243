// The relayer: the node's own key pays gas for writes the callers authorized. Nonces are assigned under a lock
// (estimate -> sign -> send happen in nonce order), in this process or across replicas (NonceStore), so concurrent
// requests never collide or leave gaps: a call that reverts in estimation consumes no nonce. Receipts are awaited outside the lock, then the durability
// barrier (embedded chain: state dump) runs before the write is acknowledged.
import {
  BaseError,
  ContractFunctionRevertedError,
  encodeDeployData,
  getAddress,
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

/**
 * Where the relayer's next nonce lives while a transaction is prepared: in this process (`memoryNonces`, one node) or
 * in the database the replicas share (node.ts), so replicas relaying with the same key never collide nor leave gaps.
 */
export interface NonceStore {
  /**
   * Runs `fn` with the stored next nonce (undefined: unknown, read the chain), exclusively across every sender of the
   * key, and stores the `next` it returns. When `fn` throws nothing is stored: a call that reverts in estimation
   * consumes no nonce.
   */
  exclusive<T>(fn: (stored: number | undefined) => Promise<{ value: T; next: number }>): Promise<T>;
}

export function memoryNonces(): NonceStore {
  const lock = new Mutex();
  let next: number | undefined;
  return {
    exclusive: (fn) => lock.run(async () => {
      const r = await fn(next);
      next = r.next;
      return r.value;
    }),
  };
}

export class Relayer {
  sent = 0;

  constructor(
    readonly publicClient: PublicClient,
    readonly walletClient: WalletClient<Transport, Chain, Account>,
    /** Resolves once the state including a mined transaction is durable. */
    private readonly durable: () => Promise<void>,
    private readonly nonces: NonceStore = memoryNonces(),
  ) {}

  get address(): Address {
    return this.walletClient.account.address;
  }

  private pendingNonce(): Promise<number> {
    return this.publicClient.getTransactionCount({ address: this.address, blockTag: 'pending' });
  }

  /** Re-reads the account nonce from the chain (after a restart, or when another sender used the key). */
  async resync(): Promise<void> {
    await this.nonces.exclusive(async () => ({ value: undefined, next: await this.pendingNonce() }));
  }

  async write(call: WriteCall): Promise<Relayed> {
    return this.send(call.functionName, {
      estimate: () => this.publicClient.estimateContractGas({ ...call, account: this.walletClient.account } as never),
      submit: (tx) => this.walletClient.writeContract({ ...call, ...tx } as never),
    });
  }

  /** Deploys a contract (e.g. a ClaimIssuer registered while the node runs); its address with the receipt. */
  async deploy(d: { abi: Abi; bytecode: Hex; args: readonly unknown[]; what: string }): Promise<Relayed & { address: Address }> {
    const call = { abi: d.abi, bytecode: d.bytecode, args: d.args } as never;
    const r = await this.send(d.what, {
      estimate: () => this.publicClient.estimateGas({ account: this.walletClient.account, data: encodeDeployData(call) }),
      submit: (tx) => this.walletClient.deployContract({ ...(call as object), ...tx } as never),
    });
    if (!r.receipt.contractAddress) throw new RpcError(RpcCode.CHAIN_REVERTED, `${d.what}: no contract created (tx ${r.hash})`, { txHash: r.hash });
    return { ...r, address: getAddress(r.receipt.contractAddress) };
  }

  /**
   * One transaction from the relayer's key, in nonce order: estimated first (a revert is refused before anything is
   * sent, naming the contract's error), mined, then made durable.
   */
  private async send(what: string, tx: {
    estimate: () => Promise<bigint>;
    submit: (t: { account: Account; chain: Chain; nonce: number; gas: bigint }) => Promise<Hex>;
  }): Promise<Relayed> {
    const hash = await this.nonces.exclusive(async (stored) => {
      let nonce = stored ?? await this.pendingNonce();
      let gas: bigint;
      try {
        gas = await tx.estimate();
      } catch (e) {
        throw revertError(e, what);
      }
      for (let attempt = 0; ; attempt++) {
        try {
          const h = await tx.submit({
            account: this.walletClient.account,
            chain: this.walletClient.chain,
            nonce,
            // Headroom: estimation ran against the state before any transaction still ahead in this block.
            gas: (gas * 13n) / 10n + 20_000n,
          });
          this.sent++;
          return { value: h, next: nonce + 1 };
        } catch (e) {
          const msg = (e as Error).message ?? '';
          // The stored nonce is behind the chain: another sender used the key, or a replica died between its send
          // and recording the next nonce. The chain's count is the truth.
          if (attempt === 0 && /nonce/i.test(msg)) {
            nonce = await this.pendingNonce();
            continue;
          }
          throw revertError(e, what);
        }
      }
    });
    const receipt = await this.receipt(hash);
    if (receipt.status !== 'success') throw new RpcError(RpcCode.CHAIN_REVERTED, `${what} reverted (tx ${hash})`, { txHash: hash });
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
