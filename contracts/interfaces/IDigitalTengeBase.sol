// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title IDigitalTengeBase
/// @notice Types, events and errors of the digital tenge, shared by the token and its admin module.
interface IDigitalTengeBase {
    /* TYPES */

    /// @notice One wallet's state as the token sees it.
    struct AccountView {
        bool onboarded;
        bool frozen;
        bool exempt;
        uint8 tier;
        uint16 bankId;
        address bank;
        uint256 balance;
        uint256 frozenAmount;
        uint256 available;
        uint256 spentToday;
        uint256 dailyRemaining;
    }

    /// @notice One commercial bank's issuance state.
    struct BankView {
        uint16 id;
        bool suspended;
        uint256 ceiling;
        int256 outstanding;
        uint256 remaining;
    }

    /* EVENTS */

    /// @notice Emitted when the central bank admits a commercial bank as an issuer.
    event BankRegistered(address indexed bank, uint16 indexed bankId, uint256 ceiling);
    /// @notice Emitted when the central bank changes a bank's issuance ceiling.
    event IssuanceCeilingSet(address indexed bank, uint256 previousCeiling, uint256 newCeiling);
    /// @notice Emitted when the central bank suspends or resumes a bank's issuance.
    event BankIssuanceSuspended(address indexed bank, bool suspended);
    /// @notice Emitted when the central bank sets a KYC tier's limits (tiyn).
    event TierLimitsSet(uint8 indexed tier, uint256 holdingLimit, uint256 dailyLimit);
    /// @notice Emitted when a wallet is onboarded; `bank` is the zero address for institutions onboarded by the
    /// central bank.
    event AccountOnboarded(address indexed account, address indexed bank, uint8 tier, bool exempt);
    /// @notice Emitted when a wallet with no funds is offboarded.
    event AccountOffboarded(address indexed account, address indexed bank);
    /// @notice Emitted when a bank changes a customer's KYC tier.
    event TierChanged(address indexed account, uint8 previousTier, uint8 newTier);
    /// @notice Emitted when the central bank exempts a wallet from tier limits or revokes the exemption.
    event ExemptionSet(address indexed account, bool exempt);
    /// @notice Emitted once per mint or batch mint: `bank` issued `total` tiyn to `recipients` wallets.
    event Issued(address indexed bank, uint256 recipients, uint256 total);
    /// @notice Emitted when a holder redeems tenge for non-cash money at its bank. `settlementRef` is the bank's
    /// reference for crediting the holder's ordinary account (no personal data).
    event Redeemed(address indexed holder, address indexed bank, uint256 amount, bytes32 indexed settlementRef);
    /// @notice Emitted when compliance freezes a whole wallet.
    event AccountFrozen(address indexed account, bytes32 indexed reason);
    /// @notice Emitted when compliance lifts a whole-wallet freeze.
    event AccountUnfrozen(address indexed account, bytes32 indexed reason);
    /// @notice Emitted when compliance changes the frozen part of a wallet's balance.
    event FrozenAmountChanged(
        address indexed account,
        uint256 previousAmount,
        uint256 newAmount,
        bytes32 indexed reason
    );
    /// @notice Emitted when funds are moved by force (court order). A {IERC20-Transfer} is emitted too.
    event Seized(address indexed from, address indexed to, uint256 amount, bytes32 indexed reason);
    /// @notice Emitted when a bank moves a lost wallet's balance and status to a replacement wallet.
    event WalletRecovered(address indexed lost, address indexed replacement, address indexed bank, uint256 balance);
    /// @notice Emitted when the token is paused.
    event Paused(address account);
    /// @notice Emitted when the token is unpaused.
    event Unpaused(address account);

    /* ERRORS */

    /// @notice Thrown when value would move while the token is paused.
    error EnforcedPause();
    /// @notice Thrown when unpausing a token that is not paused.
    error ExpectedPause();
    /// @notice Thrown when `account` is not onboarded.
    error DigitalTengeNotOnboarded(address account);
    /// @notice Thrown when onboarding a wallet that is already onboarded.
    error DigitalTengeAlreadyOnboarded(address account);
    /// @notice Thrown when `account` is frozen as a whole.
    error DigitalTengeAccountFrozen(address account);
    /// @notice Thrown when freezing a wallet that is frozen already, or unfreezing one that is not.
    error DigitalTengeFreezeUnchanged(address account, bool frozen);
    /// @notice Thrown when `account`'s balance is below `needed`.
    error DigitalTengeInsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @notice Thrown when the balance covers `needed` but part of it is frozen.
    error DigitalTengeFundsFrozen(address account, uint256 available, uint256 needed);
    /// @notice Thrown when a credit would take `account` above its tier's holding limit.
    error DigitalTengeHoldingLimitExceeded(address account, uint256 limit, uint256 newBalance);
    /// @notice Thrown when a payment would take `account`'s outflow today above its tier's daily limit.
    /// @param outflowToday What the wallet would have paid out today, this payment included.
    error DigitalTengeDailyLimitExceeded(address account, uint256 limit, uint256 outflowToday);
    /// @notice Thrown when the caller is not a registered bank.
    error DigitalTengeNotBank(address caller);
    /// @notice Thrown when the caller does not manage `account`: a bank manages only its own customers, the
    /// central bank only the institutions it onboarded.
    error DigitalTengeNotAccountManager(address caller, address account);
    /// @notice Thrown when registering a bank twice.
    error DigitalTengeBankAlreadyRegistered(address bank);
    /// @notice Thrown when no more bank ids are left (65,535 banks).
    error DigitalTengeTooManyBanks();
    /// @notice Thrown when a suspended bank tries to issue.
    error DigitalTengeBankSuspended(address bank);
    /// @notice Thrown when a bank's issuance would exceed its ceiling.
    error DigitalTengeCeilingExceeded(address bank, uint256 remaining, uint256 needed);
    /// @notice Thrown when total supply would exceed MAX_SUPPLY.
    error DigitalTengeSupplyCapExceeded(uint256 cap, uint256 newSupply);
    /// @notice Thrown when a tier is not 0-3.
    error DigitalTengeInvalidTier(uint256 tier);
    /// @notice Thrown when a tier limit is not a whole number of tenge or exceeds the maximum.
    error DigitalTengeInvalidLimit(uint256 limit);
    /// @notice Thrown when an amount is zero or above MAX_SUPPLY.
    error DigitalTengeInvalidAmount(uint256 amount);
    /// @notice Thrown when an address argument is the zero address.
    error DigitalTengeZeroAddress();
    /// @notice Thrown when batch arrays differ in length.
    error DigitalTengeLengthMismatch(uint256 accounts, uint256 amounts);
    /// @notice Thrown when a batch is empty.
    error DigitalTengeEmptyBatch();
    /// @notice Thrown when offboarding a wallet that still holds or has frozen funds.
    error DigitalTengeAccountNotEmpty(address account, uint256 balance, uint256 frozenAmount);
    /// @notice Thrown when unfreezing more than is frozen.
    error DigitalTengeUnfreezeExceedsFrozen(address account, uint256 frozenAmount, uint256 requested);
    /// @notice Thrown when a seizure names the same wallet as source and destination.
    error DigitalTengeSelfSeizure(address account);
    /// @notice Thrown when a holder without a commercial bank (an institution) tries to redeem.
    error DigitalTengeNoRedeemingBank(address holder);
    /// @notice Thrown when an allowance is too small.
    error DigitalTengeInsufficientAllowance(address spender, uint256 allowance, uint256 needed);
}
