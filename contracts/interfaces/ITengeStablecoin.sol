// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ITengeStablecoin
/// @notice A BEP-20/ERC-20 stablecoin backed 1:1 by digital tenge locked in its own contract, for trading on
/// exchanges (BNB Chain, the Kazakhstan Stock Exchange). A permitted tenge holder deposits tenge and receives the
/// stablecoin; a stablecoin holder withdraws tenge to any wallet the tenge's rules allow to receive it. Same
/// decimals as the tenge (2), so one stablecoin unit is backed by exactly one tiyn.
/// @dev Proof of reserves: `locked = tenge.balanceOf(stablecoin)` and `supply = totalSupply()`, both on chain
/// ({reserves}); `locked >= supply` after every operation. The reserve the contract has accounted for is the supply
/// itself: a mint only follows tenge actually received and a burn only precedes tenge paid out, so no separate
/// counter is stored. Tenge that arrives without a deposit is surplus (`locked - supply`), recoverable only by
/// ISSUER_ROLE and never minted to anyone.
/// Deposits and withdrawals are recorded, as OpenZeppelin's ERC20Wrapper records them, by the two tokens' own
/// {IERC20-Transfer} events in one transaction: a deposit by the tenge's `Transfer(payer, stablecoin, amount)` and this
/// token's `Transfer(0, recipient, amount)`, a withdrawal by this token's `Transfer(holder, 0, amount)` and the
/// tenge's `Transfer(stablecoin, to, amount)`. A dedicated event would add 1,858 gas to each, above the issue's budget.
/// Errors of the digital tenge raised while the stablecoin moves tenge are passed through unchanged; the ones a
/// deposit or a withdrawal can meet are declared here, so this ABI decodes them.
interface ITengeStablecoin {
    /* EVENTS */

    /// @notice Emitted when the issuer takes out tenge that backs nothing (sent without a deposit).
    /// @param to The tenge wallet paid.
    /// @param amount Tiyn paid: the whole surplus at that moment.
    event SurplusRecovered(address indexed to, uint256 amount);

    /// @notice Emitted when compliance blacklists an account.
    event Blacklisted(address indexed account);

    /// @notice Emitted when compliance lifts an account's blacklisting.
    event UnBlacklisted(address indexed account);

    /// @notice Emitted when the rescuer returns another token sent to this contract by mistake.
    event TokensRescued(address indexed token, address indexed to, uint256 amount);

    /* ERRORS */

    /// @notice Thrown when an address argument is the zero address.
    error TengeStablecoinZeroAddress();
    /// @notice Thrown when a deposit or withdrawal is for zero tiyn.
    error TengeStablecoinZeroAmount();
    /// @notice Thrown when someone other than the digital tenge calls {onTransferReceived}.
    error TengeStablecoinCallerNotTenge(address caller);
    /// @notice Thrown when the data of a deposit by `transferAndCall` is neither empty nor one ABI-encoded address.
    error TengeStablecoinInvalidDepositData(bytes data);
    /// @notice Thrown when a deposit would mint more than the tenge actually held covers: `locked < supply + amount`
    /// (the underlying credited less than it reported).
    error TengeStablecoinUnbackedDeposit(uint256 locked, uint256 supply, uint256 amount);
    /// @notice Thrown when {deposit} pulled tenge but the stablecoin's tenge balance did not grow.
    error TengeStablecoinNothingReceived(uint256 amount);
    /// @notice Thrown when stablecoin would be minted or sent to the stablecoin contract itself, or tenge withdrawn
    /// to it (the tenge would stay locked and back nothing).
    error TengeStablecoinInvalidRecipient(address recipient);
    /// @notice Thrown when blacklisting an account that is blacklisted already, or lifting one that is not.
    error TengeStablecoinBlacklistUnchanged(address account, bool blacklisted);
    /// @notice Thrown when the digital tenge itself is paused, so no tenge can move in or out.
    error TengeStablecoinUnderlyingPaused();
    /// @notice Thrown when recovering surplus while the tenge held does not exceed the supply.
    error TengeStablecoinNoSurplus(uint256 locked, uint256 supply);
    /// @notice Thrown when the rescuer names the tenge reserve: it leaves only by withdrawal or surplus recovery.
    error TengeStablecoinCannotRescueReserve(address token);

    /* ERRORS OF THE DIGITAL TENGE, PASSED THROUGH */

    /// @notice From the tenge: `account` is not onboarded, so it cannot pay or receive tenge.
    error DigitalTengeNotOnboarded(address account);
    /// @notice From the tenge: `account` is frozen as a whole by the tenge's compliance.
    error DigitalTengeAccountFrozen(address account);
    /// @notice From the tenge: the credit would take `account` above its KYC tier's holding limit.
    error DigitalTengeHoldingLimitExceeded(address account, uint256 limit, uint256 newBalance);
    /// @notice From the tenge: `account`'s tenge balance is below `needed`.
    error DigitalTengeInsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @notice From the tenge: the balance covers `needed` but part of it is frozen.
    error DigitalTengeFundsFrozen(address account, uint256 available, uint256 needed);
    /// @notice From the tenge: the payment would take `account`'s outflow today above its tier's daily limit.
    error DigitalTengeDailyLimitExceeded(address account, uint256 limit, uint256 outflowToday);
    /// @notice From the tenge: the stablecoin's tenge allowance from the payer is too small.
    error DigitalTengeInsufficientAllowance(address spender, uint256 allowance, uint256 needed);

    /* HOLDERS */

