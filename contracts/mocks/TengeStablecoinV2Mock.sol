// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TengeStablecoin} from "../stablecoin/TengeStablecoin.sol";

/// @title TengeStablecoinV2Mock
/// @notice Test-only upgrade target: the same storage plus one view, to prove balances, flags and roles survive.
/// @custom:oz-upgrades-from contracts/stablecoin/TengeStablecoin.sol:TengeStablecoin
/// @custom:oz-upgrades-unsafe-allow constructor
contract TengeStablecoinV2Mock is TengeStablecoin {
    constructor(address tenge_, string memory name_, string memory symbol_) TengeStablecoin(tenge_, name_, symbol_) {}

    /// @notice Version marker of the upgraded implementation.
    /// @return Always 2.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
