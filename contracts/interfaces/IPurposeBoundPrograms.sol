// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC1363Receiver} from "@openzeppelin/contracts/interfaces/IERC1363Receiver.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";

/// @title IPurposeBoundPrograms
/// @notice Purpose-bound ("marked") budget money in digital tenge: a funder escrows a budget for a program (free
/// school lunches, say); the operator enrols beneficiaries and eligible merchants; beneficiaries spend within a
/// per-period allowance, only at the program's merchants and only between start and expiry; the merchant receives
/// ordinary tenge at once; at close every unspent tiyn returns to the funder. Amounts are in tiyn (1 tenge = 100 tiyn).
/// @dev Invariant, per program and in total, after every operation: `budget == spent + returned + earmarked`, where
/// `earmarked = budget - spent` while the program is open and 0 once closed; and the contract's tenge balance is
/// `Σ earmarked` (more only when someone sent tenge outside a program: {surplus}).
/// Privacy: no personal data is stored or emitted. Beneficiaries are bare wallets; a transit card is represented at
/// most by a salted hash (`cardCommitment`) computed off chain by the operator, never by its number.
interface IPurposeBoundPrograms is IERC1363Receiver, IERC5267 {
    /* TYPES */

    /// @notice How often a beneficiary's allowance renews. Calendar periods are counted in Almaty time (UTC+5), as
    /// the tenge counts its days: `Day` renews at Almaty midnight, `Week` on Monday at Almaty midnight, `Month` on
    /// the first of the month at Almaty midnight; `Whole` never renews (one allowance for the program's whole life).
    enum PeriodKind {
        Day,
        Week,
        Month,
        Whole
    }

    /// @notice A program's phase: `None` (no such program), `Scheduled` (open, before its start), `Active` (open,
    /// spending allowed), `Expired` (open, at or after its expiry: awaiting close), `Closed` (unspent budget returned).
    enum Status {
        None,
        Scheduled,
        Active,
        Expired,
        Closed
    }

    /// @notice What a funder chooses when creating a program.
    /// @param allowance Tiyn each beneficiary may spend per period (0: top-ups only); at most 2^48 - 1.
    /// @param period How often the allowance renews.
    /// @param start Unix time from which beneficiaries may spend; 0 means now.
    /// @param expiry Unix time from which nobody may spend and anyone may close the program; after `start` and
    /// after now, at most 2^32 - 1.
    struct ProgramTerms {
        uint256 allowance;
        PeriodKind period;
        uint256 start;
        uint256 expiry;
    }

    /// @notice One program as {programOf} shows it.
    struct ProgramView {
        address funder;
        Status status;
        PeriodKind period;
        uint256 allowance;
        uint256 start;
        uint256 expiry;
        uint256 closedAt;
        uint256 budget;
        uint256 spent;
        uint256 returned;
        uint256 earmarked;
        uint256 beneficiaries;
        uint256 merchants;
    }

    /// @notice One beneficiary of one program as {beneficiaryOf} shows it, at the current block's time.
    struct BeneficiaryView {
        bool enrolled;
        bytes32 cardCommitment;
        uint256 periodIndex;
        uint256 spentThisPeriod;
        uint256 periodLeft;
        uint256 extra;
        uint256 available;
        uint256 nonce;
    }

    /// @notice Why {spendBatchFor} skipped one item, in the order the items are checked. Each names the error
    /// {spendFor} reverts with for the same defect at the same point of the batch: `AuthorizationExpired`
    /// (`ProgramsAuthorizationExpired`), `ZeroAmount` (`ProgramsZeroAmount`), `NotEnrolled` (`ProgramsNotEnrolled`),
    /// `InvalidSignature` (`ProgramsInvalidSignature`: wrong signer, changed terms, or a nonce already used),
    /// `AllowanceExceeded` (`ProgramsAllowanceExceeded`), `BudgetExhausted` (`ProgramsBudgetExhausted`). The batch
    /// checks the amount and the enrolment before the signature ({spendFor} after it), so an item both zero (or not
    /// enrolled) and badly signed is `ZeroAmount` (`NotEnrolled`) here and `ProgramsInvalidSignature` alone.
    enum SpendFailure {
        AuthorizationExpired,
        ZeroAmount,
        NotEnrolled,
        InvalidSignature,
        AllowanceExceeded,
        BudgetExhausted
    }

