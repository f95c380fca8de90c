/** Networks that send real transactions, and the variables each needs. */
export const LIVE_NETWORKS: Record<string, { rpcVar: string }> = {
  bscTestnet: { rpcVar: "BSC_TESTNET_RPC_URL" },
  bsc: { rpcVar: "BSC_RPC_URL" },
};

/** The network named on the command line (`--network x` or `--network=x`), or HARDHAT_NETWORK. */
export function selectedNetwork(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--network") return argv[i + 1];
    if (argv[i].startsWith("--network=")) return argv[i].slice("--network=".length);
  }
  return env.HARDHAT_NETWORK;
}

/**
 * Returns the one-line problem with the environment for `network`, or undefined when it can be used.
 * Only live networks need anything: a well-formed deployer key.
 */
export function liveNetworkProblem(network: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (network === undefined || !(network in LIVE_NETWORKS)) return undefined;
  const key = env.DEPLOYER_PRIVATE_KEY;
  if (!key) return `--network ${network} needs DEPLOYER_PRIVATE_KEY in .env (see .env.example)`;
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(key)) {
    return `DEPLOYER_PRIVATE_KEY in .env is not a 32-byte hex private key (64 hex digits, optional 0x)`;
  }
  return undefined;
}

/** Exits with a one-line message when the command targets a live network whose variables are missing. */
export function checkLiveNetworkEnv(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  const problem = liveNetworkProblem(selectedNetwork(argv, env), env);
  if (problem) {
    console.error(`Error: ${problem}`);
    process.exit(1);
  }
}
