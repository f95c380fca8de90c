import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ZeroHash, id } from "ethers";
import type { TengeStablecoin } from "../../typechain-types";
import { formatTenge } from "./amounts";
import type { StablecoinRoleName } from "./stablecoin-config";

/** The deployed TengeStablecoin on the current network, typed; a one-line error when it has not been deployed there. */
export async function getStablecoin(hre: HardhatRuntimeEnvironment): Promise<TengeStablecoin> {
  const record = await hre.deployments.getOrNull("TengeStablecoin");
  if (!record) {
    throw new Error(
      `TengeStablecoin is not deployed on network "${hre.network.name}": run \`npx hardhat deploy --network ${hre.network.name}\` first`,
    );
  }
  if ((await hre.ethers.provider.getCode(record.address)) === "0x") {
    throw new Error(
      `no contract at the recorded TengeStablecoin address ${record.address} on "${hre.network.name}" (was the node restarted? redeploy)`,
    );
  }
  return await hre.ethers.getContractAt("TengeStablecoin", record.address);
}

/**
 * Formats stablecoin units (tiyn, 2 decimals like the tenge) with the token's symbol: 150025n → "1500.25 KZTS".
 * @param tiyn Amount in the smallest unit.
 * @param symbol The token's symbol. Default "KZTS".
 * @returns The decimal string followed by the symbol.
 */
export function kztsText(tiyn: bigint, symbol = "KZTS"): string {
  return `${formatTenge(tiyn)} ${symbol}`;
}

/** The proof of reserves as the report shows it. */
export interface ReserveReport {
  /** Tiyn of tenge the stablecoin contract holds. */
  locked: bigint;
  /** Stablecoin in circulation. */
  supply: bigint;
  /** Tenge held above the supply (recoverable by ISSUER_ROLE). */
  surplus: bigint;
  /** Supply not covered by tenge held (zero while the invariant holds). */
  shortfall: bigint;
  /** `locked / supply` as a percentage with 2 decimals, exact (rounded down); "n/a" when the supply is zero. */
  backingRatio: string;
  /** Whether `locked >= supply`. */
  held: boolean;
}

/**
 * Derives the report from the two on-chain figures.
 * @param locked Tenge held by the stablecoin contract, tiyn.
 * @param supply Stablecoin total supply, tiyn.
 * @returns Surplus, shortfall, backing ratio and whether the invariant holds.
 */
export function reserveReport(locked: bigint, supply: bigint): ReserveReport {
  const held = locked >= supply;
  const basisPoints = supply === 0n ? undefined : (locked * 10_000n) / supply;
  return {
    locked,
    supply,
    surplus: held ? locked - supply : 0n,
    shortfall: held ? 0n : supply - locked,
    backingRatio: basisPoints === undefined ? "n/a" : `${formatTenge(basisPoints)}%`,
    held,
  };
}

/**
 * The bytes32 id of a stablecoin role as the contract computes it.
 * @param name The role's name.
 * @returns Zero for DEFAULT_ADMIN_ROLE, otherwise keccak256 of the name.
 */
export function stablecoinRoleId(name: StablecoinRoleName): string {
  return name === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(name);
}
