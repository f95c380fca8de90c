import { basename } from "node:path";
import { Interface, id } from "ethers";
import type { ErrorFragment } from "ethers";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DigitalTenge, GoldDesk, GoldToken } from "../../typechain-types";
import { kztText } from "../lib/amounts";
import { cliAction } from "../lib/cli";
import { getTenge } from "../lib/contracts";
import { readTextFile } from "../lib/csv";
import {
  BAR_STATUS,
  barFieldText,
  buyCost,
  encodeBarField,
  encodeBuyOrder,
  formatGrams,
  formatPrice,
  formatTroyOunces,
  getDesk,
  getGold,
  parseGrams,
  parsePricePerGram,
  sellProceeds,
} from "../lib/gold";
import { DEFAULT_BAR_CHUNK, MAX_BAR_CHUNK, batchAddBars, batchRemoveBars } from "../lib/gold-batch";
import type { BarItem } from "../lib/gold-batch";
import { parseBarsCsv, parseSerialsCsv } from "../lib/gold-csv";
import { resolveSigner } from "../lib/signers";
import { confirmationsFor, dryRunLine, execute, txLine, type Sendable } from "../lib/tx";
import { parseAddress, parsePositiveInt, parseReference } from "../lib/validate";

/* PLUMBING */

/** The three contracts of the gold system, typed. */
interface GoldSuite {
  gold: GoldToken;
  desk: GoldDesk;
  tenge: DigitalTenge;
}

/**
 * The deployed gold system. On the in-process `hardhat` network, whose chain lives only as long as the command, a
 * fresh deployment (the real deploy scripts) is made when there is none, so read tasks show something useful.
 */
async function loadGold(hre: HardhatRuntimeEnvironment): Promise<GoldSuite> {
  if (hre.network.name === "hardhat" && !(await hre.deployments.getOrNull("GoldToken"))) {
    await hre.deployments.fixture(["tenge", "gold"], { keepExistingDeployments: true });
    console.log("(in-process hardhat network: deployed a fresh tenge and gold system for this command only)");
  }
  return { gold: await getGold(hre), desk: await getDesk(hre), tenge: await getTenge(hre) };
}

/** The suite connected to the acting signer, and how transactions are sent. */
interface Actor extends GoldSuite {
  hre: HardhatRuntimeEnvironment;
  address: string;
  /** `--from <what was typed>`, for messages. */
  label: string;
  confirmations: number;
  dryRun: boolean;
}

async function actAs(hre: HardhatRuntimeEnvironment, from: string, dryRun: boolean): Promise<Actor> {
  const who = await resolveSigner(hre, from);
  const suite = await loadGold(hre);
  return {
    hre,
    gold: suite.gold.connect(who.signer),
    desk: suite.desk.connect(who.signer),
    tenge: suite.tenge.connect(who.signer),
    address: who.address,
    label: `--from ${who.label} (${who.address})`,
    confirmations: confirmationsFor(hre),
    dryRun,
  };
}

/** The errors of all three contracts, so a revert from any of them is named (each signature once). */
function errorsOf(suite: GoldSuite): Interface {
  const seen = new Set<string>();
  const fragments: ErrorFragment[] = [];
  for (const contract of [suite.desk, suite.gold, suite.tenge]) {
    contract.interface.forEachError((fragment) => {
      if (seen.has(fragment.selector)) return;
      seen.add(fragment.selector);
      fragments.push(fragment);
    });
  }
  return new Interface(fragments);
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
    iface: errorsOf(actor),
    what,
    confirmations: actor.confirmations,
    dryRun: actor.dryRun,
  });
  console.log(outcome.sent ? txLine(what, outcome.receipt, await result()) : dryRunLine(what, outcome.gasEstimate));
}

async function requireRole(contract: GoldToken | GoldDesk, role: string, actor: Actor): Promise<void> {
  if (!(await contract.hasRole(id(role), actor.address))) {
    throw new Error(`${actor.label} does not hold ${role} on ${await contract.getAddress()}`);
  }
}

/** Throws unless `account` may hold and move gold now (permitted, not frozen; the token not paused). */
async function requireGoldActive(gold: GoldToken, account: string, label: string): Promise<void> {
  if (await gold.paused()) throw new Error("the gold token is paused (gold:unpause lifts it)");
  if (await gold.isFrozen(account)) throw new Error(`${label} is frozen in gold`);
  if (!(await gold.isPermitted(account))) {
    throw new Error(
      `${label} is not a gold participant (onboarded in the tenge? then run gold:sync --account ${account})`,
    );
  }
}

