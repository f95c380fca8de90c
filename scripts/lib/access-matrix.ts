/**
 * The suite's access-control matrix: for every contract, every state-changing external function and who may call
 * it. One source for the ABI-driven tests (test/access/*.test.ts through test/helpers/access-matrix.ts), for the
 * generated table docs/access-matrix.md (`npm run access-matrix`) and for the check of README.md's role matrix.
 *
 * Functions are listed by name: overloads (the two `permit`s, the ERC-1363 pairs) share their access rule. The
 * tests fail when an ABI has a state-changing function this file does not list, and when this file lists one no
 * ABI has, so a new function cannot reach a contract unreviewed.
 */
import { ZeroHash, id } from "ethers";

/** Who passes a function's gate. A function may have several gates (e.g. a bank for its customers, the desk for institutions). */
export type Gate =
  /** An AccessControl role; everyone else gets AccessControlUnauthorizedAccount(caller, role). */
  | { readonly kind: "role"; readonly role: string; readonly scope?: string }
  /** Whoever a rule of the contract admits (a key of the contract's `rules`); everyone else gets one of `errors`. */
  | { readonly kind: "rule"; readonly rule: string; readonly errors: readonly string[]; readonly scope?: string }
  /** Anyone; `rule` says what limits the call to the caller's own business (e.g. "holder: its own balance"). */
  | { readonly kind: "anyone"; readonly rule: string }
  /** No one, ever (an initializer behind the proxy). */
  | { readonly kind: "nobody"; readonly error: string };

export interface FunctionAccess {
  /** The function's name (all its overloads). */
  readonly name: string;
  readonly gates: readonly Gate[];
}

export interface ContractAccess {
  /** The contract as deployed (its artifact name). */
  readonly contract: string;
  /** The artifacts whose ABIs are reached at the contract's address (the token's modules' included). */
  readonly abis: readonly string[];
  /** One sentence for the docs. */
  readonly summary: string;
  /** AccessControl role constant → who holds it in the real system. */
  readonly roles: Readonly<Record<string, string>>;
  /** Rule key → whom it admits. */
  readonly rules: Readonly<Record<string, string>>;
  readonly functions: readonly FunctionAccess[];
}

/** A role's bytes32 identifier, as the contracts compute it. */
export function roleId(role: string): string {
  return role === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(role);
}

const role = (r: string, scope?: string): Gate =>
  scope === undefined ? { kind: "role", role: r } : { kind: "role", role: r, scope };
const rule = (r: string, errors: readonly string[], scope?: string): Gate =>
  scope === undefined ? { kind: "rule", rule: r, errors } : { kind: "rule", rule: r, errors, scope };
const anyone = (r: string): Gate => ({ kind: "anyone", rule: r });
const fn = (name: string, ...gates: Gate[]): FunctionAccess => ({ name, gates });

const ADMIN = "DEFAULT_ADMIN_ROLE";
const NOT_PAYEE = ["SignedTransfersCallerNotPayee"];
const INITIALIZER = fn("initialize", { kind: "nobody", error: "InvalidInitialization" });

/** AccessControl and UUPS, the same in every contract. */
const ACCESS_CONTROL: readonly FunctionAccess[] = [
  fn("grantRole", role(ADMIN)),
  fn("revokeRole", role(ADMIN)),
  fn("renounceRole", rule("self", ["AccessControlBadConfirmation"])),
];
const UPGRADE = fn("upgradeToAndCall", role(ADMIN));

/** ERC-20 and the signed-transfer functions of PackedERC20/SignedTransfers tokens. */
const TOKEN_HOLDER: readonly FunctionAccess[] = [
  fn("transfer", anyone("holder: moves its own balance")),
  fn("transferFrom", anyone("spender: within the allowance the holder gave it")),
  fn("approve", anyone("holder: sets its own allowance")),
  fn("permit", anyone("relayer: submits the holder's signed permit")),
  fn("transferWithAuthorization", anyone("relayer: submits the payer's signed authorization")),
  fn("receiveWithAuthorization", rule("payee", NOT_PAYEE)),
  fn("cancelAuthorization", anyone("relayer: submits the authorizer's signed cancellation")),
];

