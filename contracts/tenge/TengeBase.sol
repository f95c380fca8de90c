// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IDigitalTengeBase} from "../interfaces/IDigitalTengeBase.sol";
import {ITengeVatBase} from "../interfaces/ITengeVatBase.sol";
import {InvoiceWord} from "./InvoiceWord.sol";
import {VatMath} from "./VatMath.sol";
import {AccountWord} from "./AccountWord.sol";
import {PolicyWord} from "./PolicyWord.sol";

/// @title TengeBase
/// @notice What the digital tenge and its admin module share: roles, ERC-7201 namespaced storage, and the rules
/// both apply (activity, availability, management, crediting within limits).
/// @dev If you extend this: never reorder or remove fields of {TengeStorage}; append only. Every wallet's whole
/// state is one word of `accounts` (see {AccountWord}); the global policy is the single word `policy`
/// (see {PolicyWord}). Invariant: `totalSupply == Σ balances <= MAX_SUPPLY`.
abstract contract TengeBase is IDigitalTengeBase, ITengeVatBase, AccessControlUpgradeable {
    using AccountWord for uint256;
    using PolicyWord for uint256;
    using InvoiceWord for uint256;

    /* ROLES */

    /// @notice The central bank's issuance desk.
    bytes32 public constant CENTRAL_BANK_ROLE = keccak256("CENTRAL_BANK_ROLE");
    /// @notice May pause and unpause the token.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice The compliance officer: freezes wallets and funds.
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    /// @notice The enforcement officer: seizes funds under court orders.
    bytes32 public constant SEIZURE_ROLE = keccak256("SEIZURE_ROLE");

    /// @notice The tax authority: VAT registry, rates and the budget wallet.
    bytes32 public constant TAX_AUTHORITY_ROLE = keccak256("TAX_AUTHORITY_ROLE");

    /// @notice Pseudo-holder of all marked VAT, so ERC-20 tooling sees `Σ balanceOf == totalSupply`: a VAT leg is a
    /// `Transfer` to it, VAT paid to the budget or refunded a `Transfer` from it. Nobody holds its key.
    address public constant VAT_LEDGER = address(uint160(uint256(keccak256("digitaltenge.vat.marked-ledger"))));

    /// @notice Total supply cap in tiyn (2^64 - 1, about 1.8e17 tenge): keeps every balance inside its 64-bit field.
    uint256 public constant MAX_SUPPLY = type(uint64).max;

    /// @dev A commercial bank's issuance record, one slot.
    struct Bank {
        uint16 id;
        bool suspended;
        uint64 ceiling;
        int96 outstanding; // minted - redeemed through this bank; negative when its customers redeem others' issuance
    }

    /// @custom:storage-location erc7201:digitaltenge.storage.DigitalTenge
    struct TengeStorage {
        uint256 policy;
        uint256 totalSupply;
        mapping(address account => uint256 word) accounts;
        mapping(address owner => mapping(address spender => uint256 amount)) allowances;
        mapping(address bank => Bank record) banks;
        mapping(uint16 bankId => address bank) bankAddresses;
        uint16 bankCount;
    }

    /// @dev Offline-payment nonces: bit `n & 255` of word `n >> 8` of a payer's bitmap marks nonce `n` used
    /// (Permit2-style, 256 per slot). Bit 255 of word 0 is set when a wallet is onboarded, so that its first offline
    /// payment rewrites a non-zero word (5,000 gas) instead of creating one (22,100): nonce 255 is never usable.
    /// @custom:storage-location erc7201:digitaltenge.storage.OfflineNonces
    struct OfflineNonceStorage {
        mapping(address payer => mapping(uint256 wordIndex => uint256 bits)) words;
    }

    uint256 internal constant OFFLINE_NONCE_SENTINEL = 1 << 255;

    /// @dev VAT state. `config` packs the rate schedule and the marked-VAT total (see {InvoiceWord}); `totals` packs
    /// VAT paid to the budget (bits 0-63), offset as input VAT (64-127) and refunded (128-191), all tiyn.
    /// @custom:storage-location erc7201:digitaltenge.storage.Vat
    struct VatStorage {
        uint256 config;
        uint256 totals;
        address budget;
        mapping(address account => VatPayer payer) payers;
        mapping(address merchant => mapping(bytes32 invoiceRef => uint256 word)) invoices;
        mapping(address merchant => mapping(bytes32 invoiceRef => uint256 gross)) refunded;
    }

    /// @dev A VAT payer's registration: a hash of its taxpayer identifier (never the identifier) and the category
    /// its invoices use by default.
    struct VatPayer {
        bytes32 taxpayerIdHash;
        VatCategory defaultCategory;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.Vat")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _VAT_LOCATION = 0xcb61d6956c5e8bfcced48230e5969bc879c811ea20572ea2644f3dee84787e00;

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.OfflineNonces")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _OFFLINE_NONCES_LOCATION =
        0xc5d99de2c63fdb9903fd3d4d9318a47e0c8b91a97a43127c738dc109f97e1f00;

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.DigitalTenge")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_LOCATION = 0x73b3186d8ea59f97b32c061dbdbe41a06292552fdb710d7900b3f47486030400;

    function _s() internal pure returns (TengeStorage storage $) {
        assembly {
            $.slot := _STORAGE_LOCATION
        }
    }

    function _offlineNonces() internal pure returns (OfflineNonceStorage storage $) {
        assembly {
            $.slot := _OFFLINE_NONCES_LOCATION
        }
    }

    /// @dev Writes the sentinel into `account`'s first offline nonce word unless something is there already.
    function _markOfflineNonceWord(address account) internal {
        mapping(uint256 => uint256) storage words = _offlineNonces().words[account];
        if (words[0] == 0) words[0] = OFFLINE_NONCE_SENTINEL;
    }

    function _vat() internal pure returns (VatStorage storage $) {
        assembly {
            $.slot := _VAT_LOCATION
        }
    }

    /* RAW SLOTS: hot paths that read and write one mapping entry hash its key once (`m[k] = f(m[k])` in Solidity
       hashes it twice). */

    /// @dev The storage slot of `map[key]` (Solidity's layout: keccak256(key ‖ map's slot)).
    function _mappingSlot(mapping(uint256 => uint256) storage map, uint256 key) internal pure returns (uint256 slot) {
        assembly ("memory-safe") {
            mstore(0x00, key)
            mstore(0x20, map.slot)
            slot := keccak256(0x00, 0x40)
        }
    }

    /// @dev The storage slot of `map[key]` for an address-keyed mapping.
    function _addressSlot(mapping(address => uint256) storage map, address key) internal pure returns (uint256 slot) {
        assembly ("memory-safe") {
            mstore(0x00, key)
            mstore(0x20, map.slot)
            slot := keccak256(0x00, 0x40)
        }
    }

    function _load(uint256 slot) internal view returns (uint256 value) {
        assembly {
            value := sload(slot)
        }
    }

    function _store(uint256 slot, uint256 value) internal {
        assembly {
            sstore(slot, value)
        }
    }

    /* SHARED RULES */

    /// @dev Why a payment out of a wallet is refused, in the order {_tryDebit} checks the rules. {_debit} reverts with
    /// the matching custom error; offline settlement reports it as the payment's failure reason.
    enum DebitRefusal {
        None,
        NotOnboarded,
        Frozen,
        InsufficientBalance,
        FundsFrozen,
        DailyLimitExceeded
    }

    /// @dev Takes `value` from an active wallet's available funds and counts it against its daily outflow.
    function _debit(TengeStorage storage $, uint256 policy, address from, uint256 value) internal {
        uint256 slot = _addressSlot($.accounts, from);
        uint256 word = _load(slot);
        uint256 today = AccountWord.today();
        (uint256 debited, DebitRefusal refusal) = _tryDebit(word, policy, value, today);
        if (refusal != DebitRefusal.None) _revertDebit(from, word, policy, value, today, refusal);
        _store(slot, debited);
    }

    /// @dev Every rule of a payment out of wallet word `word`: the wallet is active, `value` is within its available
    /// (unfrozen) balance and, unless it is exempt or a VAT payer, within what is left of its tier's daily outflow
    /// limit today. Returns the word with `value` taken and today's outflow counted, or `word` unchanged and the
    /// first rule broken. The one place these rules live: {_debit} and offline settlement both apply it.
    function _tryDebit(
        uint256 word,
        uint256 policy,
        uint256 value,
        uint256 today
    ) internal pure returns (uint256 debited, DebitRefusal refusal) {
        if (!word.isActive()) {
            return (word, word & AccountWord.ONBOARDED == 0 ? DebitRefusal.NotOnboarded : DebitRefusal.Frozen);
        }
        if (value > word.available()) {
            return (word, value > word.balance() ? DebitRefusal.InsufficientBalance : DebitRefusal.FundsFrozen);
        }
        unchecked {
            debited = word - value; // value <= balance, which sits in the low 64 bits
        }
        // Institutions and VAT payers have no daily limit (a VAT payer's outflow bits hold its marked VAT).
        if (word & AccountWord.NO_OUTFLOW_LIMIT == 0) {
            uint256 spent = word.spentOn(today) + value;
            if (spent > policy.dailyLimit(word.tier())) return (word, DebitRefusal.DailyLimitExceeded);
            debited = debited.withOutflow(spent, today); // spent <= limit < 2^64
        }
    }

    /// @dev Reverts with the custom error of `refusal`, for a debit of `value` from `from`, whose word is `word`.
    function _revertDebit(
        address from,
        uint256 word,
        uint256 policy,
        uint256 value,
        uint256 today,
        DebitRefusal refusal
    ) private pure {
        if (refusal == DebitRefusal.NotOnboarded) revert DigitalTengeNotOnboarded(from);
        if (refusal == DebitRefusal.Frozen) revert DigitalTengeAccountFrozen(from);
        if (refusal == DebitRefusal.InsufficientBalance) {
            revert DigitalTengeInsufficientBalance(from, word.balance(), value);
        }
        if (refusal == DebitRefusal.FundsFrozen) revert DigitalTengeFundsFrozen(from, word.available(), value);
        revert DigitalTengeDailyLimitExceeded(from, policy.dailyLimit(word.tier()), word.spentOn(today) + value);
    }

    function _policyWhenNotPaused(TengeStorage storage $) internal view returns (uint256 policy) {
        policy = $.policy;
        if (policy.isPaused()) revert EnforcedPause();
    }

    function _checkActive(address account, uint256 word) internal pure {
        if (!word.isActive()) {
            if (word & AccountWord.ONBOARDED == 0) revert DigitalTengeNotOnboarded(account);
            revert DigitalTengeAccountFrozen(account);
        }
    }

    function _checkAvailable(address account, uint256 word, uint256 needed) internal pure {
        if (needed > word.available()) {
            uint256 balance = word.balance();
            if (needed > balance) revert DigitalTengeInsufficientBalance(account, balance, needed);
            revert DigitalTengeFundsFrozen(account, word.available(), needed);
        }
    }

    function _onboardedWord(TengeStorage storage $, address account) internal view returns (uint256 word) {
        word = $.accounts[account];
        if (word & AccountWord.ONBOARDED == 0) revert DigitalTengeNotOnboarded(account);
    }

    /// @dev The caller must manage `account`: its bank, or the central bank for institutions. Returns the
    /// manager's address as events record it (zero for the central bank).
    function _checkManager(TengeStorage storage $, address account, uint256 word) internal view returns (address) {
        uint16 bankId = word.bankId();
        if (bankId == 0) {
            if (!hasRole(CENTRAL_BANK_ROLE, msg.sender)) revert DigitalTengeNotAccountManager(msg.sender, account);
            return address(0);
        }
        if ($.bankAddresses[bankId] != msg.sender) revert DigitalTengeNotAccountManager(msg.sender, account);
        return msg.sender;
    }

    /// @dev Adds `value` to an active wallet within its holding limit.
    function _credit(TengeStorage storage $, uint256 policy, address to, uint256 value) internal {
        uint256 slot = _addressSlot($.accounts, to);
        uint256 word = _load(slot);
        _checkActive(to, word);
        _store(slot, _addWithinLimit(word, policy, to, value));
    }

    /// @dev Wallet word `word` of `to` with `value` added to its balance; reverts when the new balance is above its
    /// tier's holding limit (exempt wallets have none). The one place the holding limit is applied to a credit.
    function _addWithinLimit(uint256 word, uint256 policy, address to, uint256 value) internal pure returns (uint256) {
        // Σ balances (+ Σ marked VAT) <= MAX_SUPPLY, so a balance never carries into the next field; issuance adds
        // first and {DigitalTenge-_issue} refuses a total above the cap, reverting the write.
        unchecked {
            word += value;
        }
        if (word & AccountWord.EXEMPT == 0) {
            uint256 limit = policy.holdingLimit(word.tier());
            if (word.balance() > limit) revert DigitalTengeHoldingLimitExceeded(to, limit, word.balance());
        }
        return word;
    }

    function _checkAmount(uint256 amount) internal pure {
        if (amount == 0 || amount > MAX_SUPPLY) revert DigitalTengeInvalidAmount(amount);
    }

    function _checkTier(uint256 tier) internal pure {
        if (tier >= PolicyWord.TIER_COUNT) revert DigitalTengeInvalidTier(tier);
    }

    function _bankId(TengeStorage storage $, address bank) internal view returns (uint16 id) {
        id = $.banks[bank].id;
        if (id == 0) revert DigitalTengeNotBank(bank);
    }

    /* VAT SETTLEMENT */

    /// @dev What paying an invoice moves: gross from the payer, net to the merchant, VAT to its marked VAT.
    struct Settlement {
        uint256 gross;
        uint256 net;
        uint256 vat;
        uint256 rateBps;
    }

    /// @dev Gross, net, VAT and rate of paying invoice `word` now.
    function _invoiceAmounts(uint256 word) internal view returns (Settlement memory a) {
        uint256 category = word.category();
        uint256 amount = word.amount();
        if (category == uint256(VatCategory.EXEMPT)) return Settlement(amount, amount, 0, 0);
        if (category != uint256(VatCategory.ZERO)) {
            a.rateBps = _vat().config.rateInForce(category, block.timestamp);
        }
        if (word & InvoiceWord.EXCLUSIVE != 0) {
            a.net = amount;
            (a.gross, a.vat) = VatMath.addExclusive(amount, a.rateBps);
        } else {
            a.gross = amount;
            (a.net, a.vat) = VatMath.splitInclusive(amount, a.rateBps);
        }
    }

    /// @dev Gross, net and VAT of a paid invoice, from its amount, convention and the rate recorded at settlement.
    function _paidAmounts(uint256 word) internal pure returns (uint256 gross, uint256 net, uint256 vat) {
        uint256 amount = word.amount();
        if (word & InvoiceWord.EXCLUSIVE != 0) {
            net = amount;
            (gross, vat) = VatMath.addExclusive(amount, word.rate());
        } else {
            gross = amount;
            (net, vat) = VatMath.splitInclusive(amount, word.rate());
        }
    }

    /// @dev The EIP-3009 nonce that binds an authorization to one invoice.
    function _invoiceNonce(address merchant, bytes32 invoiceRef) internal pure returns (bytes32) {
        return keccak256(abi.encode(merchant, invoiceRef));
    }

    /// @dev Pays `merchant`'s issued invoice `invoiceRef` from `payer`: `net` to the merchant's balance, the VAT to
    /// its marked VAT, in one atomic step. With `withInputVat` the VAT leg comes from the payer's own marked VAT
    /// (input VAT offsets output VAT) instead of its balance. Every payment rule of the tenge applies.
    function _settleInvoice(address payer, address merchant, bytes32 invoiceRef, bool withInputVat) internal {
        TengeStorage storage $ = _s();
        uint256 policy = _policyWhenNotPaused($);
        VatStorage storage vat_ = _vat();
        uint256 word = vat_.invoices[merchant][invoiceRef];
        if (word.status() != InvoiceWord.STATUS_ISSUED) {
            revert VatInvoiceStatus(merchant, invoiceRef, InvoiceStatus(word.status()));
        }
        if (word.payer() != address(0) && word.payer() != payer) revert VatNotInvoicePayer(payer, word.payer());
        Settlement memory a = _invoiceAmounts(word);

        if (withInputVat) {
            if (word.category() == uint256(VatCategory.EXEMPT)) revert VatInvoiceExempt(merchant, invoiceRef);
            _debit($, policy, payer, a.net);
            _takeInputVat($, vat_, payer, a.vat);
        } else {
            _debit($, policy, payer, a.gross);
            if (a.vat != 0) {
                uint256 config = vat_.config;
                vat_.config = config.withMarkedTotal(config.markedTotal() + a.vat);
            }
        }
        _creditMerchant($, policy, merchant, a.net, a.vat);
        vat_.invoices[merchant][invoiceRef] = word.paid(payer, a.rateBps, withInputVat);

        emit IERC20.Transfer(payer, merchant, a.net);
        if (a.vat != 0 && !withInputVat) emit IERC20.Transfer(payer, VAT_LEDGER, a.vat);
        emit InvoicePaid(merchant, payer, invoiceRef, a.gross, a.net, a.vat, a.rateBps, withInputVat);
    }

    /// @dev Takes `vat` from a VAT payer's marked VAT to pay the VAT leg of a purchase (input VAT offset).
    function _takeInputVat(TengeStorage storage $, VatStorage storage vat_, address payer, uint256 vat) private {
        uint256 payerWord = $.accounts[payer];
        if (payerWord & AccountWord.VAT_PAYER == 0) revert VatNotRegistered(payer);
        uint256 marked = payerWord.markedVat();
        if (marked < vat) revert VatMarkedBalanceInsufficient(payer, marked, vat);
        $.accounts[payer] = payerWord.withMarkedVat(marked - vat);
        unchecked {
            vat_.totals += vat << 64; // offset total, bounded by the supply cap
        }
    }

    /// @dev Credits `net` to an active merchant's balance within its holding limit and `vat` to its marked VAT, in
    /// one write. A merchant receiving VAT must (still) be a registered VAT payer.
    function _creditMerchant(
        TengeStorage storage $,
        uint256 policy,
        address merchant,
        uint256 net,
        uint256 vat
    ) internal {
        uint256 slot = _addressSlot($.accounts, merchant);
        uint256 word = _load(slot);
        _checkActive(merchant, word);
        word = _addWithinLimit(word, policy, merchant, net);
        if (vat != 0) {
            if (word & AccountWord.VAT_PAYER == 0) revert VatNotRegistered(merchant);
            word = word.withMarkedVat(word.markedVat() + vat);
        }
        _store(slot, word);
    }
}