/** The fresh price, or a one-line error: trading paused, no price, or stale. */
async function requireTradablePrice(desk: GoldDesk): Promise<{ price: bigint; feeBps: bigint }> {
  const [price, config] = await Promise.all([desk.price(), desk.config()]);
  if (config.paused) throw new Error("trading at the desk is paused (gold:unpause --desk lifts it)");
  if (price.priceTiynPerGram === 0n) throw new Error("no price has been published yet (gold:publish-price)");
  if (!price.fresh) {
    throw new Error(
      `the price ${formatPrice(price.priceTiynPerGram)} is stale: ${price.age} s old, the desk accepts ${config.maxPriceAge} s`,
    );
  }
  return { price: price.priceTiynPerGram, feeBps: config.feeBps };
}

async function deadlineFrom(hre: HardhatRuntimeEnvironment, minutes: string): Promise<bigint> {
  const m = parsePositiveInt(minutes, "--deadline-minutes", 24 * 60);
  const latest = await hre.ethers.provider.getBlock("latest");
  return BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000)) + BigInt(m * 60);
}

async function goldLine(gold: GoldToken, account: string): Promise<string> {
  const balance = await gold.balanceOf(account);
  return `${account} gold ${formatGrams(balance)} (${formatTroyOunces(balance)})`;
}

async function requireBar(gold: GoldToken, serialText: string, status: number) {
  const serial = encodeBarField(serialText, "--serial");
  const bar = await gold.barOf(serial);
  if (Number(bar.status) !== status) {
    const state = bar.status === 0n ? "not registered" : BAR_STATUS[Number(bar.status)];
    throw new Error(`--serial ${serialText}: the bar is ${state}, not ${BAR_STATUS[status]}`);
  }
  return { serial, bar };
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

const DRY_RUN = "Validate and simulate only; send nothing";
const GRAMS = "Grams of fine gold, exact decimal with at most 3 decimals (e.g. 1.5; 1 mg = 0.001)";
const DEADLINE = "Minutes until the order is void (1-1440)";

/* CUSTODIAN */

task(
  "gold:add-bars",
  "Custodian: register bars from a CSV (serial,refiner,fineWeightMg or fineGrams,fineness,vault[,recipient]) and mint each bar's fine weight; every row is checked on chain before anything is sent",
)
  .addParam("file", "CSV file; optional header; # comments and blank lines skipped (example: test/gold/data/bars.csv)")
  .addOptionalParam("to", "Recipient of the tokens of rows without one (default: the acting custodian)")
  .addOptionalParam("from", "Signer with CUSTODIAN_ROLE", "custodian")
  .addOptionalParam("chunk", `Bars per transaction (1-${MAX_BAR_CHUNK})`, String(DEFAULT_BAR_CHUNK))
  .addOptionalParam("startLine", "Skip rows before this file line, to resume a run that stopped part-way")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction(
      "gold:add-bars",
      async (args: FromArgs & { file: string; to?: string; chunk: string; startLine?: string }, hre) => {
        const chunkSize = parsePositiveInt(args.chunk, "--chunk", MAX_BAR_CHUNK);
        let rows = parseBarsCsv(readTextFile(args.file, "--file"), basename(args.file));
        if (args.startLine !== undefined) {
          const first = parsePositiveInt(args.startLine, "--start-line", Number.MAX_SAFE_INTEGER);
          rows = rows.filter((row) => row.line >= first);
          if (rows.length === 0) throw new Error(`--start-line ${first} is past the last row`);
        }
        const defaultTo = args.to === undefined ? undefined : parseAddress(args.to, "--to");
        const actor = await actAs(hre, args.from, args.dryRun);
        await requireRole(actor.gold, "CUSTODIAN_ROLE", actor);
        const items: BarItem[] = rows.map((row) => ({
          ...row,
          recipient: row.recipient ?? defaultTo ?? actor.address,
        }));
        await batchAddBars(actor.gold, items, {
          chunkSize,
          confirmations: actor.confirmations,
          dryRun: actor.dryRun,
        });
      },
    ),
  );

