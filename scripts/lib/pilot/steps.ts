import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { encodeBytes32String, parseEther, parseUnits } from "ethers";
import { formatTenge } from "../amounts";
import { randomNonce, signAuthorization, domainOf } from "../eip712";
import type { PilotContext } from "./context";

const kzt = (amount: string): bigint => parseUnits(amount, 2);
const MINT_CHUNK = 200;
/** Far enough ahead for any pilot run; authorizations are checked against block time. */
const VALID_FOR_SECONDS = 3_600n;

/** One step of the pilot: a name and the function that plays it, returning a one-line summary. */
export interface PilotStep {
  name: string;
  run: (ctx: PilotContext) => Promise<string>;
}

/** Per-bank issuance ceiling in the pilot. */
export const BANK_CEILING = kzt("500000000");

/** Deterministic issuance of citizen `i`, within every tier's holding limit (tier 0: 100,000 KZT). */
export function issuanceOf(i: number): bigint {
  return kzt("20000") + BigInt(i % 50) * kzt("1234.56");
}

/** Deterministic lunch-money-sized payment of citizen `i`. */
export function paymentOf(i: number): bigint {
  return kzt("1500.25") + BigInt(i % 7) * kzt("311.10");
}

function tierOf(i: number): number {
  if (i % 10 === 0) return 0;
  if (i % 10 === 9) return 2;
  return 1;
}

/** The first step, played before the contracts exist: runs the real deploy scripts and books their transactions. */
export async function deploySuite(
  hre: HardhatRuntimeEnvironment,
): Promise<{ name: string; transactions: number; gasUsed: bigint; detail: string }> {
  const before = await hre.ethers.provider.getBlockNumber();
  await hre.deployments.run(["tenge"], { resetMemory: false, writeDeploymentsToFiles: hre.network.name !== "hardhat" });
  const after = await hre.ethers.provider.getBlockNumber();
  let transactions = 0;
  let gasUsed = 0n;
  // Deploy scripts send their own transactions; book them from the blocks they landed in.
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
  const { address } = await hre.deployments.get("DigitalTenge");
  return {
    name: "Central bank deploys and configures the digital tenge",
    transactions,
    gasUsed,
    detail: `DigitalTenge at ${address}, roles granted, 4 KYC tiers configured`,
  };
}

const setCeilings: PilotStep = {
  name: "Central bank admits banks with issuance ceilings; pauses and resumes once",
  async run(ctx) {
    const { tenge, cast } = ctx;
    for (const bank of cast.banks) {
      const record = await tenge.bankOf(bank.address);
      if (record.id === 0n) await ctx.send(tenge.connect(cast.desk).registerBank(bank.address, BANK_CEILING));
      else await ctx.send(tenge.connect(cast.desk).setIssuanceCeiling(bank.address, BANK_CEILING));
    }
    await ctx.send(tenge.connect(cast.pauser).pause());
    const someone = cast.merchants[0];
    await ctx.expectRefusal("payment while paused", "EnforcedPause", () =>
      tenge.connect(someone.signer).transfer.staticCall(someone.address, 0n),
    );
    await ctx.send(tenge.connect(cast.pauser).unpause());
    return `${cast.banks.map((b) => b.name).join(", ")}: ceiling ${formatTenge(BANK_CEILING)} KZT each`;
  },
};

const onboard: PilotStep = {
  name: "Banks onboard citizens and merchants; the central bank onboards the treasury",
  async run(ctx) {
    const { tenge, cast, hre } = ctx;
    // Merchants' terminals submit transactions: the central bank's account funds their gas once.
    const gas = hre.network.live ? parseEther("0.005") : parseEther("1");
    for (const m of cast.merchants) {
      if ((await hre.ethers.provider.getBalance(m.address)) >= gas / 2n) continue;
      const tx = await cast.centralBank.sendTransaction({ to: m.address, value: gas });
      const receipt = await tx.wait(ctx.confirmations);
      ctx.transactions += 1;
      ctx.gasUsed += receipt?.gasUsed ?? 0n;
    }
    for (const [b, bank] of cast.banks.entries()) {
      for (const tier of [0, 1, 2]) {
        const wallets = cast.citizens.filter((c) => c.bank === b && c.tier === tier).map((c) => c.wallet.address);
        for (let i = 0; i < wallets.length; i += MINT_CHUNK) {
          await ctx.send(tenge.connect(bank.signer).onboardBatch(wallets.slice(i, i + MINT_CHUNK), tier));
        }
      }
      const merchants: string[] = [];
      for (const m of cast.merchants.filter((m) => m.bank === b)) {
        if (!(await tenge.accountOf(m.address)).onboarded) merchants.push(m.address); // kept from an earlier run
      }
      if (merchants.length > 0) await ctx.send(tenge.connect(bank.signer).onboardBatch(merchants, 3));
    }
    const treasury = await cast.treasury.getAddress();
    if (!(await tenge.accountOf(treasury)).onboarded)
      await ctx.send(tenge.connect(cast.desk).onboardInstitution(treasury));
    for (const c of cast.citizens) ctx.wallets.add(c.wallet.address);
    for (const m of cast.merchants) ctx.wallets.add(m.address);
    ctx.wallets.add(treasury);
    return `${cast.citizens.length} citizens (tiers 0-2), ${cast.merchants.length} merchants (tier 3), 1 institution`;
  },
};

