// The risk service of a node: indexes the chain's events (indexer.ts), keeps each identity's facts (claims, country
// and its attestation, frozen wallets) in the database, rescores from the database (scoring.ts) and writes a score
// on-chain, through the relayer as an agent of the RiskScoreRegistry, only when it crosses a band or a token's limit.
// Runs on every tick (`risk.intervalMs`), on a country table import, on a jurisdiction attestation and on request.
// Everything runs one step at a time (a queue per service), so a tick and an import never interleave their writes.
import { getAddress, type Address, type Hex } from 'viem';
import {
  CountryRiskTable, FATF_2026_02, JURISDICTION_TOPIC, mustWrite, opensCommitment, riskModel, writeThresholds,
  type CountryRiskTableData, type ModelOverrides, type RiskModel, type RiskScore,
} from '../../risk/index.js';
import { claimTopicsRegistryAbi } from '../../chain/artifacts/ClaimTopicsRegistry.js';
import { identityRegistryAbi } from '../../chain/artifacts/IdentityRegistry.js';
import { maxRiskScoreModuleAbi } from '../../chain/artifacts/MaxRiskScoreModule.js';
import { modularComplianceAbi } from '../../chain/artifacts/ModularCompliance.js';
import { permissionedTokenAbi } from '../../chain/artifacts/PermissionedToken.js';
import { riskScoreRegistryAbi } from '../../chain/artifacts/RiskScoreRegistry.js';
import { claimId } from '../../chain/identity.js';
import { verifyTopic } from '../chain/reads.js';
import type { NodeContext } from '../context.js';
import { invalidParams, RpcCode, RpcError } from '../rpc/errors.js';
import { classifyLogs, decodeTransfer, INDEXED_TOPICS, TransferFolder, type RawLog } from './indexer.js';
import type { CustomerFacts } from '../db/risk.js';
import { rescore, type Scored, type StoredFacts } from './scoring.js';

export interface BandChange { identity: string; from: string | null; to: string; score: number; onchain: boolean }

export interface RecomputeSummary {
  indexedTo: number | null;
  events: number;
  rescored: number;
  written: { identity: string; score: number; txHash: Hex }[];
  bandChanges: BandChange[];
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** What one index pass moved the cursor past: events folded, identities with new activity or changed facts. */
interface Indexed { indexedTo: number | null; events: number; activity: Set<string>; factsChanged: Set<string>; refreshAll: boolean }

export class RiskService {
  readonly model: RiskModel;
  /** Called after each band change is recorded (and written, when it had to be): the compliance service's alerts. */
  readonly bandListeners: ((c: BandChange) => void | Promise<void>)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private lastFullRefresh = 0;
  private stopped = false;
  private decimals: number | undefined;

  constructor(private readonly ctx: NodeContext) {
    this.model = riskModel(ctx.config.risk.model as ModelOverrides);
  }

  /** Runs `fn` after everything queued before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  start(): void {
    const every = this.ctx.config.risk.intervalMs;
    if (!every) return;
    const loop = async () => {
      if (this.stopped) return;
      try {
        await this.tick();
      } catch (e) {
        this.ctx.log(`risk tick failed: ${(e as Error).message}`);
      }
      if (!this.stopped) this.timer = setTimeout(loop, every);
    };
    this.timer = setTimeout(loop, every);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.queue;
  }

  // ------------------------------------------------------------------ country table

  async countryTable(): Promise<{ table: CountryRiskTable; seed: boolean; importedAt: number | null; importedBy: string | null }> {
    const t = await this.ctx.repos.risk.activeTable();
    if (!t) return { table: new CountryRiskTable(FATF_2026_02), seed: true, importedAt: null, importedBy: null };
    return { table: new CountryRiskTable(t.data as CountryRiskTableData), seed: false, importedAt: t.importedAt, importedBy: t.importedBy };
  }

  /** Makes `data` the active table and rescores the identities of every country whose score it changes. */
  importTable(data: CountryRiskTableData, by: string): Promise<RecomputeSummary & { table: string; countries: number[] }> {
    return this.serial(async () => {
      const next = new CountryRiskTable(data);
      const { table: prev } = await this.countryTable();
      await this.ctx.repos.risk.importTable(next.id, next.toJSON(), by);
      const diff = CountryRiskTable.changedCountries(prev, next);
      const changed = new Set(diff.countries);
      const rows = await this.ctx.repos.risk.identities();
      const affected = diff.defaultChanged ? rows.map((r) => r.identity)
        : rows.filter((r) => changed.has((JSON.parse(r.facts) as StoredFacts).country ?? 0)).map((r) => r.identity);
      const summary = await this.rescoreAndWrite(affected, next);
      return { ...summary, table: next.id, countries: diff.countries };
    });
  }

