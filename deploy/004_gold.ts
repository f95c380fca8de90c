import { HardhatRuntimeEnvironment } from "hardhat/types";
import { DeployFunction } from "hardhat-deploy/types";
import type { GoldDesk, GoldToken } from "../typechain-types";
import { GOLD_ROLE_HOLDERS, GOLD_TREASURY, goldConfig } from "../scripts/lib/gold-config";
import { addressFromEnv } from "../scripts/lib/tenge-config";
import { deployUupsProxy } from "../scripts/lib/deploy";

/**
 * The gold system: the gold token and the gold desk (UUPS proxies), their roles granted to the named accounts (or
 * the GOLD_* / TENGE_* overrides in .env), the desk's bounds and fee from scripts/lib/gold-config.ts; the desk,
 * the fee treasury and the custodian onboarded as institutions of the digital tenge and synced as gold
 * participants. Idempotent: whatever is already in place sends nothing.
 */
const deployGold: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments, getNamedAccounts, network, ethers } = hre;
  const named = await getNamedAccounts();
  const cfg = goldConfig(network.name);
  const wait = network.live ? cfg.confirmations : 1;
  const holder = (h: { named: string; env: string }): string => addressFromEnv(h.env) ?? named[h.named];
  const treasury = holder(GOLD_TREASURY);
  const tengeAddress = (await deployments.get("DigitalTenge")).address;

  // Name, symbol and the tenge (the token's participant registry, the desk's means of payment) are immutables: a
  // change to any of them, like a change of code, is an upgrade.
  const { address: goldAddress } = await deployUupsProxy(hre, {
    contract: "GoldToken",
    constructorTypes: ["string", "string", "address"],
    constructorArgs: [cfg.name, cfg.symbol, tengeAddress],
    initArgs: [named.centralBank],
    confirmations: cfg.confirmations,
  });
  const d = cfg.desk;
  const { address: deskAddress } = await deployUupsProxy(hre, {
    contract: "GoldDesk",
    constructorTypes: ["address", "address"],
    constructorArgs: [tengeAddress, goldAddress],
    initArgs: [named.centralBank, treasury, d.maxPriceAgeSeconds, d.maxMoveBps, d.feeBps],
    confirmations: cfg.confirmations,
  });

  const admin = await ethers.getSigner(named.centralBank);
  const gold = await ethers.getContractAt("GoldToken", goldAddress, admin);
  const desk = await ethers.getContractAt("GoldDesk", deskAddress, admin);
  const grants: [GoldToken | GoldDesk, Record<string, { named: string; env: string }>][] = [
    [gold, GOLD_ROLE_HOLDERS.token],
    [desk, GOLD_ROLE_HOLDERS.desk],
  ];
  for (const [contract, roles] of grants) {
    for (const [role, who] of Object.entries(roles)) {
      const account = holder(who);
      const roleId = ethers.id(role);
      if (await contract.hasRole(roleId, account)) continue;
      await (await contract.grantRole(roleId, account)).wait(wait);
      deployments.log(`granted ${role} on ${await contract.getAddress()} to ${account}`);
    }
  }

  // Desk configuration and treasury, by the manager.
  const manager = desk.connect(await ethers.getSigner(holder(GOLD_ROLE_HOLDERS.desk.MANAGER_ROLE)));
  const current = await desk.config();
  if (
    current.maxPriceAge !== BigInt(d.maxPriceAgeSeconds) ||
    current.maxMoveBps !== BigInt(d.maxMoveBps) ||
    current.feeBps !== BigInt(d.feeBps)
  ) {
    await (await manager.setConfig(d.maxPriceAgeSeconds, d.maxMoveBps, d.feeBps)).wait(wait);
    deployments.log(
      `desk config: max price age ${d.maxPriceAgeSeconds} s, max move ${d.maxMoveBps} bps, fee ${d.feeBps} bps`,
    );
  }
  if (current.treasury.toLowerCase() !== treasury.toLowerCase()) {
    await (await manager.setTreasury(treasury)).wait(wait);
    deployments.log(`desk treasury: ${treasury}`);
  }

  // The desk, the treasury and the custodian hold tenge and gold: tenge institutions, then gold participants.
  const tengeDesk = await ethers.getContractAt(
    "DigitalTenge",
    tengeAddress,
    await ethers.getSigner(addressFromEnv("TENGE_CENTRAL_BANK_DESK") ?? named.issuanceDesk),
  );
  const participants = [deskAddress, treasury, holder(GOLD_ROLE_HOLDERS.token.CUSTODIAN_ROLE)];
  for (const account of participants) {
    if ((await tengeDesk.accountOf(account)).onboarded) continue;
    await (await tengeDesk.onboardInstitution(account)).wait(wait);
    deployments.log(`onboarded ${account} as a tenge institution`);
  }
  const unsynced: string[] = [];
  for (const account of participants) if (!(await gold.isPermitted(account))) unsynced.push(account);
  if (unsynced.length > 0) {
    await (await gold.syncParticipants(unsynced)).wait(wait);
    deployments.log(`synced gold participants: ${unsynced.join(", ")}`);
  }

  for (const account of participants) {
    if (!(await gold.isPermitted(account))) throw new Error(`GoldToken: ${account} is not a permitted participant`);
  }
  if ((await desk.gold()) !== goldAddress || (await desk.tenge()) !== tengeAddress) {
    throw new Error("GoldDesk: wrong token addresses");
  }
};

deployGold.tags = ["Gold", "gold"];
deployGold.dependencies = ["tenge"];
export default deployGold;