    /// @notice One beneficiary's signed spending authorization in a {spendBatchFor} upload: the same EIP-712 `Spend`
    /// {spendFor} takes, over the batch's program and merchant and the beneficiary's nonce at its turn in the batch.
    /// @param beneficiary The wallet that signed.
    /// @param amount Tiyn.
    /// @param deadline Last unix second the authorization is valid.
    /// @param signature 65-byte ECDSA signature, or an ERC-1271 wallet's signature.
    struct SignedSpend {
        address beneficiary;
        uint256 amount;
        uint256 deadline;
        bytes signature;
    }

    /* EVENTS */

    /// @notice Emitted when `funder` creates program `programId` and escrows `budget` tiyn for it.
    event ProgramCreated(
        uint256 indexed programId,
        address indexed funder,
        uint256 budget,
        uint256 allowance,
        PeriodKind period,
        uint256 start,
        uint256 expiry
    );
    /// @notice Emitted when the funder adds `amount` tiyn to a program's budget, now `budget`.
    event ProgramFunded(uint256 indexed programId, address indexed funder, uint256 amount, uint256 budget);
    /// @notice Emitted when the operator makes `merchant` eligible to be paid by a program.
    event MerchantAdded(uint256 indexed programId, address indexed merchant);
    /// @notice Emitted when the operator removes `merchant` from a program's eligible merchants.
    event MerchantRemoved(uint256 indexed programId, address indexed merchant);
    /// @notice Emitted when the operator enrols `beneficiary`; `cardCommitment` is a salted hash of the card bound to
    /// the wallet, or zero.
    event BeneficiaryEnrolled(uint256 indexed programId, address indexed beneficiary, bytes32 cardCommitment);
    /// @notice Emitted when the operator removes `beneficiary` from a program (its top-ups lapse).
    event BeneficiaryRemoved(uint256 indexed programId, address indexed beneficiary);
    /// @notice Emitted when the operator adds `amount` tiyn of extra allowance to `beneficiary`, now `extra`.
    event AllowanceToppedUp(uint256 indexed programId, address indexed beneficiary, uint256 amount, uint256 extra);
    /// @notice Emitted when `beneficiary` pays `merchant` `amount` tiyn from a program; `signed` when a relayer
    /// submitted the beneficiary's signed authorization (its nonce was consumed).
    event Spent(
        uint256 indexed programId,
        address indexed beneficiary,
        address indexed merchant,
        uint256 amount,
        bool signed
    );
    /// @notice Emitted when {spendBatchFor} skips one item for `reason`: nothing was paid, the beneficiary's nonce
    /// and allowance are untouched, and the rest of the batch settled.
    event SpendRejected(
        uint256 indexed programId,
        address indexed beneficiary,
        address indexed merchant,
        uint256 amount,
        SpendFailure reason
    );
    /// @notice Emitted when a program is closed: `returned` tiyn went back to the funder, `spent` were paid out.
    event ProgramClosed(uint256 indexed programId, address indexed closedBy, uint256 returned, uint256 spent);
    /// @notice Emitted when a program's funder (who receives the unspent budget at close) changes.
    event FunderChanged(uint256 indexed programId, address indexed previousFunder, address indexed newFunder);
    /// @notice Emitted when tenge that belongs to no program is sent on to `to`.
    event SurplusRecovered(address indexed to, uint256 amount);

    /* ERRORS */

