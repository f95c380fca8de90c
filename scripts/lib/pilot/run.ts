import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { formatTenge } from "../amounts";
import { getTenge } from "../contracts";
import { PilotContext, pilotWallet } from "./context";
import type { PilotCast, PilotOptions, StepResult } from "./context";
import { checkInvariants } from "./invariants";
import type { InvariantResult } from "./invariants";
import { PILOT_STEPS, deploySuite } from "./steps";

/** Display names of the pilot's banks and merchants (labels only: nothing about them goes on chain). */
export const BANK_NAMES = ["Eurasian Bank", "Halyk Bank", "Kaspi Bank", "Bank CenterCredit"];
export const MERCHANT_NAMES = [
  "Magnum supermarket",
  "Green Bazaar stall",
  "Almaty pharmacy",
  "Kazpost shop",
  "Coffee house",
  "Book shop",
];
/** Accounts the node must offer: 5 central-bank roles and the banks; everyone else has a key derived from the seed. */
export const ACCOUNTS_NEEDED = 5 + BANK_NAMES.length;

/** What a pilot run produced. */
export interface PilotReport {
  network: string;
  chainId: number;
  citizens: number;
  steps: StepResult[];
  banks: { name: string; address: string; ceiling: string; outstanding: string; remaining: string }[];
  totals: { supply: string; transactions: number; gasUsed: string; expectedFailures: number };
  invariants: InvariantResult[];
  notes: string[];
  ok: boolean;
}

async function castFor(hre: HardhatRuntimeEnvironment, options: PilotOptions): Promise<PilotCast> {
  const signers = await hre.ethers.getSigners();
  if (signers.length < ACCOUNTS_NEEDED) {
    throw new Error(
      `the pilot needs ${ACCOUNTS_NEEDED} unlocked accounts on "${hre.network.name}", the node offers ${signers.length}`,
    );
  }
  const [centralBank, desk, pauser, compliance, enforcement] = signers;
  const banks = await Promise.all(
    BANK_NAMES.map(async (name, i) => ({ name, signer: signers[5 + i], address: await signers[5 + i].getAddress() })),
  );
  const merchants = MERCHANT_NAMES.map((name, i) => {
    const wallet = pilotWallet(options.seed, "merchant", i).connect(hre.ethers.provider);
    return { name, signer: wallet, address: wallet.address, bank: i % BANK_NAMES.length };
  });
  const treasury = pilotWallet(options.seed, "treasury", 0);
  const citizens = [];
  for (let b = 0; b < BANK_NAMES.length; b++) {
    for (let j = 0; j < options.citizensPerBank; j++) {
      const index = b * options.citizensPerBank + j;
      const tier = index % 10 === 0 ? 0 : index % 10 === 9 ? 2 : 1;
      citizens.push({ wallet: pilotWallet(options.seed, "citizen", index), bank: b, tier });
    }
  }
  return { centralBank, desk, pauser, compliance, enforcement, banks, merchants, treasury, citizens };
}

/** Plays the pilot on `hre.network` and returns its report; the caller decides how to show it. */
export async function runPilot(hre: HardhatRuntimeEnvironment, options: PilotOptions): Promise<PilotReport> {
  if (!Number.isInteger(options.citizensPerBank) || options.citizensPerBank < 4) {
    throw new Error(`citizens per bank must be a whole number of at least 4, got ${options.citizensPerBank}`);
  }
  const cast = await castFor(hre, options);
  const steps: StepResult[] = [];
  const total = PILOT_STEPS.length + 1;
  const logStep = (n: number, result: StepResult, started: number): void => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    options.log(
      `[${n}/${total}] ${result.step}: ${result.transactions} tx, ${result.gasUsed.toLocaleString("en-US")} gas, ${seconds} s — ${result.detail}`,
    );
  };

  let started = Date.now();
  const deployed = await deploySuite(hre);
  const ctx = new PilotContext(hre, await getTenge(hre), cast, options);
  if (await ctx.tenge.paused()) {
    throw new Error(`the token is paused on "${hre.network.name}": unpause it (tenge:unpause) or restart the node`);
  }
  if ((await ctx.tenge.accountOf(cast.citizens[0].wallet.address)).onboarded) {
    throw new Error(
      `citizens of seed "${options.seed}" are already onboarded on "${hre.network.name}": pass another --seed or restart the node`,
    );
  }
  ctx.transactions = deployed.transactions;
  ctx.gasUsed = deployed.gasUsed;
  const first: StepResult = {
    step: deployed.name,
    transactions: deployed.transactions,
    gasUsed: deployed.gasUsed,
    detail: deployed.detail,
    supplyAfter: await ctx.tenge.totalSupply(),
    expectedFailures: 0,
  };
  steps.push(first);
  logStep(1, first, started);

  for (const [n, step] of PILOT_STEPS.entries()) {
    started = Date.now();
    const before = { tx: ctx.transactions, gas: ctx.gasUsed, failures: ctx.expectedFailures };
    const detail = await step.run(ctx);
    const result: StepResult = {
      step: step.name,
      transactions: ctx.transactions - before.tx,
      gasUsed: ctx.gasUsed - before.gas,
      detail,
      supplyAfter: await ctx.tenge.totalSupply(),
      expectedFailures: ctx.expectedFailures - before.failures,
    };
    steps.push(result);
    logStep(n + 2, result, started);
  }

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
  const invariants = await checkInvariants(ctx);
  return {
    network: hre.network.name,
    chainId: Number((await hre.ethers.provider.getNetwork()).chainId),
    citizens: cast.citizens.length,
    steps,
    banks,
    totals: {
      supply: formatTenge(await ctx.tenge.totalSupply()),
      transactions: ctx.transactions,
      gasUsed: ctx.gasUsed.toString(),
      expectedFailures: ctx.expectedFailures,
    },
    invariants,
    notes: ctx.notes,
    ok: invariants.every((i) => i.held),
  };
}
