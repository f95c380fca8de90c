import { basename } from "node:path";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet, ZeroAddress } from "ethers";
import type { Signer, TypedDataDomain } from "ethers";
import type { DigitalTenge, TengeOffline } from "../../typechain-types";
import { kztText, parseTenge } from "../lib/amounts";
import { cliAction } from "../lib/cli";
import { getTenge } from "../lib/contracts";
import { readTextFile } from "../lib/csv";
import { domainOf } from "../lib/eip712";
import {
  MAX_OFFLINE_NONCE,
  MAX_OFFLINE_TIME,
  SENTINEL_NONCE,
  decodeOfflineQr,
  encodeOfflineBatch,
  encodeOfflineQr,
  formatResultTable,
  offlineDomain,
  parseOfflineFile,
  parseOfflineSettlement,
  resultRows,
  signOfflinePayment,
  verifyOfflinePayment,
} from "../lib/offline";
import type { OfflineFileRow, OfflineResultRow } from "../lib/offline";
import { labelled, requireNotPaused, requireOnboarded, requireRole } from "../lib/preflight";
import { resolveSigner } from "../lib/signers";
import { confirmationsFor, dryRunLine, execute, txLine, type Sendable } from "../lib/tx";
import { parseAddress, parsePositiveInt } from "../lib/validate";

/*
 * Offline payments: `offline:sign` and `offline:verify` work without a network when given --chain-id and --token;
 * the other tasks read the deployment like the `tenge:*` tasks, check every precondition before sending, and print
 * one line per transaction (`offline:settle` adds a per-payment result table).
 */

const DRY_RUN = "Validate and simulate only; send nothing";
const NO_NETWORK = "with --token, the token's chain id: sign or verify without reading the chain";

/* PLUMBING */

/** The deployed token and the TengeOffline ABI at its address (a fresh deployment on the in-process network). */
async function loadOffline(hre: HardhatRuntimeEnvironment): Promise<{ tenge: DigitalTenge; offline: TengeOffline }> {
  if (hre.network.name === "hardhat" && !(await hre.deployments.getOrNull("DigitalTenge"))) {
    await hre.deployments.fixture(["tenge"], { keepExistingDeployments: true });
    console.log("(in-process hardhat network: deployed a fresh DigitalTenge for this command only)");
  }
  const tenge = await getTenge(hre);
  const offline = await hre.ethers.getContractAt("TengeOffline", await tenge.getAddress());
  return { tenge, offline };
}

interface DomainArgs {
  chainId?: string;
  token?: string;
  name: string;
}

/** The token's EIP-712 domain: from --chain-id and --token without a network, else read from the deployment. */
async function resolveDomain(hre: HardhatRuntimeEnvironment, args: DomainArgs): Promise<TypedDataDomain> {
  if ((args.chainId === undefined) !== (args.token === undefined)) {
    throw new Error("give both --chain-id and --token (to work without a network) or neither");
  }
  if (args.chainId !== undefined && args.token !== undefined) {
    if (!/^[1-9]\d*$/.test(args.chainId)) throw new Error(`--chain-id "${args.chainId}" is not a chain id`);
    return offlineDomain(BigInt(args.chainId), parseAddress(args.token, "--token"), args.name);
  }
  return domainOf((await loadOffline(hre)).tenge);
}

/** Parses a Unix time in seconds that fits a record (40 bits). */
function parseTime(text: string, label: string): bigint {
  if (!/^(0|[1-9]\d*)$/.test(text)) throw new Error(`${label} "${text}" is not a Unix time in seconds`);
  const value = BigInt(text);
  if (value > MAX_OFFLINE_TIME) throw new Error(`${label} ${text} is above 2^40 - 1 (seconds, not milliseconds?)`);
  return value;
}

/** Seconds since the epoch by this machine's clock (signing happens offline). */
function clockNow(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}

function whenText(seconds: bigint): string {
  return `${seconds} (${new Date(Number(seconds) * 1000).toISOString()})`;
}

