/** Deployment parameters of the gold token and the gold desk on one network. */
export interface GoldNetworkConfig {
  /** Gold token name, also its EIP-712 domain name (at most 31 bytes). */
  name: string;
  /** Gold token symbol. */
  symbol: string;
  /** Blocks to wait for on live networks before a step counts as done. */
  confirmations: number;
  desk: {
    /** Seconds a published price stays tradable (staleness bound). */
    maxPriceAgeSeconds: number;
    /** Largest change between two published prices, basis points. */
    maxMoveBps: number;
    /** Fee on every trade, basis points, paid to the treasury. */
    feeBps: number;
  };
}

/**
 * Defaults: a price is tradable for 15 minutes (the oracle publishes every few minutes while the market is open);
 * a single update may move at most 5% (gold rarely moves 3% in a day; a larger gap is published after the manager
 * raises the bound); a 0.5% fee each way, the order of a bank's spread on the National Bank's own bars.
 */
const DEFAULTS: GoldNetworkConfig = {
  name: "Digital Gold",
  symbol: "GOLDKZ",
  confirmations: 1,
  desk: { maxPriceAgeSeconds: 15 * 60, maxMoveBps: 500, feeBps: 50 },
};

const PER_NETWORK: Record<string, Partial<GoldNetworkConfig>> = {
  bscTestnet: { confirmations: 2 },
  bsc: { confirmations: 5 },
};

/**
 * The gold configuration of `network`, defaults filled in.
 * @param network The network's name.
 * @returns The configuration.
 */
export function goldConfig(network: string): GoldNetworkConfig {
  return { ...DEFAULTS, ...PER_NETWORK[network] };
}

/** Who holds each gold role, as a named account, and the environment variable that may override it. */
export const GOLD_ROLE_HOLDERS = {
  token: {
    CUSTODIAN_ROLE: { named: "custodian", env: "GOLD_CUSTODIAN" },
    PAUSER_ROLE: { named: "pauser", env: "TENGE_PAUSER" },
    COMPLIANCE_ROLE: { named: "compliance", env: "TENGE_COMPLIANCE" },
  },
  desk: {
    ORACLE_ROLE: { named: "priceOracle", env: "GOLD_PRICE_ORACLE" },
    MANAGER_ROLE: { named: "issuanceDesk", env: "TENGE_CENTRAL_BANK_DESK" },
    PAUSER_ROLE: { named: "pauser", env: "TENGE_PAUSER" },
  },
} as const;

/** The treasury receiving the desk's fees: named account `goldTreasury`, or GOLD_TREASURY in .env. */
export const GOLD_TREASURY = { named: "goldTreasury", env: "GOLD_TREASURY" } as const;
