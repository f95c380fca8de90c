import { HardhatRuntimeEnvironment } from "hardhat/types";
import { DeployFunction } from "hardhat-deploy/types";
import { parseUnits } from "ethers";
import { addressFromEnv, ROLE_ENV, tengeConfig } from "../scripts/lib/tenge-config";

const NAMED_HOLDER: Record<string, string> = {
  CENTRAL_BANK_ROLE: "issuanceDesk",
  PAUSER_ROLE: "pauser",
  COMPLIANCE_ROLE: "compliance",
  SEIZURE_ROLE: "enforcement",
  TAX_AUTHORITY_ROLE: "taxAuthority",
};

/**
 * Grants the operational roles to their holders (named accounts, or the TENGE_* overrides in .env), sets the KYC
 * tier limits and the VAT rate schedule. Idempotent: a role already held, a limit or a rate already in force sends
 * nothing.
 */
const configureDigitalTenge: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments, getNamedAccounts, network, ethers } = hre;
  const named = await getNamedAccounts();
  const cfg = tengeConfig(network.name);
  const wait = network.live ? cfg.confirmations : 1;
  const { address } = await deployments.get("DigitalTenge");
  const tenge = await ethers.getContractAt("DigitalTenge", address);
  const admin = tenge.connect(await ethers.getSigner(named.centralBank));

  for (const [role, envVar] of Object.entries(ROLE_ENV)) {
    const holder = addressFromEnv(envVar) ?? named[NAMED_HOLDER[role]];
    const roleId = ethers.id(role);
    if (await tenge.hasRole(roleId, holder)) continue;
    await (await admin.grantRole(roleId, holder)).wait(wait);
    deployments.log(`granted ${role} to ${holder}`);
  }

  const desk = tenge.connect(await ethers.getSigner(addressFromEnv(ROLE_ENV.CENTRAL_BANK_ROLE) ?? named.issuanceDesk));
  const decimals = await tenge.decimals();
  for (const { tier, holding, daily } of cfg.tiers) {
    const wantHolding = parseUnits(holding, decimals);
    const wantDaily = parseUnits(daily, decimals);
    const [haveHolding, haveDaily] = await tenge.tierLimits(tier);
    if (haveHolding === wantHolding && haveDaily === wantDaily) continue;
    await (await desk.setTierLimits(tier, wantHolding, wantDaily)).wait(wait);
    deployments.log(`tier ${tier}: holding ${holding} KZT, daily ${daily} KZT`);
  }

  const tax = tenge.connect(await ethers.getSigner(addressFromEnv(ROLE_ENV.TAX_AUTHORITY_ROLE) ?? named.taxAuthority));
  const now = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  for (const schedule of cfg.vatRates) {
    const from = schedule.effectiveFrom === "now" ? 0n : BigInt(Math.floor(Date.parse(schedule.effectiveFrom) / 1000));
    const rates = await tenge.vatRates();
    const inForce =
      from <= now &&
      rates.standardBps === BigInt(schedule.standardBps) &&
      rates.reducedBps === BigInt(schedule.reducedBps);
    const scheduled =
      from > now &&
      rates.nextEffectiveFrom === from &&
      rates.nextStandardBps === BigInt(schedule.standardBps) &&
      rates.nextReducedBps === BigInt(schedule.reducedBps);
    if (inForce || scheduled) continue;
    await (await tax.scheduleVatRates(schedule.standardBps, schedule.reducedBps, from)).wait(wait);
    deployments.log(
      `VAT ${schedule.standardBps / 100}% / ${schedule.reducedBps / 100}% from ${schedule.effectiveFrom}`,
    );
  }
};

configureDigitalTenge.tags = ["DigitalTengeRoles", "tenge"];
configureDigitalTenge.dependencies = ["DigitalTenge"];
export default configureDigitalTenge;