  // ------------------------------------------------------------------ the loop

  /** Indexes new events, refreshes the facts of the identities they touch (all of them every `fullRefreshMs`), rescores those and writes band changes. */
  tick(): Promise<RecomputeSummary> {
    return this.serial(async () => this.settle(await this.index(), [], { full: Date.now() - this.lastFullRefresh >= this.ctx.config.risk.fullRefreshMs }));
  }

  /** On request: index, then re-read the facts of `identity` (every registered identity when omitted) and rescore. */
  recompute(identity?: string): Promise<RecomputeSummary> {
    return this.serial(async () => this.settle(await this.index(), identity ? [identity.toLowerCase()] : [], { full: !identity, all: !identity }));
  }

  /**
   * What follows every index: the cursor has moved past its events, so whoever indexed settles them. Re-reads the
   * facts of the identities they touched and of `also` (every registered identity when `full` or an issuer-wide event
   * asks), then rescores those and the identities with new activity (`all`: every known identity).
   */
  private async settle(idx: Indexed, also: readonly string[], opts: { full: boolean; all?: boolean }): Promise<RecomputeSummary> {
    const full = opts.full || idx.refreshAll;
    const refresh = full ? await this.ctx.repos.risk.registeredIdentities() : [...new Set([...idx.factsChanged, ...also])];
    await this.refreshFacts(refresh);
    if (full) this.lastFullRefresh = Date.now();
    const summary = await this.rescoreAndWrite(opts.all ? undefined : [...new Set([...refresh, ...also, ...idx.activity])]);
    return { ...summary, indexedTo: idx.indexedTo, events: idx.events };
  }

  /**
   * The compliance service's facts about a holder changed (a hit opened a case, an analyst decided one, a case's
   * actions ran): records them and rescores the identity at once, with its claims and freezes re-read, so a score that
   * crosses a token's limit is on-chain before this returns. The entity type is the KYC provider's, kept as it is.
   */
  customerChanged(identity: string, f: Omit<CustomerFacts, 'entityType'>): Promise<RecomputeSummary> {
    return this.serial(async () => {
      const prev = await this.ctx.repos.risk.customer(identity);
      await this.ctx.repos.risk.setCustomer(identity, { ...f, entityType: prev?.entityType ?? null });
      return this.settle(await this.index(), [identity.toLowerCase()], { full: false });
    });
  }

  // ------------------------------------------------------------------ indexing

