// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title IGoldToken
/// @notice Custodian, holder and compliance API of the gold token: a permissioned ERC-20 fully backed by refined gold
/// bars held in custody, with the bar registry on chain. **1 token unit = 1 milligram of fine gold** (3 decimals:
/// 1 token = 1 gram of fine gold; 1 troy ounce = 31.1034768 g = 31,103.4768 units).
/// @dev The token is also ERC-20, EIP-2612, EIP-3009 and EIP-5267; those interfaces document themselves. Its pause
/// (`paused()`, `Paused`, `Unpaused`, `EnforcedPause`, `ExpectedPause`) comes from PackedERC20.
/// Invariant: `totalSupply == Σ fineWeightMg of the bars whose status is InVault`.
interface IGoldToken {
    /* TYPES */

    /// @notice Where a bar is in its life: never registered, in the vault backing the supply, allocated to a holder
    /// who redeemed it (awaiting delivery; no longer backing anything), or released from custody.
    enum BarStatus {
        None,
        InVault,
        Allocated,
        Released
    }

    /// @notice A bar as the custodian registers it.
    /// @param serial The bar's serial number as stamped by the refiner (a short string, at most 31 bytes), non-zero.
    /// @param refiner The refiner (a short string, e.g. "Tau-Ken Altyn"), non-zero.
    /// @param vault The vault holding the bar (a short string, e.g. "NBK-ALMATY-1"), non-zero.
    /// @param recipient Who receives the tokens minted for the bar: the custodian, or a buyer of the bar.
    /// @param fineWeightMg Fine gold content in milligrams: gross weight × fineness, as on the assay certificate.
    /// @param fineness Parts of fine gold per 10,000 (9999 for "four nines", 999.9).
    struct BarInput {
        bytes32 serial;
        bytes32 refiner;
        bytes32 vault;
        address recipient;
        uint64 fineWeightMg;
        uint16 fineness;
    }

    /// @notice A bar's record. `holder` is the custodian that registered or removed it, or the holder it is
    /// allocated (or was released) to after a redemption.
    struct BarView {
        bytes32 serial;
        bytes32 refiner;
        bytes32 vault;
        uint256 fineWeightMg;
        uint256 fineness;
        BarStatus status;
        address holder;
    }

    /// @notice The backing as the contract counts it.
    /// @param totalSupply Tokens in circulation, in mg.
    /// @param inVaultFineWeightMg Σ fine weight of the bars in the vault, counted separately; always equal to
    /// totalSupply.
    /// @param barsInVault Bars whose status is InVault.
    /// @param barsAllocated Bars redeemed and awaiting delivery.
    /// @param barsRegistered Bars ever registered (every status); the length of the serial list.
    struct BackingView {
        uint256 totalSupply;
        uint256 inVaultFineWeightMg;
        uint256 barsInVault;
        uint256 barsAllocated;
        uint256 barsRegistered;
    }

    /* EVENTS */

    /// @notice Emitted when the custodian registers a bar in the vault and `fineWeightMg` tokens are minted to
    /// `recipient` (an {IERC20-Transfer} from zero is emitted too).
    event BarAdded(
        bytes32 indexed serial,
        bytes32 indexed vault,
        address indexed recipient,
        bytes32 refiner,
        uint256 fineWeightMg,
        uint256 fineness
    );
    /// @notice Emitted when the custodian takes a bar out of the backing, burning `fineWeightMg` of its own tokens.
    event BarRemoved(bytes32 indexed serial, address indexed custodian, uint256 fineWeightMg);
    /// @notice Emitted when `holder` burns `fineWeightMg` tokens and the bar is allocated to it for delivery.
    event BarRedeemed(bytes32 indexed serial, address indexed holder, uint256 fineWeightMg);
    /// @notice Emitted when the custodian records that an allocated bar was delivered to its holder.
    event BarReleased(bytes32 indexed serial, address indexed holder, address indexed custodian);
    /// @notice Emitted when a wallet's permission changes after reading its status in the digital tenge.
    event ParticipantSynced(address indexed account, bool permitted);
    /// @notice Emitted when compliance freezes a wallet in the gold token.
    event AccountFrozen(address indexed account, bytes32 indexed reason);
    /// @notice Emitted when compliance lifts a wallet's freeze in the gold token.
    event AccountUnfrozen(address indexed account, bytes32 indexed reason);

