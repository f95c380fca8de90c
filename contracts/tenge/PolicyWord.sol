// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title PolicyWord
/// @notice Packing of the token's global policy (pause flag and every KYC tier's limits) into one storage word,
/// so a transfer reads one configuration slot however many rules it checks.
/// @dev Layout, least significant bit first: bit 0 is the pause flag (bits 1-7 unused); then for each tier
/// t in 0-3, at offset 8 + 62 t: the holding limit (31 bits), then the daily outflow limit (31 bits).
/// Limits are stored in whole tenge, so each is at most 2^31 - 1 = 2,147,483,647 tenge; the accessors return tiyn.
library PolicyWord {
    uint256 internal constant PAUSED = 1;
    uint256 internal constant TIER_COUNT = 4;
    uint256 internal constant TIYN_PER_TENGE = 100;
    uint256 internal constant MAX_LIMIT_TENGE = (1 << 31) - 1;
    uint256 internal constant MAX_LIMIT = MAX_LIMIT_TENGE * TIYN_PER_TENGE;

    uint256 private constant _MASK_31 = (1 << 31) - 1;
    uint256 private constant _FIRST_TIER_SHIFT = 8;
    uint256 private constant _TIER_BITS = 62;

    function isPaused(uint256 word) internal pure returns (bool) {
        return word & PAUSED != 0;
    }

    /// @dev Holding limit of `tier` in tiyn. `tier` must be below TIER_COUNT (account words never hold more).
    function holdingLimit(uint256 word, uint256 tier) internal pure returns (uint256) {
        unchecked {
            return ((word >> (_FIRST_TIER_SHIFT + tier * _TIER_BITS)) & _MASK_31) * TIYN_PER_TENGE;
        }
    }

    /// @dev Daily outflow limit of `tier` in tiyn.
    function dailyLimit(uint256 word, uint256 tier) internal pure returns (uint256) {
        unchecked {
            return ((word >> (_FIRST_TIER_SHIFT + tier * _TIER_BITS + 31)) & _MASK_31) * TIYN_PER_TENGE;
        }
    }

    /// @dev Returns `word` with `tier`'s limits replaced. Both limits are in whole tenge and at most MAX_LIMIT_TENGE.
    function withTierLimits(
        uint256 word,
        uint256 tier,
        uint256 holdingTenge,
        uint256 dailyTenge
    ) internal pure returns (uint256) {
        uint256 shift = _FIRST_TIER_SHIFT + tier * _TIER_BITS;
        word &= ~(((1 << _TIER_BITS) - 1) << shift);
        return word | (holdingTenge << shift) | (dailyTenge << (shift + 31));
    }
}
