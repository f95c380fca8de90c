import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ZeroAddress, encodeBytes32String, keccak256, toUtf8Bytes } from "ethers";
import { formatTenge } from "../../amounts";
import type { PilotContext } from "../context";
import { pilotWallet } from "../context";
import type { InvariantCheck, InvariantResult, PilotStep, StateProbe } from "./types";
import { kzt } from "./types";

/** Wallets per onboarding or issuance transaction (onboarding costs ~48k gas a wallet: 200 stay under 10M). */
export const CHUNK = 200;

/** Per-bank issuance ceiling in the pilot. */
export const BANK_CEILING = kzt("500000000");

/** Deterministic issuance of citizen `i`, within every tier's holding limit (tier 0: 100,000 KZT). */
export function issuanceOf(i: number): bigint {
  return kzt("60000") + BigInt(i % 50) * kzt("734.56");
}

/** The KYC tier of citizen `i`: one in ten phone-only (0), one in ten fully verified (2), the rest standard (1). */
export function tierOf(i: number): number {
  if (i % 10 === 0) return 0;
  if (i % 10 === 9) return 2;
  return 1;
}

/** The deploy scripts' tags, in the order the suite is built. */
const SUITE_TAGS = ["tenge", "stablecoin", "gold", "programs"];

/**
 * The first step, played before the contracts exist: runs the real deploy scripts (the same `npx hardhat deploy`
 * runs) and books their transactions from the blocks they landed in.
 */
export async function deploySuite(
  hre: HardhatRuntimeEnvironment,
): Promise<{ name: string; transactions: number; gasUsed: bigint; detail: string }> {
  const before = await hre.ethers.provider.getBlockNumber();
  await hre.deployments.run(SUITE_TAGS, {
    resetMemory: false,
    writeDeploymentsToFiles: hre.network.name !== "hardhat",
  });
  const after = await hre.ethers.provider.getBlockNumber();
  let transactions = 0;
  let gasUsed = 0n;
  for (let n = before + 1; n <= after; n++) {
    const block = await hre.ethers.provider.getBlock(n);
    for (const hash of block?.transactions ?? []) {
      const receipt = await hre.ethers.provider.getTransactionReceipt(hash);
      if (receipt) {
        transactions += 1;
        gasUsed += receipt.gasUsed;
      }
    }
  }
  const names = ["DigitalTenge", "TengeStablecoin", "GoldToken", "GoldDesk", "PurposeBoundPrograms"];
  const records = await Promise.all(names.map((n) => hre.deployments.get(n)));
  return {
    name: "Central bank deploys and configures the suite",
    transactions,
    gasUsed,
    detail: records.map((r, i) => `${names[i]} ${r.address.slice(0, 10)}…`).join(", "),
  };
}

const admitBanks: PilotStep = {
  name: "Central bank admits banks with issuance ceilings; pauses and resumes once",
  async run(ctx) {
    const { tenge, cast } = ctx;
    // On a live network the banks' keys are the pilot's own (seed-derived): they need gas for their transactions.
    if (ctx.hre.network.live) await ctx.fundGas(cast.banks.map((b) => b.address));
    for (const bank of cast.banks) {
      const record = await tenge.bankOf(bank.address);
      if (record.id === 0n) await ctx.send(tenge.connect(cast.desk).registerBank(bank.address, BANK_CEILING));
      else await ctx.send(tenge.connect(cast.desk).setIssuanceCeiling(bank.address, BANK_CEILING));
    }
    await ctx.send(tenge.connect(cast.pauser).pause());
    await ctx.expectRefusal("issuance while paused", "EnforcedPause", () =>
      tenge.connect(cast.banks[0].signer).mint.staticCall(cast.banks[0].address, 1n),
    );
    await ctx.send(tenge.connect(cast.pauser).unpause());
    return `${cast.banks.map((b) => b.name).join(", ")}: ceiling ${formatTenge(BANK_CEILING)} KZT each; paused and resumed`;
  },
};