    /* ERRORS */

    /// @notice Thrown when `account` is not a permitted participant: not onboarded (or frozen) in the digital
    /// tenge when last synced, or never synced (see {syncParticipant}).
    error GoldTokenNotPermitted(address account);
    /// @notice Thrown when an address argument is the zero address.
    error GoldTokenZeroAddress();
    /// @notice Thrown when a batch is empty.
    error GoldTokenEmptyBatch();
    /// @notice Thrown when a bar's serial is zero.
    error GoldTokenInvalidSerial();
    /// @notice Thrown when a bar's refiner is empty.
    error GoldTokenInvalidRefiner(bytes32 serial);
    /// @notice Thrown when a bar's vault is empty.
    error GoldTokenInvalidVault(bytes32 serial);
    /// @notice Thrown when a bar's fine weight is zero or above MAX_BAR_FINE_WEIGHT_MG.
    error GoldTokenInvalidFineWeight(bytes32 serial, uint256 fineWeightMg);
    /// @notice Thrown when a bar's fineness is outside MIN_FINENESS..MAX_FINENESS (parts per 10,000).
    error GoldTokenInvalidFineness(bytes32 serial, uint256 fineness);
    /// @notice Thrown when registering a serial that is in the vault or allocated.
    error GoldTokenBarExists(bytes32 serial, BarStatus status);
    /// @notice Thrown when a bar that must be in the vault is not (status None means unknown serial).
    error GoldTokenBarNotInVault(bytes32 serial, BarStatus status);
    /// @notice Thrown when releasing a bar that is not allocated to a holder.
    error GoldTokenBarNotAllocated(bytes32 serial, BarStatus status);
    /// @notice Thrown when freezing a frozen wallet or unfreezing one that is not frozen.
    error GoldTokenFreezeUnchanged(address account, bool frozen);

    /* CUSTODIAN */

    /// @notice Registers a bar in the vault and mints exactly its fine weight in tokens to `bar.recipient`.
    /// A serial that was released from custody may be registered again (the bar came back to the vault).
    /// @dev Requirements: caller has CUSTODIAN_ROLE; not paused; serial, refiner and vault non-zero;
    /// `0 < fineWeightMg <= MAX_BAR_FINE_WEIGHT_MG`; `MIN_FINENESS <= fineness <= MAX_FINENESS`; the serial unknown
    /// or released; the recipient permitted and not frozen. Emits {IERC20-Transfer} and {BarAdded}.
    /// @param bar The bar and the recipient of its tokens.
    function addBar(BarInput calldata bar) external;

    /// @notice Registers many bars, each as {addBar} (all or nothing).
    /// @dev Requirements as {addBar} for each; non-empty; no serial twice. Emits {IERC20-Transfer} and {BarAdded}
    /// per bar.
    /// @param bars The bars.
    function addBars(BarInput[] calldata bars) external;

    /// @notice Takes a bar in the vault out of the backing (e.g. back to the central bank's own reserve): burns its
    /// fine weight from the caller's tokens; the bar becomes Released.
    /// @dev Requirements: caller has CUSTODIAN_ROLE, is permitted and not frozen, and holds at least the bar's fine
    /// weight; not paused; the bar InVault. Emits {IERC20-Transfer} to zero and {BarRemoved}.
    /// @param serial The bar's serial.
    function removeBar(bytes32 serial) external;

