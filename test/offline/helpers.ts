import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { Signature, Wallet, concat, dataSlice, id, toBeHex } from "ethers";
import type { ContractTransactionReceipt, Signer, TypedDataDomain } from "ethers";
import type { TengeOffline } from "../../typechain-types";
import { SECP256K1_N, domainOf } from "../../scripts/lib/eip712";
import {
  OFFLINE_FAILURES,
  OFFLINE_PAYMENT_TYPES,
  encodeOfflineBatch,
  encodeOfflineRecord,
  parseOfflineSettlement,
  signOfflinePayment,
} from "../../scripts/lib/offline";
import type {
  CompactSignature,
  OfflineFailureName,
  OfflinePayment,
  OfflineSettlement,
  SignedOfflinePayment,
} from "../../scripts/lib/offline";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";

/** Purse caps the fixture sets, tiers 0-3 (tiyn). */
export const PURSE_CAPS: [bigint, bigint, bigint, bigint] = [kzt("5000"), kzt("20000"), kzt("50000"), 0n];

/** Anything that signs typed data: an ethers Wallet (offline) or a node's signer. */
export type Payer = Signer;

/** A fixed wallet derived from `label`, connected to the in-process chain. */
export function wallet(label: string): Wallet {
  return new Wallet(id(`digital-tenge offline test ${label}`), ethers.provider);
}

/**
 * {@link tengeFixture} plus offline payments: purse caps set (tier 0-3: 5,000 / 20,000 / 50,000 / 0 KZT), the
 * TengeOffline ABI at the token's address, the token's EIP-712 domain, and three offline payers onboarded by bank A
 * at tier 1 with 1,000 KZT each and gas to send their own transactions (dave, erin, frank).
 */
export async function offlineFixture() {
  const base = await loadFixture(tengeFixture);
  const { tenge, roles, banks, users } = base;
  const offline = await ethers.getContractAt("TengeOffline", await tenge.getAddress());
  await (await offline.connect(roles.desk).setOfflinePurseCaps(PURSE_CAPS)).wait();
  const payers = { dave: wallet("dave"), erin: wallet("erin"), frank: wallet("frank") };
  const list = Object.values(payers);
  await (await tenge.connect(banks.bankA).onboardBatch(list, 1)).wait();
  await (
    await tenge.connect(banks.bankA).mintBatch(
      list.map((p) => p.address),
      list.map(() => kzt("1000")),
    )
  ).wait();
  for (const p of list) {
    await (await roles.centralBank.sendTransaction({ to: p.address, value: ethers.parseEther("10") })).wait();
  }
  const domain = await domainOf(tenge);
  const holders = [
    ...Object.values(users).map((u) => u.address),
    ...list.map((p) => p.address),
    await tenge.getAddress(),
  ];
  return { ...base, offline, domain, payers, holders };
}

export type OfflineCtx = Awaited<ReturnType<typeof offlineFixture>>;

/** Now on chain (the last block's timestamp). */
export async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** A payment to `payee` of `amount` tenge valid for a day from now, nonce 0, from the balance; `overrides` win. */
export async function payment(
  payee: string,
  amount: string,
  overrides: Partial<OfflinePayment> = {},
): Promise<OfflinePayment> {
  return {
    payee,
    amount: kzt(amount),
    validAfter: 0n,
    validBefore: (await now()) + 86_400n,
    nonce: 0n,
    fromPurse: false,
    ...overrides,
  };
}

/** Signs `p` as `payer` in the token's domain (or `domain`). */
export function sign(payer: Payer, p: OfflinePayment, domain: TypedDataDomain): Promise<SignedOfflinePayment> {
  return signOfflinePayment(payer, domain, p);
}

/** What a settlement transaction did: its receipt and its parsed events. */
export interface Settled {
  receipt: ContractTransactionReceipt;
  result: OfflineSettlement;
}

/** Submits `records` (hex, already packed) as `caller` for `payee` and reads the outcome. */
export async function settleRaw(
  ctx: OfflineCtx,
  caller: { address: string } & Parameters<TengeOffline["connect"]>[0],
  payee: string,
  records: string,
): Promise<Settled> {
  const receipt = await (await ctx.offline.connect(caller).settleOfflinePayments(payee, records)).wait();
  if (receipt === null) throw new Error("no receipt");
  return { receipt, result: parseOfflineSettlement(receipt.logs, ctx.offline.interface) };
}

