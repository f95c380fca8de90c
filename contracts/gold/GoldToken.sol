// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IGoldToken} from "../interfaces/IGoldToken.sol";
import {PackedERC20} from "../common/PackedERC20.sol";

/// @title GoldToken
/// @notice A permissioned ERC-20 fully backed by refined gold bars in custody, with the bar registry on chain.
/// **1 token unit = 1 mg of fine gold; 3 decimals, so 1 token = 1 gram of fine gold** (1 troy ounce =
/// 31.1034768 g = 31,103.4768 units).
/// @dev Why grams with 3 decimals: the National Bank sells its bars by gram weight (5 g to 1 kg), an assay
/// certificate states fine weight to the milligram, so each bar's fine weight is an exact integer number of units
/// and `totalSupply == Σ fine weight of bars in vault` holds exactly, with no rounding at all. A troy-ounce unit
/// (PAXG: 18 decimals per ounce) would make every gram-weighed bar an inexact fraction.
/// Roles and who holds them:
/// - DEFAULT_ADMIN_ROLE: the central bank's governance (multisig); grants and revokes roles, authorises upgrades.
/// - CUSTODIAN_ROLE: the vault custodian; registers bars (minting their fine weight), removes bars from the backing
///   (burning its own tokens), records delivery of redeemed bars.
/// - PAUSER_ROLE: the central bank's operations; stops every movement of tokens.
/// - COMPLIANCE_ROLE: the compliance officer; freezes wallets in this token.
/// Participants: a wallet may hold, send or receive gold only when it is PERMITTED, a flag kept in its account word
/// and set by the permissionless {syncParticipant} from the digital tenge's registry (onboarded there and not frozen
/// there). A transfer therefore checks permission from the two words it reads anyway, without calling the tenge.
/// Trust: the custodian attests that each registered bar exists in the vault with the stated fine weight; the chain
/// enforces that no token exists without a registered bar and no bar leaves the backing without its tokens burnt.
/// Invariants: `totalSupply == inVaultFineWeightMg == Σ fineWeightMg of bars whose status is InVault`; every token
/// mint is a bar registration and every burn a bar removal or redemption.
/// @custom:oz-upgrades-unsafe-allow constructor
contract GoldToken is PackedERC20, IGoldToken, AccessControlUpgradeable, UUPSUpgradeable {
    /* ROLES AND CONSTANTS */

    /// @notice The vault custodian: registers, removes and releases bars.
    bytes32 public constant CUSTODIAN_ROLE = keccak256("CUSTODIAN_ROLE");
    /// @notice May pause and unpause the token.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice The compliance officer: freezes wallets.
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    /// @notice Lowest accepted fineness, parts per 10,000 (995.0: the LBMA Good Delivery minimum).
    uint256 public constant MIN_FINENESS = 9_950;
    /// @notice Highest fineness, parts per 10,000 (pure gold).
    uint256 public constant MAX_FINENESS = 10_000;
    /// @notice Largest fine weight of one bar, in mg (20 kg; a Good Delivery bar is about 12.5 kg): catches a bar
    /// entered in the wrong unit.
    uint256 public constant MAX_BAR_FINE_WEIGHT_MG = 20_000_000;

    /// @dev Account-word flag: a participant of the digital tenge when last synced.
    uint256 internal constant FLAG_PERMITTED = 1 << 254;

    /* STORAGE */

    /// @dev One bar, three slots: refiner; vault; holder, fine weight, fineness and status.
    struct Bar {
        bytes32 refiner;
        bytes32 vault;
        address holder;
        uint64 fineWeightMg;
        uint16 fineness;
        BarStatus status;
    }

    /// @custom:storage-location erc7201:digitaltenge.storage.GoldToken
    struct GoldStorage {
        mapping(bytes32 serial => Bar bar) bars;
        bytes32[] serials;
        uint128 inVaultFineWeightMg;
        uint64 barsInVault;
        uint64 barsAllocated;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.GoldToken")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _GOLD_LOCATION = 0xcb4be8fb07ae5c9f8cf33b4277ce573bbeb7debf14deea0b6eea60d4680e8200;

    /// @dev The tenge proxy, whose address never changes; an immutable costs nothing to read, and an upgrade
    /// deploys the implementation with the same address (the deploy script passes it).
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IDigitalTenge private immutable _tenge;

    /* CONSTRUCTOR AND INITIALIZER */

    /// @param name_ Token and EIP-712 domain name (at most 31 bytes), e.g. "Digital Gold".
    /// @param symbol_ Token symbol (at most 31 bytes), e.g. "GOLDKZ".
    /// @param tenge_ The digital tenge proxy whose participant registry this token follows.
    constructor(string memory name_, string memory symbol_, address tenge_) PackedERC20(name_, symbol_, 3) {
        if (tenge_ == address(0)) revert GoldTokenZeroAddress();
        _tenge = IDigitalTenge(tenge_);
        _disableInitializers();
    }

    /// @notice Initialises the proxy's state: `admin` receives DEFAULT_ADMIN_ROLE and nothing else.
    /// @param admin The central bank's governance address.
    function initialize(address admin) external initializer {
        if (admin == address(0)) revert GoldTokenZeroAddress();
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /* CUSTODIAN */

    /// @inheritdoc IGoldToken
    function addBar(BarInput calldata bar) external onlyRole(CUSTODIAN_ROLE) {
        _whenNotPaused();
        _addBar(_gold(), bar);
    }

    /// @inheritdoc IGoldToken
    function addBars(BarInput[] calldata bars) external onlyRole(CUSTODIAN_ROLE) {
        _whenNotPaused();
        uint256 count = bars.length;
        if (count == 0) revert GoldTokenEmptyBatch();
        GoldStorage storage $ = _gold();
        for (uint256 i; i < count; ++i) {
            _addBar($, bars[i]);
        }
    }

    /// @inheritdoc IGoldToken
    function removeBar(bytes32 serial) external onlyRole(CUSTODIAN_ROLE) {
        _whenNotPaused();
        GoldStorage storage $ = _gold();
        Bar storage bar = _barInVault($, serial);
        uint256 weight = _takeOutOfVault($, bar, BarStatus.Released);
        emit BarRemoved(serial, msg.sender, weight);
    }

    /// @inheritdoc IGoldToken
    function releaseBar(bytes32 serial) external onlyRole(CUSTODIAN_ROLE) {
        GoldStorage storage $ = _gold();
        Bar storage bar = $.bars[serial];
        if (bar.status != BarStatus.Allocated) revert GoldTokenBarNotAllocated(serial, bar.status);
        bar.status = BarStatus.Released;
        unchecked {
            --$.barsAllocated; // this bar was counted when it was allocated
        }
        emit BarReleased(serial, bar.holder, msg.sender);
    }

    /* HOLDERS */

    /// @inheritdoc IGoldToken
    function redeemBar(bytes32 serial) external {
        _whenNotPaused();
        GoldStorage storage $ = _gold();
        Bar storage bar = _barInVault($, serial);
        uint256 weight = _takeOutOfVault($, bar, BarStatus.Allocated);
        unchecked {
            ++$.barsAllocated; // at most the number of bars ever registered
        }
        emit BarRedeemed(serial, msg.sender, weight);
    }

    /* PARTICIPANTS */

    /// @inheritdoc IGoldToken
    function syncParticipant(address account) external returns (bool permitted) {
        return _sync(account);
    }

    /// @inheritdoc IGoldToken
    function syncParticipants(address[] calldata accounts) external {
        uint256 count = accounts.length;
        if (count == 0) revert GoldTokenEmptyBatch();
        for (uint256 i; i < count; ++i) {
            _sync(accounts[i]);
        }
    }

    /* COMPLIANCE */

    /// @inheritdoc IGoldToken
    function freeze(address account, bytes32 reason) external onlyRole(COMPLIANCE_ROLE) {
        if (account == address(0)) revert GoldTokenZeroAddress();
        if (_accountWord(account) & FLAG_BLOCKED != 0) revert GoldTokenFreezeUnchanged(account, true);
        _setFlags(account, FLAG_BLOCKED, true);
        emit AccountFrozen(account, reason);
    }

    /// @inheritdoc IGoldToken
    function unfreeze(address account, bytes32 reason) external onlyRole(COMPLIANCE_ROLE) {
        if (_accountWord(account) & FLAG_BLOCKED == 0) revert GoldTokenFreezeUnchanged(account, false);
        _setFlags(account, FLAG_BLOCKED, false);
        emit AccountUnfrozen(account, reason);
    }

    /* PAUSE */

    /// @inheritdoc IGoldToken
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IGoldToken
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /* VIEWS */

    /// @inheritdoc IGoldToken
    function tenge() external view returns (address) {
        return address(_tenge);
    }

    /// @inheritdoc IGoldToken
    function barOf(bytes32 serial) external view returns (BarView memory) {
        return _barView(_gold(), serial);
    }

    /// @inheritdoc IGoldToken
    function barsPage(uint256 start, uint256 limit) external view returns (BarView[] memory page) {
        GoldStorage storage $ = _gold();
        uint256 count = $.serials.length;
        uint256 end = start < count ? (count - start > limit ? start + limit : count) : start;
        page = new BarView[](end - start);
        for (uint256 i = start; i < end; ++i) {
            page[i - start] = _barView($, $.serials[i]);
        }
    }

    /// @inheritdoc IGoldToken
    function backing() external view returns (BackingView memory) {
        GoldStorage storage $ = _gold();
        return
            BackingView({
                totalSupply: totalSupply(),
                inVaultFineWeightMg: $.inVaultFineWeightMg,
                barsInVault: $.barsInVault,
                barsAllocated: $.barsAllocated,
                barsRegistered: $.serials.length
            });
    }

    /// @inheritdoc IGoldToken
    function isPermitted(address account) external view returns (bool) {
        return _accountWord(account) & FLAG_PERMITTED != 0;
    }

    /// @inheritdoc IGoldToken
    function isFrozen(address account) external view returns (bool) {
        return _accountWord(account) & FLAG_BLOCKED != 0;
    }

    /// @notice ERC-165: ERC-20 and AccessControl.
    /// @param interfaceId The interface id.
    /// @return True when supported.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IERC20).interfaceId || super.supportsInterface(interfaceId);
    }

    /* INTERNAL */

    /// @dev Both parties must be permitted; PackedERC20 already refused the pause and frozen wallets.
    function _checkTransfer(
        uint256,
        address from,
        uint256 fromWord,
        address to,
        uint256 toWord,
        uint256
    ) internal pure override {
        if (fromWord & FLAG_PERMITTED == 0) revert GoldTokenNotPermitted(from);
        if (toWord & FLAG_PERMITTED == 0) revert GoldTokenNotPermitted(to);
    }

    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /* PRIVATE */

    function _addBar(GoldStorage storage $, BarInput calldata input) private {
        bytes32 serial = input.serial;
        if (serial == bytes32(0)) revert GoldTokenInvalidSerial();
        if (input.refiner == bytes32(0)) revert GoldTokenInvalidRefiner(serial);
        if (input.vault == bytes32(0)) revert GoldTokenInvalidVault(serial);
        uint256 weight = input.fineWeightMg;
        if (weight == 0 || weight > MAX_BAR_FINE_WEIGHT_MG) revert GoldTokenInvalidFineWeight(serial, weight);
        uint256 fineness = input.fineness;
        if (fineness < MIN_FINENESS || fineness > MAX_FINENESS) revert GoldTokenInvalidFineness(serial, fineness);
        Bar storage bar = $.bars[serial];
        BarStatus status = bar.status;
        if (status == BarStatus.InVault || status == BarStatus.Allocated) revert GoldTokenBarExists(serial, status);
        address recipient = input.recipient;
        if (recipient == address(0)) revert GoldTokenZeroAddress();
        _requireActive(recipient);
        // A released bar coming back keeps its place in the list: the list holds each serial once.
        if (status == BarStatus.None) $.serials.push(serial);
        bar.fineWeightMg = uint64(weight);
        bar.fineness = uint16(fineness);
        bar.status = BarStatus.InVault;
        bar.holder = msg.sender;
        bar.refiner = input.refiner;
        bar.vault = input.vault;
        // The mint refuses a supply above 2^128 - 1, so the counter below (equal to the supply) cannot overflow.
        _mint(recipient, weight);
        unchecked {
            $.inVaultFineWeightMg += uint128(weight);
            ++$.barsInVault;
        }
        emit BarAdded(serial, input.vault, recipient, input.refiner, weight, fineness);
    }

    /// @dev Burns the bar's fine weight from the caller and takes the bar out of the backing with `status`.
    function _takeOutOfVault(
        GoldStorage storage $,
        Bar storage bar,
        BarStatus status
    ) private returns (uint256 weight) {
        _requireActive(msg.sender);
        weight = bar.fineWeightMg;
        _burn(msg.sender, weight);
        bar.status = status;
        bar.holder = msg.sender;
        unchecked {
            // the bar was in the vault, so both counters include it
            $.inVaultFineWeightMg -= uint128(weight);
            --$.barsInVault;
        }
    }

    function _barInVault(GoldStorage storage $, bytes32 serial) private view returns (Bar storage bar) {
        bar = $.bars[serial];
        if (bar.status != BarStatus.InVault) revert GoldTokenBarNotInVault(serial, bar.status);
    }

    function _barView(GoldStorage storage $, bytes32 serial) private view returns (BarView memory view_) {
        Bar storage bar = $.bars[serial];
        if (bar.status == BarStatus.None) return view_;
        view_ = BarView({
            serial: serial,
            refiner: bar.refiner,
            vault: bar.vault,
            fineWeightMg: bar.fineWeightMg,
            fineness: bar.fineness,
            status: bar.status,
            holder: bar.holder
        });
    }

    /// @dev A wallet that may hold and move tokens: not frozen here, permitted.
    function _requireActive(address account) private view {
        uint256 word = _accountWord(account);
        if (word & FLAG_BLOCKED != 0) revert PackedERC20AccountBlocked(account);
        if (word & FLAG_PERMITTED == 0) revert GoldTokenNotPermitted(account);
    }

    function _whenNotPaused() private view {
        if (paused()) revert EnforcedPause();
    }

    function _sync(address account) private returns (bool permitted) {
        if (account == address(0)) revert GoldTokenZeroAddress();
        IDigitalTenge.AccountView memory status = _tenge.accountOf(account);
        permitted = status.onboarded && !status.frozen;
        bool was = _accountWord(account) & FLAG_PERMITTED != 0;
        if (was != permitted) {
            _setFlags(account, FLAG_PERMITTED, permitted);
            emit ParticipantSynced(account, permitted);
        }
    }

    function _gold() private pure returns (GoldStorage storage $) {
        assembly {
            $.slot := _GOLD_LOCATION
        }
    }
}