    /// @notice Thrown when an address argument is the zero address.
    error ProgramsZeroAddress();
    /// @notice Thrown when `programId` names no program.
    error ProgramsUnknownProgram(uint256 programId);
    /// @notice Thrown when a program is closed.
    error ProgramsProgramClosed(uint256 programId);
    /// @notice Thrown when spending before a program's start.
    error ProgramsNotStarted(uint256 programId, uint256 start, uint256 timestamp);
    /// @notice Thrown when spending in, funding or administering a program at or after its expiry.
    error ProgramsProgramExpired(uint256 programId, uint256 expiry, uint256 timestamp);
    /// @notice Thrown when someone other than the funder closes a program before its expiry.
    error ProgramsCloseNotAllowed(uint256 programId, address caller, uint256 expiry);
    /// @notice Thrown when `caller` is not the program's funder (and, where the admin may act, not the admin).
    error ProgramsNotFunder(uint256 programId, address caller);
    /// @notice Thrown when a program's schedule is impossible: expiry not after start, not in the future, or beyond
    /// 2^32 - 1.
    error ProgramsInvalidSchedule(uint256 start, uint256 expiry, uint256 timestamp);
    /// @notice Thrown when an amount is zero.
    error ProgramsZeroAmount();
    /// @notice Thrown when an amount does not fit its field (budget 2^64 - 1, allowance 2^48 - 1, extra 2^64 - 1).
    error ProgramsAmountTooLarge(uint256 amount, uint256 max);
    /// @notice Thrown when paying a merchant the program does not list.
    error ProgramsMerchantNotEligible(uint256 programId, address merchant);
    /// @notice Thrown when adding a merchant the program lists already.
    error ProgramsMerchantAlreadyAdded(uint256 programId, address merchant);
    /// @notice Thrown when a merchant or funder is not onboarded in the tenge, so could not receive tenge.
    error ProgramsNotOnboardedInTenge(address account);
    /// @notice Thrown when `beneficiary` is not enrolled in the program.
    error ProgramsNotEnrolled(uint256 programId, address beneficiary);
    /// @notice Thrown when enrolling a wallet that is enrolled already.
    error ProgramsAlreadyEnrolled(uint256 programId, address beneficiary);
    /// @notice Thrown when a payment exceeds what the beneficiary may still spend: this period's allowance left
    /// plus its top-ups (`available`).
    error ProgramsAllowanceExceeded(uint256 programId, address beneficiary, uint256 available, uint256 amount);
    /// @notice Thrown when a payment exceeds the program's budget still earmarked.
    error ProgramsBudgetExhausted(uint256 programId, uint256 remaining, uint256 amount);
    /// @notice Thrown when a signed spending authorization is past its deadline.
    error ProgramsAuthorizationExpired(uint256 deadline, uint256 timestamp);
    /// @notice Thrown when a signed spending authorization was not signed by `beneficiary` for these terms and its
    /// current nonce.
    error ProgramsInvalidSignature(address beneficiary);
    /// @notice Thrown when the ERC-1363 callback comes from anything but the tenge.
    error ProgramsCallerNotTenge(address caller);
    /// @notice Thrown when the data of a tenge `transferAndCall` is neither program terms (128 bytes) nor a program
    /// id (32 bytes).
    error ProgramsInvalidCallbackData(uint256 length);
    /// @notice Thrown when batch arrays differ in length.
    error ProgramsLengthMismatch(uint256 accounts, uint256 values);
    /// @notice Thrown when a batch is empty.
    error ProgramsEmptyBatch();
    /// @notice Thrown when recovering surplus while the balance holds no more than the earmarked funds.
    error ProgramsNoSurplus(uint256 balance, uint256 earmarked);
    /// @notice Thrown when tenge would be sent to this contract itself.
    error ProgramsInvalidRecipient(address to);

    /* FUNDERS */

    /// @notice Creates a program and escrows its budget from the caller, who becomes its funder, by tenge
    /// `transferFrom` (approve this contract first, or use `permit`). The one-transaction alternative is the tenge's
    /// `transferAndCall(programs, budget, abi.encode(terms))`, handled by {onTransferReceived}.
    /// @dev Requirements: `budget` non-zero and at most 2^64 - 1; terms valid (see {ProgramTerms}); the tenge's
    /// payment rules for the caller (onboarded, not frozen, funds, daily limit, not paused). Emits {ProgramCreated}.
    /// @param terms Allowance, period, start and expiry.
    /// @param budget Tiyn to escrow.
    /// @return programId The new program's id (ids start at 1).
    function createProgram(ProgramTerms calldata terms, uint256 budget) external returns (uint256 programId);

