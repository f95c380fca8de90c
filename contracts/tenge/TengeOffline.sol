// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {ITengeOffline} from "../interfaces/ITengeOffline.sol";
import {AccountWord} from "./AccountWord.sol";
import {PolicyWord} from "./PolicyWord.sol";
import {TengeBase} from "./TengeBase.sol";

/// @title TengeOffline
/// @notice Offline payments of the digital tenge, reached through the token's address by delegatecall: batch
/// settlement of payments signed offline, offline purses, cancellation.
/// @dev Runs only by delegatecall from the token (the token's fallback), on the token's storage: the token's
/// ERC-7201 namespaces ({TengeBase}) plus this module's own ({OfflineStorage}). It cannot read the token's
/// immutables, so it asks the token for its EIP-712 domain separator once per call that needs it.
/// Purses are held at the token's own address: its account word's balance field is `Σ purses`, so
/// `totalSupply == Σ balances` keeps holding with the token's address counted as a holder (it is never onboarded,
/// so nothing else can credit or debit it).
/// Hot path (per payment from the balance): one ecrecover, the payer's account word and one nonce word (each one
/// cold read and one warm write), one {IERC20-Transfer} event. Failures are decided by pre-checks that return a
/// reason before anything is written; no try/catch, no revert inside the loop.
/// @custom:oz-upgrades-unsafe-allow constructor
contract TengeOffline is TengeBase, ITengeOffline {
    using AccountWord for uint256;
    using PolicyWord for uint256;

    /* CONSTANTS */

    /// @inheritdoc ITengeOffline
    uint256 public constant OFFLINE_PAYMENT_SIZE = 87;

    /// @inheritdoc ITengeOffline
    bytes32 public constant OFFLINE_PAYMENT_TYPEHASH = keccak256(
        // An EIP-712 type string stays whole, to compare with the spec.
        // solhint-disable-next-line max-line-length
        "OfflinePayment(address payee,uint256 amount,uint256 validAfter,uint256 validBefore,uint256 nonce,bool fromPurse)"
    );

    /// @inheritdoc ITengeOffline
    bytes32 public constant CANCEL_OFFLINE_PAYMENT_TYPEHASH = keccak256(
        "CancelOfflinePayment(address payer,uint256 nonce)"
    );

    /// @dev Largest nonce a record can carry (32 bits) and largest bitmap word index of such nonces.
    uint256 private constant _MAX_NONCE = type(uint32).max;
    uint256 private constant _MAX_WORD_INDEX = _MAX_NONCE >> 8;

    /// @dev secp256k1 order / 2: signatures with a larger s are the malleable twins of low-s ones.
    uint256 private constant _HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    uint256 private constant _MASK_32 = 0xFFFFFFFF;
    uint256 private constant _MASK_40 = 0xFFFFFFFFFF;
    uint256 private constant _MASK_56 = 0xFFFFFFFFFFFFFF;

    /// @dev Purse word, least significant bit first: amount (56 bits, tiyn), validUntil (40 bits), payee (160 bits).
    uint256 private constant _PURSE_UNTIL_SHIFT = 56;
    uint256 private constant _PURSE_PAYEE_SHIFT = 96;
    /// @dev Purse caps word: tier t's cap (56 bits, tiyn) at bit 56 t.
    uint256 private constant _CAP_BITS = 56;

    /* STORAGE */

    /// @custom:storage-location erc7201:digitaltenge.storage.TengeOffline
    struct OfflineStorage {
        /// @dev Tier caps, read only when a purse is reserved.
        uint256 purseCaps;
        /// @dev One word per holder (see _PURSE_*); zero when there is none.
        mapping(address holder => uint256 purse) purses;
        /// @dev Cancelled nonces of payments from the balance, same layout as the used bitmap; read on failures only.
        mapping(address payer => mapping(uint256 wordIndex => uint256 bits)) cancelled;
        /// @dev Used nonces of purse payments, one bitmap per purse period (identified by its validUntil).
        // Prettier keeps a declaration on one line.
        // solhint-disable-next-line max-line-length
        mapping(address holder => mapping(uint256 validUntil => mapping(uint256 wordIndex => uint256 bits))) purseNonces;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.TengeOffline")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _OFFLINE_LOCATION = 0x7e5fbfa9a57925df99da130f0cd10e0529c25fc2ccc7eecbff51e609c2c4aa00;

    /// @dev What every payment of a batch shares, kept in memory to stay clear of the stack limit.
    struct Batch {
        bytes32 domainSeparator;
        address payee;
        uint256 policy;
        uint256 today;
    }

    constructor() {
        _disableInitializers();
    }

    /* SETTLEMENT */

    /// @inheritdoc ITengeOffline
    function settleOfflinePayments(
        address payee,
        bytes calldata payments
    ) external returns (uint256 settled, uint256 total) {
        if (msg.sender != payee) revert TengeOfflineCallerNotPayee(msg.sender, payee);
        uint256 length = payments.length;
        if (length == 0 || length % OFFLINE_PAYMENT_SIZE != 0) {
            revert TengeOfflineMalformedBatch(length, OFFLINE_PAYMENT_SIZE);
        }
        TengeStorage storage $ = _s();
        Batch memory batch = Batch({
            domainSeparator: IERC20Permit(address(this)).DOMAIN_SEPARATOR(),
            payee: payee,
            policy: _policyWhenNotPaused($),
            today: AccountWord.today()
        });
        // A payee that cannot receive refuses the whole batch before any work is done.
        _checkActive(payee, $.accounts[payee]);

        uint256 count = length / OFFLINE_PAYMENT_SIZE;
        uint256 fromPurses;
        uint256 offset;
        assembly {
            offset := payments.offset
        }
        for (uint256 i; i < count; ++i) {
            (bool ok, uint256 amount, bool fromPurse) = _settleOne($, batch, offset + i * OFFLINE_PAYMENT_SIZE, i);
            if (ok) {
                // each amount < 2^64: no overflow for any batch that fits in a block
                unchecked {
                    total += amount;
                    ++settled;
                    if (fromPurse) fromPurses += amount;
                }
            }
        }

        if (fromPurses != 0) {
            unchecked {
                $.accounts[address(this)] -= fromPurses; // the escrow's balance is Σ purses >= what they paid
            }
        }
        if (total != 0) _credit($, batch.policy, payee, total);
        emit OfflineBatchSettled(payee, settled, count - settled, total);
    }

    /* CANCELLATION */

    /// @inheritdoc ITengeOffline
    function cancelOfflinePayment(uint256 nonce) external {
        _cancelOne(msg.sender, nonce);
    }

    /// @inheritdoc ITengeOffline
    function cancelOfflinePaymentWithSignature(address payer, uint256 nonce, bytes32 r, bytes32 yParityAndS) external {
        bytes32 structHash = keccak256(abi.encode(CANCEL_OFFLINE_PAYMENT_TYPEHASH, payer, nonce));
        bytes32 digest = _typedDataHash(IERC20Permit(address(this)).DOMAIN_SEPARATOR(), structHash);
        address signer = _recover(digest, r, yParityAndS);
        if (signer == address(0) || signer != payer) revert TengeOfflineInvalidSignature(payer);
        _cancelOne(payer, nonce);
    }

    /// @inheritdoc ITengeOffline
    function cancelOfflineNonces(uint256 wordIndex, uint256 mask) external {
        if (wordIndex > _MAX_WORD_INDEX) revert TengeOfflineNonceOutOfRange(wordIndex << 8);
        mapping(uint256 => uint256) storage used = _offlineNonces().words[msg.sender];
        uint256 bits = used[wordIndex];
        uint256 fresh = mask & ~bits;
        if (fresh == 0) revert TengeOfflineNothingToCancel(msg.sender, wordIndex, mask);
        used[wordIndex] = bits | fresh;
        _offline().cancelled[msg.sender][wordIndex] |= fresh;
        emit OfflineNoncesCancelled(msg.sender, wordIndex, fresh);
    }

    /* PURSES */

    /// @inheritdoc ITengeOffline
    function reservePurse(uint256 amount, uint256 validUntil, address payee) external {
        TengeStorage storage $ = _s();
        uint256 policy = _policyWhenNotPaused($);
        _checkAmount(amount);
        OfflineStorage storage o = _offline();
        uint256 purse = o.purses[msg.sender];
        uint256 until = (purse >> _PURSE_UNTIL_SHIFT) & _MASK_40;
        if (block.timestamp < until) {
            // In force: a top-up, on the same terms (the merchant's guarantee rests on them).
            address designated = address(uint160(purse >> _PURSE_PAYEE_SHIFT));
            if (validUntil != until || payee != designated) {
                revert TengeOfflinePurseTermsLocked(msg.sender, designated, until);
            }
        } else {
            // A new purse period (any ended remainder carries over): its own nonce bitmap, marked so that its first
            // payment rewrites a non-zero word. validUntil > now >= every earlier period's end: a fresh bitmap.
            if (validUntil <= block.timestamp || validUntil > _MASK_40)
                revert TengeOfflineInvalidValidUntil(validUntil);
            o.purseNonces[msg.sender][validUntil][0] = OFFLINE_NONCE_SENTINEL;
        }
        uint256 newAmount = (purse & _MASK_56) + amount;
        uint256 cap = (o.purseCaps >> (_CAP_BITS * $.accounts[msg.sender].tier())) & _MASK_56;
        if (newAmount > cap) revert TengeOfflinePurseCapExceeded(msg.sender, cap, newAmount);
        // The reservation is the holder's payment (active, available funds, daily outflow); the purse's payments
        // are not counted again.
        _debit($, policy, msg.sender, amount);
        uint256 escrow = $.accounts[address(this)];
        if (escrow & AccountWord.ONBOARDED != 0) revert TengeOfflineEscrowOnboarded(address(this));
        unchecked {
            $.accounts[address(this)] = escrow + amount; // Σ purses <= totalSupply <= MAX_SUPPLY
        }
        o.purses[msg.sender] =
            newAmount |
            (validUntil << _PURSE_UNTIL_SHIFT) |
            (uint256(uint160(payee)) << _PURSE_PAYEE_SHIFT);
        emit IERC20.Transfer(msg.sender, address(this), amount);
        emit OfflinePurseReserved(msg.sender, payee, amount, newAmount, validUntil);
    }

    /// @inheritdoc ITengeOffline
    function releasePurse() external returns (uint256 amount) {
        TengeStorage storage $ = _s();
        uint256 policy = _policyWhenNotPaused($);
        OfflineStorage storage o = _offline();
        uint256 purse = o.purses[msg.sender];
        if (purse == 0) revert TengeOfflineNoPurse(msg.sender);
        uint256 until = (purse >> _PURSE_UNTIL_SHIFT) & _MASK_40;
        if (block.timestamp < until) revert TengeOfflinePurseInForce(msg.sender, until);
        delete o.purses[msg.sender];
        amount = purse & _MASK_56;
        if (amount != 0) {
            unchecked {
                $.accounts[address(this)] -= amount; // the escrow's balance is Σ purses
            }
            _credit($, policy, msg.sender, amount);
            emit IERC20.Transfer(address(this), msg.sender, amount);
        }
        emit OfflinePurseReleased(msg.sender, amount);
    }

    /// @inheritdoc ITengeOffline
    function setOfflinePurseCaps(uint256[4] calldata caps) external onlyRole(CENTRAL_BANK_ROLE) {
        uint256 word;
        for (uint256 tier; tier < PolicyWord.TIER_COUNT; ++tier) {
            if (caps[tier] > _MASK_56) revert TengeOfflineInvalidPurseCap(tier, caps[tier]);
            word |= caps[tier] << (_CAP_BITS * tier);
        }
        _offline().purseCaps = word;
        emit OfflinePurseCapsSet(caps);
    }

    /* VIEWS */

    /// @inheritdoc ITengeOffline
    function offlineNonceStatus(address payer, uint256 nonce) external view returns (OfflineNonceStatus) {
        uint256 bit = 1 << (nonce & 255);
        if (_offlineNonces().words[payer][nonce >> 8] & bit == 0) return OfflineNonceStatus.Unused;
        if (_offline().cancelled[payer][nonce >> 8] & bit != 0) return OfflineNonceStatus.Cancelled;
        return OfflineNonceStatus.Used;
    }

    /// @inheritdoc ITengeOffline
    function offlineNonceBitmap(
        address payer,
        uint256 wordIndex
    ) external view returns (uint256 used, uint256 cancelled) {
        return (_offlineNonces().words[payer][wordIndex], _offline().cancelled[payer][wordIndex]);
    }

    /// @inheritdoc ITengeOffline
    function purseNonceUsed(address holder, uint256 validUntil, uint256 nonce) external view returns (bool) {
        return _offline().purseNonces[holder][validUntil][nonce >> 8] & (1 << (nonce & 255)) != 0;
    }

    /// @inheritdoc ITengeOffline
    function purseOf(address holder) external view returns (Purse memory purse) {
        uint256 word = _offline().purses[holder];
        purse.amount = word & _MASK_56;
        purse.validUntil = (word >> _PURSE_UNTIL_SHIFT) & _MASK_40;
        purse.payee = address(uint160(word >> _PURSE_PAYEE_SHIFT));
        purse.inForce = block.timestamp < purse.validUntil;
    }

    /// @inheritdoc ITengeOffline
    function offlinePurseCaps() external view returns (uint256[4] memory caps) {
        uint256 word = _offline().purseCaps;
        for (uint256 tier; tier < PolicyWord.TIER_COUNT; ++tier) {
            caps[tier] = (word >> (_CAP_BITS * tier)) & _MASK_56;
        }
    }

    /* INTERNAL: ONE PAYMENT */

    /// @dev Settles the record at calldata offset `p` (position `index` in the batch) or reports why it cannot:
    /// emits {IERC20-Transfer} or {OfflinePaymentFailed}. The payee is credited by the caller.
    function _settleOne(
        TengeStorage storage $,
        Batch memory batch,
        uint256 p,
        uint256 index
    ) private returns (bool ok, uint256 amount, bool fromPurse) {
        // head = bytes 0-31 of the record: amount | validAfter | validBefore | nonce | fromPurse | 9 bytes of r
        uint256 head;
        assembly {
            head := calldataload(p)
        }
        amount = head >> 192;
        fromPurse = (head >> 72) & 0xFF != 0;
        (address payer, OfflineFailure reason) = _payer(batch, head, p);
        if (reason == OfflineFailure.None) {
            reason = fromPurse ? _drawPurse(batch, payer, head) : _debitBalance($, batch, payer, head);
        }
        if (reason != OfflineFailure.None) {
            emit OfflinePaymentFailed(batch.payee, index, payer, (head >> 80) & _MASK_32, reason);
            return (false, amount, fromPurse);
        }
        if (fromPurse) emit IERC20.Transfer(address(this), payer, amount);
        emit IERC20.Transfer(payer, batch.payee, amount);
        return (true, amount, fromPurse);
    }

    /// @dev Recovers the payer of a record and checks its validity window. Returns the reason it fails, if any.
    function _payer(
        Batch memory batch,
        uint256 head,
        uint256 p
    ) private view returns (address payer, OfflineFailure reason) {
        uint256 fromPurse = (head >> 72) & 0xFF;
        if (fromPurse > 1) return (address(0), OfflineFailure.BadSignature);
        bytes32 structHash;
        bytes32 typeHash = OFFLINE_PAYMENT_TYPEHASH;
        address payee = batch.payee;
        // keccak256(abi.encode(TYPEHASH, payee, amount, validAfter, validBefore, nonce, fromPurse)) in scratch
        // memory above the free-memory pointer (nothing is allocated per payment).
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, typeHash)
            mstore(add(m, 0x20), payee)
            mstore(add(m, 0x40), shr(192, head))
            mstore(add(m, 0x60), and(shr(152, head), _MASK_40))
            mstore(add(m, 0x80), and(shr(112, head), _MASK_40))
            mstore(add(m, 0xa0), and(shr(80, head), _MASK_32))
            mstore(add(m, 0xc0), fromPurse)
            structHash := keccak256(m, 0xe0)
        }
        bytes32 r;
        bytes32 vs;
        assembly {
            r := calldataload(add(p, 23))
            vs := calldataload(add(p, 55))
        }
        payer = _recover(_typedDataHash(batch.domainSeparator, structHash), r, vs);
        if (payer == address(0)) return (address(0), OfflineFailure.BadSignature);
        if (block.timestamp <= (head >> 152) & _MASK_40) return (payer, OfflineFailure.NotYetValid);
        if (block.timestamp >= (head >> 112) & _MASK_40) return (payer, OfflineFailure.Expired);
        return (payer, OfflineFailure.None);
    }

    /// @dev A payment from the payer's balance: the rules of {_debit} ({_tryDebit}) as reasons instead of reverts.
    /// Writes the payer's word and its nonce bit only when every check passed.
    function _debitBalance(
        TengeStorage storage $,
        Batch memory batch,
        address payer,
        uint256 head
    ) private returns (OfflineFailure) {
        uint256 nonce = (head >> 80) & _MASK_32;
        // Each slot is hashed once and then read and written (Solidity would hash the mapping key twice).
        uint256 nonceSlot = _mappingSlot(_offlineNonces().words[payer], nonce >> 8);
        uint256 bits = _load(nonceSlot);
        uint256 bit = 1 << (nonce & 255);
        if (bits & bit != 0) {
            return
                _offline().cancelled[payer][nonce >> 8] & bit != 0
                    ? OfflineFailure.Cancelled
                    : OfflineFailure.AlreadyUsed;
        }
        uint256 accountSlot = _addressSlot($.accounts, payer);
        (uint256 word, DebitRefusal refusal) = _tryDebit(_load(accountSlot), batch.policy, head >> 192, batch.today);
        if (refusal != DebitRefusal.None) return _offlineReason(refusal);
        _store(accountSlot, word);
        _store(nonceSlot, bits | bit);
        return OfflineFailure.None;
    }

    /// @dev The failure reason a refused debit gives an offline payment. A payer that is not onboarded cannot have
    /// signed a valid payment: the signature recovered to some other address.
    function _offlineReason(DebitRefusal refusal) private pure returns (OfflineFailure) {
        if (refusal == DebitRefusal.NotOnboarded) return OfflineFailure.BadSignature;
        if (refusal == DebitRefusal.Frozen) return OfflineFailure.PayerFrozen;
        if (refusal == DebitRefusal.InsufficientBalance) return OfflineFailure.InsufficientFunds;
        if (refusal == DebitRefusal.FundsFrozen) return OfflineFailure.FundsFrozen;
        return OfflineFailure.DailyLimitExceeded;
    }

    /// @dev A payment from the payer's purse. The payer's wallet is not consulted: the purse left it when reserved
    /// (see the guarantee in {ITengeOffline-reservePurse}).
    function _drawPurse(Batch memory batch, address payer, uint256 head) private returns (OfflineFailure) {
        OfflineStorage storage o = _offline();
        uint256 purseSlot = _addressSlot(o.purses, payer);
        uint256 purse = _load(purseSlot);
        uint256 until = (purse >> _PURSE_UNTIL_SHIFT) & _MASK_40;
        if (block.timestamp >= until) return OfflineFailure.NoPurse;
        address designated = address(uint160(purse >> _PURSE_PAYEE_SHIFT));
        if ((designated != address(0) && designated != batch.payee) || (head >> 112) & _MASK_40 > until) {
            return OfflineFailure.PurseTermsMismatch;
        }
        uint256 nonce = (head >> 80) & _MASK_32;
        uint256 nonceSlot = _mappingSlot(o.purseNonces[payer][until], nonce >> 8);
        uint256 bits = _load(nonceSlot);
        uint256 bit = 1 << (nonce & 255);
        if (bits & bit != 0) return OfflineFailure.AlreadyUsed;
        uint256 amount = head >> 192;
        if (amount > purse & _MASK_56) return OfflineFailure.InsufficientFunds;
        unchecked {
            _store(purseSlot, purse - amount); // amount <= the purse's amount, in its low 56 bits
        }
        _store(nonceSlot, bits | bit);
        return OfflineFailure.None;
    }

    /* INTERNAL: HELPERS */

    function _cancelOne(address payer, uint256 nonce) private {
        if (nonce > _MAX_NONCE) revert TengeOfflineNonceOutOfRange(nonce);
        mapping(uint256 => uint256) storage used = _offlineNonces().words[payer];
        uint256 wordIndex = nonce >> 8;
        uint256 bit = 1 << (nonce & 255);
        uint256 bits = used[wordIndex];
        if (bits & bit != 0) revert TengeOfflineNonceUsed(payer, nonce);
        used[wordIndex] = bits | bit;
        _offline().cancelled[payer][wordIndex] |= bit;
        emit OfflineNoncesCancelled(payer, wordIndex, bit);
    }

    /// @dev EIP-712 digest: keccak256("\x19\x01" ‖ domainSeparator ‖ structHash).
    function _typedDataHash(bytes32 domainSeparator, bytes32 structHash) private pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, hex"1901")
            mstore(add(m, 0x02), domainSeparator)
            mstore(add(m, 0x22), structHash)
            digest := keccak256(m, 0x42)
        }
    }

    /// @dev The signer of `digest` from an EIP-2098 compact signature, or zero when it is malformed, malleable
    /// (s in the upper half of the curve order) or recovers to nothing.
    function _recover(bytes32 digest, bytes32 r, bytes32 vs) private view returns (address signer) {
        uint256 s = uint256(vs) & ~uint256(1 << 255);
        if (s > _HALF_ORDER) return address(0);
        uint256 v = 27 + (uint256(vs) >> 255);
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, digest)
            mstore(add(m, 0x20), v)
            mstore(add(m, 0x40), r)
            mstore(add(m, 0x60), s)
            // ecrecover (precompile 1) returns nothing for an invalid signature
            let ok := staticcall(gas(), 1, m, 0x80, 0x00, 0x20)
            signer := mul(mload(0x00), and(ok, eq(returndatasize(), 0x20)))
        }
    }

    function _offline() private pure returns (OfflineStorage storage $) {
        assembly {
            $.slot := _OFFLINE_LOCATION
        }
    }
}
