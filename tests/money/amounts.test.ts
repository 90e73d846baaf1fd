import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, fromMinorUnits, parseAmount, isPositiveOrMalformed, sumAmounts, toMinorUnits } from '../../src/money/amounts.js';

describe('amounts of money', () => {
  it('read decimal text as paise and write it back with two decimals', () => {
    expect(toMinorUnits('15000')).toBe(1_500_000n);
    expect(toMinorUnits('2500.5')).toBe(250_050n);
    expect(toMinorUnits('0.07')).toBe(7n);
    expect(fromMinorUnits(250_050n)).toBe('2500.50');
    expect(fromMinorUnits(-7n)).toBe('-0.07');
    expect(formatAmount('5000')).toBe('5000.00');
    expect(formatAmount(12.5)).toBe('12.50');
    expect(() => toMinorUnits('12.345')).toThrow(RangeError);
    expect(() => toMinorUnits('1e3')).toThrow(RangeError);
  });

  it('sum exactly where floats do not: 0.10 + 0.20 is 0.30, and twelve-digit amounts keep every paisa', () => {
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(sumAmounts(['999999999999.99', '0.01'])).toBe('1000000000000.00');
    expect(sumAmounts([])).toBe('0.00');
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 99_999_999_999_999n }), { maxLength: 50 }), (paise) => {
        expect(toMinorUnits(sumAmounts(paise.map(fromMinorUnits)))).toBe(paise.reduce((total, value) => total + value, 0n));
      }),
    );
  });

  it('tells a positive amount from zero, and leaves text that is no amount to its own pattern', () => {
    expect(isPositiveOrMalformed('0.01')).toBe(true);
    expect(isPositiveOrMalformed('0')).toBe(false);
    expect(isPositiveOrMalformed('0.00')).toBe(false);
    expect(isPositiveOrMalformed('12.345')).toBe(true);
    expect(parseAmount('12.345')).toBeUndefined();
  });
});
