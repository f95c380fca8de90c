import { ZeroAddress } from "ethers";
import { formatTenge } from "../amounts";
import type { PilotContext } from "./context";

/** One invariant, checked against the chain. */
export interface InvariantResult {
  name: string;
  held: boolean;
  detail: string;
}

/** Checks every invariant of the digital tenge over all wallets the pilot knows. */
export async function checkInvariants(ctx: PilotContext): Promise<InvariantResult[]> {
  const { tenge, cast } = ctx;
  const results: InvariantResult[] = [];
  const supply = await tenge.totalSupply();

  // Every wallet that ever received tenge, rebuilt from the chain's Transfer events, not from the pilot's memory.
  const holders = new Set<string>(ctx.wallets);
  for (const event of await tenge.queryFilter(tenge.filters.Transfer(), 0, "latest")) {
    if (event.args.to !== ZeroAddress) holders.add(event.args.to);
  }
  let sum = 0n;
  let overLimit = 0;
  const limits = await Promise.all([0, 1, 2, 3].map((t) => tenge.tierLimits(t)));
  for (const wallet of holders) {
    const account = await tenge.accountOf(wallet);
    sum += account.balance;
    if (account.onboarded && !account.exempt && account.balance > limits[Number(account.tier)][0]) overLimit += 1;
    if (account.onboarded && !account.exempt && account.spentToday > limits[Number(account.tier)][1]) overLimit += 1;
  }
  results.push({
    name: "total supply == Σ balances",
    held: supply === sum,
    detail: `${formatTenge(supply)} vs ${formatTenge(sum)} KZT over ${holders.size} wallets that ever received tenge`,
  });

  let outstanding = 0n;
  let overCeiling: string[] = [];
  for (const bank of cast.banks) {
    const record = await tenge.bankOf(bank.address);
    outstanding += record.outstanding;
    if (record.outstanding > BigInt(record.ceiling)) overCeiling = [...overCeiling, bank.name];
  }
  results.push({
    name: "Σ banks' outstanding issuance == total supply",
    held: outstanding === supply,
    detail: `${formatTenge(outstanding)} vs ${formatTenge(supply)} KZT`,
  });
  results.push({
    name: "no bank above its issuance ceiling",
    held: overCeiling.length === 0,
    detail: overCeiling.length === 0 ? `${cast.banks.length} banks within ceiling` : `over: ${overCeiling.join(", ")}`,
  });
  results.push({
    name: "no wallet above its tier's holding or daily limit",
    held: overLimit === 0,
    detail: `${overLimit} breaches`,
  });
  return results;
}
