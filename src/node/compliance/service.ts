// The continuous compliance service: keeps every enrolled holder's AML (2), Sanctions Clear (4) and PEP (7) claims
// true. It screens each holder on enrolment, after every list version that could concern it (delta screens), nightly
// (full screens) and before each claim's expiry (renewals); clear holders get their claims issued or renewed by the
// screening issuer with no holder action; a hit opens a case and, at the auto-action threshold or on an analyst's
// confirmation, revokes the affected claims on chain, freezes the holder's wallets on every token served, and alerts.
//
// Durability: every background step is a job of the node's queue (src/node/jobs): list imports, delta and full
// screens, renewals, case actions, webhook deliveries. Case actions are planned (rows) before any transaction and each
// step reads whether it is already in effect, so a kill -9 at any point repeats no action and loses none.
//
// Personal data (profiles, match explanations) is sealed at rest with the operator's data key and never goes into a
// log line, an event, a webhook, an error or a transaction: those carry identities, case ids, list entry ids, scores.
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Address, Hex } from 'viem';
import {
  ListVersion, diffVersions, entriesToRescreen, importList, importerFor, merkleProof, merkleRoot, prepareEntity, prepareQuery, runMessage, scoreEntity,
  type EvidenceRecord, type ListFile, type MerkleProof, type RunHeader, type ScreeningKind,
} from '../../screening/index.js';
import type { RepoSet } from '../db/index.js';
import type { CaseRow, CaseStatus } from '../db/screening.js';
import type { NodeContext } from '../context.js';
import type { BandChange } from '../risk/service.js';
import { ALERT_EVENTS, PEP_SOURCES, topicSources, type ScreeningConfig, type TokenServed, type WebhookConfig } from './config.js';
import type { OperatorKeys } from './keys.js';
import { OperatorChain } from './chain.js';
import { openProfile, profileCommitment, profileQuery, sealProfile, seal, unseal, type Profile } from './profile.js';
import { ListSet, ProfileIndex, evidenceRecord, judge, type HolderScreening } from './screen.js';
import { deliver, signDelivery } from './webhooks.js';

export type Decision = 'confirm' | 'dismiss' | 'escalate' | 'review';

/** A refusal the JSON-RPC layer maps to an error naming `field` (messages never quote personal data). */
export class ScreeningRefusal extends Error {
  override readonly name = 'ScreeningRefusal';
  constructor(readonly kind: 'invalid' | 'not-found' | 'conflict', readonly field: string, message: string) {
    super(message);
  }
}

export interface ScreenOutcome { identity: string; decision: string; bestScore: number; casesOpened: string[]; claimsIssued: number[] }
export interface RunSummary { runId: number | null; kind: ScreeningKind; screened: number; outcomes: ScreenOutcome[] }

const TRANSITIONS: Readonly<Record<Decision, { from: readonly CaseStatus[]; to: CaseStatus }>> = {
  review: { from: ['triggered'], to: 'under_review' },
  escalate: { from: ['triggered', 'under_review'], to: 'escalated' },
  confirm: { from: ['triggered', 'under_review', 'escalated'], to: 'confirmed' },
  dismiss: { from: ['triggered', 'under_review', 'escalated'], to: 'dismissed' },
};

