/**
 * VAT-splitting invoice payments, against the plain tenge transfer measured in the same run and against Paxos
 * Gold's proxied fee-splitting transfer (63,736 gas, performance.md), the target.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { id } from "ethers";
import { getTenge } from "../../scripts/lib/contracts";
import { domainOf, signAuthorization, signPermit } from "../../scripts/lib/eip712";
import { Measurer, gasOf } from "../lib";
import type { Baselines, SuiteResult } from "../lib";

const SUBJECT = "DigitalTenge VAT invoices (UUPS proxy)";
/** Paxos Gold's proxied transfer with its 0.02 % fee split, the closest split-at-transfer token (performance.md). */
const PAXG_FEE_TRANSFER = 63_736;
const STANDARD = 0;
const GROSS = 1_160_000n; // 11,600.00 KZT with 16 % VAT included: 10,000.00 net + 1,600.00 VAT

/** Runs the VAT suite from a fresh deployment. */
export async function benchVat(hre: HardhatRuntimeEnvironment, baselines: Baselines): Promise<SuiteResult> {
  const { ethers, deployments } = hre;
  await deployments.fixture(["tenge"]);
  const tenge = await getTenge(hre);
  const [, desk, , , , bank, payer, merchant, supplier, pos] = await ethers.getSigners();
  const { taxAuthority } = await hre.getNamedAccounts();
  const tax = await ethers.getSigner(taxAuthority);
  await (await tenge.connect(desk).registerBank(bank, 10n ** 15n)).wait();
  await (await tenge.connect(bank).onboardBatch([payer, pos], 2)).wait();
  await (await tenge.connect(bank).onboardBatch([merchant, supplier], 3)).wait();
  await (await tenge.connect(bank).mint(payer, 10_000_000n)).wait();
  await (await tenge.connect(tax).registerVatPayer(merchant, id("BIN 990140000001"), STANDARD)).wait();
  await (await tenge.connect(tax).registerVatPayer(supplier, id("BIN 990140000002"), STANDARD)).wait();
  // A first paid invoice, so the merchant's marked VAT and the marked total are non-zero as in steady operation.
  const ref = (n: number): string => id(`bench invoice ${n}`);
  await (await tenge.connect(merchant).issueInvoice(ref(0), GROSS, false, STANDARD, ethers.ZeroAddress)).wait();
  await (await tenge.connect(payer).payInvoice(merchant, ref(0))).wait();
  await (await tenge.connect(merchant).issueInvoice(ref(1), GROSS, false, STANDARD, ethers.ZeroAddress)).wait();
  await (await tenge.connect(merchant).issueInvoice(ref(2), 1_000_000n, true, STANDARD, payer.address)).wait();
  const bench = await Measurer.from(SUBJECT);

  const inclusive = await bench.against(
    "payInvoice, VAT-inclusive (retail), by the payer vs PAXG fee-splitting transfer",
    () => gasOf(tenge.connect(payer).payInvoice(merchant, ref(1))),
    PAXG_FEE_TRANSFER,
  );
  await bench.against(
    "payInvoice, VAT-inclusive, vs plain tenge transfer",
    () => gasOf(tenge.connect(payer).payInvoice(merchant, ref(1))),
    baselines.tengeTransfer,
  );
  await bench.against(
    "payInvoice, net + VAT on top (B2B), vs plain tenge transfer",
    () => gasOf(tenge.connect(payer).payInvoice(merchant, ref(2))),
    baselines.tengeTransfer,
  );
  const deadline = 2n ** 40n;
  await bench.against(
    "payInvoiceWithAuthorization (EIP-3009, submitted by the merchant) vs plain tenge transfer",
    async () => {
      const auth = {
        from: payer.address,
        to: merchant.address,
        value: GROSS,
        validAfter: 0n,
        validBefore: deadline,
        nonce: await tenge.invoiceNonce(merchant, ref(1)),
      };
      const sig = await signAuthorization(payer, await domainOf(tenge), auth, true);
      return gasOf(
        tenge
          .connect(merchant)
          .payInvoiceWithAuthorization(merchant, ref(1), payer, GROSS, 0n, deadline, sig.v, sig.r, sig.s),
      );
    },
    baselines.tengeTransfer,
  );
  await bench.against(
    "payInvoiceWithPermit (EIP-2612, submitted by a POS) vs plain tenge transfer",
    async () => {
      const sig = await signPermit(payer, await domainOf(tenge), {
        owner: payer.address,
        spender: pos.address,
        value: GROSS,
        nonce: await tenge.nonces(payer),
        deadline,
      });
      return gasOf(
        tenge.connect(pos).payInvoiceWithPermit(payer, merchant, ref(1), GROSS, deadline, sig.v, sig.r, sig.s),
      );
    },
    baselines.tengeTransfer,
  );
  await bench.against(
    "issueInvoice (merchant, before the payment) vs plain tenge transfer",
    () => gasOf(tenge.connect(merchant).issueInvoice(ref(9), GROSS, false, STANDARD, ethers.ZeroAddress)),
    baselines.tengeTransfer,
  );
  return {
    title: `${SUBJECT}: payments against PAXG's fee-splitting transfer (63,736) and the plain tenge transfer`,
    rows: bench.rows,
    notes: [],
    targets: [
      {
        what: "VAT-inclusive payment by the payer ≤ 63,736 gas (PAXG's proxied fee-splitting transfer)",
        met: inclusive.gas <= PAXG_FEE_TRANSFER,
        figure: `${inclusive.gas} (${(inclusive.gas / baselines.tengeTransfer).toFixed(3)}× a plain tenge transfer)`,
      },
    ],
  };
}