task(
  "gold:remove-bar",
  "Custodian: take bars in the vault out of the backing (one --serial, or every serial of a --file), burning their fine weight from the custodian",
)
  .addOptionalParam("serial", "The bar's serial")
  .addOptionalParam(
    "file",
    "CSV whose first field is a serial (a bars file as for gold:add-bars, or one serial per line)",
  )
  .addOptionalParam("startLine", "With --file: skip rows before this file line, to resume a run that stopped part-way")
  .addOptionalParam("from", "Signer with CUSTODIAN_ROLE", "custodian")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction(
      "gold:remove-bar",
      async (args: FromArgs & { serial?: string; file?: string; startLine?: string }, hre) => {
        if ((args.serial === undefined) === (args.file === undefined))
          throw new Error("give either --serial or --file");
        let rows =
          args.file !== undefined
            ? parseSerialsCsv(readTextFile(args.file, "--file"), basename(args.file))
            : [
                {
                  line: 1,
                  serialText: args.serial as string,
                  serial: encodeBarField(args.serial as string, "--serial"),
                },
              ];
        if (args.startLine !== undefined) {
          const first = parsePositiveInt(args.startLine, "--start-line", Number.MAX_SAFE_INTEGER);
          rows = rows.filter((row) => row.line >= first);
          if (rows.length === 0) throw new Error(`--start-line ${first} is past the last row`);
        }
        const actor = await actAs(hre, args.from, args.dryRun);
        await requireRole(actor.gold, "CUSTODIAN_ROLE", actor);
        await batchRemoveBars(actor.gold, actor.address, rows, {
          confirmations: actor.confirmations,
          dryRun: actor.dryRun,
          progress: args.file !== undefined,
        });
      },
    ),
  );

task("gold:release-bar", "Custodian: record that a redeemed (allocated) bar was delivered to its holder")
  .addParam("serial", "The bar's serial")
  .addOptionalParam("from", "Signer with CUSTODIAN_ROLE", "custodian")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("gold:release-bar", async (args: FromArgs & { serial: string }, hre) => {
      const actor = await actAs(hre, args.from, args.dryRun);
      const { gold } = actor;
      await requireRole(gold, "CUSTODIAN_ROLE", actor);
      const { serial, bar } = await requireBar(gold, args.serial, 2);
      await send(actor, gold.releaseBar, [serial], `release-bar ${args.serial} to ${bar.holder}`, async () => {
        const after = await gold.barOf(serial);
        return `bar ${args.serial} ${BAR_STATUS[Number(after.status)]}`;
      });
    }),
  );

/* ORACLE */

