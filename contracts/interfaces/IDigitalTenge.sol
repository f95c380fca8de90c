// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IDigitalTengeBase} from "./IDigitalTengeBase.sol";

/// @title IDigitalTenge
/// @notice Central-bank, bank, compliance and holder API of the permissioned digital tenge (two-tier retail CBDC).
/// Amounts are in tiyn (2 decimals: 1 tenge = 100 tiyn).
/// @dev The token is also ERC-20, ERC-1363, EIP-2612, EIP-3009 and EIP-5267; those interfaces document themselves.
interface IDigitalTenge is IDigitalTengeBase {
    /* CENTRAL BANK */

    /// @notice Admits `bank` as an issuing commercial bank with an issuance ceiling backed by its reserves.
    /// @dev Requirements: caller has CENTRAL_BANK_ROLE; `bank` non-zero and not registered. Emits {BankRegistered}.
    /// @param bank The bank's operating address.
    /// @param ceiling Most tenge (tiyn) the bank may have outstanding.
    function registerBank(address bank, uint256 ceiling) external;

    /// @notice Sets a bank's issuance ceiling. A ceiling below the outstanding amount stops new issuance until
    /// redemptions bring it back under.
    /// @dev Requirements: caller has CENTRAL_BANK_ROLE; `bank` registered; `ceiling <= MAX_SUPPLY`.
    /// Emits {IssuanceCeilingSet}.
    /// @param bank The bank.
    /// @param ceiling New ceiling in tiyn.
    function setIssuanceCeiling(address bank, uint256 ceiling) external;

    /// @notice Suspends or resumes one bank's issuance. Its customers keep transacting.
    /// @dev Requirements: caller has CENTRAL_BANK_ROLE; `bank` registered. Emits {BankIssuanceSuspended}.
    /// @param bank The bank.
    /// @param suspended True to suspend.
    function setBankSuspended(address bank, bool suspended) external;

    /// @notice Sets a KYC tier's holding limit and daily outflow limit. Lowering a limit never takes funds away;
    /// it refuses further credits (or payments) that would exceed it.
    /// @dev Requirements: caller has CENTRAL_BANK_ROLE; `tier <= 3`; both limits whole tenge (multiples of 100 tiyn)
    /// and at most 2,147,483,647 tenge. Emits {TierLimitsSet}.
    /// @param tier The tier, 0-3.
    /// @param holdingLimit Most a wallet of this tier may hold, in tiyn.
    /// @param dailyLimit Most a wallet of this tier may pay out per day (Almaty time), in tiyn.
    function setTierLimits(uint8 tier, uint256 holdingLimit, uint256 dailyLimit) external;

    /// @notice Onboards an institution (treasury, a bank's own wallet, a contract of this suite): managed by the
    /// central bank and exempt from tier limits.
    /// @dev Requirements: caller has CENTRAL_BANK_ROLE; `account` non-zero and not onboarded. Emits {AccountOnboarded}.
    /// @param account The institution's wallet.
    function onboardInstitution(address account) external;

    /// @notice Exempts a wallet from tier limits, or revokes the exemption. Payments made while exempt are not
    /// counted as outflow, so a wallet whose exemption is revoked starts the day's count from what it paid since.
    /// @dev Requirements: caller has CENTRAL_BANK_ROLE; `account` onboarded. Emits {ExemptionSet}.
    /// @param account The wallet.
    /// @param exempt True to exempt.
    function setExempt(address account, bool exempt) external;

    /* BANKS */

    /// @notice Onboards the caller bank's customer with a KYC tier. Identity stays with the bank.
    /// @dev Requirements: caller is a registered bank; `account` non-zero and not onboarded; `tier <= 3`.
    /// Emits {AccountOnboarded}.
    /// @param account The customer's wallet.
    /// @param tier KYC tier, 0-3.
    function onboard(address account, uint8 tier) external;

    /// @notice Onboards many customers of the caller bank with the same tier.
    /// @dev Requirements as {onboard} for each wallet; non-empty. Emits {AccountOnboarded} per wallet.
    /// @param accounts The customers' wallets.
    /// @param tier KYC tier, 0-3.
    function onboardBatch(address[] calldata accounts, uint8 tier) external;

    /// @notice Offboards a wallet that holds nothing. Banks offboard their customers, the central bank its
    /// institutions.
    /// @dev Requirements: caller manages `account`; balance and frozen amount zero; not frozen.
    /// Emits {AccountOffboarded}.
    /// @param account The wallet.
    function offboard(address account) external;

    /// @notice Changes a wallet's KYC tier.
    /// @dev Requirements: caller manages `account` (its bank, or the central bank for institutions); `tier <= 3`;
    /// the balance within the new tier's holding limit unless exempt. Emits {TierChanged}.
    /// @param account The customer's wallet.
    /// @param tier New tier.
    function setTier(address account, uint8 tier) external;

    /// @notice Issues `amount` to a customer of the caller bank, within the bank's ceiling.
    /// @dev Requirements: not paused; caller a registered, unsuspended bank; `to` its active customer; holding
    /// limit; ceiling; supply cap. Emits {IERC20-Transfer} and {Issued}.
    /// @param to The customer's wallet.
    /// @param amount Tiyn to issue.
    function mint(address to, uint256 amount) external;

    /// @notice Issues to many customers of the caller bank in one transaction (payroll, social payments).
    /// @dev Requirements as {mint} for each pair, checked against the ceiling in total; non-empty; equal lengths.
    /// Emits {IERC20-Transfer} per recipient and one {Issued}.
    /// @param to The customers' wallets.
    /// @param amounts Tiyn for each.
    function mintBatch(address[] calldata to, uint256[] calldata amounts) external;

