// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ITengeStablecoin} from "../interfaces/ITengeStablecoin.sol";
import {PackedERC20} from "../common/PackedERC20.sol";

/// @title TengeStablecoin
/// @notice A BEP-20/ERC-20 stablecoin backed 1:1 by digital tenge locked in this contract, with the controls of an
/// exchange-listed fiat token (Circle's bridged-USDC standard): pause, blacklist, rescue, EIP-2612, EIP-3009,
/// upgradeable under the central bank's admin. 2 decimals, as the tenge.
/// @dev Roles and who holds them:
/// - DEFAULT_ADMIN_ROLE: the central bank's governance (multisig); grants and revokes roles, authorises upgrades.
/// - PAUSER_ROLE: the central bank's operations; stops deposits, withdrawals and transfers.
/// - BLACKLISTER_ROLE: compliance; blacklists accounts (the flag is packed into the account's balance word).
/// - ISSUER_ROLE: the central bank's issuance desk; recovers surplus tenge (sent without a deposit).
/// - RESCUER_ROLE: returns other ERC-20 tokens sent here by mistake; never the tenge reserve.
/// This contract is an institution of the digital tenge (onboarded by the central bank, exempt from tier limits);
/// the deploy scripts set that up.
/// Invariant: `tenge.balanceOf(this) >= totalSupply()` after every operation. The accounted reserve is the supply
/// itself: mints follow tenge actually received, burns precede tenge paid out, so no separate counter is stored
/// and a deposit costs no extra storage write.
/// The tenge's address is an immutable of the implementation (read without a storage slot on every deposit and
/// withdrawal, and it can never change under outstanding supply): an upgrade is deployed with the same one, as the
/// deploy script does.
/// @custom:oz-upgrades-unsafe-allow constructor
contract TengeStablecoin is ITengeStablecoin, PackedERC20, AccessControlUpgradeable, UUPSUpgradeable {
    using SafeERC20 for IERC20;

    /* ROLES */

    /// @notice May pause and unpause the stablecoin.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Compliance: blacklists and unblacklists accounts.
    bytes32 public constant BLACKLISTER_ROLE = keccak256("BLACKLISTER_ROLE");
    /// @notice The issuance desk: recovers surplus tenge.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice Returns other tokens sent here by mistake.
    bytes32 public constant RESCUER_ROLE = keccak256("RESCUER_ROLE");

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _tenge;

    /* CONSTRUCTOR AND INITIALIZER */

    /// @param tenge_ The digital tenge's proxy address; its decimals become this token's.
    /// @param name_ Token and EIP-712 domain name (at most 31 bytes), e.g. "Tenge Stablecoin".
    /// @param symbol_ Token symbol (at most 31 bytes), e.g. "KZTS".
    constructor(
        address tenge_,
        string memory name_,
        string memory symbol_
    ) PackedERC20(name_, symbol_, _decimalsOf(tenge_)) {
        _tenge = tenge_;
        _disableInitializers();
    }

    /// @notice Initialises the proxy's state: `centralBankAdmin` receives DEFAULT_ADMIN_ROLE and nothing else.
    /// @param centralBankAdmin The central bank's governance address.
    function initialize(address centralBankAdmin) external initializer {
        if (centralBankAdmin == address(0)) revert TengeStablecoinZeroAddress();
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, centralBankAdmin);
    }

    /* HOLDERS */

    /// @inheritdoc ITengeStablecoin
    function onTransferReceived(
        address operator,
        address from,
        uint256 value,
        bytes calldata data
    ) external returns (bytes4) {
        if (msg.sender != _tenge) revert TengeStablecoinCallerNotTenge(msg.sender);
        if (paused()) revert EnforcedPause();
        if (value == 0) revert TengeStablecoinZeroAmount();
        // The hot path, written out: no data mints to the payer, 32 bytes name the recipient.
        address to = data.length == 0 ? from : _decodeRecipient(data);
        // The recipient's flag is checked by the mint; the payer's and operator's only when they are someone else.
        if (from != to) _requireNotBlacklisted(from);
        if (operator != from) _requireNotBlacklisted(operator);
        // The tenge credited this contract before calling: what it holds must already cover the supply after the
        // mint, so nothing is minted that did not arrive (and surplus tenge is never minted to anyone).
        uint256 locked = _lockedTenge();
        uint256 supply = totalSupply();
        // Unchecked: a sum that wrapped would only let the check pass into {_mint}, whose checked addition reverts.
        unchecked {
            if (locked < supply + value) revert TengeStablecoinUnbackedDeposit(locked, supply, value);
        }
        if (to == address(this)) revert TengeStablecoinInvalidRecipient(to);
        _mint(to, value);
        return this.onTransferReceived.selector;
    }

    /// @inheritdoc ITengeStablecoin
    function deposit(uint256 amount, address to) external returns (uint256 minted) {
        _requireNotPaused();
        if (amount == 0) revert TengeStablecoinZeroAmount();
        _requireNotBlacklisted(msg.sender);
        uint256 before = _lockedTenge();
        _callTenge(abi.encodeCall(IERC20.transferFrom, (msg.sender, address(this), amount)));
        // What arrived, not what was asked for: a fee-taking underlying would credit less.
        minted = _lockedTenge() - before;
        if (minted == 0) revert TengeStablecoinNothingReceived(amount);
        _mintTo(to, minted);
    }

    /// @inheritdoc ITengeStablecoin
    function withdraw(uint256 amount, address to) external {
        _requireNotPaused();
        if (amount == 0) revert TengeStablecoinZeroAmount();
        if (to == address(this)) revert TengeStablecoinInvalidRecipient(to);
        _requireNotBlacklisted(msg.sender);
        if (to != msg.sender) _requireNotBlacklisted(to);
        _burn(msg.sender, amount);
        // The tenge checks that `to` may receive (onboarded, not frozen, holding limit); its error passes through.
        _callTenge(abi.encodeCall(IERC20.transfer, (to, amount)));
    }

    /* ISSUER */

    /// @inheritdoc ITengeStablecoin
    function recoverSurplus(address to) external onlyRole(ISSUER_ROLE) returns (uint256 amount) {
        if (to == address(this)) revert TengeStablecoinInvalidRecipient(to);
        uint256 locked = _lockedTenge();
        uint256 supply = totalSupply();
        if (locked <= supply) revert TengeStablecoinNoSurplus(locked, supply);
        unchecked {
            amount = locked - supply; // locked > supply checked above
        }
        emit SurplusRecovered(to, amount);
        _callTenge(abi.encodeCall(IERC20.transfer, (to, amount)));
    }

    /* COMPLIANCE */

    /// @inheritdoc ITengeStablecoin
    function blacklist(address account) external onlyRole(BLACKLISTER_ROLE) {
        if (_setFlags(account, FLAG_BLOCKED, true) & FLAG_BLOCKED != 0) {
            revert TengeStablecoinBlacklistUnchanged(account, true);
        }
        emit Blacklisted(account);
    }

    /// @inheritdoc ITengeStablecoin
    function unBlacklist(address account) external onlyRole(BLACKLISTER_ROLE) {
        if (_setFlags(account, FLAG_BLOCKED, false) & FLAG_BLOCKED == 0) {
            revert TengeStablecoinBlacklistUnchanged(account, false);
        }
        emit UnBlacklisted(account);
    }

    /// @inheritdoc ITengeStablecoin
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ITengeStablecoin
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc ITengeStablecoin
    function rescueERC20(IERC20 token, address to, uint256 amount) external onlyRole(RESCUER_ROLE) {
        if (address(token) == _tenge) revert TengeStablecoinCannotRescueReserve(address(token));
        token.safeTransfer(to, amount);
        emit TokensRescued(address(token), to, amount);
    }

    /* VIEWS */

    /// @inheritdoc ITengeStablecoin
    function underlying() external view returns (address) {
        return _tenge;
    }

    /// @inheritdoc ITengeStablecoin
    function reserves() external view returns (uint256 locked, uint256 supply) {
        return (_lockedTenge(), totalSupply());
    }

    /// @inheritdoc ITengeStablecoin
    function surplus() external view returns (uint256) {
        uint256 locked = _lockedTenge();
        uint256 supply = totalSupply();
        return locked > supply ? locked - supply : 0;
    }

    /// @inheritdoc ITengeStablecoin
    function isBlacklisted(address account) external view returns (bool) {
        return _accountWord(account) & FLAG_BLOCKED != 0;
    }

    /* INTERNAL */

    /// @dev Beyond the pause and the blocked flags of `from` and `to` (checked by {PackedERC20}): nothing is sent to
    /// this contract, and a blacklisted spender or relayer moves nobody's tokens.
    function _checkTransfer(uint256, address from, uint256, address to, uint256, uint256) internal view override {
        if (to == address(this)) revert TengeStablecoinInvalidRecipient(to);
        if (msg.sender != from && msg.sender != to) _requireNotBlacklisted(msg.sender);
    }

    /// @dev The stablecoin recipient of a deposit by ERC-1363 whose data is not empty: one ABI-encoded address.
    function _decodeRecipient(bytes calldata data) private pure returns (address) {
        if (data.length != 32) revert TengeStablecoinInvalidDepositData(data);
        uint256 word = abi.decode(data, (uint256));
        if (word >> 160 != 0) revert TengeStablecoinInvalidDepositData(data);
        return address(uint160(word));
    }

    function _mintTo(address to, uint256 value) private {
        if (to == address(this)) revert TengeStablecoinInvalidRecipient(to);
        _mint(to, value);
    }

    /// @dev Calls the tenge and passes its error through, except its pause, which would read like this token's own
    /// {EnforcedPause} and so becomes {TengeStablecoinUnderlyingPaused}.
    function _callTenge(bytes memory call) private {
        // A low-level call, to tell the tenge's pause apart from its other errors, which pass through verbatim.
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory returned) = _tenge.call(call);
        if (success) return;
        if (returned.length == 4 && bytes4(returned) == EnforcedPause.selector) {
            revert TengeStablecoinUnderlyingPaused();
        }
        assembly ("memory-safe") {
            revert(add(returned, 32), mload(returned))
        }
    }

    /// @dev `tenge.balanceOf(this)`, the reserve actually held. Hand-encoded: it runs in every deposit, and the
    /// Solidity call's encoding and checks cost about 200 gas more.
    function _lockedTenge() private view returns (uint256 locked) {
        address tenge = _tenge;
        assembly ("memory-safe") {
            mstore(0x00, 0x70a08231) // balanceOf(address)
            mstore(0x20, address())
            // arguments are evaluated right to left: the call runs before returndatasize is read
            if iszero(and(gt(returndatasize(), 31), staticcall(gas(), tenge, 0x1c, 0x24, 0x00, 0x20))) {
                revert(0x00, 0x00)
            }
            locked := mload(0x00)
        }
    }

    function _requireNotPaused() private view {
        if (paused()) revert EnforcedPause();
    }

    function _requireNotBlacklisted(address account) private view {
        if (_accountWord(account) & FLAG_BLOCKED != 0) revert PackedERC20AccountBlocked(account);
    }

    /// @dev The underlying's decimals, so one stablecoin unit is backed by exactly one unit of tenge.
    function _decimalsOf(address tenge_) private view returns (uint8) {
        if (tenge_ == address(0)) revert TengeStablecoinZeroAddress();
        return IERC20Metadata(tenge_).decimals();
    }

    /// @dev UUPS: only the central bank's governance may upgrade.
    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}
}