task("gold:publish-price", "Oracle: publish the price of one gram of fine gold in tenge (e.g. 52000.00)")
  .addParam("price", "Tenge per gram, exact decimal with at most 2 decimals")
  .addOptionalParam("observedAt", "Unix time of the observation (default: the latest block's time)")
  .addOptionalParam("from", "Signer with ORACLE_ROLE", "priceOracle")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("gold:publish-price", async (args: FromArgs & { price: string; observedAt?: string }, hre) => {
      const price = parsePricePerGram(args.price);
      const actor = await actAs(hre, args.from, args.dryRun);
      const { desk } = actor;
      await requireRole(desk, "ORACLE_ROLE", actor);
      const latest = BigInt((await hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
      const observedAt =
        args.observedAt === undefined
          ? latest
          : BigInt(parsePositiveInt(args.observedAt, "--observed-at", Number.MAX_SAFE_INTEGER));
      const [current, config] = await Promise.all([desk.price(), desk.config()]);
      if (observedAt > latest + 60n)
        throw new Error(`--observed-at ${observedAt} is in the future (chain time ${latest})`);
      if (observedAt <= current.publishedAt) {
        throw new Error(
          `--observed-at ${observedAt} is not after the price in force (observed at ${current.publishedAt})`,
        );
      }
      if (latest - observedAt > config.maxPriceAge) {
        throw new Error(`--observed-at ${observedAt} is older than the desk's ${config.maxPriceAge} s staleness bound`);
      }
      const previous = current.priceTiynPerGram;
      if (previous !== 0n) {
        const move = price > previous ? price - previous : previous - price;
        if (move * 10_000n > previous * config.maxMoveBps) {
          throw new Error(
            `${formatPrice(price)} moves ${(Number((move * 1_000_000n) / previous) / 100).toFixed(2)} bps from ${formatPrice(previous)}, beyond the desk's bound of ${config.maxMoveBps} bps (the manager may raise it)`,
          );
        }
      }
      await send(actor, desk.publishPrice, [price, observedAt], `publish-price ${formatPrice(price)}`, async () => {
        const p = await desk.price();
        return `price ${formatPrice(p.priceTiynPerGram)} observed at ${p.publishedAt}`;
      });
    }),
  );

/* TRADERS */

task(
  "gold:buy",
  "Buy gold at the desk for tenge in one transaction (tenge transferAndCall: pays the quote at --max-price, the difference is refunded at once)",
)
  .addParam("grams", GRAMS)
  .addParam("maxPrice", "Highest accepted price, tenge per gram (e.g. 52500)")
  .addOptionalParam("deadlineMinutes", DEADLINE, "10")
  .addOptionalParam("via", "call (one transferAndCall transaction) or allowance (approve, then buy)", "call")
  .addParam("from", "The buyer: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction(
      "gold:buy",
      async (args: FromArgs & { grams: string; maxPrice: string; deadlineMinutes: string; via: string }, hre) => {
        const amount = parseGrams(args.grams, { label: "--grams" });
        const maxPrice = parsePricePerGram(args.maxPrice, "--max-price");
        if (args.via !== "call" && args.via !== "allowance")
          throw new Error(`--via "${args.via}" is not call or allowance`);
        const deadline = await deadlineFrom(hre, args.deadlineMinutes);
        const actor = await actAs(hre, args.from, args.dryRun);
        const { gold, desk, tenge } = actor;
        const { price, feeBps } = await requireTradablePrice(desk);
        if (price > maxPrice) {
          throw new Error(`the price ${formatPrice(price)} is above --max-price ${formatPrice(maxPrice)}`);
        }
        const now = buyCost(amount, price, feeBps);
        const pay = args.via === "call" ? buyCost(amount, maxPrice, feeBps).total : now.total;
        const account = await tenge.accountOf(actor.address);
        if (!account.onboarded || account.frozen) throw new Error(`${actor.label} is not an active tenge wallet`);
        if (account.available < pay) {
          throw new Error(
            `${actor.label} has ${kztText(account.available)} available; the order needs ${kztText(pay)}`,
          );
        }
        if (!account.exempt && account.dailyRemaining < pay) {
          throw new Error(
            `${actor.label} may pay ${kztText(account.dailyRemaining)} more today; the order needs ${kztText(pay)}`,
          );
        }
        await requireGoldActive(gold, actor.address, actor.label);
        const inventory = await gold.balanceOf(desk);
        if (inventory < amount)
          throw new Error(`the desk holds ${formatGrams(inventory)}; the order asks ${formatGrams(amount)}`);
        const what = `buy ${formatGrams(amount)} at ${formatPrice(price)} (max ${formatPrice(maxPrice)}): cost ${kztText(now.cost)} + fee ${kztText(now.fee)}`;
        const result = async () =>
          `${await goldLine(gold, actor.address)}; tenge ${kztText(await tenge.balanceOf(actor.address))}`;
        if (args.via === "call") {
          const order = encodeBuyOrder(amount, maxPrice, deadline);
          const method = tenge.getFunction("transferAndCall(address,uint256,bytes)") as unknown as Sendable<
            [string, bigint, string]
          >;
          await send(actor, method, [await desk.getAddress(), pay, order], what, result);
          return;
        }
        if ((await tenge.allowance(actor.address, desk)) < pay) {
          await send(actor, tenge.approve, [await desk.getAddress(), pay], `approve the desk for ${kztText(pay)}`, () =>
            Promise.resolve(""),
          );
        }
        await send(actor, desk.buy, [amount, maxPrice, deadline], what, result);
      },
    ),
  );

