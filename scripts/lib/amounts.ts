/** Tiyn per tenge: the token has 2 decimals. */
export const TIYN_PER_TENGE = 100n;

/** The token's supply cap in tiyn (`DigitalTenge.MAX_SUPPLY`, 2^64 - 1); no single amount can exceed it. */
export const MAX_SUPPLY_TIYN = (1n << 64n) - 1n;

/** Largest KYC tier limit the contract stores, in tiyn (2,147,483,647 whole tenge; `PolicyWord.MAX_LIMIT`). */
export const MAX_TIER_LIMIT_TIYN = ((1n << 31n) - 1n) * TIYN_PER_TENGE;

/** Options of {@link parseTenge}. */
export interface ParseTengeOptions {
  /** Name of the input in error messages, e.g. `--amount` or `line 4 amount`. Default `amount`. */
  label?: string;
  /** Accept "0" (ceilings and tier limits may be zero; payments may not). Default false. */
  allowZero?: boolean;
  /** Require a whole number of tenge (tier limits). Default false. */
  whole?: boolean;
  /** Largest accepted value in tiyn. Default {@link MAX_SUPPLY_TIYN}. */
  max?: bigint;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses an exact decimal tenge amount ("1500", "1500.25", "0.01") into tiyn, never through a JavaScript number.
 * Rejects signs, exponents, thousands separators, leading zeros, surrounding spaces, more than 2 decimals, zero
 * (unless `allowZero`) and anything above `max`, with a one-line message naming the input and the reason.
 * @param text The amount as typed.
 * @param options Label for messages, whether zero is allowed, whether it must be whole tenge, the maximum.
 * @returns The amount in tiyn.
 */
export function parseTenge(text: string, options: ParseTengeOptions = {}): bigint {
  const label = options.label ?? "amount";
  const max = options.max ?? MAX_SUPPLY_TIYN;
  const bad = (why: string) => new Error(`${label} "${text}" ${why}`);

  if (text === "") throw new Error(`${label} is empty`);
  if (text.trim() !== text) throw bad("has leading or trailing spaces");
  if (/^[+-]/.test(text)) throw bad("must not have a sign");
  if (/^0x/i.test(text)) throw bad("is not a decimal number (hex is not accepted)");
  if (/[eE]/.test(text) && /^[\d.]+[eE][+-]?\d+$/.test(text)) throw bad("must not use an exponent; write the digits");
  if (text.includes(",")) {
    throw bad('contains a comma: use "." as the decimal point and no thousands separators');
  }
  if (/[\s_'’]/.test(text)) throw bad("must not contain thousands separators or spaces");
  if (text.startsWith(".")) throw bad("needs a digit before the decimal point");
  if (text.endsWith(".")) throw bad("needs digits after the decimal point");
  const match = DECIMAL.exec(text);
  if (!match) throw bad("is not a decimal number of tenge");
  const [, whole, fraction = ""] = match;
  if (whole.length > 1 && whole.startsWith("0")) throw bad("has leading zeros");
  if (fraction.length > 2) throw bad("has more than 2 decimals (1 tenge = 100 tiyn)");

  const tiyn = BigInt(whole) * TIYN_PER_TENGE + BigInt(fraction.padEnd(2, "0"));
  if (tiyn === 0n && !options.allowZero) throw bad("must be greater than zero");
  if (options.whole && tiyn % TIYN_PER_TENGE !== 0n) throw bad("must be a whole number of tenge");
  if (tiyn > max) throw bad(`is above the maximum of ${formatTenge(max)}`);
  return tiyn;
}

/**
 * Formats tiyn as tenge with exactly 2 decimals and no grouping: 150025n → "1500.25", -300n → "-3.00".
 * @param tiyn Amount in tiyn (may be negative, e.g. a bank's outstanding issuance).
 * @returns The decimal string.
 */
export function formatTenge(tiyn: bigint): string {
  const negative = tiyn < 0n;
  const abs = negative ? -tiyn : tiyn;
  const whole = abs / TIYN_PER_TENGE;
  const fraction = (abs % TIYN_PER_TENGE).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/**
 * {@link formatTenge} with the currency code, for messages: 150025n → "1500.25 KZT".
 * @param tiyn Amount in tiyn.
 * @returns The decimal string followed by " KZT".
 */
export function kztText(tiyn: bigint): string {
  return `${formatTenge(tiyn)} KZT`;
}