/** Simulates, sends and prints one line, like the tenge tasks. */
async function send<A extends unknown[]>(
  hre: HardhatRuntimeEnvironment,
  offline: TengeOffline,
  call: { method: Sendable<A>; args: A },
  what: string,
  dryRun: boolean,
  result: () => Promise<string>,
): Promise<void> {
  const outcome = await execute(call.method, call.args, {
    iface: offline.interface,
    what,
    confirmations: confirmationsFor(hre),
    dryRun,
  });
  console.log(outcome.sent ? txLine(what, outcome.receipt, await result()) : dryRunLine(what, outcome.gasEstimate));
}

function purseText(purse: Awaited<ReturnType<TengeOffline["purseOf"]>>): string {
  if (purse.validUntil === 0n) return "no purse";
  const payee = purse.payee === ZeroAddress ? "any payee" : purse.payee;
  const state = purse.inForce ? "in force" : "ended, releasable";
  return `purse ${kztText(purse.amount)} for ${payee} until ${whenText(purse.validUntil)} (${state})`;
}

/* SIGN AND VERIFY (no network needed) */

interface SignArgs extends DomainArgs {
  from?: string;
  keyEnv?: string;
  payee: string;
  amount: string;
  nonce: string;
  validAfter: string;
  validBefore?: string;
  validFor: string;
  fromPurse: boolean;
}

task("offline:sign", "Payer: sign an offline payment and print it as a QR-ready string (dtop1:…)")
  .addParam("payee", "The merchant's address")
  .addParam("amount", "Amount in tenge, exact decimal with at most 2 decimals (e.g. 1500.25)")
  .addParam("nonce", "The payment's nonce, 0 to 4294967295 but not 255 (the device's counter; unique per payer)")
  .addOptionalParam("from", "Payer: named account, account index or address the node holds (or use --key-env)")
  .addOptionalParam("keyEnv", "Sign with the private key in this environment variable instead of --from")
  .addOptionalParam("validAfter", "Valid strictly after this Unix time", "0")
  .addOptionalParam("validBefore", "Valid strictly before this Unix time (default: now + --valid-for)")
  .addOptionalParam("validFor", "Seconds from now the payment stays valid, when --valid-before is not given", "86400")
  .addFlag("fromPurse", "Draw on the payer's offline purse instead of its balance")
  .addOptionalParam("chainId", NO_NETWORK)
  .addOptionalParam("token", "with --chain-id, the token's (proxy's) address")
  .addOptionalParam("name", "The token's EIP-712 name", "Digital Tenge")
  .setAction(
    cliAction("offline:sign", async (args: SignArgs, hre) => {
      const payee = parseAddress(args.payee, "--payee");
      const amount = parseTenge(args.amount, { label: "--amount" });
      if (!/^(0|[1-9]\d*)$/.test(args.nonce) || BigInt(args.nonce) > MAX_OFFLINE_NONCE) {
        throw new Error(`--nonce "${args.nonce}" must be a whole number from 0 to ${MAX_OFFLINE_NONCE}`);
      }
      const nonce = BigInt(args.nonce);
      if (nonce === SENTINEL_NONCE) throw new Error("--nonce 255 is never usable (it marks the nonce bitmap)");
      const validAfter = parseTime(args.validAfter, "--valid-after");
      const validBefore =
        args.validBefore !== undefined
          ? parseTime(args.validBefore, "--valid-before")
          : clockNow() + BigInt(parsePositiveInt(args.validFor, "--valid-for", 366 * 86_400));
      if (validBefore <= validAfter)
        throw new Error(`--valid-before ${validBefore} is not after --valid-after ${validAfter}`);
      let signer: Signer;
      if (args.keyEnv !== undefined) {
        const key = process.env[args.keyEnv];
        if (key === undefined || !/^(0x)?[0-9a-fA-F]{64}$/.test(key)) {
          throw new Error(`--key-env ${args.keyEnv}: the variable is not set to a 32-byte hex private key`);
        }
        signer = new Wallet(key);
      } else if (args.from !== undefined) {
        signer = (await resolveSigner(hre, args.from)).signer;
      } else {
        throw new Error("give --from (an account the node holds) or --key-env (a variable holding the payer's key)");
      }
      const domain = await resolveDomain(hre, args);
      const signed = await signOfflinePayment(signer, domain, {
        payee,
        amount,
        validAfter,
        validBefore,
        nonce,
        fromPurse: args.fromPurse,
      });
      console.log(encodeOfflineQr(signed));
    }),
  );

