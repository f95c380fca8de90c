import { basename } from "node:path";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DigitalTenge } from "../../typechain-types";
import { MAX_SUPPLY_TIYN, MAX_TIER_LIMIT_TIYN, kztText, parseTenge } from "../lib/amounts";
import { DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, batchMint, batchOnboard, checkMint } from "../lib/batch";
import { cliAction } from "../lib/cli";
import { ROLE_NAMES, getTenge } from "../lib/contracts";
import { parseAddressCsv, parseMintCsv, readTextFile } from "../lib/csv";
import {
  bankLine,
  moneyLine,
  requireBank,
  requireManager,
  requireNotOnboarded,
  requireNotPaused,
  requireOnboarded,
  requireRole,
} from "../lib/preflight";
import { describeAddress, resolveSigner } from "../lib/signers";
import { confirmationsFor, dryRunLine, execute, txLine, type Sendable } from "../lib/tx";
import { parseAddress, parsePositiveInt, parseReference, parseRole, parseTier, roleId } from "../lib/validate";

/* PLUMBING */

/** EIP-1967 implementation slot of the UUPS proxy. */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

/**
 * The deployed token. On the in-process `hardhat` network, whose chain lives only as long as the command, a fresh
 * deployment (the real deploy scripts) is made when there is none, so read tasks show something useful.
 */
async function loadTenge(hre: HardhatRuntimeEnvironment): Promise<DigitalTenge> {
  if (hre.network.name === "hardhat" && !(await hre.deployments.getOrNull("DigitalTenge"))) {
    await hre.deployments.fixture(["tenge"], { keepExistingDeployments: true });
    console.log("(in-process hardhat network: deployed a fresh DigitalTenge for this command only)");
  }
  return getTenge(hre);
}

/** The token connected to the acting signer, and how the transaction is to be sent. */
interface Actor {
  hre: HardhatRuntimeEnvironment;
  tenge: DigitalTenge;
  address: string;
  /** `--from <what was typed>`, for messages. */
  label: string;
  confirmations: number;
  dryRun: boolean;
}

async function actAs(hre: HardhatRuntimeEnvironment, from: string, dryRun: boolean): Promise<Actor> {
  const who = await resolveSigner(hre, from);
  const tenge = (await loadTenge(hre)).connect(who.signer);
  return {
    hre,
    tenge,
    address: who.address,
    label: `--from ${who.label}`,
    confirmations: confirmationsFor(hre),
    dryRun,
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
    iface: actor.tenge.interface,
    what,
    confirmations: actor.confirmations,
    dryRun: actor.dryRun,
  });
  console.log(outcome.sent ? txLine(what, outcome.receipt, await result()) : dryRunLine(what, outcome.gasEstimate));
}