    /// @notice Moves a lost wallet's balance, frozen state, tier and bank to a fresh replacement wallet; the lost
    /// wallet is offboarded. Allowances and signed authorizations of the lost wallet do not carry over.
    /// @dev Requirements: not paused; caller manages `lost` (its bank, or the central bank for institutions);
    /// `replacement` non-zero and not onboarded.
    /// Emits {IERC20-Transfer}, {AccountOffboarded}, {AccountOnboarded} and {WalletRecovered}.
    /// @param lost The customer's lost wallet.
    /// @param replacement The customer's new wallet.
    function recoverWallet(address lost, address replacement) external;

    /* HOLDERS */

    /// @notice Redeems `amount` for ordinary non-cash tenge at the caller's bank: the tokens are burnt and the bank
    /// credits the account identified by `settlementRef` off-chain. The bank's outstanding issuance falls by
    /// `amount` and may go below zero when its customers redeem tenge other banks issued (settled between banks'
    /// reserve accounts at the central bank).
    /// @dev Requirements: not paused; caller active, with a commercial bank; `amount` non-zero and available.
    /// Emits {IERC20-Transfer} to zero and {Redeemed}.
    /// @param amount Tiyn to redeem.
    /// @param settlementRef The bank's reference for the credit.
    function redeem(uint256 amount, bytes32 settlementRef) external;

    /* COMPLIANCE */

    /// @notice Freezes a whole wallet: it can neither pay nor receive. Allowed while paused.
    /// @dev Requirements: caller has COMPLIANCE_ROLE; `account` onboarded and not frozen. Emits {AccountFrozen}.
    /// @param account The wallet.
    /// @param reason Reason code (e.g. a hash of the court order's number).
    function freeze(address account, bytes32 reason) external;

    /// @notice Lifts a whole-wallet freeze.
    /// @dev Requirements: caller has COMPLIANCE_ROLE; `account` frozen. Emits {AccountUnfrozen}.
    /// @param account The wallet.
    /// @param reason Reason code.
    function unfreeze(address account, bytes32 reason) external;

    /// @notice Freezes `amount` more of a wallet's funds; the frozen amount may exceed the balance, so later
    /// credits are frozen up to it.
    /// @dev Requirements: caller has COMPLIANCE_ROLE; `account` onboarded; `amount` non-zero; the total at most
    /// MAX_SUPPLY. Emits {FrozenAmountChanged}.
    /// @param account The wallet.
    /// @param amount Tiyn to add to the frozen amount.
    /// @param reason Reason code.
    function freezeAmount(address account, uint256 amount, bytes32 reason) external;

    /// @notice Releases `amount` of a wallet's frozen funds.
    /// @dev Requirements: caller has COMPLIANCE_ROLE; `account` onboarded; `0 < amount <= frozen amount`.
    /// Emits {FrozenAmountChanged}.
    /// @param account The wallet.
    /// @param amount Tiyn to release.
    /// @param reason Reason code.
    function unfreezeAmount(address account, uint256 amount, bytes32 reason) external;

    /// @notice Moves funds by force under a court order, frozen funds first; the frozen amount falls by what was
    /// taken from it. Works while paused and on frozen wallets; the destination must be active and within its
    /// holding limit. Not counted as the holder's outflow.
    /// @dev Requirements: caller has SEIZURE_ROLE; `from != to`; `from` onboarded with `amount` in balance;
    /// `amount` non-zero. Emits {IERC20-Transfer} and {Seized}.
    /// @param from The wallet funds are taken from.
    /// @param to The wallet that receives them (e.g. a court deposit account).
    /// @param amount Tiyn.
    /// @param reason Reason code.
    function seize(address from, address to, uint256 amount, bytes32 reason) external;

    /* PAUSE */

    /// @notice Stops all movement of value: transfers, signed transfers, issuance, redemption and recovery.
    /// Compliance, seizure, onboarding and configuration continue.
    /// @dev Requirements: caller has PAUSER_ROLE; not paused. Emits {Paused}.
    function pause() external;

    /// @notice Lifts the pause.
    /// @dev Requirements: caller has PAUSER_ROLE; paused. Emits {Unpaused}.
    function unpause() external;

    /* VIEWS */

    /// @notice Tells whether the token is paused.
    /// @return True when paused.
    function paused() external view returns (bool);

    /// @notice A wallet's full state.
    /// @param account The wallet.
    /// @return The state; all zero when not onboarded.
    function accountOf(address account) external view returns (AccountView memory);

    /// @notice Balance minus frozen funds (zero for a whole-frozen wallet).
    /// @param account The wallet.
    /// @return Tiyn the wallet can pay now, before tier limits.
    function availableBalanceOf(address account) external view returns (uint256);

    /// @notice A bank's issuance state; all zero when not registered.
    /// @param bank The bank's operating address.
    /// @return The state.
    function bankOf(address bank) external view returns (BankView memory);

    /// @notice The operating address of the bank with id `bankId` (0 is the central bank and returns zero).
    /// @param bankId The id.
    /// @return The bank's address.
    function bankById(uint16 bankId) external view returns (address);

    /// @notice Number of registered banks; ids run from 1 to this.
    /// @return The count.
    function bankCount() external view returns (uint16);

    /// @notice A tier's limits in tiyn.
    /// @param tier The tier, 0-3.
    /// @return holdingLimit Most a wallet of this tier may hold.
    /// @return dailyLimit Most it may pay out per day.
    function tierLimits(uint8 tier) external view returns (uint256 holdingLimit, uint256 dailyLimit);
}
