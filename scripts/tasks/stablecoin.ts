import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { AbiCoder, ErrorFragment, Interface } from "ethers";
import type { DigitalTenge, TengeStablecoin } from "../../typechain-types";
import { kztText, parseTenge } from "../lib/amounts";
import { cliAction } from "../lib/cli";
import { getTenge } from "../lib/contracts";
import { labelled, requireOnboarded } from "../lib/preflight";
import { resolveSigner } from "../lib/signers";
import { getStablecoin, kztsText, reserveReport, stablecoinRoleId, type ReserveReport } from "../lib/stablecoin";
import { confirmationsFor, dryRunLine, execute, txLine, type Sendable } from "../lib/tx";
import { parseAddress } from "../lib/validate";
import type { StablecoinRoleName } from "../lib/stablecoin-config";

/* PLUMBING */

/** EIP-1967 implementation slot of the UUPS proxy. */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

const DRY_RUN = "Validate and simulate only; send nothing";
const AMOUNT = "Amount in tenge (= KZTS), exact decimal with at most 2 decimals (e.g. 1500.25)";

/**
 * The deployed stablecoin and tenge. On the in-process `hardhat` network, whose chain lives only as long as the
 * command, a fresh deployment (the real deploy scripts) is made when there is none, so read tasks show something.
 */
async function loadContracts(hre: HardhatRuntimeEnvironment): Promise<{ coin: TengeStablecoin; tenge: DigitalTenge }> {
  if (hre.network.name === "hardhat" && !(await hre.deployments.getOrNull("TengeStablecoin"))) {
    await hre.deployments.fixture(["stablecoin"], { keepExistingDeployments: true });
    console.log(
      "(in-process hardhat network: deployed a fresh DigitalTenge and TengeStablecoin for this command only)",
    );
  }
  return { coin: await getStablecoin(hre), tenge: await getTenge(hre) };
}

/** Both tokens connected to the acting signer, and how transactions are sent. */
interface Actor {
  coin: TengeStablecoin;
  tenge: DigitalTenge;
  address: string;
  /** `--from <what was typed>`, for messages. */
  label: string;
  confirmations: number;
  dryRun: boolean;
  /** The stablecoin's ABI plus the tenge's errors: a deposit or withdrawal may revert in either contract. */
  iface: Interface;
}

async function actAs(hre: HardhatRuntimeEnvironment, from: string, dryRun: boolean): Promise<Actor> {
  const who = await resolveSigner(hre, from);
  const { coin, tenge } = await loadContracts(hre);
  const known = new Set(
    coin.interface.fragments.filter((f): f is ErrorFragment => ErrorFragment.isFragment(f)).map((f) => f.selector),
  );
  const tengeErrors = tenge.interface.fragments.filter((f) => ErrorFragment.isFragment(f) && !known.has(f.selector));
  return {
    coin: coin.connect(who.signer),
    tenge: tenge.connect(who.signer),
    address: who.address,
    label: `--from ${who.label}`,
    confirmations: confirmationsFor(hre),
    dryRun,
    iface: new Interface([...coin.interface.fragments, ...tengeErrors]),
  };
}

/** Simulates, sends and waits; prints one line with the tx and the resulting state. */
async function send<A extends unknown[]>(
  actor: Actor,
  method: Sendable<A>,
  args: A,
  what: string,
  result: () => Promise<string>,
): Promise<void> {
  const outcome = await execute(method, args, {
    iface: actor.iface,
    what,
    confirmations: actor.confirmations,
    dryRun: actor.dryRun,
  });
  console.log(outcome.sent ? txLine(what, outcome.receipt, await result()) : dryRunLine(what, outcome.gasEstimate));
}

async function requireCoinRole(actor: Actor, role: StablecoinRoleName): Promise<void> {
  if (!(await actor.coin.hasRole(stablecoinRoleId(role), actor.address))) {
    throw new Error(
      `${labelled(actor.label, actor.address)} does not hold ${role} on ${await actor.coin.getAddress()}`,
    );
  }
}

async function requireNotBlacklisted(coin: TengeStablecoin, address: string, label: string): Promise<void> {
  if (await coin.isBlacklisted(address))
    throw new Error(`${labelled(label, address)} is blacklisted on the stablecoin`);
}

