// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title ITengeOffline
/// @notice Offline payments of the digital tenge: payments a payer signs without a network (EIP-712, the token's
/// domain), handed to a merchant's terminal by QR code or NFC and settled later in batches; offline purses that
/// guarantee a merchant's offline takings; cancellation of unsettled payments. Called at the token's address
/// (every selector the token does not know runs in the TengeOffline module on the token's storage).
/// Amounts are in tiyn (1 tenge = 100 tiyn); times are Unix seconds.
/// @dev The signed message is
/// `OfflinePayment(address payee,uint256 amount,uint256 validAfter,uint256 validBefore,uint256 nonce,bool fromPurse)`
/// in the token's EIP-712 domain (`eip712Domain()` of the token). The payer is not a field: it is the address the
/// signature recovers to. A batch is `bytes` of {OFFLINE_PAYMENT_SIZE}-byte records, one per payment, big-endian,
/// no padding:
///
/// | bytes | field       | width                                                   |
/// |-------|-------------|---------------------------------------------------------|
/// | 0-7   | amount      | uint64, tiyn                                            |
/// | 8-12  | validAfter  | uint40, the payment is valid strictly after it          |
/// | 13-17 | validBefore | uint40, the payment is valid strictly before it         |
/// | 18-21 | nonce       | uint32                                                  |
/// | 22    | fromPurse   | 0x00 from the balance, 0x01 from the purse              |
/// | 23-54 | r           | signature r                                             |
/// | 55-86 | yParityAndS | EIP-2098 compact signature: bit 255 = y parity, low bits s |
///
/// Nonces are Permit2-style bitmaps, 256 per storage word: nonce `n` is bit `n & 255` of word `n >> 8`. Payments
/// from the balance use one bitmap per payer (word 0 is marked when the wallet is onboarded, so its first payment
/// rewrites a non-zero word); payments from a purse use one bitmap per purse period, marked when the purse is
/// reserved. Nonce 255 (bit 255 of word 0, the mark) is never usable in either.
interface ITengeOffline {
    /* TYPES */

    /// @notice Why a payment of a batch did not settle. The batch goes on; the payment changed nothing.
    /// @dev `None` is never reported. Groups: signature (`BadSignature`), validity window (`NotYetValid`,
    /// `Expired`), nonce (`AlreadyUsed`, `Cancelled`), funds (`InsufficientFunds`), policy (`FundsFrozen`,
    /// `PayerFrozen`, `DailyLimitExceeded`), purse (`NoPurse`, `PurseTermsMismatch`).
    enum OfflineFailure {
        None,
        // The signature is malformed or malleable (high s), or it recovers to an address that is not an onboarded
        // wallet: a tampered payment, one signed for another chain, token or payee, or a payer not onboarded.
        BadSignature,
        // Submitted at or before `validAfter`.
        NotYetValid,
        // Submitted at or after `validBefore`.
        Expired,
        // The nonce was used by a payment that settled (or is nonce 255, never usable).
        AlreadyUsed,
        // The payer cancelled the nonce.
        Cancelled,
        // The payer's balance (or its purse's remaining amount, for a purse payment) is below the amount.
        InsufficientFunds,
        // The balance covers the amount but part of it is frozen by compliance.
        FundsFrozen,
        // The payer's whole wallet is frozen.
        PayerFrozen,
        // The payment would take the payer's outflow today above its tier's daily limit.
        DailyLimitExceeded,
        // A purse payment whose payer has no purse in force (none reserved, or expired) or that recovers to an
        // unrelated address (a tampered purse payment).
        NoPurse,
        // A purse payment to a payee other than the purse's designated payee, or valid beyond the purse's
        // `validUntil`.
        PurseTermsMismatch
    }

    /// @notice The state of a payer's nonce for payments from its balance.
    enum OfflineNonceStatus {
        Unused,
        Used,
        Cancelled
    }