task("gold:sell", "Sell gold to the desk for tenge in one transaction (approves the desk for the gold first if needed)")
  .addParam("grams", GRAMS)
  .addParam("minPrice", "Lowest accepted price, tenge per gram (e.g. 51500)")
  .addOptionalParam("deadlineMinutes", DEADLINE, "10")
  .addParam("from", "The seller: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction(
      "gold:sell",
      async (args: FromArgs & { grams: string; minPrice: string; deadlineMinutes: string }, hre) => {
        const amount = parseGrams(args.grams, { label: "--grams" });
        const minPrice = parsePricePerGram(args.minPrice, "--min-price");
        const deadline = await deadlineFrom(hre, args.deadlineMinutes);
        const actor = await actAs(hre, args.from, args.dryRun);
        const { gold, desk, tenge } = actor;
        const { price, feeBps } = await requireTradablePrice(desk);
        if (price < minPrice)
          throw new Error(`the price ${formatPrice(price)} is below --min-price ${formatPrice(minPrice)}`);
        const { gross, fee, proceeds } = sellProceeds(amount, price, feeBps);
        if (proceeds === 0n) throw new Error(`${formatGrams(amount)} pays nothing after rounding and the fee`);
        await requireGoldActive(gold, actor.address, actor.label);
        const balance = await gold.balanceOf(actor.address);
        if (balance < amount)
          throw new Error(`${actor.label} holds ${formatGrams(balance)}; the order sells ${formatGrams(amount)}`);
        const deskTenge = await tenge.balanceOf(desk);
        if (deskTenge < gross)
          throw new Error(`the desk holds ${kztText(deskTenge)}; the sale pays out ${kztText(gross)}`);
        const account = await tenge.accountOf(actor.address);
        if (!account.onboarded || account.frozen) throw new Error(`${actor.label} is not an active tenge wallet`);
        if (!account.exempt) {
          const [holding] = await tenge.tierLimits(account.tier);
          if (account.balance + proceeds > holding) {
            throw new Error(
              `${actor.label} would hold ${kztText(account.balance + proceeds)}, above its tier's limit of ${kztText(holding)}`,
            );
          }
        }
        if ((await gold.allowance(actor.address, desk)) < amount) {
          await send(
            actor,
            gold.approve,
            [await desk.getAddress(), amount],
            `approve the desk for ${formatGrams(amount)}`,
            () => Promise.resolve(""),
          );
        }
        await send(
          actor,
          desk.sell,
          [amount, minPrice, deadline],
          `sell ${formatGrams(amount)} at ${formatPrice(price)} (min ${formatPrice(minPrice)}): proceeds ${kztText(proceeds)}, fee ${kztText(fee)}`,
          async () => `${await goldLine(gold, actor.address)}; tenge ${kztText(await tenge.balanceOf(actor.address))}`,
        );
      },
    ),
  );

task("gold:redeem-bar", "Holder: burn a whole bar's fine weight and have that bar allocated for physical delivery")
  .addParam("serial", "The bar's serial (gold:backing --list shows the bars in the vault)")
  .addParam("from", "The holder: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("gold:redeem-bar", async (args: FromArgs & { serial: string }, hre) => {
      const actor = await actAs(hre, args.from, args.dryRun);
      const { gold } = actor;
      const { serial, bar } = await requireBar(gold, args.serial, 1);
      await requireGoldActive(gold, actor.address, actor.label);
      const balance = await gold.balanceOf(actor.address);
      if (balance < bar.fineWeightMg) {
        throw new Error(
          `${actor.label} holds ${formatGrams(balance)}; bar ${args.serial} is ${formatGrams(bar.fineWeightMg)} (sell partial holdings with gold:sell)`,
        );
      }
      await send(
        actor,
        gold.redeemBar,
        [serial],
        `redeem-bar ${args.serial} (${formatGrams(bar.fineWeightMg)})`,
        async () => {
          const after = await gold.barOf(serial);
          return `bar ${args.serial} ${BAR_STATUS[Number(after.status)]} to ${after.holder}; ${await goldLine(gold, actor.address)}`;
        },
      );
    }),
  );

/* PARTICIPANTS AND COMPLIANCE */

task("gold:sync", "Anyone: record wallets' tenge status in gold (permitted when onboarded and not frozen in the tenge)")
  .addParam("account", "Wallet address, or several separated by commas")
  .addOptionalParam("from", "Any signer (pays the gas)", "deployer")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("gold:sync", async (args: FromArgs & { account: string }, hre) => {
      const accounts = args.account.split(",").map((a, i) => parseAddress(a.trim(), `--account #${i + 1}`));
      const actor = await actAs(hre, args.from, args.dryRun);
      const { gold } = actor;
      await send(actor, gold.syncParticipants, [accounts], `sync ${accounts.length} wallet(s)`, async () => {
        const states = await Promise.all(accounts.map((a) => gold.isPermitted(a)));
        return accounts.map((a, i) => `${a} permitted ${yesNo(states[i])}`).join("; ");
      });
    }),
  );