async function balanceText(tenge: DigitalTenge, address: string): Promise<string> {
  return moneyLine(address, await tenge.accountOf(address));
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

const FROM_BANK = "Acting bank: named account, account index (e.g. 5) or address the node holds";
const DRY_RUN = "Validate and simulate only; send nothing";
const AMOUNT = "Amount in tenge, exact decimal with at most 2 decimals (e.g. 1500.25)";

/* READ */

task(
  "tenge:info",
  "Show the DigitalTenge deployment: addresses, supply, pause state, tier limits, banks and the holders of each role among the accounts known here",
).setAction(
  cliAction("tenge:info", async (_args: Record<string, never>, hre) => {
    const tenge = await loadTenge(hre);
    const address = await tenge.getAddress();
    const provider = hre.ethers.provider;
    const [chain, slot, name, symbol, decimals, supply, paused, bankCount] = await Promise.all([
      provider.getNetwork(),
      provider.getStorage(address, IMPLEMENTATION_SLOT),
      tenge.name(),
      tenge.symbol(),
      tenge.decimals(),
      tenge.totalSupply(),
      tenge.paused(),
      tenge.bankCount(),
    ]);
    const implementation = hre.ethers.getAddress(`0x${slot.slice(-40)}`);
    console.log(`DigitalTenge on ${hre.network.name} (chain ${chain.chainId})`);
    console.log(`  proxy           ${address}`);
    console.log(`  implementation  ${implementation}`);
    console.log(`  token           ${name} (${symbol}), ${decimals} decimals`);
    console.log(`  total supply    ${kztText(supply)} (cap ${kztText(MAX_SUPPLY_TIYN)})`);
    console.log(`  paused          ${yesNo(paused)}`);

    console.log("tier limits");
    for (const tier of [0, 1, 2, 3]) {
      const [holding, daily] = await tenge.tierLimits(tier);
      console.log(`  tier ${tier}  holding ${kztText(holding)}, daily ${kztText(daily)}`);
    }

    console.log(`banks (${bankCount})`);
    const shown = Math.min(Number(bankCount), 50);
    const banks: string[] = [];
    for (let id = 1; id <= shown; id++) {
      const bank = await tenge.bankById(id);
      banks.push(bank);
      console.log(`  ${bankLine(bank, await tenge.bankOf(bank))}`);
    }
    if (Number(bankCount) > shown) console.log(`  … and ${Number(bankCount) - shown} more (tenge:bank --bank <id>)`);

    const named = await hre.getNamedAccounts();
    const signers = await hre.ethers.getSigners();
    const candidates = [
      ...new Set([...Object.values(named), ...signers.map((s) => s.address), ...banks].map((a) => a.toLowerCase())),
    ].map((a) => hre.ethers.getAddress(a));
    console.log(`roles (holders among ${candidates.length} known accounts; the contract does not enumerate holders)`);
    for (const role of ROLE_NAMES) {
      const held = await Promise.all(candidates.map((c) => tenge.hasRole(roleId(role), c)));
      const holders = await Promise.all(
        candidates.filter((_, i) => held[i]).map((holder) => describeAddress(hre, holder)),
      );
      console.log(`  ${role.padEnd(19)} ${holders.length > 0 ? holders.join(", ") : "(none among known accounts)"}`);
    }
  }),
);

task("tenge:balance", "Show a wallet's balance, available and frozen funds")
  .addParam("account", "Wallet address")
  .setAction(
    cliAction("tenge:balance", async (args: { account: string }, hre) => {
      const account = parseAddress(args.account, "--account", { allowZero: true });
      const tenge = await loadTenge(hre);
      console.log(await balanceText(tenge, account));
    }),
  );

task("tenge:account", "Show a wallet's full status (accountOf): onboarding, bank, tier and limits, balances, freezes")
  .addParam("account", "Wallet address")
  .setAction(
    cliAction("tenge:account", async (args: { account: string }, hre) => {
      const address = parseAddress(args.account, "--account", { allowZero: true });
      const tenge = await loadTenge(hre);
      const a = await tenge.accountOf(address);
      if (!a.onboarded) {
        console.log(`${address}: not onboarded (balance ${kztText(await tenge.balanceOf(address))})`);
        return;
      }
      const [holding, daily] = await tenge.tierLimits(a.tier);
      const manager = a.bankId === 0n ? "central bank (institution)" : `bank #${a.bankId} ${a.bank}`;
      console.log(`${address}`);
      console.log(`  onboarded yes, frozen ${yesNo(a.frozen)}, exempt from tier limits ${yesNo(a.exempt)}`);
      console.log(`  managed by ${manager}`);
      console.log(`  tier ${a.tier} (holding limit ${kztText(holding)}, daily limit ${kztText(daily)})`);
      console.log(
        `  balance ${kztText(a.balance)}, frozen amount ${kztText(a.frozenAmount)}, available ${kztText(a.available)}`,
      );
      const remaining = a.exempt ? "unlimited (exempt)" : kztText(a.dailyRemaining);
      console.log(`  spent today ${kztText(a.spentToday)}, daily remaining ${remaining}`);
    }),
  );

task("tenge:bank", "Show a bank's issuance state (bankOf): id, ceiling, outstanding, remaining, suspension")
  .addParam("bank", "Bank address, or its numeric id")
  .setAction(
    cliAction("tenge:bank", async (args: { bank: string }, hre) => {
      const tenge = await loadTenge(hre);
      let address: string;
      if (/^\d+$/.test(args.bank)) {
        const count = await tenge.bankCount();
        const id = BigInt(args.bank);
        if (id === 0n || id > count) throw new Error(`--bank ${args.bank}: no bank with that id (ids 1-${count})`);
        address = await tenge.bankById(id);
      } else {
        address = parseAddress(args.bank, "--bank");
      }
      console.log(bankLine(address, await requireBank(tenge, address, "--bank")));
    }),
  );

/* CENTRAL BANK */

interface BankCeilingArgs extends FromArgs {
  bank: string;
  ceiling: string;
}

task("tenge:register-bank", "Central bank: admit a commercial bank as an issuer with an issuance ceiling (tenge)")
  .addParam("bank", "The bank's operating address")
  .addParam("ceiling", "Issuance ceiling in tenge (may be 0)")
  .addOptionalParam("from", "Signer with CENTRAL_BANK_ROLE", "issuanceDesk")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:register-bank", async (args: BankCeilingArgs, hre) => {
      const bank = parseAddress(args.bank, "--bank");
      const ceiling = parseTenge(args.ceiling, { label: "--ceiling", allowZero: true });
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      await requireRole(tenge, "CENTRAL_BANK_ROLE", actor.address, actor.label);
      const existing = await tenge.bankOf(bank);
      if (existing.id !== 0n) throw new Error(`--bank ${bank} is already registered as bank #${existing.id}`);
      await send(
        actor,
        tenge.registerBank,
        [bank, ceiling],
        `register-bank ${bank} ceiling ${kztText(ceiling)}`,
        async () => bankLine(bank, await tenge.bankOf(bank)),
      );
    }),
  );