/** Value can move in or out only while neither token is paused. */
async function requireBothUnpaused(actor: Actor, what: string): Promise<void> {
  if (await actor.coin.paused())
    throw new Error(`cannot ${what}: the stablecoin is paused (stablecoin:unpause lifts it)`);
  if (await actor.tenge.paused()) throw new Error(`cannot ${what}: the digital tenge is paused`);
}

/** Throws unless `to` is a tenge wallet that may receive `amount`: onboarded, not frozen, within its holding limit. */
async function requireTengePayee(tenge: DigitalTenge, to: string, amount: bigint, label: string): Promise<void> {
  const account = await requireOnboarded(tenge, to, label);
  if (account.frozen) throw new Error(`${labelled(label, to)} is frozen in the digital tenge and cannot receive`);
  if (account.exempt) return;
  const [holding] = await tenge.tierLimits(account.tier);
  if (account.balance + amount > holding) {
    throw new Error(
      `${labelled(label, to)} would hold ${kztText(account.balance + amount)} of tenge, above tier ${account.tier}'s holding limit of ${kztText(holding)}`,
    );
  }
}

/** Throws unless the stablecoin's own tenge wallet can move tenge (it is onboarded by the deploy scripts). */
async function requireReserveWallet(tenge: DigitalTenge, coinAddress: string, what: string): Promise<void> {
  const account = await tenge.accountOf(coinAddress);
  if (!account.onboarded)
    throw new Error(`cannot ${what}: the stablecoin ${coinAddress} is not onboarded in the tenge`);
  if (account.frozen) throw new Error(`cannot ${what}: the stablecoin's tenge wallet ${coinAddress} is frozen`);
}

async function holderLine(actor: Actor, address: string): Promise<string> {
  const [coinBalance, tengeBalance] = await Promise.all([
    actor.coin.balanceOf(address),
    actor.tenge.balanceOf(address),
  ]);
  return `${address} ${kztsText(coinBalance)}, tenge ${kztText(tengeBalance)}`;
}

async function reserveLine(coin: TengeStablecoin): Promise<string> {
  const [locked, supply] = await coin.reserves();
  const report = reserveReport(locked, supply);
  return `reserves locked ${kztText(locked)}, supply ${kztsText(supply)}, ${report.held ? "held" : "BROKEN"}`;
}

function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}

interface DryRunArgs {
  dryRun: boolean;
}
interface FromArgs extends DryRunArgs {
  from: string;
}

/* READ */

task(
  "stablecoin:reserves",
  "Proof of reserves: tenge locked, stablecoin supply, surplus, backing ratio and whether locked >= supply holds",
).setAction(
  cliAction("stablecoin:reserves", async (_args: Record<string, never>, hre): Promise<ReserveReport> => {
    const { coin, tenge } = await loadContracts(hre);
    const address = await coin.getAddress();
    const provider = hre.ethers.provider;
    const [chain, slot, name, symbol, decimals, paused, tengePaused, wallet, [locked, supply]] = await Promise.all([
      provider.getNetwork(),
      provider.getStorage(address, IMPLEMENTATION_SLOT),
      coin.name(),
      coin.symbol(),
      coin.decimals(),
      coin.paused(),
      tenge.paused(),
      tenge.accountOf(address),
      coin.reserves(),
    ]);
    const report = reserveReport(locked, supply);
    console.log(`TengeStablecoin on ${hre.network.name} (chain ${chain.chainId})`);
    console.log(`  proxy           ${address}`);
    console.log(`  implementation  ${hre.ethers.getAddress(`0x${slot.slice(-40)}`)}`);
    console.log(`  token           ${name} (${symbol}), ${decimals} decimals, backed by ${await tenge.getAddress()}`);
    console.log(`  paused          ${yesNo(paused)} (digital tenge paused: ${yesNo(tengePaused)})`);
    console.log(
      `  tenge wallet    onboarded ${yesNo(wallet.onboarded)}, exempt ${yesNo(wallet.exempt)}, frozen ${yesNo(wallet.frozen)}`,
    );
    console.log("proof of reserves");
    console.log(`  locked          ${kztText(report.locked)}`);
    console.log(`  supply          ${kztsText(report.supply, symbol)}`);
    console.log(
      `  surplus         ${kztText(report.surplus)}${report.surplus > 0n ? " (stablecoin:recover-surplus)" : ""}`,
    );
    console.log(`  backing ratio   ${report.backingRatio}`);
    console.log(
      `  invariant       locked >= supply: ${report.held ? "held" : `BROKEN (shortfall ${kztText(report.shortfall)})`}`,
    );
    return report;
  }),
);