    /// @notice Records that a bar allocated by a redemption was delivered to its holder: Allocated → Released.
    /// Moves no tokens, so it works while paused.
    /// @dev Requirements: caller has CUSTODIAN_ROLE; the bar Allocated. Emits {BarReleased}.
    /// @param serial The bar's serial.
    function releaseBar(bytes32 serial) external;

    /* HOLDERS */

    /// @notice Redeems one whole bar for physical delivery: burns exactly its fine weight from the caller's tokens
    /// and allocates that bar to the caller. Holdings smaller than a bar are sold for tenge at the desk instead.
    /// @dev Requirements: not paused; caller permitted, not frozen, with at least the bar's fine weight; the bar
    /// InVault. Emits {IERC20-Transfer} to zero and {BarRedeemed}.
    /// @param serial The bar's serial.
    function redeemBar(bytes32 serial) external;

    /* PARTICIPANTS */

    /// @notice Reads `account`'s status in the digital tenge and records it: permitted when onboarded there and not
    /// frozen there. Anyone may call it; it is how a new tenge participant becomes a gold participant, and how an
    /// offboarded or frozen one loses that.
    /// @dev Emits {ParticipantSynced} when the permission changes.
    /// @param account The wallet.
    /// @return permitted The permission now recorded.
    function syncParticipant(address account) external returns (bool permitted);

    /// @notice {syncParticipant} for many wallets.
    /// @dev Requirements: non-empty. Emits {ParticipantSynced} per wallet whose permission changes.
    /// @param accounts The wallets.
    function syncParticipants(address[] calldata accounts) external;

    /* COMPLIANCE */

    /// @notice Freezes a wallet in the gold token: it can neither send, receive, nor redeem. Allowed while paused.
    /// Independent of the tenge's freeze.
    /// @dev Requirements: caller has COMPLIANCE_ROLE; `account` non-zero and not frozen. Emits {AccountFrozen}.
    /// @param account The wallet.
    /// @param reason Reason code (e.g. a hash of the court order's number).
    function freeze(address account, bytes32 reason) external;

    /// @notice Lifts a wallet's freeze in the gold token.
    /// @dev Requirements: caller has COMPLIANCE_ROLE; `account` frozen. Emits {AccountUnfrozen}.
    /// @param account The wallet.
    /// @param reason Reason code.
    function unfreeze(address account, bytes32 reason) external;

    /* PAUSE */

    /// @notice Stops every movement of tokens: transfers, signed transfers, bar registration, removal and
    /// redemption. Releasing delivered bars, syncing, freezing and roles go on.
    /// @dev Requirements: caller has PAUSER_ROLE; not paused. Emits {PackedERC20-Paused}.
    function pause() external;

    /// @notice Lifts the pause.
    /// @dev Requirements: caller has PAUSER_ROLE; paused. Emits {PackedERC20-Unpaused}.
    function unpause() external;

    /* VIEWS */

    /// @notice The digital tenge whose participant registry this token follows.
    /// @return The tenge proxy's address.
    function tenge() external view returns (address);

    /// @notice A bar's record; all zero (status None) for an unknown serial.
    /// @param serial The bar's serial.
    /// @return The record.
    function barOf(bytes32 serial) external view returns (BarView memory);

    /// @notice Bars ever registered, in registration order, from `start`, at most `limit` of them.
    /// @param start Index of the first bar (0-based).
    /// @param limit Most bars to return.
    /// @return page The records; shorter than `limit` at the end of the list, empty past it.
    function barsPage(uint256 start, uint256 limit) external view returns (BarView[] memory page);

    /// @notice The backing as the contract counts it.
    /// @return Supply, Σ fine weight in vault, and bar counts.
    function backing() external view returns (BackingView memory);

    /// @notice Whether `account` is a permitted participant (as last synced from the tenge).
    /// @param account The wallet.
    /// @return True when permitted.
    function isPermitted(address account) external view returns (bool);

    /// @notice Whether compliance froze `account` in the gold token.
    /// @param account The wallet.
    /// @return True when frozen.
    function isFrozen(address account) external view returns (bool);
}
