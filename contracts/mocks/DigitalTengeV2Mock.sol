// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {DigitalTenge} from "../tenge/DigitalTenge.sol";

/// @title DigitalTengeV2Mock
/// @notice Test-only upgrade target: the same storage plus one view, to prove balances and roles survive an upgrade.
/// @custom:oz-upgrades-from contracts/tenge/DigitalTenge.sol:DigitalTenge
/// @custom:oz-upgrades-unsafe-allow constructor
contract DigitalTengeV2Mock is DigitalTenge {
    constructor(
        string memory name_,
        string memory symbol_,
        address adminModule_,
        address offlineModule_
    ) DigitalTenge(name_, symbol_, adminModule_, offlineModule_) {}

    /// @notice Version marker of the upgraded implementation.
    /// @return Always 2.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
