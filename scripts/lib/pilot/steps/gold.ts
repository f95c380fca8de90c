import { Interface, ZeroAddress, keccak256, toUtf8Bytes } from "ethers";
import { formatTenge } from "../../amounts";
import {
  BAR_STATUS,
  barFieldText,
  buyCost,
  encodeBarField,
  encodeBuyOrder,
  formatGrams,
  formatPrice,
} from "../../gold";
import { checkBars } from "../../gold-batch";
import type { BarItem } from "../../gold-batch";
import type { Participant, PilotContext } from "../context";
import { pilotNonce } from "../context";
import type { PipelineJob } from "../pipeline";
import { marketCitizens } from "./stablecoin";
import type { InvariantCheck, InvariantResult, PilotStep, StateProbe } from "./types";
import { kzt } from "./types";

/** The oracle's price of one gram of fine gold: 52,000.00 KZT. */
export const GOLD_PRICE = kzt("52000");
/** The buyers' slippage bound: 1% above the price they saw. */
const SLIPPAGE_BPS = 100n;
/** Orders are void ten minutes after they are signed (gold:buy's default). */
const DEADLINE_SECONDS = 600n;
/** Gas limit of a desk purchase by tenge transferAndCall (measured ~94-99k with a refund). */
const BUY_GAS = 250_000n;
const REFINER = "Tau-Ken Altyn";
const VAULT = "NBK Almaty vault";

/**
 * The bars the custodian registers: three ~1 kg bars for the desk's retail inventory and one 20 g bar, the size the
 * National Bank sells to the public, for a citizen to take home. Fine weight = gross weight × fineness, exact in mg.
 */
const BARS: { grossMg: bigint; fineness: number }[] = [
  { grossMg: 1_000_000n, fineness: 9999 },
  { grossMg: 1_000_000n, fineness: 9999 },
  { grossMg: 1_000_000n, fineness: 9995 },
  { grossMg: 20_000n, fineness: 9999 },
];

/** The pilot's bar serials, from the seed (8 hex digits of a seed-derived nonce, as a refiner would stamp them). */
export function barSerial(seed: string, i: number): string {
  return `TKA-${pilotNonce(seed, "gold bar", i).slice(2, 10).toUpperCase()}`;
}

/** Grams citizen number `k` of the buyers asks for at the desk: 0.250, 0.375, 0.500, 0.625 g. */
export function goldOrderMg(k: number): bigint {
  return 250n + BigInt(k) * 125n;
}