export class ScreeningService {
  readonly chain: OperatorChain;
  private lists: ListSet | undefined;
  private readonly profiles = new ProfileIndex();
  /** Serializes screenings within this process (claims of one holder are never pushed by two screens at once). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: NodeContext,
    readonly config: ScreeningConfig,
    readonly keys: OperatorKeys,
    readonly issuer: Address,
  ) {
    this.chain = new OperatorChain(ctx, keys, issuer);
  }

  get operator(): Address {
    return this.keys.account.address;
  }

  private get repo() {
    return this.ctx.repos.screening;
  }

  /** Registers the service's jobs and schedules; grants itself FREEZER on the node's own token (embedded defaults). */
  async start(): Promise<void> {
    const jobs = this.ctx.jobs;
    for (const t of this.tokens()) {
      if (!(await this.chain.grantFreezerOnOwnToken(t.address)) && !(await this.chain.mayFreeze(t.address))) {
        this.ctx.log(`screening: the operator holds no FREEZER role on token ${t.address}; its freezes will be skipped until the owner grants it`);
      }
    }
    for (const a of this.config.analysts) if (!(await this.repo.isAnalyst(a))) await this.repo.setAnalyst(a, true, this.operator);
    // A holder changing risk band is an alert like the service's own: an event of the stream and a webhook delivery.
    this.ctx.risk?.bandListeners.push((c) => this.bandChanged(c));
    jobs.register<{ source: string }>('screening.import', async (job) => { await this.importFromConfig(job.payload.source); });
    for (const s of this.config.sources) jobs.every(`screening.import`, s.every * 1000, { source: s.source });
    jobs.register<{ source: string; from: string | null; to: string }>('screening.delta', async (job) => { await this.deltaScreen(job.payload.source, job.payload.from, job.payload.to); });
    jobs.register('screening.renewals', async () => { await this.renewDue(); });
    jobs.every('screening.renewals', this.config.tickSeconds * 1000);
    jobs.register('screening.full', async () => { await this.fullScreen(); });
    jobs.every('screening.full', (this.config.fullScreenEvery ?? 86_400) * 1000);
    jobs.register<{ caseId: string; phase: 'act' | 'restore' }>('screening.actions', async (job) => { await this.runActions(job.payload.caseId, job.payload.phase); }, { maxAttempts: 20 });
    jobs.register<{ seq: number; recipient: string }>('screening.webhook', async (job) => { await this.deliverWebhook(job.payload.seq, job.payload.recipient); }, { maxAttempts: 12 });
    this.ctx.log(`screening service: operator ${this.operator}, issuer ${this.issuer}, topics ${this.config.topics.join(',')}, ${this.config.sources.length} list source(s), ${this.tokens().length} token(s)`);
  }

