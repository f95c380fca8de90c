// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title AccountWord
/// @notice Packing of one wallet's whole state into a single storage word.
/// @dev Layout, least significant bit first:
///
/// | bits    | field         | unit / meaning                                              |
/// |---------|---------------|-------------------------------------------------------------|
/// | 0-63    | balance       | tiyn (1 tenge = 100 tiyn)                                   |
/// | 64-127  | frozenAmount  | tiyn frozen by compliance (may exceed the balance)          |
/// | 128-191 | spentToday    | tiyn sent on `day`, for the daily outflow limit             |
/// | 192-223 | day           | day index, `(block.timestamp + 5 h) / 1 days` (Almaty time) |
/// | 224-239 | bankId        | the bank that onboarded the wallet; 0 = the central bank    |
/// | 240-247 | tier          | KYC tier, 0-3                                               |
/// | 248     | ONBOARDED     | the wallet may hold tenge                                   |
/// | 249     | FROZEN        | whole-wallet freeze: nothing moves in or out                |
/// | 250     | EXEMPT        | institution: tier limits do not apply                       |
/// | 251     | VAT_PAYER     | registered for VAT: bits 128-191 hold its marked VAT instead |
///
/// For a VAT payer, bits 128-191 hold its marked VAT balance (restricted value, see ITengeVat) and the daily outflow
/// limit does not apply: VAT registration is for businesses, and retail tier limits model households.
/// An onboarded wallet's word is never zero, so its first credit costs a non-zero to non-zero write.
/// Balances fit in 64 bits because total supply is capped at 2^64 - 1 tiyn (see `DigitalTenge.MAX_SUPPLY`).
library AccountWord {
    uint256 internal constant MASK_64 = 0xFFFFFFFFFFFFFFFF;
    uint256 internal constant MASK_32 = 0xFFFFFFFF;
    uint256 internal constant FROZEN_AMOUNT_SHIFT = 64;
    uint256 internal constant SPENT_SHIFT = 128;
    uint256 internal constant DAY_SHIFT = 192;
    uint256 internal constant BANK_SHIFT = 224;
    uint256 internal constant TIER_SHIFT = 240;

    uint256 internal constant ONBOARDED = 1 << 248;
    uint256 internal constant FROZEN = 1 << 249;
    uint256 internal constant EXEMPT = 1 << 250;
    uint256 internal constant VAT_PAYER = 1 << 251;
    /// @dev Flags that switch the daily outflow counter off.
    uint256 internal constant NO_OUTFLOW_LIMIT = EXEMPT | VAT_PAYER;

    /// @dev Bits of `spentToday` and `day` together, cleared when the outflow counter is rewritten.
    uint256 internal constant OUTFLOW_FIELDS = (MASK_64 << SPENT_SHIFT) | (MASK_32 << DAY_SHIFT);
    uint256 internal constant FROZEN_AMOUNT_FIELD = MASK_64 << FROZEN_AMOUNT_SHIFT;
    uint256 internal constant TIER_FIELD = uint256(0xFF) << TIER_SHIFT;

    /// @dev Seconds added to block time before dividing into days: Kazakhstan uses UTC+5 nationwide since 2024.
    uint256 internal constant DAY_OFFSET = 5 hours;

    function balance(uint256 word) internal pure returns (uint256) {
        return word & MASK_64;
    }

    function frozenAmount(uint256 word) internal pure returns (uint256) {
        return (word >> FROZEN_AMOUNT_SHIFT) & MASK_64;
    }

    /// @dev What the wallet has spent today; zero when the stored counter belongs to an earlier day.
    function spentOn(uint256 word, uint256 dayIndex) internal pure returns (uint256) {
        return ((word >> DAY_SHIFT) & MASK_32) == dayIndex ? (word >> SPENT_SHIFT) & MASK_64 : 0;
    }

    /// @dev A VAT payer's marked VAT balance (meaningful only when VAT_PAYER is set).
    function markedVat(uint256 word) internal pure returns (uint256) {
        return (word >> SPENT_SHIFT) & MASK_64;
    }

    function withMarkedVat(uint256 word, uint256 amount) internal pure returns (uint256) {
        return (word & ~(MASK_64 << SPENT_SHIFT)) | (amount << SPENT_SHIFT);
    }

    function bankId(uint256 word) internal pure returns (uint16) {
        return uint16(word >> BANK_SHIFT);
    }

    function tier(uint256 word) internal pure returns (uint8) {
        return uint8(word >> TIER_SHIFT);
    }

    /// @dev Balance minus frozen amount, floored at zero.
    function available(uint256 word) internal pure returns (uint256) {
        uint256 bal = word & MASK_64;
        uint256 frozen = (word >> FROZEN_AMOUNT_SHIFT) & MASK_64;
        return bal > frozen ? bal - frozen : 0;
    }

    /// @dev True when the wallet is onboarded and not frozen as a whole.
    function isActive(uint256 word) internal pure returns (bool) {
        return word & (ONBOARDED | FROZEN) == ONBOARDED;
    }

    function withOutflow(uint256 word, uint256 spent, uint256 dayIndex) internal pure returns (uint256) {
        return (word & ~OUTFLOW_FIELDS) | (spent << SPENT_SHIFT) | (dayIndex << DAY_SHIFT);
    }

    function withFrozenAmount(uint256 word, uint256 amount) internal pure returns (uint256) {
        return (word & ~FROZEN_AMOUNT_FIELD) | (amount << FROZEN_AMOUNT_SHIFT);
    }

    function withTier(uint256 word, uint8 newTier) internal pure returns (uint256) {
        return (word & ~TIER_FIELD) | (uint256(newTier) << TIER_SHIFT);
    }

    /// @dev A fresh onboarded wallet: no balance, nothing frozen, no outflow recorded.
    function onboarded(uint16 bank, uint8 kycTier, bool exempt) internal pure returns (uint256 word) {
        word = ONBOARDED | (uint256(bank) << BANK_SHIFT) | (uint256(kycTier) << TIER_SHIFT);
        if (exempt) word |= EXEMPT;
    }

    /// @dev Today's day index in Kazakhstan time.
    function today() internal view returns (uint256) {
        return (block.timestamp + DAY_OFFSET) / 1 days;
    }
}