const COMMON_RULES = {
  self: "the account renouncing its own role",
  payee: "the payee named in the signed authorization",
} as const;

export const DIGITAL_TENGE: ContractAccess = {
  contract: "DigitalTenge",
  abis: ["DigitalTenge", "TengeOffline"],
  summary:
    "The retail CBDC token. Administrative functions run in TengeAdmin by delegatecall; offline payments are the TengeOffline ABI at the token's address.",
  roles: {
    DEFAULT_ADMIN_ROLE: "admin: National Bank governance (multisig)",
    CENTRAL_BANK_ROLE: "issuance desk (National Bank)",
    PAUSER_ROLE: "pauser: National Bank operations",
    COMPLIANCE_ROLE: "compliance officer",
    SEIZURE_ROLE: "enforcement officer (court orders)",
    TAX_AUTHORITY_ROLE: "tax authority",
  },
  rules: {
    ...COMMON_RULES,
    bank: "a commercial bank the desk registered (a bank record, not a role)",
    invoiceMerchant: "the invoice's merchant (the payee of the payer's signed authorization)",
    batchPayee: "the merchant the signed offline batch pays",
  },
  functions: [
    ...ACCESS_CONTROL,
    UPGRADE,
    INITIALIZER,
    // Issuance desk
    fn("registerBank", role("CENTRAL_BANK_ROLE")),
    fn("setIssuanceCeiling", role("CENTRAL_BANK_ROLE")),
    fn("setBankSuspended", role("CENTRAL_BANK_ROLE")),
    fn("setTierLimits", role("CENTRAL_BANK_ROLE")),
    fn("onboardInstitution", role("CENTRAL_BANK_ROLE")),
    fn("setExempt", role("CENTRAL_BANK_ROLE")),
    fn("setOfflinePurseCaps", role("CENTRAL_BANK_ROLE")),
    // Banks, for their own customers (the desk for the institutions it onboarded)
    fn("onboard", rule("bank", ["DigitalTengeNotBank"])),
    fn("onboardBatch", rule("bank", ["DigitalTengeNotBank"])),
    fn("mint", rule("bank", ["DigitalTengeNotBank", "DigitalTengeNotAccountManager"], "for its own customers")),
    fn("mintBatch", rule("bank", ["DigitalTengeNotBank", "DigitalTengeNotAccountManager"], "for its own customers")),
    fn(
      "offboard",
      rule("bank", ["DigitalTengeNotAccountManager"], "for its own customers"),
      role("CENTRAL_BANK_ROLE", "for institution wallets"),
    ),
    fn(
      "setTier",
      rule("bank", ["DigitalTengeNotAccountManager"], "for its own customers"),
      role("CENTRAL_BANK_ROLE", "for institution wallets"),
    ),
    fn(
      "recoverWallet",
      rule("bank", ["DigitalTengeNotAccountManager"], "for its own customers"),
      role("CENTRAL_BANK_ROLE", "for institution wallets"),
    ),
    // Compliance and enforcement
    fn("freeze", role("COMPLIANCE_ROLE")),
    fn("unfreeze", role("COMPLIANCE_ROLE")),
    fn("freezeAmount", role("COMPLIANCE_ROLE")),
    fn("unfreezeAmount", role("COMPLIANCE_ROLE")),
    fn("seize", role("SEIZURE_ROLE")),
    fn("pause", role("PAUSER_ROLE")),
    fn("unpause", role("PAUSER_ROLE")),
    // Tax authority
    fn("registerVatPayer", role("TAX_AUTHORITY_ROLE")),
    fn("updateVatPayer", role("TAX_AUTHORITY_ROLE")),
    fn("deregisterVatPayer", role("TAX_AUTHORITY_ROLE")),
    fn("scheduleVatRates", role("TAX_AUTHORITY_ROLE")),
    fn("setVatBudget", role("TAX_AUTHORITY_ROLE")),
    // Holders
    ...TOKEN_HOLDER,
    fn("transferAndCall", anyone("holder: pays a receiver contract from its own balance")),
    fn("transferFromAndCall", anyone("spender: within the allowance, to a receiver contract")),
    fn("approveAndCall", anyone("holder: sets its own allowance for a receiver contract")),
    fn("redeem", anyone("holder: returns its own tenge to its bank")),
    // VAT
    fn("issueInvoice", anyone("merchant: a registered VAT payer issues its own invoice")),
    fn("cancelInvoice", anyone("merchant: cancels its own unpaid invoice")),
    fn("refundInvoice", anyone("merchant: refunds its own paid invoice from its own balance")),
    fn("payInvoice", anyone("holder: pays an invoice from its own balance")),
    fn("payInvoiceWithAuthorization", rule("invoiceMerchant", NOT_PAYEE)),
    fn("payInvoiceWithPermit", anyone("relayer: submits the payer's signed permit")),
    fn("payInvoiceWithInputVat", anyone("merchant: a VAT payer pays with its own marked input VAT")),
    fn("payVatToBudget", anyone("merchant: a VAT payer pays its own marked VAT to the budget")),
    // Offline payments (TengeOffline ABI)
    fn("settleOfflinePayments", rule("batchPayee", ["TengeOfflineCallerNotPayee"])),
    fn("reservePurse", anyone("holder: locks its own tenge in its offline purse")),
    fn("releasePurse", anyone("holder: releases its own ended purse")),
    fn("cancelOfflinePayment", anyone("holder: cancels its own offline nonce")),
    fn("cancelOfflineNonces", anyone("holder: cancels a range of its own offline nonces")),
    fn("cancelOfflinePaymentWithSignature", anyone("relayer: submits the payer's signed cancellation")),
  ],
};

