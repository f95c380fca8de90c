/**
 * Offline payments of the digital tenge, without a network: sign a payment (EIP-712 in the token's domain), encode it
 * as a compact QR-ready string, decode and verify it on the merchant's terminal, and pack many into the calldata of
 * `settleOfflinePayments`. Only settlement and the reading of its events need a chain.
 *
 * QR string: `dtop1:` followed by the base64url (no padding) of 127 bytes: the payer (20), the payee (20) and the
 * 87-byte record the contract reads (amount 8, validAfter 5, validBefore 5, nonce 4, fromPurse 1, r 32,
 * yParityAndS 32). The payer travels in the QR so the terminal can tell a tampered payment from a good one; the
 * contract does not need it (it recovers the payer from the signature).
 */
import {
  Signature,
  TypedDataDomain,
  TypedDataEncoder,
  TypedDataField,
  ZeroAddress,
  concat,
  decodeBase64,
  encodeBase64,
  getAddress,
  getBytes,
  hexlify,
  isAddress,
  toBeHex,
  verifyTypedData,
  zeroPadValue,
} from "ethers";
import type { Interface, Log, Signer } from "ethers";
import { MAX_SUPPLY_TIYN, formatTenge } from "./amounts";
import { ProblemsError, problemCount } from "./csv";
import { SECP256K1_N } from "./eip712";

/* FORMAT */

/** Bytes of one payment record in the batch calldata (the contract's `OFFLINE_PAYMENT_SIZE`). */
export const OFFLINE_RECORD_SIZE = 87;
/** Prefix and version of the QR string. */
export const QR_PREFIX = "dtop1:";
/** Bytes behind the prefix: payer, payee, record. */
export const QR_PAYLOAD_SIZE = 20 + 20 + OFFLINE_RECORD_SIZE;
/** Largest nonce a record can carry. */
export const MAX_OFFLINE_NONCE = (1n << 32n) - 1n;
/** Bit 255 of nonce word 0 marks a wallet's (and a purse period's) bitmap: nonce 255 is never usable. */
export const SENTINEL_NONCE = 255n;
/** Largest time a record can carry (40 bits). */
export const MAX_OFFLINE_TIME = (1n << 40n) - 1n;
/** Half the secp256k1 order: a larger s is the malleable twin of a valid signature, which the contract refuses. */
export const HALF_ORDER = SECP256K1_N / 2n;

/** EIP-712 types of an offline payment; the payer is the signer, not a field. */
export const OFFLINE_PAYMENT_TYPES: Record<string, TypedDataField[]> = {
  OfflinePayment: [
    { name: "payee", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "fromPurse", type: "bool" },
  ],
};