  private async index(): Promise<Indexed> {
    const { clients, deployment, repos, config } = this.ctx;
    const r = clients.publicClient;
    // cacheTime 0: viem answers a block number up to pollingInterval old, so a tick right after a transfer's receipt
    // would stop one block short of it.
    const head = Number(await r.getBlockNumber({ cacheTime: 0 }));
    const activity = new Set<string>();
    const factsChanged = new Set<string>();
    let refreshAll = false;
    let events = 0;
    let cursor = await repos.risk.cursor('chain');
    this.decimals ??= Number(await r.readContract({ address: deployment.token, abi: permissionedTokenAbi, functionName: 'decimals' }));
    while ((cursor ?? -1) < head) {
      const from = (cursor ?? -1) + 1;
      const to = Math.min(head, from + config.risk.logChunk - 1);
      const logs = (await r.request({ method: 'eth_getLogs', params: [{ fromBlock: hex(from), toBlock: hex(to), topics: [INDEXED_TOPICS] }] } as never)) as RawLog[];
      const c = classifyLogs(logs, { token: deployment.token, storage: deployment.identityRegistryStorage, trustedIssuers: deployment.trustedIssuersRegistry });
      refreshAll ||= c.refreshAll;
      // Registry changes first: a wallet is registered before it can receive a transfer.
      for (const ch of c.registry) {
        if (ch.kind === 'stored') {
          const country = Number(await r.readContract({ address: deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'investorCountry', args: [getAddress(ch.wallet!)] }));
          await repos.risk.putWallet(ch.wallet!, ch.identity!, country, ch.block);
          factsChanged.add(ch.identity!);
        } else if (ch.kind === 'unstored') {
          await repos.risk.removeWallet(ch.wallet!);
          factsChanged.add(ch.identity!);
        } else if (ch.kind === 'country') {
          await repos.risk.setWalletCountry(ch.wallet!, ch.country!, ch.block);
          const w = await repos.risk.wallet(ch.wallet!);
          if (w) factsChanged.add(w.identity);
        } else {
          for (const w of await repos.risk.walletsOf(ch.oldIdentity!)) await repos.risk.putWallet(w.wallet, ch.identity!, w.country, ch.block);
          factsChanged.add(ch.identity!);
        }
      }
      for (const id of c.claimsChanged) if ((await repos.risk.walletsOf(id)).length) factsChanged.add(id);
      for (const w of c.frozenWallets) {
        const row = await repos.risk.wallet(w);
        if (row) factsChanged.add(row.identity);
      }
      // Transfers: who each wallet is, its score and whether it is frozen, then the fold.
      const decoded = c.transfers.map((l) => ({ log: l, t: decodeTransfer(l) })).filter((x) => x.t !== null);
      const blocks = [...new Set(decoded.map((x) => BigInt(x.log.blockNumber)))];
      const times = new Map<bigint, number>();
      for (const b of blocks) times.set(b, Number((await r.getBlock({ blockNumber: b })).timestamp));
      const wallets = [...new Set(decoded.flatMap((x) => [x.t!.from.toLowerCase(), x.t!.to.toLowerCase()]))];
      const parties = await this.parties(wallets);
      const folder = new TransferFolder(this.model.activity, this.decimals, (w) => parties.get(w) ?? null);
      for (const { log, t } of decoded) folder.add({ ...t!, timestamp: times.get(BigInt(log.blockNumber))! });
      await repos.transaction(async (tx) => {
        // The cursor moves with the sums, or neither does: another replica that got there first counted this range.
        if (!(await tx.risk.advanceCursor('chain', cursor, to))) throw new RpcError(RpcCode.CONFLICT, 'the risk indexer cursor moved under this replica');
        await tx.risk.addActivity(folder.buckets.values());
      });
      for (const id of folder.touched) activity.add(id);
      events += folder.events;
      cursor = to;
    }
    return { indexedTo: cursor ?? null, events, activity, factsChanged, refreshAll };
  }

  private async parties(wallets: readonly string[]) {
    const { repos, clients, deployment } = this.ctx;
    const out = new Map<string, { identity: string; score: number | null; frozen: boolean }>();
    const known = await repos.risk.walletsIn(wallets);
    const scores = await repos.risk.scoresOf([...new Set([...known.values()].map((row) => row.identity))]);
    for (const [w, row] of known) {
      const frozen = await clients.publicClient.readContract({ address: deployment.token, abi: permissionedTokenAbi, functionName: 'isFrozen', args: [getAddress(w)] });
      out.set(w, { identity: row.identity, score: scores.get(row.identity) ?? null, frozen });
    }
    return out;
  }

  // ------------------------------------------------------------------ facts from the chain

