import "dotenv/config";
import { HardhatUserConfig, subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { SolcBuild } from "hardhat/types";
import "@nomicfoundation/hardhat-toolbox";
import "hardhat-deploy";
import "@openzeppelin/hardhat-upgrades";
import "hardhat-contract-sizer";
import { checkLiveNetworkEnv } from "./scripts/lib/env";
import "./scripts/tasks";
import "./scripts/tasks/pilot";

// Offline compiler: Hardhat's download is unreachable here, so the pinned npm `solc` (soljson) is served instead.
const SOLC_VERSION = "0.8.30"; // must equal the exact version of the `solc` devDependency
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(
  async (args: { solcVersion: string }, _hre, runSuper): Promise<SolcBuild> => {
    if (args.solcVersion !== SOLC_VERSION) return (await runSuper()) as SolcBuild;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const solc = require("solc") as { version(): string };
    return {
      compilerPath: require.resolve("solc/soljson.js"),
      isSolcJs: true,
      version: args.solcVersion,
      longVersion: solc.version(),
    };
  },
);

const env = process.env;
// Live networks need a key; a command that targets one without it stops here with a one-line message.
// Every other command (tests, local chains) ignores missing or malformed keys.
checkLiveNetworkEnv(process.argv, env);
const key = env.DEPLOYER_PRIVATE_KEY;
const liveAccounts = key && /^(0x)?[0-9a-fA-F]{64}$/.test(key) ? [key] : [];

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    // cancun: BNB Chain activated its opcodes (PUSH0, MCOPY, TSTORE) with the Shanghai/Kepler and Haber/Cancun
    // hardforks in 2024; the compiler's default (prague) is not what these contracts need.
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  // DEPLOYMENTS_DIR moves hardhat-deploy's records (the BNB testnet rehearsal writes its own, outside the repo's).
  paths: { deployments: env.DEPLOYMENTS_DIR ?? "deployments" },
  networks: {
    // Hardhat 2.29 simulates osaka by default (2^24 gas cap per transaction); BNB Chain is on prague-equivalent rules.
    hardhat: { hardfork: "prague", allowUnlimitedContractSize: false },
    localhost: { url: env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545" },
    anvil: {
      url: env.ANVIL_RPC_URL ?? "http://127.0.0.1:8546",
      chainId: Number(env.ANVIL_CHAIN_ID ?? "31337"),
      live: false, // automine: hardhat-deploy would otherwise wait for confirmations that never come
      saveDeployments: true,
    },
    bscTestnet: {
      url: env.BSC_TESTNET_RPC_URL ?? "https://data-seed-prebsc-1-s1.bnbchain.org:8545",
      chainId: 97,
      accounts: liveAccounts,
      live: true,
      saveDeployments: true,
    },
    bsc: {
      url: env.BSC_RPC_URL ?? "https://bsc-dataseed.bnbchain.org",
      chainId: 56,
      accounts: liveAccounts,
      live: true,
      saveDeployments: true,
    },
  },
  namedAccounts: {
    // On live networks every role starts with the deployer; hand roles over with the `tenge:grant-role` task.
    deployer: { default: 0 },
    centralBank: { default: 0 },
    issuanceDesk: { default: 1, bscTestnet: 0, bsc: 0 },
    pauser: { default: 2, bscTestnet: 0, bsc: 0 },
    compliance: { default: 3, bscTestnet: 0, bsc: 0 },
    enforcement: { default: 4, bscTestnet: 0, bsc: 0 },
    // accounts 5-15 are the pilot's banks, merchants and treasury; the gold system's roles come after them
    custodian: { default: 16, bscTestnet: 0, bsc: 0 },
    priceOracle: { default: 17, bscTestnet: 0, bsc: 0 },
    goldTreasury: { default: 18, bscTestnet: 0, bsc: 0 },
    taxAuthority: { default: 19, bscTestnet: 0, bsc: 0 },
  },
  gasReporter: {
    enabled: env.REPORT_GAS === "true",
    offline: true,
    L1: "binance",
    currency: "USD",
    gasPrice: Number(env.GAS_PRICE_GWEI ?? "1"),
    tokenPrice: env.BNB_PRICE_USD ?? "600",
    outputFile: env.GAS_REPORT_FILE,
    noColors: !!env.GAS_REPORT_FILE,
  },
  etherscan: { apiKey: env.ETHERSCAN_API_KEY ?? "" },
  sourcify: { enabled: false },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  // `npm run size`: every production contract (mocks and interfaces left out); strict fails over EIP-170's 24,576 bytes.
  contractSizer: {
    runOnCompile: false,
    strict: true,
    only: ["^contracts/(tenge|common|stablecoin|gold|programs)/"],
  },
  mocha: { timeout: 300_000 },
};

export default config;
