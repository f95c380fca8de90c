import { expect } from "chai";
import hre, { ethers, upgrades } from "hardhat";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroHash, id } from "ethers";
import { DigitalTenge__factory } from "../../typechain-types";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";
import { DIGITAL_TENGE } from "../../scripts/lib/access-matrix";
import { casesFrom, describeAccessMatrix, type GatedCase } from "../helpers/access-matrix";
import { RECEIVE_BYTES, RECEIVE_VRS, domainOf, signAuthorization, signPermit } from "../../scripts/lib/eip712";
import { receiveArgs, signMaterial, signedOpenCases } from "../helpers/signed";

/*
 * An ABI-driven access matrix. Every state-changing function of DigitalTenge must appear in exactly one of two
 * tables: GATED (who may call it and the exact error everyone else gets) or OPEN (what any holder may do). A
 * function added to the contract and to neither table makes the "is classified" test fail.
 */

const REASON = id("court-order-42");
const ROLE_NAMES = [
  "DEFAULT_ADMIN_ROLE",
  "CENTRAL_BANK_ROLE",
  "PAUSER_ROLE",
  "COMPLIANCE_ROLE",
  "SEIZURE_ROLE",
  "TAX_AUTHORITY_ROLE",
] as const;
type RoleName = (typeof ROLE_NAMES)[number];
const roleId = (role: RoleName): string => (role === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(role));

/** Everyone the matrix calls as. */
const CAST = [
  "centralBank",
  "desk",
  "pauser",
  "compliance",
  "enforcement",
  "tax",
  "bankA",
  "bankB",
  "alice",
  "outsider",
] as const;
type CastMember = (typeof CAST)[number];

/** The roles the deploy scripts give each cast member (checked against the chain below). */
const ROLES_HELD: Record<CastMember, readonly RoleName[]> = {
  centralBank: ["DEFAULT_ADMIN_ROLE"],
  desk: ["CENTRAL_BANK_ROLE"],
  pauser: ["PAUSER_ROLE"],
  compliance: ["COMPLIANCE_ROLE"],
  enforcement: ["SEIZURE_ROLE"],
  tax: ["TAX_AUTHORITY_ROLE"],
  bankA: [],
  bankB: [],
  alice: [],
  outsider: [],
};
const REGISTERED_BANKS: readonly CastMember[] = ["bankA", "bankB"];

/**
 * The base fixture plus signed material valid for a day: alice's permit to bob, her transfer and receive
 * authorizations to bob and a cancellation; and the live implementation's address.
 */
async function accessFixture() {
  const base = await loadFixture(tengeFixture);
  const { tenge, roles, banks, users } = base;
  const deadline = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0) + 86_400n;
  const tax = await ethers.getSigner((await hre.getNamedAccounts()).taxAuthority);
  const cast: Record<CastMember, HardhatEthersSigner> = {
    ...roles,
    tax,
    ...banks,
    alice: users.alice,
    outsider: users.outsider,
  };
  // An ERC-1363 receiver contract, onboarded as an institution so it may hold tenge.
  const receiver = await ethers.deployContract("ERC1363ReceiverMock");
  await (await tenge.connect(roles.desk).onboardInstitution(receiver)).wait();
  return {
    ...base,
    cast,
    receiver,
    implementation: await upgrades.erc1967.getImplementationAddress(await tenge.getAddress()),
    signed: await signMaterial(tenge, users.alice, users.bob.address, kzt("5"), deadline),
  };
}

type Ctx = Awaited<ReturnType<typeof accessFixture>>;

interface Expected {
  error: string;
  args: unknown[];
}

/** Who passes a function's gate, and what everyone else gets. */
type Gate =
  | { kind: "bank" }
  | { kind: "issuer"; account: (ctx: Ctx) => string }
  | { kind: "manager"; account: (ctx: Ctx) => string }
  | { kind: "payee" }
  | { kind: "invoiceMerchant" }
  | { kind: "self" };