/** Submits signed payments as the merchant (their payee) and reads the outcome. */
export async function settle(ctx: OfflineCtx, payments: readonly SignedOfflinePayment[]): Promise<Settled> {
  return settleRaw(ctx, ctx.users.merchant, ctx.users.merchant.address, encodeOfflineBatch(payments));
}

/** The outcome of each payment in order: "settled" or its failure reason. */
export function outcomes(settled: Settled, count: number): string[] {
  const out: string[] = Array.from({ length: count }, () => "settled");
  for (const f of settled.result.failed) out[f.index] = f.reason;
  return out;
}

/** Asserts each payment's outcome, the summary counts and that `settled + failed == submitted`. */
export function expectOutcomes(settled: Settled, expected: readonly (OfflineFailureName | "settled")[]): void {
  expect(outcomes(settled, expected.length)).to.deep.equal(expected);
  const failed = expected.filter((e) => e !== "settled").length;
  expect(settled.result.settled, "settled count").to.equal(expected.length - failed);
  expect(settled.result.failed.length, "failed count").to.equal(failed);
}

/** The enum value of a failure name, for `withArgs`. */
export function reason(name: OfflineFailureName): bigint {
  return BigInt(OFFLINE_FAILURES.indexOf(name));
}

/** A record with the byte range [from, to) replaced by `bytes` (hex). */
export function patchRecord(p: SignedOfflinePayment, from: number, bytes: string): string {
  const record = encodeOfflineRecord(p);
  const length = (bytes.length - 2) / 2;
  return concat([dataSlice(record, 0, from), bytes, dataSlice(record, from + length)]);
}

/**
 * The invariants of offline payments, read from the chain: the token's address holds exactly Σ purses,
 * `totalSupply == Σ balances` over every holder (the token's address included), and `totalSupply == Σ outstanding`.
 */
export async function expectOfflineInvariants(ctx: OfflineCtx, extraHolders: readonly string[] = []): Promise<void> {
  const { tenge, offline } = ctx;
  const holders = [...new Set([...ctx.holders, ...extraHolders])];
  let balances = 0n;
  let purses = 0n;
  for (const h of holders) {
    balances += await tenge.balanceOf(h);
    purses += (await offline.purseOf(h)).amount;
  }
  const escrow = await tenge.balanceOf(await tenge.getAddress());
  expect(escrow, "token address holds Σ purses").to.equal(purses);
  expect(await tenge.totalSupply(), "totalSupply == Σ balances (token address included)").to.equal(balances);
  let outstanding = 0n;
  for (const bank of [ctx.banks.bankA, ctx.banks.bankB]) outstanding += (await tenge.bankOf(bank)).outstanding;
  expect(await tenge.totalSupply(), "totalSupply == Σ outstanding").to.equal(outstanding);
}

/** Signs without the library's field checks (for fields the library refuses, such as nonce 255). */
export async function signUnchecked(
  payer: Payer,
  domain: TypedDataDomain,
  p: OfflinePayment,
): Promise<SignedOfflinePayment> {
  const signature = Signature.from(await payer.signTypedData(domain, OFFLINE_PAYMENT_TYPES, { ...p }));
  return { ...p, payer: await payer.getAddress(), signature: { r: signature.r, yParityAndS: signature.yParityAndS } };
}

/** The record of `p` without the library's field checks. */
export function recordUnchecked(p: SignedOfflinePayment): string {
  return concat([
    toBeHex(p.amount, 8),
    toBeHex(p.validAfter, 5),
    toBeHex(p.validBefore, 5),
    toBeHex(p.nonce, 4),
    p.fromPurse ? "0x01" : "0x00",
    p.signature.r,
    p.signature.yParityAndS,
  ]);
}

/** The malleable twin of a compact signature: s' = n - s, parity flipped. Same signer for plain ecrecover. */
export function malleable(sig: CompactSignature): CompactSignature {
  const vs = BigInt(sig.yParityAndS);
  const parity = vs >> 255n;
  const s = vs & ((1n << 255n) - 1n);
  const twin = SECP256K1_N - s;
  return { r: sig.r, yParityAndS: toBeHex(((1n - parity) << 255n) | twin, 32) };
}
