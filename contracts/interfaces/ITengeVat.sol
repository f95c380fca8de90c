// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ITengeVatBase} from "./ITengeVatBase.sol";

/// @title ITengeVat
/// @notice VAT-splitting payments of the digital tenge, modelled on Kazakhstan's Digital VAT pilot: a merchant issues
/// an invoice, the payer pays it, and in the same transaction the net goes to the merchant's balance and the VAT to
/// its marked VAT — restricted value that can only be paid to the budget or offset against the VAT of its own
/// purchases. Amounts in tiyn, rates in basis points; VAT is rounded half up to the tiyn and net + VAT == gross.
/// @dev Invariant: `Σ marked VAT of VAT payers == markedTotal == collected − paidToBudget − offset` (collected net of
/// refunds), and `totalSupply == Σ balances + markedTotal`.
interface ITengeVat is ITengeVatBase {
    /* TAX AUTHORITY */

    /// @notice Registers an onboarded wallet as a VAT payer. Its daily outflow counter is dropped (VAT payers are
    /// businesses, outside retail daily limits) and its word starts holding marked VAT.
    /// @dev Requirements: caller has TAX_AUTHORITY_ROLE; `account` onboarded, not yet registered; `taxpayerIdHash`
    /// non-zero; `defaultCategory` STANDARD, REDUCED or ZERO. Emits {VatPayerRegistered}.
    /// @param account The business's wallet.
    /// @param taxpayerIdHash Salted hash of its taxpayer identifier (BIN/IIN); never the identifier itself.
    /// @param defaultCategory Category its invoices use when issued with DEFAULT.
    function registerVatPayer(address account, bytes32 taxpayerIdHash, VatCategory defaultCategory) external;

    /// @notice Changes a VAT payer's default category.
    /// @dev Requirements: caller has TAX_AUTHORITY_ROLE; `account` registered; category STANDARD, REDUCED or ZERO.
    /// Emits {VatPayerUpdated}.
    /// @param account The VAT payer.
    /// @param defaultCategory New default.
    function updateVatPayer(address account, VatCategory defaultCategory) external;

    /// @notice Deregisters a VAT payer whose marked VAT is zero; its invoices still unpaid can then only be paid if
    /// they carry no VAT.
    /// @dev Requirements: caller has TAX_AUTHORITY_ROLE; `account` registered with no marked VAT.
    /// Emits {VatPayerDeregistered}.
    /// @param account The VAT payer.
    function deregisterVatPayer(address account) external;

    /// @notice Schedules VAT rates: in force for payments settled from `effectiveFrom` (unix time; now or earlier
    /// means at once). A payment always uses the rates in force when it settles. Replaces a change not yet in force.
    /// @dev Requirements: caller has TAX_AUTHORITY_ROLE; rates at most 10,000 bps. Emits {VatRatesScheduled}.
    /// @param standardBps Standard rate, e.g. 1,600 (16 % since 1 January 2026).
    /// @param reducedBps Reduced rate, e.g. 500 (medicines in 2026; 1,000 from 2027).
    /// @param effectiveFrom When they take effect.
    function scheduleVatRates(uint256 standardBps, uint256 reducedBps, uint256 effectiveFrom) external;

    /// @notice Sets the budget (treasury) wallet that VAT payers pay marked VAT to.
    /// @dev Requirements: caller has TAX_AUTHORITY_ROLE; `budget` onboarded. Emits {VatBudgetSet}.
    /// @param budget The budget's wallet.
    function setVatBudget(address budget) external;

    /* MERCHANTS */

    /// @notice Issues an invoice payable by `payer` (or by anyone when zero).
    /// @dev Requirements: caller active; `invoiceRef` non-zero and unused by the caller; `amount` non-zero and at most
    /// MAX_SUPPLY; a caller that is not a VAT payer may only issue EXEMPT invoices; DEFAULT takes the caller's
    /// registered default. Emits {InvoiceIssued}.
    /// @param invoiceRef The merchant's invoice reference (e.g. a hash of its e-invoice number).
    /// @param amount Tiyn: the gross (VAT included) when `exclusive` is false, the net when true.
    /// @param exclusive False for retail prices with VAT included, true for net prices with VAT on top (B2B).
    /// @param category VAT category.
    /// @param payer Who may pay it; zero for anyone.
    function issueInvoice(
        bytes32 invoiceRef,
        uint256 amount,
        bool exclusive,
        VatCategory category,
        address payer
    ) external;

    /// @notice Cancels one of the caller's unpaid invoices.
    /// @dev Requirements: the invoice is ISSUED. Emits {InvoiceCancelled}.
    /// @param invoiceRef The invoice.
    function cancelInvoice(bytes32 invoiceRef) external;

    /// @notice Refunds `gross` of a paid invoice to its payer, reversing both legs in proportion: the VAT part is
    /// `round(refundedSoFar × vat / paidGross)` minus what earlier refunds returned, so partial refunds add up to
    /// exactly the VAT paid; it comes from the merchant's marked VAT, the rest from its balance.
    /// @dev Requirements: not paused; caller is the invoice's merchant; invoice PAID; refunds in total at most the
    /// paid gross; enough balance and marked VAT. Emits {IERC20-Transfer} and {InvoiceRefunded}.
    /// @param invoiceRef The invoice.
    /// @param gross Tiyn to refund.
    function refundInvoice(bytes32 invoiceRef, uint256 gross) external;