export const TENGE_STABLECOIN: ContractAccess = {
  contract: "TengeStablecoin",
  abis: ["TengeStablecoin"],
  summary: "The tenge-backed stablecoin for BNB Chain: 1 token per tiyn held in reserve.",
  roles: {
    DEFAULT_ADMIN_ROLE: "admin: National Bank governance (multisig)",
    ISSUER_ROLE: "issuance desk",
    RESCUER_ROLE: "issuance desk (rescuer of stray tokens)",
    PAUSER_ROLE: "pauser: National Bank operations",
    BLACKLISTER_ROLE: "compliance officer",
  },
  rules: { ...COMMON_RULES, tenge: "the DigitalTenge contract (its ERC-1363 callback)" },
  functions: [
    ...ACCESS_CONTROL,
    UPGRADE,
    INITIALIZER,
    fn("pause", role("PAUSER_ROLE")),
    fn("unpause", role("PAUSER_ROLE")),
    fn("blacklist", role("BLACKLISTER_ROLE")),
    fn("unBlacklist", role("BLACKLISTER_ROLE")),
    fn("recoverSurplus", role("ISSUER_ROLE")),
    fn("rescueERC20", role("RESCUER_ROLE")),
    fn("onTransferReceived", rule("tenge", ["TengeStablecoinCallerNotTenge"])),
    ...TOKEN_HOLDER,
    fn("deposit", anyone("holder: deposits its own tenge")),
    fn("withdraw", anyone("holder: burns its own stablecoin for tenge")),
  ],
};

export const GOLD_TOKEN: ContractAccess = {
  contract: "GoldToken",
  abis: ["GoldToken"],
  summary: "Allocated gold in grams, every gram backed by a registered bar in the vault.",
  roles: {
    DEFAULT_ADMIN_ROLE: "admin: National Bank governance (multisig)",
    CUSTODIAN_ROLE: "custodian (the vault)",
    PAUSER_ROLE: "pauser: National Bank operations",
    COMPLIANCE_ROLE: "compliance officer",
  },
  rules: { ...COMMON_RULES },
  functions: [
    ...ACCESS_CONTROL,
    UPGRADE,
    INITIALIZER,
    fn("addBar", role("CUSTODIAN_ROLE")),
    fn("addBars", role("CUSTODIAN_ROLE")),
    fn("removeBar", role("CUSTODIAN_ROLE")),
    fn("releaseBar", role("CUSTODIAN_ROLE")),
    fn("freeze", role("COMPLIANCE_ROLE")),
    fn("unfreeze", role("COMPLIANCE_ROLE")),
    fn("pause", role("PAUSER_ROLE")),
    fn("unpause", role("PAUSER_ROLE")),
    ...TOKEN_HOLDER,
    fn("redeemBar", anyone("holder: burns a whole bar's grams from its own balance")),
    fn("syncParticipant", anyone("keeper: copies an account's status from the digital tenge")),
    fn("syncParticipants", anyone("keeper: copies accounts' status from the digital tenge")),
  ],
};