  /** Re-reads the facts of `identities` at the head: required claims, KYC age, country and its attestation, frozen wallets. */
  private async refreshFacts(identities: readonly string[]): Promise<void> {
    if (!identities.length) return;
    const { clients, deployment, repos } = this.ctx;
    const r = clients.publicClient;
    const block = await r.getBlock({ blockTag: 'latest' });
    const at = { at: block.number, chainTime: Number(block.timestamp) };
    const required = (await r.readContract({ address: deployment.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'getClaimTopics', blockNumber: block.number })).map(Number);
    for (const id of identities) {
      const identity = getAddress(id);
      const wallets = await repos.risk.walletsOf(id);
      if (!wallets.length) continue; // not registered (any more): nothing a token checks
      const compliance = { missing: [] as number[], expired: [] as number[], revoked: [] as number[], frozen: false };
      let kycIssuedAt: number | null = null;
      for (const topic of new Set([...required, 1])) {
        const v = await verifyTopic(r, deployment.trustedIssuersRegistry, identity, topic, at);
        if (topic === 1 && v.state === 'valid') kycIssuedAt = v.claim!.issuedAt;
        if (!required.includes(topic)) continue;
        if (v.state === 'expired') compliance.expired.push(topic);
        else if (v.state === 'revoked') compliance.revoked.push(topic);
        else if (v.state !== 'valid' && v.state !== 'issued') compliance.missing.push(topic);
      }
      for (const w of wallets) {
        if (await r.readContract({ address: deployment.token, abi: permissionedTokenAbi, functionName: 'isFrozen', args: [getAddress(w.wallet)] })) compliance.frozen = true;
      }
      const country = wallets[0].country || null;
      const countryAttested = await this.followJurisdiction(identity, wallets, at);
      await repos.risk.putFacts(id, { country: countryAttested === 'cleared' ? null : country, countryAttested: countryAttested === true, kycIssuedAt, compliance } satisfies StoredFacts, Date.now());
    }
  }

  /**
   * Whether the registered country is the one a valid JURISDICTION claim attests (with the opening recorded here).
   * When the attesting claim is revoked, expired, or renewed over another country, the registry follows: the country
   * goes back to 0 (unknown, refused by country modules) until an opening of the current claim is attested.
   */
  private async followJurisdiction(identity: Address, wallets: { wallet: string; country: number }[], at: { at: bigint; chainTime: number }): Promise<boolean | 'cleared'> {
    const { repos, clients, deployment } = this.ctx;
    const j = await repos.risk.jurisdiction(identity);
    if (!j) return false;
    const v = await verifyTopic(clients.publicClient, deployment.trustedIssuersRegistry, identity, JURISDICTION_TOPIC, { ...at, issuer: j.issuer as Address });
    const holds = v.state === 'valid' && opensCommitment(v.claim!.documentHash, j.country, j.salt as Hex);
    if (holds) return wallets.every((w) => w.country === j.country);
    let cleared = false;
    for (const w of wallets) {
      if (w.country === 0) continue;
      await this.ctx.relayer.write({ address: deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'updateCountry', args: [getAddress(w.wallet), 0] });
      await repos.risk.setWalletCountry(w.wallet, 0, Number(at.at));
      cleared = true;
    }
    this.ctx.log(`risk: jurisdiction claim of an identity no longer attests its country (${v.state}); registry country cleared`);
    return cleared ? 'cleared' : false;
  }

  /**
   * Records an opening (country, salt) of the identity's valid JURISDICTION claim from a trusted issuer and makes the
   * registry follow: every wallet of the identity gets that country. Refused when it opens no valid claim.
   */
  attestJurisdiction(identity: Address, country: number, salt: Hex): Promise<{ issuer: string; claimId: Hex; updated: { wallet: string; txHash: Hex }[]; score: number | null }> {
    return this.serial(async () => {
      const { clients, deployment, repos } = this.ctx;
      const r = clients.publicClient;
      const block = await r.getBlock({ blockTag: 'latest' });
      const v = await verifyTopic(r, deployment.trustedIssuersRegistry, identity, JURISDICTION_TOPIC, { at: block.number, chainTime: Number(block.timestamp) });
      if (v.state !== 'valid') throw invalidParams('identity', `no valid JURISDICTION claim (topic ${JURISDICTION_TOPIC}) of a trusted issuer (${v.state})`);
      if (!opensCommitment(v.claim!.documentHash, country, salt)) throw invalidParams('salt', 'country and salt do not open the JURISDICTION claim');
      await repos.risk.putJurisdiction({ identity, country, salt, issuer: v.claim!.issuer, claimId: claimId(v.claim!.issuer, BigInt(JURISDICTION_TOPIC)) });
      const idx = await this.index();
      const updated: { wallet: string; txHash: Hex }[] = [];
      for (const w of await repos.risk.walletsOf(identity)) {
        if (w.country === country) continue;
        const tx = await this.ctx.relayer.write({ address: deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'updateCountry', args: [getAddress(w.wallet), country] });
        await repos.risk.setWalletCountry(w.wallet, country, Number(block.number));
        updated.push({ wallet: getAddress(w.wallet), txHash: tx.hash });
      }
      const s = await this.settle(idx, [identity.toLowerCase()], { full: false });
      return { issuer: v.claim!.issuer, claimId: claimId(v.claim!.issuer, BigInt(JURISDICTION_TOPIC)), updated, score: s.rescored ? (await repos.risk.identity(identity))?.score ?? null : null };
    });
  }

