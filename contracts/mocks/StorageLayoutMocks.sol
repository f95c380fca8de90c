// SPDX-License-Identifier: MIT
// Twelve small V2 targets side by side read better than twelve files: each pair differs only in declaration order.
// solhint-disable-next-line one-contract-per-file
pragma solidity 0.8.30;

import {DigitalTenge} from "../tenge/DigitalTenge.sol";
import {TengeStablecoin} from "../stablecoin/TengeStablecoin.sol";
import {GoldToken} from "../gold/GoldToken.sol";
import {GoldDesk} from "../gold/GoldDesk.sol";
import {PurposeBoundPrograms} from "../programs/PurposeBoundPrograms.sol";

// Test-only upgrade targets for the storage-layout checks (test/adversarial/upgrades.test.ts). For every upgradeable
// contract: an `Append` V2 that adds state after everything the deployed version has (its namespaced structs are
// untouched; the new variables take the first plain slots), and a `Reordered` V2 that declares the same new
// variables in the opposite order, which the OpenZeppelin validator must refuse as an upgrade of the `Append` one.
// A pair of standalone ERC-7201 mocks shows the same refusal for a reordered namespaced struct, the layout every
// production contract uses.

/// @title DigitalTengeAppendMock
/// @notice V2 of the tenge that appends two state variables.
/// @custom:oz-upgrades-unsafe-allow constructor
contract DigitalTengeAppendMock is DigitalTenge {
    uint256 public extraCounter;
    address public extraOwner;

    constructor(
        string memory name_,
        string memory symbol_,
        address adminModule_,
        address offlineModule_
    ) DigitalTenge(name_, symbol_, adminModule_, offlineModule_) {}
}

/// @title DigitalTengeReorderedMock
/// @notice {DigitalTengeAppendMock} with its two variables swapped: an unsafe upgrade of it.
/// @custom:oz-upgrades-unsafe-allow constructor
contract DigitalTengeReorderedMock is DigitalTenge {
    address public extraOwner;
    uint256 public extraCounter;

    constructor(
        string memory name_,
        string memory symbol_,
        address adminModule_,
        address offlineModule_
    ) DigitalTenge(name_, symbol_, adminModule_, offlineModule_) {}
}

/// @title TengeStablecoinAppendMock
/// @notice V2 of the stablecoin that appends two state variables.
/// @custom:oz-upgrades-unsafe-allow constructor
contract TengeStablecoinAppendMock is TengeStablecoin {
    uint256 public extraCounter;
    address public extraOwner;

    constructor(address tenge_, string memory name_, string memory symbol_) TengeStablecoin(tenge_, name_, symbol_) {}
}

/// @title TengeStablecoinReorderedMock
/// @notice {TengeStablecoinAppendMock} with its two variables swapped.
/// @custom:oz-upgrades-unsafe-allow constructor
contract TengeStablecoinReorderedMock is TengeStablecoin {
    address public extraOwner;
    uint256 public extraCounter;

    constructor(address tenge_, string memory name_, string memory symbol_) TengeStablecoin(tenge_, name_, symbol_) {}
}

/// @title GoldTokenAppendMock
/// @notice V2 of the gold token that appends two state variables.
/// @custom:oz-upgrades-unsafe-allow constructor
contract GoldTokenAppendMock is GoldToken {
    uint256 public extraCounter;
    address public extraOwner;

    constructor(string memory name_, string memory symbol_, address tenge_) GoldToken(name_, symbol_, tenge_) {}
}

/// @title GoldTokenReorderedMock
/// @notice {GoldTokenAppendMock} with its two variables swapped.
/// @custom:oz-upgrades-unsafe-allow constructor
contract GoldTokenReorderedMock is GoldToken {
    address public extraOwner;
    uint256 public extraCounter;

    constructor(string memory name_, string memory symbol_, address tenge_) GoldToken(name_, symbol_, tenge_) {}
}

/// @title GoldDeskAppendMock
/// @notice V2 of the desk that appends two state variables.
/// @custom:oz-upgrades-unsafe-allow constructor
contract GoldDeskAppendMock is GoldDesk {
    uint256 public extraCounter;
    address public extraOwner;

    constructor(address tenge_, address gold_) GoldDesk(tenge_, gold_) {}
}

/// @title GoldDeskReorderedMock
/// @notice {GoldDeskAppendMock} with its two variables swapped.
/// @custom:oz-upgrades-unsafe-allow constructor
contract GoldDeskReorderedMock is GoldDesk {
    address public extraOwner;
    uint256 public extraCounter;

    constructor(address tenge_, address gold_) GoldDesk(tenge_, gold_) {}
}

/// @title PurposeBoundProgramsAppendMock
/// @notice V2 of the programs escrow that appends two state variables.
/// @custom:oz-upgrades-unsafe-allow constructor
contract PurposeBoundProgramsAppendMock is PurposeBoundPrograms {
    uint256 public extraCounter;
    address public extraOwner;

    constructor(address tenge_) PurposeBoundPrograms(tenge_) {}
}

/// @title PurposeBoundProgramsReorderedMock
/// @notice {PurposeBoundProgramsAppendMock} with its two variables swapped.
/// @custom:oz-upgrades-unsafe-allow constructor
contract PurposeBoundProgramsReorderedMock is PurposeBoundPrograms {
    address public extraOwner;
    uint256 public extraCounter;

    constructor(address tenge_) PurposeBoundPrograms(tenge_) {}
}

/// @title NamespacedV1Mock
/// @notice A minimal ERC-7201 layout, as every production contract keeps its state.
contract NamespacedV1Mock {
    /// @custom:storage-location erc7201:digitaltenge.storage.LayoutMock
    struct LayoutStorage {
        uint256 balance;
        address owner;
    }

    /// @notice Reads the first field.
    /// @return The balance field.
    function balance() external view returns (uint256) {
        return _layout().balance;
    }

    function _layout() private pure returns (LayoutStorage storage $) {
        // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.LayoutMock")) - 1)) & ~bytes32(uint256(0xff))
        assembly {
            $.slot := 0xe5998218798401d145b602224cdee539fcd8a7d6d62c1121e73d6e0e2cc33c00
        }
    }
}

/// @title NamespacedReorderedMock
/// @notice {NamespacedV1Mock} with the struct's fields swapped: an unsafe upgrade of it.
contract NamespacedReorderedMock {
    /// @custom:storage-location erc7201:digitaltenge.storage.LayoutMock
    struct LayoutStorage {
        address owner;
        uint256 balance;
    }

    /// @notice Reads the balance field.
    /// @return The balance field.
    function balance() external view returns (uint256) {
        return _layout().balance;
    }

    function _layout() private pure returns (LayoutStorage storage $) {
        assembly {
            $.slot := 0xe5998218798401d145b602224cdee539fcd8a7d6d62c1121e73d6e0e2cc33c00
        }
    }
}
