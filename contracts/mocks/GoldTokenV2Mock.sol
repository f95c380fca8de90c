// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GoldToken} from "../gold/GoldToken.sol";

/// @title GoldTokenV2Mock
/// @notice Test-only upgrade target: the same storage plus one view, to prove bars, balances, flags and roles
/// survive an upgrade.
/// @custom:oz-upgrades-from contracts/gold/GoldToken.sol:GoldToken
/// @custom:oz-upgrades-unsafe-allow constructor
contract GoldTokenV2Mock is GoldToken {
    constructor(string memory name_, string memory symbol_, address tenge_) GoldToken(name_, symbol_, tenge_) {}

    /// @notice Version marker of the upgraded implementation.
    /// @return Always 2.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