    /// @notice Adds `amount` tiyn of the caller's tenge to a program's budget by tenge `transferFrom`. The
    /// one-transaction alternative is `transferAndCall(programs, amount, abi.encode(programId))`.
    /// @dev Requirements: the program open and not expired; caller its funder; `amount` non-zero; the budget stays
    /// at most 2^64 - 1; the tenge's payment rules. Emits {ProgramFunded}.
    /// @param programId The program.
    /// @param amount Tiyn to add.
    function fund(uint256 programId, uint256 amount) external;

    /// @notice The tenge's ERC-1363 callback: `data` is `abi.encode(ProgramTerms)` to create a program funded by
    /// `from` with `value`, or `abi.encode(programId)` to add `value` to the budget of a program `from` funds.
    /// `operator` (who called the tenge) is not recorded: the money and the program are `from`'s.
    /// @dev Requirements: caller is the tenge; `value` non-zero; as {createProgram} or {fund}. Emits
    /// {ProgramCreated} or {ProgramFunded}.
    /// @param operator Who called `transferAndCall` or `transferFromAndCall`.
    /// @param from Whose tenge arrived: the funder.
    /// @param value Tiyn received.
    /// @param data Program terms or a program id.
    /// @return The ERC-1363 magic value.
    function onTransferReceived(
        address operator,
        address from,
        uint256 value,
        bytes calldata data
    ) external override returns (bytes4);

    /// @notice Closes a program and returns its unspent budget to the funder: the funder may close at any time,
    /// anyone may close it at or after its expiry. Beneficiaries can no longer spend.
    /// @dev Requirements: the program exists and is open; caller is the funder, or the expiry has passed; the
    /// funder can receive tenge (onboarded, not frozen: the tenge's error passes through otherwise).
    /// Emits {ProgramClosed} (and the tenge's {IERC20-Transfer} when something is returned).
    /// @param programId The program.
    /// @return returned Tiyn returned to the funder.
    function close(uint256 programId) external returns (uint256 returned);

    /// @notice Hands a program over to a new funder, who alone may fund and close it early and who receives the
    /// unspent budget: the funder passes it on, or the central bank's admin re-points it (e.g. after the funder's
    /// bank recovered a lost wallet to a new one, so the unspent budget is never stranded at a dead address).
    /// @dev Requirements: the program exists and is open; caller is the funder or holds DEFAULT_ADMIN_ROLE;
    /// `newFunder` non-zero and onboarded in the tenge. Emits {FunderChanged}.
    /// @param programId The program.
    /// @param newFunder The new funder.
    function setFunder(uint256 programId, address newFunder) external;

    /* OPERATOR */

    /// @notice Makes merchants (school canteens) eligible to be paid by a program.
    /// @dev Requirements: caller has OPERATOR_ROLE; the program open and not expired; non-empty; each merchant
    /// onboarded in the tenge and not yet listed. Emits {MerchantAdded} per merchant.
    /// @param programId The program.
    /// @param merchants The merchants' tenge wallets.
    function addMerchants(uint256 programId, address[] calldata merchants) external;

    /// @notice Removes merchants from a program: they can no longer be paid by it.
    /// @dev Requirements: caller has OPERATOR_ROLE; the program open and not expired; non-empty; each merchant
    /// listed. Emits {MerchantRemoved} per merchant.
    /// @param programId The program.
    /// @param merchants The merchants.
    function removeMerchants(uint256 programId, address[] calldata merchants) external;

    /// @notice Enrols beneficiaries (e.g. children's wallets bound to their transit cards). Beneficiaries need not
    /// be tenge wallets: they never hold tenge, merchants are paid from the escrow.
    /// @dev Requirements: caller has OPERATOR_ROLE; the program open and not expired; non-empty;
    /// `cardCommitments` empty or as long as `beneficiaries`; each wallet non-zero and not enrolled. A wallet
    /// removed earlier may be enrolled again: its signature nonce carries on, so old authorizations stay void.
    /// Emits {BeneficiaryEnrolled} per wallet.
    /// @param programId The program.
    /// @param beneficiaries The wallets.
    /// @param cardCommitments Salted hashes of the cards bound to them (never card numbers), or empty for none.
    function enrolBeneficiaries(
        uint256 programId,
        address[] calldata beneficiaries,
        bytes32[] calldata cardCommitments
    ) external;

