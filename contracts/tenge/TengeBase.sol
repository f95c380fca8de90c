// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IDigitalTengeBase} from "../interfaces/IDigitalTengeBase.sol";
import {AccountWord} from "./AccountWord.sol";
import {PolicyWord} from "./PolicyWord.sol";

/// @title TengeBase
/// @notice What the digital tenge and its admin module share: roles, ERC-7201 namespaced storage, and the rules
/// both apply (activity, availability, management, crediting within limits).
/// @dev If you extend this: never reorder or remove fields of {TengeStorage}; append only. Every wallet's whole
/// state is one word of `accounts` (see {AccountWord}); the global policy is the single word `policy`
/// (see {PolicyWord}). Invariant: `totalSupply == Σ balances <= MAX_SUPPLY`.
abstract contract TengeBase is IDigitalTengeBase, AccessControlUpgradeable {
    using AccountWord for uint256;
    using PolicyWord for uint256;

    /* ROLES */

    /// @notice The central bank's issuance desk.
    bytes32 public constant CENTRAL_BANK_ROLE = keccak256("CENTRAL_BANK_ROLE");
    /// @notice May pause and unpause the token.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice The compliance officer: freezes wallets and funds.
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    /// @notice The enforcement officer: seizes funds under court orders.
    bytes32 public constant SEIZURE_ROLE = keccak256("SEIZURE_ROLE");

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

    /* SHARED RULES */

    /// @dev Takes `value` from an active wallet's available funds and counts it against its daily outflow.
    function _debit(TengeStorage storage $, uint256 policy, address from, uint256 value) internal {
        uint256 word = $.accounts[from];
        _checkActive(from, word);
        _checkAvailable(from, word, value);
        unchecked {
            word -= value; // value <= balance, which sits in the low 64 bits
        }
        if (word & AccountWord.EXEMPT == 0) {
            uint256 today = AccountWord.today();
            uint256 spent = word.spentOn(today) + value;
            uint256 limit = policy.dailyLimit(word.tier());
            if (spent > limit) revert DigitalTengeDailyLimitExceeded(from, limit, spent);
            word = word.withOutflow(spent, today); // spent <= limit < 2^64
        }
        $.accounts[from] = word;
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
        uint256 word = $.accounts[to];
        _checkActive(to, word);
        // Σ balances <= MAX_SUPPLY = 2^64 - 1, so a balance never carries into the next field.
        unchecked {
            word += value;
        }
        if (word & AccountWord.EXEMPT == 0) {
            uint256 limit = policy.holdingLimit(word.tier());
            if (word.balance() > limit) revert DigitalTengeHoldingLimitExceeded(to, limit, word.balance());
        }
        $.accounts[to] = word;
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
}