    /// @notice A holder's offline purse.
    /// @param amount What is left to draw, in tiyn.
    /// @param validUntil Until when (exclusive) only offline purse payments may draw from it; afterwards the
    /// holder may release the remainder. Zero when there is no purse.
    /// @param payee The only payee its payments may go to; zero for any payee.
    /// @param inForce True while `block.timestamp < validUntil`.
    struct Purse {
        uint256 amount;
        uint256 validUntil;
        address payee;
        bool inForce;
    }

    /* EVENTS */

    /// @notice Emitted for each payment of a batch that did not settle.
    /// @param payee The batch's payee.
    /// @param index The payment's position in the batch, from 0.
    /// @param payer The address the signature recovers to (zero when it recovers to none).
    /// @param nonce The payment's nonce.
    /// @param reason Why it did not settle.
    event OfflinePaymentFailed(
        address indexed payee,
        uint256 index,
        address indexed payer,
        uint256 nonce,
        OfflineFailure reason
    );

    /// @notice Emitted once per batch. Each settled payment also emitted {IERC20-Transfer} from its payer to the
    /// payee (purse payments first from the token's address, which holds the purses, to the payer).
    /// @param payee The payee credited with `total`.
    /// @param settled Payments that settled.
    /// @param failed Payments that did not ({OfflinePaymentFailed} each); `settled + failed` is the batch size.
    /// @param total Tiyn credited to the payee.
    event OfflineBatchSettled(address indexed payee, uint256 settled, uint256 failed, uint256 total);

    /// @notice Emitted when a payer cancels unsettled payments: the nonces `wordIndex * 256 + b` for each bit `b`
    /// set in `mask`.
    event OfflineNoncesCancelled(address indexed payer, uint256 wordIndex, uint256 mask);

    /// @notice Emitted when a holder reserves or tops up its offline purse ({IERC20-Transfer} to the token's
    /// address is emitted too).
    /// @param holder The purse's holder.
    /// @param payee The designated payee, zero for any.
    /// @param added Tiyn moved from the holder's balance into the purse.
    /// @param amount The purse's amount after it.
    /// @param validUntil The purse's end.
    event OfflinePurseReserved(
        address indexed holder,
        address indexed payee,
        uint256 added,
        uint256 amount,
        uint256 validUntil
    );

    /// @notice Emitted when a holder releases an ended purse; `amount` went back to its balance.
    event OfflinePurseReleased(address indexed holder, uint256 amount);

    /// @notice Emitted when the central bank sets the largest purse a wallet of each KYC tier may hold (tiyn).
    event OfflinePurseCapsSet(uint256[4] caps);

    /* ERRORS */

    /// @notice Thrown when a batch is not a whole number of `recordSize`-byte records.
    error TengeOfflineMalformedBatch(uint256 length, uint256 recordSize);
    /// @notice Thrown when someone other than the payee submits a batch.
    error TengeOfflineCallerNotPayee(address caller, address payee);
    /// @notice Thrown when cancelling a nonce that is used or cancelled already.
    error TengeOfflineNonceUsed(address payer, uint256 nonce);
    /// @notice Thrown when cancelling a nonce no payment can carry (above 2^32 - 1).
    error TengeOfflineNonceOutOfRange(uint256 nonce);
    /// @notice Thrown when a cancellation mask names no nonce that is still unused.
    error TengeOfflineNothingToCancel(address payer, uint256 wordIndex, uint256 mask);
    /// @notice Thrown when a signed cancellation is not `payer`'s (wrong key, malformed or malleable signature).
    error TengeOfflineInvalidSignature(address payer);
    /// @notice Thrown when a purse's end is not in the future or does not fit 40 bits.
    error TengeOfflineInvalidValidUntil(uint256 validUntil);
    /// @notice Thrown when a purse would exceed its holder's tier cap.
    /// @param amount The purse's amount the reservation would leave.
    error TengeOfflinePurseCapExceeded(address holder, uint256 cap, uint256 amount);
    /// @notice Thrown when topping up a purse in force with other terms: its payee and end cannot change before it
    /// ends.
    error TengeOfflinePurseTermsLocked(address holder, address payee, uint256 validUntil);
    /// @notice Thrown when releasing a purse before its end.
    error TengeOfflinePurseInForce(address holder, uint256 validUntil);
    /// @notice Thrown when releasing a purse that does not exist.
    error TengeOfflineNoPurse(address holder);
    /// @notice Thrown when a tier's purse cap does not fit 56 bits.
    error TengeOfflineInvalidPurseCap(uint256 tier, uint256 cap);
    /// @notice Thrown when the token's own address, which holds the purses, was onboarded as a wallet.
    error TengeOfflineEscrowOnboarded(address escrow);