const goldDesk: PilotStep = {
  name: "The custodian registers gold bars; the oracle prices gold; citizens buy at the desk; one redeems a bar",
  async run(ctx) {
    const { tenge, gold, desk } = ctx.contracts;
    const { cast, options } = ctx;
    const provider = ctx.hre.ethers.provider;
    const deskAddress = await desk.getAddress();
    const tengeAddress = await tenge.getAddress();
    const { goldBuyers, barBuyer } = marketCitizens(ctx);

    // 1. The custodian registers the bars to the desk's inventory (every row checked on chain first).
    const items: BarItem[] = BARS.map((bar, i) => {
      const serialText = barSerial(options.seed, i);
      return {
        line: i + 1,
        serialText,
        serial: encodeBarField(serialText, "serial"),
        refiner: encodeBarField(REFINER, "refiner"),
        fineWeightMg: (bar.grossMg * BigInt(bar.fineness)) / 10_000n,
        fineness: bar.fineness,
        vault: encodeBarField(VAULT, "vault"),
        recipient: deskAddress,
      };
    });
    const problems = await checkBars(gold, items);
    if (problems.length > 0) throw new Error(`cannot register the pilot's bars: ${problems[0]}`);
    await ctx.send(
      gold.connect(cast.custodian).addBars(
        items.map((b) => ({
          serial: b.serial,
          refiner: b.refiner,
          vault: b.vault,
          recipient: b.recipient,
          fineWeightMg: b.fineWeightMg,
          fineness: b.fineness,
        })),
      ),
    );
    const registered = items.reduce((sum, b) => sum + b.fineWeightMg, 0n);

    // 2. The oracle publishes the price, observed at the chain's time (the desk refuses a price from the future).
    await ctx.send(desk.connect(cast.priceOracle).publishPrice(GOLD_PRICE, await ctx.now()));
    const { feeBps } = await desk.config();
    const maxPrice = (GOLD_PRICE * (10_000n + SLIPPAGE_BPS)) / 10_000n;

    // 3. The banks record their customers' tenge status in gold (gold:sync): only permitted wallets may hold gold.
    const buyers: Participant[] = [...goldBuyers, barBuyer];
    for (const [b, bank] of cast.banks.entries()) {
      const mine = buyers.filter((p) => p.bank === b).map((p) => p.address);
      if (mine.length > 0) await ctx.send(gold.connect(bank.signer).syncParticipants(mine));
    }
    const funded = await ctx.fundGas(buyers.map((p) => p.address));

    // 4. Citizens buy gold at the desk: one tenge transferAndCall each, paying the quote at their maximum price;
    // the desk delivers the gold and refunds the difference in the same transaction. Orders stay within what each
    // may pay today (read from the chain, so two nodes playing one seed agree).
    const deadline = (await ctx.now()) + DEADLINE_SECONDS;
    const jobs: PipelineJob[] = [];
    for (const [k, buyer] of goldBuyers.entries()) {
      const account = await tenge.accountOf(buyer.address);
      const cap = account.available < account.dailyRemaining ? account.available : account.dailyRemaining;
      let amount = goldOrderMg(k);
      while (amount > 0n && buyCost(amount, maxPrice, feeBps).total > cap) amount /= 2n;
      if (amount === 0n) continue;
      const pay = buyCost(amount, maxPrice, feeBps).total;
      const data = tenge.interface.encodeFunctionData("transferAndCall(address,uint256,bytes)", [
        deskAddress,
        pay,
        encodeBuyOrder(amount, maxPrice, deadline),
      ]);
      jobs.push({ sender: buyer.wallet, to: tengeAddress, data, gasLimit: BUY_GAS });
    }
    if (jobs.length === 0) throw new Error("no citizen could afford gold at the desk (no balance or daily limit left)");
    const receipts = await ctx.sendMany("gold purchases", jobs);
    let citizensMg = 0n;
    let citizensPaid = 0n;
    let citizensFees = 0n;
    for (const r of receipts) {
      const bought = boughtIn(r.logs, desk.interface, deskAddress);
      citizensMg += bought.amountMg;
      citizensPaid += bought.cost + bought.fee;
      citizensFees += bought.fee;
    }

    // 5. A fully verified citizen buys a whole 20 g bar's fine weight: her bank first issues the tenge from her
    // deposit account, then she pays the desk the same way.
    const bar = items[items.length - 1];
    const barPay = buyCost(bar.fineWeightMg, maxPrice, feeBps).total;
    const investor = await tenge.accountOf(barBuyer.address);
    if (investor.available < barPay) {
      const bank = cast.banks[barBuyer.bank];
      await ctx.send(tenge.connect(bank.signer).mint(barBuyer.address, barPay - investor.available));
    }
    const barBuyerWallet = barBuyer.wallet.connect(provider);
    const barReceipt = await ctx.send(
      tenge
        .connect(barBuyerWallet)
        ["transferAndCall(address,uint256,bytes)"](
          deskAddress,
          barPay,
          encodeBuyOrder(bar.fineWeightMg, maxPrice, (await ctx.now()) + DEADLINE_SECONDS),
        ),
    );
    const barBought = boughtIn(barReceipt.logs, desk.interface, deskAddress);

    // 6. A holding smaller than a bar cannot be redeemed for it (it is sold at the desk instead).
    const small = goldBuyers[0];
    await ctx.expectRefusal("a bar redemption by a holder of less than the bar", "ERC20InsufficientBalance", () =>
      gold.connect(small.wallet.connect(provider)).redeemBar.staticCall(bar.serial),
    );

    // 7. She redeems the bar (its fine weight burnt, the bar allocated to her); the custodian delivers and records it.
    await ctx.send(gold.connect(barBuyerWallet).redeemBar(bar.serial));
    await ctx.send(gold.connect(cast.custodian).releaseBar(bar.serial));
    const released = await gold.barOf(bar.serial);

    const backing = await gold.backing();
    ctx.facts.set("gold", { serial: bar.serial, redeemer: barBuyer.address });
    ctx.report("Gold", {
      "bars registered": `${items.length} (${formatGrams(registered)} fine, ${REFINER})`,
      "price (oracle)": formatPrice(GOLD_PRICE),
      "fine gold in vault": `${formatGrams(backing.inVaultFineWeightMg)} in ${backing.barsInVault} bars`,
      "tokens in circulation": formatGrams(backing.totalSupply),
      "bought at the desk": `${formatGrams(citizensMg + barBought.amountMg)} by ${jobs.length + 1} citizens`,
      "paid at the desk incl. fee (KZT)": formatTenge(citizensPaid + barBought.cost + barBought.fee),
      "fees to the treasury (KZT)": formatTenge(citizensFees + barBought.fee),
      "bar redeemed": `${bar.serialText} (${formatGrams(bar.fineWeightMg)}), ${BAR_STATUS[Number(released.status)]} to ${barBuyer.name}`,
    });
    return (
      `${items.length} bars (${formatGrams(registered)}) at ${formatPrice(GOLD_PRICE)}; ${jobs.length} citizens bought ` +
      `${formatGrams(citizensMg)} for ${formatTenge(citizensPaid)} KZT (gas for ${funded}); ${barBuyer.name} bought and ` +
      `redeemed bar ${bar.serialText} (${formatGrams(bar.fineWeightMg)}); ${formatGrams(backing.totalSupply)} in circulation`
    );
  },
};