task("tenge:set-ceiling", "Central bank: set a registered bank's issuance ceiling (tenge)")
  .addParam("bank", "The bank's operating address")
  .addParam("ceiling", "New ceiling in tenge (may be 0; below outstanding it stops new issuance)")
  .addOptionalParam("from", "Signer with CENTRAL_BANK_ROLE", "issuanceDesk")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:set-ceiling", async (args: BankCeilingArgs, hre) => {
      const bank = parseAddress(args.bank, "--bank");
      const ceiling = parseTenge(args.ceiling, { label: "--ceiling", allowZero: true });
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      await requireRole(tenge, "CENTRAL_BANK_ROLE", actor.address, actor.label);
      const before = await requireBank(tenge, bank, "--bank");
      await send(
        actor,
        tenge.setIssuanceCeiling,
        [bank, ceiling],
        `set-ceiling ${bank} ${kztText(before.ceiling)} -> ${kztText(ceiling)}`,
        async () => bankLine(bank, await tenge.bankOf(bank)),
      );
    }),
  );

for (const [name, suspend] of [
  ["tenge:suspend-bank", true],
  ["tenge:resume-bank", false],
] as const) {
  task(
    name,
    suspend
      ? "Central bank: suspend a bank's issuance (its customers keep transacting)"
      : "Central bank: resume a suspended bank's issuance",
  )
    .addParam("bank", "The bank's operating address")
    .addOptionalParam("from", "Signer with CENTRAL_BANK_ROLE", "issuanceDesk")
    .addFlag("dryRun", DRY_RUN)
    .setAction(
      cliAction(name, async (args: FromArgs & { bank: string }, hre) => {
        const bank = parseAddress(args.bank, "--bank");
        const actor = await actAs(hre, args.from, args.dryRun);
        const { tenge } = actor;
        await requireRole(tenge, "CENTRAL_BANK_ROLE", actor.address, actor.label);
        const state = await requireBank(tenge, bank, "--bank");
        if (state.suspended === suspend) {
          console.log(`bank #${state.id} ${bank} is already ${suspend ? "suspended" : "active"}; nothing sent`);
          return;
        }
        const verb = suspend ? "suspend-bank" : "resume-bank";
        await send(actor, tenge.setBankSuspended, [bank, suspend], `${verb} ${bank}`, async () =>
          bankLine(bank, await tenge.bankOf(bank)),
        );
      }),
    );
}

