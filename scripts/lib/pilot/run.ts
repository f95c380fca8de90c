import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import { keccak256, toUtf8Bytes } from "ethers";
import { formatTenge } from "../amounts";
import { getTenge } from "../contracts";
import { getStablecoin } from "../stablecoin";
import { getDesk, getGold } from "../gold";
import { getPrograms } from "../programs";
import { PilotContext, pilotWallet } from "./context";
import type { Participant, PilotCast, PilotOptions, StepResult } from "./context";
import type { PilotReport, ReportStep } from "./report";
import { PILOT_INVARIANTS, PILOT_STATE, PILOT_STEPS } from "./story";
import { deploySuite, tierOf } from "./steps/core";
import { hardenHttpProvider } from "../rpc-retry";

/** Display names of the pilot's banks, shops and vendors (labels only: nothing about them goes on chain). */
export const BANK_NAMES = ["Eurasian Bank", "Halyk Bank", "Kaspi Bank", "Bank CenterCredit"];
export const SHOP_NAMES = [
  "Magnum supermarket",
  "Almaty pharmacy",
  "Kazpost shop",
  "Coffee house",
  "Book shop",
  "Sports shop",
];
export const VENDOR_NAMES = ["Green Bazaar fruit stall", "Green Bazaar bakery", "Altyn Orda textiles", "Flower kiosk"];
/** Accounts of a development node the pilot uses: the named roles (0-4, 16-19) and the banks (5-8). */
export const ACCOUNTS_NEEDED = 20;
/** Most children a run may enrol (the lunch step keeps every signature in memory). */
export const MAX_CHILDREN = 50_000;

/** Canteens: one per 250 children, between 4 and 40 (each canteen's terminal is one pipelined sender). */
export function canteenCount(children: number): number {
  return Math.min(40, Math.max(4, Math.ceil(children / 250)));
}

function participant(seed: string, role: string, index: number, name: string, bank: number): Participant {
  const wallet = pilotWallet(seed, role, index);
  return { name, wallet, address: wallet.address, bank };
}

async function castFor(hre: HardhatRuntimeEnvironment, options: PilotOptions): Promise<PilotCast> {
  const named = await hre.getNamedAccounts();
  const signer = (name: string): Promise<Signer> => hre.ethers.getSigner(named[name]);
  const signers = await hre.ethers.getSigners();
  let banks: PilotCast["banks"];
  if (hre.network.live) {
    // A live network has the deployer's key only: the banks' keys derive from the seed and get gas at onboarding.
    banks = BANK_NAMES.map((name, i) => {
      const wallet = pilotWallet(options.seed, "bank", i).connect(hre.ethers.provider);
      return { name, signer: wallet, address: wallet.address };
    });
  } else {
    if (signers.length < ACCOUNTS_NEEDED) {
      throw new Error(
        `the pilot needs ${ACCOUNTS_NEEDED} unlocked accounts on "${hre.network.name}", the node offers ${signers.length}`,
      );
    }
    banks = await Promise.all(
      BANK_NAMES.map(async (name, i) => ({ name, signer: signers[5 + i], address: await signers[5 + i].getAddress() })),
    );
  }
  const bankCount = BANK_NAMES.length;
  const citizens = [];
  for (let b = 0; b < bankCount; b++) {
    for (let j = 0; j < options.citizensPerBank; j++) {
      const index = b * options.citizensPerBank + j;
      citizens.push({ ...participant(options.seed, "citizen", index, `citizen ${index + 1}`, b), tier: tierOf(index) });
    }
  }
  return {
    centralBank: await signer("centralBank"),
    desk: await signer("issuanceDesk"),
    pauser: await signer("pauser"),
    compliance: await signer("compliance"),
    enforcement: await signer("enforcement"),
    custodian: await signer("custodian"),
    priceOracle: await signer("priceOracle"),
    goldTreasury: await signer("goldTreasury"),
    taxAuthority: await signer("taxAuthority"),
    banks,
    shops: SHOP_NAMES.map((name, i) => participant(options.seed, "shop", i, name, i % bankCount)),
    canteens: Array.from({ length: canteenCount(options.children) }, (_, i) =>
      participant(options.seed, "canteen", i, `School No. ${i + 1} canteen`, i % bankCount),
    ),
    vendors: VENDOR_NAMES.map((name, i) => participant(options.seed, "vendor", i, name, (i + 1) % bankCount)),
    city: participant(options.seed, "city", 0, "Almaty city treasury", 0),
    citizens,
  };
}

