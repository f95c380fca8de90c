/**
 * The digital tenge behind its UUPS proxy against a plain OpenZeppelin 5.7 ERC-20 (+ERC-2612, no proxy) compiled
 * with the same settings and deployed in the same run, with identical accounts and amounts.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet, encodeBytes32String, id } from "ethers";
import type { BaselineERC20 } from "../../typechain-types";
import { getTenge } from "../../scripts/lib/contracts";
import {
  PERMIT_VRS,
  TRANSFER_VRS,
  authorizationArgs,
  domainOf,
  signAuthorization,
  signPermit,
} from "../../scripts/lib/eip712";
import { Measurer, calldataGas, gasOf } from "../lib";
import type { Baselines, SuiteResult } from "../lib";

/** A fixed address derived from `label`. */
function benchAddress(label: string): string {
  return new Wallet(id(`digital-tenge bench ${label}`)).address;
}

const SUBJECT = "DigitalTenge (UUPS proxy)";
const AMOUNT = 12_345n;
const BATCH = 100;

/** Runs the tenge suite; returns its rows and the baselines later suites quote. */
export async function benchTenge(hre: HardhatRuntimeEnvironment): Promise<SuiteResult & { baselines: Baselines }> {
  const { ethers, deployments } = hre;
  await deployments.fixture(["tenge"]);
  const tenge = await getTenge(hre);
  const baseline = (await (await ethers.getContractFactory("BaselineERC20")).deploy()) as unknown as BaselineERC20;
  await baseline.waitForDeployment();

  const signers = await ethers.getSigners();
  const [, desk, , , , bank, alice, bob, carol, spender, relayer] = signers;
  await (await tenge.connect(desk).registerBank(bank, 10n ** 15n)).wait();

  // Deterministic wallets and nonces, so calldata (and so gas) is the same in every run.
  const fresh = Array.from({ length: BATCH }, (_, i) => benchAddress(`fresh ${i}`));
  const holders = Array.from({ length: BATCH }, (_, i) => benchAddress(`holder ${i}`));
  const exemptA = benchAddress("institution");
  await (await tenge.connect(bank).onboardBatch([alice, bob, carol, spender], 2)).wait();
  await (await tenge.connect(bank).onboardBatch(fresh, 2)).wait();
  await (await tenge.connect(bank).onboardBatch(holders, 2)).wait();
  const start = 1_000_000n;
  await (await tenge.connect(bank).mintBatch([alice.address, bob.address], [start, start])).wait();
  await (await baseline.mintBatch([alice.address, bob.address], [start, start])).wait();
  const holderAmounts = holders.map(() => 100n);
  await (await tenge.connect(bank).mintBatch(holders, holderAmounts)).wait();
  await (await baseline.mintBatch(holders, holderAmounts)).wait();
  // institutions for the "no tier checks" probe: exempt wallets skip the daily counter and holding limit
  await (await tenge.connect(desk).onboardInstitution(exemptA)).wait();
  await (await tenge.connect(desk).onboardInstitution(relayer)).wait();
  await (await tenge.connect(bank).mint(alice, 100n)).wait();
  await (await tenge.connect(desk).setExempt(alice, true)).wait();
  const bench = await Measurer.from(SUBJECT);
  const measure = bench.measure.bind(bench);
  const notes: string[] = [];
  async function nonExemptAlice(): Promise<void> {
    await (await tenge.connect(desk).setExempt(alice, false)).wait();
  }

  const transfer = await measure(
    "transfer → holder",
    async () => (await nonExemptAlice(), gasOf(tenge.connect(alice).transfer(bob, AMOUNT))),
    () => gasOf(baseline.connect(alice).transfer(bob, AMOUNT)),
  );
  await measure(
    "transfer → fresh wallet (onboarded, never held)",
    async () => (await nonExemptAlice(), gasOf(tenge.connect(alice).transfer(carol, AMOUNT))),
    () => gasOf(baseline.connect(alice).transfer(carol, AMOUNT)),
  );
  const exemptTransfer = await measure(
    "transfer → holder, both institutions (no tier checks)",
    async () => {
      await (await tenge.connect(desk).setExempt(bob, true)).wait();
      return gasOf(tenge.connect(alice).transfer(bob, AMOUNT));
    },
    () => gasOf(baseline.connect(alice).transfer(bob, AMOUNT)),
  );
  await measure(
    "approve (0 → non-zero)",
    () => gasOf(tenge.connect(alice).approve(spender, AMOUNT)),
    () => gasOf(baseline.connect(alice).approve(spender, AMOUNT)),
  );
  await measure(
    "transferFrom (finite allowance) → holder",
    async () => {
      await nonExemptAlice();
      await (await tenge.connect(alice).approve(spender, AMOUNT * 2n)).wait();
      return gasOf(tenge.connect(spender).transferFrom(alice, bob, AMOUNT));
    },
    async () => {
      await (await baseline.connect(alice).approve(spender, AMOUNT * 2n)).wait();
      return gasOf(baseline.connect(spender).transferFrom(alice, bob, AMOUNT));
    },
  );
  await measure(
    "mint → holder (bank, within ceiling)",
    () => gasOf(tenge.connect(bank).mint(bob, AMOUNT)),
    () => gasOf(baseline.mint(bob, AMOUNT)),
  );
  const batchFresh = await measure(
    `batch mint, per recipient (N=${BATCH}, onboarded wallets that never held)`,
    async () =>
      (await gasOf(
        tenge.connect(bank).mintBatch(
          fresh,
          fresh.map(() => AMOUNT),
        ),
      )) / BATCH,
    async () =>
      (await gasOf(
        baseline.mintBatch(
          fresh,
          fresh.map(() => AMOUNT),
        ),
      )) / BATCH,
  );
  const batchHolders = await measure(
    `batch mint, per recipient (N=${BATCH}, holders)`,
    async () =>
      (await gasOf(
        tenge.connect(bank).mintBatch(
          holders,
          holders.map(() => AMOUNT),
        ),
      )) / BATCH,
    async () =>
      (await gasOf(
        baseline.mintBatch(
          holders,
          holders.map(() => AMOUNT),
        ),
      )) / BATCH,
  );
  await measure(
    "redeem (burn with settlement reference) vs burn",
    async () => (
      await nonExemptAlice(),
      gasOf(tenge.connect(alice).redeem(AMOUNT, encodeBytes32String("KZ-REF-0001")))
    ),
    () => gasOf(baseline.connect(alice).burn(AMOUNT)),
  );
  const deadline = 2n ** 40n;
  await measure(
    "permit (first, relayed)",
    async () => {
      const sig = await signPermit(alice, await domainOf(tenge), {
        owner: alice.address,
        spender: spender.address,
        value: AMOUNT,
        nonce: 0n,
        deadline,
      });
      return gasOf(tenge.connect(relayer)[PERMIT_VRS](alice, spender, AMOUNT, deadline, sig.v, sig.r, sig.s));
    },
    async () => {
      const [, name, version, chainId, verifyingContract] = await baseline.eip712Domain();
      const sig = await signPermit(
        alice,
        { name, version, chainId, verifyingContract },
        {
          owner: alice.address,
          spender: spender.address,
          value: AMOUNT,
          nonce: 0n,
          deadline,
        },
      );
      return gasOf(baseline.connect(relayer).permit(alice, spender, AMOUNT, deadline, sig.v, sig.r, sig.s));
    },
  );
  const twa = await measure(
    "transferWithAuthorization (fresh nonce, relayed) vs plain transfer",
    async () => {
      await nonExemptAlice();
      const auth = {
        from: alice.address,
        to: bob.address,
        value: AMOUNT,
        validAfter: 0n,
        validBefore: deadline,
        nonce: id("bench authorization nonce"),
      };
      const sig = await signAuthorization(alice, await domainOf(tenge), auth);
      return gasOf(tenge.connect(relayer).getFunction(TRANSFER_VRS)(...authorizationArgs("v, r, s", auth, sig)));
    },
    () => gasOf(baseline.connect(alice).transfer(bob, AMOUNT)),
  );

  // Where the transfer's gas goes above the protocol floor (performance.md): measured total, protocol costs.
  await bench.reset();
  const data = tenge.interface.encodeFunctionData("transfer", [bob.address, AMOUNT]);
  const floor = 21_000 + calldataGas(data) + 2 * (2_100 + 2_900) + 1_756 + 3;
  const proxy = 2_100 + 2_600 + 187; // cold implementation slot, cold DELEGATECALL target, proxy code (EIP-2929)
  const policySlot = 2_100; // the one cold policy slot (pause + tier limits)
  const tierRules = transfer.gas - exemptTransfer.gas; // daily counter and holding limit, measured
  const rest = transfer.gas - floor - proxy - policySlot - tierRules;
  notes.push(
    `transfer → holder: ${transfer.gas} gas = floor ${floor} (base, calldata, 2 cold balance slots, Transfer event)` +
      ` + proxy ~${proxy} + policy slot ${policySlot} + tier rules (daily counter, holding limit) ${tierRules} (measured vs exempt wallets)` +
      ` + dispatch, decoding, unpacking and checks ~${rest}`,
  );

  const targets = [
    { what: "transfer → holder ≤ 1.25× OpenZeppelin", met: transfer.ratio <= 1.25, figure: `${transfer.ratio}×` },
    { what: "transferWithAuthorization (fresh nonce) ≤ 75,000 gas", met: twa.gas <= 75_000, figure: `${twa.gas}` },
    {
      what: `batch mint ≤ 9,500 gas per recipient (N=${BATCH}, never held)`,
      met: batchFresh.gas <= 9_500,
      figure: `${batchFresh.gas}`,
    },
    {
      what: `batch mint ≤ 9,500 gas per recipient (N=${BATCH}, holders)`,
      met: batchHolders.gas <= 9_500,
      figure: `${batchHolders.gas}`,
    },
  ];
  return {
    title: `${SUBJECT} vs BaselineERC20 (OpenZeppelin 5.7 ERC20+ERC20Permit, no proxy), same run, same compiler settings`,
    rows: bench.rows,
    notes,
    targets,
    baselines: { ozTransfer: transfer.baselineGas, tengeTransfer: transfer.gas },
  };
}
