// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title VatMath
/// @notice Integer VAT arithmetic in tiyn with one rounding rule everywhere: VAT is rounded half up to the nearest
/// tiyn (commercial rounding), and the other leg is whatever is left, so `net + vat == gross` exactly and no tiyn is
/// created or lost.
/// @dev Rates are in basis points (1 bp = 0.01 %; 1,600 = 16 %), at most MAX_RATE_BPS. Every rounding is
/// `floor((2 × numerator + denominator) / (2 × denominator))`, i.e. half up.
library VatMath {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX_RATE_BPS = 10_000;

    /// @dev VAT inside a VAT-inclusive `gross` (retail prices): vat = round(gross × rate / (10,000 + rate)).
    function splitInclusive(uint256 gross, uint256 rateBps) internal pure returns (uint256 net, uint256 vat) {
        uint256 denominator = BPS + rateBps;
        vat = (2 * gross * rateBps + denominator) / (2 * denominator);
        net = gross - vat; // vat <= gross since rate / (10,000 + rate) < 1
    }

    /// @dev VAT on top of `net` (B2B prices): vat = round(net × rate / 10,000); gross = net + vat.
    function addExclusive(uint256 net, uint256 rateBps) internal pure returns (uint256 gross, uint256 vat) {
        vat = (2 * net * rateBps + BPS) / (2 * BPS);
        gross = net + vat;
    }

    /// @dev The VAT part of refunding `refund` more of an invoice that was paid `gross` with `vat`, after
    /// `refundedBefore` was refunded already. Computed on the cumulative refund, so any sequence of partial refunds
    /// that adds up to `gross` returns exactly `vat`: vatAfter = round((refundedBefore + refund) × vat / gross).
    function refundVat(
        uint256 gross,
        uint256 vat,
        uint256 refundedBefore,
        uint256 refund
    ) internal pure returns (uint256 vatPart) {
        uint256 before = (refundedBefore * vat * 2 + gross) / (2 * gross);
        uint256 afterwards = ((refundedBefore + refund) * vat * 2 + gross) / (2 * gross);
        vatPart = afterwards - before; // monotone in the refunded amount, and <= refund since vat <= gross
    }
}
