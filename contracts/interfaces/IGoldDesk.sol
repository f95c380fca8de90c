// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";

/// @title IGoldDesk
/// @notice The gold desk: sells and buys gold tokens for digital tenge in one transaction (delivery versus payment)
/// at a price an oracle publishes, with staleness and move bounds, slippage protection and a fee to the treasury.
/// Units: gold amounts in mg of fine gold (the gold token's unit, 1 g = 1,000 mg); tenge amounts in tiyn
/// (1 KZT = 100 tiyn); prices in **tiyn per gram** of fine gold.
/// @dev Rounding (never in the trader's favour, and no tiyn or mg lost: every tiyn a trader pays or receives is
/// accounted to the desk or the treasury, and gold moves in exact mg):
/// - buy:  cost = ⌈amountMg × price / 1000⌉, fee = ⌈cost × feeBps / 10,000⌉, the buyer pays cost + fee;
/// - sell: gross = ⌊amountMg × price / 1000⌋, fee = ⌈gross × feeBps / 10,000⌉, the seller receives gross − fee.
/// So the buyer pays at least, and the seller receives at most, the exact rational amount. The desk keeps cost (buy)
/// or pays gross (sell) from its own inventory; the fee goes to the treasury in both directions.
interface IGoldDesk is IERC1363Receiver {
    /* TYPES */

    /// @notice The published price. `fresh` is false when no price was published or it is older than maxPriceAge.
    struct PriceView {
        uint256 priceTiynPerGram;
        uint256 publishedAt;
        uint256 age;
        bool fresh;
    }

    /// @notice The desk's configuration.
    struct ConfigView {
        uint256 maxPriceAge;
        uint256 maxMoveBps;
        uint256 feeBps;
        address treasury;
        bool paused;
    }

    /* EVENTS */

    /// @notice Emitted when the oracle publishes a price observed at `observedAt` (unix time).
    event PricePublished(
        address indexed oracle,
        uint256 priceTiynPerGram,
        uint256 observedAt,
        uint256 previousPriceTiynPerGram
    );
    /// @notice Emitted when the desk's limits and fee are set.
    event DeskConfigSet(uint256 maxPriceAge, uint256 maxMoveBps, uint256 feeBps);
    /// @notice Emitted when the treasury that receives fees changes.
    event TreasurySet(address indexed previousTreasury, address indexed newTreasury);
    /// @notice Emitted when `buyer` receives `amountMg` of gold for `cost` tiyn to the desk plus `fee` tiyn to the
    /// treasury.
    event GoldBought(address indexed buyer, uint256 amountMg, uint256 priceTiynPerGram, uint256 cost, uint256 fee);
    /// @notice Emitted when `seller` delivers `amountMg` of gold and receives `proceeds` tiyn; the desk paid `fee`
    /// more tiyn to the treasury.
    event GoldSold(address indexed seller, uint256 amountMg, uint256 priceTiynPerGram, uint256 proceeds, uint256 fee);
    /// @notice Emitted when the manager moves `amount` of the desk's inventory of `asset` (tenge or gold) to `to`.
    event InventoryWithdrawn(address indexed asset, address indexed to, uint256 amount);
    /// @notice Emitted when trading is halted.
    event TradingPaused(address account);
    /// @notice Emitted when trading resumes.
    event TradingUnpaused(address account);

    /* ERRORS */

