import { tengeConfig } from "./tenge-config";

/** Deployment parameters of the tenge-backed stablecoin on one network. */
export interface StablecoinNetworkConfig {
  /** Token and EIP-712 domain name (at most 31 bytes). */
  name: string;
  /** Token symbol (at most 31 bytes). */
  symbol: string;
  /** Blocks to wait for on live networks before a step counts as done (the tenge's setting). */
  confirmations: number;
}

const DEFAULTS = { name: "Tenge Stablecoin", symbol: "KZTS" };

const PER_NETWORK: Record<string, Partial<Pick<StablecoinNetworkConfig, "name" | "symbol">>> = {
  bscTestnet: { name: "Tenge Stablecoin (testnet)", symbol: "tKZTS" },
};

/** The stablecoin's configuration on `network`, defaults filled in. */
export function stablecoinConfig(network: string): StablecoinNetworkConfig {
  return { ...DEFAULTS, ...PER_NETWORK[network], confirmations: tengeConfig(network).confirmations };
}

/** Stablecoin role names as the contract defines them. */
export const STABLECOIN_ROLE_NAMES = [
  "DEFAULT_ADMIN_ROLE",
  "PAUSER_ROLE",
  "BLACKLISTER_ROLE",
  "ISSUER_ROLE",
  "RESCUER_ROLE",
] as const;
export type StablecoinRoleName = (typeof STABLECOIN_ROLE_NAMES)[number];

/**
 * Operational roles the deploy script grants: the named account that holds each on local chains, and the
 * environment variable that overrides it (an address) on any network.
 */
export const STABLECOIN_ROLE_HOLDERS: Record<
  Exclude<StablecoinRoleName, "DEFAULT_ADMIN_ROLE">,
  { named: string; env: string }
> = {
  PAUSER_ROLE: { named: "pauser", env: "STABLECOIN_PAUSER" },
  BLACKLISTER_ROLE: { named: "compliance", env: "STABLECOIN_BLACKLISTER" },
  ISSUER_ROLE: { named: "issuanceDesk", env: "STABLECOIN_ISSUER" },
  RESCUER_ROLE: { named: "issuanceDesk", env: "STABLECOIN_RESCUER" },
};
