import { isAddress, getAddress } from "ethers";

/** KYC tier limits in whole tenge (converted to tiyn on chain). */
export interface TierLimitConfig {
  tier: number;
  /** Most a wallet of the tier may hold, in tenge (decimal string). */
  holding: string;
  /** Most a wallet of the tier may pay out per day, in tenge (decimal string). */
  daily: string;
}

/** A VAT rate schedule: rates in basis points, in force from a moment (ISO 8601 with offset; "now" = at once). */
export interface VatRateConfig {
  standardBps: number;
  reducedBps: number;
  effectiveFrom: string;
}

/** Deployment parameters of the digital tenge on one network. */
export interface TengeNetworkConfig {
  name: string;
  symbol: string;
  /** VAT rates to put in force at deploy, then the one change to schedule (Kazakhstan's Tax Code of 2025). */
  vatRates: VatRateConfig[];
  /** Blocks to wait for on live networks before a step counts as done. */
  confirmations: number;
  tiers: TierLimitConfig[];
}

/**
 * Tier limits modelled on eNaira's tiered wallets and the digital euro's holding-limit debate, scaled to tenge:
 * tier 0 phone-only, 1 ID-verified, 2 full KYC, 3 merchants and small businesses.
 */
const DEFAULT_TIERS: TierLimitConfig[] = [
  { tier: 0, holding: "100000", daily: "50000" },
  { tier: 1, holding: "1000000", daily: "500000" },
  { tier: 2, holding: "5000000", daily: "2000000" },
  { tier: 3, holding: "100000000", daily: "50000000" },
];

/**
 * Kazakhstan's VAT under the Tax Code signed 18 July 2025: standard 16 % from 1 January 2026; medicines and medical
 * services 5 % in 2026 and 10 % from 1 January 2027 (Almaty time).
 */
const KZ_VAT: VatRateConfig[] = [
  { standardBps: 1600, reducedBps: 500, effectiveFrom: "now" },
  { standardBps: 1600, reducedBps: 1000, effectiveFrom: "2027-01-01T00:00:00+05:00" },
];

const DEFAULTS: TengeNetworkConfig = {
  name: "Digital Tenge",
  symbol: "DKZT",
  confirmations: 1,
  tiers: DEFAULT_TIERS,
  vatRates: KZ_VAT,
};

const PER_NETWORK: Record<string, Partial<TengeNetworkConfig>> = {
  bscTestnet: { confirmations: 2 },
  bsc: { confirmations: 5 },
};

/** The configuration of `network`, defaults filled in. */
export function tengeConfig(network: string): TengeNetworkConfig {
  return { ...DEFAULTS, ...PER_NETWORK[network] };
}

/** Role holders, by role, as deploy-time environment variables may override them. */
export const ROLE_ENV: Record<string, string> = {
  CENTRAL_BANK_ROLE: "TENGE_CENTRAL_BANK_DESK",
  PAUSER_ROLE: "TENGE_PAUSER",
  COMPLIANCE_ROLE: "TENGE_COMPLIANCE",
  SEIZURE_ROLE: "TENGE_ENFORCEMENT",
  TAX_AUTHORITY_ROLE: "TENGE_TAX_AUTHORITY",
};

/** Reads an optional address override; throws a one-line error when it is set but malformed. */
export function addressFromEnv(variable: string): string | undefined {
  const value = process.env[variable];
  if (value === undefined || value === "") return undefined;
  if (!isAddress(value)) throw new Error(`${variable}=${String(value)} is not an address`);
  return getAddress(value);
}
