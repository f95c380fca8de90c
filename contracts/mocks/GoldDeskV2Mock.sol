// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GoldDesk} from "../gold/GoldDesk.sol";

/// @title GoldDeskV2Mock
/// @notice Test-only upgrade target: the same storage plus one view, to prove price, configuration and roles survive
/// an upgrade.
/// @custom:oz-upgrades-from contracts/gold/GoldDesk.sol:GoldDesk
/// @custom:oz-upgrades-unsafe-allow constructor
contract GoldDeskV2Mock is GoldDesk {
    constructor(address tenge_, address gold_) GoldDesk(tenge_, gold_) {}

    /// @notice Version marker of the upgraded implementation.
    /// @return Always 2.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
