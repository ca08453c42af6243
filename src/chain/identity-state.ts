// The on-chain IdentityStateRegistry seen through src/zk's IdentityStateReader / IdentityStatePublisher, so the
// issuer, holder and verifier roles (src/zk/issuer.ts, holder.ts, verifier.ts) run against the chain.
import type { Address } from 'viem';
import type { IdentityStatePublisher } from '../zk/registry.js';
import type { Reader, Wallet } from './identity.js';
import { getLatestState, isStateValid, publishState } from './zk.js';

export interface IdentityStateRegistryClient extends IdentityStatePublisher {
  readonly address: Address;
}

/** Reads states with `reader`; publishes with `wallet` (any funded account: the proof is the authorization). */
export function identityStateRegistry(p: { reader: Reader; wallet?: Wallet; address: Address }): IdentityStateRegistryClient {
  return {
    address: p.address,
    async latestState(id) {
      const state = await getLatestState(p.reader, p.address, id);
      return state === 0n ? undefined : state;
    },
    isStateValid(id, state, maxAgeAfterReplacement) {
      return isStateValid(p.reader, p.address, id, state, BigInt(maxAgeAfterReplacement));
    },
    async publishState(transition) {
      if (!p.wallet) throw new Error('wallet: needed to publish a state');
      const { receipt } = await publishState(p.wallet, p.reader, p.address, transition);
      return { transactionHash: receipt.transactionHash, gasUsed: receipt.gasUsed };
    },
  };
}