task("tenge:set-tier-limits", "Central bank: set a KYC tier's holding and daily outflow limits (whole tenge)")
  .addParam("tier", "KYC tier 0-3")
  .addParam("holding", "Most a wallet of the tier may hold, whole tenge")
  .addParam("daily", "Most a wallet of the tier may pay out per day, whole tenge")
  .addOptionalParam("from", "Signer with CENTRAL_BANK_ROLE", "issuanceDesk")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction(
      "tenge:set-tier-limits",
      async (args: FromArgs & { tier: string; holding: string; daily: string }, hre) => {
        const tier = parseTier(args.tier);
        const limit = { allowZero: true, whole: true, max: MAX_TIER_LIMIT_TIYN };
        const holding = parseTenge(args.holding, { ...limit, label: "--holding" });
        const daily = parseTenge(args.daily, { ...limit, label: "--daily" });
        const actor = await actAs(hre, args.from, args.dryRun);
        const { tenge } = actor;
        await requireRole(tenge, "CENTRAL_BANK_ROLE", actor.address, actor.label);
        await send(
          actor,
          tenge.setTierLimits,
          [tier, holding, daily],
          `set-tier-limits tier ${tier} holding ${kztText(holding)} daily ${kztText(daily)}`,
          async () => {
            const [h, d] = await tenge.tierLimits(tier);
            return `tier ${tier} holding ${kztText(h)}, daily ${kztText(d)}`;
          },
        );
      },
    ),
  );

task(
  "tenge:onboard-institution",
  "Central bank: onboard an institution (treasury, a bank's own wallet), exempt from tier limits",
)
  .addParam("account", "The institution's wallet")
  .addOptionalParam("from", "Signer with CENTRAL_BANK_ROLE", "issuanceDesk")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:onboard-institution", async (args: FromArgs & { account: string }, hre) => {
      const account = parseAddress(args.account, "--account");
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      await requireRole(tenge, "CENTRAL_BANK_ROLE", actor.address, actor.label);
      await requireNotOnboarded(tenge, account, "--account");
      await send(actor, tenge.onboardInstitution, [account], `onboard-institution ${account}`, async () => {
        const a = await tenge.accountOf(account);
        return `${account} onboarded ${yesNo(a.onboarded)}, exempt ${yesNo(a.exempt)}`;
      });
    }),
  );

task("tenge:set-exempt", "Central bank: exempt a wallet from tier limits (or --revoke the exemption)")
  .addParam("account", "The wallet")
  .addFlag("revoke", "Revoke the exemption instead of granting it")
  .addOptionalParam("from", "Signer with CENTRAL_BANK_ROLE", "issuanceDesk")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:set-exempt", async (args: FromArgs & { account: string; revoke: boolean }, hre) => {
      const account = parseAddress(args.account, "--account");
      const exempt = !args.revoke;
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      await requireRole(tenge, "CENTRAL_BANK_ROLE", actor.address, actor.label);
      const state = await requireOnboarded(tenge, account, "--account");
      if (state.exempt === exempt) {
        console.log(`${account} is already ${exempt ? "exempt" : "not exempt"}; nothing sent`);
        return;
      }
      await send(actor, tenge.setExempt, [account, exempt], `set-exempt ${account} ${exempt}`, async () => {
        const a = await tenge.accountOf(account);
        return `${account} exempt ${yesNo(a.exempt)}`;
      });
    }),
  );

/* BANKS */

task("tenge:onboard", "Bank: onboard a customer's wallet with a KYC tier")
  .addParam("account", "The customer's wallet")
  .addParam("tier", "KYC tier 0-3")
  .addParam("from", FROM_BANK)
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:onboard", async (args: FromArgs & { account: string; tier: string }, hre) => {
      const account = parseAddress(args.account, "--account");
      const tier = parseTier(args.tier);
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      const bank = await requireBank(tenge, actor.address, actor.label);
      await requireNotOnboarded(tenge, account, "--account");
      await send(actor, tenge.onboard, [account, tier], `onboard ${account} tier ${tier}`, async () => {
        const a = await tenge.accountOf(account);
        return `${account} onboarded by bank #${bank.id} at tier ${a.tier}`;
      });
    }),
  );

interface BatchFileArgs extends FromArgs {
  file: string;
  chunk: string;
  startLine?: string;
}

const START_LINE =
  "Skip rows before this file line, to resume a batch that stopped part-way (its error names the line)";

/** The rows at or after `--start-line` (all of them when it is not given); every row was validated already. */
function fromStartLine<T extends { line: number }>(rows: T[], startLine: string | undefined): T[] {
  if (startLine === undefined) return rows;
  const first = parsePositiveInt(startLine, "--start-line", Number.MAX_SAFE_INTEGER);
  const kept = rows.filter((row) => row.line >= first);
  if (kept.length === 0) throw new Error(`--start-line ${first} is past the last row (line ${rows.at(-1)?.line})`);
  return kept;
}