interface GatedFunction {
  /** The file's rule gate; none for a role (or nobody) gate, which the matrix gives. */
  gate?: Gate;
  args: (ctx: Ctx) => unknown[] | Promise<unknown[]>;
  /** Runs the admitted path itself and checks its effect. */
  admitted?: (ctx: Ctx) => Promise<void>;
  /** Brings the token into a state where the authorised call makes sense (e.g. pause before unpause). */
  prepare?: (ctx: Ctx) => Promise<void>;
}

const alice = (ctx: Ctx): string => ctx.users.alice.address;
const merchant = (ctx: Ctx): string => ctx.users.merchant.address;

const TAXPAYER = id("BIN 990140000001");
const VAT_STANDARD = 0;
const VAT_REDUCED = 1;
const INVOICE = id("INV-ACCESS-1");

/** The tax authority registers the merchant as a VAT payer. */
async function registerMerchantForVat(ctx: Ctx): Promise<void> {
  await (await ctx.tenge.connect(ctx.cast.tax).registerVatPayer(ctx.users.merchant, TAXPAYER, VAT_STANDARD)).wait();
}

/** The merchant (a VAT payer) issues a 116.00 KZT VAT-inclusive invoice; `payer` restricts who may pay. */
async function issueVatInvoice(ctx: Ctx, payer = ethers.ZeroAddress): Promise<void> {
  await registerMerchantForVat(ctx);
  await (
    await ctx.tenge.connect(ctx.users.merchant).issueInvoice(INVOICE, kzt("116"), false, VAT_STANDARD, payer)
  ).wait();
}

/** Alice's signed authorization paying the merchant's 116.00 KZT invoice (issued by `issueVatInvoice`). */
async function invoiceAuthorization(ctx: Ctx) {
  const { tenge, users, signed } = ctx;
  const auth = {
    from: users.alice.address,
    to: users.merchant.address,
    value: kzt("116"),
    validAfter: 0n,
    validBefore: signed.auth.validBefore,
    nonce: await tenge.invoiceNonce(users.merchant, INVOICE),
  };
  return { auth, sig: await signAuthorization(users.alice, await domainOf(tenge), auth, true) };
}

