import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { encodeBuyOrder } from "../../scripts/lib/gold";
import { encodeTerms } from "../../scripts/lib/programs";
import { PRICE } from "../fixtures/gold.fixture";
import { DAY, PERIOD, expectProgramsInvariant } from "../fixtures/programs.fixture";
import { expectReservesHeld } from "../fixtures/stablecoin.fixture";
import { suiteFixture } from "../fixtures/suite.fixture";
import { kzt } from "../fixtures/tenge.fixture";

/*
 * Re-entrancy through ERC-1363 hooks: a hostile receiver ({ReentrantReceiverMock}, onboarded at bank B) re-enters
 * the tenge, the stablecoin, the programs escrow and the gold desk from inside `onTransferReceived`, and plays a
 * hostile token by calling the suite's own ERC-1363 hooks directly. Each test shows the nested call either fails with
 * the exact error (bubbled) or completes with every balance and invariant exact: the tenge writes its state before
 * the callback, so a re-entry sees the transfer done and cannot take more.
 */

async function hostileFixture() {
  const ctx = await loadFixture(suiteFixture);
  const { tenge, hostile, banks } = ctx;
  await (await tenge.connect(banks.bankB).mint(hostile, kzt("1000"))).wait();
  return ctx;
}

/** Republishes the fixture's gold price now, so that it is fresh whatever the wall clock did since the snapshot. */
async function freshPrice(ctx: Awaited<ReturnType<typeof hostileFixture>>): Promise<void> {
  await (await ctx.goldDesk.connect(ctx.goldRoles.oracle).publishPrice(PRICE, await time.latest())).wait();
}

const send = "transferAndCall(address,uint256)";
const sendWithData = "transferAndCall(address,uint256,bytes)";