    /// @notice Thrown when an address argument is the zero address.
    error GoldDeskZeroAddress();
    /// @notice Thrown when a published price is zero or above 2^64 - 1 tiyn per gram.
    error GoldDeskInvalidPrice(uint256 priceTiynPerGram);
    /// @notice Thrown when a price's observation time is later than the block's.
    error GoldDeskPriceFromFuture(uint256 observedAt, uint256 blockTime);
    /// @notice Thrown when a price is not newer than the one in force.
    error GoldDeskPriceNotNewer(uint256 observedAt, uint256 lastObservedAt);
    /// @notice Thrown when a price differs from the previous one by more than maxMoveBps.
    error GoldDeskPriceMoveTooLarge(uint256 previousPrice, uint256 newPrice, uint256 maxMoveBps);
    /// @notice Thrown when trading before any price was published.
    error GoldDeskNoPrice();
    /// @notice Thrown when a price is older than maxPriceAge (at trade time, or already when published).
    error GoldDeskStalePrice(uint256 observedAt, uint256 age, uint256 maxPriceAge);
    /// @notice Thrown when a configuration value is out of range.
    error GoldDeskInvalidConfig(uint256 maxPriceAge, uint256 maxMoveBps, uint256 feeBps);
    /// @notice Thrown when an amount is zero (or a gold amount above 2^128 - 1 mg).
    error GoldDeskInvalidAmount(uint256 amount);
    /// @notice Thrown when a sale would pay the seller nothing after rounding and the fee.
    error GoldDeskAmountTooSmall(uint256 amountMg);
    /// @notice Thrown when an order arrives after its deadline.
    error GoldDeskDeadlinePassed(uint256 deadline, uint256 blockTime);
    /// @notice Thrown when the price is above the buyer's maximum.
    error GoldDeskPriceAboveLimit(uint256 priceTiynPerGram, uint256 maxPriceTiynPerGram);
    /// @notice Thrown when the price is below the seller's minimum.
    error GoldDeskPriceBelowLimit(uint256 priceTiynPerGram, uint256 minPriceTiynPerGram);
    /// @notice Thrown when an ERC-1363 payment is smaller than the order's cost plus fee.
    error GoldDeskPaymentTooLow(uint256 paid, uint256 total);
    /// @notice Thrown when an ERC-1363 callback comes from a contract other than the tenge.
    error GoldDeskNotTenge(address caller);
    /// @notice Thrown when an ERC-1363 order is not `abi.encode(uint256 amountMg, uint256 maxPrice, uint256 deadline)`.
    error GoldDeskInvalidOrder(uint256 dataLength);
    /// @notice Thrown when withdrawing an asset that is neither the tenge nor the gold token.
    error GoldDeskUnknownAsset(address asset);
    /// @notice Thrown when trading while trading is paused.
    error GoldDeskTradingPaused();
    /// @notice Thrown when resuming trading that is not paused.
    error GoldDeskTradingNotPaused();

    /* ORACLE */

    /// @notice Publishes the price of one gram of fine gold in tiyn, observed at `observedAt`.
    /// @dev Requirements: caller has ORACLE_ROLE; `0 < price < 2^64`; `lastObservedAt < observedAt <= block time`;
    /// not older than maxPriceAge; within maxMoveBps of the previous price (no bound for the first price).
    /// Emits {PricePublished}.
    /// @param priceTiynPerGram Tiyn per gram of fine gold (52,000.00 KZT/g is 5,200,000).
    /// @param observedAt Unix time of the observation.
    function publishPrice(uint256 priceTiynPerGram, uint256 observedAt) external;

    /* TRADERS */

    /// @notice Buys `amountMg` of gold from the desk's inventory, paying tenge from an allowance given to the desk,
    /// in one transaction. {onTransferReceived} does the same without an allowance (through the tenge's
    /// `transferAndCall`), and is the cheaper path.
    /// @dev Requirements: trading not paused; `0 < amountMg < 2^128`; `block.timestamp <= deadline`; a fresh price
    /// at most `maxPriceTiynPerGram`; the caller's tenge allowance to the desk and every tenge payment rule for
    /// cost + fee; the desk's gold inventory; the caller a permitted gold participant. Emits {GoldBought}, and the
    /// tokens' {IERC20-Transfer}s.
    /// @param amountMg Gold to buy, in mg.
    /// @param maxPriceTiynPerGram The highest price accepted.
    /// @param deadline Unix time after which the order is void.
    /// @return total Tiyn paid (cost + fee).
    function buy(uint256 amountMg, uint256 maxPriceTiynPerGram, uint256 deadline) external returns (uint256 total);