task("tenge:onboard-batch", "Bank: onboard many customers with one tier from a CSV of addresses (one per line)")
  .addParam("file", "CSV file: one address per line; optional `address` header; # comments and blank lines skipped")
  .addParam("tier", "KYC tier 0-3 for every wallet")
  .addParam("from", FROM_BANK)
  .addOptionalParam("chunk", `Wallets per transaction (1-${MAX_CHUNK_SIZE})`, String(DEFAULT_CHUNK_SIZE))
  .addOptionalParam("startLine", START_LINE)
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:onboard-batch", async (args: BatchFileArgs & { tier: string }, hre) => {
      const tier = parseTier(args.tier);
      const chunkSize = parsePositiveInt(args.chunk, "--chunk", MAX_CHUNK_SIZE);
      const rows = fromStartLine(
        parseAddressCsv(readTextFile(args.file, "--file"), { source: basename(args.file) }),
        args.startLine,
      );
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireBank(actor.tenge, actor.address, actor.label);
      await batchOnboard(actor.tenge, actor.address, rows, tier, {
        chunkSize,
        confirmations: actor.confirmations,
        dryRun: actor.dryRun,
      });
    }),
  );

task("tenge:offboard", "Bank (or central bank for institutions): offboard a wallet that holds nothing")
  .addParam("account", "The wallet")
  .addParam("from", "Its manager: the customer's bank, or a CENTRAL_BANK_ROLE holder for an institution")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:offboard", async (args: FromArgs & { account: string }, hre) => {
      const account = parseAddress(args.account, "--account");
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      const state = await requireOnboarded(tenge, account, "--account");
      await requireManager(tenge, state, account, actor.address, actor.label);
      if (state.frozen) throw new Error(`--account ${account} is frozen; unfreeze it before offboarding`);
      if (state.balance !== 0n || state.frozenAmount !== 0n) {
        throw new Error(
          `--account ${account} is not empty: balance ${kztText(state.balance)}, frozen amount ${kztText(state.frozenAmount)}`,
        );
      }
      await send(actor, tenge.offboard, [account], `offboard ${account}`, async () => {
        const a = await tenge.accountOf(account);
        return `${account} onboarded ${yesNo(a.onboarded)}`;
      });
    }),
  );

task("tenge:set-tier", "Bank: change a customer's KYC tier (the balance must fit the new tier's holding limit)")
  .addParam("account", "The customer's wallet")
  .addParam("tier", "New KYC tier 0-3")
  .addParam("from", FROM_BANK)
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:set-tier", async (args: FromArgs & { account: string; tier: string }, hre) => {
      const account = parseAddress(args.account, "--account");
      const tier = parseTier(args.tier);
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      const state = await requireOnboarded(tenge, account, "--account");
      await requireManager(tenge, state, account, actor.address, actor.label);
      if (state.tier === BigInt(tier)) {
        console.log(`${account} is already tier ${tier}; nothing sent`);
        return;
      }
      const [holding] = await tenge.tierLimits(tier);
      if (!state.exempt && state.balance > holding) {
        throw new Error(
          `--account ${account} holds ${kztText(state.balance)}, above tier ${tier}'s holding limit of ${kztText(holding)}`,
        );
      }
      await send(actor, tenge.setTier, [account, tier], `set-tier ${account} ${state.tier} -> ${tier}`, async () => {
        const a = await tenge.accountOf(account);
        return `${account} tier ${a.tier}`;
      });
    }),
  );

task("tenge:mint", "Bank: issue tenge to one of its customers, within the bank's ceiling")
  .addParam("to", "The customer's wallet")
  .addParam("amount", AMOUNT)
  .addParam("from", FROM_BANK)
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:mint", async (args: FromArgs & { to: string; amount: string }, hre) => {
      const to = parseAddress(args.to, "--to");
      const amount = parseTenge(args.amount, { label: "--amount" });
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      await requireBank(tenge, actor.address, actor.label);
      const { problems } = await checkMint(tenge, actor.address, [{ address: to, amount }]);
      if (problems.length > 0) throw new Error(`cannot mint ${kztText(amount)} to ${to}: ${problems.join("; ")}`);
      await send(actor, tenge.mint, [to, amount], `mint ${kztText(amount)} to ${to}`, async () => {
        const [balance, bank] = await Promise.all([tenge.balanceOf(to), tenge.bankOf(actor.address)]);
        return `${to} balance ${kztText(balance)}; bank remaining ${kztText(bank.remaining)}`;
      });
    }),
  );

