import { AbiCoder, decodeBytes32String, encodeBytes32String, isHexString, toUtf8Bytes } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { GoldDesk, GoldToken } from "../../typechain-types";

/* UNITS */

/** Gold units (mg of fine gold) per gram: the gold token has 3 decimals. */
export const MG_PER_GRAM = 1_000n;
/** Grams in one troy ounce, exactly, times 10^7: 1 ozt = 31.1034768 g. */
export const TROY_OUNCE_G_E7 = 311_034_768n;
/** Basis points in a whole. */
export const BPS = 10_000n;
/** Largest gold amount the desk accepts in one order, in mg (2^128 - 1). */
export const MAX_ORDER_MG = (1n << 128n) - 1n;
/** Largest fine weight of one bar, mg (`GoldToken.MAX_BAR_FINE_WEIGHT_MG`, 20 kg). */
export const MAX_BAR_FINE_WEIGHT_MG = 20_000_000n;
/** Fineness bounds, parts per 10,000 (`GoldToken.MIN_FINENESS`, `MAX_FINENESS`). */
export const MIN_FINENESS = 9_950;
export const MAX_FINENESS = 10_000;
/** Largest published price, tiyn per gram (the desk stores 64 bits). */
export const MAX_PRICE_TIYN_PER_GRAM = (1n << 64n) - 1n;

/** Options of {@link parseGrams}. */
export interface ParseGramsOptions {
  /** Name of the input in messages. Default `grams`. */
  label?: string;
  /** Accept "0". Default false. */
  allowZero?: boolean;
  /** Largest accepted value in mg. Default {@link MAX_ORDER_MG}. */
  maxMg?: bigint;
}

/**
 * Parses an exact decimal number of grams of fine gold ("1.5", "1000", "0.001") into mg, never through a JavaScript
 * number. Rejects signs, exponents, separators, leading zeros, spaces and more than 3 decimals (1 mg is the
 * token's unit), with a one-line message naming the input.
 * @param text The amount as typed.
 * @param options Label, zero, maximum.
 * @returns Milligrams.
 */
export function parseGrams(text: string, options: ParseGramsOptions = {}): bigint {
  return parseDecimal(text, 3, "grams of fine gold", "(1 mg is the smallest unit)", {
    label: options.label ?? "grams",
    allowZero: options.allowZero,
    max: options.maxMg ?? MAX_ORDER_MG,
    format: formatGrams,
  });
}

/**
 * Parses an exact decimal tenge price per gram ("52000", "52000.25") into tiyn per gram.
 * @param text The price as typed.
 * @param label Name of the input in messages.
 * @returns Tiyn per gram, in 1..2^64 - 1.
 */
export function parsePricePerGram(text: string, label = "--price"): bigint {
  return parseDecimal(text, 2, "tenge per gram", "(1 tenge = 100 tiyn)", {
    label,
    max: MAX_PRICE_TIYN_PER_GRAM,
    format: (v) => `${formatScaled(v, 2)} KZT/g`,
  });
}

interface DecimalOptions {
  label: string;
  allowZero?: boolean;
  max: bigint;
  format: (value: bigint) => string;
}

function parseDecimal(text: string, decimals: number, what: string, why: string, options: DecimalOptions): bigint {
  const bad = (reason: string) => new Error(`${options.label} "${text}" ${reason}`);
  if (text === "") throw new Error(`${options.label} is empty`);
  if (text.trim() !== text) throw bad("has leading or trailing spaces");
  if (/^[+-]/.test(text)) throw bad("must not have a sign");
  if (/[eE]/.test(text)) throw bad("must not use an exponent; write the digits");
  if (text.includes(",")) throw bad('contains a comma: use "." as the decimal point and no thousands separators');
  if (text.startsWith(".")) throw bad("needs a digit before the decimal point");
  if (text.endsWith(".")) throw bad("needs digits after the decimal point");
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw bad(`is not a decimal number of ${what}`);
  const [, whole, fraction = ""] = match;
  if (whole.length > 1 && whole.startsWith("0")) throw bad("has leading zeros");
  if (fraction.length > decimals) throw bad(`has more than ${decimals} decimals ${why}`);
  const value = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0"));
  if (value === 0n && !options.allowZero) throw bad("must be greater than zero");
  if (value > options.max) throw bad(`is above the maximum of ${options.format(options.max)}`);
  return value;
}

function formatScaled(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  return `${negative ? "-" : ""}${abs / scale}.${(abs % scale).toString().padStart(decimals, "0")}`;
}

/**
 * Formats mg of fine gold as grams with exactly 3 decimals and the unit: 1500n → "1.500 g".
 * @param mg Milligrams (may be negative in differences).
 * @returns The text.
 */
export function formatGrams(mg: bigint): string {
  return `${formatScaled(mg, 3)} g`;
}

/**
 * Formats mg of fine gold as troy ounces, rounded down to 4 decimals: 31_103_477n → "1000.0000 ozt".
 * @param mg Milligrams.
 * @returns The text.
 */
export function formatTroyOunces(mg: bigint): string {
  // ozt × 10^4 = mg / 1000 / 31.1034768 × 10^4 = mg × 10^8 / 311,034,768
  return `${formatScaled((mg * 100_000_000n) / TROY_OUNCE_G_E7, 4)} ozt`;
}