task("stablecoin:balance", "Show an account's stablecoin balance, blacklisting and tenge balance")
  .addParam("account", "Account address")
  .setAction(
    cliAction("stablecoin:balance", async (args: { account: string }, hre) => {
      const account = parseAddress(args.account, "--account", { allowZero: true });
      const { coin, tenge } = await loadContracts(hre);
      const [balance, blacklisted, tengeBalance, symbol] = await Promise.all([
        coin.balanceOf(account),
        coin.isBlacklisted(account),
        tenge.balanceOf(account),
        coin.symbol(),
      ]);
      console.log(
        `${account} ${kztsText(balance, symbol)} (blacklisted ${yesNo(blacklisted)}); tenge ${kztText(tengeBalance)}`,
      );
    }),
  );

/* HOLDERS */

task("stablecoin:wrap", "Holder: lock tenge in the stablecoin and receive as much stablecoin (tenge.transferAndCall)")
  .addParam("amount", AMOUNT)
  .addOptionalParam("to", "Account credited with the stablecoin (default: the holder itself)")
  .addParam("from", "The tenge holder: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("stablecoin:wrap", async (args: FromArgs & { amount: string; to?: string }, hre) => {
      const amount = parseTenge(args.amount, { label: "--amount" });
      const actor = await actAs(hre, args.from, args.dryRun);
      const to = args.to === undefined ? actor.address : parseAddress(args.to, "--to");
      const { coin, tenge } = actor;
      const coinAddress = await coin.getAddress();
      if (to === coinAddress) throw new Error(`--to ${to} is the stablecoin itself; the tenge would back nothing`);
      await requireBothUnpaused(actor, "wrap");
      await requireNotBlacklisted(coin, actor.address, actor.label);
      if (to !== actor.address) await requireNotBlacklisted(coin, to, "--to");
      const payer = await requireOnboarded(tenge, actor.address, actor.label);
      if (payer.frozen) throw new Error(`${labelled(actor.label, actor.address)} is frozen in the digital tenge`);
      if (amount > payer.available) {
        const why =
          amount > payer.balance
            ? `its tenge balance is only ${kztText(payer.balance)}`
            : `only ${kztText(payer.available)} is available (${kztText(payer.frozenAmount)} frozen)`;
        throw new Error(`cannot wrap ${kztText(amount)} from ${actor.address}: ${why}`);
      }
      if (!payer.exempt && amount > payer.dailyRemaining) {
        throw new Error(
          `cannot wrap ${kztText(amount)} from ${actor.address}: only ${kztText(payer.dailyRemaining)} of today's outflow limit is left`,
        );
      }
      await requireReserveWallet(tenge, coinAddress, "wrap");
      const what = `wrap ${kztText(amount)} from ${actor.address}${to === actor.address ? "" : ` to ${to}`}`;
      const result = async () => `${await holderLine(actor, to)}; ${await reserveLine(coin)}`;
      if (to === actor.address) {
        await send(actor, tenge.getFunction("transferAndCall(address,uint256)"), [coinAddress, amount], what, result);
      } else {
        const data = AbiCoder.defaultAbiCoder().encode(["address"], [to]);
        await send(
          actor,
          tenge.getFunction("transferAndCall(address,uint256,bytes)"),
          [coinAddress, amount, data],
          what,
          result,
        );
      }
    }),
  );

task(
  "stablecoin:unwrap",
  "Holder: burn stablecoin and receive as much tenge in a wallet the tenge allows to receive it",
)
  .addParam("amount", AMOUNT)
  .addParam("to", "The tenge wallet to pay (onboarded, not frozen, within its holding limit)")
  .addParam("from", "The stablecoin holder: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("stablecoin:unwrap", async (args: FromArgs & { amount: string; to: string }, hre) => {
      const amount = parseTenge(args.amount, { label: "--amount" });
      const to = parseAddress(args.to, "--to");
      const actor = await actAs(hre, args.from, args.dryRun);
      const { coin, tenge } = actor;
      const coinAddress = await coin.getAddress();
      if (to === coinAddress) throw new Error(`--to ${to} is the stablecoin itself; the tenge would back nothing`);
      await requireBothUnpaused(actor, "unwrap");
      await requireNotBlacklisted(coin, actor.address, actor.label);
      if (to !== actor.address) await requireNotBlacklisted(coin, to, "--to");
      const balance = await coin.balanceOf(actor.address);
      if (amount > balance) {
        throw new Error(`cannot unwrap ${kztText(amount)} from ${actor.address}: it holds only ${kztsText(balance)}`);
      }
      await requireTengePayee(tenge, to, amount, "--to");
      await requireReserveWallet(tenge, coinAddress, "unwrap");
      await send(
        actor,
        coin.withdraw,
        [amount, to],
        `unwrap ${kztText(amount)} from ${actor.address} to ${to}`,
        async () =>
          `${await holderLine(actor, actor.address)}${to === actor.address ? "" : `; ${await holderLine(actor, to)}`}; ${await reserveLine(coin)}`,
      );
    }),
  );