/** Every gated state-changing function, with plausible arguments. */
const GATED: Record<string, GatedFunction> = {
  // AccessControl and UUPS
  "grantRole(bytes32,address)": {
    args: (ctx) => [roleId("PAUSER_ROLE"), ctx.users.relayer.address],
  },
  "revokeRole(bytes32,address)": {
    args: (ctx) => [roleId("PAUSER_ROLE"), ctx.roles.pauser.address],
  },
  "renounceRole(bytes32,address)": {
    gate: { kind: "self" },
    args: (ctx) => [roleId("PAUSER_ROLE"), ctx.roles.pauser.address],
  },
  "upgradeToAndCall(address,bytes)": {
    args: (ctx) => [ctx.implementation, "0x"],
  },
  "initialize(address)": {
    args: (ctx) => [ctx.users.outsider.address],
  },
  // Central bank
  "registerBank(address,uint256)": {
    args: (ctx) => [ctx.users.relayer.address, kzt("1000")],
  },
  "setIssuanceCeiling(address,uint256)": {
    args: (ctx) => [ctx.banks.bankA.address, kzt("2000000")],
  },
  "setBankSuspended(address,bool)": {
    args: (ctx) => [ctx.banks.bankA.address, true],
  },
  "setTierLimits(uint8,uint256,uint256)": {
    args: () => [0, kzt("1000"), kzt("500")],
  },
  "onboardInstitution(address)": {
    args: (ctx) => [ctx.users.relayer.address],
  },
  "setExempt(address,bool)": {
    args: (ctx) => [alice(ctx), true],
  },
  // Banks
  "onboard(address,uint8)": { gate: { kind: "bank" }, args: (ctx) => [ctx.users.relayer.address, 1] },
  "onboardBatch(address[],uint8)": { gate: { kind: "bank" }, args: (ctx) => [[ctx.users.relayer.address], 1] },
  "mint(address,uint256)": { gate: { kind: "issuer", account: alice }, args: (ctx) => [alice(ctx), kzt("1")] },
  "mintBatch(address[],uint256[])": {
    gate: { kind: "issuer", account: alice },
    args: (ctx) => [[alice(ctx)], [kzt("1")]],
  },
  "offboard(address)": { gate: { kind: "manager", account: merchant }, args: (ctx) => [merchant(ctx)] },
  "setTier(address,uint8)": { gate: { kind: "manager", account: alice }, args: (ctx) => [alice(ctx), 2] },
  "recoverWallet(address,address)": {
    gate: { kind: "manager", account: alice },
    args: (ctx) => [alice(ctx), ctx.users.relayer.address],
  },
  // Compliance and enforcement
  "freeze(address,bytes32)": { args: (ctx) => [alice(ctx), REASON] },
  "unfreeze(address,bytes32)": {
    args: (ctx) => [alice(ctx), REASON],
    prepare: async (ctx) => {
      await ctx.tenge.connect(ctx.roles.compliance).freeze(ctx.users.alice, REASON);
    },
  },
  "freezeAmount(address,uint256,bytes32)": {
    args: (ctx) => [alice(ctx), kzt("1"), REASON],
  },
  "unfreezeAmount(address,uint256,bytes32)": {
    args: (ctx) => [alice(ctx), kzt("1"), REASON],
    prepare: async (ctx) => {
      await ctx.tenge.connect(ctx.roles.compliance).freezeAmount(ctx.users.alice, kzt("1"), REASON);
    },
  },
  "seize(address,address,uint256,bytes32)": {
    args: (ctx) => [alice(ctx), ctx.users.treasury.address, kzt("1"), REASON],
  },
  // Pause
  "pause()": { args: () => [] },
  "unpause()": {
    args: () => [],
    prepare: async (ctx) => {
      await ctx.tenge.connect(ctx.roles.pauser).pause();
    },
  },
  // Tax authority
  "registerVatPayer(address,bytes32,uint8)": {
    args: (ctx) => [alice(ctx), TAXPAYER, VAT_STANDARD],
  },
  "updateVatPayer(address,uint8)": {
    args: (ctx) => [merchant(ctx), VAT_REDUCED],
    prepare: registerMerchantForVat,
  },
  "deregisterVatPayer(address)": {
    args: (ctx) => [merchant(ctx)],
    prepare: registerMerchantForVat,
  },
  "scheduleVatRates(uint256,uint256,uint256)": {
    args: () => [1600, 1000, 0],
  },
  "setVatBudget(address)": {
    args: (ctx) => [ctx.users.treasury.address],
  },
  // Signed payments only the payee may submit
  [RECEIVE_VRS]: {
    gate: { kind: "payee" },
    args: ({ signed }) => receiveArgs("v, r, s", signed),
  },
  [RECEIVE_BYTES]: {
    gate: { kind: "payee" },
    args: ({ signed }) => receiveArgs("bytes", signed),
  },
  // Signed invoice payments only the invoice's merchant may submit
  "payInvoiceWithAuthorization(address,bytes32,address,uint256,uint256,uint256,uint8,bytes32,bytes32)": {
    gate: { kind: "invoiceMerchant" },
    prepare: issueVatInvoice,
    args: async (ctx) => {
      const { auth, sig } = await invoiceAuthorization(ctx);
      return [
        ctx.users.merchant.address,
        INVOICE,
        ctx.users.alice.address,
        auth.value,
        0n,
        auth.validBefore,
        sig.v,
        sig.r,
        sig.s,
      ];
    },
    admitted: async (ctx) => {
      const { tenge, users } = ctx;
      const { auth, sig } = await invoiceAuthorization(ctx);
      await expect(
        tenge
          .connect(users.merchant)
          .payInvoiceWithAuthorization(
            users.merchant,
            INVOICE,
            users.alice,
            auth.value,
            0n,
            auth.validBefore,
            sig.v,
            sig.r,
            sig.s,
          ),
      ).to.changeTokenBalances(tenge, [users.alice, users.merchant], [-kzt("116"), kzt("100")]);
    },
  },
};