/** Checks the options before anything is sent; one line says what is wrong. */
export function checkOptions(options: PilotOptions): void {
  const whole = (value: number, label: string, min: number, max: number): void => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${label} must be a whole number from ${min} to ${max.toLocaleString("en-US")}, got ${value}`);
    }
  };
  whole(options.children, "--children", 1, MAX_CHILDREN);
  whole(options.citizensPerBank, "--citizens-per-bank", 4, 5_000);
  whole(options.schoolDays, "--school-days", 1, 20);
  if (options.seed.trim() === "") throw new Error("--seed must not be empty");
}

/** Plays the pilot on `hre.network` and returns its report; the caller decides how to show it. */
export async function runPilot(hre: HardhatRuntimeEnvironment, options: PilotOptions): Promise<PilotReport> {
  checkOptions(options);
  if ("url" in hre.network.config) hardenHttpProvider(hre.network.provider);
  const runStarted = Date.now();
  const startedAt = new Date(runStarted).toISOString();
  const cast = await castFor(hre, options);
  const steps: StepResult[] = [];
  const total = PILOT_STEPS.length + 1;
  const logStep = (n: number, result: StepResult): void => {
    options.log(
      `[${n}/${total}] ${result.step}: ${result.transactions.toLocaleString("en-US")} tx, ` +
        `${result.gasUsed.toLocaleString("en-US")} gas, ${result.seconds.toFixed(1)} s — ${result.detail}`,
    );
  };

  let started = Date.now();
  const firstBlock = await hre.ethers.provider.getBlockNumber();
  const deployed = await deploySuite(hre);
  const ctx = new PilotContext(
    hre,
    {
      tenge: await getTenge(hre),
      stablecoin: await getStablecoin(hre),
      gold: await getGold(hre),
      desk: await getDesk(hre),
      programs: await getPrograms(hre),
    },
    cast,
    options,
  );
  // Events are read from the block before this run's first transaction (the suite may have been deployed earlier
  // on a long-lived node: its own events are then outside what this run's invariants cover, by design).
  ctx.facts.set("firstBlock", firstBlock);
  try {
    if (await ctx.tenge.paused()) {
      throw new Error(`the token is paused on "${hre.network.name}": unpause it (tenge:unpause) or restart the node`);
    }
    if ((await ctx.tenge.accountOf(cast.citizens[0].address)).onboarded) {
      throw new Error(
        `the pilot of seed "${options.seed}" has already run on "${hre.network.name}": pass another --seed or restart the node`,
      );
    }
    ctx.book(deployed.transactions, deployed.gasUsed);
    const first: StepResult = {
      step: deployed.name,
      transactions: deployed.transactions,
      gasUsed: deployed.gasUsed,
      seconds: (Date.now() - started) / 1000,
      detail: deployed.detail,
      supplyAfter: await ctx.tenge.totalSupply(),
      expectedFailures: 0,
    };
    steps.push(first);
    logStep(1, first);

    for (const [n, step] of PILOT_STEPS.entries()) {
      started = Date.now();
      const before = { tx: ctx.transactions, gas: ctx.gasUsed, failures: ctx.expectedFailures };
      let detail: string;
      try {
        detail = await step.run(ctx);
      } catch (error: unknown) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`step ${n + 2} (${step.name}) failed: ${reason.split("\n")[0]}`);
      }
      const result: StepResult = {
        step: step.name,
        transactions: ctx.transactions - before.tx,
        gasUsed: ctx.gasUsed - before.gas,
        seconds: (Date.now() - started) / 1000,
        detail,
        supplyAfter: await ctx.tenge.totalSupply(),
        expectedFailures: ctx.expectedFailures - before.failures,
      };
      steps.push(result);
      logStep(n + 2, result);
    }
    const storySeconds = (Date.now() - runStarted) / 1000;

    const banks = [];
    for (const bank of cast.banks) {
      const record = await ctx.tenge.bankOf(bank.address);
      banks.push({
        name: bank.name,
        address: bank.address,
        ceiling: formatTenge(record.ceiling),
        outstanding: formatTenge(record.outstanding),
        remaining: formatTenge(record.remaining),
      });
    }
    const invariants = (await Promise.all(PILOT_INVARIANTS.map((check) => check(ctx)))).flat();
    const values: Record<string, string> = {};
    for (const probe of PILOT_STATE) Object.assign(values, await probe(ctx));
    const sorted = Object.keys(values).sort();
    const digest = keccak256(toUtf8Bytes(sorted.map((k) => `${k}=${values[k]}`).join("\n")));
    return {
      network: hre.network.name,
      chainId: Number((await hre.ethers.provider.getNetwork()).chainId),
      startedAt,
      options: {
        children: options.children,
        citizensPerBank: options.citizensPerBank,
        schoolDays: options.schoolDays,
        seed: options.seed,
        serial: options.serial,
      },
      steps: steps.map(toReportStep),
      summary: ctx.summary,
      banks,
      totals: {
        supply: formatTenge(await ctx.tenge.totalSupply()),
        transactions: ctx.transactions,
        gasUsed: ctx.gasUsed.toString(),
        expectedFailures: ctx.expectedFailures,
        seconds: storySeconds,
        txPerSecond: ctx.transactions / storySeconds,
        gasPerSecond: Number(ctx.gasUsed) / storySeconds,
      },
      invariants,
      finalState: { digest, values: Object.fromEntries(sorted.map((k) => [k, values[k]])) },
      notes: ctx.notes,
      ok: invariants.every((i) => i.held),
    };
  } finally {
    ctx.pipeline.destroy();
  }
}

function toReportStep(step: StepResult): ReportStep {
  return {
    step: step.step,
    transactions: step.transactions,
    gasUsed: step.gasUsed.toString(),
    seconds: Math.round(step.seconds * 100) / 100,
    detail: step.detail,
    supplyAfter: formatTenge(step.supplyAfter),
    expectedFailures: step.expectedFailures,
  };
}
