// The investor's zero-knowledge holder in this page: a Baby Jubjub key derived from the unlocked key (a signature
// over a fixed message, deterministic: the same key gives the same holder ID in any browser, nothing to store), its
// identity (key 0 at genesis, the next key of the seed after each rotation), and the SDK's ZkHolderAgent for fetching
// the claims sealed to it and proving with the key of its state on chain (holder-auth + query). Loaded on demand
// with the prover (snarkjs, the Groth16 WebAssembly workers); the circuit's artifacts come from the node's /zk/.
import { sha256 } from '@noble/hashes/sha2.js';
import { keyScalar, privateKeyFromSeed, publicKey } from '../../../crypto/eddsa.js';
import { Identity, MemoryIdentityStore, Network, verifyIssuedClaim, type IssuedClaim } from '../../../identity/index.js';
import type { Claim } from '../../../claims/index.js';
import { ZkHolderAgent, rotateWalletKeys } from '../../../sdk/zk-parties.js';
import type { Wallet } from '../../../wallet/index.js';
import type { CredentialQueryResponseJson } from '../../../zk/request.js';
import type { Session } from '../keys/session.js';
import { client } from './rpc.js';

export const ZK_KEY_MESSAGE = 'Masque: derive my zero-knowledge holder key (v1). Signing this costs nothing and sends nothing.';
const artifacts = (name: string) => ({ wasm: `${location.origin}/zk/${name}.wasm`, zkey: `${location.origin}/zk/${name}.zkey` });
const credentialQuery = artifacts('credentialQuery');
const holderAuth = artifacts('holderAuth');
const stateTransition = artifacts('stateTransition');

interface Held { claim: Claim; issuerId: string; receivedAt: number }

/** How many rotations the page replays at most to reach the published state (each is one transition on chain). */
const MAX_ROTATIONS = 64;

/**
 * What ZkHolderAgent and ZkHolder need of a wallet, in memory: keys derived from one seed by index (key 0 is the
 * genesis key), the key operations of the rotations, claims held for this page's life (fetched again from the node,
 * sealed to the holder, whenever the page needs them). Nothing is stored: a rotation always adds the next key of the
 * seed and removes the old one (ZkHolderAgent.rotateKey), so `recover` replays rotations until the identity reaches
 * the state published on chain, in any browser.
 */
class PageHolderWallet {
  readonly identity: Identity;
  private readonly added: number[] = [];
  private readonly held: Held[] = [];
  constructor(private readonly seed: Uint8Array) {
    this.identity = Identity.create(new MemoryIdentityStore(), { keys: [this.publicKey(0)], network: Network.Main });
  }
  get id() { return this.identity.id; }
  get network() { return Network.Main; }
  genesisPublicKeys() { return [this.publicKey(0)]; }
  genesisKeyIndex() { return 0; }
  keyIndexes() { return [0, ...this.added]; }
  privateKey(index = 0) { return privateKeyFromSeed(this.seed, index); }
  publicKey(index = 0) { return publicKey(this.privateKey(index)); }
  authKeyScalar(index = 0) { return keyScalar(this.privateKey(index)); }
  keyAt(state?: bigint) {
    for (const index of this.keyIndexes()) {
      const found = this.identity.authKeyAt(this.publicKey(index), state === undefined ? {} : { state });
      if (found) return { index, ...found };
    }
    return undefined;
  }
  /** The seed index of the current key in a slot other than `excludeSlot`: it signs key operations. */
  private signer(excludeSlot?: number): Uint8Array {
    for (const k of this.identity.keys) {
      if (k.slot === excludeSlot) continue;
      const index = this.keyIndexes().find((i) => this.publicKey(i).x === k.key.x);
      if (index !== undefined) return this.privateKey(index);
    }
    throw new Error('no key of this page signs for the identity');
  }
  addKey(index: number) {
    const t = this.identity.addKey(this.signer(), this.publicKey(index));
    this.added.push(index);
    return t;
  }
  removeKey(slot: number) { return this.identity.removeKey(this.signer(slot), slot); }
  transitionFrom(fromState: bigint) {
    const k = this.keyAt(fromState);
    if (!k) throw new Error('fromState: no key of this page authenticates at that state');
    return this.identity.transitionFrom(this.privateKey(k.index), fromState);
  }
  /** Replays this page's rotations (next key in, old ones out) until the identity is at `published`. */
  recover(published: bigint | undefined): void {
    for (let n = 0; published !== undefined && this.identity.state !== published; n++) {
      if (n === MAX_ROTATIONS) throw new Error('the state published on chain is not one this page\'s rotations reach (keys changed elsewhere)');
      rotateWalletKeys(this);
    }
  }
  save() {}
  receiveClaim(issued: Pick<IssuedClaim, 'claim' | 'issuerId' | 'issuerState' | 'issuerRoots' | 'proof'>): Held {
    if (issued.claim.subject !== this.id.bigint) throw new Error("claim: its subject is not this holder's identity");
    if (!verifyIssuedClaim(issued)) throw new Error("claim: the inclusion proof does not verify against the issuer's state");
    const h = { claim: issued.claim, issuerId: issued.issuerId, receivedAt: Date.now() };
    this.held.push(h);
    return h;
  }
  claims(filter: { schemaHash?: bigint; issuerId?: string } = {}): Held[] {
    return this.held.filter((c) => (filter.schemaHash === undefined || c.claim.schemaHash === filter.schemaHash) && (filter.issuerId === undefined || c.issuerId === filter.issuerId));
  }
}

