import { ZeroAddress, keccak256, toUtf8Bytes } from "ethers";
import { formatTenge } from "../../amounts";
import { reserveReport } from "../../stablecoin";
import type { Participant, PilotContext } from "../context";
import type { PipelineJob } from "../pipeline";
import type { InvariantCheck, InvariantResult, PilotStep, StateProbe } from "./types";
import { kzt } from "./types";

/** Citizens who wrap tenge into the stablecoin. */
const WRAPPERS = 5;
/** Gas limit of a wrap: tenge transferAndCall into the stablecoin, which mints (measured ~90k). */
const WRAP_GAS = 250_000n;
/** Gas limit of a stablecoin transfer (measured ~45k; a first credit writes a new slot). */
const TRANSFER_GAS = 120_000n;
/** Gas limit of an unwrap: burn, then the tenge's transfer to the holder under its tier rules (measured ~70k). */
const UNWRAP_GAS = 200_000n;

/** Amount citizen number `k` of the wrappers asks to wrap: 5,000.00 to 9,938.24 KZT. */
export function wrapAmount(k: number): bigint {
  return kzt("5000") + BigInt(k) * kzt("1234.56");
}

/**
 * The citizens of the stablecoin and gold steps, chosen from the seed's cast without randomness: verified citizens
 * (tier 1 or 2) counted from the end of the list, so they stay clear of the first citizens the compliance step
 * freezes and recovers. Gold's bar buyer (the last tier-2 citizen) is set apart first.
 */
export function marketCitizens(ctx: PilotContext): {
  wrappers: Participant[];
  goldBuyers: Participant[];
  barBuyer: Participant;
} {
  const eligible = ctx.cast.citizens.filter((c, i) => i >= 3 && c.tier >= 1).reverse();
  const barBuyer = eligible.find((c) => c.tier === 2);
  if (!barBuyer) throw new Error("the cast has no fully verified (tier 2) citizen to buy a whole gold bar");
  const rest = eligible.filter((c) => c !== barBuyer);
  if (rest.length < WRAPPERS + 2) {
    throw new Error(
      `the stablecoin and gold steps need ${WRAPPERS + 2} verified citizens, the cast has ${rest.length}`,
    );
  }
  return { wrappers: rest.slice(0, WRAPPERS), goldBuyers: rest.slice(WRAPPERS, WRAPPERS + 4), barBuyer };
}

const wrapAndBack: PilotStep = {
  name: "Customers wrap tenge into the KZTS stablecoin for BNB Chain, pay in it and unwrap; reserves stay 1:1",
  async run(ctx) {
    const { tenge, stablecoin } = ctx.contracts;
    const provider = ctx.hre.ethers.provider;
    const coinAddress = await stablecoin.getAddress();
    const tengeAddress = await tenge.getAddress();
    const { wrappers } = marketCitizens(ctx);
    // The wrap is the holder's own tenge transferAndCall (the stablecoin mints to the payer): their phones send it.
    const funded = await ctx.fundGas(wrappers.map((w) => w.address));

    // 1. Wrap: each within what it may pay today (read from the chain, so two nodes playing one seed agree).
    const jobs: PipelineJob[] = [];
    let wrapped = 0n;
    for (const [k, w] of wrappers.entries()) {
      const account = await tenge.accountOf(w.address);
      const cap = account.available < account.dailyRemaining ? account.available : account.dailyRemaining;
      const amount = wrapAmount(k) < cap ? wrapAmount(k) : cap;
      if (amount === 0n) continue;
      const data = tenge.interface.encodeFunctionData("transferAndCall(address,uint256)", [coinAddress, amount]);
      jobs.push({ sender: w.wallet, to: tengeAddress, data, gasLimit: WRAP_GAS });
      wrapped += amount;
    }
    if (jobs.length < 2) throw new Error("fewer than two citizens could wrap tenge (no balance or daily limit left)");
    await ctx.sendMany("wraps", jobs);

    // 2. One holder pays another in KZTS (a quarter of its stablecoin), as on an exchange or BNB Chain wallet.
    const [payer, payee] = wrappers;
    const paid = (await stablecoin.balanceOf(payer.address)) / 4n;
    await ctx.sendMany("KZTS payment", [
      {
        sender: payer.wallet,
        to: coinAddress,
        data: stablecoin.interface.encodeFunctionData("transfer", [payee.address, paid]),
        gasLimit: TRANSFER_GAS,
      },
    ]);

    // 3. Three holders (the payee among them) unwrap half of what they hold back into tenge.
    const unwrapJobs: PipelineJob[] = [];
    let unwrapped = 0n;
    for (const w of wrappers.slice(1, 4)) {
      const amount = (await stablecoin.balanceOf(w.address)) / 2n;
      if (amount === 0n) continue;
      unwrapJobs.push({
        sender: w.wallet,
        to: coinAddress,
        data: stablecoin.interface.encodeFunctionData("withdraw", [amount, w.address]),
        gasLimit: UNWRAP_GAS,
      });
      unwrapped += amount;
    }
    await ctx.sendMany("unwraps", unwrapJobs);

    // 4. An unwrap above what a holder has is refused by the stablecoin itself.
    const last = wrappers[wrappers.length - 1];
    const held = await stablecoin.balanceOf(last.address);
    await ctx.expectRefusal("an unwrap above the holder's KZTS", "ERC20InsufficientBalance", () =>
      stablecoin.connect(last.wallet.connect(provider)).withdraw.staticCall(held + 1n, last.address),
    );

    // 5. The proof of reserves, from the chain.
    const [locked, supply] = await stablecoin.reserves();
    const report = reserveReport(locked, supply);
    ctx.facts.set("stablecoin", { wrapped, paid, unwrapped, wrappers: jobs.length });
    ctx.report("Stablecoin", {
      "citizens who wrapped": String(jobs.length),
      "wrapped (KZT → KZTS)": formatTenge(wrapped),
      "paid in KZTS between holders": formatTenge(paid),
      "unwrapped (KZTS → KZT)": formatTenge(unwrapped),
      "KZTS supply": formatTenge(report.supply),
      "tenge locked in reserve (KZT)": formatTenge(report.locked),
      "backing ratio": locked === supply ? `1:1 (${report.backingRatio})` : report.backingRatio,
    });
    return (
      `${jobs.length} citizens wrapped ${formatTenge(wrapped)} KZT (gas for ${funded}), ${formatTenge(paid)} KZTS paid, ` +
      `${formatTenge(unwrapped)} unwrapped; supply ${formatTenge(supply)} KZTS, locked ${formatTenge(locked)} KZT ` +
      `(${report.backingRatio})`
    );
  },
};

