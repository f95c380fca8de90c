// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title InvoiceWord
/// @notice Packing of one invoice into a single storage word, and of the VAT rate schedule and marked-VAT total into
/// another, so paying an invoice reads and rewrites two VAT slots.
/// @dev Invoice word, least significant bit first: 0-63 amount as issued (tiyn: gross when VAT-inclusive, net when
/// VAT is on top); 64 EXCLUSIVE; 65-67 category; 68-69 status; 70 PAID_WITH_INPUT_VAT; 71-84 rate (bps) at
/// settlement; 96-255 payer (designated at issuance, or zero; the actual payer once paid).
/// VAT config word: 0-13 standard rate, 14-27 reduced rate, 28-41 next standard, 42-55 next reduced, 56-95 time the
/// next rates take effect (0 = none scheduled), 96-159 marked-VAT total (tiyn).
library InvoiceWord {
    uint256 internal constant MASK_64 = 0xFFFFFFFFFFFFFFFF;
    uint256 internal constant MASK_14 = 0x3FFF;
    uint256 internal constant EXCLUSIVE = 1 << 64;
    uint256 internal constant CATEGORY_SHIFT = 65;
    uint256 internal constant STATUS_SHIFT = 68;
    uint256 internal constant PAID_WITH_INPUT_VAT = 1 << 70;
    uint256 internal constant RATE_SHIFT = 71;
    uint256 internal constant PAYER_SHIFT = 96;

    uint256 internal constant STATUS_ISSUED = 1;
    uint256 internal constant STATUS_PAID = 2;
    uint256 internal constant STATUS_CANCELLED = 3;

    uint256 internal constant MARKED_SHIFT = 96;
    uint256 internal constant NEXT_EFFECTIVE_SHIFT = 56;

    function amount(uint256 word) internal pure returns (uint256) {
        return word & MASK_64;
    }

    function category(uint256 word) internal pure returns (uint256) {
        return (word >> CATEGORY_SHIFT) & 7;
    }

    function status(uint256 word) internal pure returns (uint256) {
        return (word >> STATUS_SHIFT) & 3;
    }

    function rate(uint256 word) internal pure returns (uint256) {
        return (word >> RATE_SHIFT) & MASK_14;
    }

    function payer(uint256 word) internal pure returns (address) {
        return address(uint160(word >> PAYER_SHIFT));
    }

    function issued(
        uint256 amount_,
        bool exclusive,
        uint256 category_,
        address payer_
    ) internal pure returns (uint256) {
        return
            amount_ |
            (exclusive ? EXCLUSIVE : 0) |
            (category_ << CATEGORY_SHIFT) |
            (STATUS_ISSUED << STATUS_SHIFT) |
            (uint256(uint160(payer_)) << PAYER_SHIFT);
    }

    /// @dev The word of a paid invoice: payer and rate recorded, status PAID.
    function paid(uint256 word, address payer_, uint256 rateBps, bool withInputVat) internal pure returns (uint256) {
        uint256 kept = word & (MASK_64 | EXCLUSIVE | (uint256(7) << CATEGORY_SHIFT));
        return
            kept |
            (STATUS_PAID << STATUS_SHIFT) |
            (withInputVat ? PAID_WITH_INPUT_VAT : 0) |
            (rateBps << RATE_SHIFT) |
            (uint256(uint160(payer_)) << PAYER_SHIFT);
    }

    function withStatus(uint256 word, uint256 status_) internal pure returns (uint256) {
        return (word & ~(uint256(3) << STATUS_SHIFT)) | (status_ << STATUS_SHIFT);
    }

    /* VAT config word */

    /// @dev The rate of `category_` (0 standard, 1 reduced) in force at `timestamp`.
    function rateInForce(uint256 config, uint256 category_, uint256 timestamp) internal pure returns (uint256) {
        uint256 effective = (config >> NEXT_EFFECTIVE_SHIFT) & 0xFFFFFFFFFF;
        uint256 shift = category_ * 14;
        if (effective != 0 && timestamp >= effective) shift += 28;
        return (config >> shift) & MASK_14;
    }

    function markedTotal(uint256 config) internal pure returns (uint256) {
        return (config >> MARKED_SHIFT) & MASK_64;
    }

    function withMarkedTotal(uint256 config, uint256 total) internal pure returns (uint256) {
        return (config & ~(MASK_64 << MARKED_SHIFT)) | (total << MARKED_SHIFT);
    }
}