/** The desk's GoldBought event in a purchase's logs. */
function boughtIn(
  logs: readonly { address: string; topics: readonly string[]; data: string }[],
  iface: Interface,
  deskAddress: string,
): { amountMg: bigint; cost: bigint; fee: bigint } {
  for (const log of logs) {
    if (log.address.toLowerCase() !== deskAddress.toLowerCase()) continue;
    const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed?.name === "GoldBought") {
      return {
        amountMg: parsed.args.amountMg as bigint,
        cost: parsed.args.cost as bigint,
        fee: parsed.args.fee as bigint,
      };
    }
  }
  throw new Error("a desk purchase emitted no GoldBought event");
}

export const GOLD_STEPS = { goldDesk };

/** Where event scans start: genesis on a development chain, this run's first block on a live network. */
function scanFrom(ctx: PilotContext): number | undefined {
  return ctx.hre.network.live ? undefined : 0;
}

/** Every bar ever registered, read page by page from the chain. */
async function allBars(ctx: PilotContext) {
  const { gold } = ctx.contracts;
  const count = (await gold.backing()).barsRegistered;
  const bars = [];
  for (let start = 0n; start < count; start += 100n) bars.push(...(await gold.barsPage(start, 100n)));
  return bars;
}

/** Every address that ever received gold (see {@link scanFrom}). */
async function goldHolders(ctx: PilotContext): Promise<string[]> {
  const { gold } = ctx.contracts;
  const holders = new Set<string>();
  for (const e of await ctx.events(gold, gold.filters.Transfer(), scanFrom(ctx))) {
    if (e.args.to !== ZeroAddress) holders.add(e.args.to);
  }
  return [...holders].sort();
}

/** Net change of each address in the ERC-20 Transfer logs of `token` within one transaction. */
function netFlows(
  logs: readonly { address: string; topics: readonly string[]; data: string }[],
  token: string,
  iface: Interface,
): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const log of logs) {
    if (log.address.toLowerCase() !== token.toLowerCase()) continue;
    const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed?.name !== "Transfer") continue;
    const [from, to, value] = [parsed.args[0] as string, parsed.args[1] as string, parsed.args[2] as bigint];
    net.set(from, (net.get(from) ?? 0n) - value);
    net.set(to, (net.get(to) ?? 0n) + value);
  }
  return net;
}