    /// @notice Removes beneficiaries (a child left the school, a card was lost): they can no longer spend and their
    /// top-ups lapse; the budget stays earmarked for the others.
    /// @dev Requirements: caller has OPERATOR_ROLE; the program open and not expired; non-empty; each enrolled.
    /// Emits {BeneficiaryRemoved} per wallet.
    /// @param programId The program.
    /// @param beneficiaries The wallets.
    function removeBeneficiaries(uint256 programId, address[] calldata beneficiaries) external;

    /// @notice Adds extra allowance to beneficiaries, on top of the per-period allowance and kept across periods
    /// until spent (spending uses the period's allowance first). Extra allowance is a permission, not a reservation:
    /// every payment is still checked against the budget left.
    /// @dev Requirements: caller has OPERATOR_ROLE; the program open and not expired; non-empty; equal lengths;
    /// each beneficiary enrolled; each amount non-zero; each beneficiary's extra at most 2^64 - 1.
    /// Emits {AllowanceToppedUp} per entry.
    /// @param programId The program.
    /// @param beneficiaries The wallets.
    /// @param amounts Tiyn of extra allowance for each.
    function topUp(uint256 programId, address[] calldata beneficiaries, uint256[] calldata amounts) external;

    /* BENEFICIARIES */

    /// @notice Pays `merchant` `amount` tiyn from the program's escrow on the caller's (the beneficiary's) allowance.
    /// The merchant receives ordinary tenge, which it may redeem at its bank.
    /// @dev Requirements, checked in this order: the program exists, is open, has started and has not expired;
    /// `amount` non-zero; `merchant` eligible; the caller enrolled; `amount` within this period's allowance left plus
    /// top-ups; `amount` within the budget left; the tenge accepts the payment to `merchant` (onboarded, not frozen,
    /// holding limit, not paused: the tenge's own error passes through). Emits {Spent} (and the tenge's
    /// {IERC20-Transfer}).
    /// @param programId The program.
    /// @param merchant An eligible merchant.
    /// @param amount Tiyn.
    function spend(uint256 programId, address merchant, uint256 amount) external;

    /// @notice {spend} on behalf of a beneficiary who signed an EIP-712 `Spend(uint256 programId,address beneficiary,
    /// address merchant,uint256 amount,uint256 nonce,uint256 deadline)` authorization: the canteen's terminal (or any
    /// relayer) submits it and pays the gas, so children never need any. Nonces are sequential per beneficiary and
    /// program ({beneficiaryOf}); ERC-1271 contract wallets sign through `isValidSignature`.
    /// @dev Requirements: `block.timestamp <= deadline`; `signature` by `beneficiary` over these values and its
    /// current nonce (malleable ECDSA signatures refused); then as {spend}. Consumes the nonce.
    /// Emits {Spent} with `signed` true.
    /// @param programId The program.
    /// @param beneficiary The enrolled wallet that signed.
    /// @param merchant An eligible merchant.
    /// @param amount Tiyn.
    /// @param deadline Last unix second the authorization is valid.
    /// @param signature 65-byte ECDSA signature, or an ERC-1271 wallet's signature.
    function spendFor(
        uint256 programId,
        address beneficiary,
        address merchant,
        uint256 amount,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Settles a canteen's uploaded signed authorizations (a lunch break's worth) in one transaction and one
    /// tenge transfer: each item is the {spendFor} of `spends[i].beneficiary` paying `merchant`, but an item that
    /// fails is skipped with {SpendRejected} instead of reverting the batch, so one card cannot spoil a canteen's
    /// upload. Items settle in order, each against the state the earlier ones left: a child's two authorizations
    /// (nonces n and n + 1) may both settle, a duplicate of one that settled is refused as `InvalidSignature`.
    /// @dev Requirements of the batch, checked once in this order (any failure reverts everything): the program
    /// exists, is open, has started and has not expired; `spends` non-empty; `merchant` eligible; the tenge accepts
    /// the payment of the total to `merchant` (its own error passes through). Each item is then checked in the
    /// order of {SpendFailure}: `block.timestamp <= deadline`; amount non-zero; beneficiary enrolled; `signature` by
    /// the beneficiary over the `Spend` with its current nonce (malleable ECDSA signatures refused; an ERC-1271
    /// wallet is asked only once the operator has enrolled it); within this period's allowance left plus top-ups;
    /// within the budget left. An accepted item consumes the nonce, is charged exactly as {spendFor} charges it and
    /// emits {Spent} with `signed` true; a refused one emits {SpendRejected} and changes nothing. The program's
    /// `spent` is written once and the merchant paid the total once, after every effect; a batch that accepts
    /// nothing transfers nothing.
    /// @param programId The program.
    /// @param merchant An eligible merchant: the canteen every item pays.
    /// @param spends The signed authorizations, settled in order.
    /// @return paid How many items settled.
    /// @return total Tiyn paid to `merchant` (the sum of the settled items).
    function spendBatchFor(
        uint256 programId,
        address merchant,
        SignedSpend[] calldata spends
    ) external returns (uint256 paid, uint256 total);