task(
  "tenge:mint-batch",
  "Bank: issue to many customers from a CSV of address,amount (tenge); every row is checked on chain before anything is sent",
)
  .addParam("file", "CSV file of address,amount lines; optional header; # comments and blank lines skipped")
  .addParam("from", FROM_BANK)
  .addOptionalParam("chunk", `Recipients per transaction (1-${MAX_CHUNK_SIZE})`, String(DEFAULT_CHUNK_SIZE))
  .addOptionalParam("startLine", START_LINE)
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:mint-batch", async (args: BatchFileArgs, hre) => {
      const chunkSize = parsePositiveInt(args.chunk, "--chunk", MAX_CHUNK_SIZE);
      const rows = fromStartLine(
        parseMintCsv(readTextFile(args.file, "--file"), { source: basename(args.file) }),
        args.startLine,
      );
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireBank(actor.tenge, actor.address, actor.label);
      await batchMint(actor.tenge, actor.address, rows, {
        chunkSize,
        confirmations: actor.confirmations,
        dryRun: actor.dryRun,
      });
    }),
  );

task("tenge:recover", "Bank: move a lost wallet's balance and status to a fresh replacement wallet")
  .addParam("lost", "The customer's lost wallet")
  .addParam("replacement", "The customer's new wallet (not onboarded yet)")
  .addParam("from", FROM_BANK)
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:recover", async (args: FromArgs & { lost: string; replacement: string }, hre) => {
      const lost = parseAddress(args.lost, "--lost");
      const replacement = parseAddress(args.replacement, "--replacement");
      if (lost === replacement) throw new Error("--lost and --replacement are the same wallet");
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      await requireNotPaused(tenge, "recover a wallet");
      const state = await requireOnboarded(tenge, lost, "--lost");
      await requireManager(tenge, state, lost, actor.address, actor.label);
      await requireNotOnboarded(tenge, replacement, "--replacement");
      await send(
        actor,
        tenge.recoverWallet,
        [lost, replacement],
        `recover ${lost} -> ${replacement} (${kztText(state.balance)})`,
        async () => balanceText(tenge, replacement),
      );
    }),
  );

/* HOLDERS */

task("tenge:redeem", "Holder: redeem tenge for non-cash money at the holder's bank (tokens are burnt)")
  .addParam("amount", AMOUNT)
  .addParam("reference", "Bank's settlement reference: text of at most 31 bytes, or 0x + 64 hex digits")
  .addParam("from", "The holder: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:redeem", async (args: FromArgs & { amount: string; reference: string }, hre) => {
      const amount = parseTenge(args.amount, { label: "--amount" });
      const reference = parseReference(args.reference, "--reference");
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      await requireNotPaused(tenge, "redeem");
      const state = await requireOnboarded(tenge, actor.address, actor.label);
      if (state.frozen) throw new Error(`${actor.label} (${actor.address}) is frozen`);
      if (state.bankId === 0n) {
        throw new Error(
          `${actor.label} (${actor.address}) is an institution without a commercial bank; it cannot redeem`,
        );
      }
      if (amount > state.available) {
        const why =
          amount > state.balance
            ? `balance is only ${kztText(state.balance)}`
            : `only ${kztText(state.available)} is available (${kztText(state.frozenAmount)} frozen)`;
        throw new Error(`cannot redeem ${kztText(amount)} from ${actor.address}: ${why}`);
      }
      await send(
        actor,
        tenge.redeem,
        [amount, reference],
        `redeem ${kztText(amount)} from ${actor.address} at bank #${state.bankId} ref ${args.reference}`,
        async () => balanceText(tenge, actor.address),
      );
    }),
  );

/* COMPLIANCE AND ENFORCEMENT */

interface ReasonArgs extends FromArgs {
  account: string;
  reason: string;
}
const REASON = "Reason code: text of at most 31 bytes (e.g. a case number), or 0x + 64 hex digits";

