import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { parseAddress } from "./validate";

/** A signer that can send on the current network, and how the operator named it. */
export interface ResolvedSigner {
  signer: HardhatEthersSigner;
  address: string;
  /** What the operator typed, e.g. `issuanceDesk`, `5` or an address, for messages. */
  label: string;
}

/**
 * Resolves `--from` to a signer of the current network: a named account from `namedAccounts` (`issuanceDesk`,
 * `compliance`, ...), an index into the network's accounts (`5`), or an address the node or config holds a key
 * for. Throws a one-line error when the signer is not available on this network.
 * @param hre The Hardhat runtime.
 * @param from The name, index or address.
 * @param label Name of the input in messages. Default `--from`.
 * @returns The signer, its address and a label for messages.
 */
export async function resolveSigner(
  hre: HardhatRuntimeEnvironment,
  from: string,
  label = "--from",
): Promise<ResolvedSigner> {
  const network = hre.network.name;
  const signers = await hre.ethers.getSigners();
  const byAddress = (address: string, what: string): ResolvedSigner => {
    const signer = signers.find((s) => s.address.toLowerCase() === address.toLowerCase());
    if (!signer) {
      throw new Error(`${label} ${what} is not an account this network's config or node can sign for on "${network}"`);
    }
    return { signer, address: signer.address, label: from };
  };

  if (from.trim() === "") throw new Error(`${label} is empty`);
  if (/^\d+$/.test(from)) {
    const index = Number(from);
    if (index >= signers.length) {
      throw new Error(
        `${label} ${from}: account index out of range on "${network}" (${signers.length} account${signers.length === 1 ? "" : "s"} available)`,
      );
    }
    return { signer: signers[index], address: signers[index].address, label: `#${index}` };
  }
  if (/^0x/i.test(from)) {
    const address = parseAddress(from, label);
    return byAddress(address, address);
  }
  const named = await hre.getNamedAccounts();
  if (!(from in named) && !(from in (hre.config.namedAccounts ?? {}))) {
    const names = Object.keys(named).join(", ");
    throw new Error(`${label} "${from}" is not a named account, an account index or an address (named: ${names})`);
  }
  const address = named[from];
  if (!address) throw new Error(`${label} "${from}" has no account configured on "${network}"`);
  const resolved = byAddress(address, `"${from}" (${address})`);
  return { ...resolved, label: from };
}

/**
 * Names an address for messages when it is one of the named accounts (e.g. `issuanceDesk 0x70…`).
 * @param hre The Hardhat runtime.
 * @param address The address.
 * @returns `name address`, or the address alone.
 */
export async function describeAddress(hre: HardhatRuntimeEnvironment, address: string): Promise<string> {
  const named = await hre.getNamedAccounts();
  const names = Object.entries(named)
    .filter(([, value]) => value.toLowerCase() === address.toLowerCase())
    .map(([name]) => name);
  return names.length > 0 ? `${address} (${names.join("/")})` : address;
}
