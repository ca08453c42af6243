// Scores from the database alone (facts, customer facts, activity): what a recompute of every identity costs, with no
// chain call. The chain is read when facts change (service.ts), written when a score crosses a band.
import { activityStats, dayOf, scoreIdentity, type CountryRiskTable, type RiskInput, type RiskModel, type RiskScore } from '../../risk/index.js';
import type { CustomerFacts, RiskIdentityRow, RiskRepo } from '../db/risk.js';

/** The facts the node keeps per identity (RiskInput without activity and customer, which have their own tables). */
export interface StoredFacts {
  country: number | null;
  countryAttested: boolean;
  kycIssuedAt: number | null;
  compliance: RiskInput['compliance'];
}

const NO_CUSTOMER: CustomerFacts = { pep: false, openCases: 0, confirmedCases: 0, entityType: null };

export interface Scored { identity: string; result: RiskScore; onchainScore: number | null; previousScore: number | null; previousBand: string | null }

/**
 * Rescores `identities` (all known ones when omitted) at `now` (unix seconds) and records the results in one
 * transaction. Returns every result with what the chain holds, for the caller to decide the writes.
 */
export async function rescore(repo: RiskRepo, model: RiskModel, countries: CountryRiskTable, now: number, identities?: readonly string[]): Promise<Scored[]> {
  const fromDay = dayOf(now) - model.activity.historyDays + 1;
  let rows: RiskIdentityRow[];
  let activity: (id: string) => Promise<ReturnType<typeof activityStats>>;
  if (identities) {
    rows = (await Promise.all(identities.map((i) => repo.identity(i)))).filter((r): r is RiskIdentityRow => r !== undefined);
    activity = async (id) => activityStats(await repo.activity(id, fromDay), dayOf(now), model.activity);
  } else {
    rows = await repo.identities();
    const all = await repo.allActivity(fromDay);
    activity = async (id) => activityStats(all.get(id) ?? [], dayOf(now), model.activity);
  }
  const customers = await repo.customers(rows.map((r) => r.identity));
  const out: Scored[] = [];
  for (const row of rows) {
    const f = JSON.parse(row.facts) as StoredFacts;
    const c = customers.get(row.identity) ?? NO_CUSTOMER;
    const result = scoreIdentity({
      country: f.country, countryAttested: f.countryAttested,
      customer: { pep: c.pep, openCases: c.openCases, confirmedCases: c.confirmedCases, entityType: c.entityType ?? undefined, kycIssuedAt: f.kycIssuedAt },
      activity: await activity(row.identity),
      compliance: f.compliance,
    }, { model, countries, now });
    out.push({ identity: row.identity, result, onchainScore: row.onchainScore, previousScore: row.score, previousBand: row.band });
  }
  await repo.putScores(out.map((s) => ({ identity: s.identity, score: s.result.score, band: s.result.band, explanation: s.result, at: now * 1000 })));
  return out;
}