for (const [name, freeze] of [
  ["tenge:freeze", true],
  ["tenge:unfreeze", false],
] as const) {
  task(
    name,
    freeze
      ? "Compliance: freeze a whole wallet (it can neither pay nor receive)"
      : "Compliance: lift a whole-wallet freeze",
  )
    .addParam("account", "The wallet")
    .addParam("reason", REASON)
    .addOptionalParam("from", "Signer with COMPLIANCE_ROLE", "compliance")
    .addFlag("dryRun", DRY_RUN)
    .setAction(
      cliAction(name, async (args: ReasonArgs, hre) => {
        const account = parseAddress(args.account, "--account");
        const reason = parseReference(args.reason, "--reason");
        const actor = await actAs(hre, args.from, args.dryRun);
        const { tenge } = actor;
        await requireRole(tenge, "COMPLIANCE_ROLE", actor.address, actor.label);
        const state = await requireOnboarded(tenge, account, "--account");
        if (state.frozen === freeze)
          throw new Error(`--account ${account} is already ${freeze ? "frozen" : "not frozen"}`);
        const verb = freeze ? "freeze" : "unfreeze";
        await send(actor, freeze ? tenge.freeze : tenge.unfreeze, [account, reason], `${verb} ${account}`, async () =>
          balanceText(tenge, account),
        );
      }),
    );
}

for (const [name, freeze] of [
  ["tenge:freeze-amount", true],
  ["tenge:unfreeze-amount", false],
] as const) {
  task(
    name,
    freeze
      ? "Compliance: freeze an amount of a wallet's funds (may exceed the balance; later credits are frozen up to it)"
      : "Compliance: release an amount of a wallet's frozen funds",
  )
    .addParam("account", "The wallet")
    .addParam("amount", AMOUNT)
    .addParam("reason", REASON)
    .addOptionalParam("from", "Signer with COMPLIANCE_ROLE", "compliance")
    .addFlag("dryRun", DRY_RUN)
    .setAction(
      cliAction(name, async (args: ReasonArgs & { amount: string }, hre) => {
        const account = parseAddress(args.account, "--account");
        const amount = parseTenge(args.amount, { label: "--amount" });
        const reason = parseReference(args.reason, "--reason");
        const actor = await actAs(hre, args.from, args.dryRun);
        const { tenge } = actor;
        await requireRole(tenge, "COMPLIANCE_ROLE", actor.address, actor.label);
        const state = await requireOnboarded(tenge, account, "--account");
        if (freeze && state.frozenAmount + amount > MAX_SUPPLY_TIYN) {
          throw new Error(`--amount ${args.amount} would take the frozen amount above ${kztText(MAX_SUPPLY_TIYN)}`);
        }
        if (!freeze && amount > state.frozenAmount) {
          throw new Error(
            `cannot unfreeze ${kztText(amount)} of ${account}: only ${kztText(state.frozenAmount)} is frozen`,
          );
        }
        const verb = freeze ? "freeze-amount" : "unfreeze-amount";
        await send(
          actor,
          freeze ? tenge.freezeAmount : tenge.unfreezeAmount,
          [account, amount, reason],
          `${verb} ${kztText(amount)} of ${account}`,
          async () => balanceText(tenge, account),
        );
      }),
    );
}

task("tenge:seize", "Enforcement: move funds by force under a court order (frozen funds first); works while paused")
  .addParam("account", "The wallet funds are taken from")
  .addParam("to", "The wallet that receives them (e.g. a court deposit account)")
  .addParam("amount", AMOUNT)
  .addParam("reason", REASON)
  .addOptionalParam("from", "Signer with SEIZURE_ROLE", "enforcement")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("tenge:seize", async (args: ReasonArgs & { to: string; amount: string }, hre) => {
      const source = parseAddress(args.account, "--account");
      const to = parseAddress(args.to, "--to");
      if (source === to) throw new Error("--account and --to are the same wallet");
      const amount = parseTenge(args.amount, { label: "--amount" });
      const reason = parseReference(args.reason, "--reason");
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      await requireRole(tenge, "SEIZURE_ROLE", actor.address, actor.label);
      const from = await requireOnboarded(tenge, source, "--account");
      if (amount > from.balance) {
        throw new Error(`cannot seize ${kztText(amount)} from ${source}: balance is only ${kztText(from.balance)}`);
      }
      const dest = await requireOnboarded(tenge, to, "--to");
      if (dest.frozen) throw new Error(`--to ${to} is frozen and cannot receive`);
      const [holding] = await tenge.tierLimits(dest.tier);
      if (!dest.exempt && dest.balance + amount > holding) {
        throw new Error(
          `--to ${to} would hold ${kztText(dest.balance + amount)}, above tier ${dest.tier}'s holding limit of ${kztText(holding)}`,
        );
      }
      await send(
        actor,
        tenge.seize,
        [source, to, amount, reason],
        `seize ${kztText(amount)} from ${source} to ${to}`,
        async () => {
          const [a, b] = await Promise.all([tenge.balanceOf(source), tenge.balanceOf(to)]);
          return `${source} balance ${kztText(a)}; ${to} balance ${kztText(b)}`;
        },
      );
    }),
  );

