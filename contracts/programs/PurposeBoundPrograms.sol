// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IPurposeBoundPrograms} from "../interfaces/IPurposeBoundPrograms.sol";

/// @title PurposeBoundPrograms
/// @notice Escrow of purpose-bound ("marked") budget money in digital tenge: school lunches paid through children's
/// transit cards, or any earmarked budget program. Spendable only at the program's merchants, within each
/// beneficiary's allowance, between start and expiry; the unspent budget returns to the funder at close.
/// @dev Roles and who holds them:
/// - DEFAULT_ADMIN_ROLE: the central bank's governance (multisig); grants and revokes roles, authorises upgrades,
///   re-points a program's funder after a wallet recovery, recovers tenge sent here outside any program.
/// - OPERATOR_ROLE: the intermediary (Kazpost in the Almaty pilot); enrols and removes beneficiaries and merchants
///   and tops up allowances, for every program.
/// - Funders hold no role: any tenge holder may earmark its own money (the tenge's payment rules apply to the
///   escrow payment). The operator serves the programs it is asked to; a program nobody enrols anyone in can only
///   be closed, returning everything.
/// This contract is an institution of the digital tenge (onboarded by the central bank, exempt from tier limits),
/// holding every program's budget; the deploy script sets that up. Beneficiaries need not be tenge wallets: they
/// never hold tenge, the escrow pays the merchant, and the tenge checks that the merchant may receive.
/// Invariant: per program `budget == spent + returned + earmarked` (earmarked `budget - spent` while open, 0 once
/// closed) and `tenge.balanceOf(this) >= Σ earmarked`, with equality unless tenge arrived outside a program. Only
/// budget and spent are stored (returned follows from them once closed); the tests check the figures against an
/// independent model and against the tenge that actually moved.
/// Gas: a payment reads and writes one program word (budget, spent, allowance, schedule, period, status) and one
/// beneficiary word (period index, spent in period, top-ups, nonce) and reads one merchant flag; the funder, the
/// counts and the close time live in a second program word that payments never touch. A batch of signed payments
/// ({spendBatchFor}) reads and writes the program word and reads the merchant flag once per batch, reads and
/// writes one beneficiary word per item, and makes one tenge transfer per batch. The tenge's address is an
/// immutable of the implementation (an upgrade is deployed with the same one, as the deploy script does).
/// @custom:oz-upgrades-unsafe-allow constructor
contract PurposeBoundPrograms is IPurposeBoundPrograms, AccessControlUpgradeable, UUPSUpgradeable {
    using SafeERC20 for IERC20;

    /* ROLES AND CONSTANTS */

    /// @notice Enrols beneficiaries and merchants and tops up allowances (Kazpost in the pilot).
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @notice EIP-712 type hash of a beneficiary's signed spending authorization.
    bytes32 public constant SPEND_TYPEHASH = keccak256(
        "Spend(uint256 programId,address beneficiary,address merchant,uint256 amount,uint256 nonce,uint256 deadline)"
    );

    bytes32 private constant _DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    string private constant _NAME = "PurposeBoundPrograms";
    string private constant _VERSION = "1";
    bytes32 private constant _HASHED_NAME = keccak256(bytes(_NAME));
    bytes32 private constant _HASHED_VERSION = keccak256(bytes(_VERSION));
    /// @dev Almaty time (UTC+5), as the tenge counts its days.
    uint256 private constant _ALMATY_OFFSET = 5 hours;
    /// @dev 1970-01-01 was a Thursday: adding 3 days makes weeks start on Monday.
    uint256 private constant _WEEK_SHIFT = 3;
    /// @dev ABI size of `abi.encode(ProgramTerms)` (four static words) and of `abi.encode(programId)`.
    uint256 private constant _TERMS_DATA_LENGTH = 128;
    uint256 private constant _FUND_DATA_LENGTH = 32;

    /* STORAGE */

    /// @dev The word a payment reads and writes: 64 + 64 + 48 + 32 + 32 + 8 + 8 = 256 bits. The budget fits 64
    /// bits because the tenge's supply does (its cap is 2^64 - 1), so `spent <= budget` does too.
    struct Program {
        uint64 budget;
        uint64 spent;
        uint48 allowance;
        uint32 start;
        uint32 expiry;
        uint8 period; // a PeriodKind
        bool closed;
    }

    /// @dev What payments never read, in one word (160 + 32 + 24 + 40 bits): who is refunded, the counts, and when
    /// the program was closed. What was returned is not stored: once closed, a program's budget and spent never
    /// change, so it is `budget - spent`.
    struct ProgramBook {
        address funder;
        uint32 beneficiaries;
        uint24 merchants;
        uint40 closedAt;
    }

    /// @dev One beneficiary's word in one program: 8 + 32 + 64 + 64 + 64 = 232 bits. `spentInPeriod` counts what
    /// was spent from the allowance of period `period` only (top-ups are consumed from `extra`); it never exceeds
    /// the allowance. The nonce survives removal, so re-enrolment never revives an old signed authorization.
    struct Beneficiary {
        bool enrolled;
        uint32 period;
        uint64 spentInPeriod;
        uint64 extra;
        uint64 nonce;
    }

    /// @dev What every item of a {spendBatchFor} shares, computed once per batch (memory only, never stored).
    struct BatchContext {
        uint256 programId;
        address merchant;
        uint256 period; // the allowance period the batch's block falls in
        bytes32 domain; // the EIP-712 domain separator
    }

    /// @custom:storage-location erc7201:digitaltenge.storage.PurposeBoundPrograms
    struct ProgramsStorage {
        uint256 programCount;
        mapping(uint256 programId => Program) programs;
        mapping(uint256 programId => ProgramBook) books;
        mapping(uint256 programId => mapping(address merchant => bool)) merchants;
        mapping(uint256 programId => mapping(address beneficiary => Beneficiary)) beneficiaries;
        mapping(uint256 programId => mapping(address beneficiary => bytes32)) cardCommitments;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.PurposeBoundPrograms")) - 1))
    //     & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_LOCATION = 0xd9d5cd91f2b1a30edbe773b57ba7c8d1a91ce9de31b7f86ea12589e43f5b1600;

    /// @dev The tenge proxy never moves; an immutable saves a cold storage read on every payment.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IERC20 private immutable _tenge;

    /* CONSTRUCTOR AND INITIALIZER */

    /// @param tenge_ The digital tenge proxy.
    constructor(address tenge_) {
        if (tenge_ == address(0)) revert ProgramsZeroAddress();
        _tenge = IERC20(tenge_);
        _disableInitializers();
    }

    /// @notice Initialises the proxy's state: `admin` receives DEFAULT_ADMIN_ROLE and nothing else.
    /// @param admin The central bank's governance address.
    function initialize(address admin) external initializer {
        if (admin == address(0)) revert ProgramsZeroAddress();
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /* FUNDERS */

    /// @inheritdoc IPurposeBoundPrograms
    function createProgram(ProgramTerms calldata terms, uint256 budget) external returns (uint256 programId) {
        programId = _create(msg.sender, terms, budget);
        _tenge.safeTransferFrom(msg.sender, address(this), budget);
    }

    /// @inheritdoc IPurposeBoundPrograms
    function fund(uint256 programId, uint256 amount) external {
        _fund(msg.sender, programId, amount);
        _tenge.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IPurposeBoundPrograms
    function onTransferReceived(address, address from, uint256 value, bytes calldata data) external returns (bytes4) {
        if (msg.sender != address(_tenge)) revert ProgramsCallerNotTenge(msg.sender);
        // The tenge credited this contract before calling: the value is here already.
        if (data.length == _FUND_DATA_LENGTH) {
            _fund(from, abi.decode(data, (uint256)), value);
        } else if (data.length == _TERMS_DATA_LENGTH) {
            _create(from, abi.decode(data, (ProgramTerms)), value);
        } else {
            revert ProgramsInvalidCallbackData(data.length);
        }
        return IERC1363Receiver.onTransferReceived.selector;
    }

    /// @inheritdoc IPurposeBoundPrograms
    function close(uint256 programId) external returns (uint256 returned) {
        ProgramsStorage storage $ = _programs();
        Program memory p = $.programs[programId];
        _requireExisting(programId, p);
        ProgramBook storage book = $.books[programId];
        address funder = book.funder;
        if (msg.sender != funder && block.timestamp < p.expiry) {
            revert ProgramsCloseNotAllowed(programId, msg.sender, p.expiry);
        }
        returned = p.budget - p.spent;
        $.programs[programId].closed = true;
        book.closedAt = uint40(block.timestamp);
        emit ProgramClosed(programId, msg.sender, returned, p.spent);
        // The tenge refuses a funder that cannot receive (offboarded, frozen); its error passes through and the
        // program stays open, its budget earmarked, until the funder can (or the admin re-points the funder).
        if (returned != 0) _tenge.safeTransfer(funder, returned);
    }

    /// @inheritdoc IPurposeBoundPrograms
    function setFunder(uint256 programId, address newFunder) external {
        ProgramsStorage storage $ = _programs();
        _requireExisting(programId, $.programs[programId]);
        ProgramBook storage book = $.books[programId];
        address previous = book.funder;
        if (msg.sender != previous && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert ProgramsNotFunder(programId, msg.sender);
        }
        if (newFunder == address(0)) revert ProgramsZeroAddress();
        if (!_onboardedInTenge(newFunder)) revert ProgramsNotOnboardedInTenge(newFunder);
        book.funder = newFunder;
        emit FunderChanged(programId, previous, newFunder);
    }

    /* OPERATOR */

    /// @inheritdoc IPurposeBoundPrograms
    function addMerchants(uint256 programId, address[] calldata merchants) external onlyRole(OPERATOR_ROLE) {
        ProgramsStorage storage $ = _programs();
        _requireOpen(programId, $.programs[programId]);
        uint256 count = merchants.length;
        if (count == 0) revert ProgramsEmptyBatch();
        mapping(address => bool) storage listed = $.merchants[programId];
        for (uint256 i = 0; i < count; ++i) {
            address merchant = merchants[i];
            if (listed[merchant]) revert ProgramsMerchantAlreadyAdded(programId, merchant);
            // Checked here, once, so a payment never needs to: the tenge still refuses one later offboarded.
            if (!_onboardedInTenge(merchant)) revert ProgramsNotOnboardedInTenge(merchant);
            listed[merchant] = true;
            emit MerchantAdded(programId, merchant);
        }
        $.books[programId].merchants += uint24(count); // checked: more than 2^24 - 1 merchants overflows
    }

    /// @inheritdoc IPurposeBoundPrograms
    function removeMerchants(uint256 programId, address[] calldata merchants) external onlyRole(OPERATOR_ROLE) {
        ProgramsStorage storage $ = _programs();
        _requireOpen(programId, $.programs[programId]);
        uint256 count = merchants.length;
        if (count == 0) revert ProgramsEmptyBatch();
        mapping(address => bool) storage listed = $.merchants[programId];
        for (uint256 i = 0; i < count; ++i) {
            address merchant = merchants[i];
            if (!listed[merchant]) revert ProgramsMerchantNotEligible(programId, merchant);
            listed[merchant] = false;
            emit MerchantRemoved(programId, merchant);
        }
        $.books[programId].merchants -= uint24(count); // each one was counted when added
    }

    /// @inheritdoc IPurposeBoundPrograms
    function enrolBeneficiaries(
        uint256 programId,
        address[] calldata beneficiaries,
        bytes32[] calldata cardCommitments
    ) external onlyRole(OPERATOR_ROLE) {
        ProgramsStorage storage $ = _programs();
        _requireOpen(programId, $.programs[programId]);
        uint256 count = beneficiaries.length;
        if (count == 0) revert ProgramsEmptyBatch();
        bool withCommitments = cardCommitments.length != 0;
        if (withCommitments && cardCommitments.length != count) {
            revert ProgramsLengthMismatch(count, cardCommitments.length);
        }
        for (uint256 i = 0; i < count; ++i) {
            _enrol($, programId, beneficiaries[i], withCommitments ? cardCommitments[i] : bytes32(0));
        }
        $.books[programId].beneficiaries += uint32(count); // a batch is far below 2^32 entries
    }

    /// @inheritdoc IPurposeBoundPrograms
    function removeBeneficiaries(uint256 programId, address[] calldata beneficiaries) external onlyRole(OPERATOR_ROLE) {
        ProgramsStorage storage $ = _programs();
        _requireOpen(programId, $.programs[programId]);
        uint256 count = beneficiaries.length;
        if (count == 0) revert ProgramsEmptyBatch();
        mapping(address => Beneficiary) storage enrolled = $.beneficiaries[programId];
        for (uint256 i = 0; i < count; ++i) {
            address beneficiary = beneficiaries[i];
            Beneficiary storage b = enrolled[beneficiary];
            if (!b.enrolled) revert ProgramsNotEnrolled(programId, beneficiary);
            // The period counters and the nonce stay: re-enrolment neither refreshes this period's allowance nor
            // revives a signed authorization.
            b.enrolled = false;
            b.extra = 0;
            delete $.cardCommitments[programId][beneficiary];
            emit BeneficiaryRemoved(programId, beneficiary);
        }
        $.books[programId].beneficiaries -= uint32(count); // each one was counted when enrolled
    }

    /// @inheritdoc IPurposeBoundPrograms
    function topUp(
        uint256 programId,
        address[] calldata beneficiaries,
        uint256[] calldata amounts
    ) external onlyRole(OPERATOR_ROLE) {
        ProgramsStorage storage $ = _programs();
        _requireOpen(programId, $.programs[programId]);
        uint256 count = beneficiaries.length;
        if (count == 0) revert ProgramsEmptyBatch();
        if (amounts.length != count) revert ProgramsLengthMismatch(count, amounts.length);
        mapping(address => Beneficiary) storage enrolled = $.beneficiaries[programId];
        for (uint256 i = 0; i < count; ++i) {
            address beneficiary = beneficiaries[i];
            uint256 amount = amounts[i];
            if (amount == 0) revert ProgramsZeroAmount();
            Beneficiary storage b = enrolled[beneficiary];
            if (!b.enrolled) revert ProgramsNotEnrolled(programId, beneficiary);
            uint256 extra = b.extra + amount;
            if (extra > type(uint64).max) revert ProgramsAmountTooLarge(extra, type(uint64).max);
            b.extra = uint64(extra);
            emit AllowanceToppedUp(programId, beneficiary, amount, extra);
        }
    }

    /* BENEFICIARIES */

    /// @inheritdoc IPurposeBoundPrograms
    function spend(uint256 programId, address merchant, uint256 amount) external {
        _spend(programId, msg.sender, merchant, amount, false);
    }

    /// @inheritdoc IPurposeBoundPrograms
    function spendFor(
        uint256 programId,
        address beneficiary,
        address merchant,
        uint256 amount,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert ProgramsAuthorizationExpired(deadline, block.timestamp);
        uint256 nonce = _programs().beneficiaries[programId][beneficiary].nonce;
        bytes32 digest = _spendDigest(_domainSeparator(), programId, beneficiary, merchant, amount, nonce, deadline);
        if (!_isValidSpendSignature(beneficiary, digest, signature)) revert ProgramsInvalidSignature(beneficiary);
        _spend(programId, beneficiary, merchant, amount, true);
    }

    /// @inheritdoc IPurposeBoundPrograms
    function spendBatchFor(
        uint256 programId,
        address merchant,
        SignedSpend[] calldata spends
    ) external returns (uint256 paid, uint256 total) {
        ProgramsStorage storage $ = _programs();
        // The program word is read once here; the items add to `p.spent` in memory, written back once below.
        Program memory p = $.programs[programId];
        _requireSpendable(programId, p);
        uint256 count = spends.length;
        if (count == 0) revert ProgramsEmptyBatch();
        if (!$.merchants[programId][merchant]) revert ProgramsMerchantNotEligible(programId, merchant);
        BatchContext memory batch = BatchContext({
            programId: programId,
            merchant: merchant,
            period: _periodIndex(PeriodKind(p.period), block.timestamp),
            domain: _domainSeparator()
        });
        for (uint256 i = 0; i < count; ++i) {
            uint256 amount = _settleSigned($, p, batch, spends[i]);
            // A settled item is never zero (`ZeroAmount` is refused), so 0 means refused.
            if (amount != 0) {
                ++paid;
                total += amount;
            }
        }
        if (total != 0) {
            $.programs[programId].spent = p.spent;
            // The only external call, after every effect: the tenge checks that the merchant may receive and that
            // it is not paused; its error passes through and reverts the whole batch.
            _tenge.safeTransfer(merchant, total);
        }
    }

    /* CENTRAL BANK */

    /// @inheritdoc IPurposeBoundPrograms
    function recoverSurplus(address to) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint256 amount) {
        if (to == address(0)) revert ProgramsZeroAddress();
        if (to == address(this)) revert ProgramsInvalidRecipient(to);
        uint256 balance = _tenge.balanceOf(address(this));
        (, , , uint256 earmarked) = _totals();
        if (balance <= earmarked) revert ProgramsNoSurplus(balance, earmarked);
        unchecked {
            amount = balance - earmarked; // balance > earmarked checked above
        }
        emit SurplusRecovered(to, amount);
        _tenge.safeTransfer(to, amount);
    }

    /* VIEWS */

    /// @inheritdoc IPurposeBoundPrograms
    function tenge() external view returns (address) {
        return address(_tenge);
    }

    /// @inheritdoc IPurposeBoundPrograms
    function programCount() external view returns (uint256) {
        return _programs().programCount;
    }

    /// @inheritdoc IPurposeBoundPrograms
    function programOf(uint256 programId) external view returns (ProgramView memory view_) {
        ProgramsStorage storage $ = _programs();
        Program memory p = $.programs[programId];
        if (p.expiry == 0) return view_;
        ProgramBook memory book = $.books[programId];
        view_ = ProgramView({
            funder: book.funder,
            status: _statusOf(p),
            period: PeriodKind(p.period),
            allowance: p.allowance,
            start: p.start,
            expiry: p.expiry,
            closedAt: book.closedAt,
            budget: p.budget,
            spent: p.spent,
            returned: _returned(p),
            earmarked: _earmarked(p),
            beneficiaries: book.beneficiaries,
            merchants: book.merchants
        });
    }

    /// @inheritdoc IPurposeBoundPrograms
    function figuresOf(
        uint256 programId
    ) external view returns (uint256 budget, uint256 spent, uint256 returned, uint256 earmarked) {
        Program memory p = _programs().programs[programId];
        return (p.budget, p.spent, _returned(p), _earmarked(p));
    }

    /// @inheritdoc IPurposeBoundPrograms
    function totals() external view returns (uint256 budget, uint256 spent, uint256 returned, uint256 earmarked) {
        return _totals();
    }

    /// @inheritdoc IPurposeBoundPrograms
    function surplus() external view returns (uint256) {
        uint256 balance = _tenge.balanceOf(address(this));
        (, , , uint256 earmarked) = _totals();
        return balance > earmarked ? balance - earmarked : 0;
    }

    /// @inheritdoc IPurposeBoundPrograms
    function isMerchant(uint256 programId, address merchant) external view returns (bool) {
        return _programs().merchants[programId][merchant];
    }

    /// @inheritdoc IPurposeBoundPrograms
    function beneficiaryOf(
        uint256 programId,
        address beneficiary
    ) external view returns (BeneficiaryView memory view_) {
        ProgramsStorage storage $ = _programs();
        Program memory p = $.programs[programId];
        Beneficiary memory b = $.beneficiaries[programId][beneficiary];
        uint256 period = _periodIndex(PeriodKind(p.period), block.timestamp);
        view_.enrolled = b.enrolled;
        view_.cardCommitment = $.cardCommitments[programId][beneficiary];
        view_.periodIndex = period;
        view_.spentThisPeriod = b.period == period ? b.spentInPeriod : 0;
        view_.nonce = b.nonce;
        if (b.enrolled) {
            view_.periodLeft = p.allowance > view_.spentThisPeriod ? p.allowance - view_.spentThisPeriod : 0;
            view_.extra = b.extra;
            view_.available = view_.periodLeft + b.extra;
        }
    }

    /// @inheritdoc IPurposeBoundPrograms
    function periodIndex(PeriodKind period, uint256 timestamp) external pure returns (uint256) {
        return _periodIndex(period, timestamp);
    }

    /// @inheritdoc IPurposeBoundPrograms
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparator();
    }

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", _NAME, _VERSION, block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    /* INTERNAL */

    /// @dev Only the central bank's governance upgrades.
    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev Records a new program of `funder` with `budget`; the caller moves the tenge (or it arrived already).
    function _create(address funder, ProgramTerms memory terms, uint256 budget) private returns (uint256 programId) {
        if (budget == 0) revert ProgramsZeroAmount();
        if (budget > type(uint64).max) revert ProgramsAmountTooLarge(budget, type(uint64).max);
        if (terms.allowance > type(uint48).max) revert ProgramsAmountTooLarge(terms.allowance, type(uint48).max);
        uint256 start = terms.start == 0 ? block.timestamp : terms.start;
        uint256 expiry = terms.expiry;
        if (expiry <= start || expiry <= block.timestamp || expiry > type(uint32).max) {
            revert ProgramsInvalidSchedule(start, expiry, block.timestamp);
        }
        ProgramsStorage storage $ = _programs();
        programId = ++$.programCount;
        // start < expiry <= 2^32 - 1, so both fit their 32-bit fields.
        $.programs[programId] = Program({
            budget: uint64(budget),
            spent: 0,
            allowance: uint48(terms.allowance),
            start: uint32(start),
            expiry: uint32(expiry),
            period: uint8(terms.period),
            closed: false
        });
        $.books[programId].funder = funder;
        emit ProgramCreated(programId, funder, budget, terms.allowance, terms.period, start, expiry);
    }

    /// @dev Enrols one beneficiary; the counts are the batch's business.
    function _enrol(ProgramsStorage storage $, uint256 programId, address beneficiary, bytes32 commitment) private {
        if (beneficiary == address(0)) revert ProgramsZeroAddress();
        Beneficiary storage b = $.beneficiaries[programId][beneficiary];
        if (b.enrolled) revert ProgramsAlreadyEnrolled(programId, beneficiary);
        b.enrolled = true;
        if (commitment != bytes32(0)) $.cardCommitments[programId][beneficiary] = commitment;
        emit BeneficiaryEnrolled(programId, beneficiary, commitment);
    }

    /// @dev Adds `amount` of `funder`'s tenge to a program's budget; the caller moves the tenge.
    function _fund(address funder, uint256 programId, uint256 amount) private {
        ProgramsStorage storage $ = _programs();
        Program memory p = $.programs[programId];
        _requireOpen(programId, p);
        if (funder != $.books[programId].funder) revert ProgramsNotFunder(programId, funder);
        if (amount == 0) revert ProgramsZeroAmount();
        uint256 budget = p.budget + amount;
        if (budget > type(uint64).max) revert ProgramsAmountTooLarge(budget, type(uint64).max);
        $.programs[programId].budget = uint64(budget);
        emit ProgramFunded(programId, funder, amount, budget);
    }

    /// @dev The whole payment: every rule in the order {IPurposeBoundPrograms-spend} documents, then the effects,
    /// then the tenge transfer to the merchant (the only external call, to the suite's own token).
    function _spend(uint256 programId, address beneficiary, address merchant, uint256 amount, bool signed) private {
        ProgramsStorage storage $ = _programs();
        Program memory p = $.programs[programId];
        _requireSpendable(programId, p);
        if (amount == 0) revert ProgramsZeroAmount();
        if (!$.merchants[programId][merchant]) revert ProgramsMerchantNotEligible(programId, merchant);
        Beneficiary memory b = $.beneficiaries[programId][beneficiary];
        if (!b.enrolled) revert ProgramsNotEnrolled(programId, beneficiary);
        _useAllowance(p, b, programId, beneficiary, amount);
        uint256 remaining = p.budget - p.spent;
        if (amount > remaining) revert ProgramsBudgetExhausted(programId, remaining, amount);

        if (signed) ++b.nonce; // sequential: 2^64 authorizations are out of reach
        $.beneficiaries[programId][beneficiary] = b;
        $.programs[programId].spent = uint64(p.spent + amount);
        emit Spent(programId, beneficiary, merchant, amount, signed);
        // The tenge checks that the merchant may receive (onboarded, not frozen, holding limit) and that it is not
        // paused; its error passes through unchanged.
        _tenge.safeTransfer(merchant, amount);
    }

    /// @dev One item of {spendBatchFor}: the checks of {SpendFailure} in order, then the item's effects (the
    /// beneficiary's word in storage, the program's `spent` in `p` in memory) and {Spent}; returns the tiyn paid.
    /// When a check fails, emits {SpendRejected} and returns 0 having changed nothing. The program-level checks were
    /// made once by the caller.
    function _settleSigned(
        ProgramsStorage storage $,
        Program memory p,
        BatchContext memory batch,
        SignedSpend calldata item
    ) private returns (uint256 paid) {
        (bool settled, SpendFailure reason) = _applySigned($, p, batch, item);
        if (!settled) {
            emit SpendRejected(batch.programId, item.beneficiary, batch.merchant, item.amount, reason);
            return 0;
        }
        paid = item.amount;
        emit Spent(batch.programId, item.beneficiary, batch.merchant, paid, true);
    }

    /// @dev The checks and effects of one {spendBatchFor} item, for {_settleSigned}: false and the first failing
    /// reason, with nothing changed; or true, with the nonce consumed, the allowance charged and the beneficiary's
    /// word written, and `amount` added to `p.spent` in memory.
    function _applySigned(
        ProgramsStorage storage $,
        Program memory p,
        BatchContext memory batch,
        SignedSpend calldata item
    ) private returns (bool settled, SpendFailure reason) {
        uint256 amount = item.amount;
        if (block.timestamp > item.deadline) return (false, SpendFailure.AuthorizationExpired);
        if (amount == 0) return (false, SpendFailure.ZeroAmount);
        address beneficiary = item.beneficiary;
        Beneficiary memory b = $.beneficiaries[batch.programId][beneficiary];
        // Enrolment before the signature: only a wallet the operator enrolled is ever asked (ERC-1271) to check one,
        // so a contract named in a forged item cannot burn the batch's gas.
        if (!b.enrolled) return (false, SpendFailure.NotEnrolled);
        bytes32 digest = _spendDigest(
            batch.domain,
            batch.programId,
            beneficiary,
            batch.merchant,
            amount,
            b.nonce,
            item.deadline
        );
        if (!_isValidSpendSignature(beneficiary, digest, item.signature)) return (false, SpendFailure.InvalidSignature);
        (bool charged, ) = _chargeAllowance(p.allowance, batch.period, b, amount);
        if (!charged) return (false, SpendFailure.AllowanceExceeded);
        if (amount > p.budget - p.spent) return (false, SpendFailure.BudgetExhausted);

        ++b.nonce; // sequential: 2^64 authorizations are out of reach
        $.beneficiaries[batch.programId][beneficiary] = b;
        p.spent += uint64(amount); // amount <= budget - spent checked above, so it fits 64 bits
        settled = true;
    }

    /// @dev Charges `amount` to a beneficiary's allowance in memory, as {_chargeAllowance} does, for the program's
    /// period at the block's time. Reverts when the period's allowance left and the top-ups together fall short.
    function _useAllowance(
        Program memory p,
        Beneficiary memory b,
        uint256 programId,
        address beneficiary,
        uint256 amount
    ) private view {
        uint256 period = _periodIndex(PeriodKind(p.period), block.timestamp);
        (bool charged, uint256 available) = _chargeAllowance(p.allowance, period, b, amount);
        if (!charged) revert ProgramsAllowanceExceeded(programId, beneficiary, available, amount);
    }

    /// @dev The allowance rules, the one place they are written: charges `amount` to a beneficiary's allowance in
    /// memory for period `period`, the period's allowance first, then top-ups. When both together fall short,
    /// returns false and leaves `b` unchanged. `available` is what the beneficiary could spend before the charge.
    function _chargeAllowance(
        uint256 allowance,
        uint256 period,
        Beneficiary memory b,
        uint256 amount
    ) private pure returns (bool charged, uint256 available) {
        uint256 spentInPeriod = b.period == period ? b.spentInPeriod : 0;
        uint256 periodLeft = allowance > spentInPeriod ? allowance - spentInPeriod : 0;
        available = periodLeft + b.extra;
        if (amount > available) return (false, available);
        // amount <= periodLeft + extra, so neither field underflows; spentInPeriod stays within the allowance (48
        // bits); the period index fits 32 bits while block.timestamp < expiry <= 2^32 - 1.
        uint256 fromPeriod = amount < periodLeft ? amount : periodLeft;
        b.period = uint32(period);
        b.spentInPeriod = uint64(spentInPeriod + fromPeriod);
        b.extra = uint64(b.extra - (amount - fromPeriod));
        charged = true;
    }

    /// @dev The EIP-712 digest of a `Spend` authorization under `domain`.
    function _spendDigest(
        bytes32 domain,
        uint256 programId,
        address beneficiary,
        address merchant,
        uint256 amount,
        uint256 nonce,
        uint256 deadline
    ) private pure returns (bytes32) {
        return
            MessageHashUtils.toTypedDataHash(
                domain,
                keccak256(abi.encode(SPEND_TYPEHASH, programId, beneficiary, merchant, amount, nonce, deadline))
            );
    }

    /// @dev Whether `signature` is `beneficiary`'s over `digest`: an ECDSA signature by its key (malleable high-s
    /// signatures refused) is tried first, so an ordinary wallet costs no code-size lookup; otherwise a contract
    /// wallet is asked through ERC-1271 `isValidSignature`.
    function _isValidSpendSignature(
        address beneficiary,
        bytes32 digest,
        bytes calldata signature
    ) private view returns (bool) {
        (address recovered, ECDSA.RecoverError recoverError, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (recoverError == ECDSA.RecoverError.NoError && recovered == beneficiary) return true;
        return
            beneficiary.code.length != 0 &&
            SignatureChecker.isValidERC1271SignatureNowCalldata(beneficiary, digest, signature);
    }

    /// @dev Reverts unless the program exists and is not closed.
    function _requireExisting(uint256 programId, Program memory p) private pure {
        if (p.expiry == 0) revert ProgramsUnknownProgram(programId);
        if (p.closed) revert ProgramsProgramClosed(programId);
    }

    /// @dev Reverts unless the program exists, is not closed, has started and has not expired: the state in which
    /// beneficiaries may spend.
    function _requireSpendable(uint256 programId, Program memory p) private view {
        _requireExisting(programId, p);
        if (block.timestamp < p.start) revert ProgramsNotStarted(programId, p.start, block.timestamp);
        if (block.timestamp >= p.expiry) revert ProgramsProgramExpired(programId, p.expiry, block.timestamp);
    }

    /// @dev Reverts unless the program exists, is not closed and has not expired: the state in which it may be
    /// funded and administered.
    function _requireOpen(uint256 programId, Program memory p) private view {
        _requireExisting(programId, p);
        if (block.timestamp >= p.expiry) revert ProgramsProgramExpired(programId, p.expiry, block.timestamp);
    }

    function _onboardedInTenge(address account) private view returns (bool) {
        return IDigitalTenge(address(_tenge)).accountOf(account).onboarded;
    }

    function _totals() private view returns (uint256 budget, uint256 spent, uint256 returned, uint256 earmarked) {
        ProgramsStorage storage $ = _programs();
        uint256 count = $.programCount;
        for (uint256 id = 1; id <= count; ++id) {
            Program memory p = $.programs[id];
            budget += p.budget;
            spent += p.spent;
            returned += _returned(p);
            earmarked += _earmarked(p);
        }
    }

    function _earmarked(Program memory p) private pure returns (uint256) {
        return p.closed ? 0 : p.budget - p.spent;
    }

    function _returned(Program memory p) private pure returns (uint256) {
        return p.closed ? p.budget - p.spent : 0;
    }

    function _statusOf(Program memory p) private view returns (Status) {
        if (p.closed) return Status.Closed;
        if (block.timestamp < p.start) return Status.Scheduled;
        if (block.timestamp >= p.expiry) return Status.Expired;
        return Status.Active;
    }

    function _domainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(_DOMAIN_TYPEHASH, _HASHED_NAME, _HASHED_VERSION, block.chainid, address(this)));
    }

    /// @dev Period indices in Almaty time: days since 1970-01-01, Monday-based weeks, or year * 12 + month - 1
    /// (the civil calendar from a day count, after Howard Hinnant's `civil_from_days`).
    function _periodIndex(PeriodKind period, uint256 timestamp) private pure returns (uint256) {
        if (period == PeriodKind.Whole) return 0;
        uint256 day = (timestamp + _ALMATY_OFFSET) / 1 days;
        if (period == PeriodKind.Day) return day;
        if (period == PeriodKind.Week) return (day + _WEEK_SHIFT) / 7;
        uint256 z = day + 719_468; // days from 0000-03-01 to 1970-01-01
        uint256 era = z / 146_097; // 400-year eras of 146,097 days
        uint256 dayOfEra = z - era * 146_097;
        uint256 yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        uint256 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100); // from March 1st
        uint256 shiftedMonth = (5 * dayOfYear + 2) / 153; // 0 = March ... 11 = February
        uint256 year = yearOfEra + era * 400 + (shiftedMonth >= 10 ? 1 : 0);
        uint256 month = shiftedMonth < 10 ? shiftedMonth + 2 : shiftedMonth - 10; // 0 = January
        return year * 12 + month;
    }

    function _programs() private pure returns (ProgramsStorage storage $) {
        assembly {
            $.slot := _STORAGE_LOCATION
        }
    }
}
