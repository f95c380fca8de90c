/**
 * The gold token and the gold desk behind their UUPS proxies, deployed by the real deploy scripts: a gold transfer
 * against a plain OpenZeppelin 5.7 ERC-20 deployed in the same run, and a desk purchase against the plain tenge
 * transfer measured by the tenge suite in the same run.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { encodeBytes32String } from "ethers";
import type { BaselineERC20, IGoldToken } from "../../typechain-types";
import { getTenge } from "../../scripts/lib/contracts";
import { PERMIT_VRS, domainOf, signPermit } from "../../scripts/lib/eip712";
import { buyCost, encodeBuyOrder, getDesk, getGold } from "../../scripts/lib/gold";
import { Measurer, calldataGas, gasOf } from "../lib";
import type { Baselines, SuiteResult } from "../lib";

const SUBJECT = "GoldToken / GoldDesk (UUPS proxies)";
const AMOUNT_MG = 12_345n;
const BUY_MG = 1_500n;
const PRICE = 5_200_000n; // 52,000.00 KZT per gram
const DEADLINE = 2n ** 40n;

function bar(serial: string, fineWeightMg: bigint, recipient: string): IGoldToken.BarInputStruct {
  return {
    serial: encodeBytes32String(serial),
    refiner: encodeBytes32String("Tau-Ken Altyn"),
    fineWeightMg,
    fineness: 9999,
    vault: encodeBytes32String("NBK-ALMATY-1"),
    recipient,
  };
}

/** Runs the gold suite; `baselines` come from the tenge suite of the same run. */
export async function benchGold(hre: HardhatRuntimeEnvironment, baselines: Baselines): Promise<SuiteResult> {
  const { ethers, deployments } = hre;
  await deployments.fixture(["gold"]);
  const tenge = await getTenge(hre);
  const gold = await getGold(hre);
  const desk = await getDesk(hre);
  const baseline = (await (await ethers.getContractFactory("BaselineERC20")).deploy()) as unknown as BaselineERC20;
  await baseline.waitForDeployment();

  const named = await hre.getNamedAccounts();
  const signers = await ethers.getSigners();
  const [, issuanceDesk, , , , bank, alice, bob, , spender, relayer] = signers;
  const custodian = await ethers.getSigner(named.custodian);
  const oracle = await ethers.getSigner(named.priceOracle);

  // Two retail customers (tier 2, every tier rule applies) with tenge and gold; the desk holds inventory.
  await (await tenge.connect(issuanceDesk).registerBank(bank, 10n ** 15n)).wait();
  await (await tenge.connect(bank).onboardBatch([alice, bob], 2)).wait();
  await (await tenge.connect(bank).mintBatch([alice.address, bob.address], [100_000_000n, 100_000_000n])).wait();
  await (await gold.syncParticipants([alice, bob])).wait();
  const deskAddress = await desk.getAddress();
  await (
    await gold
      .connect(custodian)
      .addBars([
        bar("BENCH-A", 1_000_000n, alice.address),
        bar("BENCH-B", 1_000_000n, bob.address),
        bar("BENCH-D", 10_000_000n, deskAddress),
      ])
  ).wait();
  await (await baseline.mintBatch([alice.address, bob.address], [1_000_000n, 1_000_000n])).wait();
  // The desk's tenge inventory, for sales.
  await (await tenge.connect(bank).mint(alice, 50_000_000n)).wait();
  await (await tenge.connect(alice).transfer(desk, 50_000_000n)).wait();
  const latest = await ethers.provider.getBlock("latest");
  await (await desk.connect(oracle).publishPrice(PRICE, latest?.timestamp ?? 0)).wait();
  const feeBps = (await desk.config()).feeBps;
  const { total } = buyCost(BUY_MG, PRICE, feeBps);

  const bench = await Measurer.from(SUBJECT);
  const notes: string[] = [];

  const transfer = await bench.measure(
    "transfer → holder (both permitted)",
    () => gasOf(gold.connect(alice).transfer(bob, AMOUNT_MG)),
    () => gasOf(baseline.connect(alice).transfer(bob, AMOUNT_MG)),
  );
  const purchase = await bench.against(
    "desk purchase: tenge transferAndCall(desk, exact cost + fee, order) vs plain tenge transfer",
    () =>
      gasOf(
        tenge.connect(alice).getFunction("transferAndCall(address,uint256,bytes)")(
          desk,
          total,
          encodeBuyOrder(BUY_MG, PRICE, DEADLINE),
        ),
      ),
    baselines.tengeTransfer,
  );
  await bench.against(
    "desk purchase: transferAndCall paying more, refund in the same tx, vs plain tenge transfer",
    () =>
      gasOf(
        tenge.connect(alice).getFunction("transferAndCall(address,uint256,bytes)")(
          desk,
          total + 10_000n,
          encodeBuyOrder(BUY_MG, PRICE + 10_000n, DEADLINE),
        ),
      ),
    baselines.tengeTransfer,
  );
  await bench.against(
    "desk purchase: buy() with a tenge allowance (approve not counted) vs plain tenge transfer",
    async () => {
      await (await tenge.connect(alice).approve(desk, total)).wait();
      return gasOf(desk.connect(alice).buy(BUY_MG, PRICE, DEADLINE));
    },
    baselines.tengeTransfer,
  );
  await bench.against(
    "desk sale: sell() with a gold allowance (approve not counted) vs plain tenge transfer",
    async () => {
      await (await gold.connect(alice).approve(desk, BUY_MG)).wait();
      return gasOf(desk.connect(alice).sell(BUY_MG, PRICE, DEADLINE));
    },
    baselines.tengeTransfer,
  );
  await bench.measure(
    "bar add (register one bar, mint its fine weight to a holder) vs OZ mint",
    () => gasOf(gold.connect(custodian).addBar(bar("BENCH-NEW", 1_000_000n, alice.address))),
    () => gasOf(baseline.mint(alice, 1_000_000n)),
  );
  await bench.measure(
    "redeem bar (burn its fine weight, allocate the bar) vs OZ burn",
    () => gasOf(gold.connect(alice).redeemBar(encodeBytes32String("BENCH-A"))),
    () => gasOf(baseline.connect(alice).burn(1_000_000n)),
  );
  await bench.measure(
    "permit (first, relayed)",
    async () => {
      const sig = await signPermit(alice, await domainOf(gold), {
        owner: alice.address,
        spender: spender.address,
        value: AMOUNT_MG,
        nonce: 0n,
        deadline: DEADLINE,
      });
      return gasOf(gold.connect(relayer)[PERMIT_VRS](alice, spender, AMOUNT_MG, DEADLINE, sig.v, sig.r, sig.s));
    },
    async () => {
      const [, name, version, chainId, verifyingContract] = await baseline.eip712Domain();
      const sig = await signPermit(
        alice,
        { name, version, chainId, verifyingContract },
        { owner: alice.address, spender: spender.address, value: AMOUNT_MG, nonce: 0n, deadline: DEADLINE },
      );
      return gasOf(baseline.connect(relayer).permit(alice, spender, AMOUNT_MG, DEADLINE, sig.v, sig.r, sig.s));
    },
  );

  await bench.reset();
  const data = gold.interface.encodeFunctionData("transfer", [bob.address, AMOUNT_MG]);
  const floor = 21_000 + calldataGas(data) + 2 * (2_100 + 2_900) + 1_756 + 3;
  const proxy = 2_100 + 2_600 + 187;
  const configSlot = 2_100;
  notes.push(
    `gold transfer: ${transfer.gas} gas = floor ${floor} (base, calldata, 2 cold balance words, Transfer event)` +
      ` + proxy ~${proxy} + pause word ${configSlot} + dispatch, permission and freeze checks ~${transfer.gas - floor - proxy - configSlot};` +
      ` the PERMITTED flag lives in each account's balance word, so no call to the tenge is made`,
  );
  notes.push(
    `desk purchase: ${purchase.gas} gas = the buyer's tenge payment with every tier rule + the ERC-1363 callback into the desk proxy` +
      ` + one price slot and one treasury slot + a gold transfer (proxy, pause word, 2 balance words) + the fee's tenge transfer to the treasury`,
  );

  const targets = [
    {
      what: "gold transfer ≤ 1.25× OpenZeppelin transfer",
      met: transfer.ratio <= 1.25,
      figure: `${transfer.ratio}× (${transfer.gas} vs ${transfer.baselineGas})`,
    },
    {
      what: "desk purchase ≤ 2.3× plain tenge transfer",
      met: purchase.ratio <= 2.3,
      figure: `${purchase.ratio}× (${purchase.gas} vs ${purchase.baselineGas})`,
    },
  ];
  return {
    title: `${SUBJECT} vs BaselineERC20 (OpenZeppelin 5.7, no proxy) and the tenge transfer, same run`,
    rows: bench.rows,
    notes,
    targets,
  };
}