interface VerifyArgs extends DomainArgs {
  qr: string;
  payee?: string;
  now?: string;
}

task(
  "offline:verify",
  "Merchant's terminal: decode and verify a QR string without a network (with --chain-id, --token)",
)
  .addParam("qr", "The scanned string (dtop1:…)")
  .addOptionalParam("payee", "The terminal's address: the payment must be to it")
  .addOptionalParam("now", "Check the validity window at this Unix time (default: this machine's clock)")
  .addOptionalParam("chainId", NO_NETWORK)
  .addOptionalParam("token", "with --chain-id, the token's (proxy's) address")
  .addOptionalParam("name", "The token's EIP-712 name", "Digital Tenge")
  .setAction(
    cliAction("offline:verify", async (args: VerifyArgs, hre) => {
      const payment = decodeOfflineQr(args.qr);
      const payee = args.payee === undefined ? undefined : parseAddress(args.payee, "--payee");
      const now = args.now === undefined ? clockNow() : parseTime(args.now, "--now");
      const domain = await resolveDomain(hre, args);
      const verification = verifyOfflinePayment(payment, domain, { payee, now });
      console.log(`payer        ${payment.payer}`);
      console.log(`payee        ${payment.payee}`);
      console.log(`amount       ${kztText(payment.amount)}`);
      console.log(`from         ${payment.fromPurse ? "the payer's offline purse" : "the payer's balance"}`);
      console.log(`valid after  ${whenText(payment.validAfter)}`);
      console.log(`valid before ${whenText(payment.validBefore)}`);
      console.log(`nonce        ${payment.nonce}`);
      if (!verification.ok) throw new Error(`payment refused: ${verification.problems.join("; ")}`);
      console.log(
        "signature    valid: signed by the payer for this token and chain (funds, nonce and purse are settled on chain)",
      );
    }),
  );

/* SETTLE */

interface SettleArgs {
  file: string;
  from: string;
  chunk: string;
  dryRun: boolean;
}

task("offline:settle", "Merchant: settle a file of offline payments (one QR string per line) and print each result")
  .addParam("file", "File of QR strings, one per line (blank lines and # comments are skipped)")
  .addParam("from", "The merchant (payee of every payment): named account, account index or address the node holds")
  .addOptionalParam("chunk", "Payments per transaction", "100")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("offline:settle", async (args: SettleArgs, hre) => {
      const chunk = parsePositiveInt(args.chunk, "--chunk", 500);
      const text = readTextFile(args.file, "--file");
      const who = await resolveSigner(hre, args.from);
      const { tenge, offline } = await loadOffline(hre);
      const rows = parseOfflineFile(text, basename(args.file), who.address, await domainOf(tenge));
      const merchant = await requireOnboarded(tenge, who.address, `--from ${who.label}`);
      if (merchant.frozen)
        throw new Error(`${labelled(`--from ${who.label}`, who.address)} is frozen: it cannot receive`);
      await requireNotPaused(tenge, "settle offline payments");
      const results: OfflineResultRow[] = [];
      const connected = offline.connect(who.signer);
      for (let start = 0; start < rows.length; start += chunk) {
        const part: OfflineFileRow[] = rows.slice(start, start + chunk);
        const what = `settle ${part.length} offline payment${part.length === 1 ? "" : "s"} (lines ${part[0].line}-${part[part.length - 1].line})`;
        const outcome = await execute(
          connected.settleOfflinePayments,
          [who.address, encodeOfflineBatch(part.map((r) => r.payment))],
          { iface: offline.interface, what, confirmations: confirmationsFor(hre), dryRun: args.dryRun },
        );
        if (!outcome.sent) {
          console.log(dryRunLine(what, outcome.gasEstimate));
          continue;
        }
        const settlement = parseOfflineSettlement(outcome.receipt.logs, offline.interface);
        console.log(
          txLine(
            what,
            outcome.receipt,
            `settled ${settlement.settled}, failed ${settlement.failed.length}, credited ${kztText(settlement.total)}`,
          ),
        );
        results.push(...resultRows(part, settlement));
      }
      if (results.length === 0) return;
      for (const line of formatResultTable(results)) console.log(line);
      const settled = results.filter((r) => r.result === "settled");
      const total = settled.reduce((sum, r) => sum + r.amount, 0n);
      console.log(
        `${settled.length} of ${results.length} settled, ${kztText(total)} credited; ${results.length - settled.length} failed`,
      );
    }),
  );

