// The on-chain IdentityStateRegistry seen through src/zk's IdentityStateReader / IdentityStatePublisher, so the
// issuer, holder and verifier roles (src/zk/issuer.ts, holder.ts, verifier.ts) run against the chain.
import type { Address } from 'viem';
import type { GistReader, IdentityStatePublisher } from '../zk/registry.js';
import { GlobalStateTree } from '../zk/gist.js';
import type { Reader, Wallet } from './identity.js';
import { getGistRoot, getLatestState, getStateTransitions, isGistRootValid, isStateValid, publishState } from './zk.js';

export interface IdentityStateRegistryClient extends IdentityStatePublisher, GistReader {
  readonly address: Address;
}

/**
 * The GIST rebuilt from the registry's StateTransitioned events, checked against its on-chain root. Reads every
 * event each time: fine for tests, demos and a CLI; a node keeps a mirror that catches up instead (src/node).
 */
async function gistAtHead(reader: Reader, registry: Address): Promise<GlobalStateTree> {
  const blockNumber = await reader.getBlockNumber({ cacheTime: 0 });
  const [root, transitions] = await Promise.all([
    getGistRoot(reader, registry, { blockNumber }), getStateTransitions(reader, registry, { toBlock: blockNumber }),
  ]);
  const gist = GlobalStateTree.fromTransitions(transitions);
  if (gist.root !== root) throw new Error('GIST: the registry\'s events do not rebuild its root');
  return gist;
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
    isGistRootValid(root, maxAgeAfterReplacement) {
      return isGistRootValid(p.reader, p.address, root, BigInt(maxAgeAfterReplacement));
    },
    async gistProof(id) {
      return (await gistAtHead(p.reader, p.address)).prove(id);
    },
    async gistUpdateWitness(id, newState) {
      return (await gistAtHead(p.reader, p.address)).updateWitness(id, newState);
    },
    async publishState(transition) {
      if (!p.wallet) throw new Error('wallet: needed to publish a state');
      const { receipt } = await publishState(p.wallet, p.reader, p.address, transition);
      return { transactionHash: receipt.transactionHash, gasUsed: receipt.gasUsed };
    },
  };
}