/* ISSUER */

task("stablecoin:recover-surplus", "Issuer: pay out the tenge held above the supply (sent without a deposit)")
  .addParam("to", "The tenge wallet to pay")
  .addOptionalParam("from", "Signer with the stablecoin's ISSUER_ROLE", "issuanceDesk")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("stablecoin:recover-surplus", async (args: FromArgs & { to: string }, hre) => {
      const to = parseAddress(args.to, "--to");
      const actor = await actAs(hre, args.from, args.dryRun);
      const { coin, tenge } = actor;
      const coinAddress = await coin.getAddress();
      await requireCoinRole(actor, "ISSUER_ROLE");
      if (to === coinAddress) throw new Error(`--to ${to} is the stablecoin itself`);
      const surplus = await coin.surplus();
      if (surplus === 0n) {
        const [locked, supply] = await coin.reserves();
        throw new Error(`no surplus to recover: locked ${kztText(locked)}, supply ${kztsText(supply)}`);
      }
      if (await tenge.paused()) throw new Error("cannot recover surplus: the digital tenge is paused");
      await requireTengePayee(tenge, to, surplus, "--to");
      await requireReserveWallet(tenge, coinAddress, "recover surplus");
      await send(actor, coin.recoverSurplus, [to], `recover-surplus ${kztText(surplus)} to ${to}`, async () =>
        reserveLine(coin),
      );
    }),
  );

/* COMPLIANCE AND PAUSE */

for (const [name, on] of [
  ["stablecoin:blacklist", true],
  ["stablecoin:unblacklist", false],
] as const) {
  task(
    name,
    on
      ? "Compliance: blacklist an account (no deposit, withdrawal, payment or receipt of the stablecoin)"
      : "Compliance: lift an account's blacklisting",
  )
    .addParam("account", "The account")
    .addOptionalParam("from", "Signer with the stablecoin's BLACKLISTER_ROLE", "compliance")
    .addFlag("dryRun", DRY_RUN)
    .setAction(
      cliAction(name, async (args: FromArgs & { account: string }, hre) => {
        const account = parseAddress(args.account, "--account");
        const actor = await actAs(hre, args.from, args.dryRun);
        const { coin } = actor;
        await requireCoinRole(actor, "BLACKLISTER_ROLE");
        if ((await coin.isBlacklisted(account)) === on) {
          throw new Error(`--account ${account} is already ${on ? "blacklisted" : "not blacklisted"}`);
        }
        await send(
          actor,
          on ? coin.blacklist : coin.unBlacklist,
          [account],
          `${on ? "blacklist" : "unblacklist"} ${account}`,
          async () => `${account} blacklisted ${yesNo(await coin.isBlacklisted(account))}`,
        );
      }),
    );
}

for (const [name, pause] of [
  ["stablecoin:pause", true],
  ["stablecoin:unpause", false],
] as const) {
  task(name, pause ? "Pauser: stop deposits, withdrawals and every stablecoin transfer" : "Pauser: lift the pause")
    .addOptionalParam("from", "Signer with the stablecoin's PAUSER_ROLE", "pauser")
    .addFlag("dryRun", DRY_RUN)
    .setAction(
      cliAction(name, async (args: FromArgs, hre) => {
        const actor = await actAs(hre, args.from, args.dryRun);
        const { coin } = actor;
        await requireCoinRole(actor, "PAUSER_ROLE");
        if ((await coin.paused()) === pause) {
          throw new Error(`the stablecoin is already ${pause ? "paused" : "unpaused"}`);
        }
        await send(
          actor,
          pause ? coin.pause : coin.unpause,
          [],
          pause ? "stablecoin pause" : "stablecoin unpause",
          async () => `paused ${yesNo(await coin.paused())}`,
        );
      }),
    );
}
