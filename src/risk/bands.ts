/**
 * Bands: the score is written on-chain only when it moves across a threshold someone acts on (the display bands and
 * every token's MaxRiskScoreModule limit), not on every wiggle. Between two writes the on-chain number may be stale,
 * but never on the wrong side of any threshold: for each limit L, `onchain <= L` iff `current <= L`.
 */
import { RiskInputError } from './errors.js';

export interface Band {
  name: string;
  /** Lowest score in the band. */
  from: number;
}

/** Display bands (the first starts at 0). */
export const DEFAULT_BANDS: readonly Band[] = [
  { name: 'low', from: 0 },
  { name: 'medium', from: 25 },
  { name: 'high', from: 50 },
  { name: 'severe', from: 75 },
];

export function checkBands(bands: readonly Band[], field = 'bands'): void {
  if (bands.length === 0 || bands[0].from !== 0) throw new RiskInputError(field, 'the first band must start at 0');
  bands.forEach((b, i) => {
    if (!b.name) throw new RiskInputError(`${field}.${i}.name`, 'must be non-empty');
    if (!Number.isInteger(b.from) || b.from < 0 || b.from > 100 || (i > 0 && b.from <= bands[i - 1].from)) {
      throw new RiskInputError(`${field}.${i}.from`, 'must be an integer 0-100, increasing');
    }
  });
}

/** The display band of a score. */
export function bandOf(score: number, bands: readonly Band[] = DEFAULT_BANDS): string {
  let name = bands[0].name;
  for (const b of bands) if (score >= b.from) name = b.name;
  return name;
}

/**
 * The thresholds a written score must respect: each display band's start minus one and each token limit (a module
 * refuses `score > limit`), sorted, unique, within 0-99 (a limit of 100 refuses nothing).
 */
export function writeThresholds(bands: readonly Band[], limits: readonly number[]): number[] {
  const t = new Set<number>();
  for (const b of bands) if (b.from > 0) t.add(b.from - 1);
  for (const l of limits) if (Number.isInteger(l) && l >= 0 && l < 100) t.add(l);
  return [...t].sort((a, b) => a - b);
}

/** How many thresholds the score is above. */
export function bandIndex(score: number, thresholds: readonly number[]): number {
  let i = 0;
  while (i < thresholds.length && score > thresholds[i]) i++;
  return i;
}

/** Whether the chain must learn `score`, given what it holds (null: nothing yet). */
export function mustWrite(onchain: number | null, score: number, thresholds: readonly number[]): boolean {
  return onchain === null || bandIndex(onchain, thresholds) !== bandIndex(score, thresholds);
}