const issue: PilotStep = {
  name: "Banks issue tenge to their customers (batched)",
  async run(ctx) {
    const { tenge, cast } = ctx;
    let total = 0n;
    for (const [b, bank] of cast.banks.entries()) {
      const rows = cast.citizens.map((c, i) => ({ c, i })).filter(({ c }) => c.bank === b);
      for (let start = 0; start < rows.length; start += MINT_CHUNK) {
        const chunk = rows.slice(start, start + MINT_CHUNK);
        const amounts = chunk.map(({ i }) => issuanceOf(i));
        await ctx.send(
          tenge.connect(bank.signer).mintBatch(
            chunk.map(({ c }) => c.wallet.address),
            amounts,
          ),
        );
        total += amounts.reduce((a, v) => a + v, 0n);
      }
    }
    return `${formatTenge(total)} KZT issued to ${cast.citizens.length} citizens`;
  },
};

const pay: PilotStep = {
  name: "Citizens pay merchants with signed payments (EIP-3009, submitted by the merchant)",
  async run(ctx) {
    const { tenge, cast, hre } = ctx;
    const domain = await domainOf(tenge);
    const now = BigInt((await hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
    let total = 0n;
    for (const [i, citizen] of cast.citizens.entries()) {
      const merchant = cast.merchants[i % cast.merchants.length];
      const auth = {
        from: citizen.wallet.address,
        to: merchant.address,
        value: paymentOf(i),
        validAfter: 0n,
        validBefore: now + VALID_FOR_SECONDS,
        nonce: randomNonce(),
      };
      const sig = await signAuthorization(citizen.wallet, domain, auth, true);
      await ctx.send(
        tenge
          .connect(merchant.signer)
          .getFunction(
            "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
          )(auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, sig.v, sig.r, sig.s),
      );
      total += auth.value;
    }
    // A tier-0 (phone-only) wallet may pay at most 50,000 KZT a day: one signed payment past that is refused.
    let richest: { index: number; balance: bigint } | undefined;
    for (const [i, c] of cast.citizens.entries()) {
      if (c.tier !== 0) continue;
      const balance = await tenge.balanceOf(c.wallet.address);
      if (!richest || balance > richest.balance) richest = { index: i, balance };
    }
    if (richest) {
      const citizen = cast.citizens[richest.index];
      const merchant = cast.merchants[0];
      const { dailyRemaining, available } = await tenge.accountOf(citizen.wallet.address);
      const auth = {
        from: citizen.wallet.address,
        to: merchant.address,
        value: dailyRemaining + 1n,
        validAfter: 0n,
        validBefore: now + VALID_FOR_SECONDS,
        nonce: randomNonce(),
      };
      const sig = await signAuthorization(citizen.wallet, domain, auth, true);
      // With few citizens no tier-0 wallet may hold more than its daily limit; then the balance refuses it first.
      const refusal = auth.value > available ? "DigitalTengeInsufficientBalance" : "DigitalTengeDailyLimitExceeded";
      await ctx.expectRefusal("tier-0 payment above its daily limit", refusal, () =>
        tenge
          .connect(merchant.signer)
          .getFunction(
            "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
          )
          .staticCall(
            auth.from,
            auth.to,
            auth.value,
            auth.validAfter,
            auth.validBefore,
            auth.nonce,
            sig.v,
            sig.r,
            sig.s,
          ),
      );
    }
    return `${cast.citizens.length} payments, ${formatTenge(total)} KZT to ${cast.merchants.length} merchants`;
  },
};

const redeem: PilotStep = {
  name: "Merchants redeem 60% of their takings to non-cash bank money",
  async run(ctx) {
    const { tenge, cast } = ctx;
    let total = 0n;
    for (const [m, merchant] of cast.merchants.entries()) {
      const balance = await tenge.balanceOf(merchant.address);
      const amount = (balance * 60n) / 100n; // integer tiyn: the remainder stays with the merchant
      if (amount === 0n) continue;
      const reference = `PILOT-MRC-${m + 1}`;
      await ctx.send(tenge.connect(merchant.signer).redeem(amount, encodeBytes32String(reference)));
      ctx.redemptions.push({ merchant: merchant.name, amount, reference });
      total += amount;
    }
    return `${ctx.redemptions.length} redemptions, ${formatTenge(total)} KZT burnt and credited by banks`;
  },
};

const compliance: PilotStep = {
  name: "Compliance freezes a wallet by court order; a bank recovers a lost card's wallet",
  async run(ctx) {
    const { tenge, cast } = ctx;
    const suspect = cast.citizens[1];
    await ctx.send(
      tenge.connect(cast.compliance).freeze(suspect.wallet.address, encodeBytes32String("COURT-ORDER-2026-0417")),
    );
    const merchant = cast.merchants[0];
    await ctx.expectRefusal("payment to a frozen wallet", "DigitalTengeAccountFrozen", () =>
      tenge.connect(merchant.signer).transfer.staticCall(suspect.wallet.address, 1n),
    );
    const lost = cast.citizens[2];
    const replacement = lost.wallet.address === suspect.wallet.address ? cast.citizens[3] : lost;
    const newWallet = ctx.hre.ethers.Wallet.createRandom();
    const bank = cast.banks[replacement.bank];
    const balance = await tenge.balanceOf(replacement.wallet.address);
    await ctx.send(tenge.connect(bank.signer).recoverWallet(replacement.wallet.address, newWallet.address));
    ctx.wallets.add(newWallet.address);
    return `wallet ${suspect.wallet.address.slice(0, 10)}… frozen; ${formatTenge(balance)} KZT recovered to a new wallet by ${bank.name}`;
  },
};

/** The pilot's story after deployment, in order. Later capabilities add their steps here. */
export const PILOT_STEPS: PilotStep[] = [setCeilings, onboard, issue, pay, redeem, compliance];