/* PAUSE */

for (const [name, pause] of [
  ["tenge:pause", true],
  ["tenge:unpause", false],
] as const) {
  task(
    name,
    pause ? "Pauser: stop all movement of value (transfers, issuance, redemption, recovery)" : "Pauser: lift the pause",
  )
    .addOptionalParam("from", "Signer with PAUSER_ROLE", "pauser")
    .addFlag("dryRun", DRY_RUN)
    .setAction(
      cliAction(name, async (args: FromArgs, hre) => {
        const actor = await actAs(hre, args.from, args.dryRun);
        const { tenge } = actor;
        await requireRole(tenge, "PAUSER_ROLE", actor.address, actor.label);
        if ((await tenge.paused()) === pause) throw new Error(`the token is already ${pause ? "paused" : "unpaused"}`);
        await send(
          actor,
          pause ? tenge.pause : tenge.unpause,
          [],
          pause ? "pause" : "unpause",
          async () => `paused ${yesNo(await tenge.paused())}`,
        );
      }),
    );
}

/* ROLES */

for (const [name, grant] of [
  ["tenge:grant-role", true],
  ["tenge:revoke-role", false],
] as const) {
  const t = task(
    name,
    grant
      ? `Role admin: grant a role (${ROLE_NAMES.join(", ")}) to an account`
      : `Role admin: revoke a role (${ROLE_NAMES.join(", ")}) from an account`,
  )
    .addParam("role", "Role name, e.g. COMPLIANCE_ROLE (case-insensitive; _ROLE may be left out)")
    .addParam("account", "The account")
    .addOptionalParam("from", "Signer holding the role's admin role (DEFAULT_ADMIN_ROLE)", "centralBank")
    .addFlag("dryRun", DRY_RUN);
  if (!grant) t.addFlag("force", "Allow revoking DEFAULT_ADMIN_ROLE from the acting signer itself");
  t.setAction(
    cliAction(name, async (args: FromArgs & { role: string; account: string; force?: boolean }, hre) => {
      const role = parseRole(args.role);
      const account = parseAddress(args.account, "--account");
      const actor = await actAs(hre, args.from, args.dryRun);
      const { tenge } = actor;
      const admin = await tenge.getRoleAdmin(role.id);
      if (!(await tenge.hasRole(admin, actor.address))) {
        const adminName = ROLE_NAMES.find((r) => roleId(r) === admin) ?? admin;
        throw new Error(`${actor.label} (${actor.address}) does not hold ${adminName}, the admin role of ${role.name}`);
      }
      const has = await tenge.hasRole(role.id, account);
      if (has === grant) {
        console.log(`${account} ${grant ? "already holds" : "does not hold"} ${role.name}; nothing sent`);
        return;
      }
      if (!grant && role.name === "DEFAULT_ADMIN_ROLE" && account === actor.address && !args.force) {
        throw new Error(`refusing to revoke DEFAULT_ADMIN_ROLE from the acting signer itself without --force`);
      }
      await send(
        actor,
        grant ? tenge.grantRole : tenge.revokeRole,
        [role.id, account],
        `${grant ? "grant" : "revoke"} ${role.name} ${grant ? "to" : "from"} ${account}`,
        async () => `${account} holds ${role.name}: ${yesNo(await tenge.hasRole(role.id, account))}`,
      );
    }),
  );
}