describe("Adversarial: re-entrancy through ERC-1363 hooks", function () {
  describe("into the tenge", function () {
    it("a re-entrant transferFrom of the payer's funds without allowance reverts the whole transfer", async function () {
      const { tenge, hostile, users } = await loadFixture(hostileFixture);
      const steal = tenge.interface.encodeFunctionData("transferFrom", [
        users.alice.address,
        await hostile.getAddress(),
        1n,
      ]);
      await (await hostile.setAttack(tenge, steal, true)).wait();
      await expect(tenge.connect(users.alice).getFunction(send)(hostile, kzt("100")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientAllowance")
        .withArgs(await hostile.getAddress(), 0n, 1n);
    });

    it("a swallowed failed re-entry leaves exactly the transferred value with the receiver", async function () {
      const { tenge, hostile, users } = await loadFixture(hostileFixture);
      const steal = tenge.interface.encodeFunctionData("transferFrom", [
        users.alice.address,
        await hostile.getAddress(),
        1n,
      ]);
      await (await hostile.setAttack(tenge, steal, false)).wait();
      await expect(tenge.connect(users.alice).getFunction(send)(hostile, kzt("100"))).to.changeTokenBalances(
        tenge,
        [users.alice, hostile],
        [-kzt("100"), kzt("100")],
      );
    });

    it("a re-entrant transfer onward sees the received value already credited and moves exactly it", async function () {
      const { tenge, hostile, users } = await loadFixture(hostileFixture);
      const onward = tenge.interface.encodeFunctionData("transfer", [users.bob.address, kzt("1100")]);
      await (await hostile.setAttack(tenge, onward, true)).wait();
      // the hostile held 1,000 KZT: only with the 100 just received can it pay 1,100 from inside the callback
      await expect(tenge.connect(users.alice).getFunction(send)(hostile, kzt("100"))).to.changeTokenBalances(
        tenge,
        [users.alice, hostile, users.bob],
        [-kzt("100"), -kzt("1000"), kzt("1100")],
      );
    });
  });

  describe("into the stablecoin", function () {
    it("wrapping the received tenge from inside the callback mints exactly that and keeps the reserves", async function () {
      const { tenge, coin, hostile, users } = await loadFixture(hostileFixture);
      const wrapIt = tenge.interface.encodeFunctionData(send, [await coin.getAddress(), kzt("100")]);
      await (await hostile.setAttack(tenge, wrapIt, true)).wait();
      await (await tenge.connect(users.alice).getFunction(send)(hostile, kzt("100"))).wait();
      expect(await coin.balanceOf(hostile)).to.equal(kzt("100"));
      await expectReservesHeld();
    });

    it("a re-entrant withdraw of more KZTS than held fails: ERC20InsufficientBalance", async function () {
      const { tenge, coin, hostile, users } = await loadFixture(hostileFixture);
      const withdraw = coin.interface.encodeFunctionData("withdraw", [kzt("1"), await hostile.getAddress()]);
      await (await hostile.setAttack(coin, withdraw, true)).wait();
      await expect(tenge.connect(users.alice).getFunction(send)(hostile, kzt("100")))
        .to.be.revertedWithCustomError(coin, "ERC20InsufficientBalance")
        .withArgs(await hostile.getAddress(), 0n, kzt("1"));
    });

    it("a hostile token calling the stablecoin's hook directly mints nothing: TengeStablecoinCallerNotTenge", async function () {
      const { coin, hostile, users } = await loadFixture(hostileFixture);
      const hook = coin.interface.encodeFunctionData("onTransferReceived", [
        users.alice.address,
        users.alice.address,
        kzt("1000"),
        "0x",
      ]);
      await expect(hostile.execute(coin, hook))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinCallerNotTenge")
        .withArgs(await hostile.getAddress());
    });
  });

  describe("into the programs escrow", function () {
    async function hostileFunderFixture() {
      const ctx = await loadFixture(hostileFixture);
      const { tenge, programs, hostile } = ctx;
      const terms = {
        allowance: kzt("100"),
        period: PERIOD.whole,
        start: 0n,
        expiry: BigInt(await time.latest()) + 30n * DAY,
      };
      const create = tenge.interface.encodeFunctionData(sendWithData, [
        await programs.getAddress(),
        kzt("500"),
        encodeTerms(terms),
      ]);
      await (await hostile.execute(tenge, create)).wait();
      const programId = await programs.programCount();
      const close = programs.interface.encodeFunctionData("close", [programId]);
      await (await hostile.setAttack(programs, close, true)).wait();
      return { ...ctx, programId };
    }

    it("a funder closing its program from inside a callback gets the budget back exactly once", async function () {
      const { tenge, programs, hostile, users } = await loadFixture(hostileFunderFixture);
      await expect(tenge.connect(users.alice).getFunction(send)(hostile, 1n)).to.changeTokenBalances(
        tenge,
        [hostile, programs],
        [kzt("500") + 1n, -kzt("500")],
      );
      await expectProgramsInvariant(programs, tenge);
    });

    it("a second re-entrant close fails: ProgramsProgramClosed", async function () {
      const { tenge, programs, hostile, users, programId } = await loadFixture(hostileFunderFixture);
      await (await tenge.connect(users.alice).getFunction(send)(hostile, 1n)).wait();
      await expect(tenge.connect(users.alice).getFunction(send)(hostile, 1n))
        .to.be.revertedWithCustomError(programs, "ProgramsProgramClosed")
        .withArgs(programId);
    });

    it("a hostile token calling the escrow's hook directly funds nothing: ProgramsCallerNotTenge", async function () {
      const { programs, hostile, users, programId } = await loadFixture(suiteFixture);
      const hook = programs.interface.encodeFunctionData("onTransferReceived", [
        users.treasury.address,
        users.treasury.address,
        kzt("1000"),
        encodeTerms({ allowance: 1n, period: PERIOD.whole, start: 0n, expiry: programId + 10n ** 9n }),
      ]);
      await expect(hostile.execute(programs, hook))
        .to.be.revertedWithCustomError(programs, "ProgramsCallerNotTenge")
        .withArgs(await hostile.getAddress());
    });
  });

  describe("into the gold desk", function () {
    it("a re-entrant buy for a wallet that may not hold gold fails in the gold token: GoldTokenNotPermitted", async function () {
      const ctx = await loadFixture(hostileFixture);
      const { tenge, gold, goldDesk, hostile, users } = ctx;
      await freshPrice(ctx);
      const order = encodeBuyOrder(1n, PRICE, BigInt(await time.latest()) + 3_600n);
      const buy = tenge.interface.encodeFunctionData(sendWithData, [await goldDesk.getAddress(), kzt("53"), order]);
      await (await hostile.setAttack(tenge, buy, true)).wait();
      await expect(tenge.connect(users.alice).getFunction(send)(hostile, 1n))
        .to.be.revertedWithCustomError(gold, "GoldTokenNotPermitted")
        .withArgs(await hostile.getAddress());
    });

    it("a hostile token calling the desk's hook directly buys nothing: GoldDeskNotTenge", async function () {
      const { goldDesk, hostile, users } = await loadFixture(hostileFixture);
      const order = encodeBuyOrder(1_000n, PRICE, BigInt(await time.latest()) + 3_600n);
      const hook = goldDesk.interface.encodeFunctionData("onTransferReceived", [
        users.alice.address,
        users.alice.address,
        kzt("60000"),
        order,
      ]);
      await expect(hostile.execute(goldDesk, hook))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskNotTenge")
        .withArgs(await hostile.getAddress());
    });
  });
});
