// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AccountWord} from "./AccountWord.sol";
import {PolicyWord} from "./PolicyWord.sol";
import {TengeBase} from "./TengeBase.sol";
import {InvoiceWord} from "./InvoiceWord.sol";
import {VatMath} from "./VatMath.sol";

/// @title TengeAdmin
/// @notice The digital tenge's administrative logic: bank registry and ceilings, tier limits, onboarding, tiers,
/// recovery, compliance freezes, seizure and pause. It holds no state of its own: DigitalTenge reaches it by
/// delegatecall, so it runs on the token's storage with the caller's roles. Moving it out of the token keeps the
/// token under the EIP-170 size limit while payments stay in the token, with no extra hop on their path.
/// @dev Deployed once per implementation and fixed as an immutable of DigitalTenge; an upgrade that changes this
/// logic deploys a new module and a new implementation. Calling it directly acts on its own empty storage, where
/// nobody holds a role.
/// @custom:oz-upgrades-unsafe-allow constructor
contract TengeAdmin is TengeBase {
    using AccountWord for uint256;
    using PolicyWord for uint256;
    using InvoiceWord for uint256;

    constructor() {
        _disableInitializers();
    }

    /// @notice Logic of {IDigitalTenge-registerBank}, reached from DigitalTenge by delegatecall.
    function registerBank(address bank, uint256 ceiling) external onlyRole(CENTRAL_BANK_ROLE) {
        if (bank == address(0)) revert DigitalTengeZeroAddress();
        _checkCeiling(ceiling);
        TengeStorage storage $ = _s();
        if ($.banks[bank].id != 0) revert DigitalTengeBankAlreadyRegistered(bank);
        if ($.bankCount == type(uint16).max) revert DigitalTengeTooManyBanks();
        uint16 id = $.bankCount + 1; // ids start at 1: 0 stands for the central bank in account words
        $.bankCount = id;
        $.banks[bank] = Bank({id: id, suspended: false, ceiling: uint64(ceiling), outstanding: 0});
        $.bankAddresses[id] = bank;
        emit BankRegistered(bank, id, ceiling);
    }

    /// @notice Logic of {IDigitalTenge-setIssuanceCeiling}, reached from DigitalTenge by delegatecall.
    function setIssuanceCeiling(address bank, uint256 ceiling) external onlyRole(CENTRAL_BANK_ROLE) {
        _checkCeiling(ceiling);
        Bank storage record = _registeredBank(bank);
        uint256 previous = record.ceiling;
        record.ceiling = uint64(ceiling);
        emit IssuanceCeilingSet(bank, previous, ceiling);
    }

    /// @notice Logic of {IDigitalTenge-setBankSuspended}, reached from DigitalTenge by delegatecall.
    function setBankSuspended(address bank, bool suspended) external onlyRole(CENTRAL_BANK_ROLE) {
        _registeredBank(bank).suspended = suspended;
        emit BankIssuanceSuspended(bank, suspended);
    }

    /// @notice Logic of {IDigitalTenge-setTierLimits}, reached from DigitalTenge by delegatecall.
    function setTierLimits(uint8 tier, uint256 holdingLimit, uint256 dailyLimit) external onlyRole(CENTRAL_BANK_ROLE) {
        _checkTier(tier);
        _checkLimit(holdingLimit);
        _checkLimit(dailyLimit);
        TengeStorage storage $ = _s();
        $.policy = $.policy.withTierLimits(
            tier,
            holdingLimit / PolicyWord.TIYN_PER_TENGE,
            dailyLimit / PolicyWord.TIYN_PER_TENGE
        );
        emit TierLimitsSet(tier, holdingLimit, dailyLimit);
    }

    /// @notice Logic of {IDigitalTenge-onboardInstitution}, reached from DigitalTenge by delegatecall.
    function onboardInstitution(address account) external onlyRole(CENTRAL_BANK_ROLE) {
        _onboard(_s(), account, 0, 0, true, address(0));
    }

    /// @notice Logic of {IDigitalTenge-setExempt}, reached from DigitalTenge by delegatecall.
    function setExempt(address account, bool exempt) external onlyRole(CENTRAL_BANK_ROLE) {
        TengeStorage storage $ = _s();
        uint256 word = _onboardedWord($, account);
        $.accounts[account] = exempt ? word | AccountWord.EXEMPT : word & ~AccountWord.EXEMPT;
        emit ExemptionSet(account, exempt);
    }

    /// @notice Logic of {IDigitalTenge-onboard}, reached from DigitalTenge by delegatecall.
    function onboard(address account, uint8 tier) external {
        TengeStorage storage $ = _s();
        uint16 bankId = _bankId($, msg.sender);
        _checkTier(tier);
        _onboard($, account, bankId, tier, false, msg.sender);
    }

    /// @notice Logic of {IDigitalTenge-onboardBatch}, reached from DigitalTenge by delegatecall.
    function onboardBatch(address[] calldata accounts, uint8 tier) external {
        TengeStorage storage $ = _s();
        uint16 bankId = _bankId($, msg.sender);
        _checkTier(tier);
        uint256 count = accounts.length;
        if (count == 0) revert DigitalTengeEmptyBatch();
        for (uint256 i; i < count; ++i) {
            _onboard($, accounts[i], bankId, tier, false, msg.sender);
        }
    }

    /// @notice Logic of {IDigitalTenge-offboard}, reached from DigitalTenge by delegatecall.
    function offboard(address account) external {
        TengeStorage storage $ = _s();
        uint256 word = _onboardedWord($, account);
        address manager = _checkManager($, account, word);
        if (word & AccountWord.FROZEN != 0) revert DigitalTengeAccountFrozen(account);
        if (word & AccountWord.VAT_PAYER != 0 && word.markedVat() != 0) {
            revert VatMarkedBalanceNotZero(account, word.markedVat());
        }
        if (word.balance() != 0 || word.frozenAmount() != 0) {
            revert DigitalTengeAccountNotEmpty(account, word.balance(), word.frozenAmount());
        }
        delete $.accounts[account];
        emit AccountOffboarded(account, manager);
    }

    /// @notice Logic of {IDigitalTenge-setTier}, reached from DigitalTenge by delegatecall.
    function setTier(address account, uint8 tier) external {
        _checkTier(tier);
        TengeStorage storage $ = _s();
        uint256 word = _onboardedWord($, account);
        _checkManager($, account, word);
        if (word & AccountWord.EXEMPT == 0) {
            uint256 limit = $.policy.holdingLimit(tier);
            if (word.balance() > limit) revert DigitalTengeHoldingLimitExceeded(account, limit, word.balance());
        }
        $.accounts[account] = word.withTier(tier);
        emit TierChanged(account, word.tier(), tier);
    }

    /// @notice Logic of {IDigitalTenge-recoverWallet}, reached from DigitalTenge by delegatecall.
    function recoverWallet(address lost, address replacement) external {
        TengeStorage storage $ = _s();
        _policyWhenNotPaused($);
        uint256 word = _onboardedWord($, lost);
        address manager = _checkManager($, lost, word);
        if (replacement == address(0)) revert DigitalTengeZeroAddress();
        if ($.accounts[replacement] != 0) revert DigitalTengeAlreadyOnboarded(replacement);
        // The whole word moves: balance, frozen state, today's outflow (so the limit cannot be reset), tier, bank.
        $.accounts[replacement] = word;
        delete $.accounts[lost];
        if (word & AccountWord.VAT_PAYER != 0) {
            // The VAT registration follows the marked VAT it governs.
            mapping(address => VatPayer) storage payers = _vat().payers;
            payers[replacement] = payers[lost];
            delete payers[lost];
        }
        _markOfflineNonceWord(replacement);
        uint256 balance = word.balance();
        emit IERC20.Transfer(lost, replacement, balance);
        emit AccountOffboarded(lost, manager);
        emit AccountOnboarded(replacement, manager, word.tier(), word & AccountWord.EXEMPT != 0);
        emit WalletRecovered(lost, replacement, manager, balance);
    }

    /// @notice Logic of {IDigitalTenge-freeze}, reached from DigitalTenge by delegatecall.
    function freeze(address account, bytes32 reason) external onlyRole(COMPLIANCE_ROLE) {
        TengeStorage storage $ = _s();
        uint256 word = _onboardedWord($, account);
        if (word & AccountWord.FROZEN != 0) revert DigitalTengeFreezeUnchanged(account, true);
        $.accounts[account] = word | AccountWord.FROZEN;
        emit AccountFrozen(account, reason);
    }

    /// @notice Logic of {IDigitalTenge-unfreeze}, reached from DigitalTenge by delegatecall.
    function unfreeze(address account, bytes32 reason) external onlyRole(COMPLIANCE_ROLE) {
        TengeStorage storage $ = _s();
        uint256 word = _onboardedWord($, account);
        if (word & AccountWord.FROZEN == 0) revert DigitalTengeFreezeUnchanged(account, false);
        $.accounts[account] = word & ~AccountWord.FROZEN;
        emit AccountUnfrozen(account, reason);
    }

    /// @notice Logic of {IDigitalTenge-freezeAmount}, reached from DigitalTenge by delegatecall.
    function freezeAmount(address account, uint256 amount, bytes32 reason) external onlyRole(COMPLIANCE_ROLE) {
        _checkAmount(amount);
        TengeStorage storage $ = _s();
        uint256 word = _onboardedWord($, account);
        uint256 previous = word.frozenAmount();
        uint256 updated = previous + amount;
        if (updated > MAX_SUPPLY) revert DigitalTengeInvalidAmount(updated);
        $.accounts[account] = word.withFrozenAmount(updated);
        emit FrozenAmountChanged(account, previous, updated, reason);
    }

    /// @notice Logic of {IDigitalTenge-unfreezeAmount}, reached from DigitalTenge by delegatecall.
    function unfreezeAmount(address account, uint256 amount, bytes32 reason) external onlyRole(COMPLIANCE_ROLE) {
        _checkAmount(amount);
        TengeStorage storage $ = _s();
        uint256 word = _onboardedWord($, account);
        uint256 previous = word.frozenAmount();
        if (amount > previous) revert DigitalTengeUnfreezeExceedsFrozen(account, previous, amount);
        uint256 updated = previous - amount;
        $.accounts[account] = word.withFrozenAmount(updated);
        emit FrozenAmountChanged(account, previous, updated, reason);
    }

    /// @notice Logic of {IDigitalTenge-seize}, reached from DigitalTenge by delegatecall.
    function seize(address from, address to, uint256 amount, bytes32 reason) external onlyRole(SEIZURE_ROLE) {
        if (from == to) revert DigitalTengeSelfSeizure(from);
        _checkAmount(amount);
        TengeStorage storage $ = _s();
        uint256 word = _onboardedWord($, from);
        uint256 balance = word.balance();
        if (amount > balance) revert DigitalTengeInsufficientBalance(from, balance, amount);
        uint256 frozen = word.frozenAmount();
        // Frozen funds are taken first: a court order usually freezes, then seizes, the same sum.
        uint256 stillFrozen = frozen > amount ? frozen - amount : 0;
        unchecked {
            $.accounts[from] = (word - amount).withFrozenAmount(stillFrozen); // amount <= balance
        }
        _credit($, $.policy, to, amount);
        emit IERC20.Transfer(from, to, amount);
        if (stillFrozen != frozen) emit FrozenAmountChanged(from, frozen, stillFrozen, reason);
        emit Seized(from, to, amount, reason);
    }

    /// @notice Logic of {IDigitalTenge-pause}, reached from DigitalTenge by delegatecall.
    function pause() external onlyRole(PAUSER_ROLE) {
        TengeStorage storage $ = _s();
        uint256 policy = $.policy;
        if (policy.isPaused()) revert EnforcedPause();
        $.policy = policy | PolicyWord.PAUSED;
        emit Paused(msg.sender);
    }

    /// @notice Logic of {IDigitalTenge-unpause}, reached from DigitalTenge by delegatecall.
    function unpause() external onlyRole(PAUSER_ROLE) {
        TengeStorage storage $ = _s();
        uint256 policy = $.policy;
        if (!policy.isPaused()) revert ExpectedPause();
        $.policy = policy & ~PolicyWord.PAUSED;
        emit Unpaused(msg.sender);
    }

    /* VAT: TAX AUTHORITY */

    /// @notice Logic of {ITengeVat-registerVatPayer}, reached from DigitalTenge by delegatecall.
    function registerVatPayer(
        address account,
        bytes32 taxpayerIdHash,
        VatCategory defaultCategory
    ) external onlyRole(TAX_AUTHORITY_ROLE) {
        TengeStorage storage $ = _s();
        uint256 word = _onboardedWord($, account);
        if (word & AccountWord.VAT_PAYER != 0) revert VatAlreadyRegistered(account);
        if (taxpayerIdHash == bytes32(0)) revert VatEmptyValue();
        _checkVatCategory(defaultCategory);
        // The outflow fields start holding marked VAT, at zero; today's outflow count is dropped with them.
        $.accounts[account] = word.withOutflow(0, 0) | AccountWord.VAT_PAYER;
        _vat().payers[account] = VatPayer({taxpayerIdHash: taxpayerIdHash, defaultCategory: defaultCategory});
        emit VatPayerRegistered(account, taxpayerIdHash, defaultCategory);
    }

    /// @notice Logic of {ITengeVat-updateVatPayer}, reached from DigitalTenge by delegatecall.
    function updateVatPayer(address account, VatCategory defaultCategory) external onlyRole(TAX_AUTHORITY_ROLE) {
        _vatPayerWord(account);
        _checkVatCategory(defaultCategory);
        _vat().payers[account].defaultCategory = defaultCategory;
        emit VatPayerUpdated(account, defaultCategory);
    }

    /// @notice Logic of {ITengeVat-deregisterVatPayer}, reached from DigitalTenge by delegatecall.
    function deregisterVatPayer(address account) external onlyRole(TAX_AUTHORITY_ROLE) {
        uint256 word = _vatPayerWord(account);
        if (word.markedVat() != 0) revert VatMarkedBalanceNotZero(account, word.markedVat());
        _s().accounts[account] = (word & ~AccountWord.VAT_PAYER).withOutflow(0, AccountWord.today());
        delete _vat().payers[account];
        emit VatPayerDeregistered(account);
    }

    /// @notice Logic of {ITengeVat-scheduleVatRates}, reached from DigitalTenge by delegatecall.
    function scheduleVatRates(
        uint256 standardBps,
        uint256 reducedBps,
        uint256 effectiveFrom
    ) external onlyRole(TAX_AUTHORITY_ROLE) {
        if (standardBps > VatMath.MAX_RATE_BPS) revert VatInvalidRate(standardBps);
        if (reducedBps > VatMath.MAX_RATE_BPS) revert VatInvalidRate(reducedBps);
        VatStorage storage vat_ = _vat();
        uint256 config = vat_.config;
        // Fold a schedule already in force into the current rates before replacing the pending one.
        uint256 current = config.rateInForce(0, block.timestamp) | (config.rateInForce(1, block.timestamp) << 14);
        uint256 kept = config & (InvoiceWord.MASK_64 << InvoiceWord.MARKED_SHIFT);
        if (effectiveFrom <= block.timestamp) {
            vat_.config = kept | standardBps | (reducedBps << 14);
        } else {
            if (effectiveFrom > type(uint40).max) revert VatInvalidRate(effectiveFrom);
            vat_.config =
                kept |
                current |
                (standardBps << 28) |
                (reducedBps << 42) |
                (effectiveFrom << InvoiceWord.NEXT_EFFECTIVE_SHIFT);
        }
        emit VatRatesScheduled(standardBps, reducedBps, effectiveFrom);
    }

    /// @notice Logic of {ITengeVat-setVatBudget}, reached from DigitalTenge by delegatecall.
    function setVatBudget(address budget) external onlyRole(TAX_AUTHORITY_ROLE) {
        _onboardedWord(_s(), budget);
        _vat().budget = budget;
        emit VatBudgetSet(budget);
    }

    /* VAT: MERCHANTS AND PAYERS */

    /// @notice Logic of {ITengeVat-issueInvoice}, reached from DigitalTenge by delegatecall.
    function issueInvoice(
        bytes32 invoiceRef,
        uint256 amount,
        bool exclusive,
        VatCategory category,
        address payer
    ) external {
        uint256 word = _s().accounts[msg.sender];
        _checkActive(msg.sender, word);
        if (invoiceRef == bytes32(0)) revert VatEmptyValue();
        _checkAmount(amount);
        VatStorage storage vat_ = _vat();
        if (vat_.invoices[msg.sender][invoiceRef] != 0) revert VatInvoiceExists(msg.sender, invoiceRef);
        if (category != VatCategory.EXEMPT) {
            if (word & AccountWord.VAT_PAYER == 0) revert VatNotRegistered(msg.sender);
            if (category == VatCategory.DEFAULT) category = vat_.payers[msg.sender].defaultCategory;
        }
        vat_.invoices[msg.sender][invoiceRef] = InvoiceWord.issued(amount, exclusive, uint256(category), payer);
        emit InvoiceIssued(msg.sender, invoiceRef, payer, amount, exclusive, category);
    }

    /// @notice Logic of {ITengeVat-cancelInvoice}, reached from DigitalTenge by delegatecall.
    function cancelInvoice(bytes32 invoiceRef) external {
        mapping(bytes32 => uint256) storage invoices = _vat().invoices[msg.sender];
        uint256 word = invoices[invoiceRef];
        if (word.status() != InvoiceWord.STATUS_ISSUED) {
            revert VatInvoiceStatus(msg.sender, invoiceRef, InvoiceStatus(word.status()));
        }
        invoices[invoiceRef] = word.withStatus(InvoiceWord.STATUS_CANCELLED);
        emit InvoiceCancelled(msg.sender, invoiceRef);
    }

    /// @notice Logic of {ITengeVat-refundInvoice}, reached from DigitalTenge by delegatecall.
    function refundInvoice(bytes32 invoiceRef, uint256 gross) external {
        TengeStorage storage $ = _s();
        uint256 policy = _policyWhenNotPaused($);
        _checkAmount(gross);
        VatStorage storage vat_ = _vat();
        uint256 word = vat_.invoices[msg.sender][invoiceRef];
        if (word.status() != InvoiceWord.STATUS_PAID) {
            revert VatInvoiceStatus(msg.sender, invoiceRef, InvoiceStatus(word.status()));
        }
        (uint256 paidGross, , uint256 paidVat) = _paidAmounts(word);
        uint256 before = vat_.refunded[msg.sender][invoiceRef];
        if (before + gross > paidGross) revert VatRefundExceedsPaid(invoiceRef, paidGross, before, gross);
        uint256 vatPart = VatMath.refundVat(paidGross, paidVat, before, gross);
        uint256 netPart = gross - vatPart;
        vat_.refunded[msg.sender][invoiceRef] = before + gross;
        address payer = word.payer();
        bool inputVat = word & InvoiceWord.PAID_WITH_INPUT_VAT != 0;

        // Merchant side: the net part from its balance (an ordinary payment), the VAT part from its marked VAT.
        if (netPart != 0) _debit($, policy, msg.sender, netPart);
        if (vatPart != 0) {
            uint256 merchantWord = $.accounts[msg.sender];
            _checkActive(msg.sender, merchantWord); // also when no net moves: a frozen wallet moves nothing
            // A deregistered merchant's bits 128-191 count its outflow again: it holds no marked VAT.
            uint256 marked = merchantWord & AccountWord.VAT_PAYER == 0 ? 0 : merchantWord.markedVat();
            if (marked < vatPart) revert VatMarkedBalanceInsufficient(msg.sender, marked, vatPart);
            $.accounts[msg.sender] = merchantWord.withMarkedVat(marked - vatPart);
        }
        // Payer side: mirrors how it paid. Input VAT goes back to its marked VAT, ordinary VAT to its balance.
        if (inputVat) {
            _credit($, policy, payer, netPart);
            if (vatPart != 0) {
                uint256 payerWord = $.accounts[payer];
                if (payerWord & AccountWord.VAT_PAYER == 0) revert VatNotRegistered(payer);
                $.accounts[payer] = payerWord.withMarkedVat(payerWord.markedVat() + vatPart);
                vat_.totals -= vatPart << 64; // the offset is undone
            }
            emit IERC20.Transfer(msg.sender, payer, netPart);
        } else {
            _credit($, policy, payer, gross);
            if (vatPart != 0) {
                uint256 config = vat_.config;
                vat_.config = config.withMarkedTotal(config.markedTotal() - vatPart);
                vat_.totals += vatPart << 128;
            }
            emit IERC20.Transfer(msg.sender, payer, netPart);
            if (vatPart != 0) emit IERC20.Transfer(VAT_LEDGER, payer, vatPart);
        }
        emit InvoiceRefunded(msg.sender, payer, invoiceRef, gross, netPart, vatPart);
    }

    /// @notice Logic of {ITengeVat-payInvoiceWithInputVat}, reached from DigitalTenge by delegatecall.
    function payInvoiceWithInputVat(address merchant, bytes32 invoiceRef) external {
        _settleInvoice(msg.sender, merchant, invoiceRef, true);
    }

    /// @notice Logic of {ITengeVat-payVatToBudget}, reached from DigitalTenge by delegatecall.
    function payVatToBudget(uint256 amount) external {
        TengeStorage storage $ = _s();
        uint256 policy = _policyWhenNotPaused($);
        _checkAmount(amount);
        VatStorage storage vat_ = _vat();
        address budget = vat_.budget;
        if (budget == address(0)) revert VatBudgetNotSet();
        uint256 word = _vatPayerWord(msg.sender);
        _checkActive(msg.sender, word);
        uint256 marked = word.markedVat();
        if (marked < amount) revert VatMarkedBalanceInsufficient(msg.sender, marked, amount);
        $.accounts[msg.sender] = word.withMarkedVat(marked - amount);
        _credit($, policy, budget, amount);
        uint256 config = vat_.config;
        vat_.config = config.withMarkedTotal(config.markedTotal() - amount);
        vat_.totals += amount;
        emit IERC20.Transfer(VAT_LEDGER, budget, amount);
        emit VatPaidToBudget(msg.sender, budget, amount);
    }

    /* PRIVATE */

    function _registeredBank(address bank) private view returns (Bank storage record) {
        record = _s().banks[bank];
        if (record.id == 0) revert DigitalTengeNotBank(bank);
    }

    function _onboard(
        TengeStorage storage $,
        address account,
        uint16 bankId,
        uint8 tier,
        bool exempt,
        address manager
    ) private {
        if (account == address(0)) revert DigitalTengeZeroAddress();
        if ($.accounts[account] != 0) revert DigitalTengeAlreadyOnboarded(account);
        // Records today's day so the wallet's first payment rewrites no more of the word than later ones.
        $.accounts[account] = AccountWord.onboarded(bankId, tier, exempt).withOutflow(0, AccountWord.today());
        _markOfflineNonceWord(account);
        emit AccountOnboarded(account, manager, tier, exempt);
    }

    function _checkCeiling(uint256 ceiling) private pure {
        if (ceiling > MAX_SUPPLY) revert DigitalTengeInvalidAmount(ceiling);
    }

    function _checkLimit(uint256 limit) private pure {
        if (limit % PolicyWord.TIYN_PER_TENGE != 0 || limit > PolicyWord.MAX_LIMIT) {
            revert DigitalTengeInvalidLimit(limit);
        }
    }

    function _vatPayerWord(address account) private view returns (uint256 word) {
        word = _s().accounts[account];
        if (word & AccountWord.VAT_PAYER == 0) revert VatNotRegistered(account);
    }

    /// @dev A VAT payer's default category: a VAT-bearing one (EXEMPT and DEFAULT are not categories of a payer).
    function _checkVatCategory(VatCategory category) private pure {
        if (category == VatCategory.EXEMPT || category == VatCategory.DEFAULT) revert VatInvalidCategory(category);
    }
}
