import type { DigitalTenge } from "../../typechain-types";
import { kztText } from "./amounts";
import type { RoleName } from "./contracts";
import { roleId } from "./validate";

/** A wallet's state as `accountOf` returns it. */
export type AccountState = Awaited<ReturnType<DigitalTenge["accountOf"]>>;
/** A bank's state as `bankOf` returns it. */
export type BankState = Awaited<ReturnType<DigitalTenge["bankOf"]>>;

/**
 * Names an actor or input in messages: `--from #5 (0x…)` for the acting signer, `--account 0x…` for an input.
 * @param label The option and what was typed, e.g. `--from #5` or `--account`.
 * @param address The resolved address.
 * @returns The phrase.
 */
export function labelled(label: string, address: string): string {
  return label.startsWith("--from") ? `${label} (${address})` : `${label} ${address}`;
}

/**
 * Throws a one-line error unless `address` holds `role`.
 * @param tenge The token.
 * @param role The role's name.
 * @param address The acting address.
 * @param label How to name the actor, e.g. `--from issuanceDesk`.
 */
export async function requireRole(tenge: DigitalTenge, role: RoleName, address: string, label: string): Promise<void> {
  if (!(await tenge.hasRole(roleId(role), address))) {
    throw new Error(`${labelled(label, address)} does not hold ${role} on ${await tenge.getAddress()}`);
  }
}

/**
 * Throws a one-line error when the token is paused (value cannot move).
 * @param tenge The token.
 * @param what What was about to happen, e.g. `mint`.
 */
export async function requireNotPaused(tenge: DigitalTenge, what: string): Promise<void> {
  if (await tenge.paused()) throw new Error(`cannot ${what}: the token is paused (tenge:unpause lifts it)`);
}

/**
 * The registered bank at `address`, or a one-line error when there is none.
 * @param tenge The token.
 * @param address The bank's operating address.
 * @param label How to name it in messages, e.g. `--bank`.
 * @returns The bank's state.
 */
export async function requireBank(tenge: DigitalTenge, address: string, label: string): Promise<BankState> {
  const bank = await tenge.bankOf(address);
  if (bank.id === 0n) throw new Error(`${labelled(label, address)} is not a registered bank`);
  return bank;
}

/**
 * The onboarded wallet at `address`, or a one-line error when it is not onboarded.
 * @param tenge The token.
 * @param address The wallet.
 * @param label How to name it in messages, e.g. `--account`.
 * @returns The wallet's state.
 */
export async function requireOnboarded(tenge: DigitalTenge, address: string, label: string): Promise<AccountState> {
  const account = await tenge.accountOf(address);
  if (!account.onboarded) throw new Error(`${labelled(label, address)} is not onboarded`);
  return account;
}

/**
 * Throws a one-line error when `address` is already onboarded.
 * @param tenge The token.
 * @param address The wallet.
 * @param label How to name it in messages.
 */
export async function requireNotOnboarded(tenge: DigitalTenge, address: string, label: string): Promise<void> {
  const account = await tenge.accountOf(address);
  if (account.onboarded) {
    const manager = account.bankId === 0n ? "the central bank" : `bank #${account.bankId} ${account.bank}`;
    throw new Error(`${labelled(label, address)} is already onboarded (managed by ${manager})`);
  }
}

/**
 * Throws a one-line error unless `actor` manages `account` as the contract's `_checkManager` requires: its bank
 * for a customer, a CENTRAL_BANK_ROLE holder for an institution.
 * @param tenge The token.
 * @param account The wallet's state.
 * @param accountAddress The wallet.
 * @param actor The acting address.
 * @param label How to name the actor.
 */
export async function requireManager(
  tenge: DigitalTenge,
  account: AccountState,
  accountAddress: string,
  actor: string,
  label: string,
): Promise<void> {
  if (account.bankId === 0n) {
    if (!(await tenge.hasRole(roleId("CENTRAL_BANK_ROLE"), actor))) {
      throw new Error(
        `${label} (${actor}) does not manage ${accountAddress}: it is an institution, managed by CENTRAL_BANK_ROLE`,
      );
    }
    return;
  }
  if (account.bank.toLowerCase() !== actor.toLowerCase()) {
    throw new Error(
      `${label} (${actor}) does not manage ${accountAddress}: it is a customer of bank #${account.bankId} ${account.bank}`,
    );
  }
}

/**
 * One line describing a wallet's money: balance, frozen amount and available funds.
 * @param address The wallet.
 * @param account Its state.
 * @returns E.g. `0x… balance 10000.00 KZT (available 9000.00 KZT, frozen 1000.00 KZT)`.
 */
export function moneyLine(address: string, account: AccountState): string {
  const frozen = account.frozen ? ", wallet frozen" : "";
  return `${address} balance ${kztText(account.balance)} (available ${kztText(account.available)}, frozen amount ${kztText(account.frozenAmount)}${frozen})`;
}

/**
 * One line describing a bank's issuance state.
 * @param address The bank.
 * @param bank Its state.
 * @returns E.g. `bank #1 0x… ceiling … outstanding … remaining …`.
 */
export function bankLine(address: string, bank: BankState): string {
  const suspended = bank.suspended ? ", SUSPENDED" : "";
  return `bank #${bank.id} ${address} ceiling ${kztText(bank.ceiling)}, outstanding ${kztText(bank.outstanding)}, remaining ${kztText(bank.remaining)}${suspended}`;
}