    /// @notice Sells `amountMg` of gold to the desk for tenge in one transaction; the gold moves from an allowance
    /// given to the desk (or an EIP-2612 permit).
    /// @dev Requirements: trading not paused; `0 < amountMg < 2^128`; `block.timestamp <= deadline`; a fresh price
    /// at least `minPriceTiynPerGram`; proceeds after the fee above zero; the caller's gold allowance and balance;
    /// the desk's tenge inventory for gross; every tenge rule for crediting the caller (holding limit).
    /// Emits {GoldSold}, and the tokens' {IERC20-Transfer}s.
    /// @param amountMg Gold to sell, in mg.
    /// @param minPriceTiynPerGram The lowest price accepted.
    /// @param deadline Unix time after which the order is void.
    /// @return proceeds Tiyn the caller received.
    function sell(uint256 amountMg, uint256 minPriceTiynPerGram, uint256 deadline) external returns (uint256 proceeds);

    /* MANAGER */

    /// @notice Sets the staleness bound, the move bound and the fee. A move larger than the bound (a market gap)
    /// is published by raising maxMoveBps first.
    /// @dev Requirements: caller has MANAGER_ROLE; `0 < maxPriceAge <= MAX_PRICE_AGE`;
    /// `0 < maxMoveBps <= 10,000`; `feeBps <= MAX_FEE_BPS`. Emits {DeskConfigSet}.
    /// @param maxPriceAge Seconds a price stays tradable after its observation.
    /// @param maxMoveBps Largest change from the previous price, in basis points.
    /// @param feeBps Fee on each trade in basis points, paid to the treasury.
    function setConfig(uint256 maxPriceAge, uint256 maxMoveBps, uint256 feeBps) external;

    /// @notice Sets the treasury that receives fees (a tenge participant).
    /// @dev Requirements: caller has MANAGER_ROLE; `treasury` non-zero. Emits {TreasurySet}.
    /// @param treasury The new treasury.
    function setTreasury(address treasury) external;

    /// @notice Moves part of the desk's inventory (tenge earned from sales, or gold) to `to`.
    /// @dev Requirements: caller has MANAGER_ROLE; `asset` the tenge or the gold token; `to` non-zero; `amount`
    /// non-zero; the token's own rules. Emits {InventoryWithdrawn}.
    /// @param asset The tenge or the gold token.
    /// @param to The recipient (a participant of that token).
    /// @param amount Tiyn or mg.
    function withdraw(address asset, address to, uint256 amount) external;

    /* PAUSE */

    /// @notice Halts trading (publishing prices and configuration go on).
    /// @dev Requirements: caller has PAUSER_ROLE; not paused. Emits {TradingPaused}.
    function pause() external;

    /// @notice Resumes trading.
    /// @dev Requirements: caller has PAUSER_ROLE; paused. Emits {TradingUnpaused}.
    function unpause() external;

    /* VIEWS */

    /// @notice The digital tenge the desk is paid in.
    /// @return The tenge proxy's address.
    function tenge() external view returns (address);

    /// @notice The gold token the desk sells and buys.
    /// @return The gold token proxy's address.
    function gold() external view returns (address);

    /// @notice The price in force and whether it may be traded at now.
    /// @return The price, its observation time, its age in seconds and whether it is fresh.
    function price() external view returns (PriceView memory);

    /// @notice The desk's configuration.
    /// @return Treasury, bounds, fee and pause.
    function config() external view returns (ConfigView memory);

    /// @notice What buying `amountMg` costs at the price in force (fresh or not) and the current fee.
    /// @param amountMg Gold in mg.
    /// @return cost Tiyn to the desk, ⌈amountMg × price / 1000⌉.
    /// @return fee Tiyn to the treasury, ⌈cost × feeBps / 10,000⌉.
    /// @return total cost + fee.
    function quoteBuy(uint256 amountMg) external view returns (uint256 cost, uint256 fee, uint256 total);

    /// @notice What selling `amountMg` pays at the price in force (fresh or not) and the current fee.
    /// @param amountMg Gold in mg.
    /// @return gross Tiyn the desk pays out, ⌊amountMg × price / 1000⌋.
    /// @return fee Tiyn of it to the treasury, ⌈gross × feeBps / 10,000⌉.
    /// @return proceeds gross − fee, to the seller.
    function quoteSell(uint256 amountMg) external view returns (uint256 gross, uint256 fee, uint256 proceeds);
}