const onboard: PilotStep = {
  name: "Banks onboard citizens, shops, canteens, market vendors and the city (KYC tiers, batched)",
  async run(ctx) {
    const { tenge, cast } = ctx;
    // Terminals and the city's treasury submit transactions: the central bank's account funds their gas once.
    const terminals = [...cast.shops, ...cast.canteens, ...cast.vendors, cast.city];
    const funded = await ctx.fundGas(terminals.map((t) => t.address));
    const bar = ctx.progress("onboarding", cast.citizens.length);
    for (const [b, bank] of cast.banks.entries()) {
      for (const tier of [0, 1, 2]) {
        const wallets = cast.citizens.filter((c) => c.bank === b && c.tier === tier).map((c) => c.address);
        for (let i = 0; i < wallets.length; i += CHUNK) {
          const chunk = wallets.slice(i, i + CHUNK);
          await ctx.send(tenge.connect(bank.signer).onboardBatch(chunk, tier));
          for (let k = 0; k < chunk.length; k++) bar.increment();
        }
      }
      const businesses = terminals.filter((t) => t.bank === b).map((t) => t.address);
      const fresh: string[] = [];
      for (const address of businesses) if (!(await tenge.accountOf(address)).onboarded) fresh.push(address);
      for (let i = 0; i < fresh.length; i += CHUNK) {
        await ctx.send(tenge.connect(bank.signer).onboardBatch(fresh.slice(i, i + CHUNK), 3));
      }
    }
    bar.stop();
    // The city's treasury holds the whole program budget: the central bank lifts its tier limits.
    if (!(await tenge.accountOf(cast.city.address)).exempt) {
      await ctx.send(tenge.connect(cast.desk).setExempt(cast.city.address, true));
    }
    for (const p of [...cast.citizens, ...terminals]) ctx.wallets.add(p.address);
    return (
      `${cast.citizens.length} citizens (tiers 0-2); ${cast.shops.length} shops, ${cast.canteens.length} canteens, ` +
      `${cast.vendors.length} vendors (tier 3); the city (exempt); gas for ${funded} terminals`
    );
  },
};

const issue: PilotStep = {
  name: "Banks issue tenge to their customers against their ceilings (batched)",
  async run(ctx) {
    const { tenge, cast } = ctx;
    let total = 0n;
    const bar = ctx.progress("issuance", cast.citizens.length);
    for (const [b, bank] of cast.banks.entries()) {
      const rows = cast.citizens.map((c, i) => ({ c, i })).filter(({ c }) => c.bank === b);
      for (let start = 0; start < rows.length; start += CHUNK) {
        const chunk = rows.slice(start, start + CHUNK);
        const amounts = chunk.map(({ i }) => issuanceOf(i));
        await ctx.send(
          tenge.connect(bank.signer).mintBatch(
            chunk.map(({ c }) => c.address),
            amounts,
          ),
        );
        total += amounts.reduce((a, v) => a + v, 0n);
        for (let k = 0; k < chunk.length; k++) bar.increment();
      }
    }
    bar.stop();
    // The city's budget for the school-lunch program, issued by its bank.
    const budget = lunchBudget(ctx);
    const cityBank = cast.banks[cast.city.bank];
    await ctx.send(tenge.connect(cityBank.signer).mint(cast.city.address, budget));
    total += budget;
    ctx.report("Issuance", { "issued to citizens and the city (KZT)": formatTenge(total) });
    return `${formatTenge(total)} KZT issued: ${cast.citizens.length} citizens, and ${formatTenge(budget)} KZT to the city`;
  },
};

/** Lunch allowance per child per school day, and the price range of a lunch (always within the allowance). */
export const LUNCH_ALLOWANCE = kzt("1200");

/** The program's budget: a full allowance for every child on every school day played. */
export function lunchBudget(ctx: PilotContext): bigint {
  return LUNCH_ALLOWANCE * BigInt(ctx.options.children) * BigInt(ctx.options.schoolDays);
}

const redeem: PilotStep = {
  name: "Merchants redeem 60% of their takings to non-cash bank money through their banks",
  async run(ctx) {
    const { tenge, cast } = ctx;
    let total = 0n;
    let count = 0;
    const merchants = [...cast.shops, ...cast.canteens, ...cast.vendors];
    for (const [m, merchant] of merchants.entries()) {
      const { available } = await tenge.accountOf(merchant.address);
      const amount = (available * 60n) / 100n; // integer tiyn: the remainder stays with the merchant
      if (amount === 0n) continue;
      const reference = encodeBytes32String(`PILOT-MRC-${m + 1}`);
      await ctx.send(tenge.connect(merchant.wallet.connect(ctx.hre.ethers.provider)).redeem(amount, reference));
      total += amount;
      count += 1;
    }
    ctx.report("Issuance", { "redeemed by merchants (KZT)": formatTenge(total) });
    return `${count} merchants redeemed ${formatTenge(total)} KZT (burnt; their banks credit bank money)`;
  },
};

const compliance: PilotStep = {
  name: "Compliance freezes a wallet by court order; a bank recovers a lost card's wallet",
  async run(ctx) {
    const { tenge, cast } = ctx;
    const suspect = cast.citizens[1];
    await ctx.send(
      tenge.connect(cast.compliance).freeze(suspect.address, encodeBytes32String("COURT-ORDER-2026-0417")),
    );
    const payer = cast.citizens[0];
    await ctx.expectRefusal("payment to a frozen wallet", "DigitalTengeAccountFrozen", () =>
      tenge.connect(payer.wallet.connect(ctx.hre.ethers.provider)).transfer.staticCall(suspect.address, 1n),
    );
    const lost = cast.citizens[2];
    const replacement = pilotWallet(ctx.options.seed, "recovered", 0);
    const bank = cast.banks[lost.bank];
    const balance = await tenge.balanceOf(lost.address);
    await ctx.send(tenge.connect(bank.signer).recoverWallet(lost.address, replacement.address));
    ctx.wallets.add(replacement.address);
    ctx.report("Compliance", {
      "frozen by court order": suspect.address,
      "recovered (KZT)": `${formatTenge(balance)} to ${replacement.address.slice(0, 10)}…`,
    });
    return `wallet ${suspect.address.slice(0, 10)}… frozen; ${formatTenge(balance)} KZT recovered to a new wallet by ${bank.name}`;
  },
};

