/**
 * The purpose-bound programs escrow behind its UUPS proxy: batched enrolment and top-ups per beneficiary (against
 * the tenge's own batched onboarding and issuance per wallet, measured here in the same run), a school lunch paid
 * directly and by a signed authorization the canteen's terminal relays, a lunch break's signed authorizations settled
 * in one batch (per lunch, against the relayed single lunch), program creation and close (against the plain digital
 * tenge transfer measured by the tenge suite in the same run). The batch has a target: at most 25,000 gas per lunch
 * at N = 100.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { MaxUint256, Wallet, id } from "ethers";
import type { ContractTransactionResponse } from "ethers";
import { getTenge } from "../../scripts/lib/contracts";
import { encodeTerms, getPrograms, signSpend, type ProgramTerms } from "../../scripts/lib/programs";
import { Measurer, gasOf, ratio } from "../lib";
import type { Baselines, GasRow, SuiteResult } from "../lib";

const SUBJECT = "PurposeBoundPrograms (UUPS proxy)";
const LUNCH = 120_000n; // 1,200 KZT
const TRANSFER_AND_CALL_DATA = "transferAndCall(address,uint256,bytes)";
/** Largest tenge batch sent in one transaction for the baselines. */
const TENGE_CHUNK = 250;
/** Lunches in the measured spendBatchFor upload: 100 distinct children at one canteen. */
const BATCH_LUNCHES = 100;
/** The batch's target, gas per lunch at N = {@link BATCH_LUNCHES}. */
const BATCH_TARGET = 25_000;

/** A fixed address derived from `label`, so calldata (and gas) is the same in every run. */
function benchAddress(label: string): string {
  return new Wallet(id(`digital-tenge programs bench ${label}`)).address;
}