  /** The served tokens, each with its address resolved (absent in the config: the node's own token). */
  private tokens(): (TokenServed & { address: Address })[] {
    return this.config.tokens.map((t) => ({ ...t, address: (t.address ?? this.ctx.deployment.token.toLowerCase()) as Address }));
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // --- lists ---------------------------------------------------------------------------------------------------

  /** The current version of every source (rebuilt when the stored heads moved, e.g. an import on another replica). */
  async currentLists(): Promise<ListSet> {
    const heads = await this.repo.listHeads();
    const key = heads.map((h) => `${h.source}=${h.hash}`).sort().join(',');
    if (this.lists && this.lists.key === key) return this.lists;
    const versions: ListVersion[] = [];
    for (const h of heads) {
      const kept = this.lists?.version(h.source);
      if (kept && kept.hash === h.hash) { versions.push(kept); continue; }
      versions.push(await this.loadVersion(h.source, h.hash));
    }
    this.lists = new ListSet(versions, this.lists);
    return this.lists;
  }

  private async loadVersion(source: string, hash: string): Promise<ListVersion> {
    const content = await this.repo.listVersionContent(source, hash);
    if (!content) throw new Error(`list version ${source} ${hash} is not stored`);
    return ListVersion.fromJSON(JSON.parse(gunzipSync(content).toString('utf8')));
  }

  /**
   * Imports a new version of `source` from files (a parse error names the file and line; nothing is stored). A version
   * equal to the head is no change. The version and its delta-screen job commit together.
   */
  async importList(source: string, files: readonly ListFile[], opts: { publishedAt?: string } = {}): Promise<{
    status: 'stored' | 'unchanged'; source: string; hash: string; entryCount: number; previousHash: string | null;
    diff: { added: number; removed: number; changed: number };
  }> {
    const importer = importerFor(source);
    const version = importList(importer, files, opts.publishedAt ? { publishedAt: opts.publishedAt } : {});
    for (let attempt = 0; ; attempt++) {
      const head = (await this.repo.listHeads()).find((h) => h.source === source)?.hash ?? null;
      const previous = head ? await this.loadVersion(source, head) : undefined;
      const diff = previous ? diffVersions(previous, version) : { added: version.entries, removed: [], changed: [], unchanged: [] };
      const counts = { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length };
      const status = await this.ctx.repos.transaction(async (tx) => {
        const r = await tx.screening.putListVersion({
          hash: version.hash, source, publishedAt: version.publishedAt, importedAt: Date.now(), entryCount: version.entryCount,
          files: [...version.files], warnings: version.warnings, content: gzipSync(JSON.stringify(version.toJSON())),
        }, head);
        if (r === 'stored') {
          await this.ctx.jobs.enqueue('screening.delta', { source, from: head, to: version.hash }, { key: `delta:${source}:${head ?? 'none'}:${version.hash}` }, tx);
          await this.event(tx, { type: 'list.imported', data: { source, hash: version.hash, previousHash: head, entryCount: version.entryCount, ...counts } });
        }
        return r;
      });
      if (status === 'conflict') {
        if (attempt < 3) continue;
        throw new ScreeningRefusal('conflict', 'source', `another import of ${source} moved its head meanwhile: retry`);
      }
      if (status === 'stored') this.ctx.log(`screening: ${source} version ${version.hash} imported (${version.entryCount} entries; +${counts.added} -${counts.removed} ~${counts.changed})`);
      return { status, source, hash: version.hash, entryCount: version.entryCount, previousHash: head, diff: counts };
    }
  }

  /** A configured source's files, read from disk or fetched, then imported. */
  async importFromConfig(source: string): Promise<void> {
    const s = this.config.sources.find((x) => x.source === source);
    if (!s) return;
    const files: ListFile[] = [];
    for (const f of s.files) {
      if (/^https?:/.test(f)) {
        const res = await fetch(f, { signal: AbortSignal.timeout(60_000) });
        if (!res.ok) throw new Error(`list ${source}: HTTP ${res.status} for one of its URLs`);
        files.push({ name: new URL(f).pathname.split('/').pop() || f, data: new Uint8Array(await res.arrayBuffer()) });
      } else {
        const { readFile } = await import('node:fs/promises');
        files.push({ name: f, data: new Uint8Array(await readFile(f)) });
      }
    }
    await this.importList(source, files);
  }

  /** Screens only the holders who could match what changed between two versions of a source. */
  async deltaScreen(source: string, from: string | null, to: string): Promise<RunSummary> {
    const newer = await this.loadVersion(source, to);
    const older = from ? await this.loadVersion(source, from) : undefined;
    const changed = older ? entriesToRescreen(diffVersions(older, newer)) : [...newer.entries];
    await this.syncProfileIndex();
    // Candidates share a relation key with a changed entry (common first names reach many); only those whose profile
    // scores at the review threshold against one of the changed entries can change status: they are screened in full
    // against every list. The others' last screening stands (nothing they could match changed) until the full screen.
    const prepared = changed.map(prepareEntity);
    const concerned: string[] = [];
    for (const identity of this.profiles.candidates(changed)) {
      const row = await this.repo.profile(identity);
      if (!row || row.status !== 'active') continue;
      const pq = prepareQuery(profileQuery(openProfile(this.keys.dataKey, this.ctx.chainId, row.identity, row.ciphertext)));
      if (prepared.some((pe) => scoreEntity(pq, pe).score >= this.config.reviewThreshold)) concerned.push(identity);
    }
    return this.screen(concerned, 'delta');
  }

  private async syncProfileIndex(): Promise<void> {
    for (;;) {
      const rows = await this.repo.profilesChangedAfter(this.profiles.seq, 1000);
      if (rows.length === 0) return;
      for (const r of rows) {
        if (r.status === 'active') this.profiles.add(r.identity, profileQuery(openProfile(this.keys.dataKey, this.ctx.chainId, r.identity, r.ciphertext)));
        this.profiles.seq = Math.max(this.profiles.seq, r.changeSeq);
      }
    }
  }

  // --- profiles ------------------------------------------------------------------------------------------------

  /** Enrols (or updates) a holder: stores the sealed profile and screens it at once (claims issued when clear). */
  async submitProfile(identity: Address, profile: Profile, submittedBy: Address, origin: string): Promise<{ commitment: string; screening: ScreenOutcome }> {
    const id = identity.toLowerCase();
    const commitment = profileCommitment(this.keys.commitmentKey, id, profile);
    await this.repo.putProfile({ identity: id, ciphertext: sealProfile(this.keys.dataKey, this.ctx.chainId, id, profile), commitment, origin, submittedBy });
    await this.event(this.ctx.repos, { type: 'profile.submitted', identity: id, data: { commitment, origin } });
    const run = await this.screen([id], 'enrolment');
    return { commitment, screening: run.outcomes[0]! };
  }

  async profileOf(identity: Address): Promise<{ profile: Profile; commitment: string; origin: string; submittedBy: string; updatedAt: number } | undefined> {
    const r = await this.repo.profile(identity);
    if (!r || r.status !== 'active') return undefined;
    return { profile: openProfile(this.keys.dataKey, this.ctx.chainId, r.identity, r.ciphertext), commitment: r.commitment, origin: r.origin, submittedBy: r.submittedBy, updatedAt: r.updatedAt };
  }

  // --- screening -----------------------------------------------------------------------------------------------

  async fullScreen(): Promise<RunSummary[]> {
    const runs: RunSummary[] = [];
    let after = '';
    for (;;) {
      const page = await this.repo.profilesPage(after, this.config.pageSize);
      if (page.length === 0) return runs;
      runs.push(await this.screen(page.map((p) => p.identity), 'full'));
      after = page[page.length - 1]!.identity;
    }
  }

  /** Re-screens holders whose claims expire within `renewBefore` (chain time) and renews those who are clear. */
  async renewDue(): Promise<RunSummary | undefined> {
    const now = await this.chain.now();
    const due = await this.repo.claimsDue(now + this.config.renewBefore, this.config.pageSize);
    const identities = [...new Set(due.map((c) => c.identity))];
    if (identities.length === 0) return undefined;
    return this.screen(identities, 'renewal');
  }

  /** Screens holders against the current lists as one run (one signed Merkle root), then acts on each outcome. */
  screen(identities: readonly string[], kind: ScreeningKind): Promise<RunSummary> {
    return this.serially(() => this.screenNow(identities, kind));
  }

  private async screenNow(identities: readonly string[], kind: ScreeningKind): Promise<RunSummary> {
    const lists = await this.currentLists();
    const thresholds = { review: this.config.reviewThreshold, autoAction: this.config.autoActionThreshold };
    const startedAt = new Date();
    const screened: { identity: string; result: HolderScreening; record: EvidenceRecord; leaf: string; cases: CaseRow[] }[] = [];
    for (const identity of identities) {
      const row = await this.repo.profile(identity);
      if (!row || row.status !== 'active') continue;
      const profile = openProfile(this.keys.dataKey, this.ctx.chainId, row.identity, row.ciphertext);
      const cases = await this.repo.casesOf(row.identity);
      const dismissed = new Set(cases.filter((c) => c.status === 'dismissed').map((c) => `${c.entityId}\n${c.entityHash}`));
      const result = judge(lists.matches(profileQuery(profile)), lists, thresholds, this.config.topics, (id, hash) => dismissed.has(`${id}\n${hash}`));
      const { record, leaf } = evidenceRecord({ chainId: this.ctx.chainId, identity: row.identity, profileCommitment: row.commitment, kind, screenedAt: new Date(), lists, thresholds, result });
      screened.push({ identity: row.identity, result, record, leaf, cases });
    }
    if (screened.length === 0) return { runId: null, kind, screened: 0, outcomes: [] };
    const runId = await this.storeRun(kind, startedAt, lists, screened);
    // One chain time for the whole run: claim windows and renewal windows are judged on it.
    const now = await this.chain.now();
    const outcomes: ScreenOutcome[] = [];
    for (const s of screened) outcomes.push(await this.settle(s.identity, s.cases, s.result, s.leaf, runId, now));
    return { runId, kind, screened: screened.length, outcomes };
  }

  private async storeRun(kind: ScreeningKind, startedAt: Date, lists: ListSet, screened: readonly { identity: string; record: EvidenceRecord; leaf: string; result: HolderScreening }[]): Promise<number> {
    const leaves = screened.map((s) => s.leaf);
    const root = merkleRoot(leaves);
    const finishedAt = new Date();
    const { id } = await this.repo.putRun({
      key: `${kind}:${randomUUID()}`, kind, startedAt: startedAt.getTime(), finishedAt: finishedAt.getTime(), records: leaves.length, root,
      lists: JSON.stringify(lists.summary),
    }, screened.map((s, idx) => ({ idx, identity: s.identity, leaf: s.leaf, record: JSON.stringify(s.record), decision: s.result.decision })), async (runId) => {
      const header: RunHeader = {
        format: 'masque-screening-run/1', chainId: this.ctx.chainId, runId, kind, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(),
        records: leaves.length, root, operator: this.operator.toLowerCase(),
      };
      return { header: JSON.stringify(header), signature: await this.keys.account.signMessage({ message: runMessage(header) }) };
    });
    return id;
  }

  /** Acts on one holder's screening: cases for live hits, actions at the auto threshold, claims when clear. */
  private async settle(identity: string, cases: readonly CaseRow[], result: HolderScreening, leaf: string, runId: number, now: number): Promise<ScreenOutcome> {
    const opened: string[] = [];
    for (const hit of result.hits) {
      if (hit.suppressed) continue;
      const topics = this.config.topics.filter((t) => topicSources(t).includes(hit.entity.source));
      const auto = hit.score >= this.config.autoActionThreshold;
      const detail = seal(this.keys.dataKey, this.ctx.chainId, 'case', `${identity}:${hit.entity.id}`, new TextEncoder().encode(JSON.stringify({ explanation: hit.explanation, entity: hit.entity })));
      const r = await this.ctx.repos.transaction(async (tx) => {
        const c = await tx.screening.openCase({
          id: randomUUID(), identity, entityId: hit.entity.id, entityHash: hit.entityHash, source: hit.entity.source, listHash: hit.listHash,
          score: hit.score, topics, auto, detail, runId,
        }, this.operator);
        if (c.created) {
          await this.event(tx, { type: 'case.opened', identity, caseId: c.case.id, data: { caseId: c.case.id, entityId: hit.entity.id, source: hit.entity.source, score: hit.score, topics, auto } });
          if (auto) await this.startActions(tx, c.case.id, 'act');
        }
        return c;
      });
      if (r.created) opened.push(r.case.id);
    }
    if (opened.length) await this.riskFollows(identity);
    const claimsIssued: number[] = [];
    if (opened.length === 0 ? !restricting(cases) : !(await this.restricted(identity))) {
      const held = new Map((await this.repo.claims(identity)).map((c) => [c.topic, c]));
      for (const topic of this.config.topics) {
        if (result.topics[topic] !== 'clear') continue;
        const c = held.get(topic);
        // Issued when missing or revoked, renewed within the renewal window; the service's own record says which (a
        // claim revoked behind its back is issued again at the next renewal or full screen of a record it restored).
        if (c && c.status === 'active' && c.expiresAt - now > this.config.renewBefore) continue;
        const issuedAt = now;
        const expiresAt = this.ctx.policy.expiryFor(topic, issuedAt, this.issuer);
        try {
          const w = await this.chain.putClaim(identity as Address, topic, leaf as Hex, issuedAt, expiresAt);
          await this.repo.putClaim({ identity, topic, claimId: w.claimId, issuedAt, expiresAt, status: 'active', evidenceLeaf: leaf, txHash: w.txHash });
          await this.event(this.ctx.repos, { type: w.renewed ? 'claim.renewed' : 'claim.issued', identity, data: { topic, claimId: w.claimId, expiresAt, txHash: w.txHash, evidenceLeaf: leaf } });
          claimsIssued.push(topic);
        } catch (e) {
          // The identity gives the issuer no way in (no claim key, no registry trusting it): reported, not fatal.
          await this.event(this.ctx.repos, { type: 'claim.refused', identity, data: { topic, reason: shortReason(e) } });
          this.ctx.log(`screening: claim of topic ${topic} for ${identity} refused: ${shortReason(e)}`);
        }
      }
    }
    return { identity, decision: result.decision, bestScore: result.bestScore, casesOpened: opened, claimsIssued };
  }

  /** The holder has a case whose actions are in force (revoked, frozen) or under way: no claims until it is dismissed. */
  private async restricted(identity: string): Promise<boolean> {
    return restricting(await this.repo.casesOf(identity));
  }

  // --- case actions ---------------------------------------------------------------------------------------------

  /** Plans the steps of a phase and enqueues their execution, in the caller's transaction. */
  private async startActions(tx: RepoSet, caseId: string, phase: 'act' | 'restore'): Promise<void> {
    const c = (await tx.screening.getCase(caseId))!;
    const moved = phase === 'act'
      ? await tx.screening.setActionState(caseId, ['none', 'restored'], 'acting', this.operator)
      : await tx.screening.setActionState(caseId, ['acted', 'acting'], 'restoring', this.operator);
    if (!moved) return;
    const profileRow = await tx.screening.profile(c.identity);
    const wallets = profileRow ? openProfile(this.keys.dataKey, this.ctx.chainId, profileRow.identity, profileRow.ciphertext).wallets : [];
    const steps: { kind: string; target: string }[] = [];
    if (phase === 'act') {
      for (const t of c.topics) steps.push({ kind: 'revoke', target: String(t) });
      for (const tok of this.tokens()) for (const w of wallets) steps.push({ kind: 'freeze', target: `${tok.address}:${w}` });
    } else {
      // Only what this case froze is unfrozen (a wallet frozen by the token's agents for other reasons stays so).
      for (const a of await tx.screening.actions(caseId, 'act')) if (a.kind === 'freeze' && a.status === 'done') steps.push({ kind: 'unfreeze', target: a.target });
    }
    await tx.screening.planActions(caseId, phase, steps);
    await this.ctx.jobs.enqueue('screening.actions', { caseId, phase }, { key: `actions:${caseId}:${phase}:${Date.now()}` }, tx);
  }

  /** Runs the planned steps of a phase that are not done yet (each checks the chain first: nothing twice). */
  async runActions(caseId: string, phase: 'act' | 'restore'): Promise<void> {
    const c = await this.repo.getCase(caseId);
    if (!c) return;
    if (phase === 'act' && c.actionState !== 'acting') return;
    if (phase === 'restore' && c.actionState !== 'restoring') return;
    for (const a of await this.repo.actions(caseId, phase)) {
      if (a.status !== 'planned') continue;
      let tx: Hex | null = null;
      if (a.kind === 'revoke') {
        tx = await this.chain.revokeClaim(c.identity as Address, Number(a.target));
        await this.repo.setClaimStatus(c.identity, Number(a.target), 'revoked', tx);
        await this.repo.finishAction(caseId, phase, a.step, tx ? 'done' : 'skipped', tx);
        await this.event(this.ctx.repos, { type: 'claim.revoked', identity: c.identity, caseId, tokens: this.tokens().map((t) => t.address), data: { caseId, topic: Number(a.target), txHash: tx } });
      } else if (a.kind === 'freeze' || a.kind === 'unfreeze') {
        const [token, wallet] = a.target.split(':') as [Address, Address];
        if (!(await this.chain.mayFreeze(token))) {
          await this.repo.finishAction(caseId, phase, a.step, 'skipped', null);
          await this.event(this.ctx.repos, { type: 'freeze.unauthorized', identity: c.identity, caseId, tokens: [token], data: { caseId, token } });
          continue;
        }
        tx = await this.chain.setFrozen(token, wallet, a.kind === 'freeze');
        await this.repo.finishAction(caseId, phase, a.step, tx ? 'done' : 'skipped', tx);
        await this.event(this.ctx.repos, { type: a.kind === 'freeze' ? 'wallet.frozen' : 'wallet.unfrozen', identity: c.identity, caseId, tokens: [token], data: { caseId, token, wallet, txHash: tx } });
      }
    }
    // Claims revoked, wallets frozen or unfrozen: the score reads them.
    await this.riskFollows(c.identity);
    if (phase === 'act') {
      if (await this.repo.setActionState(caseId, ['acting'], 'acted', this.operator)) {
        await this.event(this.ctx.repos, { type: 'case.actioned', identity: c.identity, caseId, tokens: this.tokens().map((t) => t.address), data: { caseId, topics: c.topics } });
        this.ctx.log(`screening: case ${caseId}: claims revoked and wallets frozen`);
      }
    } else {
      // Claims come back through a screening (the dismissed pair is now suppressed): evidence first, as always. A
      // crash before the state moves repeats the screening, which issues only what is still missing.
      await this.screen([c.identity], 'manual');
      if (await this.repo.setActionState(caseId, ['restoring'], 'restored', this.operator)) {
        await this.event(this.ctx.repos, { type: 'case.restored', identity: c.identity, caseId, tokens: this.tokens().map((t) => t.address), data: { caseId } });
      }
    }
  }

  // --- analysts -------------------------------------------------------------------------------------------------

  async mayAnalyse(address: string): Promise<boolean> {
    return address.toLowerCase() === this.operator.toLowerCase() || (await this.repo.isAnalyst(address));
  }

  /** Whether `address` may read a holder's cases and evidence: the operator, an analyst, or a fund administrator of a served token. */
  async mayRead(address: string): Promise<boolean> {
    if (await this.mayAnalyse(address)) return true;
    return this.config.tokens.some((t) => t.fundAdministrators.some((f) => f.address?.toLowerCase() === address.toLowerCase()));
  }

  async assign(caseId: string, assignee: Address | null, actor: Address): Promise<CaseRow> {
    if (assignee && !(await this.mayAnalyse(assignee))) throw new ScreeningRefusal('invalid', 'assignee', 'not an analyst of this screening service');
    const c = await this.repo.getCase(caseId);
    if (!c) throw new ScreeningRefusal('not-found', 'caseId', 'no such case');
    if (!(await this.repo.assignCase(caseId, assignee, actor))) throw new ScreeningRefusal('conflict', 'caseId', `case is ${c.status}: only open cases are assigned`);
    return (await this.repo.getCase(caseId))!;
  }

  /**
   * An analyst's decision. `confirm` keeps (or starts) the restrictions; `dismiss` marks the pair a false positive
   * (it will not alert again unless the entry changes) and, when no other case restricts the holder, restores it:
   * claims re-issued after a fresh screening, wallets unfrozen.
   */
  async decide(caseId: string, decision: Decision, actor: Address, reason: string | undefined): Promise<CaseRow> {
    const c = await this.repo.getCase(caseId);
    if (!c) throw new ScreeningRefusal('not-found', 'caseId', 'no such case');
    const t = TRANSITIONS[decision];
    if (!t.from.includes(c.status)) throw new ScreeningRefusal('conflict', 'decision', `case is ${c.status}: cannot ${decision} it (allowed from ${t.from.join(', ')})`);
    if ((decision === 'confirm' || decision === 'dismiss') && !reason) throw new ScreeningRefusal('invalid', 'reason', `a ${decision} decision needs a reason`);
    await this.ctx.repos.transaction(async (tx) => {
      const moved = await tx.screening.transitionCase(caseId, c.status, t.to, actor, reason ?? null, decision === 'confirm' || decision === 'dismiss');
      if (!moved) throw new ScreeningRefusal('conflict', 'caseId', 'the case changed meanwhile: read it again');
      if (decision === 'confirm' || decision === 'dismiss') {
        await this.event(tx, { type: 'case.decided', identity: c.identity, caseId, tokens: this.tokens().map((x) => x.address), data: { caseId, decision, decidedBy: actor.toLowerCase() } });
      }
      if (decision === 'confirm') await this.startActions(tx, caseId, 'act');
      if (decision === 'dismiss' && (c.actionState === 'acted' || c.actionState === 'acting')) {
        const others = (await tx.screening.casesOf(c.identity)).filter((o) => o.id !== caseId && (o.status === 'confirmed' || o.actionState === 'acted' || o.actionState === 'acting'));
        if (others.length === 0) await this.startActions(tx, caseId, 'restore');
      }
    });
    await this.riskFollows(c.identity);
    return (await this.repo.getCase(caseId))!;
  }

  // --- risk -----------------------------------------------------------------------------------------------------

  /** Gives the risk service what the holder's cases now say and lets it rescore at once (a failure is logged: the screening stands). */
  private async riskFollows(identity: string): Promise<void> {
    if (!this.ctx.risk) return;
    try {
      await this.ctx.risk.customerChanged(identity, customerFactsOf(await this.repo.casesOf(identity)));
    } catch (e) {
      this.ctx.log(`screening: the risk score of ${identity} was not updated: ${shortReason(e)}`);
    }
  }

  /** A holder's risk band changed: an event (the score and bands only, never the factors) to the operator's and the served tokens' fund administrators' webhooks. */
  private async bandChanged(c: BandChange): Promise<void> {
    await this.event(this.ctx.repos, { type: 'risk.band_changed', identity: c.identity.toLowerCase(), tokens: this.tokens().map((t) => t.address), data: { from: c.from, to: c.to, score: c.score, onchain: c.onchain } });
  }

  // --- evidence -------------------------------------------------------------------------------------------------

  /** A holder's evidence records with their Merkle proofs and the signed run headers (what an auditor checks). */
  async evidenceOf(identity: string, limit: number): Promise<{ record: EvidenceRecord; leaf: string; proof: MerkleProof; header: RunHeader; signature: Hex }[]> {
    const out = [];
    for (const e of await this.repo.evidenceOf(identity, limit)) {
      const run = (await this.repo.runById(e.runId))!;
      const leaves = await this.repo.runLeaves(e.runId);
      out.push({ record: JSON.parse(e.record) as EvidenceRecord, leaf: e.leaf, proof: merkleProof(leaves, e.idx), header: JSON.parse(run.header) as RunHeader, signature: run.signature as Hex });
    }
    return out;
  }

  /** A case's match explanation (quotes names: for analysts only). */
  caseDetail(c: CaseRow): unknown {
    return JSON.parse(new TextDecoder().decode(unseal(this.keys.dataKey, this.ctx.chainId, 'case', `${c.identity}:${c.entityId}`, c.detail)));
  }

  // --- events and alerts -----------------------------------------------------------------------------------------

  /** Appends an event (no personal data) and, in the same transaction, a delivery job per webhook that wants it. */
  private async event(tx: RepoSet, e: { type: string; identity?: string; caseId?: string; tokens?: readonly string[]; data: Record<string, unknown> }): Promise<void> {
    const seq = await tx.screening.appendEvent(e);
    for (const w of this.recipients(e.type, e.tokens ?? [])) {
      await this.ctx.jobs.enqueue('screening.webhook', { seq, recipient: w.id }, { key: `webhook:${seq}:${w.id}` }, tx);
    }
  }

  /** The operator's webhooks, and the fund administrators' of the tokens an event concerns. */
  private recipients(type: string, tokens: readonly string[]): WebhookConfig[] {
    const wants = (w: WebhookConfig) => (w.events ?? ALERT_EVENTS as readonly string[]).includes(type);
    const out = this.config.webhooks.filter(wants);
    for (const t of this.tokens()) {
      if (!tokens.includes(t.address)) continue;
      for (const f of t.fundAdministrators) if (f.webhook && wants(f.webhook) && !out.some((o) => o.id === f.webhook!.id)) out.push(f.webhook);
    }
    return out;
  }

  private webhook(id: string): WebhookConfig | undefined {
    return this.config.webhooks.find((w) => w.id === id) ?? this.config.tokens.flatMap((t) => t.fundAdministrators.map((f) => f.webhook)).find((w) => w?.id === id);
  }

  private async deliverWebhook(seq: number, recipient: string): Promise<void> {
    const w = this.webhook(recipient);
    const e = await this.repo.event(seq);
    if (!w || !e) return;
    const body = JSON.stringify({ id: `${this.ctx.chainId}:${seq}`, type: e.type, at: new Date(e.at).toISOString(), chainId: this.ctx.chainId, identity: e.identity, caseId: e.caseId, tokens: e.tokens, data: e.data });
    await deliver(await signDelivery(w, this.keys.account, `masque-screening:${this.ctx.chainId}:${seq}`, body));
  }

  /** Events after `seq` (the dashboard's stream). */
  events(after: number, limit: number) {
    return this.repo.events(after, limit);
  }
}

/**
 * What a holder's cases say to its risk score: a PEP (a case on a PEP list not dismissed, under review or not: the
 * risk-based approach treats a possible PEP as one until an analyst says otherwise), open cases, and confirmed ones
 * (confirmed by an analyst, or acted on at the auto-action threshold).
 */
export function customerFactsOf(cases: readonly CaseRow[]): { pep: boolean; openCases: number; confirmedCases: number } {
  const live = cases.filter((c) => c.status !== 'dismissed');
  const confirmed = live.filter((c) => c.status === 'confirmed' || c.auto).length;
  return { pep: live.some((c) => (PEP_SOURCES as readonly string[]).includes(c.source)), openCases: live.length - confirmed, confirmedCases: confirmed };
}

/** Whether one of the holder's cases keeps its restrictions (claims revoked, wallets frozen) in force or under way. */
function restricting(cases: readonly CaseRow[]): boolean {
  return cases.some((c) => c.actionState === 'acting' || c.actionState === 'acted' || c.status === 'confirmed');
}

/** A refusal's reason without anything from the request (chain errors name the contract's error only). */
function shortReason(e: unknown): string {
  const data = (e as { data?: { error?: string } })?.data;
  if (data?.error) return data.error;
  const m = (e as Error)?.message ?? String(e);
  return m.split('\n')[0]!.slice(0, 160);
}