export const STABLECOIN_STEPS = { wrapAndBack };

/** Every address that ever received KZTS (dev chains: since genesis; live: since the run's first block). */
async function stablecoinHolders(ctx: PilotContext): Promise<string[]> {
  const { stablecoin } = ctx.contracts;
  const holders = new Set<string>();
  for (const e of await ctx.events(stablecoin, stablecoin.filters.Transfer(), ctx.hre.network.live ? undefined : 0)) {
    if (e.args.to !== ZeroAddress) holders.add(e.args.to);
  }
  return [...holders].sort();
}

/** The stablecoin's invariants: reserve covers supply; supply equals Σ balances and Σ mints − Σ burns. */
export const stablecoinInvariants: InvariantCheck = async (ctx) => {
  const { stablecoin, tenge } = ctx.contracts;
  const live = ctx.hre.network.live;
  const results: InvariantResult[] = [];
  const locked = await tenge.balanceOf(await stablecoin.getAddress());
  const supply = await stablecoin.totalSupply();
  const [reportedLocked, reportedSupply] = await stablecoin.reserves();
  const report = reserveReport(locked, supply);
  results.push({
    area: "TengeStablecoin",
    name: "tenge locked in the stablecoin >= KZTS supply (== unless surplus)",
    held: report.held && reportedLocked === locked && reportedSupply === supply && locked - supply === report.surplus,
    detail: `locked ${formatTenge(locked)} KZT, supply ${formatTenge(supply)} KZTS, surplus ${formatTenge(report.surplus)} (${report.backingRatio})`,
  });
  const holders = await stablecoinHolders(ctx);
  const balances = await Promise.all(holders.map((h) => stablecoin.balanceOf(h)));
  const sum = balances.reduce((a, b) => a + b, 0n);
  results.push({
    area: "TengeStablecoin",
    name: "KZTS total supply == Σ balances of every holder (from Transfer events)",
    held: live ? sum <= supply : sum === supply,
    detail: `${formatTenge(supply)} vs ${formatTenge(sum)} KZTS over ${holders.length} holders`,
  });
  if (!live) {
    let minted = 0n;
    let burnt = 0n;
    for (const e of await ctx.events(stablecoin, stablecoin.filters.Transfer(), 0)) {
      if (e.args.from === ZeroAddress) minted += e.args.value;
      if (e.args.to === ZeroAddress) burnt += e.args.value;
    }
    results.push({
      area: "TengeStablecoin",
      name: "KZTS total supply == Σ minted − Σ burnt (every wrap minted, every unwrap burnt)",
      held: minted - burnt === supply,
      detail: `minted ${formatTenge(minted)}, burnt ${formatTenge(burnt)}, supply ${formatTenge(supply)} KZTS`,
    });
  }
  return results;
};

/** The stablecoin's part of the final state: supply, reserve and a digest of every holder's balance. */
export const stablecoinState: StateProbe = async (ctx) => {
  const { stablecoin } = ctx.contracts;
  const [locked, supply] = await stablecoin.reserves();
  const holders = await stablecoinHolders(ctx);
  const balances = await Promise.all(holders.map(async (h) => `${h}:${await stablecoin.balanceOf(h)}`));
  return {
    "stablecoin.totalSupply": supply.toString(),
    "stablecoin.locked": locked.toString(),
    "stablecoin.holders": String(holders.length),
    "stablecoin.balancesDigest": keccak256(toUtf8Bytes(balances.join(","))),
  };
};
