import { CORE_STEPS, tengeInvariants, tengeState } from "./steps/core";
import { LUNCH_STEPS, lunchInvariants, lunchState } from "./steps/lunches";
import { OFFLINE_STEPS, offlineInvariants, offlineState } from "./steps/offline";
import type { InvariantCheck, PilotStep, StateProbe } from "./steps/types";

/**
 * The pilot's story after deployment, in the order the issue tells it: banks, onboarding and issuance, school
 * lunches, VAT at the shops, merchants' redemption, the stablecoin, gold, offline payments, compliance.
 */
export const PILOT_STEPS: PilotStep[] = [
  CORE_STEPS.admitBanks,
  CORE_STEPS.onboard,
  CORE_STEPS.issue,
  LUNCH_STEPS.schoolLunches,
  CORE_STEPS.redeem,
  OFFLINE_STEPS.offlinePayments,
  CORE_STEPS.compliance,
];

/** Every contract's invariants, checked after the story. */
export const PILOT_INVARIANTS: InvariantCheck[] = [tengeInvariants, lunchInvariants, offlineInvariants];

/** What two nodes playing the same seed must agree on. */
export const PILOT_STATE: StateProbe[] = [tengeState, lunchState, offlineState];