/** Runs the programs suite on a fresh deployment (the real deploy scripts); `baselines` come from the tenge suite. */
export async function benchPrograms(hre: HardhatRuntimeEnvironment, baselines: Baselines): Promise<SuiteResult> {
  const { ethers, deployments } = hre;
  await deployments.fixture(["tenge", "programs"]);
  const tenge = await getTenge(hre);
  const programs = await getPrograms(hre);
  const escrow = await programs.getAddress();
  const signers = await ethers.getSigners();
  const [, desk, , , , bank, alice, , , , relayer, city, kid] = signers;
  const operator = programs.connect(desk);

  await (await tenge.connect(desk).registerBank(bank, 10n ** 15n)).wait();
  await (await tenge.connect(bank).onboard(alice, 2)).wait();
  const canteen = benchAddress("canteen");
  await (await tenge.connect(bank).onboard(canteen, 3)).wait();
  await (await tenge.connect(bank).mint(canteen, 100n)).wait(); // a merchant that already holds tenge
  await (await tenge.connect(desk).onboardInstitution(city)).wait(); // the city: an institution, like a treasury
  await (await tenge.connect(bank).mint(alice, 400_000_000n)).wait();
  await (await tenge.connect(alice).transfer(city, 150_000_000n)).wait();

  const now = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  const terms: ProgramTerms = { allowance: LUNCH, period: 0, start: 0n, expiry: now + 365n * 86_400n };
  const budget = 50_000_000n; // 500,000 KZT
  await (await tenge.connect(city).getFunction(TRANSFER_AND_CALL_DATA)(escrow, budget, encodeTerms(terms))).wait();
  const programId = 1n;
  await (await operator.addMerchants(programId, [canteen])).wait();
  // kid pays directly (it has gas); the card wallet only signs, the terminal (relayer) submits
  const card = new Wallet(id("digital-tenge programs bench card"));
  await (await operator.enrolBeneficiaries(programId, [kid.address, card.address], [])).wait();
  // Beneficiaries already enrolled, for the top-up figures
  const enrolled = Array.from({ length: 500 }, (_, i) => benchAddress(`enrolled ${i}`));
  for (let i = 0; i < enrolled.length; i += 250) {
    await (await operator.enrolBeneficiaries(programId, enrolled.slice(i, i + 250), [])).wait();
  }
  // Cards of the batch upload: enrolled, never paid before, so each beneficiary word is cold in the measurement
  const batchCards = Array.from({ length: BATCH_LUNCHES }, (_, i) => new Wallet(id(`programs bench batch card ${i}`)));
  await (
    await operator.enrolBeneficiaries(
      programId,
      batchCards.map((c) => c.address),
      [],
    )
  ).wait();
  const fresh = Array.from({ length: 500 }, (_, i) => benchAddress(`fresh ${i}`));
  const freshWallets = Array.from({ length: 500 }, (_, i) => benchAddress(`fresh tenge wallet ${i}`));
  const holders = Array.from({ length: 500 }, (_, i) => benchAddress(`tenge holder ${i}`));
  for (let i = 0; i < holders.length; i += 250) {
    await (await tenge.connect(bank).onboardBatch(holders.slice(i, i + 250), 2)).wait();
    await (
      await tenge.connect(bank).mintBatch(
        holders.slice(i, i + 250),
        holders.slice(i, i + 250).map(() => 100n),
      )
    ).wait();
  }

  const bench = await Measurer.from(SUBJECT);
  const notes: string[] = [];

  /**
   * Gas per row of one batch transaction of ours, against the tenge's batch of the same rows, sent in transactions of
   * at most {@link TENGE_CHUNK} rows (on the in-process chain a tenge onboardBatch of 400 wallets reverts).
   */
  async function perRow(
    operation: string,
    count: number,
    ours: () => Promise<ContractTransactionResponse>,
    theirs: (from: number, to: number) => Promise<ContractTransactionResponse>,
  ): Promise<GasRow> {
    return bench.measure(
      operation,
      async () => Math.round((await gasOf(ours())) / count),
      async () => {
        let total = 0;
        for (let i = 0; i < count; i += TENGE_CHUNK) total += await gasOf(theirs(i, Math.min(count, i + TENGE_CHUNK)));
        return Math.round(total / count);
      },
    );
  }

  const enrol: GasRow[] = [];
  for (const n of [100, 500]) {
    enrol.push(
      await perRow(
        `enrolBeneficiaries per beneficiary, N = ${n} vs tenge onboardBatch per wallet (≤ 250 a tx)`,
        n,
        () => operator.enrolBeneficiaries(programId, fresh.slice(0, n), []),
        (from, to) => tenge.connect(bank).onboardBatch(freshWallets.slice(from, to), 0),
      ),
    );
  }
  const withCards = await perRow(
    "enrolBeneficiaries with card commitments per beneficiary, N = 100 vs tenge onboardBatch per wallet",
    100,
    () =>
      operator.enrolBeneficiaries(
        programId,
        fresh.slice(0, 100),
        fresh.slice(0, 100).map((address) => id(`card of ${address}`)),
      ),
    (from, to) => tenge.connect(bank).onboardBatch(freshWallets.slice(from, to), 0),
  );
  const topUp: GasRow[] = [];
  for (const n of [100, 500]) {
    topUp.push(
      await perRow(
        `topUp per beneficiary, N = ${n} vs tenge mintBatch per recipient (holders, ≤ 250 a tx)`,
        n,
        () =>
          operator.topUp(
            programId,
            enrolled.slice(0, n),
            enrolled.slice(0, n).map(() => LUNCH),
          ),
        (from, to) =>
          tenge.connect(bank).mintBatch(
            holders.slice(from, to),
            holders.slice(from, to).map(() => LUNCH),
          ),
      ),
    );
  }

  const direct = await bench.against(
    "lunch: spend (beneficiary sends, first payment of the day) vs tenge transfer",
    () => gasOf(programs.connect(kid).spend(programId, canteen, LUNCH)),
    baselines.tengeTransfer,
  );
  const signed = await bench.against(
    "lunch: spendFor (card signs, terminal relays, first payment of the day) vs tenge transfer",
    async () => {
      const { signature } = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteen,
        amount: LUNCH,
        nonce: 0n,
        deadline: MaxUint256,
      });
      return gasOf(programs.connect(relayer).spendFor(programId, card.address, canteen, LUNCH, MaxUint256, signature));
    },
    baselines.tengeTransfer,
  );
  // A terminal's realistic deadline (the end of the day), not MaxUint256: 28 fewer non-zero calldata bytes a lunch
  const batchDeadline = now + 86_400n;
  const batchSpends = await Promise.all(
    batchCards.map(async (card) => {
      const { signature } = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteen,
        amount: LUNCH,
        nonce: 0n,
        deadline: batchDeadline,
      });
      return { beneficiary: card.address, amount: LUNCH, deadline: batchDeadline, signature };
    }),
  );
  const batch = await bench.against(
    `lunch: spendBatchFor per lunch, N = ${BATCH_LUNCHES} children → 1 canteen (cards sign, terminal uploads) vs spendFor`,
    async () => {
      const gas = await gasOf(programs.connect(relayer).spendBatchFor(programId, canteen, batchSpends));
      return Math.round(gas / BATCH_LUNCHES);
    },
    signed.gas,
  );
  const create = await bench.against(
    "create program: tenge.transferAndCall(programs, budget, terms) vs tenge transfer",
    () => gasOf(tenge.connect(city).getFunction(TRANSFER_AND_CALL_DATA)(escrow, budget, encodeTerms(terms))),
    baselines.tengeTransfer,
  );
  const close = await bench.against(
    "close by the funder (unspent budget returned) vs tenge transfer",
    () => gasOf(programs.connect(city).close(programId)),
    baselines.tengeTransfer,
  );

  notes.push(
    `lunch paid by the child's own transaction ${direct.gas} gas (${direct.ratio}× a tenge transfer, ${baselines.tengeTransfer}):` +
      ` the escrow's proxy (cold implementation slot and code), one program word read and written (budget, spent,` +
      ` allowance, schedule, period), one merchant flag read, one beneficiary word read and written (period, spent in` +
      ` period, top-ups, nonce), the Spent event, then a whole tenge transfer from an exempt institution to the canteen` +
      ` (call into the tenge's proxy, two balance words, the Transfer event). Signed by the card and relayed by the` +
      ` terminal: ${signed.gas} (${signed.ratio}×): 65 more calldata bytes, ecrecover and the EIP-712 digest; the nonce` +
      ` lives in the beneficiary's word, so it costs no extra storage.`,
  );
  notes.push(
    `lunch in a batch of ${BATCH_LUNCHES} signed authorizations uploaded by the terminal: ${batch.gas} gas per lunch` +
      ` (${batch.ratio}× a relayed spendFor). Per lunch: ~290 calldata bytes (beneficiary, amount, deadline, the` +
      ` 65-byte signature and its offsets), the EIP-712 digest and ecrecover, one cold beneficiary word read and` +
      ` written, the Spent event; once per batch: the transaction, the proxy, the program word (read, spent written` +
      ` once), the merchant flag and a single tenge transfer of the total.`,
  );
  notes.push(
    `enrolment per beneficiary ${enrol.map((r) => r.gas).join(" / ")} (N = 100 / 500): one fresh storage word and one` +
      ` event each (the tenge's onboarding per wallet: ${enrol.map((r) => r.baselineGas).join(" / ")}); with a card` +
      ` commitment ${withCards.gas} (a second fresh word). Top-up per beneficiary ${topUp.map((r) => r.gas).join(" / ")}:` +
      ` one existing word rewritten and one event (tenge batch issuance to holders: ${topUp.map((r) => r.baselineGas).join(" / ")}).` +
      ` So 10,000 children cost about ${Math.round((enrol[1].gas * 10_000) / 1e6)} M gas to enrol (20 transactions of 500).`,
  );
  notes.push(
    `create by transferAndCall ${create.gas} (a tenge transfer into the escrow plus the ERC-1363 callback and two fresh` +
      ` program words); close ${close.gas} (returns the unspent budget: ${ratio(close.gas, baselines.tengeTransfer)}× a` +
      ` tenge transfer). The batch path has the one gas target of the programs; the other figures are as measured.`,
  );

  return {
    title: `${SUBJECT} vs the digital tenge's batches and transfer, same run`,
    rows: bench.rows,
    notes,
    targets: [
      {
        what: `spendBatchFor ≤ ${BATCH_TARGET} gas per lunch at N = ${BATCH_LUNCHES}`,
        met: batch.gas <= BATCH_TARGET,
        figure: `${batch.gas} gas per lunch`,
      },
    ],
  };
}
