/**
 * The plain Jaro-Winkler baseline the issue compares against, in the manner of moov watchman: lower-case, accents
 * and punctuation removed (no transliteration, no phonetics, no weights), each word of one name paired with its most
 * similar word of the other, the best-pair scores averaged both ways. Usual cutoff 0.80.
 */
import jaroWinkler from 'jaro-winkler';

const words = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);

function bestPairs(a: readonly string[], b: readonly string[]): number {
  let sum = 0;
  for (const x of a) {
    let best = 0;
    for (const y of b) best = Math.max(best, jaroWinkler(x, y));
    sum += best;
  }
  return sum / a.length;
}

export const BASELINE_THRESHOLD = 0.8;

export function jaroWinklerBaseline(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (!wa.length || !wb.length) return 0;
  return (bestPairs(wa, wb) + bestPairs(wb, wa)) / 2;
}