export const GOLD_DESK: ContractAccess = {
  contract: "GoldDesk",
  abis: ["GoldDesk"],
  summary: "The National Bank's gold desk: buys and sells gold grams for tenge at the published price.",
  roles: {
    DEFAULT_ADMIN_ROLE: "admin: National Bank governance (multisig)",
    ORACLE_ROLE: "price oracle",
    MANAGER_ROLE: "operator: the desk's manager",
    PAUSER_ROLE: "pauser: National Bank operations",
  },
  rules: { ...COMMON_RULES, tenge: "the DigitalTenge contract (its ERC-1363 callback)" },
  functions: [
    ...ACCESS_CONTROL,
    UPGRADE,
    INITIALIZER,
    fn("publishPrice", role("ORACLE_ROLE")),
    fn("setConfig", role("MANAGER_ROLE")),
    fn("setTreasury", role("MANAGER_ROLE")),
    fn("withdraw", role("MANAGER_ROLE")),
    fn("pause", role("PAUSER_ROLE")),
    fn("unpause", role("PAUSER_ROLE")),
    fn("onTransferReceived", rule("tenge", ["GoldDeskNotTenge"])),
    fn("buy", anyone("holder: pays with its own tenge")),
    fn("sell", anyone("holder: sells its own gold")),
  ],
};

export const PURPOSE_BOUND_PROGRAMS: ContractAccess = {
  contract: "PurposeBoundPrograms",
  abis: ["PurposeBoundPrograms"],
  summary: "Escrow of purpose-bound programs (school lunches): funders' tenge spendable only at listed merchants.",
  roles: {
    DEFAULT_ADMIN_ROLE: "admin: National Bank governance (multisig)",
    OPERATOR_ROLE: "operator: the programs desk",
  },
  rules: {
    self: COMMON_RULES.self,
    funder: "the program's funder",
    beneficiary: "a beneficiary enrolled in the program",
    tenge: "the DigitalTenge contract (its ERC-1363 callback)",
  },
  functions: [
    ...ACCESS_CONTROL,
    UPGRADE,
    INITIALIZER,
    fn("recoverSurplus", role(ADMIN)),
    fn("addMerchants", role("OPERATOR_ROLE")),
    fn("removeMerchants", role("OPERATOR_ROLE")),
    fn("enrolBeneficiaries", role("OPERATOR_ROLE")),
    fn("removeBeneficiaries", role("OPERATOR_ROLE")),
    fn("topUp", role("OPERATOR_ROLE")),
    fn("fund", rule("funder", ["ProgramsNotFunder"])),
    fn(
      "close",
      rule("funder", ["ProgramsCloseNotAllowed"], "at any time"),
      anyone("after the program's expiry (the unspent money returns to the funder)"),
    ),
    fn("setFunder", rule("funder", ["ProgramsNotFunder"]), role(ADMIN)),
    fn("spend", rule("beneficiary", ["ProgramsNotEnrolled"])),
    fn("onTransferReceived", rule("tenge", ["ProgramsCallerNotTenge"])),
    fn("createProgram", anyone("funder: any holder funds a new program with its own tenge")),
    fn("spendFor", anyone("relayer: submits a beneficiary's signed spend")),
    fn("spendBatchFor", anyone("a merchant's terminal relaying beneficiaries' signatures")),
  ],
};