/* PURSES */

interface ReserveArgs {
  amount: string;
  payee: string;
  validUntil?: string;
  days: string;
  from: string;
  dryRun: boolean;
}

task("offline:reserve-purse", "Holder: move tenge into an offline purse that only offline purse payments can draw on")
  .addParam("amount", "Amount in tenge to add")
  .addParam("payee", 'The only merchant the purse pays, or "any"')
  .addOptionalParam("validUntil", "The purse's end, Unix time (default: now + --days)")
  .addOptionalParam("days", "Days the purse lasts, when --valid-until is not given", "7")
  .addParam("from", "The holder: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("offline:reserve-purse", async (args: ReserveArgs, hre) => {
      const amount = parseTenge(args.amount, { label: "--amount" });
      const payee = args.payee === "any" ? ZeroAddress : parseAddress(args.payee, "--payee");
      const who = await resolveSigner(hre, args.from);
      const label = `--from ${who.label}`;
      const { tenge, offline } = await loadOffline(hre);
      const block = await hre.ethers.provider.getBlock("latest");
      const chainNow = BigInt(block?.timestamp ?? 0);
      const current = await offline.purseOf(who.address);
      let validUntil: bigint;
      if (current.inForce) {
        // A top-up keeps the terms; say so rather than let the contract refuse.
        validUntil = args.validUntil === undefined ? current.validUntil : parseTime(args.validUntil, "--valid-until");
        if (validUntil !== current.validUntil || payee !== current.payee) {
          throw new Error(
            `${labelled(label, who.address)} has a ${purseText(current)}: a top-up must keep its payee and end`,
          );
        }
      } else {
        validUntil =
          args.validUntil !== undefined
            ? parseTime(args.validUntil, "--valid-until")
            : chainNow + BigInt(parsePositiveInt(args.days, "--days", 366)) * 86_400n;
        if (validUntil <= chainNow)
          throw new Error(`--valid-until ${validUntil} is not in the future (chain time ${chainNow})`);
      }
      await requireNotPaused(tenge, "reserve a purse");
      const account = await requireOnboarded(tenge, who.address, label);
      if (account.frozen) throw new Error(`${labelled(label, who.address)} is frozen`);
      const cap = (await offline.offlinePurseCaps())[Number(account.tier)];
      if (current.amount + amount > cap) {
        throw new Error(
          `the purse would hold ${kztText(current.amount + amount)}, above tier ${account.tier}'s cap of ${kztText(cap)}`,
        );
      }
      if (amount > account.available) {
        throw new Error(
          `${labelled(label, who.address)} has ${kztText(account.available)} available, not ${kztText(amount)}`,
        );
      }
      if (!account.exempt && amount > account.dailyRemaining) {
        throw new Error(`the reservation counts as outflow: only ${kztText(account.dailyRemaining)} left today`);
      }
      const connected = offline.connect(who.signer);
      await send(
        hre,
        offline,
        { method: connected.reservePurse, args: [amount, validUntil, payee] },
        `reserve-purse ${kztText(amount)} for ${payee === ZeroAddress ? "any payee" : payee} until ${validUntil}`,
        args.dryRun,
        async () => purseText(await offline.purseOf(who.address)),
      );
    }),
  );

interface FromArgs {
  from: string;
  dryRun: boolean;
}

