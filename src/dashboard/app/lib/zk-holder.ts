// The investor's zero-knowledge holder in this page: a Baby Jubjub key derived from the unlocked key (a signature
// over a fixed message, deterministic: the same key gives the same holder ID in any browser, nothing to store), its
// genesis identity, and the SDK's ZkHolderAgent for fetching the claims sealed to it and proving. Loaded on demand
// with the prover (snarkjs, the Groth16 WebAssembly workers); the circuit's artifacts come from the node's /zk/.
import { sha256 } from '@noble/hashes/sha2.js';
import { keyScalar, privateKeyFromSeed, publicKey } from '../../../crypto/eddsa.js';
import { Identity, MemoryIdentityStore, Network, verifyIssuedClaim, type IssuedClaim } from '../../../identity/index.js';
import type { Claim } from '../../../claims/index.js';
import { ZkHolderAgent } from '../../../sdk/zk-parties.js';
import type { Wallet } from '../../../wallet/index.js';
import type { CredentialQueryResponseJson } from '../../../zk/request.js';
import type { Session } from '../keys/session.js';
import { client } from './rpc.js';

export const ZK_KEY_MESSAGE = 'Masque: derive my zero-knowledge holder key (v1). Signing this costs nothing and sends nothing.';
const credentialQuery = { wasm: `${location.origin}/zk/credentialQuery.wasm`, zkey: `${location.origin}/zk/credentialQuery.zkey` };

interface Held { claim: Claim; issuerId: string; receivedAt: number }

/**
 * What ZkHolderAgent and ZkHolder need of a wallet, in memory: one genesis key, claims held for this page's life
 * (fetched again from the node, sealed to the holder, whenever the page needs them). No key rotation here: the
 * page's holder stays at its genesis state, which is what it authenticates and proves with.
 */
class PageHolderWallet {
  readonly identity: Identity;
  private readonly held: Held[] = [];
  constructor(private readonly key: Uint8Array) {
    this.identity = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(key)], network: Network.Main });
  }
  get id() { return this.identity.id; }
  get network() { return Network.Main; }
  genesisPublicKeys() { return [publicKey(this.key)]; }
  genesisKeyIndex() { return 0; }
  keyIndexes() { return [0]; }
  privateKey() { return this.key; }
  publicKey() { return publicKey(this.key); }
  authKeyScalar() { return keyScalar(this.key); }
  keyAt(state?: bigint) {
    const found = this.identity.authKeyAt(publicKey(this.key), state === undefined ? {} : { state });
    return found && { index: 0, ...found };
  }
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

export interface PageHolder {
  agent: ZkHolderAgent;
  id: string;
  did: string;
  encryptionDid: string;
  claims(): Held[];
  /** Answers the request JSON (or alternatives) with a proof made in this page; the time it took. */
  prove(request: unknown): Promise<{ response: CredentialQueryResponseJson; ms: number }>;
}

const holders = new Map<string, Promise<PageHolder>>();

export function pageHolder(s: Session): Promise<PageHolder> {
  let p = holders.get(s.signer.address);
  if (!p) {
    p = (async () => {
      const signature = await s.signer.signMessage({ message: ZK_KEY_MESSAGE });
      const wallet = new PageHolderWallet(privateKeyFromSeed(sha256(new TextEncoder().encode(signature)), 0));
      // Key rotation (the state-transition prover) is not offered in the page: its artifacts are not served.
      const agent = new ZkHolderAgent(client, wallet as unknown as Wallet, s.encryption, { credentialQuery, stateTransition: credentialQuery });
      return {
        agent, id: wallet.id.string, did: wallet.id.did, encryptionDid: s.encryption.did,
        claims: () => wallet.claims(),
        async prove(request: unknown) {
          const t0 = performance.now();
          const response = await agent.respond(request);
          return { response, ms: performance.now() - t0 };
        },
      };
    })();
    p.catch(() => holders.delete(s.signer.address));
    holders.set(s.signer.address, p);
  }
  return p;
}
