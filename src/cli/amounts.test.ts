// Token amounts as typed on the command line: tokens with the token's decimals, never rounded; base units on request;
// every refusal names the field.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { baseUnits, fromBaseUnits, toBaseUnits } from './amounts.js';

it('reads tokens with up to the token\'s decimals into base units, and back', () => {
  assert.equal(toBaseUnits('1.5', 2, 'amount'), '150');
  assert.equal(toBaseUnits('1.50', 2, 'amount'), '150', 'trailing zeros are no extra decimals');
  assert.equal(toBaseUnits('.25', 2, 'amount'), '25');
  assert.equal(toBaseUnits('1000', 0, 'amount'), '1000');
  assert.equal(toBaseUnits('0.000000000000000001', 18, 'amount'), '1');
  assert.equal(toBaseUnits('12345678901234567890.5', 18, 'amount'), '12345678901234567890500000000000000000');
  assert.equal(fromBaseUnits('150', 2), '1.5');
  assert.equal(fromBaseUnits(7n, 3), '0.007');
  assert.equal(fromBaseUnits('1000', 0), '1000');
  assert.equal(baseUnits('150', 'amount'), '150');
});

it('refuses, naming the field: too many decimals, negative, not a number, too large', () => {
  assert.throws(() => toBaseUnits('1.234', 2, 'amount'), { message: 'amount: 1.234 has 3 decimals; the token has 2' });
  assert.throws(() => toBaseUnits('1.5', 0, '--amount'), { message: '--amount: 1.5 has 1 decimal; the token has 0 (whole tokens only)' });
  assert.throws(() => toBaseUnits('-5', 2, 'amount'), { message: 'amount: must not be negative (-5)' });
  assert.throws(() => toBaseUnits('1e3', 2, 'amount'), { message: 'amount: "1e3" is not a number of tokens (e.g. 1.5)' });
  assert.throws(() => toBaseUnits('.', 2, 'amount'), /^Error: amount: "\." is not a number/);
  assert.throws(() => toBaseUnits(`1${'0'.repeat(78)}`, 0, 'amount'), /^Error: amount: 10+ is too large$/);
  assert.throws(() => baseUnits('1.5', 'amount'), { message: 'amount: "1.5" is not a whole number of base units (--base-units)' });
  assert.throws(() => baseUnits('-1', 'recipients.0.amount (bob)'), { message: 'recipients.0.amount (bob): must not be negative (-1)' });
});
