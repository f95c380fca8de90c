import { ZeroAddress, ZeroHash, encodeBytes32String, getAddress, id, isHexString, toUtf8Bytes } from "ethers";
import { ROLE_NAMES, type RoleName } from "./contracts";

/** Options of {@link parseAddress}. */
export interface ParseAddressOptions {
  /** Accept the zero address. Default false. */
  allowZero?: boolean;
}

/**
 * Parses a 0x-prefixed 20-byte hex address and returns it checksummed. All-lowercase and all-uppercase hex are
 * accepted; mixed case must carry a valid EIP-55 checksum (a mistyped character is then caught).
 * @param text The address as typed.
 * @param label Name of the input in messages, e.g. `--to`.
 * @param options Whether the zero address is allowed.
 * @returns The checksummed address.
 */
export function parseAddress(text: string, label: string, options: ParseAddressOptions = {}): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new Error(`${label} "${text}" is not an address`);
  let address: string;
  try {
    address = getAddress(text);
  } catch {
    throw new Error(`${label} "${text}" has a wrong checksum (mistyped? write it in lowercase to skip the check)`);
  }
  if (address === ZeroAddress && !options.allowZero) throw new Error(`${label} must not be the zero address`);
  return address;
}

/**
 * Parses a KYC tier, "0" to "3" (0 phone-only, 1 ID-verified, 2 full KYC, 3 merchants and small businesses).
 * @param text The tier as typed.
 * @param label Name of the input in messages. Default `--tier`.
 * @returns The tier as a number 0-3.
 */
export function parseTier(text: string, label = "--tier"): number {
  if (!/^[0-3]$/.test(text)) throw new Error(`${label} "${text}" is not a KYC tier (0, 1, 2 or 3)`);
  return Number(text);
}

/**
 * Parses a reference or reason code into bytes32: either a 0x-prefixed 32-byte hex (e.g. a hash of a court order's
 * number), or text of at most 31 UTF-8 bytes stored as a Solidity short string (`encodeBytes32String`).
 * @param text The reference as typed.
 * @param label Name of the input in messages. Default `--reference`.
 * @returns The bytes32 value as 0x-prefixed hex.
 */
export function parseReference(text: string, label = "--reference"): string {
  if (text.trim() === "") throw new Error(`${label} is empty`);
  if (/^0x/i.test(text)) {
    if (isHexString(text, 32)) {
      if (text.toLowerCase() === ZeroHash) throw new Error(`${label} must not be the zero bytes32`);
      return text.toLowerCase();
    }
    throw new Error(`${label} "${text}" starts with 0x but is not 32 bytes of hex (0x and 64 hex digits)`);
  }
  const bytes = toUtf8Bytes(text).length;
  if (bytes > 31) {
    throw new Error(`${label} "${text}" is ${bytes} bytes; use at most 31 bytes of text or a 0x-prefixed 32-byte hex`);
  }
  return encodeBytes32String(text);
}

/**
 * The role id of a role name: DEFAULT_ADMIN_ROLE (zero), or keccak256 of CENTRAL_BANK_ROLE, PAUSER_ROLE,
 * COMPLIANCE_ROLE, SEIZURE_ROLE. Case does not matter and the `_ROLE` suffix may be left out (`compliance`).
 * @param name The role name as typed.
 * @returns The canonical name and the bytes32 id.
 */
export function parseRole(name: string): { name: RoleName; id: string } {
  const upper = name.trim().toUpperCase();
  const candidates = [upper, `${upper}_ROLE`];
  const found = ROLE_NAMES.find((role) => candidates.includes(role));
  if (!found) throw new Error(`--role "${name}" is not a role; use one of ${ROLE_NAMES.join(", ")}`);
  return { name: found, id: roleId(found) };
}

/**
 * The bytes32 id of a role as the contract computes it.
 * @param name The role name.
 * @returns Zero for DEFAULT_ADMIN_ROLE, otherwise keccak256 of the name.
 */
export function roleId(name: RoleName): string {
  return name === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(name);
}

/**
 * Parses a positive whole number option such as a batch size.
 * @param text The number as typed.
 * @param label Name of the input in messages.
 * @param max Largest accepted value.
 * @returns The number.
 */
export function parsePositiveInt(text: string, label: string, max: number): number {
  if (!/^[1-9]\d*$/.test(text) || Number(text) > max) {
    throw new Error(`${label} "${text}" must be a whole number from 1 to ${max}`);
  }
  return Number(text);
}
