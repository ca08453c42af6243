// The issuer's and the holder's sides of src/zk's roles when they only meet over a node's JSON-RPC (src/zk/README.md,
// "Parties over the network"). Each runs in its own process with its own keys: the issuer's Baby Jubjub key and a
// mirror of its trees, the holder's sealed wallet and ML-KEM key. Imports the prover (heavier than the rest of the
// SDK): import this module directly, it is not re-exported by ./index.ts.
import { randomBytes } from '@noble/hashes/utils.js';
import type { Address } from 'viem';
import { bytesToBigintLE } from '../crypto/bytes.js';
import type { PrivateKey } from '../crypto/eddsa.js';
import { Claim, type ClaimInput } from '../claims/index.js';
import { parseId, REVOCATION_NONCE_SPACE, verifyIssuedClaim, type Identity, type StateTransition } from '../identity/index.js';
import type { Wallet } from '../wallet/index.js';
import { proveStateTransition } from '../zk/prover.js';
import { ZkHolder } from '../zk/holder.js';
import type { CredentialSource } from '../zk/issuer.js';
import type { CredentialWitness } from '../zk/inputs.js';
import { claimFromPayload, claimPayload, proofFromJson, revocationsTree, rootsFromJson, signHolderAuth, type ClaimPayload, type ProofJson } from '../zk/parties.js';
import type { CredentialQueryResponseJson } from '../zk/request.js';
import { ZkError, type ProverArtifacts } from '../zk/types.js';
import type { Result } from '../protocol/api.js';
import { MasqueRpcError, type MasqueClient, type RequestSigner } from './client.js';
import { openSealed, sealForClaim, type EncryptionKey } from './crypto.js';
import { fromBase64, toBase64 } from './base64.js';

const pointJson = (p: { x: bigint; y: bigint }) => ({ x: p.x.toString(), y: p.y.toString() });

/** A claim the issuer composes for a holder: the schema's data, the holder it names, how long it holds. */
export interface ZkClaimInput extends Omit<ClaimInput, 'revocationNonce' | 'subject'> {}

/**
 * The issuer's process: its Baby Jubjub key, a mirror of its own trees (an `Identity` in its own store) and the EVM
 * key that signs its requests to the node. The node hosts the same trees for holders; the issuer signs a state
 * transition only when the node's trees hash to exactly the state its mirror computed.
 */
export class ZkIssuerAgent {
  constructor(
    private readonly client: MasqueClient,
    readonly identity: Identity,
    private readonly key: PrivateKey,
    private readonly account: RequestSigner,
    private readonly stateTransitionArtifacts: ProverArtifacts,
  ) {}

  /** Hosts this issuer at the node, linked to `issuer` (a ClaimIssuer the account signs for). */
  async register(issuer: Address): Promise<Result<'zk_registerIssuer'>> {
    const keys = this.identity.transitions().length === 0 ? this.identity.keys.map((k) => pointJson(k.key)) : undefined;
    if (!keys) throw new ZkError('BAD_INPUT', 'identity: register before the first change (the node builds the genesis state from the keys)');
    const r = await this.client.write('zk_registerIssuer', { issuer, keys, network: this.identity.id.network === 1 ? 'main' : 'test' }, this.account);
    if (r.id !== this.identity.id.string) throw new ZkError('BAD_INPUT', `the node derived ID ${r.id}, not ${this.identity.id.string}`);
    return r;
  }

  /**
   * Issues claims for an approved KYC application: composed here, sent to the node as (Hi, Hv, nonce) with the
   * claim sealed to the holder's ML-KEM key, then mirrored locally. Holders can prove them after `publish`.
   */
  async issueForApplication(
    applicationId: string,
    holder: { id: string; encryptionKey: string },
    inputs: readonly ZkClaimInput[],
  ): Promise<{ claims: Claim[]; result: Result<'zk_issueClaims'> }> {
    const app = await this.client.write('id_getKycApplication', { applicationId }, this.account);
    const chainId = await this.client.chainId();
    const subject = parseId(holder.id);
    const claims = inputs.map((input) => Claim.create({ ...input, subject: subject.bigint, revocationNonce: this.freshNonce() }));
    const sealed = await Promise.all(claims.map(async (claim) => {
      const payload = new TextEncoder().encode(JSON.stringify(claimPayload(this.identity.id.string, claim)));
      const s = await sealForClaim(payload, { chainId, identity: app.identity as Address, topic: app.topic }, [holder.encryptionKey]);
      return { ciphertext: toBase64(s.bytes), envelope: s.envelopes[0]!.envelope };
    }));
    const result = await this.client.write('zk_issueClaims', {
      issuer: this.identity.id.string, applicationId,
      claims: claims.map((c, i) => ({
        indexHash: c.indexHash.toString(), valueHash: c.valueHash.toString(), revocationNonce: c.revocationNonce.toString(),
        holder: subject.string, delivery: sealed[i]!,
      })),
    }, this.account);
    for (const [i, input] of inputs.entries()) this.identity.issueClaim(this.key, { ...input, subject: subject.bigint, revocationNonce: claims[i]!.revocationNonce });
    return { claims, result };
  }

