/** Bad input to the risk engine (a country table, a model, an identity's facts); `field` names what failed. */
export class RiskInputError extends Error {
  override readonly name = 'RiskInputError';
  constructor(readonly field: string, reason: string) {
    super(`${field}: ${reason}`);
  }
}