    /* SETTLEMENT */

    /// @notice Settles a batch of offline payments to one payee. Each payment settles or is reported in
    /// {OfflinePaymentFailed} with its reason; the rest of the batch goes on. The payee is credited once with the
    /// settled total.
    /// @dev Per payment: the payer is the address the signature recovers to; the payment must be inside its
    /// validity window and its nonce unused and not cancelled. A payment from the balance then follows the rules of
    /// an ordinary payment (payer active, amount within its available funds and its tier's daily limit); one from
    /// the purse needs the payer's purse in force, designated to this payee or to any, ending no earlier than the
    /// payment's `validBefore`, and holding the amount. A failed payment changes nothing (its nonce stays usable).
    /// Requirements: caller is `payee`; `payments` a non-empty whole number of records; not paused; the payee active
    /// and, after the credit, within its holding limit (otherwise the whole batch reverts).
    /// Emits {IERC20-Transfer} per settled payment (two for a purse payment), {OfflinePaymentFailed} per failed
    /// one, and {OfflineBatchSettled}.
    /// @param payee The payee of every payment of the batch (the merchant).
    /// @param payments The packed records (see the interface's layout).
    /// @return settled How many payments settled.
    /// @return total Tiyn credited to the payee.
    function settleOfflinePayments(
        address payee,
        bytes calldata payments
    ) external returns (uint256 settled, uint256 total);

    /* CANCELLATION */

    /// @notice Cancels one of the caller's unsettled offline payments from its balance (purse payments cannot be
    /// cancelled: the purse's end bounds them).
    /// @dev Requirements: `nonce <= 2^32 - 1`, neither used nor cancelled. Allowed while paused.
    /// Emits {OfflineNoncesCancelled}.
    /// @param nonce The payment's nonce.
    function cancelOfflinePayment(uint256 nonce) external;

    /// @notice Cancels `payer`'s unsettled offline payment with the payer's signature, submitted by anyone.
    /// @dev The payer signs `CancelOfflinePayment(address payer,uint256 nonce)` in the token's EIP-712 domain.
    /// Requirements as {cancelOfflinePayment}; the signature is `payer`'s, low-s. Emits {OfflineNoncesCancelled}.
    /// @param payer The payer.
    /// @param nonce The payment's nonce.
    /// @param r Signature r.
    /// @param yParityAndS EIP-2098 compact signature: y parity in bit 255, s below.
    function cancelOfflinePaymentWithSignature(address payer, uint256 nonce, bytes32 r, bytes32 yParityAndS) external;

    /// @notice Cancels many of the caller's unsettled payments at once (a lost device): the nonces
    /// `wordIndex * 256 + b` for each bit `b` of `mask`; nonces already used or cancelled are left as they are.
    /// @dev Requirements: `wordIndex < 2^24`; at least one named nonce unused. Emits {OfflineNoncesCancelled} with
    /// the nonces it cancelled.
    /// @param wordIndex Which 256 nonces.
    /// @param mask Which of them.
    function cancelOfflineNonces(uint256 wordIndex, uint256 mask) external;

    /* PURSES */

