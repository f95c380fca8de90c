/**
 * The tenge-backed stablecoin behind its UUPS proxy: its transfer against a plain OpenZeppelin 5.7 ERC-20 (+ERC-2612,
 * no proxy) deployed in the same run, and its deposit and withdrawal (which move two tokens) against the plain
 * digital tenge transfer measured by the tenge suite in the same run.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { AbiCoder, MaxUint256, id } from "ethers";
import type { BaselineERC20, DigitalTenge, TengeStablecoin } from "../../typechain-types";
import { getTenge } from "../../scripts/lib/contracts";
import { getStablecoin } from "../../scripts/lib/stablecoin";
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

const SUBJECT = "TengeStablecoin (UUPS proxy)";
const AMOUNT = 12_345n;
const TRANSFER_AND_CALL = "transferAndCall(address,uint256)";
const TRANSFER_AND_CALL_DATA = "transferAndCall(address,uint256,bytes)";

/** Runs the stablecoin suite on a fresh deployment (the real deploy scripts); `baselines` come from the tenge suite. */
export async function benchStablecoin(hre: HardhatRuntimeEnvironment, baselines: Baselines): Promise<SuiteResult> {
  const { ethers, deployments } = hre;
  await deployments.fixture(["stablecoin"]);
  const tenge: DigitalTenge = await getTenge(hre);
  const coin: TengeStablecoin = await getStablecoin(hre);
  const coinAddress = await coin.getAddress();
  const baseline = (await (await ethers.getContractFactory("BaselineERC20")).deploy()) as unknown as BaselineERC20;
  await baseline.waitForDeployment();

  const [, desk, , , , bank, alice, bob, , spender, relayer] = await ethers.getSigners();
  await (await tenge.connect(desk).registerBank(bank, 10n ** 15n)).wait();
  // Tier-2 customers, as in the tenge suite's transfer: every tier rule of the tenge applies to their payments.
  await (await tenge.connect(bank).onboardBatch([alice, bob, spender], 2)).wait();
  const start = 1_000_000n;
  await (await tenge.connect(bank).mintBatch([alice.address, bob.address], [start, start])).wait();
  await (await baseline.mintBatch([alice.address, bob.address], [start, start])).wait();
  // Both already hold stablecoin: measurements are of holders, as the OpenZeppelin baseline's are.
  for (const holder of [alice, bob]) {
    await (await tenge.connect(holder).getFunction(TRANSFER_AND_CALL)(coinAddress, start / 2n)).wait();
  }

  const bench = await Measurer.from(SUBJECT);
  const notes: string[] = [];

  const transfer = await bench.measure(
    "transfer → holder",
    () => gasOf(coin.connect(alice).transfer(bob, AMOUNT)),
    () => gasOf(baseline.connect(alice).transfer(bob, AMOUNT)),
  );
  const transferFrom = await bench.measure(
    "transferFrom (finite allowance) → holder",
    async () => {
      await (await coin.connect(alice).approve(spender, AMOUNT * 2n)).wait();
      return gasOf(coin.connect(spender).transferFrom(alice, bob, AMOUNT));
    },
    async () => {
      await (await baseline.connect(alice).approve(spender, AMOUNT * 2n)).wait();
      return gasOf(baseline.connect(spender).transferFrom(alice, bob, AMOUNT));
    },
  );
  const depositByCall = await bench.against(
    "deposit: tenge.transferAndCall(stablecoin, amount) → mint to the payer vs tenge transfer",
    () => gasOf(tenge.connect(alice).getFunction(TRANSFER_AND_CALL)(coinAddress, AMOUNT)),
    baselines.tengeTransfer,
  );
  const depositToOther = await bench.against(
    "deposit: tenge.transferAndCall(stablecoin, amount, abi.encode(recipient)) → another holder vs tenge transfer",
    () =>
      gasOf(
        tenge.connect(alice).getFunction(TRANSFER_AND_CALL_DATA)(
          coinAddress,
          AMOUNT,
          AbiCoder.defaultAbiCoder().encode(["address"], [bob.address]),
        ),
      ),
    baselines.tengeTransfer,
  );
  const depositByAllowance = await bench.against(
    "deposit(amount, to) after a finite tenge approve (deposit tx only) vs tenge transfer",
    async () => {
      await (await tenge.connect(alice).approve(coinAddress, AMOUNT)).wait();
      return gasOf(coin.connect(alice).deposit(AMOUNT, alice));
    },
    baselines.tengeTransfer,
  );
  const depositByUnlimited = await bench.against(
    "deposit(amount, to) after an unlimited tenge approve (deposit tx only) vs tenge transfer",
    async () => {
      await (await tenge.connect(alice).approve(coinAddress, MaxUint256)).wait();
      return gasOf(coin.connect(alice).deposit(AMOUNT, alice));
    },
    baselines.tengeTransfer,
  );
  const withdraw = await bench.against(
    "withdraw → own tenge wallet vs tenge transfer",
    () => gasOf(coin.connect(alice).withdraw(AMOUNT, alice)),
    baselines.tengeTransfer,
  );
  const withdrawToOther = await bench.against(
    "withdraw → another tenge wallet (a holder) vs tenge transfer",
    () => gasOf(coin.connect(alice).withdraw(AMOUNT, bob)),
    baselines.tengeTransfer,
  );
  const deadline = 2n ** 40n;
  await bench.measure(
    "permit (first, relayed)",
    async () => {
      const sig = await signPermit(alice, await domainOf(coin), {
        owner: alice.address,
        spender: spender.address,
        value: AMOUNT,
        nonce: 0n,
        deadline,
      });
      return gasOf(
        coin.connect(relayer).getFunction(PERMIT_VRS)(alice, spender, AMOUNT, deadline, sig.v, sig.r, sig.s),
      );
    },
    async () => {
      const [, name, version, chainId, verifyingContract] = await baseline.eip712Domain();
      const sig = await signPermit(
        alice,
        { name, version, chainId, verifyingContract },
        { owner: alice.address, spender: spender.address, value: AMOUNT, nonce: 0n, deadline },
      );
      return gasOf(baseline.connect(relayer).permit(alice, spender, AMOUNT, deadline, sig.v, sig.r, sig.s));
    },
  );
  await bench.measure(
    "transferWithAuthorization (fresh nonce, relayed) vs plain transfer",
    async () => {
      const auth = {
        from: alice.address,
        to: bob.address,
        value: AMOUNT,
        validAfter: 0n,
        validBefore: deadline,
        nonce: id("bench stablecoin authorization nonce"),
      };
      const sig = await signAuthorization(alice, await domainOf(coin), auth);
      return gasOf(coin.connect(relayer).getFunction(TRANSFER_VRS)(...authorizationArgs("v, r, s", auth, sig)));
    },
    () => gasOf(baseline.connect(alice).transfer(bob, AMOUNT)),
  );

  // Where the transfer's gas goes above the protocol floor: measured total, protocol costs.
  await bench.reset();
  const data = coin.interface.encodeFunctionData("transfer", [bob.address, AMOUNT]);
  const floor = 21_000 + calldataGas(data) + 2 * (2_100 + 2_900) + 1_756 + 3;
  const proxy = 2_100 + 2_600 + 187; // cold implementation slot, cold DELEGATECALL target, proxy code (EIP-2929)
  const configSlot = 2_100; // the one cold configuration slot (pause flag)
  const rest = transfer.gas - floor - proxy - configSlot;
  notes.push(
    `stablecoin transfer → holder: ${transfer.gas} gas = floor ${floor} (base, calldata, 2 cold balance slots, Transfer event)` +
      ` + proxy ~${proxy} + configuration slot ${configSlot} + dispatch, decoding, flag and recipient checks ~${rest}` +
      ` (OpenZeppelin ${transfer.baselineGas}; transferFrom ${transferFrom.gas} vs ${transferFrom.baselineGas})`,
  );
  notes.push(
    `deposit by transferAndCall ${depositByCall.gas} = the tenge transfer into the reserve (an exempt institution, no holding` +
      ` limit) + the tenge's ERC-1363 check and callback (cold code size, call) + the stablecoin's proxy (cold slot and` +
      ` implementation) + pause slot + a tenge balanceOf (the proof the tiyn arrived) + supply and holder words + the mint's` +
      ` Transfer event; baseline: a tenge transfer between tier-2 wallets, ${baselines.tengeTransfer}. With recipient data` +
      ` ${depositToOther.gas} (64 more calldata bytes, and the payer's blacklist flag is one more cold word); by allowance` +
      ` ${depositByAllowance.gas} after approving exactly the amount (the cleared allowance earns a storage refund),` +
      ` ${depositByUnlimited.gas} after an unlimited approve: the tenge's allowance slot and a second balanceOf replace the` +
      ` ERC-1363 callback. Withdraw to another holder ${withdrawToOther.gas} (the recipient's blacklist flag is one more cold word).`,
  );

  // Compared exactly, not on the ratio rounded to 3 decimals.
  const targets = [
    {
      what: "stablecoin transfer → holder ≤ 1.23× OpenZeppelin (USDC's proxied FiatToken: 1.31×)",
      met: transfer.gas <= 1.23 * transfer.baselineGas,
      figure: `${transfer.ratio}×`,
    },
    {
      what: "deposit (tenge.transferAndCall, mint to the payer) ≤ 1.6× a plain tenge transfer",
      met: depositByCall.gas <= 1.6 * depositByCall.baselineGas,
      figure: `${depositByCall.ratio}× (${depositByCall.gas} vs ${depositByCall.baselineGas})`,
    },
    {
      what: "withdraw ≤ 1.6× a plain tenge transfer",
      met: withdraw.gas <= 1.6 * withdraw.baselineGas,
      figure: `${withdraw.ratio}× (${withdraw.gas} vs ${withdraw.baselineGas})`,
    },
  ];
  return {
    title: `${SUBJECT} vs BaselineERC20 (OpenZeppelin 5.7, no proxy) and vs the digital tenge transfer, same run`,
    rows: bench.rows,
    notes,
    targets,
  };
}