/** What any holder (or, for signed messages, any relayer) may do: each runs and checks its effect. */
const OPEN: Record<string, (ctx: Ctx) => Promise<void>> = {
  // VAT: merchants and payers (each a holder's own business; the rules are tested in test/vat)
  "issueInvoice(bytes32,uint256,bool,uint8,address)": async (ctx) => {
    await registerMerchantForVat(ctx);
    await ctx.tenge
      .connect(ctx.users.merchant)
      .issueInvoice(INVOICE, kzt("116"), false, VAT_STANDARD, ethers.ZeroAddress);
    expect((await ctx.tenge.invoiceOf(ctx.users.merchant, INVOICE)).status).to.equal(1n);
  },
  "cancelInvoice(bytes32)": async (ctx) => {
    await issueVatInvoice(ctx);
    await ctx.tenge.connect(ctx.users.merchant).cancelInvoice(INVOICE);
    expect((await ctx.tenge.invoiceOf(ctx.users.merchant, INVOICE)).status).to.equal(3n);
  },
  "payInvoice(address,bytes32)": async (ctx) => {
    await issueVatInvoice(ctx);
    await expect(ctx.tenge.connect(ctx.users.alice).payInvoice(ctx.users.merchant, INVOICE)).to.changeTokenBalances(
      ctx.tenge,
      [ctx.users.alice, ctx.users.merchant],
      [-kzt("116"), kzt("100")],
    );
  },
  "payInvoiceWithPermit(address,address,bytes32,uint256,uint256,uint8,bytes32,bytes32)": async (ctx) => {
    await issueVatInvoice(ctx);
    const { tenge, users, signed } = ctx;
    const p = {
      owner: users.alice.address,
      spender: users.relayer.address,
      value: kzt("116"),
      nonce: 0n,
      deadline: signed.permit.deadline,
    };
    const s = await signPermit(users.alice, await domainOf(tenge), p);
    await expect(
      tenge
        .connect(users.relayer)
        .payInvoiceWithPermit(users.alice, users.merchant, INVOICE, p.value, p.deadline, s.v, s.r, s.s),
    ).to.changeTokenBalances(tenge, [users.alice, users.merchant], [-kzt("116"), kzt("100")]);
  },
  "payInvoiceWithInputVat(address,bytes32)": async (ctx) => {
    await issueVatInvoice(ctx);
    const { tenge, users, cast } = ctx;
    await tenge.connect(users.alice).payInvoice(users.merchant, INVOICE); // the merchant now holds 16.00 marked VAT
    await tenge.connect(cast.tax).registerVatPayer(users.alice, id("BIN 2"), VAT_STANDARD);
    await tenge.connect(users.alice).issueInvoice(INVOICE, kzt("10"), true, VAT_STANDARD, users.merchant);
    await tenge.connect(users.merchant).payInvoiceWithInputVat(users.alice, INVOICE);
    expect((await tenge.vatPayerOf(users.alice)).markedVat).to.equal(kzt("1.60"));
  },
  "refundInvoice(bytes32,uint256)": async (ctx) => {
    await issueVatInvoice(ctx);
    await ctx.tenge.connect(ctx.users.alice).payInvoice(ctx.users.merchant, INVOICE);
    await expect(ctx.tenge.connect(ctx.users.merchant).refundInvoice(INVOICE, kzt("116"))).to.changeTokenBalance(
      ctx.tenge,
      ctx.users.alice,
      kzt("116"),
    );
  },
  "payVatToBudget(uint256)": async (ctx) => {
    await issueVatInvoice(ctx);
    await ctx.tenge.connect(ctx.users.alice).payInvoice(ctx.users.merchant, INVOICE);
    await ctx.tenge.connect(ctx.cast.tax).setVatBudget(ctx.users.treasury);
    await expect(ctx.tenge.connect(ctx.users.merchant).payVatToBudget(kzt("16"))).to.changeTokenBalance(
      ctx.tenge,
      ctx.users.treasury,
      kzt("16"),
    );
  },
  "approve(address,uint256)": async ({ tenge, users }) => {
    await tenge.connect(users.alice).approve(users.bob, kzt("7"));
    expect(await tenge.allowance(users.alice, users.bob)).to.equal(kzt("7"));
  },
  "transfer(address,uint256)": async ({ tenge, users }) => {
    await expect(tenge.connect(users.alice).transfer(users.bob, kzt("7"))).to.changeTokenBalances(
      tenge,
      [users.alice, users.bob],
      [-kzt("7"), kzt("7")],
    );
  },
  "transferFrom(address,address,uint256)": async ({ tenge, users }) => {
    await tenge.connect(users.alice).approve(users.bob, kzt("7"));
    await expect(tenge.connect(users.bob).transferFrom(users.alice, users.carol, kzt("7"))).to.changeTokenBalances(
      tenge,
      [users.alice, users.carol],
      [-kzt("7"), kzt("7")],
    );
  },
  "transferAndCall(address,uint256)": async ({ tenge, users, receiver }) => {
    await expect(
      tenge.connect(users.alice).getFunction("transferAndCall(address,uint256)")(receiver, kzt("7")),
    ).to.changeTokenBalances(tenge, [users.alice, receiver], [-kzt("7"), kzt("7")]);
  },
  "transferAndCall(address,uint256,bytes)": async ({ tenge, users, receiver }) => {
    await expect(
      tenge.connect(users.alice).getFunction("transferAndCall(address,uint256,bytes)")(receiver, kzt("7"), "0x01"),
    ).to.changeTokenBalances(tenge, [users.alice, receiver], [-kzt("7"), kzt("7")]);
  },
  "transferFromAndCall(address,address,uint256)": async ({ tenge, users, receiver }) => {
    await tenge.connect(users.alice).approve(users.bob, kzt("7"));
    await expect(
      tenge.connect(users.bob).getFunction("transferFromAndCall(address,address,uint256)")(
        users.alice,
        receiver,
        kzt("7"),
      ),
    ).to.changeTokenBalances(tenge, [users.alice, receiver], [-kzt("7"), kzt("7")]);
  },
  "transferFromAndCall(address,address,uint256,bytes)": async ({ tenge, users, receiver }) => {
    await tenge.connect(users.alice).approve(users.bob, kzt("7"));
    await expect(
      tenge.connect(users.bob).getFunction("transferFromAndCall(address,address,uint256,bytes)")(
        users.alice,
        receiver,
        kzt("7"),
        "0x01",
      ),
    ).to.changeTokenBalances(tenge, [users.alice, receiver], [-kzt("7"), kzt("7")]);
  },
  "approveAndCall(address,uint256)": async ({ tenge, users, receiver }) => {
    await tenge.connect(users.alice).getFunction("approveAndCall(address,uint256)")(receiver, kzt("7"));
    expect(await tenge.allowance(users.alice, receiver)).to.equal(kzt("7"));
  },
  "approveAndCall(address,uint256,bytes)": async ({ tenge, users, receiver }) => {
    await tenge.connect(users.alice).getFunction("approveAndCall(address,uint256,bytes)")(receiver, kzt("7"), "0x01");
    expect(await tenge.allowance(users.alice, receiver)).to.equal(kzt("7"));
  },
  "redeem(uint256,bytes32)": async ({ tenge, users }) => {
    await expect(tenge.connect(users.alice).redeem(kzt("7"), REASON)).to.changeTokenBalance(
      tenge,
      users.alice,
      -kzt("7"),
    );
  },
  // permit, transferWithAuthorization and cancelAuthorization, relayed by the outsider
  ...signedOpenCases<Ctx>(({ tenge, users, signed }) => ({
    token: tenge,
    owner: users.alice,
    spender: users.bob,
    relayer: users.outsider,
    signed,
  })),
};