/** Every contract of the suite, in the order the docs list them. */
export const ACCESS_MATRIX: readonly ContractAccess[] = [
  DIGITAL_TENGE,
  TENGE_STABLECOIN,
  GOLD_TOKEN,
  GOLD_DESK,
  PURPOSE_BOUND_PROGRAMS,
];

/** The matrix entry of `name` in `contract`; throws when it has none. */
export function accessOf(contract: ContractAccess, name: string): FunctionAccess {
  const entry = contract.functions.find((f) => f.name === name);
  if (entry === undefined) throw new Error(`${contract.contract}.${name} is not in the access matrix`);
  return entry;
}

/** Every custom error a caller may get from this contract's access gates. */
export function accessErrors(contract: ContractAccess): string[] {
  const errors = new Set<string>(["AccessControlUnauthorizedAccount", "AccessControlBadConfirmation"]);
  for (const f of contract.functions) {
    for (const g of f.gates) {
      if (g.kind === "rule") g.errors.forEach((e) => errors.add(e));
      if (g.kind === "nobody") errors.add(g.error);
    }
  }
  return [...errors].sort();
}

/** Names of the functions one of whose gates is the AccessControl role `roleName`. */
export function functionsOfRole(contract: ContractAccess, roleName: string): string[] {
  return contract.functions
    .filter((f) => f.gates.some((g) => g.kind === "role" && g.role === roleName))
    .map((f) => f.name);
}

/** Names of the functions one of whose gates is the rule `ruleName`. */
export function functionsOfRule(contract: ContractAccess, ruleName: string): string[] {
  return contract.functions
    .filter((f) => f.gates.some((g) => g.kind === "rule" && g.rule === ruleName))
    .map((f) => f.name);
}

/** Names of the functions anyone may call (some gate is "anyone"). */
export function openFunctions(contract: ContractAccess): string[] {
  return contract.functions.filter((f) => f.gates.some((g) => g.kind === "anyone")).map((f) => f.name);
}

/** One gate in words, for the docs. */
export function describeGate(contract: ContractAccess, gate: Gate): string {
  switch (gate.kind) {
    case "role": {
      const who = contract.roles[gate.role] ?? gate.role;
      return `${who} (\`${gate.role}\`)${gate.scope === undefined ? "" : `, ${gate.scope}`}`;
    }
    case "rule": {
      const who = contract.rules[gate.rule] ?? gate.rule;
      const errors = gate.errors.map((e) => `\`${e}\``).join(" / ");
      return `${who}${gate.scope === undefined ? "" : `, ${gate.scope}`}; others: ${errors}`;
    }
    case "anyone":
      return `anyone — ${gate.rule}`;
    case "nobody":
      return `nobody (\`${gate.error}\`)`;
  }
}

/** The markdown of docs/access-matrix.md: one table per contract. */
export function renderAccessMatrix(matrix: readonly ContractAccess[] = ACCESS_MATRIX): string {
  const lines: string[] = [
    "# Access-control matrix",
    "",
    "<!-- Generated by `npm run access-matrix` from scripts/lib/access-matrix.ts: do not edit by hand. -->",
    "",
    "Generated from the matrix the ABI-driven tests check (`test/access/`): every state-changing external function",
    "of every contract of the suite, and who may call it. A caller a role gate refuses gets",
    "`AccessControlUnauthorizedAccount(caller, role)`; a caller a rule refuses gets the error named in the table.",
    "Overloads share a row.",
    "",
  ];
  for (const c of matrix) {
    lines.push(`## ${c.contract}`, "", c.summary, "");
    if (c.abis.length > 1) lines.push(`ABIs reached at its address: ${c.abis.map((a) => `\`${a}\``).join(", ")}.`, "");
    lines.push("| role | held by |", "| --- | --- |");
    for (const [r, who] of Object.entries(c.roles)) lines.push(`| \`${r}\` | ${who} |`);
    lines.push("", "| function | who may call it |", "| --- | --- |");
    for (const f of [...c.functions].sort((a, b) => a.name.localeCompare(b.name))) {
      lines.push(`| \`${f.name}\` | ${f.gates.map((g) => describeGate(c, g)).join("; or ")} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