/** The gold token's invariants (full backing, Σ balances, bar counters) and the desk's (DvP, rounding, inventory). */
export const goldInvariants: InvariantCheck = async (ctx) => {
  const { gold, desk, tenge } = ctx.contracts;
  const live = ctx.hre.network.live;
  const results: InvariantResult[] = [];

  // GoldToken: full backing, bar by bar.
  const backing = await gold.backing();
  const bars = await allBars(ctx);
  const inVault = bars.filter((b) => Number(b.status) === 1);
  const inVaultMg = inVault.reduce((sum, b) => sum + b.fineWeightMg, 0n);
  results.push({
    area: "GoldToken",
    name: "total supply == Σ fine weight of the bars in the vault == the vault counter (full backing)",
    held: backing.totalSupply === inVaultMg && backing.inVaultFineWeightMg === inVaultMg,
    detail: `supply ${formatGrams(backing.totalSupply)}, ${inVault.length} bars in vault ${formatGrams(inVaultMg)}, counter ${formatGrams(backing.inVaultFineWeightMg)}`,
  });
  const allocated = bars.filter((b) => Number(b.status) === 2).length;
  results.push({
    area: "GoldToken",
    name: "bar counters match the registry (in vault, allocated, registered)",
    held:
      backing.barsInVault === BigInt(inVault.length) &&
      backing.barsAllocated === BigInt(allocated) &&
      backing.barsRegistered === BigInt(bars.length),
    detail: `${backing.barsInVault} in vault, ${backing.barsAllocated} allocated, ${backing.barsRegistered} registered`,
  });
  const holders = await goldHolders(ctx);
  const balances = await Promise.all(holders.map((h) => gold.balanceOf(h)));
  const sum = balances.reduce((a, b) => a + b, 0n);
  results.push({
    area: "GoldToken",
    name: "total supply == Σ balances of every holder (from Transfer events)",
    held: live ? sum <= backing.totalSupply : sum === backing.totalSupply,
    detail: `${formatGrams(backing.totalSupply)} vs ${formatGrams(sum)} over ${holders.length} holders`,
  });
  const fact = ctx.facts.get("gold") as { serial: string; redeemer: string } | undefined;
  if (fact) {
    const bar = await gold.barOf(fact.serial);
    const redeemed = await ctx.events(gold, gold.filters.BarRedeemed(fact.serial));
    results.push({
      area: "GoldToken",
      name: "the redeemed bar left the backing with its fine weight burnt from its holder",
      held:
        Number(bar.status) !== 1 &&
        bar.holder === fact.redeemer &&
        redeemed.length === 1 &&
        redeemed[0].args.holder === fact.redeemer &&
        redeemed[0].args.fineWeightMg === bar.fineWeightMg,
      detail: `bar ${barFieldText(fact.serial)} ${BAR_STATUS[Number(bar.status)]} to ${bar.holder.slice(0, 10)}…`,
    });
  }

  // GoldDesk: every purchase of this run was delivery versus payment, at the documented rounding.
  const deskAddress = await desk.getAddress();
  const tengeAddress = await tenge.getAddress();
  const goldAddress = await gold.getAddress();
  const { feeBps, treasury } = await desk.config();
  const purchases = await ctx.events(desk, desk.filters.GoldBought());
  let broken = 0;
  for (const e of purchases) {
    const { buyer, amountMg, priceTiynPerGram, cost, fee } = e.args;
    const expected = buyCost(amountMg, priceTiynPerGram, feeBps);
    const receipt = await ctx.hre.ethers.provider.getTransactionReceipt(e.transactionHash);
    const logs = receipt?.logs ?? [];
    const money = netFlows(logs, tengeAddress, tenge.interface);
    const metal = netFlows(logs, goldAddress, gold.interface);
    const ok =
      cost === expected.cost &&
      fee === expected.fee &&
      money.get(buyer) === 0n - (cost + fee) &&
      money.get(deskAddress) === cost &&
      (fee === 0n || money.get(treasury) === fee) &&
      [...money.values()].reduce((a, v) => a + v, 0n) === 0n &&
      metal.get(buyer) === amountMg &&
      metal.get(deskAddress) === 0n - amountMg;
    if (!ok) broken += 1;
  }
  results.push({
    area: "GoldDesk",
    name: "every purchase: gold to the buyer and cost + fee from it in one tx, rounded up, tenge flows sum to zero",
    held: broken === 0,
    detail: `${purchases.length} purchases this run, ${broken} broken`,
  });

  // GoldDesk inventory: what it holds == what it received − what it delivered (bars, trades, withdrawals).
  const from = scanFrom(ctx);
  const start = from === 0 ? { gold: 0n, tenge: 0n } : await balancesAt(ctx, deskAddress);
  const scanStart = from ?? Number(ctx.facts.get("firstBlock") ?? 0) + 1;
  let goldLedger = start.gold;
  let tengeLedger = start.tenge;
  for (const e of await ctx.events(gold, gold.filters.BarAdded(), scanStart)) {
    if (e.args.recipient === deskAddress) goldLedger += e.args.fineWeightMg;
  }
  for (const e of await ctx.events(desk, desk.filters.GoldBought(), scanStart)) {
    goldLedger -= e.args.amountMg;
    tengeLedger += e.args.cost;
  }
  for (const e of await ctx.events(desk, desk.filters.GoldSold(), scanStart)) {
    goldLedger += e.args.amountMg;
    tengeLedger -= e.args.proceeds + e.args.fee;
  }
  for (const e of await ctx.events(desk, desk.filters.InventoryWithdrawn(), scanStart)) {
    if (e.args.asset === goldAddress) goldLedger -= e.args.amount;
    if (e.args.asset === tengeAddress) tengeLedger -= e.args.amount;
  }
  const [deskGold, deskTenge] = await Promise.all([gold.balanceOf(deskAddress), tenge.balanceOf(deskAddress)]);
  results.push({
    area: "GoldDesk",
    name: "desk's gold == bars registered to it − sold + bought back − withdrawn",
    held: deskGold === goldLedger,
    detail: `${formatGrams(deskGold)} held vs ${formatGrams(goldLedger)} from events`,
  });
  results.push({
    area: "GoldDesk",
    name: "desk's tenge == Σ purchase costs − Σ sale payouts − withdrawn (fees went to the treasury)",
    held: deskTenge === tengeLedger,
    detail: `${formatTenge(deskTenge)} held vs ${formatTenge(tengeLedger)} KZT from events`,
  });
  return results;
};

