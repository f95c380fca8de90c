// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TengeBase} from "./TengeBase.sol";

/// @title TengeOffline
/// @notice Offline payments of the digital tenge, reached through the token's address by delegatecall.
/// @custom:oz-upgrades-unsafe-allow constructor
contract TengeOffline is TengeBase {
    constructor() {
        _disableInitializers();
    }
}
