// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ITengeVat} from "../interfaces/ITengeVat.sol";
import {InvoiceWord} from "./InvoiceWord.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC1363} from "@openzeppelin/contracts/interfaces/IERC1363.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ERC1363Utils} from "@openzeppelin/contracts/token/ERC20/utils/ERC1363Utils.sol";
import {ShortString, ShortStrings} from "@openzeppelin/contracts/utils/ShortStrings.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {AccountWord} from "./AccountWord.sol";
import {PolicyWord} from "./PolicyWord.sol";
import {TengeBase} from "./TengeBase.sol";
import {SignedTransfers} from "../common/SignedTransfers.sol";

/// @title DigitalTenge
/// @notice The permissioned digital tenge: a retail CBDC issued by the National Bank of Kazakhstan and
/// distributed by commercial banks (two-tier model). 2 decimals (tiyn).
/// @dev Roles and who holds them:
/// - DEFAULT_ADMIN_ROLE: the central bank's governance (multisig); grants and revokes roles, authorises upgrades.
/// - CENTRAL_BANK_ROLE: the central bank's issuance desk; registers banks, sets ceilings and tier limits,
///   suspends a bank's issuance, onboards and exempts institutions.
/// - PAUSER_ROLE: the central bank's operations; global pause.
/// - COMPLIANCE_ROLE: the compliance officer; whole-wallet and partial freezes.
/// - SEIZURE_ROLE: the enforcement officer executing court orders; forced transfers.
/// - Registered banks (not an AccessControl role: a bank record keyed by the bank's address) onboard, tier,
///   recover and issue to their own customers only.
/// Invariants: `totalSupply == Σ balances == Σ banks' outstanding`; `outstanding <= ceiling` after every issuance;
/// no credit takes a non-exempt wallet above its tier's holding limit; no payment takes its outflow today above
/// its tier's daily limit; frozen wallets and frozen funds never move except by seizure.
/// Hot paths read exactly one policy slot and one slot per wallet.
/// @custom:oz-upgrades-unsafe-allow constructor
contract DigitalTenge is
    TengeBase,
    IDigitalTenge,
    ITengeVat,
    IERC20Metadata,
    SignedTransfers,
    IERC1363,
    UUPSUpgradeable
{
    using AccountWord for uint256;
    using PolicyWord for uint256;
    using InvoiceWord for uint256;

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ShortString private immutable _symbol;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _admin;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _offline;

    /* CONSTRUCTOR AND INITIALIZER */

    /// @param name_ Token and EIP-712 domain name (at most 31 bytes), e.g. "Digital Tenge".
    /// @param symbol_ Token symbol (at most 31 bytes), e.g. "DKZT".
    /// @param adminModule_ The TengeAdmin module that administrative calls are delegated to.
    /// @param offlineModule_ The TengeOffline module that offline-payment calls (unknown selectors) are delegated to.
    constructor(
        string memory name_,
        string memory symbol_,
        address adminModule_,
        address offlineModule_
    ) SignedTransfers(name_) {
        if (adminModule_.code.length == 0 || offlineModule_.code.length == 0) revert DigitalTengeZeroAddress();
        _symbol = ShortStrings.toShortString(symbol_);
        _admin = adminModule_;
        _offline = offlineModule_;
        _disableInitializers();
    }

    /// @notice Initialises the proxy's state: `centralBankAdmin` receives DEFAULT_ADMIN_ROLE and nothing else.
    /// Tier limits start at zero: the central bank sets them before any retail wallet can hold tenge.
    /// @param centralBankAdmin The central bank's governance address.
    function initialize(address centralBankAdmin) external initializer {
        if (centralBankAdmin == address(0)) revert DigitalTengeZeroAddress();
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, centralBankAdmin);
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
    function decimals() external pure returns (uint8) {
        return 2;
    }

    /// @inheritdoc IERC20
    function totalSupply() external view returns (uint256) {
        return _s().totalSupply;
    }

    /// @inheritdoc IERC20
    /// @dev VAT_LEDGER's balance is the marked-VAT total, so that Σ balanceOf == totalSupply.
    function balanceOf(address account) external view returns (uint256) {
        if (account == VAT_LEDGER) return _vat().config.markedTotal();
        return _s().accounts[account].balance();
    }

    /// @inheritdoc IERC20
    function allowance(address owner, address spender) external view returns (uint256) {
        return _s().allowances[owner][spender];
    }

    /// @inheritdoc IERC20
    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    /// @inheritdoc IERC20
    /// @dev An allowance of `type(uint256).max` is never decreased.
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        _spendAllowance(from, value);
        _transfer(from, to, value);
        return true;
    }

    /// @inheritdoc IERC20
    /// @dev Allowed while paused and for any owner: an allowance moves nothing by itself.
    function approve(address spender, uint256 value) external returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    /* ERC-1363 */

    /// @inheritdoc IERC1363
    /// @dev Pays and then calls `to.onTransferReceived`: how a contract of the suite (the stablecoin wrapper, the
    /// gold desk) takes a payment in one transaction without an allowance. Every payment rule applies.
    function transferAndCall(address to, uint256 value) external returns (bool) {
        return transferAndCall(to, value, "");
    }

    /// @inheritdoc IERC1363
    function transferAndCall(address to, uint256 value, bytes memory data) public returns (bool) {
        _transfer(msg.sender, to, value);
        ERC1363Utils.checkOnERC1363TransferReceived(msg.sender, msg.sender, to, value, data);
        return true;
    }

    /// @inheritdoc IERC1363
    function transferFromAndCall(address from, address to, uint256 value) external returns (bool) {
        return transferFromAndCall(from, to, value, "");
    }

    /// @inheritdoc IERC1363
    function transferFromAndCall(address from, address to, uint256 value, bytes memory data) public returns (bool) {
        _spendAllowance(from, value);
        _transfer(from, to, value);
        ERC1363Utils.checkOnERC1363TransferReceived(msg.sender, from, to, value, data);
        return true;
    }

    /// @inheritdoc IERC1363
    function approveAndCall(address spender, uint256 value) external returns (bool) {
        return approveAndCall(spender, value, "");
    }

    /// @inheritdoc IERC1363
    function approveAndCall(address spender, uint256 value, bytes memory data) public returns (bool) {
        _approve(msg.sender, spender, value);
        ERC1363Utils.checkOnERC1363ApprovalReceived(msg.sender, spender, value, data);
        return true;
    }

    /// @inheritdoc IERC165
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(AccessControlUpgradeable, IERC165) returns (bool) {
        return
            interfaceId == type(IERC1363).interfaceId ||
            interfaceId == type(IERC20).interfaceId ||
            super.supportsInterface(interfaceId);
    }

    /* CENTRAL BANK */

    /* BANKS */

    /// @inheritdoc IDigitalTenge
    function mint(address to, uint256 amount) external {
        TengeStorage storage $ = _s();
        uint256 policy = _policyWhenNotPaused($);
        uint16 bankId = _issue($, amount);
        _creditCustomer($, policy, bankId, to, amount);
        emit Transfer(address(0), to, amount);
        emit Issued(msg.sender, 1, amount);
    }

    /// @inheritdoc IDigitalTenge
    function mintBatch(address[] calldata to, uint256[] calldata amounts) external {
        uint256 count = to.length;
        if (count != amounts.length) revert DigitalTengeLengthMismatch(count, amounts.length);
        if (count == 0) revert DigitalTengeEmptyBatch();
        TengeStorage storage $ = _s();
        uint256 policy = _policyWhenNotPaused($);
        uint16 bankId = _bankId($, msg.sender);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            uint256 amount = amounts[i];
            _checkAmount(amount);
            // cannot overflow: count * MAX_SUPPLY < 2^256 for any calldata that fits in a block
            unchecked {
                total += amount;
            }
            address recipient = to[i];
            _creditCustomer($, policy, bankId, recipient, amount);
            emit Transfer(address(0), recipient, amount);
        }
        // The ceiling and supply cap are checked on the total; a failure here reverts every credit above.
        _issue($, total);
        emit Issued(msg.sender, count, total);
    }

    /* VAT: PAYMENTS (hot path, in the token) */

    /// @inheritdoc ITengeVat
    function payInvoice(address merchant, bytes32 invoiceRef) external {
        _settleInvoice(msg.sender, merchant, invoiceRef, false);
    }

    /// @inheritdoc ITengeVat
    function payInvoiceWithAuthorization(
        address merchant,
        bytes32 invoiceRef,
        address payer,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (msg.sender != merchant) revert SignedTransfersCallerNotPayee(msg.sender, merchant);
        _checkInvoiceGross(merchant, invoiceRef, value);
        _requireEcdsa(
            payer,
            _useInvoiceAuthorization(merchant, invoiceRef, payer, value, validAfter, validBefore),
            v,
            r,
            s
        );
        _settleInvoice(payer, merchant, invoiceRef, false);
    }

    /// @inheritdoc ITengeVat
    function payInvoiceWithPermit(
        address payer,
        address merchant,
        bytes32 invoiceRef,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        uint256 gross = _invoiceGross(merchant, invoiceRef);
        if (_s().allowances[payer][msg.sender] < gross) {
            _requireEcdsa(payer, _usePermit(payer, msg.sender, value, deadline), v, r, s);
            _approve(payer, msg.sender, value);
        }
        _spendAllowance(payer, gross);
        _settleInvoice(payer, merchant, invoiceRef, false);
    }

    /// @inheritdoc ITengeVat
    function invoiceOf(address merchant, bytes32 invoiceRef) external view returns (InvoiceView memory view_) {
        VatStorage storage vat_ = _vat();
        uint256 word = vat_.invoices[merchant][invoiceRef];
        view_.status = InvoiceStatus(word.status());
        if (view_.status == InvoiceStatus.NONE) return view_;
        view_.category = VatCategory(word.category());
        view_.exclusive = word & InvoiceWord.EXCLUSIVE != 0;
        view_.paidWithInputVat = word & InvoiceWord.PAID_WITH_INPUT_VAT != 0;
        view_.amount = word.amount();
        view_.payer = word.payer();
        view_.refundedGross = vat_.refunded[merchant][invoiceRef];
        if (view_.status == InvoiceStatus.PAID) {
            view_.rateBps = word.rate();
            (view_.gross, view_.net, view_.vat) = _paidAmounts(word);
        } else {
            Settlement memory a = _invoiceAmounts(word);
            (view_.gross, view_.net, view_.vat, view_.rateBps) = (a.gross, a.net, a.vat, a.rateBps);
        }
    }

    /// @inheritdoc ITengeVat
    function invoiceNonce(address merchant, bytes32 invoiceRef) external pure returns (bytes32) {
        return _invoiceNonce(merchant, invoiceRef);
    }

    /// @inheritdoc ITengeVat
    function vatRates() external view returns (VatRatesView memory view_) {
        uint256 config = _vat().config;
        view_.standardBps = config.rateInForce(0, block.timestamp);
        view_.reducedBps = config.rateInForce(1, block.timestamp);
        view_.nextStandardBps = (config >> 28) & InvoiceWord.MASK_14;
        view_.nextReducedBps = (config >> 42) & InvoiceWord.MASK_14;
        view_.nextEffectiveFrom = (config >> InvoiceWord.NEXT_EFFECTIVE_SHIFT) & 0xFFFFFFFFFF;
    }

    /// @inheritdoc ITengeVat
    function vatTotals() external view returns (VatTotalsView memory view_) {
        VatStorage storage vat_ = _vat();
        uint256 totals = vat_.totals;
        view_.markedTotal = vat_.config.markedTotal();
        view_.paidToBudget = totals & InvoiceWord.MASK_64;
        view_.offset = (totals >> 64) & InvoiceWord.MASK_64;
        view_.refunded = (totals >> 128) & InvoiceWord.MASK_64;
        view_.collected = view_.markedTotal + view_.paidToBudget + view_.offset;
    }

    /// @inheritdoc ITengeVat
    function vatPayerOf(
        address account
    ) external view returns (bool registered, bytes32 taxpayerIdHash, VatCategory defaultCategory, uint256 markedVat) {
        uint256 word = _s().accounts[account];
        registered = word & AccountWord.VAT_PAYER != 0;
        VatPayer storage payer = _vat().payers[account];
        return (registered, payer.taxpayerIdHash, payer.defaultCategory, registered ? word.markedVat() : 0);
    }

    /// @inheritdoc ITengeVat
    function vatBudget() external view returns (address) {
        return _vat().budget;
    }

    /* ADMINISTRATION (logic in TengeAdmin, reached by delegatecall) */

    /// @inheritdoc IDigitalTenge
    function registerBank(address, uint256) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function setIssuanceCeiling(address, uint256) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function setBankSuspended(address, bool) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function setTierLimits(uint8, uint256, uint256) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function onboardInstitution(address) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function setExempt(address, bool) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function onboard(address, uint8) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function onboardBatch(address[] calldata, uint8) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function offboard(address) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function setTier(address, uint8) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function recoverWallet(address, address) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function freeze(address, bytes32) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function unfreeze(address, bytes32) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function freezeAmount(address, uint256, bytes32) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function unfreezeAmount(address, uint256, bytes32) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function seize(address, address, uint256, bytes32) external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function pause() external {
        _delegateToAdmin();
    }

    /// @inheritdoc IDigitalTenge
    function unpause() external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function registerVatPayer(address, bytes32, VatCategory) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function updateVatPayer(address, VatCategory) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function deregisterVatPayer(address) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function scheduleVatRates(uint256, uint256, uint256) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function setVatBudget(address) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function issueInvoice(bytes32, uint256, bool, VatCategory, address) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function cancelInvoice(bytes32) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function refundInvoice(bytes32, uint256) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function payInvoiceWithInputVat(address, bytes32) external {
        _delegateToAdmin();
    }

    /// @inheritdoc ITengeVat
    function payVatToBudget(uint256) external {
        _delegateToAdmin();
    }

    /* HOLDERS */

    /// @inheritdoc IDigitalTenge
    function redeem(uint256 amount, bytes32 settlementRef) external {
        TengeStorage storage $ = _s();
        _policyWhenNotPaused($);
        _checkAmount(amount);
        uint256 word = $.accounts[msg.sender];
        _checkActive(msg.sender, word);
        _checkAvailable(msg.sender, word, amount);
        uint16 bankId = word.bankId();
        if (bankId == 0) revert DigitalTengeNoRedeemingBank(msg.sender);
        unchecked {
            $.accounts[msg.sender] = word - amount; // amount <= balance, in the low 64 bits
            $.totalSupply -= amount; // totalSupply >= any balance
        }
        address bank = $.bankAddresses[bankId];
        $.banks[bank].outstanding -= int96(int256(amount)); // amount <= MAX_SUPPLY < 2^95
        emit Transfer(msg.sender, address(0), amount);
        emit Redeemed(msg.sender, bank, amount, settlementRef);
    }

    /* COMPLIANCE */

    /* PAUSE */

    /* VIEWS */

    /// @inheritdoc IDigitalTenge
    function paused() external view returns (bool) {
        return _s().policy.isPaused();
    }

    /// @inheritdoc IDigitalTenge
    function accountOf(address account) external view returns (AccountView memory view_) {
        TengeStorage storage $ = _s();
        uint256 word = $.accounts[account];
        if (word & AccountWord.ONBOARDED == 0) return view_;
        view_.onboarded = true;
        view_.frozen = word & AccountWord.FROZEN != 0;
        view_.exempt = word & AccountWord.EXEMPT != 0;
        view_.tier = word.tier();
        view_.bankId = word.bankId();
        view_.bank = $.bankAddresses[view_.bankId];
        view_.balance = word.balance();
        view_.frozenAmount = word.frozenAmount();
        view_.available = view_.frozen ? 0 : word.available();
        bool noOutflowLimit = word & AccountWord.NO_OUTFLOW_LIMIT != 0;
        view_.spentToday = noOutflowLimit ? 0 : word.spentOn(AccountWord.today());
        if (noOutflowLimit) {
            view_.dailyRemaining = type(uint256).max;
        } else {
            uint256 limit = $.policy.dailyLimit(view_.tier);
            view_.dailyRemaining = limit > view_.spentToday ? limit - view_.spentToday : 0;
        }
    }

    /// @inheritdoc IDigitalTenge
    function availableBalanceOf(address account) external view returns (uint256) {
        uint256 word = _s().accounts[account];
        return word.isActive() ? word.available() : 0;
    }

    /// @inheritdoc IDigitalTenge
    function bankOf(address bank) external view returns (BankView memory view_) {
        Bank memory record = _s().banks[bank];
        view_.id = record.id;
        view_.suspended = record.suspended;
        view_.ceiling = record.ceiling;
        view_.outstanding = record.outstanding;
        int256 room = int256(uint256(record.ceiling)) - record.outstanding;
        view_.remaining = record.suspended || room < 0 ? 0 : uint256(room);
    }

    /// @inheritdoc IDigitalTenge
    function bankById(uint16 bankId) external view returns (address) {
        return _s().bankAddresses[bankId];
    }

    /// @inheritdoc IDigitalTenge
    function bankCount() external view returns (uint16) {
        return _s().bankCount;
    }

    /// @inheritdoc IDigitalTenge
    function tierLimits(uint8 tier) external view returns (uint256 holdingLimit, uint256 dailyLimit) {
        _checkTier(tier);
        uint256 policy = _s().policy;
        return (policy.holdingLimit(tier), policy.dailyLimit(tier));
    }

    /* INTERNAL: VALUE MOVEMENT */

    /// @dev The ordinary payment: one policy read, one read and one write per wallet.
    function _transfer(address from, address to, uint256 value) internal override {
        TengeStorage storage $ = _s();
        uint256 policy = _policyWhenNotPaused($);
        _debit($, policy, from, value);
        _credit($, policy, to, value);
        emit Transfer(from, to, value);
    }

    function _invoiceGross(address merchant, bytes32 invoiceRef) private view returns (uint256 gross) {
        gross = _invoiceAmounts(_vat().invoices[merchant][invoiceRef]).gross;
    }

    function _checkInvoiceGross(address merchant, bytes32 invoiceRef, uint256 value) private view {
        uint256 gross = _invoiceGross(merchant, invoiceRef);
        if (value != gross) revert VatAuthorizationAmount(value, gross);
    }

    /// @dev Consumes the payer's EIP-3009 ReceiveWithAuthorization whose nonce binds it to this invoice.
    function _useInvoiceAuthorization(
        address merchant,
        bytes32 invoiceRef,
        address payer,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore
    ) private returns (bytes32) {
        return
            _useAuthorization(
                RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
                payer,
                merchant,
                value,
                validAfter,
                validBefore,
                _invoiceNonce(merchant, invoiceRef)
            );
    }

    /// @dev Consumes `value` of the caller's allowance over `owner`'s tokens; an infinite allowance stays infinite.
    function _spendAllowance(address owner, uint256 value) private {
        mapping(address => uint256) storage allowances = _s().allowances[owner];
        uint256 current = allowances[msg.sender];
        if (current != type(uint256).max) {
            if (current < value) revert DigitalTengeInsufficientAllowance(msg.sender, current, value);
            unchecked {
                allowances[msg.sender] = current - value; // current >= value checked above
            }
        }
    }

    function _approve(address owner, address spender, uint256 value) internal override {
        if (spender == address(0)) revert DigitalTengeZeroAddress();
        _s().allowances[owner][spender] = value;
        emit Approval(owner, spender, value);
    }

    /// @dev {_credit} for issuance: the recipient must be a customer of the issuing bank.
    function _creditCustomer(TengeStorage storage $, uint256 policy, uint16 bankId, address to, uint256 value) private {
        uint256 slot = _addressSlot($.accounts, to);
        uint256 word = _load(slot);
        _checkActive(to, word);
        if (word.bankId() != bankId) revert DigitalTengeNotAccountManager(msg.sender, to);
        _store(slot, _addWithinLimit(word, policy, to, value));
    }

    /// @dev Books `amount` of new issuance against the calling bank's ceiling and the supply cap; returns its id.
    function _issue(TengeStorage storage $, uint256 amount) private returns (uint16) {
        _checkAmount(amount);
        Bank memory record = $.banks[msg.sender];
        if (record.id == 0) revert DigitalTengeNotBank(msg.sender);
        if (record.suspended) revert DigitalTengeBankSuspended(msg.sender);
        int256 room = int256(uint256(record.ceiling)) - record.outstanding;
        if (int256(amount) > room) revert DigitalTengeCeilingExceeded(msg.sender, room < 0 ? 0 : uint256(room), amount);
        uint256 supply = $.totalSupply + amount;
        if (supply > MAX_SUPPLY) revert DigitalTengeSupplyCapExceeded(MAX_SUPPLY, supply);
        $.totalSupply = supply;
        // room <= ceiling + |outstanding| < 2^96, so the new outstanding fits int96
        $.banks[msg.sender].outstanding = int96(record.outstanding + int256(amount));
        return record.id;
    }

    /* INTERNAL: CHECKS */

    /// @notice The TengeAdmin module administrative calls are delegated to.
    /// @return Its address.
    function adminModule() external view returns (address) {
        return _admin;
    }

    /// @notice The TengeOffline module that offline-payment calls are delegated to.
    /// @return Its address.
    function offlineModule() external view returns (address) {
        return _offline;
    }

    /// @notice Offline payments (purses, batch settlement) are reached through the token's address with the
    /// TengeOffline ABI: every selector the token does not know runs in that module on the token's storage.
    // Not payable on purpose: the token never holds BNB, so a call with value must revert.
    // solhint-disable-next-line payable-fallback
    fallback() external {
        _delegate(_offline);
    }

    function _delegateToAdmin() private {
        _delegate(_admin);
    }

    /// @dev Runs the current call's calldata in `module` on this contract's storage and returns or reverts with
    /// exactly what it returned. Modules are immutables of this implementation.
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function _delegate(address module) private {
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), module, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    /// @dev UUPS: only the central bank's governance may upgrade.
    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}
}