/** Whether `member` passes `gate`. */
function passes(gate: Gate, member: CastMember): boolean {
  switch (gate.kind) {
    case "bank":
      return REGISTERED_BANKS.includes(member);
    case "issuer":
    case "manager":
      return member === "bankA"; // alice and merchant are bank A's customers
    case "payee":
    case "invoiceMerchant":
      return false; // bob (the payee) and the merchant are not in the cast
    case "self":
      return member === "pauser";
  }
}

/** The exact error `caller` gets from a function behind `gate`. */
function expectedError(gate: Gate, ctx: Ctx, member: CastMember): Expected {
  const caller = ctx.cast[member].address;
  switch (gate.kind) {
    case "bank":
      return { error: "DigitalTengeNotBank", args: [caller] };
    case "issuer":
      return REGISTERED_BANKS.includes(member)
        ? { error: "DigitalTengeNotAccountManager", args: [caller, gate.account(ctx)] }
        : { error: "DigitalTengeNotBank", args: [caller] };
    case "manager":
      return { error: "DigitalTengeNotAccountManager", args: [caller, gate.account(ctx)] };
    case "payee":
      return { error: "SignedTransfersCallerNotPayee", args: [caller, ctx.users.bob.address] };
    case "invoiceMerchant":
      return { error: "SignedTransfersCallerNotPayee", args: [caller, ctx.users.merchant.address] };
    case "self":
      return { error: "AccessControlBadConfirmation", args: [] };
  }
}

