// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title ITengeVatBase
/// @notice Types, events and errors of the digital tenge's VAT-splitting payments.
interface ITengeVatBase {
    /// @notice VAT rate categories. STANDARD and REDUCED take the rates in force; ZERO is a VAT invoice at 0 %;
    /// EXEMPT carries no VAT (the only category an unregistered merchant may invoice); DEFAULT, at issuance only,
    /// means the merchant's registered default.
    enum VatCategory {
        STANDARD,
        REDUCED,
        ZERO,
        EXEMPT,
        DEFAULT
    }

    /// @notice Life of an invoice.
    enum InvoiceStatus {
        NONE,
        ISSUED,
        PAID,
        CANCELLED
    }

    /// @notice An invoice as the token records it.
    // A memory view returned by a getter, never stored.
    // solhint-disable-next-line gas-struct-packing
    struct InvoiceView {
        InvoiceStatus status;
        VatCategory category;
        bool exclusive;
        bool paidWithInputVat;
        uint256 amount;
        address payer;
        uint256 rateBps;
        uint256 gross;
        uint256 net;
        uint256 vat;
        uint256 refundedGross;
    }

    /// @notice VAT rates in force now, and the scheduled change.
    struct VatRatesView {
        uint256 standardBps;
        uint256 reducedBps;
        uint256 nextStandardBps;
        uint256 nextReducedBps;
        uint256 nextEffectiveFrom;
    }

    /// @notice Totals of marked VAT (tiyn). `markedTotal == collected − paidToBudget − offset`, where collected is
    /// net of refunds: `collected == markedTotal + paidToBudget + offset`.
    struct VatTotalsView {
        uint256 markedTotal;
        uint256 paidToBudget;
        uint256 offset;
        uint256 refunded;
        uint256 collected;
    }

    /// @notice Emitted when the tax authority registers a VAT payer.
    event VatPayerRegistered(address indexed account, bytes32 indexed taxpayerIdHash, VatCategory defaultCategory);
    /// @notice Emitted when the tax authority changes a VAT payer's default category.
    event VatPayerUpdated(address indexed account, VatCategory defaultCategory);
    /// @notice Emitted when the tax authority deregisters a VAT payer (its marked VAT is zero).
    event VatPayerDeregistered(address indexed account);
    /// @notice Emitted when the tax authority schedules VAT rates; in force from `effectiveFrom` (unix time).
    event VatRatesScheduled(uint256 standardBps, uint256 reducedBps, uint256 effectiveFrom);
    /// @notice Emitted when the tax authority sets the budget (treasury) wallet that receives paid VAT.
    event VatBudgetSet(address indexed budget);
    /// @notice Emitted when a merchant issues an invoice.
    event InvoiceIssued(
        address indexed merchant,
        bytes32 indexed invoiceRef,
        address indexed payer,
        uint256 amount,
        bool exclusive,
        VatCategory category
    );
    /// @notice Emitted when a merchant cancels an unpaid invoice.
    event InvoiceCancelled(address indexed merchant, bytes32 indexed invoiceRef);
    /// @notice The receipt of an invoice payment: `net` went to the merchant, `vat` to its marked VAT balance.
    event InvoicePaid(
        address indexed merchant,
        address indexed payer,
        bytes32 indexed invoiceRef,
        uint256 gross,
        uint256 net,
        uint256 vat,
        uint256 rateBps,
        bool withInputVat
    );
    /// @notice Emitted when (part of) a paid invoice is refunded; both legs reversed proportionally.
    event InvoiceRefunded(
        address indexed merchant,
        address indexed payer,
        bytes32 indexed invoiceRef,
        uint256 gross,
        uint256 net,
        uint256 vat
    );
    /// @notice Emitted when a VAT payer pays marked VAT to the budget.
    event VatPaidToBudget(address indexed payer, address indexed budget, uint256 amount);

    /// @notice Thrown when the caller is not a registered VAT payer where one is needed.
    error VatNotRegistered(address account);
    /// @notice Thrown when registering a VAT payer twice.
    error VatAlreadyRegistered(address account);
    /// @notice Thrown when a category is not valid where it is used.
    error VatInvalidCategory(VatCategory category);
    /// @notice Thrown when a rate is above 100 %.
    error VatInvalidRate(uint256 rateBps);
    /// @notice Thrown when an invoice reference, taxpayer id or amount is empty.
    error VatEmptyValue();
    /// @notice Thrown when an invoice already exists under that reference.
    error VatInvoiceExists(address merchant, bytes32 invoiceRef);
    /// @notice Thrown when an invoice is not in the status an operation needs.
    error VatInvoiceStatus(address merchant, bytes32 invoiceRef, InvoiceStatus status);
    /// @notice Thrown when someone other than the invoice's designated payer pays it.
    error VatNotInvoicePayer(address caller, address payer);
    /// @notice Thrown when a refund would exceed what was paid for the invoice.
    error VatRefundExceedsPaid(bytes32 invoiceRef, uint256 paidGross, uint256 refundedGross, uint256 requested);
    /// @notice Thrown when a marked VAT balance is too small.
    error VatMarkedBalanceInsufficient(address account, uint256 marked, uint256 needed);
    /// @notice Thrown when paying VAT to the budget before the tax authority set it.
    error VatBudgetNotSet();
    /// @notice Thrown when deregistering or offboarding a VAT payer that still holds marked VAT.
    error VatMarkedBalanceNotZero(address account, uint256 marked);
    /// @notice Thrown when an input-VAT payment targets an invoice without VAT.
    error VatInvoiceExempt(address merchant, bytes32 invoiceRef);
    /// @notice Thrown when a signed invoice payment's nonce is not the invoice's (see {ITengeVat-invoiceNonce}).
    error VatAuthorizationNotForInvoice(bytes32 nonce, bytes32 expected);
    /// @notice Thrown when a signed invoice payment's value is not the invoice's gross.
    error VatAuthorizationAmount(uint256 value, uint256 gross);
}