  /** Revokes at the node (by nonce or every claim of an application), then in the mirror. */
  async revoke(which: { nonces: readonly bigint[] } | { applicationId: string }): Promise<Result<'zk_revokeClaims'>> {
    const r = await this.client.write('zk_revokeClaims', {
      issuer: this.identity.id.string, ...('nonces' in which ? { nonces: which.nonces.map(String) } : { applicationId: which.applicationId }),
    }, this.account);
    for (const n of r.revoked) this.identity.revokeClaim(this.key, BigInt(n));
    return r;
  }

  /**
   * Publishes every change since the published state with one proof made here; undefined when nothing is pending.
   * Refuses when the node's trees are not at the mirror's state (the node would serve proofs of another state).
   */
  async publish(): Promise<Result<'zk_publishState'> | undefined> {
    const info = await this.client.call('zk_getIssuer', { issuer: this.identity.id.string });
    if (BigInt(info.current.state) !== this.identity.state) {
      throw new ZkError('UNSATISFIED', `the node's trees are at state ${info.current.state}, this issuer's at ${this.identity.state}: not signed`);
    }
    if (!info.pending) return undefined;
    if (!info.published) throw new ZkError('UNSATISFIED', "the issuer's published state is unknown to the node");
    const transition = this.identity.transitionFrom(this.key, BigInt(info.published.state));
    return publishTransition(this.client, transition, this.stateTransitionArtifacts);
  }

  /** 64 random bits reduced below 5^14 (as `Identity`'s own nonces); the node and the mirror refuse a reused one. */
  private freshNonce(): bigint {
    return bytesToBigintLE(randomBytes(8)) % REVOCATION_NONCE_SPACE;
  }
}

/** How many times a transition is proven again when another one moved the GIST first. */
const STALE_GIST_RETRIES = 3;

/**
 * Proves a signed transition with the GIST update it makes at the current root (the node's mirror) and publishes it
 * through the node. When another transition landed between the two (`StaleGistRoot`), proves it again on the new
 * root: the signature covers only the states, so it stays valid.
 */
async function publishTransition(client: MasqueClient, transition: StateTransition, artifacts: ProverArtifacts): Promise<Result<'zk_publishState'>> {
  for (let attempt = 1; ; attempt++) {
    const gist = await client.zk.gistUpdate(transition.id, transition.newState);
    try {
      return await client.zk.publishState(await proveStateTransition(transition, gist, artifacts));
    } catch (e) {
      const stale = e instanceof MasqueRpcError && (e.data as { error?: string } | undefined)?.error === 'StaleGistRoot';
      if (!stale || attempt === STALE_GIST_RETRIES) throw e;
    }
  }
}

/** What a rotation needs of a wallet: its identity and the seed indexes of its keys, adding and removing keys. */
export interface RotatingWallet {
  readonly identity: Identity;
  keyIndexes(): number[];
  addKey(index: number): unknown;
  removeKey(slot: number): unknown;
}

/**
 * One key rotation of the wallet's identity, not yet published: the seed's next key in, every current key out. What
 * `ZkHolderAgent.rotateKey` publishes, and what a wallet that keeps no key record (the dashboard's page) replays to
 * reach the state on chain.
 */
export function rotateWalletKeys(wallet: RotatingWallet): { added: number; removedSlots: number[] } {
  const added = Math.max(...wallet.keyIndexes()) + 1;
  const removedSlots = wallet.identity.keys.map((k) => k.slot);
  wallet.addKey(added);
  for (const slot of removedSlots) wallet.removeKey(slot);
  return { added, removedSlots };
}

/** A delivered claim as the holder sees it after opening it. */
export interface DeliveredClaim {
  readonly issuer: string;
  readonly claim: Claim;
  readonly published: boolean;
  readonly witness?: Omit<CredentialWitness, 'revocationProof'>;
}

/**
 * The holder's process: its sealed wallet (Baby Jubjub keys, identity, claims) and its ML-KEM key. Fetches its claims
 * with a signature by a key of its latest published state, proves locally, rotates its keys with a state transition.
 */