/** The signer the gate lets through, for the positive control. */
function authorisedCaller(gate: Gate, ctx: Ctx): HardhatEthersSigner | undefined {
  if (gate.kind === "payee") return ctx.users.bob;
  if (gate.kind === "invoiceMerchant") return ctx.users.merchant;
  const member = CAST.find((m) => passes(gate, m));
  return member === undefined ? undefined : ctx.cast[member];
}

/** Role gates come from the matrix; the rule gates are this file's. */
function toCase({ gate, args, prepare, admitted }: GatedFunction): GatedCase<Ctx, CastMember> {
  if (gate === undefined) return { args, prepare };
  return {
    args,
    prepare,
    admitted,
    admits: (m) => passes(gate, m),
    refusal: (ctx, m) => expectedError(gate, ctx, m),
    caller: (ctx) => authorisedCaller(gate, ctx),
  };
}

describeAccessMatrix({
  title: "DigitalTenge access control (the token's ABI)",
  matrix: DIGITAL_TENGE,
  abi: DigitalTenge__factory.createInterface(),
  fixture: accessFixture,
  contract: (ctx) => ctx.tenge,
  members: CAST,
  cast: (ctx) => ctx.cast,
  rolesHeld: ROLES_HELD,
  cases: casesFrom(GATED, toCase, OPEN),
});

