/**
 * Offline payments settled in batches, behind the token's proxy (the TengeOffline module reached through the
 * token's fallback), against a single relayed EIP-3009 `transferWithAuthorization` on the same token measured in
 * the same run. 100 distinct payers (tier 2, every tier rule applies) pay one merchant (tier 3).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet, id } from "ethers";
import { getTenge } from "../../scripts/lib/contracts";
import { TRANSFER_VRS, authorizationArgs, domainOf, signAuthorization } from "../../scripts/lib/eip712";
import { OFFLINE_RECORD_SIZE, encodeOfflineBatch, signOfflinePayment } from "../../scripts/lib/offline";
import type { SignedOfflinePayment } from "../../scripts/lib/offline";
import { Measurer, calldataGas, gasOf } from "../lib";
import type { Baselines, SuiteResult } from "../lib";

const SUBJECT = "TengeOffline (through the token's proxy)";
const BATCH = 100;
const AMOUNT = 12_345n;
const VALID_BEFORE = 2n ** 33n; // deterministic calldata: the same in every run
const PURSE_UNTIL = 2n ** 33n + 1n;

/** A fixed key derived from `label`. */
function benchWallet(label: string): Wallet {
  return new Wallet(id(`digital-tenge offline bench ${label}`));
}

/** Runs the offline suite; `baselines` (the plain tenge transfer) come from the tenge suite of the same run. */
export async function benchOffline(hre: HardhatRuntimeEnvironment, baselines: Baselines): Promise<SuiteResult> {
  const { ethers, deployments } = hre;
  await deployments.fixture(["tenge"]);
  const tenge = await getTenge(hre);
  const address = await tenge.getAddress();
  const offline = await ethers.getContractAt("TengeOffline", address);
  const signers = await ethers.getSigners();
  const [, desk, , , , bank, alice, bob, , , relayer, merchant] = signers;

  await (await tenge.connect(desk).registerBank(bank, 10n ** 15n)).wait();
  await (await offline.connect(desk).setOfflinePurseCaps([0n, 0n, 10_000_000n, 0n])).wait();
  const payers = Array.from({ length: BATCH }, (_, i) => benchWallet(`payer ${i}`).connect(ethers.provider));
  await (
    await tenge.connect(bank).onboardBatch([...payers.map((p) => p.address), alice.address, bob.address], 2)
  ).wait();
  await (await tenge.connect(bank).onboard(merchant, 3)).wait();
  await (
    await tenge
      .connect(bank)
      .mintBatch([...payers.map((p) => p.address), alice.address], [...payers.map(() => 1_000_000n), 1_000_000n])
  ).wait();
  // The merchant held tenge before (its word is written by every batch in any case), as bob did for the baseline.
  await (await tenge.connect(bank).mintBatch([merchant.address, bob.address], [100n, 100n])).wait();
  // Every payer reserves a purse for the merchant (the purse rows); the other rows do not touch purses.
  for (const payer of payers) {
    await hre.network.provider.send("hardhat_setBalance", [payer.address, "0x56BC75E2D63100000"]);
    await (await offline.connect(payer).reservePurse(500_000n, PURSE_UNTIL, merchant.address)).wait();
  }

  const domain = await domainOf(tenge);
  const sign = (nonce: bigint, fromPurse: boolean): Promise<SignedOfflinePayment[]> =>
    Promise.all(
      payers.map((payer) =>
        signOfflinePayment(payer, domain, {
          payee: merchant.address,
          amount: AMOUNT,
          validAfter: 0n,
          validBefore: VALID_BEFORE,
          nonce,
          fromPurse,
        }),
      ),
    );
  const inUse = encodeOfflineBatch(await sign(0n, false));
  const fresh = encodeOfflineBatch(await sign(256n, false));
  const purse = encodeOfflineBatch(await sign(0n, true));
  const single = encodeOfflineBatch((await sign(1n, false)).slice(0, 1));

  const auth = {
    from: alice.address,
    to: bob.address,
    value: AMOUNT,
    validAfter: 0n,
    validBefore: VALID_BEFORE,
    nonce: id("offline bench authorization nonce"),
  };
  const authSig = await signAuthorization(alice, domain, auth);
  const eip3009 = (): Promise<number> =>
    gasOf(tenge.connect(relayer).getFunction(TRANSFER_VRS)(...authorizationArgs("v, r, s", auth, authSig)));
  const settle = async (payments: string, count: number): Promise<number> =>
    (await gasOf(offline.connect(merchant).settleOfflinePayments(merchant.address, payments))) / count;

  const bench = await Measurer.from(SUBJECT);
  const vs3009 = " vs one relayed transferWithAuthorization";
  const rowInUse = await bench.measure(
    `settle, per payment (N=${BATCH} payers → 1 merchant, from balance, nonce word in use)${vs3009}`,
    () => settle(inUse, BATCH),
    eip3009,
  );
  const rowFresh = await bench.measure(
    `settle, per payment (N=${BATCH}, from balance, each payer's first nonce of a fresh word)${vs3009}`,
    () => settle(fresh, BATCH),
    eip3009,
  );
  const rowPurse = await bench.measure(
    `settle, per payment (N=${BATCH}, from purses designated to the merchant)${vs3009}`,
    () => settle(purse, BATCH),
    eip3009,
  );
  await bench.measure(`settle a batch of 1 (from balance, word in use)${vs3009}`, () => settle(single, 1), eip3009);
  await bench.against(
    "reservePurse (tier 2 wallet, new purse period) vs plain transfer",
    () => gasOf(offline.connect(alice).reservePurse(100_000n, PURSE_UNTIL, merchant.address)),
    baselines.tengeTransfer,
  );

  const perRecordCalldata = calldataGas(inUse) / BATCH;
  const notes = [
    `record: ${OFFLINE_RECORD_SIZE} bytes per payment (amount 8, validAfter 5, validBefore 5, nonce 4, fromPurse 1, r 32, yParityAndS 32), ~${perRecordCalldata.toFixed(0)} gas of calldata each in this batch`,
    `unavoidable per payment from the balance: payer word 5,000 (cold read + write), nonce word 5,000, ecrecover 3,000 + call, Transfer event 1,756, calldata ~${perRecordCalldata.toFixed(0)}; a fresh nonce word adds 17,100 (22,100 instead of 5,000)`,
    "purse payments write the purse word instead of the payer's and emit two Transfers (token address → payer → merchant)",
  ];
  const targets = [
    {
      what: `settlement ≤ 20,000 gas per payment (N=${BATCH}, nonce word in use)`,
      met: rowInUse.gas <= 20_000,
      figure: `${rowInUse.gas} (${rowInUse.ratio}× one transferWithAuthorization, ${rowInUse.baselineGas})`,
    },
    {
      what: `settlement ≤ 38,000 gas per payment (N=${BATCH}, fresh nonce word)`,
      met: rowFresh.gas <= 38_000,
      figure: `${rowFresh.gas} (${rowFresh.ratio}×)`,
    },
    {
      what: `purse settlement per payment (N=${BATCH}; no target, reported)`,
      met: true,
      figure: `${rowPurse.gas} (${rowPurse.ratio}×)`,
    },
  ];
  return {
    title: `${SUBJECT}: batch settlement per payment against one EIP-3009 transferWithAuthorization on the same token, same run`,
    rows: bench.rows,
    notes,
    targets,
  };
}