for (const [name, freeze] of [
  ["gold:freeze", true],
  ["gold:unfreeze", false],
] as const) {
  task(
    name,
    freeze
      ? "Compliance: freeze a wallet in gold (it can neither send, receive nor redeem)"
      : "Compliance: lift a gold freeze",
  )
    .addParam("account", "The wallet")
    .addParam("reason", "Reason code: text of at most 31 bytes (e.g. a case number), or 0x + 64 hex digits")
    .addOptionalParam("from", "Signer with COMPLIANCE_ROLE", "compliance")
    .addFlag("dryRun", DRY_RUN)
    .setAction(
      cliAction(name, async (args: FromArgs & { account: string; reason: string }, hre) => {
        const account = parseAddress(args.account, "--account");
        const reason = parseReference(args.reason, "--reason");
        const actor = await actAs(hre, args.from, args.dryRun);
        const { gold } = actor;
        await requireRole(gold, "COMPLIANCE_ROLE", actor);
        if ((await gold.isFrozen(account)) === freeze) {
          throw new Error(`--account ${account} is already ${freeze ? "frozen" : "not frozen"} in gold`);
        }
        await send(
          actor,
          freeze ? gold.freeze : gold.unfreeze,
          [account, reason],
          `${freeze ? "freeze" : "unfreeze"} ${account}`,
          async () => `${account} frozen in gold ${yesNo(await gold.isFrozen(account))}`,
        );
      }),
    );
}

for (const [name, pause] of [
  ["gold:pause", true],
  ["gold:unpause", false],
] as const) {
  task(
    name,
    pause
      ? "Pauser: stop every movement of gold tokens (or, with --desk, trading at the desk)"
      : "Pauser: lift the gold pause (or, with --desk, the desk's)",
  )
    .addFlag("desk", "Pause or resume trading at the desk instead of the gold token")
    .addOptionalParam("from", "Signer with PAUSER_ROLE", "pauser")
    .addFlag("dryRun", DRY_RUN)
    .setAction(
      cliAction(name, async (args: FromArgs & { desk: boolean }, hre) => {
        const actor = await actAs(hre, args.from, args.dryRun);
        const target = args.desk ? actor.desk : actor.gold;
        const what = args.desk ? "desk trading" : "the gold token";
        await requireRole(target, "PAUSER_ROLE", actor);
        const paused = args.desk ? (await actor.desk.config()).paused : await actor.gold.paused();
        if (paused === pause) throw new Error(`${what} is already ${pause ? "paused" : "unpaused"}`);
        const method = pause ? target.pause : target.unpause;
        await send(actor, method as Sendable<[]>, [], `${pause ? "pause" : "unpause"} ${what}`, async () => {
          const now = args.desk ? (await actor.desk.config()).paused : await actor.gold.paused();
          return `${what} paused ${yesNo(now)}`;
        });
      }),
    );
}

/* READ */

task("gold:balance", "Show a wallet's gold (grams and troy ounces), its gold permission and freeze, and its tenge")
  .addParam("account", "Wallet address")
  .setAction(
    cliAction("gold:balance", async (args: { account: string }, hre) => {
      const account = parseAddress(args.account, "--account", { allowZero: true });
      const { gold, tenge } = await loadGold(hre);
      const [permitted, frozen, tengeBalance] = await Promise.all([
        gold.isPermitted(account),
        gold.isFrozen(account),
        tenge.balanceOf(account),
      ]);
      console.log(
        `${await goldLine(gold, account)}; permitted ${yesNo(permitted)}, frozen ${yesNo(frozen)}; tenge ${kztText(tengeBalance)}`,
      );
    }),
  );