    /* PAYERS */

    /// @notice Pays an issued invoice from the caller's balance: net to the merchant, VAT to its marked VAT.
    /// @dev Requirements: not paused; invoice ISSUED; caller is its designated payer if it has one; every payment
    /// rule of the tenge for caller and merchant; a merchant receiving VAT still a VAT payer.
    /// Emits {IERC20-Transfer} (net to the merchant, VAT to VAT_LEDGER) and {InvoicePaid}.
    /// @param merchant The invoice's merchant.
    /// @param invoiceRef The invoice.
    function payInvoice(address merchant, bytes32 invoiceRef) external;

    /// @notice Pays an invoice on the strength of the payer's EIP-3009 `ReceiveWithAuthorization` signature, submitted
    /// by the merchant's terminal: `to` = merchant, `value` = the invoice's gross, `nonce` = {invoiceNonce}, so the
    /// signature pays this invoice and nothing else, once.
    /// @dev Requirements: caller is `merchant`; `value` equals the gross now; the authorization valid and unused;
    /// otherwise as {payInvoice}. Emits {IERC3009-AuthorizationUsed}, {IERC20-Transfer} and {InvoicePaid}.
    /// @param merchant The invoice's merchant (the caller).
    /// @param invoiceRef The invoice.
    /// @param payer The signer.
    /// @param value The gross the payer signed for.
    /// @param validAfter Unix time after which the authorization is valid.
    /// @param validBefore Unix time before which it is valid.
    /// @param v ECDSA signature `v`.
    /// @param r ECDSA signature `r`.
    /// @param s ECDSA signature `s`.
    function payInvoiceWithAuthorization(
        address merchant,
        bytes32 invoiceRef,
        address payer,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Pays an invoice from `payer` on the strength of its EIP-2612 permit to the caller (a POS or relayer):
    /// the permit is applied unless the allowance already covers the gross (so a front-run permit cannot block it),
    /// then the gross is taken from the allowance.
    /// @dev Requirements: a valid permit (owner `payer`, spender the caller, `value`) or enough allowance; otherwise
    /// as {payInvoice} with `payer` as the payer. Emits {IERC20-Approval}, {IERC20-Transfer} and {InvoicePaid}.
    /// @param payer The payer.
    /// @param merchant The invoice's merchant.
    /// @param invoiceRef The invoice.
    /// @param value The allowance the permit grants (at least the gross).
    /// @param deadline The permit's deadline.
    /// @param v ECDSA signature `v`.
    /// @param r ECDSA signature `r`.
    /// @param s ECDSA signature `s`.
    function payInvoiceWithPermit(
        address payer,
        address merchant,
        bytes32 invoiceRef,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice A VAT payer pays an invoice with its input VAT: the net from its balance, the VAT from its own marked
    /// VAT (offsetting its output VAT), landing in the merchant's marked VAT.
    /// @dev Requirements: caller a VAT payer with enough marked VAT; the invoice carries VAT; otherwise as
    /// {payInvoice}. Emits {IERC20-Transfer} (net) and {InvoicePaid}.
    /// @param merchant The invoice's merchant.
    /// @param invoiceRef The invoice.
    function payInvoiceWithInputVat(address merchant, bytes32 invoiceRef) external;

    /// @notice A VAT payer pays `amount` of its marked VAT to the budget.
    /// @dev Requirements: not paused; caller a VAT payer with `amount` marked; budget set and active.
    /// Emits {IERC20-Transfer} (from VAT_LEDGER) and {VatPaidToBudget}.
    /// @param amount Tiyn.
    function payVatToBudget(uint256 amount) external;

    /* VIEWS */

    /// @notice An invoice with its amounts as they would be paid now (or as they were paid).
    /// @param merchant The merchant.
    /// @param invoiceRef The invoice.
    /// @return The invoice.
    function invoiceOf(address merchant, bytes32 invoiceRef) external view returns (InvoiceView memory);

    /// @notice The nonce an EIP-3009 authorization must carry to pay this invoice:
    /// keccak256(abi.encode(merchant, invoiceRef)).
    /// @param merchant The merchant.
    /// @param invoiceRef The invoice.
    /// @return The nonce.
    function invoiceNonce(address merchant, bytes32 invoiceRef) external pure returns (bytes32);

    /// @notice VAT rates in force now and the scheduled change.
    /// @return The rates.
    function vatRates() external view returns (VatRatesView memory);

    /// @notice Marked-VAT totals.
    /// @return The totals.
    function vatTotals() external view returns (VatTotalsView memory);

    /// @notice A VAT payer's registration and marked VAT.
    /// @param account The wallet.
    /// @return registered Whether it is a VAT payer.
    /// @return taxpayerIdHash Its taxpayer-identifier hash.
    /// @return defaultCategory Its default category.
    /// @return markedVat Its marked VAT in tiyn.
    function vatPayerOf(
        address account
    ) external view returns (bool registered, bytes32 taxpayerIdHash, VatCategory defaultCategory, uint256 markedVat);

    /// @notice The budget wallet marked VAT is paid to.
    /// @return The wallet, or zero before the tax authority set it.
    function vatBudget() external view returns (address);
}