/** Steps of the tenge's own story, in the order the pilot plays them (see PILOT_STEPS for the whole story). */
export const CORE_STEPS = { admitBanks, onboard, issue, redeem, compliance };

/** Every wallet that ever received tenge, rebuilt from the chain's Transfer events, plus the pilot's wallets. */
export async function tengeHolders(ctx: PilotContext): Promise<string[]> {
  const { tenge } = ctx;
  const holders = new Set<string>(ctx.wallets);
  // Every holder since genesis on a development chain (a node reused with another seed has earlier holders); from
  // this run's first block on a live network, where a scan from genesis is neither possible nor meaningful.
  for (const event of await ctx.events(tenge, tenge.filters.Transfer(), ctx.hre.network.live ? undefined : 0)) {
    if (event.args.to !== ZeroAddress) holders.add(event.args.to);
  }
  return [...holders].sort();
}

/** The tenge's invariants: supply against balances and banks, ceilings, tier limits. */
export const tengeInvariants: InvariantCheck = async (ctx) => {
  const { tenge, cast } = ctx;
  const results: InvariantResult[] = [];
  const supply = await tenge.totalSupply();
  const holders = await tengeHolders(ctx);
  const limits = await Promise.all([0, 1, 2, 3].map((t) => tenge.tierLimits(t)));
  let sum = 0n;
  let overLimit = 0;
  const ledger = await tenge.VAT_LEDGER();
  const accounts = await Promise.all(holders.map((w) => tenge.accountOf(w)));
  for (const [i, account] of accounts.entries()) {
    if (holders[i] === ledger) continue; // counted once below
    // accountOf shows nothing for a wallet not onboarded: the token's own address (Σ offline purses), say.
    sum += account.onboarded ? account.balance : await tenge.balanceOf(holders[i]);
    if (!account.onboarded || account.exempt) continue;
    if (account.balance > limits[Number(account.tier)][0]) overLimit += 1;
  }
  // Marked VAT is held in the VAT payers' words, outside their balances: VAT_LEDGER's balanceOf reports it (its
  // accountOf is empty, so it was not counted above).
  sum += await tenge.balanceOf(ledger);
  results.push({
    area: "DigitalTenge",
    name: "total supply == Σ balances (incl. marked VAT)",
    held: ctx.hre.network.live ? sum <= supply : supply === sum,
    detail: `${formatTenge(supply)} vs ${formatTenge(sum)} KZT over ${holders.length} wallets that received tenge`,
  });
  let outstanding = 0n;
  const overCeiling: string[] = [];
  for (const bank of cast.banks) {
    const record = await tenge.bankOf(bank.address);
    outstanding += record.outstanding;
    if (record.outstanding > BigInt(record.ceiling)) overCeiling.push(bank.name);
  }
  results.push({
    area: "DigitalTenge",
    name: "Σ banks' outstanding issuance == total supply",
    held: outstanding === supply,
    detail: `${formatTenge(outstanding)} vs ${formatTenge(supply)} KZT`,
  });
  results.push({
    area: "DigitalTenge",
    name: "no bank above its issuance ceiling",
    held: overCeiling.length === 0,
    detail: overCeiling.length === 0 ? `${cast.banks.length} banks within ceiling` : `over: ${overCeiling.join(", ")}`,
  });
  results.push({
    area: "DigitalTenge",
    name: "no wallet above its tier's holding limit",
    held: overLimit === 0,
    detail: `${overLimit} breaches over ${accounts.filter((a) => a.onboarded && !a.exempt).length} limited wallets`,
  });
  return results;
};

/** The tenge's part of the final state: supply, banks, and a digest of every holder's balance. */
export const tengeState: StateProbe = async (ctx) => {
  const { tenge, cast } = ctx;
  const state: Record<string, string> = { "tenge.totalSupply": (await tenge.totalSupply()).toString() };
  for (const bank of cast.banks) {
    state[`tenge.outstanding.${bank.name}`] = (await tenge.bankOf(bank.address)).outstanding.toString();
  }
  const holders = await tengeHolders(ctx);
  const balances = await Promise.all(holders.map(async (h) => `${h}:${await tenge.balanceOf(h)}`));
  state["tenge.holders"] = String(holders.length);
  state["tenge.balancesDigest"] = keccak256(toUtf8Bytes(balances.join(",")));
  return state;
};