/** EIP-712 types of a signed cancellation. */
export const CANCEL_OFFLINE_PAYMENT_TYPES: Record<string, TypedDataField[]> = {
  CancelOfflinePayment: [
    { name: "payer", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

/** Why a payment of a batch did not settle, in the contract's `OfflineFailure` order (index = enum value). */
export const OFFLINE_FAILURES = [
  "None",
  "BadSignature",
  "NotYetValid",
  "Expired",
  "AlreadyUsed",
  "Cancelled",
  "InsufficientFunds",
  "FundsFrozen",
  "PayerFrozen",
  "DailyLimitExceeded",
  "NoPurse",
  "PurseTermsMismatch",
] as const;
export type OfflineFailureName = (typeof OFFLINE_FAILURES)[number];

/** One sentence per failure, for result tables. */
export const FAILURE_TEXT: Record<OfflineFailureName, string> = {
  None: "settled",
  BadSignature: "bad signature (tampered, signed for another chain, token or payee, or payer not onboarded)",
  NotYetValid: "not yet valid",
  Expired: "expired",
  AlreadyUsed: "already used (double spend)",
  Cancelled: "cancelled by the payer",
  InsufficientFunds: "insufficient funds",
  FundsFrozen: "payer's funds frozen",
  PayerFrozen: "payer's wallet frozen",
  DailyLimitExceeded: "payer's daily limit exceeded",
  NoPurse: "no purse in force",
  PurseTermsMismatch: "purse is for another payee or ends before the payment",
};

/** The EIP-712 domain of the token, built without a network: what the contract's `eip712Domain()` returns. */
export function offlineDomain(chainId: bigint | number, token: string, name = "Digital Tenge"): TypedDataDomain {
  return { name, version: "1", chainId, verifyingContract: getAddress(token) };
}

/* TYPES */

/** The signed fields of an offline payment. */
export interface OfflinePayment {
  payee: string;
  /** Tiyn, 1 .. 2^64 - 1. */
  amount: bigint;
  /** Valid strictly after this Unix time (0 = at once). */
  validAfter: bigint;
  /** Valid strictly before this Unix time. */
  validBefore: bigint;
  /** 0 .. 2^32 - 1, not 255. */
  nonce: bigint;
  /** Drawn from the payer's offline purse rather than its balance. */
  fromPurse: boolean;
}

/** An EIP-2098 compact signature. */
export interface CompactSignature {
  r: string;
  yParityAndS: string;
}

/** A signed payment as it travels: the fields, the claimed payer and the compact signature. */
export interface SignedOfflinePayment extends OfflinePayment {
  payer: string;
  signature: CompactSignature;
}

/* SIGNING AND ENCODING */

/**
 * Throws a one-line error unless every field fits the record and means something: payee non-zero, amount 1 ..
 * 2^64 - 1, times below 2^40 with validAfter < validBefore, nonce 0 .. 2^32 - 1 and not 255.
 * @param payment The fields.
 */
export function checkOfflineFields(payment: OfflinePayment): void {
  if (!isAddress(payment.payee) || getAddress(payment.payee) === ZeroAddress) {
    throw new Error(`payee "${payment.payee}" is not a non-zero address`);
  }
  if (payment.amount <= 0n || payment.amount > MAX_SUPPLY_TIYN) {
    throw new Error(`amount ${payment.amount} tiyn is not between 0.01 and ${formatTenge(MAX_SUPPLY_TIYN)} tenge`);
  }
  for (const [name, value] of [
    ["validAfter", payment.validAfter],
    ["validBefore", payment.validBefore],
  ] as const) {
    if (value < 0n || value > MAX_OFFLINE_TIME) throw new Error(`${name} ${value} is not a Unix time below 2^40`);
  }
  if (payment.validAfter >= payment.validBefore) {
    throw new Error(`validAfter ${payment.validAfter} is not before validBefore ${payment.validBefore}`);
  }
  if (payment.nonce < 0n || payment.nonce > MAX_OFFLINE_NONCE) {
    throw new Error(`nonce ${payment.nonce} is not between 0 and ${MAX_OFFLINE_NONCE}`);
  }
  if (payment.nonce === SENTINEL_NONCE) throw new Error("nonce 255 is never usable (it marks the nonce bitmap)");
}

/** The typed-data value of a payment (what is signed). */
function typedValue(payment: OfflinePayment): Record<string, unknown> {
  return {
    payee: getAddress(payment.payee),
    amount: payment.amount,
    validAfter: payment.validAfter,
    validBefore: payment.validBefore,
    nonce: payment.nonce,
    fromPurse: payment.fromPurse,
  };
}

/**
 * Signs an offline payment with the payer's key (an ethers Wallet works offline).
 * @param signer The payer.
 * @param domain The token's domain ({@link offlineDomain}).
 * @param payment The fields; checked first.
 * @returns The signed payment with the payer's address and a compact signature.
 */
export async function signOfflinePayment(
  signer: Signer,
  domain: TypedDataDomain,
  payment: OfflinePayment,
): Promise<SignedOfflinePayment> {
  checkOfflineFields(payment);
  const signature = Signature.from(await signer.signTypedData(domain, OFFLINE_PAYMENT_TYPES, typedValue(payment)));
  return {
    ...payment,
    payee: getAddress(payment.payee),
    payer: await signer.getAddress(),
    signature: { r: signature.r, yParityAndS: signature.yParityAndS },
  };
}

/**
 * Signs a cancellation of one of the payer's unsettled payments, for `cancelOfflinePaymentWithSignature`.
 * @param signer The payer.
 * @param domain The token's domain.
 * @param nonce The payment's nonce.
 * @returns The compact signature.
 */
export async function signOfflineCancellation(
  signer: Signer,
  domain: TypedDataDomain,
  nonce: bigint,
): Promise<CompactSignature> {
  const payer = await signer.getAddress();
  const signature = Signature.from(await signer.signTypedData(domain, CANCEL_OFFLINE_PAYMENT_TYPES, { payer, nonce }));
  return { r: signature.r, yParityAndS: signature.yParityAndS };
}

/**
 * The 87-byte record the contract reads, as hex.
 * @param payment A signed payment.
 * @returns `0x` and 174 hex digits.
 */
export function encodeOfflineRecord(payment: SignedOfflinePayment): string {
  checkOfflineFields(payment);
  return concat([
    toBeHex(payment.amount, 8),
    toBeHex(payment.validAfter, 5),
    toBeHex(payment.validBefore, 5),
    toBeHex(payment.nonce, 4),
    payment.fromPurse ? "0x01" : "0x00",
    zeroPadValue(payment.signature.r, 32),
    zeroPadValue(payment.signature.yParityAndS, 32),
  ]);
}

/**
 * The `payments` argument of `settleOfflinePayments`: the records back to back.
 * @param payments Signed payments, all to the same payee.
 * @returns The packed bytes as hex.
 */
export function encodeOfflineBatch(payments: readonly SignedOfflinePayment[]): string {
  if (payments.length === 0) throw new Error("a batch needs at least one payment");
  const payee = getAddress(payments[0].payee);
  payments.forEach((p, i) => {
    if (getAddress(p.payee) !== payee)
      throw new Error(`payment ${i} is to ${p.payee}, not to the batch's payee ${payee}`);
  });
  return concat(payments.map(encodeOfflineRecord));
}

function base64url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The QR-ready string of a signed payment: `dtop1:` + base64url of payer, payee and record (170 characters after
 * the prefix).
 * @param payment A signed payment.
 * @returns The string.
 */
export function encodeOfflineQr(payment: SignedOfflinePayment): string {
  const payload = concat([getAddress(payment.payer), getAddress(payment.payee), encodeOfflineRecord(payment)]);
  return QR_PREFIX + base64url(getBytes(payload));
}

/**
 * Decodes a QR string. Checks the prefix, the alphabet, the length and the fields' ranges; not the signature
 * (see {@link verifyOfflinePayment}).
 * @param text The string as scanned (surrounding spaces are ignored).
 * @returns The signed payment.
 */
export function decodeOfflineQr(text: string): SignedOfflinePayment {
  const trimmed = text.trim();
  if (!trimmed.startsWith(QR_PREFIX)) {
    throw new Error(`not an offline payment: expected the prefix "${QR_PREFIX}"`);
  }
  const body = trimmed.slice(QR_PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(body)) throw new Error("offline payment: not base64url after the prefix");
  const bytes = getBytes(decodeBase64(body.replace(/-/g, "+").replace(/_/g, "/")));
  if (bytes.length !== QR_PAYLOAD_SIZE) {
    throw new Error(`offline payment: ${bytes.length} bytes after decoding, expected ${QR_PAYLOAD_SIZE}`);
  }
  const at = (from: number, to: number): string => hexlify(bytes.slice(from, to));
  const flags = bytes[40 + 22];
  if (flags > 1) throw new Error(`offline payment: fromPurse byte is ${flags}, expected 0 or 1`);
  const payment: SignedOfflinePayment = {
    payer: getAddress(at(0, 20)),
    payee: getAddress(at(20, 40)),
    amount: BigInt(at(40, 48)),
    validAfter: BigInt(at(48, 53)),
    validBefore: BigInt(at(53, 58)),
    nonce: BigInt(at(58, 62)),
    fromPurse: flags === 1,
    signature: { r: at(63, 95), yParityAndS: at(95, 127) },
  };
  checkOfflineFields(payment);
  return payment;
}

/* VERIFICATION */

/** What the terminal knows when it verifies offline. */
export interface VerifyOptions {
  /** The terminal's own address: the payment must be to it. */
  payee?: string;
  /** The current Unix time: the payment must be inside its window now. */
  now?: bigint;
}

/** Outcome of {@link verifyOfflinePayment}. */
export interface Verification {
  ok: boolean;
  /** The address the signature recovers to (zero when it recovers to none). */
  signer: string;
  /** One line per problem; empty when ok. */
  problems: string[];
}

/**
 * Verifies a signed payment without a network: the signature is low-s and recovers to the claimed payer in this
 * token's domain, and, when given, the payee and the time fit. It cannot know balances, nonces, freezes or purses:
 * those are settled on chain (use a purse designated to the terminal for guaranteed payments, docs/offline.md).
 * @param payment The decoded payment.
 * @param domain The token's domain ({@link offlineDomain}).
 * @param options The terminal's address and the time.
 * @returns Whether it is acceptable, the signer and the problems.
 */
export function verifyOfflinePayment(
  payment: SignedOfflinePayment,
  domain: TypedDataDomain,
  options: VerifyOptions = {},
): Verification {
  const problems: string[] = [];
  try {
    checkOfflineFields(payment);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const vs = BigInt(payment.signature.yParityAndS);
  const s = vs & ((1n << 255n) - 1n);
  let signer = ZeroAddress;
  if (s > HALF_ORDER || s === 0n) {
    problems.push("signature is malleable or malformed (s is zero or in the upper half of the curve order)");
  } else {
    try {
      const signature = Signature.from({ r: payment.signature.r, yParityAndS: payment.signature.yParityAndS });
      signer = verifyTypedData(domain, OFFLINE_PAYMENT_TYPES, typedValue(payment), signature);
    } catch {
      problems.push("signature does not recover to any address");
    }
  }
  if (signer !== ZeroAddress && signer !== getAddress(payment.payer)) {
    problems.push(
      `signature is not the payer's: it recovers to ${signer}, not ${getAddress(payment.payer)} (tampered, or signed for another chain or token)`,
    );
  }
  if (options.payee !== undefined && getAddress(options.payee) !== getAddress(payment.payee)) {
    problems.push(`payment is to ${getAddress(payment.payee)}, not to ${getAddress(options.payee)}`);
  }
  if (options.now !== undefined) {
    if (options.now <= payment.validAfter) problems.push(`not valid yet (valid after ${payment.validAfter})`);
    if (options.now >= payment.validBefore) problems.push(`expired (valid before ${payment.validBefore})`);
  }
  return { ok: problems.length === 0, signer, problems };
}

/** The EIP-712 digest the contract recovers from (for tests and tools). */
export function offlinePaymentDigest(domain: TypedDataDomain, payment: OfflinePayment): string {
  return TypedDataEncoder.hash(domain, OFFLINE_PAYMENT_TYPES, typedValue(payment));
}

/* SETTLEMENT RESULTS */

/** One failed payment of a batch, from `OfflinePaymentFailed`. */
export interface OfflineFailureRecord {
  index: number;
  payer: string;
  nonce: bigint;
  reason: OfflineFailureName;
}

/** What one settlement transaction did, read from its logs. */
export interface OfflineSettlement {
  payee: string;
  settled: number;
  failed: OfflineFailureRecord[];
  total: bigint;
}

/**
 * Reads a settlement's outcome from its receipt's logs: the failures with their reasons and the summary.
 * @param logs The receipt's logs.
 * @param iface The TengeOffline interface.
 * @returns The outcome; throws when the logs hold no `OfflineBatchSettled`.
 */
export function parseOfflineSettlement(logs: readonly Log[], iface: Interface): OfflineSettlement {
  const failed: OfflineFailureRecord[] = [];
  let summary: { payee: string; settled: number; total: bigint } | undefined;
  for (const log of logs) {
    let parsed;
    try {
      parsed = iface.parseLog(log);
    } catch {
      continue;
    }
    if (parsed?.name === "OfflinePaymentFailed") {
      failed.push({
        index: Number(parsed.args.index),
        payer: String(parsed.args.payer),
        nonce: BigInt(parsed.args.nonce as bigint),
        reason: OFFLINE_FAILURES[Number(parsed.args.reason)] ?? "None",
      });
    } else if (parsed?.name === "OfflineBatchSettled") {
      summary = {
        payee: String(parsed.args.payee),
        settled: Number(parsed.args.settled),
        total: BigInt(parsed.args.total as bigint),
      };
    }
  }
  if (summary === undefined) throw new Error("no OfflineBatchSettled event in the transaction's logs");
  return { ...summary, failed };
}

/* FILES OF PAYMENTS */

/** One payment read from a file of QR strings. */
export interface OfflineFileRow {
  /** 1-based line number. */
  line: number;
  payment: SignedOfflinePayment;
}

/**
 * Reads a file of QR strings, one per line (blank lines and `#` comments skipped), and checks each: it decodes, it is
 * to `payee`, and its signature is its payer's in `domain`. Every bad line is listed in one {@link ProblemsError}.
 * Expiry, funds, nonces and purses are left to the chain, which reports them per payment.
 * @param text The file's content.
 * @param source The file's name, for messages.
 * @param payee The payee every payment must be to.
 * @param domain The token's domain.
 * @returns The payments in file order.
 */
export function parseOfflineFile(
  text: string,
  source: string,
  payee: string,
  domain: TypedDataDomain,
): OfflineFileRow[] {
  const rows: OfflineFileRow[] = [];
  const problems: string[] = [];
  text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .forEach((raw, index) => {
      const content = raw.replace(/\r$/, "").trim();
      if (content === "" || content.startsWith("#")) return;
      const line = index + 1;
      let payment: SignedOfflinePayment;
      try {
        payment = decodeOfflineQr(content);
      } catch (error) {
        problems.push(`line ${line}: ${(error as Error).message}`);
        return;
      }
      const verification = verifyOfflinePayment(payment, domain, { payee });
      if (!verification.ok) {
        problems.push(`line ${line}: ${verification.problems.join("; ")}`);
        return;
      }
      rows.push({ line, payment });
    });
  if (problems.length > 0) throw new ProblemsError(`${source} has ${problemCount(problems.length)}`, problems);
  if (rows.length === 0) throw new Error(`${source} holds no payments`);
  return rows;
}

/** The outcome of one payment of a file, for the result table. */
export interface OfflineResultRow {
  line: number;
  payer: string;
  nonce: bigint;
  amount: bigint;
  fromPurse: boolean;
  /** "settled" or the failure's name. */
  result: OfflineFailureName | "settled";
}

/**
 * The outcome of each payment of a chunk, from the chunk's settlement.
 * @param rows The chunk's payments, in the order they were submitted.
 * @param settlement What the settlement reported.
 * @returns One row per payment.
 */
export function resultRows(rows: readonly OfflineFileRow[], settlement: OfflineSettlement): OfflineResultRow[] {
  const failures = new Map(settlement.failed.map((f) => [f.index, f.reason]));
  return rows.map((row, index) => ({
    line: row.line,
    payer: row.payment.payer,
    nonce: row.payment.nonce,
    amount: row.payment.amount,
    fromPurse: row.payment.fromPurse,
    result: failures.get(index) ?? "settled",
  }));
}

/**
 * A fixed-width text table of results: line, payer, nonce, amount (tenge), source, result.
 * @param rows The rows.
 * @returns The table's lines, header first.
 */
export function formatResultTable(rows: readonly OfflineResultRow[]): string[] {
  const header = ["line", "payer", "nonce", "amount KZT", "from", "result"];
  const cells = rows.map((r) => [
    String(r.line),
    r.payer,
    String(r.nonce),
    formatTenge(r.amount),
    r.fromPurse ? "purse" : "balance",
    r.result === "settled" ? "settled" : `FAILED ${r.result}: ${FAILURE_TEXT[r.result]}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const format = (row: string[]): string =>
    row
      .map((cell, i) => (i === 3 ? cell.padStart(widths[i]) : i === row.length - 1 ? cell : cell.padEnd(widths[i])))
      .join("  ");
  return [format(header), ...cells.map(format)];
}