  // ------------------------------------------------------------------ scores to the chain

  /** The limits of the token's MaxRiskScoreModule instances that read this node's RiskScoreRegistry. */
  async tokenLimits(): Promise<number[]> {
    const { clients, deployment } = this.ctx;
    const r = clients.publicClient;
    const compliance = await r.readContract({ address: deployment.token, abi: permissionedTokenAbi, functionName: 'compliance' });
    const modules = await r.readContract({ address: compliance, abi: modularComplianceAbi, functionName: 'getModules' });
    const limits: number[] = [];
    for (const m of modules) {
      try {
        if ((await r.readContract({ address: m, abi: maxRiskScoreModuleAbi, functionName: 'name' })) !== 'MaxRiskScoreModule') continue;
        const [registry, maxScore] = await r.readContract({ address: m, abi: maxRiskScoreModuleAbi, functionName: 'getRiskLimit', args: [compliance] });
        if (registry.toLowerCase() === deployment.riskScoreRegistry.toLowerCase()) limits.push(Number(maxScore));
      } catch {
        // Not a module that answers these: not a risk limit.
      }
    }
    return limits;
  }

  private async rescoreAndWrite(identities?: readonly string[], table?: CountryRiskTable): Promise<RecomputeSummary> {
    const countries = table ?? (await this.countryTable()).table;
    const now = Math.floor(Date.now() / 1000);
    const scored = await rescore(this.ctx.repos.risk, this.model, countries, now, identities);
    const thresholds = writeThresholds(this.model.bands, await this.tokenLimits());
    const written: RecomputeSummary['written'] = [];
    const bandChanges: BandChange[] = [];
    for (const s of scored) {
      const onchain = mustWrite(s.onchainScore, s.result.score, thresholds);
      if (onchain) {
        // Chain first, then the row that says so: a crash between them rewrites the same number next time.
        const tx = await this.ctx.relayer.write({ address: this.ctx.deployment.riskScoreRegistry, abi: riskScoreRegistryAbi, functionName: 'setRiskScore', args: [getAddress(s.identity), s.result.score] });
        await this.ctx.repos.risk.putOnchain(s.identity, s.result.score, Date.now());
        written.push({ identity: getAddress(s.identity), score: s.result.score, txHash: tx.hash });
      }
      if (s.previousBand !== s.result.band) {
        const c: BandChange = { identity: getAddress(s.identity), from: s.previousBand, to: s.result.band, score: s.result.score, onchain };
        bandChanges.push(c);
        for (const l of this.bandListeners) {
          try {
            await l(c);
          } catch (e) {
            this.ctx.log(`risk: a band change listener failed: ${(e as Error).message}`);
          }
        }
      }
    }
    return { indexedTo: null, events: 0, rescored: scored.length, written, bandChanges };
  }

  /** The stored score and explanation of an identity (undefined: never scored). */
  async explanation(identity: string): Promise<{ score: number; band: string; explanation: RiskScore; onchainScore: number | null } | undefined> {
    const row = await this.ctx.repos.risk.identity(identity);
    if (!row || row.score === null || !row.explanation) return undefined;
    return { score: row.score, band: row.band!, explanation: JSON.parse(row.explanation) as RiskScore, onchainScore: row.onchainScore };
  }
}