/**
 * Formats a price in tiyn per gram: 5_200_000n → "52000.00 KZT/g".
 * @param tiynPerGram The price.
 * @returns The text.
 */
export function formatPrice(tiynPerGram: bigint): string {
  return `${formatScaled(tiynPerGram, 2)} KZT/g`;
}

/* DESK ARITHMETIC (mirrors GoldDesk exactly) */

const ceilDiv = (a: bigint, b: bigint): bigint => (a === 0n ? 0n : (a - 1n) / b + 1n);

/**
 * What buying costs, as the desk computes it: cost = ⌈amountMg × price / 1000⌉, fee = ⌈cost × feeBps / 10,000⌉.
 * @param amountMg Gold in mg.
 * @param priceTiynPerGram Price.
 * @param feeBps Fee rate.
 * @returns Cost to the desk, fee to the treasury, and their total, in tiyn.
 */
export function buyCost(
  amountMg: bigint,
  priceTiynPerGram: bigint,
  feeBps: bigint,
): { cost: bigint; fee: bigint; total: bigint } {
  const cost = ceilDiv(amountMg * priceTiynPerGram, MG_PER_GRAM);
  const fee = ceilDiv(cost * feeBps, BPS);
  return { cost, fee, total: cost + fee };
}

/**
 * What selling pays, as the desk computes it: gross = ⌊amountMg × price / 1000⌋, fee = ⌈gross × feeBps / 10,000⌉.
 * @param amountMg Gold in mg.
 * @param priceTiynPerGram Price.
 * @param feeBps Fee rate.
 * @returns Gross paid by the desk, the fee part to the treasury, the proceeds to the seller, in tiyn.
 */
export function sellProceeds(
  amountMg: bigint,
  priceTiynPerGram: bigint,
  feeBps: bigint,
): { gross: bigint; fee: bigint; proceeds: bigint } {
  const gross = (amountMg * priceTiynPerGram) / MG_PER_GRAM;
  const fee = ceilDiv(gross * feeBps, BPS);
  return { gross, fee, proceeds: gross - fee };
}

/**
 * The `data` of a tenge `transferAndCall(desk, value, data)` that buys gold: `abi.encode(amountMg, maxPrice, deadline)`.
 * @param amountMg Gold to buy, mg.
 * @param maxPriceTiynPerGram Highest price accepted.
 * @param deadline Unix time after which the order is void.
 * @returns The ABI-encoded order.
 */
export function encodeBuyOrder(amountMg: bigint, maxPriceTiynPerGram: bigint, deadline: bigint): string {
  return AbiCoder.defaultAbiCoder().encode(
    ["uint256", "uint256", "uint256"],
    [amountMg, maxPriceTiynPerGram, deadline],
  );
}

/* SHORT STRINGS (serials, refiners, vaults) */

/**
 * Encodes a bar field (serial, refiner, vault) as the contract stores it: text of 1-31 UTF-8 bytes as a Solidity
 * short string, or a 0x-prefixed 32-byte hex.
 * @param text The field as written.
 * @param label Name of the input in messages.
 * @returns The bytes32 value.
 */
export function encodeBarField(text: string, label: string): string {
  if (text.trim() === "") throw new Error(`${label} is empty`);
  if (text.trim() !== text) throw new Error(`${label} "${text}" has leading or trailing spaces`);
  if (/^0x/i.test(text)) {
    if (!isHexString(text, 32) || /^0x0{64}$/i.test(text)) {
      throw new Error(`${label} "${text}" starts with 0x but is not a non-zero 32-byte hex`);
    }
    return text.toLowerCase();
  }
  const bytes = toUtf8Bytes(text).length;
  if (bytes > 31) throw new Error(`${label} "${text}" is ${bytes} bytes; at most 31 bytes of text`);
  return encodeBytes32String(text);
}

/**
 * Shows a bytes32 bar field as text when it is a short string, else as hex.
 * @param value The bytes32.
 * @returns The text.
 */
export function barFieldText(value: string): string {
  try {
    return decodeBytes32String(value);
  } catch {
    return value;
  }
}

/* CONTRACTS */

async function deployed(hre: HardhatRuntimeEnvironment, name: "GoldToken" | "GoldDesk"): Promise<string> {
  const record = await hre.deployments.getOrNull(name);
  if (!record) {
    throw new Error(
      `${name} is not deployed on network "${hre.network.name}": run \`npx hardhat deploy --network ${hre.network.name}\` first`,
    );
  }
  if ((await hre.ethers.provider.getCode(record.address)) === "0x") {
    throw new Error(
      `no contract at the recorded ${name} address ${record.address} on "${hre.network.name}" (was the node restarted? redeploy)`,
    );
  }
  return record.address;
}

/** The deployed gold token on the current network, typed; a one-line error when it is not deployed there. */
export async function getGold(hre: HardhatRuntimeEnvironment): Promise<GoldToken> {
  return await hre.ethers.getContractAt("GoldToken", await deployed(hre, "GoldToken"));
}

/** The deployed gold desk on the current network, typed; a one-line error when it is not deployed there. */
export async function getDesk(hre: HardhatRuntimeEnvironment): Promise<GoldDesk> {
  return await hre.ethers.getContractAt("GoldDesk", await deployed(hre, "GoldDesk"));
}

/** Bar statuses by their on-chain number. */
export const BAR_STATUS = ["none", "in vault", "allocated", "released"] as const;