task("gold:price", "Show the desk's price, its age and freshness, the fee and bounds, and optionally a quote")
  .addOptionalParam("grams", "Quote buying and selling this many grams")
  .setAction(
    cliAction("gold:price", async (args: { grams?: string }, hre) => {
      const { desk, gold } = await loadGold(hre);
      const [price, config, inventory] = await Promise.all([desk.price(), desk.config(), gold.balanceOf(desk)]);
      const state = price.priceTiynPerGram === 0n ? "none published" : price.fresh ? "fresh" : "STALE";
      console.log(
        `price ${formatPrice(price.priceTiynPerGram)} (${state}; observed at ${price.publishedAt}, ${price.age} s ago)`,
      );
      console.log(
        `fee ${config.feeBps} bps, max age ${config.maxPriceAge} s, max move ${config.maxMoveBps} bps, trading ${config.paused ? "PAUSED" : "open"}, treasury ${config.treasury}`,
      );
      console.log(`desk inventory ${formatGrams(inventory)}, ${kztText(await (await getTenge(hre)).balanceOf(desk))}`);
      if (args.grams !== undefined) {
        const amount = parseGrams(args.grams, { label: "--grams" });
        const b = buyCost(amount, price.priceTiynPerGram, config.feeBps);
        const s = sellProceeds(amount, price.priceTiynPerGram, config.feeBps);
        console.log(`buy ${formatGrams(amount)}: ${kztText(b.cost)} + fee ${kztText(b.fee)} = ${kztText(b.total)}`);
        console.log(
          `sell ${formatGrams(amount)}: ${kztText(s.gross)} - fee ${kztText(s.fee)} = ${kztText(s.proceeds)}`,
        );
      }
    }),
  );

task(
  "gold:backing",
  "Backing report: bars in vault by vault, Σ fine weight against the supply (held or BROKEN), allocated bars",
)
  .addFlag("list", "List every bar")
  .setAction(
    cliAction("gold:backing", async (args: { list: boolean }, hre) => {
      const { gold } = await loadGold(hre);
      const backing = await gold.backing();
      const bars: Awaited<ReturnType<GoldToken["barsPage"]>>[number][] = [];
      for (let start = 0n; start < backing.barsRegistered; start += 200n)
        bars.push(...(await gold.barsPage(start, 200n)));
      const vaults = new Map<string, { count: number; weight: bigint }>();
      let inVault = 0n;
      for (const bar of bars) {
        if (bar.status !== 1n) continue;
        const v = vaults.get(bar.vault) ?? { count: 0, weight: 0n };
        v.count += 1;
        v.weight += bar.fineWeightMg;
        vaults.set(bar.vault, v);
        inVault += bar.fineWeightMg;
      }
      console.log(`gold token ${await gold.getAddress()} on ${hre.network.name}`);
      console.log("bars in vault, by vault");
      for (const [vault, v] of [...vaults].sort()) {
        console.log(
          `  ${barFieldText(vault).padEnd(20)} ${String(v.count).padStart(5)} bars  ${formatGrams(v.weight)} (${formatTroyOunces(v.weight)})`,
        );
      }
      const allocated = bars.filter((b) => b.status === 2n);
      console.log(`allocated to holders, awaiting delivery: ${allocated.length}`);
      for (const b of allocated)
        console.log(`  ${barFieldText(b.serial)} ${formatGrams(b.fineWeightMg)} → ${b.holder}`);
      console.log(`released from custody: ${bars.filter((b) => b.status === 3n).length}`);
      if (args.list) {
        console.log("every bar");
        for (const b of bars) {
          console.log(
            `  ${barFieldText(b.serial).padEnd(16)} ${barFieldText(b.refiner).padEnd(20)} ${formatGrams(b.fineWeightMg).padStart(14)} ${(Number(b.fineness) / 10).toFixed(1)} ${barFieldText(b.vault).padEnd(16)} ${BAR_STATUS[Number(b.status)]}`,
          );
        }
      }
      const held = inVault === backing.totalSupply && backing.inVaultFineWeightMg === backing.totalSupply;
      console.log(
        `Σ fine weight in vault ${formatGrams(inVault)} (bar by bar), ${formatGrams(backing.inVaultFineWeightMg)} (contract's counter)`,
      );
      console.log(
        `total supply           ${formatGrams(backing.totalSupply)} (${formatTroyOunces(backing.totalSupply)})`,
      );
      console.log(`full backing: ${held ? "held" : "BROKEN"}`);
      if (!held) process.exitCode = 1;
    }),
  );
