// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IGoldDesk} from "../interfaces/IGoldDesk.sol";

/// @title GoldDesk
/// @notice Sells and buys gold tokens for digital tenge atomically (delivery versus payment in one transaction) at
/// a price published by an oracle, for a fee in basis points to the treasury.
/// @dev Roles and who holds them:
/// - DEFAULT_ADMIN_ROLE: the central bank's governance (multisig); grants and revokes roles, authorises upgrades.
/// - ORACLE_ROLE: the price feed; publishes tiyn per gram with its observation time.
/// - MANAGER_ROLE: the central bank's gold operations; sets bounds, fee and treasury, withdraws inventory.
/// - PAUSER_ROLE: halts and resumes trading.
/// The desk is an institution of the digital tenge (exempt from tier limits) and a permitted gold participant;
/// its inventory is its own balance of both tokens. Trust: the two tokens are the suite's own proxies, fixed at
/// construction, which revert on failure; the oracle is trusted within maxMoveBps per update and maxPriceAge.
/// Rounding rule (see {IGoldDesk}): the buyer pays ⌈⌉, the seller receives ⌊⌋ minus a fee rounded up, so the desk
/// and treasury together never end below exact rational arithmetic, and tenge and gold move in whole tiyn and mg.
/// A trade writes no storage of the desk: it reads one price slot and one configuration slot.
/// @custom:oz-upgrades-unsafe-allow constructor
contract GoldDesk is IGoldDesk, AccessControlUpgradeable, UUPSUpgradeable {
    /* ROLES AND CONSTANTS */

    /// @notice Publishes prices.
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");
    /// @notice Sets bounds, fee and treasury; withdraws inventory.
    bytes32 public constant MANAGER_ROLE = keccak256("MANAGER_ROLE");
    /// @notice Halts and resumes trading.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Gold units (mg of fine gold) per gram: prices are per gram.
    uint256 public constant MG_PER_GRAM = 1_000;
    /// @notice Basis points in a whole.
    uint256 public constant BPS = 10_000;
    /// @notice Highest fee, in basis points (10%).
    uint256 public constant MAX_FEE_BPS = 1_000;
    /// @notice Longest staleness bound: a week.
    uint256 public constant MAX_PRICE_AGE = 7 days;

    /* STORAGE */

    /// @custom:storage-location erc7201:digitaltenge.storage.GoldDesk
    struct DeskStorage {
        // slot 0: everything a trade reads but the treasury
        uint64 price;
        uint40 publishedAt;
        uint32 maxPriceAge;
        uint16 maxMoveBps;
        uint16 feeBps;
        bool paused;
        // slot 1
        address treasury;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.GoldDesk")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _DESK_LOCATION = 0x4c22aa26d14330496c8939755c1ae282cf70b029922f30770a5aa99ffa0d9300;

    /// @dev The two proxies never move; immutables save two cold storage reads on every trade. An upgrade deploys
    /// the implementation with the same addresses (the deploy script passes them).
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IERC20 private immutable _tenge;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IERC20 private immutable _gold;

    /* CONSTRUCTOR AND INITIALIZER */

    /// @param tenge_ The digital tenge proxy.
    /// @param gold_ The gold token proxy.
    constructor(address tenge_, address gold_) {
        if (tenge_ == address(0) || gold_ == address(0)) revert GoldDeskZeroAddress();
        _tenge = IERC20(tenge_);
        _gold = IERC20(gold_);
        _disableInitializers();
    }

    /// @notice Initialises the proxy's state: `admin` receives DEFAULT_ADMIN_ROLE; treasury, bounds and fee are set
    /// as {setTreasury} and {setConfig} would. No price: trading waits for the oracle's first one.
    /// @param admin The central bank's governance address.
    /// @param treasury_ Receives the fees.
    /// @param maxPriceAge Seconds a price stays tradable.
    /// @param maxMoveBps Largest change between two prices, in basis points.
    /// @param feeBps Fee per trade, in basis points.
    function initialize(
        address admin,
        address treasury_,
        uint256 maxPriceAge,
        uint256 maxMoveBps,
        uint256 feeBps
    ) external initializer {
        if (admin == address(0)) revert GoldDeskZeroAddress();
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setTreasury(treasury_);
        _setConfig(maxPriceAge, maxMoveBps, feeBps);
    }

    /* ORACLE */

    /// @inheritdoc IGoldDesk
    function publishPrice(uint256 priceTiynPerGram, uint256 observedAt) external onlyRole(ORACLE_ROLE) {
        if (priceTiynPerGram == 0 || priceTiynPerGram > type(uint64).max) revert GoldDeskInvalidPrice(priceTiynPerGram);
        if (observedAt > block.timestamp) revert GoldDeskPriceFromFuture(observedAt, block.timestamp);
        DeskStorage storage $ = _desk();
        uint256 last = $.publishedAt;
        if (observedAt <= last) revert GoldDeskPriceNotNewer(observedAt, last);
        uint256 age = block.timestamp - observedAt;
        if (age > $.maxPriceAge) revert GoldDeskStalePrice(observedAt, age, $.maxPriceAge);
        uint256 previous = $.price;
        if (previous != 0) {
            uint256 move = priceTiynPerGram > previous ? priceTiynPerGram - previous : previous - priceTiynPerGram;
            uint256 maxMoveBps = $.maxMoveBps;
            if (move * BPS > previous * maxMoveBps) {
                revert GoldDeskPriceMoveTooLarge(previous, priceTiynPerGram, maxMoveBps);
            }
        }
        $.price = uint64(priceTiynPerGram);
        $.publishedAt = uint40(observedAt); // <= block.timestamp, far below 2^40
        emit PricePublished(msg.sender, priceTiynPerGram, observedAt, previous);
    }

    /* TRADERS */

    /// @inheritdoc IGoldDesk
    function buy(uint256 amountMg, uint256 maxPriceTiynPerGram, uint256 deadline) external returns (uint256 total) {
        (uint256 price_, uint256 cost, uint256 fee, address treasury) = _buyTerms(
            amountMg,
            maxPriceTiynPerGram,
            deadline
        );
        total = cost + fee;
        _tenge.transferFrom(msg.sender, address(this), total);
        _deliver(msg.sender, amountMg, price_, cost, fee, treasury);
    }

    /// @inheritdoc IERC1363Receiver
    /// @dev The tenge's `transferAndCall(desk, value, abi.encode(amountMg, maxPriceTiynPerGram, deadline))`: the
    /// payment has arrived when this runs; the gold goes to `from` (the payer), and whatever `value` exceeds
    /// cost + fee is paid back to `from` in the same transaction. Requirements and effects as {buy}, plus
    /// `value >= cost + fee`; the caller must be the tenge.
    function onTransferReceived(address, address from, uint256 value, bytes calldata data) external returns (bytes4) {
        if (msg.sender != address(_tenge)) revert GoldDeskNotTenge(msg.sender);
        if (data.length != 96) revert GoldDeskInvalidOrder(data.length);
        (uint256 amountMg, uint256 maxPriceTiynPerGram, uint256 deadline) = abi.decode(
            data,
            (uint256, uint256, uint256)
        );
        (uint256 price_, uint256 cost, uint256 fee, address treasury) = _buyTerms(
            amountMg,
            maxPriceTiynPerGram,
            deadline
        );
        uint256 total = cost + fee;
        if (value < total) revert GoldDeskPaymentTooLow(value, total);
        _deliver(from, amountMg, price_, cost, fee, treasury);
        // The refund returns part of what the payer just paid: its balance ends below where it started. (Only a
        // wallet already above a holding limit lowered since could be refused the credit; it pays the exact total.)
        if (value != total) _tenge.transfer(from, value - total);
        return IERC1363Receiver.onTransferReceived.selector;
    }

    /// @inheritdoc IGoldDesk
    function sell(uint256 amountMg, uint256 minPriceTiynPerGram, uint256 deadline) external returns (uint256 proceeds) {
        (uint256 price_, uint256 feeBps, address treasury) = _tradablePrice(amountMg, deadline);
        if (price_ < minPriceTiynPerGram) revert GoldDeskPriceBelowLimit(price_, minPriceTiynPerGram);
        (uint256 gross, uint256 fee) = _sellTerms(amountMg, price_, feeBps);
        proceeds = gross - fee;
        if (proceeds == 0) revert GoldDeskAmountTooSmall(amountMg);
        _gold.transferFrom(msg.sender, address(this), amountMg);
        _tenge.transfer(msg.sender, proceeds);
        if (fee != 0) _tenge.transfer(treasury, fee);
        emit GoldSold(msg.sender, amountMg, price_, proceeds, fee);
    }

    /* MANAGER */

    /// @inheritdoc IGoldDesk
    function setConfig(uint256 maxPriceAge, uint256 maxMoveBps, uint256 feeBps) external onlyRole(MANAGER_ROLE) {
        _setConfig(maxPriceAge, maxMoveBps, feeBps);
    }

    /// @inheritdoc IGoldDesk
    function setTreasury(address treasury_) external onlyRole(MANAGER_ROLE) {
        _setTreasury(treasury_);
    }

    /// @inheritdoc IGoldDesk
    function withdraw(address asset, address to, uint256 amount) external onlyRole(MANAGER_ROLE) {
        if (asset != address(_tenge) && asset != address(_gold)) revert GoldDeskUnknownAsset(asset);
        if (to == address(0)) revert GoldDeskZeroAddress();
        if (amount == 0) revert GoldDeskInvalidAmount(0);
        IERC20(asset).transfer(to, amount);
        emit InventoryWithdrawn(asset, to, amount);
    }

    /* PAUSE */

    /// @inheritdoc IGoldDesk
    function pause() external onlyRole(PAUSER_ROLE) {
        DeskStorage storage $ = _desk();
        if ($.paused) revert GoldDeskTradingPaused();
        $.paused = true;
        emit TradingPaused(msg.sender);
    }

    /// @inheritdoc IGoldDesk
    function unpause() external onlyRole(PAUSER_ROLE) {
        DeskStorage storage $ = _desk();
        if (!$.paused) revert GoldDeskTradingNotPaused();
        $.paused = false;
        emit TradingUnpaused(msg.sender);
    }

    /* VIEWS */

    /// @inheritdoc IGoldDesk
    function tenge() external view returns (address) {
        return address(_tenge);
    }

    /// @inheritdoc IGoldDesk
    function gold() external view returns (address) {
        return address(_gold);
    }

    /// @inheritdoc IGoldDesk
    function price() external view returns (PriceView memory view_) {
        DeskStorage storage $ = _desk();
        view_.priceTiynPerGram = $.price;
        view_.publishedAt = $.publishedAt;
        view_.age = block.timestamp - view_.publishedAt;
        view_.fresh = view_.priceTiynPerGram != 0 && view_.age <= $.maxPriceAge;
    }

    /// @inheritdoc IGoldDesk
    function config() external view returns (ConfigView memory) {
        DeskStorage storage $ = _desk();
        return
            ConfigView({
                maxPriceAge: $.maxPriceAge,
                maxMoveBps: $.maxMoveBps,
                feeBps: $.feeBps,
                treasury: $.treasury,
                paused: $.paused
            });
    }

    /// @inheritdoc IGoldDesk
    function quoteBuy(uint256 amountMg) external view returns (uint256 cost, uint256 fee, uint256 total) {
        DeskStorage storage $ = _desk();
        (cost, fee) = _buyCost(amountMg, $.price, $.feeBps);
        total = cost + fee;
    }

    /// @inheritdoc IGoldDesk
    function quoteSell(uint256 amountMg) external view returns (uint256 gross, uint256 fee, uint256 proceeds) {
        DeskStorage storage $ = _desk();
        (gross, fee) = _sellTerms(amountMg, $.price, $.feeBps);
        proceeds = gross - fee;
    }

    /* INTERNAL */

    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /* PRIVATE */

    /// @dev Every check of a trade that does not depend on its direction; returns the price, fee rate and treasury.
    function _tradablePrice(
        uint256 amountMg,
        uint256 deadline
    ) private view returns (uint256 price_, uint256 feeBps, address treasury) {
        if (amountMg == 0 || amountMg > type(uint128).max) revert GoldDeskInvalidAmount(amountMg);
        if (block.timestamp > deadline) revert GoldDeskDeadlinePassed(deadline, block.timestamp);
        DeskStorage memory desk = _desk(); // both slots, each read once
        if (desk.paused) revert GoldDeskTradingPaused();
        price_ = desk.price;
        if (price_ == 0) revert GoldDeskNoPrice();
        uint256 age = block.timestamp - desk.publishedAt;
        if (age > desk.maxPriceAge) revert GoldDeskStalePrice(desk.publishedAt, age, desk.maxPriceAge);
        feeBps = desk.feeBps;
        treasury = desk.treasury;
    }

    function _buyTerms(
        uint256 amountMg,
        uint256 maxPriceTiynPerGram,
        uint256 deadline
    ) private view returns (uint256 price_, uint256 cost, uint256 fee, address treasury) {
        uint256 feeBps;
        (price_, feeBps, treasury) = _tradablePrice(amountMg, deadline);
        if (price_ > maxPriceTiynPerGram) revert GoldDeskPriceAboveLimit(price_, maxPriceTiynPerGram);
        (cost, fee) = _buyCost(amountMg, price_, feeBps);
    }

    /// @dev Gold to the buyer, the fee on to the treasury; the desk keeps the cost.
    function _deliver(
        address buyer,
        uint256 amountMg,
        uint256 price_,
        uint256 cost,
        uint256 fee,
        address treasury
    ) private {
        _gold.transfer(buyer, amountMg);
        if (fee != 0) _tenge.transfer(treasury, fee);
        emit GoldBought(buyer, amountMg, price_, cost, fee);
    }

    function _setConfig(uint256 maxPriceAge, uint256 maxMoveBps, uint256 feeBps) private {
        if (
            maxPriceAge == 0 ||
            maxPriceAge > MAX_PRICE_AGE ||
            maxMoveBps == 0 ||
            maxMoveBps > BPS ||
            feeBps > MAX_FEE_BPS
        ) revert GoldDeskInvalidConfig(maxPriceAge, maxMoveBps, feeBps);
        DeskStorage storage $ = _desk();
        $.maxPriceAge = uint32(maxPriceAge);
        $.maxMoveBps = uint16(maxMoveBps);
        $.feeBps = uint16(feeBps);
        emit DeskConfigSet(maxPriceAge, maxMoveBps, feeBps);
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert GoldDeskZeroAddress();
        DeskStorage storage $ = _desk();
        emit TreasurySet($.treasury, treasury_);
        $.treasury = treasury_;
    }

    /// @dev Buyer pays: both roundings up (in the desk's favour).
    function _buyCost(
        uint256 amountMg,
        uint256 price_,
        uint256 feeBps
    ) private pure returns (uint256 cost, uint256 fee) {
        cost = Math.ceilDiv(amountMg * price_, MG_PER_GRAM);
        fee = Math.ceilDiv(cost * feeBps, BPS);
    }

    /// @dev Seller is paid: gross rounded down, the fee taken from it rounded up (in the desk's favour);
    /// fee <= gross because feeBps <= 10,000.
    function _sellTerms(
        uint256 amountMg,
        uint256 price_,
        uint256 feeBps
    ) private pure returns (uint256 gross, uint256 fee) {
        gross = (amountMg * price_) / MG_PER_GRAM;
        fee = Math.ceilDiv(gross * feeBps, BPS);
    }

    function _desk() private pure returns (DeskStorage storage $) {
        assembly {
            $.slot := _DESK_LOCATION
        }
    }
}