describe("DigitalTenge access control", function () {
  it("assumes the banks the deploy scripts registered", async function () {
    const ctx = await loadFixture(accessFixture);
    for (const member of CAST) {
      expect((await ctx.tenge.bankOf(ctx.cast[member])).id !== 0n, `${member} is a bank`).to.equal(
        REGISTERED_BANKS.includes(member),
      );
    }
  });

  describe("separation of duties", function () {
    it("a bank cannot raise its own issuance ceiling", async function () {
      const { tenge, banks } = await loadFixture(accessFixture);
      await expect(tenge.connect(banks.bankA).setIssuanceCeiling(banks.bankA, kzt("9000000")))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, roleId("CENTRAL_BANK_ROLE"));
    });

    it("a suspended bank cannot lift its own suspension", async function () {
      const { tenge, roles, banks } = await loadFixture(accessFixture);
      await tenge.connect(roles.desk).setBankSuspended(banks.bankA, true);
      await expect(tenge.connect(banks.bankA).setBankSuspended(banks.bankA, false))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, roleId("CENTRAL_BANK_ROLE"));
    });

    it("a bank cannot exempt its own customer from tier limits", async function () {
      const { tenge, banks, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(banks.bankA).setExempt(users.alice, true))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, roleId("CENTRAL_BANK_ROLE"));
    });

    it("a bank cannot change tier limits", async function () {
      const { tenge, banks } = await loadFixture(accessFixture);
      await expect(tenge.connect(banks.bankA).setTierLimits(1, kzt("9000000"), kzt("9000000")))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, roleId("CENTRAL_BANK_ROLE"));
    });

    it("a bank cannot register another bank", async function () {
      const { tenge, banks, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(banks.bankA).registerBank(users.relayer, kzt("1000")))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, roleId("CENTRAL_BANK_ROLE"));
    });

    it("a bank cannot onboard an institution", async function () {
      const { tenge, banks, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(banks.bankA).onboardInstitution(users.relayer))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, roleId("CENTRAL_BANK_ROLE"));
    });

    it("a bank cannot offboard an institution", async function () {
      const { tenge, banks, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(banks.bankA).offboard(users.treasury))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(banks.bankA.address, users.treasury.address);
    });

    it("a bank cannot issue to another bank's customer", async function () {
      const { tenge, banks, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(banks.bankB).mint(users.alice, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(banks.bankB.address, users.alice.address);
    });

    it("a bank cannot change another bank's customer's tier", async function () {
      const { tenge, banks, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(banks.bankB).setTier(users.alice, 0))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(banks.bankB.address, users.alice.address);
    });

    it("a bank cannot recover another bank's customer's wallet", async function () {
      const { tenge, banks, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(banks.bankB).recoverWallet(users.alice, users.relayer))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(banks.bankB.address, users.alice.address);
    });

    it("the central bank desk cannot mint: DigitalTengeNotBank(desk)", async function () {
      const { tenge, roles, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(roles.desk).mint(users.alice, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(roles.desk.address);
    });

    it("the central bank desk cannot mint in a batch: DigitalTengeNotBank(desk)", async function () {
      const { tenge, roles, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(roles.desk).mintBatch([users.alice], [kzt("1")]))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(roles.desk.address);
    });

    it("the central bank desk cannot mint to an institution it manages: DigitalTengeNotBank(desk)", async function () {
      const { tenge, roles, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(roles.desk).mint(users.treasury, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(roles.desk.address);
    });

    it("the central bank admin cannot mint: DigitalTengeNotBank(admin)", async function () {
      const { tenge, roles, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(roles.centralBank).mint(users.alice, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(roles.centralBank.address);
    });

    it("the central bank desk cannot change a bank customer's tier", async function () {
      const { tenge, roles, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(roles.desk).setTier(users.alice, 0))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(roles.desk.address, users.alice.address);
    });

    it("the central bank desk manages institutions: it may offboard an empty one", async function () {
      const { tenge, roles, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(roles.desk).offboard(users.treasury))
        .to.emit(tenge, "AccountOffboarded")
        .withArgs(users.treasury.address, ethers.ZeroAddress);
    });

    it("the central bank admin holds no operational role: it cannot register a bank", async function () {
      const { tenge, roles, users } = await loadFixture(accessFixture);
      await expect(tenge.connect(roles.centralBank).registerBank(users.relayer, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(roles.centralBank.address, roleId("CENTRAL_BANK_ROLE"));
    });

    it("a revoked desk can no longer register banks", async function () {
      const { tenge, roles, users } = await loadFixture(accessFixture);
      await tenge.connect(roles.centralBank).revokeRole(roleId("CENTRAL_BANK_ROLE"), roles.desk);
      await expect(tenge.connect(roles.desk).registerBank(users.relayer, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(roles.desk.address, roleId("CENTRAL_BANK_ROLE"));
    });

    it("a registered bank gains no AccessControl role", async function () {
      const { tenge, banks } = await loadFixture(accessFixture);
      for (const role of ROLE_NAMES) {
        expect(await tenge.hasRole(roleId(role), banks.bankA), role).to.equal(false);
      }
    });
  });
});