    /// @notice Moves `amount` of the caller's balance into its offline purse, from which only offline purse payments
    /// to `payee` (or to anyone when zero) can draw until `validUntil`.
    /// @dev The merchant's guarantee: while the purse is in force its holder cannot release it, change its payee or
    /// end, or spend its nonces otherwise; only the designated payee can draw from a designated purse; so every
    /// purse payment the payee accepted (distinct nonces, ending no later than `validUntil`, in total within the
    /// amount) settles when submitted inside its window while the token is not paused and the payee can be credited
    /// — whatever the payer does meanwhile, frozen or not (docs/offline.md).
    /// A new purse (none in force) takes the given terms and any ended remainder; a purse in force is topped up
    /// and must be given its own terms again. The reservation is a payment of the holder: active, available funds,
    /// daily outflow limit. The purse counts toward no holding limit.
    /// Requirements: not paused; `amount` in 1..MAX_SUPPLY; a new purse's `validUntil` in the future and below 2^40;
    /// the purse after it within the cap of the holder's tier. Emits {IERC20-Transfer} (holder → token address) and
    /// {OfflinePurseReserved}.
    /// @param amount Tiyn to add.
    /// @param validUntil The purse's end (Unix seconds, exclusive).
    /// @param payee The designated payee, or zero for any.
    function reservePurse(uint256 amount, uint256 validUntil, address payee) external;

    /// @notice Returns what is left of the caller's ended purse to its balance and removes the purse.
    /// @dev Requirements: not paused; a purse exists and `block.timestamp >= validUntil`; the holder active and
    /// within its holding limit after the credit. Emits {IERC20-Transfer} (token address → holder) when something is
    /// left, and {OfflinePurseReleased}.
    /// @return amount Tiyn returned.
    function releasePurse() external returns (uint256 amount);

    /// @notice Sets the largest purse a wallet of each KYC tier may hold; zero disables purses for the tier.
    /// Existing purses are not affected.
    /// @dev Requirements: caller has CENTRAL_BANK_ROLE; each cap below 2^56. Emits {OfflinePurseCapsSet}.
    /// @param caps Caps in tiyn for tiers 0-3.
    function setOfflinePurseCaps(uint256[4] calldata caps) external;

    /* VIEWS */

    /// @notice The size in bytes of one payment record of a batch (87).
    /// @return The size.
    // solhint-disable-next-line func-name-mixedcase
    function OFFLINE_PAYMENT_SIZE() external view returns (uint256);

    /// @notice EIP-712 type hash of an offline payment.
    /// @return keccak256 of `OfflinePayment(address payee,uint256 amount,uint256 validAfter,uint256 validBefore,
    /// uint256 nonce,bool fromPurse)`.
    // solhint-disable-next-line func-name-mixedcase
    function OFFLINE_PAYMENT_TYPEHASH() external view returns (bytes32);

    /// @notice EIP-712 type hash of a signed cancellation.
    /// @return keccak256 of `CancelOfflinePayment(address payer,uint256 nonce)`.
    // solhint-disable-next-line func-name-mixedcase
    function CANCEL_OFFLINE_PAYMENT_TYPEHASH() external view returns (bytes32);

    /// @notice Whether a payer's nonce for payments from its balance is unused, used or cancelled.
    /// @param payer The payer.
    /// @param nonce The nonce.
    /// @return The status; nonce 255 of an onboarded wallet reads as used.
    function offlineNonceStatus(address payer, uint256 nonce) external view returns (OfflineNonceStatus);

    /// @notice One word of a payer's nonce bitmaps for payments from its balance.
    /// @param payer The payer.
    /// @param wordIndex Nonces `wordIndex * 256` to `wordIndex * 256 + 255`.
    /// @return used Bits of used or cancelled nonces.
    /// @return cancelled Bits of cancelled nonces.
    function offlineNonceBitmap(
        address payer,
        uint256 wordIndex
    ) external view returns (uint256 used, uint256 cancelled);

    /// @notice Whether a purse payment's nonce was used in the purse period ending at `validUntil`.
    /// @param holder The purse's holder.
    /// @param validUntil The purse's end, which identifies the period.
    /// @param nonce The nonce.
    /// @return True when used (nonce 255 of a reserved period reads as used).
    function purseNonceUsed(address holder, uint256 validUntil, uint256 nonce) external view returns (bool);

    /// @notice A holder's offline purse.
    /// @param holder The holder.
    /// @return The purse (all zero when there is none).
    function purseOf(address holder) external view returns (Purse memory);

    /// @notice The largest purse of each KYC tier, in tiyn.
    /// @return caps Tiers 0-3.
    function offlinePurseCaps() external view returns (uint256[4] memory caps);
}
