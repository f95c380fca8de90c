// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ShortString, ShortStrings} from "@openzeppelin/contracts/utils/ShortStrings.sol";
import {SignedTransfers} from "./SignedTransfers.sol";

/// @title PackedERC20
/// @notice ERC-20 base for the suite's permissioned tokens (the tenge-backed stablecoin, the gold token): each
/// account's balance and permission flags share one storage word, and the pause flag one configuration word, so a
/// fully-checked transfer reads no slot a plain ERC-20 does not, plus one. Includes EIP-2612 and EIP-3009.
/// @dev Account word: bits 0-127 balance; bits 128-247 free for the inheriting token; bits 248-255 flags
/// (FLAG_BLOCKED is checked here, the others belong to the inheriting token). Configuration word: bit 0 paused,
/// bits 1-255 free for the inheriting token.
/// Invariant: `totalSupply == Σ balances <= type(uint128).max`.
/// If you inherit: put every extra rule of a transfer in {_checkTransfer}, which sees both words; call {_mint},
/// {_burn} and {_setFlags} to change balances and flags, never the storage directly; append new state in your own
/// ERC-7201 namespace.
/// @custom:oz-upgrades-unsafe-allow constructor
abstract contract PackedERC20 is SignedTransfers, IERC20Metadata, IERC20Errors {
    uint256 internal constant BALANCE_MASK = type(uint128).max;
    /// @dev Blocked accounts (blacklisted, frozen) can neither send nor receive.
    uint256 internal constant FLAG_BLOCKED = 1 << 255;
    uint256 internal constant CONFIG_PAUSED = 1;

    /// @custom:storage-location erc7201:digitaltenge.storage.PackedERC20
    struct PackedERC20Storage {
        uint256 config;
        uint256 totalSupply;
        mapping(address account => uint256 word) accounts;
        mapping(address owner => mapping(address spender => uint256 amount)) allowances;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.PackedERC20")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _PACKED_ERC20_LOCATION =
        0x9097f5b910168188518bcdc12e8bef1ebe433b416d674a1ffd627b6adf0fae00;

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ShortString private immutable _symbol;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    uint8 private immutable _decimals;

    /// @notice Emitted when the token is paused.
    event Paused(address account);
    /// @notice Emitted when the token is unpaused.
    event Unpaused(address account);

    /// @notice Thrown when value would move while the token is paused.
    error EnforcedPause();
    /// @notice Thrown when unpausing a token that is not paused.
    error ExpectedPause();
    /// @notice Thrown when a blocked (blacklisted or frozen) account would send or receive.
    error PackedERC20AccountBlocked(address account);
    /// @notice Thrown when a mint would take total supply above 2^128 - 1.
    error PackedERC20SupplyOverflow(uint256 newSupply);

    /// @param name_ Token name and EIP-712 domain name (at most 31 bytes).
    /// @param symbol_ Token symbol (at most 31 bytes).
    /// @param decimals_ Decimals.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) SignedTransfers(name_) {
        _symbol = ShortStrings.toShortString(symbol_);
        _decimals = decimals_;
    }

    /* ERC-20 */

    /// @inheritdoc IERC20Metadata
    function name() external view returns (string memory) {
        return _tokenName();
    }

    /// @inheritdoc IERC20Metadata
    function symbol() external view returns (string memory) {
        return ShortStrings.toString(_symbol);
    }

    /// @inheritdoc IERC20Metadata
    function decimals() external view returns (uint8) {
        return _decimals;
    }

    /// @inheritdoc IERC20
    function totalSupply() public view returns (uint256) {
        return _packed().totalSupply;
    }

    /// @inheritdoc IERC20
    function balanceOf(address account) public view returns (uint256) {
        return _packed().accounts[account] & BALANCE_MASK;
    }

    /// @inheritdoc IERC20
    function allowance(address owner, address spender) external view returns (uint256) {
        return _packed().allowances[owner][spender];
    }

    /// @inheritdoc IERC20
    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    /// @inheritdoc IERC20
    /// @dev An allowance of `type(uint256).max` is never decreased.
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        mapping(address => uint256) storage allowances = _packed().allowances[from];
        uint256 current = allowances[msg.sender];
        if (current != type(uint256).max) {
            if (current < value) revert ERC20InsufficientAllowance(msg.sender, current, value);
            unchecked {
                allowances[msg.sender] = current - value; // current >= value checked above
            }
        }
        _transfer(from, to, value);
        return true;
    }

    /// @inheritdoc IERC20
    function approve(address spender, uint256 value) external returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    /// @notice Tells whether the token is paused.
    /// @return True when paused.
    function paused() public view returns (bool) {
        return _packed().config & CONFIG_PAUSED != 0;
    }

    /* INTERNAL */

    /// @dev Every payment: one configuration read, one read and one write per account.
    function _transfer(address from, address to, uint256 value) internal override {
        PackedERC20Storage storage $ = _packed();
        uint256 config = $.config;
        if (config & CONFIG_PAUSED != 0) revert EnforcedPause();
        uint256 fromWord = $.accounts[from];
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        uint256 toWord = $.accounts[to];
        if (fromWord & FLAG_BLOCKED != 0) revert PackedERC20AccountBlocked(from);
        if (toWord & FLAG_BLOCKED != 0) revert PackedERC20AccountBlocked(to);
        _checkTransfer(config, from, fromWord, to, toWord, value);
        uint256 balance = fromWord & BALANCE_MASK;
        if (value > balance) revert ERC20InsufficientBalance(from, balance, value);
        unchecked {
            // value <= balance (low 128 bits); Σ balances <= 2^128 - 1, so the credit cannot carry out of its field
            $.accounts[from] = fromWord - value;
            $.accounts[to] += value;
        }
        emit Transfer(from, to, value);
    }

    function _approve(address owner, address spender, uint256 value) internal override {
        if (spender == address(0)) revert ERC20InvalidSpender(address(0));
        _packed().allowances[owner][spender] = value;
        emit Approval(owner, spender, value);
    }

    /// @dev Creates `value` tokens for `to`; blocked accounts cannot receive. Not paused-checked: callers decide.
    function _mint(address to, uint256 value) internal {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        PackedERC20Storage storage $ = _packed();
        uint256 word = $.accounts[to];
        if (word & FLAG_BLOCKED != 0) revert PackedERC20AccountBlocked(to);
        uint256 supply = $.totalSupply + value;
        if (supply > BALANCE_MASK) revert PackedERC20SupplyOverflow(supply);
        $.totalSupply = supply;
        unchecked {
            $.accounts[to] = word + value; // balance <= supply <= 2^128 - 1
        }
        emit Transfer(address(0), to, value);
    }

    /// @dev Destroys `value` of `from`'s tokens. Does not check flags: callers decide who may burn what.
    function _burn(address from, uint256 value) internal {
        PackedERC20Storage storage $ = _packed();
        uint256 word = $.accounts[from];
        uint256 balance = word & BALANCE_MASK;
        if (value > balance) revert ERC20InsufficientBalance(from, balance, value);
        unchecked {
            $.accounts[from] = word - value; // value <= balance
            $.totalSupply -= value; // totalSupply >= any balance
        }
        emit Transfer(from, address(0), value);
    }

    /// @dev Sets or clears `flags` (bits 128-255) of `account`'s word; returns the previous word.
    function _setFlags(address account, uint256 flags, bool set) internal returns (uint256 previous) {
        PackedERC20Storage storage $ = _packed();
        previous = $.accounts[account];
        $.accounts[account] = set ? previous | flags : previous & ~flags;
    }

    function _pause() internal {
        PackedERC20Storage storage $ = _packed();
        if ($.config & CONFIG_PAUSED != 0) revert EnforcedPause();
        $.config |= CONFIG_PAUSED;
        emit Paused(msg.sender);
    }

    function _unpause() internal {
        PackedERC20Storage storage $ = _packed();
        if ($.config & CONFIG_PAUSED == 0) revert ExpectedPause();
        $.config &= ~CONFIG_PAUSED;
        emit Unpaused(msg.sender);
    }

    function _accountWord(address account) internal view returns (uint256) {
        return _packed().accounts[account];
    }

    /// @dev Extra rules of the inheriting token, given the configuration word and both account words (the blocked
    /// flags and the pause are already checked). Revert to refuse.
    function _checkTransfer(
        uint256 config,
        address from,
        uint256 fromWord,
        address to,
        uint256 toWord,
        uint256 value
    ) internal view virtual;

    function _packed() internal pure returns (PackedERC20Storage storage $) {
        assembly {
            $.slot := _PACKED_ERC20_LOCATION
        }
    }
}