    /* CENTRAL BANK */

    /// @notice Sends on tenge that belongs to no program (sent here by plain transfer rather than through a program).
    /// @dev Requirements: caller has DEFAULT_ADMIN_ROLE; `to` non-zero and not this contract; the balance above
    /// `Σ earmarked`. Reads every program once (an administrative call, never on a payment path).
    /// Emits {SurplusRecovered}.
    /// @param to Who receives it (must be able to receive tenge).
    /// @return amount Tiyn sent.
    function recoverSurplus(address to) external returns (uint256 amount);

    /* VIEWS */

    /// @notice The digital tenge this contract escrows.
    /// @return The tenge proxy's address.
    function tenge() external view returns (address);

    /// @notice Number of programs created; ids run from 1 to this.
    /// @return The count.
    function programCount() external view returns (uint256);

    /// @notice A program's terms, status and figures; all zero (status `None`) for an unknown id.
    /// @param programId The program.
    /// @return The program.
    function programOf(uint256 programId) external view returns (ProgramView memory);

    /// @notice A program's money: `budget == spent + returned + earmarked` always holds.
    /// @param programId The program.
    /// @return budget Tiyn ever escrowed for it.
    /// @return spent Tiyn paid to merchants.
    /// @return returned Tiyn returned to the funder at close.
    /// @return earmarked Tiyn still escrowed (0 once closed).
    function figuresOf(
        uint256 programId
    ) external view returns (uint256 budget, uint256 spent, uint256 returned, uint256 earmarked);

    /// @notice The same figures summed over every program. Reads every program: meant for off-chain calls.
    /// @return budget Σ budgets.
    /// @return spent Σ spent.
    /// @return returned Σ returned.
    /// @return earmarked Σ earmarked, which the contract's tenge balance covers.
    function totals() external view returns (uint256 budget, uint256 spent, uint256 returned, uint256 earmarked);

    /// @notice Tenge held beyond `Σ earmarked` (sent here outside any program); 0 when there is none.
    /// @return Tiyn.
    function surplus() external view returns (uint256);

    /// @notice Whether `merchant` may be paid by the program.
    /// @param programId The program.
    /// @param merchant The merchant.
    /// @return True when eligible.
    function isMerchant(uint256 programId, address merchant) external view returns (bool);

    /// @notice A beneficiary's state in a program at the current block's time: what it spent this period, the
    /// period's allowance left, its top-ups, what it may spend now (not capped by the budget left) and the nonce its
    /// next signed authorization must carry.
    /// @param programId The program.
    /// @param beneficiary The wallet.
    /// @return The state: the current period's index, and zero figures for a wallet never enrolled.
    function beneficiaryOf(uint256 programId, address beneficiary) external view returns (BeneficiaryView memory);

    /// @notice The index of the allowance period `timestamp` falls in: Almaty days since 1970-01-01, Monday-based
    /// weeks, or year * 12 + month - 1; always 0 for `Whole`.
    /// @param period The period kind.
    /// @param timestamp Unix time.
    /// @return The index.
    function periodIndex(PeriodKind period, uint256 timestamp) external pure returns (uint256);

    /// @notice The EIP-712 domain separator of signed spending authorizations (name "PurposeBoundPrograms",
    /// version "1", this chain, this proxy).
    /// @return The separator.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