task("offline:release-purse", "Holder: return what is left of an ended offline purse to the balance")
  .addParam("from", "The holder: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("offline:release-purse", async (args: FromArgs, hre) => {
      const who = await resolveSigner(hre, args.from);
      const label = `--from ${who.label}`;
      const { tenge, offline } = await loadOffline(hre);
      const purse = await offline.purseOf(who.address);
      if (purse.validUntil === 0n) throw new Error(`${labelled(label, who.address)} has no purse`);
      if (purse.inForce) throw new Error(`${labelled(label, who.address)} has a ${purseText(purse)}: wait for its end`);
      await requireNotPaused(tenge, "release a purse");
      const connected = offline.connect(who.signer);
      await send(
        hre,
        offline,
        { method: connected.releasePurse, args: [] },
        `release-purse ${kztText(purse.amount)}`,
        args.dryRun,
        async () => `balance ${kztText(await tenge.balanceOf(who.address))}`,
      );
    }),
  );

task("offline:purse", "Show a holder's offline purse and the purse caps")
  .addParam("account", "The holder")
  .setAction(
    cliAction("offline:purse", async (args: { account: string }, hre) => {
      const account = parseAddress(args.account, "--account");
      const { offline } = await loadOffline(hre);
      console.log(`${account}: ${purseText(await offline.purseOf(account))}`);
      const caps = await offline.offlinePurseCaps();
      console.log(`caps: ${caps.map((c, tier) => `tier ${tier} ${kztText(c)}`).join(", ")}`);
    }),
  );

/* CANCEL AND CAPS */

interface CancelArgs extends FromArgs {
  nonce: string;
}

task("offline:cancel", "Payer: cancel one of its unsettled offline payments (from the balance) by nonce")
  .addParam("nonce", "The payment's nonce")
  .addParam("from", "The payer: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("offline:cancel", async (args: CancelArgs, hre) => {
      if (!/^(0|[1-9]\d*)$/.test(args.nonce) || BigInt(args.nonce) > MAX_OFFLINE_NONCE) {
        throw new Error(`--nonce "${args.nonce}" must be a whole number from 0 to ${MAX_OFFLINE_NONCE}`);
      }
      const nonce = BigInt(args.nonce);
      const who = await resolveSigner(hre, args.from);
      const { offline } = await loadOffline(hre);
      const status = await offline.offlineNonceStatus(who.address, nonce);
      if (status !== 0n) {
        throw new Error(`nonce ${nonce} of ${who.address} is already ${status === 1n ? "used" : "cancelled"}`);
      }
      const connected = offline.connect(who.signer);
      await send(
        hre,
        offline,
        { method: connected.cancelOfflinePayment, args: [nonce] },
        `cancel offline payment ${nonce} of ${who.address}`,
        args.dryRun,
        () => Promise.resolve("cancelled"),
      );
    }),
  );

interface CapsArgs extends FromArgs {
  caps: string;
}

task("offline:set-purse-caps", "Central bank: set the largest offline purse of each KYC tier (tenge, tiers 0-3)")
  .addParam("caps", 'Four amounts in tenge, tiers 0 to 3, comma-separated (e.g. "5000,20000,50000,0")')
  .addOptionalParam("from", "Signer with CENTRAL_BANK_ROLE", "issuanceDesk")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("offline:set-purse-caps", async (args: CapsArgs, hre) => {
      const parts = args.caps.split(",");
      if (parts.length !== 4) throw new Error(`--caps "${args.caps}" must list 4 amounts, tiers 0 to 3`);
      const caps = parts.map((p, tier) =>
        parseTenge(p.trim(), { label: `--caps tier ${tier}`, allowZero: true, max: (1n << 56n) - 1n }),
      ) as [bigint, bigint, bigint, bigint];
      const who = await resolveSigner(hre, args.from);
      const { tenge, offline } = await loadOffline(hre);
      await requireRole(tenge, "CENTRAL_BANK_ROLE", who.address, `--from ${who.label}`);
      const connected = offline.connect(who.signer);
      await send(
        hre,
        offline,
        { method: connected.setOfflinePurseCaps, args: [caps] },
        `set-purse-caps ${caps.map((c) => kztText(c)).join(" / ")}`,
        args.dryRun,
        async () => `caps ${(await offline.offlinePurseCaps()).map((c) => kztText(c)).join(" / ")}`,
      );
    }),
  );