/** A key of the page's holder identity as the keys screen shows it. */
export interface PageHolderKey { index: number; slot: number; x: string }

export interface PageHolder {
  agent: ZkHolderAgent;
  id: string;
  did: string;
  encryptionDid: string;
  claims(): Held[];
  /** The identity's current keys (seed index and slot) and its state; `published` false while a change is not on chain. */
  keys(): { keys: PageHolderKey[]; state: string; genesis: boolean };
  /**
   * Key rotation in this page: the next key of the seed in, the current one out, the transition signed by the
   * outgoing key and proven here, published through the node; the time the proof took.
   */
  rotate(): Promise<{ added: number; newState: string; ms: number }>;
  /**
   * Answers the request JSON (or alternatives) with proofs made in this page (holder-auth with the key of the
   * identity's state on chain, the credential query); the time it took and the seed index of the key that proved.
   */
  prove(request: unknown): Promise<{ response: CredentialQueryResponseJson; ms: number; keyIndex: number }>;
}

const holders = new Map<string, Promise<PageHolder>>();

export function pageHolder(s: Session): Promise<PageHolder> {
  let p = holders.get(s.signer.address);
  if (!p) {
    p = (async () => {
      const signature = await s.signer.signMessage({ message: ZK_KEY_MESSAGE });
      const wallet = new PageHolderWallet(sha256(new TextEncoder().encode(signature)));
      const agent = new ZkHolderAgent(client, wallet as unknown as Wallet, s.encryption, { credentialQuery, holderAuth, stateTransition });
      wallet.recover(await agent.publishedState());
      return {
        agent, id: wallet.id.string, did: wallet.id.did, encryptionDid: s.encryption.did,
        claims: () => wallet.claims(),
        keys: () => ({
          keys: wallet.identity.keys.map((k) => ({ index: wallet.keyIndexes().find((i) => wallet.publicKey(i).x === k.key.x)!, slot: k.slot, x: k.key.x.toString() })),
          state: wallet.identity.state.toString(), genesis: wallet.identity.state === wallet.identity.genesisState,
        }),
        async rotate() {
          const t0 = performance.now();
          const r = await agent.rotateKey();
          return { added: r.added, newState: r.publication.newState, ms: performance.now() - t0 };
        },
        async prove(request: unknown) {
          // Another page (or device) of the same key may have rotated since this one loaded: catch up first, so the
          // proof is made with the key of the state on chain (the one the GIST holds).
          wallet.recover(await agent.publishedState());
          const key = wallet.keyAt();
          if (!key) throw new Error('no key of this page is a key of the identity\'s state on chain');
          const t0 = performance.now();
          const response = await agent.respond(request);
          return { response, ms: performance.now() - t0, keyIndex: key.index };
        },
      };
    })();
    p.catch(() => holders.delete(s.signer.address));
    holders.set(s.signer.address, p);
  }
  return p;
}
