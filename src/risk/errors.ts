/**
 * Bad input to the risk engine (a country table, a model, an identity's facts); `field` names what failed, `reason`
 * says why (the message is both: a caller that names the field itself takes the reason, not the message).
 */
export class RiskInputError extends Error {
  override readonly name = 'RiskInputError';
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`);
  }
}