export class ZkHolderAgent {
  constructor(
    private readonly client: MasqueClient,
    readonly wallet: Wallet,
    private readonly encryption: EncryptionKey,
    private readonly artifacts: { credentialQuery: ProverArtifacts; holderAuth: ProverArtifacts; stateTransition: ProverArtifacts },
  ) {}

  /** The wallet's latest state on chain, or undefined when it never published. */
  async publishedState(): Promise<bigint | undefined> {
    const s = await this.client.zk.identityState(this.wallet.id.string);
    return s.latestState === null ? undefined : BigInt(s.latestState);
  }

  /** The wallet's state on chain (its genesis state if it never published); refused when this wallet never reached it. */
  private async chainState(): Promise<bigint> {
    const state = (await this.publishedState()) ?? this.wallet.identity.genesisState;
    if (!this.knowsState(state)) {
      throw new ZkError('UNSATISFIED', 'the identity\'s published state is one this wallet never reached (keys rotated by another copy of the wallet): none of its keys authenticates there');
    }
    return state;
  }

  /** Fetches and opens every claim delivered to this holder, with membership proofs at each issuer's published state. */
  async fetch(): Promise<DeliveredClaim[]> {
    const state = await this.chainState();
    const key = this.wallet.keyAt(state);
    if (!key) throw new ZkError('UNSATISFIED', 'no key of this wallet authenticates at its published state');
    const chainId = await this.client.chainId();
    const auth = signHolderAuth({
      id: this.wallet.id, roots: this.wallet.identity.rootsAt(state), keySlot: key.slot, key: this.wallet.publicKey(key.index), authProof: key.proof,
    }, this.wallet.privateKey(key.index), chainId, Math.floor(Date.now() / 1000));
    const { claims } = await this.client.call('zk_getHolderClaims', { auth } as never);
    return Promise.all(claims.map(async (c) => {
      const d = c.delivery;
      const plain = await openSealed(fromBase64(d.ciphertext), d.envelope, this.encryption, { chainId: d.chainId, identity: d.identity as Address, topic: d.topic });
      const claim = claimFromPayload(JSON.parse(new TextDecoder().decode(plain)) as ClaimPayload, { issuer: c.issuer, indexHash: BigInt(c.indexHash), valueHash: BigInt(c.valueHash) });
      if (!c.published) return { issuer: c.issuer, claim, published: false };
      const witness = {
        claim, issuerId: c.issuer, issuerState: BigInt(c.issuerState!), issuerRoots: rootsFromJson(c.issuerRoots!), claimProof: proofFromJson(c.proof as ProofJson),
      };
      if (!verifyIssuedClaim({ claim, issuerState: witness.issuerState, issuerRoots: witness.issuerRoots, proof: witness.claimProof })) {
        throw new ZkError('BAD_INPUT', `the node's membership proof of a claim of ${c.issuer} does not verify`);
      }
      return { issuer: c.issuer, claim, published: true, witness };
    }));
  }

  /** Fetches and keeps the published claims not yet in the wallet; returns how many are new. */
  async receive(): Promise<{ received: number; held: number; pending: number }> {
    const delivered = await this.fetch();
    let received = 0;
    for (const d of delivered) {
      if (!d.witness) continue;
      const already = this.wallet.claims({ issuerId: d.issuer }).some((h) => h.claim.indexHash === d.claim.indexHash);
      if (already) continue;
      this.wallet.receiveClaim({ claim: d.claim, issuerId: d.issuer, issuerState: d.witness.issuerState, issuerRoots: d.witness.issuerRoots, proof: d.witness.claimProof });
      received++;
    }
    return { received, held: this.wallet.claims().length, pending: delivered.filter((d) => !d.published).length };
  }

  /**
   * Fresh witnesses over the network: the claim's membership at its issuer's latest published state and its
   * non-revocation, proven here from the issuer's whole revocations tree (public: `zk_getRevocations`). The membership
   * proof the wallet keeps serves while the issuer's published state is the one it was received at (no authenticated
   * fetch, so the node is not told who is about to prove); otherwise it is fetched again (`fetch`).
   */
  credentialSource(): CredentialSource {
    let delivered: Promise<DeliveredClaim[]> | undefined;
    const revocations = (issuer: string, state?: bigint) => this.client.call('zk_getRevocations', { issuer, ...(state === undefined ? {} : { state: state.toString() }) });
    return {
      credential: async (issuerId, claim) => {
        const issuer = parseId(issuerId).string;
        let r = await revocations(issuer);
        let witness: Omit<CredentialWitness, 'revocationProof'> | undefined = this.keptWitness(issuerId, claim, BigInt(r.state));
        if (!witness) {
          const d = (await (delivered ??= this.fetch())).find((x) => parseId(x.issuer).bigint === issuerId && x.claim.indexHash === claim.indexHash);
          if (!d?.witness) throw new ZkError('UNSATISFIED', 'claim: not delivered at the issuer\'s published state');
          witness = d.witness;
          if (witness.issuerState !== BigInt(r.state)) r = await revocations(issuer, witness.issuerState);
        }
        const tree = revocationsTree(r.nonces.map((n) => BigInt(n)), rootsFromJson(r.roots), witness.issuerState);
        return { ...witness, revocationProof: tree.prove(claim.revocationNonce) };
      },
    };
  }

