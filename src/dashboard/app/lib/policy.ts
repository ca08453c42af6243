// Validity per topic, as compliance teams set it (the continuous-compliance issue's defaults): an approval's claim
// runs this long unless the reviewer shortens it; longer is refused here before anything is signed.
export const VALIDITY_DAYS: Record<number, number> = { 1: 365, 2: 30, 3: 365, 4: 30, 5: 365, 6: 365, 7: 30, 8: 182 };
export const validityDays = (topic: number) => VALIDITY_DAYS[topic] ?? 365;
export const policyText = (topic: number) => {
  const d = validityDays(topic);
  return d % 365 === 0 ? `${d / 365} year${d === 365 ? '' : 's'}` : d >= 180 ? `${Math.round(d / 30.4)} months` : `${d} days`;
};
/** The field error for a validity of `value` days on `topic`, or undefined when the policy allows it. */
export function validityError(topic: number, value: string, topicLabel: string): string | undefined {
  const d = Number(value), max = validityDays(topic);
  return Number.isInteger(d) && d >= 1 && d <= max ? undefined : `between 1 and ${max} days (the ${topicLabel} policy: ${policyText(topic)})`;
}
