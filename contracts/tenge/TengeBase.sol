// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";

/// @title TengeBase
/// @notice ERC-7201 namespaced storage of the digital tenge.
/// @dev If you extend this: never reorder or remove fields of {TengeStorage}; append only. Every wallet's whole
/// state is one word of `accounts` (see {AccountWord}); the global policy is the single word `policy`
/// (see {PolicyWord}). Invariant: `totalSupply == Σ balances <= MAX_SUPPLY`.
abstract contract TengeBase is IDigitalTenge, IERC20Metadata {
    /// @notice Total supply cap in tiyn (2^64 - 1, about 1.8e17 tenge): keeps every balance inside its 64-bit field.
    uint256 public constant MAX_SUPPLY = type(uint64).max;

    /// @dev A commercial bank's issuance record, one slot.
    struct Bank {
        uint16 id;
        bool suspended;
        uint64 ceiling;
        int96 outstanding; // minted - redeemed through this bank; negative when its customers redeem others' issuance
    }

    /// @custom:storage-location erc7201:digitaltenge.storage.DigitalTenge
    struct TengeStorage {
        uint256 policy;
        uint256 totalSupply;
        mapping(address account => uint256 word) accounts;
        mapping(address owner => mapping(address spender => uint256 amount)) allowances;
        mapping(address bank => Bank record) banks;
        mapping(uint16 bankId => address bank) bankAddresses;
        uint16 bankCount;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.DigitalTenge")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_LOCATION = 0x73b3186d8ea59f97b32c061dbdbe41a06292552fdb710d7900b3f47486030400;

    function _s() internal pure returns (TengeStorage storage $) {
        assembly {
            $.slot := _STORAGE_LOCATION
        }
    }
}