  /** The membership witness the wallet keeps for `claim`, when it is at the issuer's `latest` published state. */
  private keptWitness(issuerId: bigint, claim: Claim, latest: bigint): Omit<CredentialWitness, 'revocationProof'> | undefined {
    const held = this.wallet.claims().find((h) => h.claim.indexHash === claim.indexHash && parseId(h.issuerId).bigint === issuerId);
    // A wallet that keeps no witness (the dashboard's page wallet keeps the claim only) always fetches.
    if (!held || !('proof' in held) || held.issuerState !== latest) return undefined;
    return { claim: held.claim, issuerId: held.issuerId, issuerState: held.issuerState, issuerRoots: held.issuerRoots, claimProof: held.proof };
  }

  /**
   * Answers a request, or the first of a list of alternatives it can answer (a set larger than the circuit's 16
   * values is asked as several requests); throws ZkError UNSATISFIED with the reasons otherwise. The holder-auth
   * proof is made with the wallet's key of the state the GIST holds for it (after a rotation: the new key) at the
   * current root, or at `at.gistRoot`, an earlier root the registry still accepts (verifiers decide how old a root
   * they take: `maxStateAge`, one hour by default).
   */
  async respond(requests: unknown, at: { gistRoot?: bigint } = {}): Promise<CredentialQueryResponseJson> {
    const list = Array.isArray(requests) ? requests : [requests];
    // The holder-auth proof needs the wallet's GIST proof: the node's mirror, checked against its own root here
    // (MasqueZk.gistProof); the verifier checks that root against the registry.
    const holder = new ZkHolder(this.wallet, this.artifacts, { gistProof: (id) => this.gistProof(id, at.gistRoot) });
    const source = this.credentialSource();
    const reasons: string[] = [];
    for (const request of list) {
      try {
        return await holder.respond(request, () => source);
      } catch (e) {
        if (!(e instanceof ZkError) || e.code !== 'UNSATISFIED') throw e;
        reasons.push(e.message);
      }
    }
    throw new ZkError('UNSATISFIED', [...new Set(reasons)].join('; '));
  }

  /**
   * The wallet's GIST proof, refused (UNSATISFIED) when the GIST holds a state this wallet never reached: its keys
   * were rotated by another copy of the wallet (or a copy taken before a rotation is proving), and none of its keys
   * is in that state's authentication tree.
   */
  private async gistProof(id: bigint, root?: bigint) {
    const gist = await this.client.zk.gistProof(id, { root });
    if (gist.state !== undefined && !this.knowsState(gist.state)) {
      throw new ZkError('UNSATISFIED', `the GIST${root === undefined ? '' : ` at root ${root}`} holds a state of this identity that this wallet never reached (keys rotated by another copy of the wallet): none of its keys is an authentication key there`);
    }
    return gist;
  }

  private knowsState(state: bigint): boolean {
    try {
      this.wallet.identity.rootsAt(state);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Key rotation: adds the wallet's next key, removes the key(s) valid at the published state, and publishes the
   * transition (signed by the outgoing key, proven here). Claims keep naming the same holder ID.
   */
  async rotateKey(): Promise<{ added: number; removedSlots: number[]; publication: Result<'zk_publishState'> }> {
    const from = await this.chainState();
    if (from !== this.wallet.identity.state) throw new ZkError('UNSATISFIED', 'the wallet has unpublished changes: publish them first');
    const { added, removedSlots } = rotateWalletKeys(this.wallet);
    const transition = this.wallet.transitionFrom(from);
    const publication = await publishTransition(this.client, transition, this.artifacts.stateTransition);
    return { added, removedSlots, publication };
  }

  /** The wallet's public face: its ID (claims name it) and the ML-KEM key claims are sealed to. */
  get holder(): { id: string; did: string; encryptionKey: string } {
    return { id: this.wallet.id.string, did: this.wallet.id.did, encryptionKey: this.encryption.did };
  }
}
