/**
 * Amounts of money as the API speaks them: decimal text with at most two decimals ("15000",
 * "2500.50"). Arithmetic runs on integer minor units (paise), never on floats.
 */
const amountPattern = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/** The amount in minor units, or undefined when the text is not an amount. */
export function parseAmount(amount: string): bigint | undefined {
  const match = amountPattern.exec(amount.trim());
  if (!match) return undefined;
  const minor = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -minor : minor;
}

export function toMinorUnits(amount: string): bigint {
  const minor = parseAmount(amount);
  if (minor === undefined) throw new RangeError(`not an amount: ${amount}`);
  return minor;
}

export function fromMinorUnits(minor: bigint): string {
  const sign = minor < 0n ? '-' : '';
  const magnitude = minor < 0n ? -minor : minor;
  return `${sign}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, '0')}`;
}

/** Two decimals, exactly: what the API answers for a stored amount (Postgres numeric arrives as text). */
export function formatAmount(value: string | number): string {
  return fromMinorUnits(toMinorUnits(typeof value === 'number' ? value.toFixed(2) : value));
}

export function sumAmounts(amounts: Iterable<string>): string {
  let total = 0n;
  for (const amount of amounts) total += toMinorUnits(amount);
  return fromMinorUnits(total);
}

/** False for zero or less; true for text that is not an amount at all (its own pattern says what is wrong). */
export function isPositiveOrMalformed(amount: string): boolean {
  return (parseAmount(amount) ?? 1n) > 0n;
}