    /// @notice Deposits by ERC-1363: the holder calls `tenge.transferAndCall(stablecoin, amount)` to mint to itself,
    /// or `tenge.transferAndCall(stablecoin, amount, abi.encode(recipient))` (a spender: `transferFromAndCall`),
    /// and the tenge calls this after moving the tenge. Mints `value` stablecoin to `from`, or to the address
    /// ABI-encoded in `data`. The cheapest way in: no allowance, one transaction.
    /// @dev Requirements: caller is the digital tenge; not paused; `value` non-zero; `data` empty or one
    /// ABI-encoded address; neither `from`, `operator` nor the recipient blacklisted; recipient not zero and not
    /// this contract; the tenge held covers the supply after the mint (`locked >= supply + value`), so the mint is
    /// for tenge actually received. Emits {IERC20-Transfer} from zero.
    /// @param operator The account that called `transferAndCall` or `transferFromAndCall` on the tenge.
    /// @param from The tenge wallet the tenge came from.
    /// @param value Tiyn received.
    /// @param data Empty (mint to `from`) or `abi.encode(recipient)`.
    /// @return This function's selector, which the tenge requires.
    function onTransferReceived(
        address operator,
        address from,
        uint256 value,
        bytes calldata data
    ) external returns (bytes4);

    /// @notice Deposits by allowance: pulls `amount` tenge from the caller (approve or permit on the tenge first)
    /// and mints to `to` exactly what the stablecoin's tenge balance grew by, never the amount claimed.
    /// @dev Requirements: not paused; `amount` non-zero; caller and `to` not blacklisted; `to` not zero and not this
    /// contract; the tenge's rules for the payment (the caller's available funds and daily limit, allowance).
    /// Emits {IERC20-Transfer} from zero.
    /// @param amount Tiyn to pull.
    /// @param to The account credited with the stablecoin.
    /// @return minted Stablecoin minted (tiyn received).
    function deposit(uint256 amount, address to) external returns (uint256 minted);

    /// @notice Burns `amount` of the caller's stablecoin and pays as much tenge to `to`, which must be a tenge wallet
    /// allowed to receive it: onboarded, not frozen, within its tier's holding limit. When it is not, the tenge's
    /// own error says why ({DigitalTengeNotOnboarded}, {DigitalTengeAccountFrozen},
    /// {DigitalTengeHoldingLimitExceeded}).
    /// @dev Requirements: not paused; tenge not paused; `amount` non-zero and within the caller's balance; caller
    /// and `to` not blacklisted; `to` not this contract. Emits {IERC20-Transfer} to zero (and the tenge its
    /// {IERC20-Transfer} to `to`).
    /// @param amount Tiyn to withdraw.
    /// @param to The tenge wallet to pay (the caller's own, or anyone's).
    function withdraw(uint256 amount, address to) external;

    /* ISSUER */

    /// @notice Pays out the whole surplus, tenge held above the supply (sent without a deposit), to a tenge wallet.
    /// Allowed while paused: the surplus backs no stablecoin.
    /// @dev Requirements: caller has ISSUER_ROLE; surplus non-zero; the tenge's rules for the payment to `to`.
    /// Emits {SurplusRecovered}.
    /// @param to The tenge wallet to pay.
    /// @return amount Tiyn paid.
    function recoverSurplus(address to) external returns (uint256 amount);

    /* COMPLIANCE */

    /// @notice Blacklists an account: it can no longer deposit, withdraw, send, receive, or move stablecoin as a
    /// spender or relayer. The flag shares the account's balance word, so checking it costs no extra storage read.
    /// @dev Requirements: caller has BLACKLISTER_ROLE; `account` not blacklisted. Emits {Blacklisted}.
    /// @param account The account.
    function blacklist(address account) external;

    /// @notice Lifts an account's blacklisting.
    /// @dev Requirements: caller has BLACKLISTER_ROLE; `account` blacklisted. Emits {UnBlacklisted}.
    /// @param account The account.
    function unBlacklist(address account) external;

    /// @notice Stops deposits, withdrawals and every stablecoin transfer (signed ones included).
    /// @dev Requirements: caller has PAUSER_ROLE; not paused. Emits {Paused}.
    function pause() external;

    /// @notice Lifts the pause.
    /// @dev Requirements: caller has PAUSER_ROLE; paused. Emits {Unpaused}.
    function unpause() external;

    /// @notice Sends `amount` of another ERC-20 sent to this contract by mistake to `to`. Never the tenge reserve.
    /// @dev Requirements: caller has RESCUER_ROLE; `token` is not the tenge. Emits {TokensRescued}.
    /// @param token The token.
    /// @param to The recipient.
    /// @param amount Amount in the token's units.
    function rescueERC20(IERC20 token, address to, uint256 amount) external;

    /* VIEWS */

    /// @notice The digital tenge this stablecoin wraps.
    /// @return The tenge's (proxy) address.
    function underlying() external view returns (address);

    /// @notice Proof of reserves, read from chain state: the tenge locked and the stablecoin in circulation.
    /// `locked >= supply` holds after every operation of this contract.
    /// @return locked Tiyn of tenge the stablecoin contract holds (`tenge.balanceOf(stablecoin)`).
    /// @return supply Stablecoin in circulation (`totalSupply()`), each unit backed by one tiyn.
    function reserves() external view returns (uint256 locked, uint256 supply);

    /// @notice Tenge held above the supply (sent without a deposit), recoverable by ISSUER_ROLE.
    /// @return Tiyn; zero when `locked <= supply`.
    function surplus() external view returns (uint256);

    /// @notice Tells whether `account` is blacklisted.
    /// @param account The account.
    /// @return True when blacklisted.
    function isBlacklisted(address account) external view returns (bool);
}