/** The desk's gold and tenge at the run's first block (live networks, where history is not scanned from genesis). */
async function balancesAt(ctx: PilotContext, deskAddress: string): Promise<{ gold: bigint; tenge: bigint }> {
  const blockTag = Number(ctx.facts.get("firstBlock") ?? 0);
  if ((await ctx.hre.ethers.provider.getCode(deskAddress, blockTag)) === "0x") return { gold: 0n, tenge: 0n };
  const { gold, tenge } = ctx.contracts;
  return {
    gold: await gold.balanceOf(deskAddress, { blockTag }),
    tenge: await tenge.balanceOf(deskAddress, { blockTag }),
  };
}

/** Gold's part of the final state: supply, bars, the desk's inventory and a digest of every holder's balance. */
export const goldState: StateProbe = async (ctx) => {
  const { gold, desk, tenge } = ctx.contracts;
  const backing = await gold.backing();
  const holders = await goldHolders(ctx);
  const balances = await Promise.all(holders.map(async (h) => `${h}:${await gold.balanceOf(h)}`));
  const bars = await allBars(ctx);
  const deskAddress = await desk.getAddress();
  return {
    "gold.totalSupply": backing.totalSupply.toString(),
    "gold.barsRegistered": backing.barsRegistered.toString(),
    "gold.barsInVault": backing.barsInVault.toString(),
    "gold.barsAllocated": backing.barsAllocated.toString(),
    "gold.barsDigest": keccak256(toUtf8Bytes(bars.map((b) => `${b.serial}:${b.status}:${b.holder}`).join(","))),
    "gold.holders": String(holders.length),
    "gold.balancesDigest": keccak256(toUtf8Bytes(balances.join(","))),
    "gold.desk.gold": (await gold.balanceOf(deskAddress)).toString(),
    "gold.desk.tenge": (await tenge.balanceOf(deskAddress)).toString(),
    "gold.price": (await desk.price()).priceTiynPerGram.toString(),
  };
};
