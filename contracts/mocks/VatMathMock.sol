// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VatMath} from "../tenge/VatMath.sol";

/// @title VatMathMock
/// @notice Test-only: exposes the VatMath library so property tests can compare it with exact rational arithmetic.
contract VatMathMock {
    function splitInclusive(uint256 gross, uint256 rateBps) external pure returns (uint256 net, uint256 vat) {
        return VatMath.splitInclusive(gross, rateBps);
    }

    function addExclusive(uint256 net, uint256 rateBps) external pure returns (uint256 gross, uint256 vat) {
        return VatMath.addExclusive(net, rateBps);
    }

    function refundVat(
        uint256 gross,
        uint256 vat,
        uint256 refundedBefore,
        uint256 refund
    ) external pure returns (uint256) {
        return VatMath.refundVat(gross, vat, refundedBefore, refund);
    }
}
