/**
 * API documentation from the compiler's NatSpec output (userdoc/devdoc in the build-info artifacts), one markdown
 * file per production contract. No dependency beyond the artifacts `hardhat compile` writes.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "fs";
import { dirname, join, relative, sep } from "path";
import { ErrorFragment, EventFragment, FunctionFragment, Interface, type ParamType } from "ethers";

/** NatSpec of one item as solc emits it (devdoc and userdoc merged by the reader). */
interface ItemDoc {
  notice?: string;
  details?: string;
  params?: Record<string, string>;
  returns?: Record<string, string>;
  [tag: string]: unknown;
}

interface CompilerDoc {
  title?: string;
  author?: string;
  notice?: string;
  details?: string;
  methods?: Record<string, ItemDoc>;
  events?: Record<string, ItemDoc>;
  errors?: Record<string, ItemDoc[]>;
  stateVariables?: Record<string, ItemDoc>;
  [tag: string]: unknown;
}

/** What the generator needs of one contract. */
export interface ContractDocs {
  sourceName: string;
  contractName: string;
  abi: readonly unknown[];
  userdoc: CompilerDoc;
  devdoc: CompilerDoc;
}

interface Artifact {
  contractName: string;
  sourceName: string;
  abi: unknown[];
  bytecode: string;
}

interface BuildInfo {
  output: { contracts: Record<string, Record<string, { userdoc?: CompilerDoc; devdoc?: CompilerDoc }>> };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * The production contracts among the artifacts: deployable (non-empty bytecode, non-empty ABI) contracts of
 * `contracts/`, mocks and interfaces excluded.
 */
export function productionArtifacts(artifactsDir: string): string[] {
  const root = join(artifactsDir, "contracts");
  return walk(root)
    .filter((p) => p.endsWith(".json") && !p.endsWith(".dbg.json"))
    .filter((p) => {
      const rel = relative(root, p).split(sep);
      return rel[0] !== "mocks" && rel[0] !== "interfaces";
    })
    .filter((p) => {
      const a = JSON.parse(readFileSync(p, "utf8")) as Artifact;
      return a.bytecode !== "0x" && a.abi.length > 0;
    })
    .sort();
}

/** The contract's ABI and NatSpec, from its artifact and the build-info its .dbg.json points to. */
export function loadContractDocs(artifactPath: string): ContractDocs {
  const artifact = JSON.parse(readFileSync(artifactPath, "utf8")) as Artifact;
  const dbgPath = artifactPath.replace(/\.json$/, ".dbg.json");
  if (!existsSync(dbgPath)) throw new Error(`no ${dbgPath}: run \`npx hardhat compile\``);
  const { buildInfo } = JSON.parse(readFileSync(dbgPath, "utf8")) as { buildInfo: string };
  const info = JSON.parse(readFileSync(join(dirname(dbgPath), buildInfo), "utf8")) as BuildInfo;
  const out = info.output.contracts[artifact.sourceName]?.[artifact.contractName];
  if (out === undefined) throw new Error(`${artifact.contractName} is not in its build-info ${buildInfo}`);
  return {
    sourceName: artifact.sourceName,
    contractName: artifact.contractName,
    abi: artifact.abi,
    userdoc: out.userdoc ?? {},
    devdoc: out.devdoc ?? {},
  };
}

/** Collapses solc's whitespace (NatSpec lines are joined with newlines and indentation). */
const clean = (text: string): string => text.replace(/\s+/g, " ").trim();
const cell = (text: string): string => clean(text).replace(/\|/g, "\\|");

function merge(user: ItemDoc | undefined, dev: ItemDoc | undefined): ItemDoc {
  return { ...(dev ?? {}), ...(user ?? {}) };
}

function paramsTable(
  heading: string,
  params: readonly ParamType[],
  docs: Record<string, string> | undefined,
): string[] {
  if (params.length === 0) return [];
  const lines = [`**${heading}**`, "", "| name | type | description |", "| --- | --- | --- |"];
  params.forEach((p, i) => {
    const doc = docs?.[p.name] ?? docs?.[`_${i}`] ?? "";
    lines.push(`| ${p.name === "" ? `#${i}` : `\`${p.name}\``} | \`${p.format("sighash")}\` | ${cell(doc)} |`);
  });
  lines.push("");
  return lines;
}

function describeItem(doc: ItemDoc): string[] {
  const lines: string[] = [];
  if (doc.notice) lines.push(clean(doc.notice), "");
  if (doc.details) lines.push(`_Dev:_ ${clean(doc.details)}`, "");
  for (const [tag, value] of Object.entries(doc)) {
    if (tag.startsWith("custom:") && typeof value === "string") lines.push(`_@${tag}_ ${clean(value)}`, "");
  }
  return lines;
}

/** The markdown API documentation of one contract: functions, events and errors of its ABI, with their NatSpec. */
export function renderContractDocs(docs: ContractDocs): string {
  const iface = new Interface(docs.abi as string[]);
  const { userdoc, devdoc } = docs;
  const lines: string[] = [
    `# ${docs.contractName}`,
    "",
    `<!-- Generated from the compiler's NatSpec (userdoc/devdoc) by scripts/lib/natspec-docs.ts. -->`,
    "",
    `Source: \`${docs.sourceName}\``,
    "",
  ];
  if (devdoc.title) lines.push(`**${clean(devdoc.title)}**`, "");
  if (userdoc.notice) lines.push(clean(userdoc.notice), "");
  if (devdoc.details) lines.push(`_Dev:_ ${clean(devdoc.details)}`, "");
  if (devdoc.author) lines.push(`_Author:_ ${clean(devdoc.author)}`, "");

  const functions = iface.fragments
    .filter((f): f is FunctionFragment => FunctionFragment.isFragment(f))
    .sort((a, b) => a.format("sighash").localeCompare(b.format("sighash")));
  lines.push("## Functions", "");
  for (const f of functions) {
    const sig = f.format("sighash");
    const doc = merge(userdoc.methods?.[sig], devdoc.methods?.[sig]);
    const getter = devdoc.stateVariables?.[f.name];
    lines.push(`### \`${sig}\``, "", `\`${f.stateMutability}\` · selector \`${f.selector}\``, "");
    lines.push(...describeItem(getter === undefined ? doc : merge(doc, getter)));
    lines.push(...paramsTable("Parameters", f.inputs, doc.params));
    lines.push(...paramsTable("Returns", f.outputs, doc.returns ?? getter?.returns));
  }

  const events = iface.fragments
    .filter((f): f is EventFragment => EventFragment.isFragment(f))
    .sort((a, b) => a.format("sighash").localeCompare(b.format("sighash")));
  lines.push("## Events", "");
  for (const e of events) {
    const sig = e.format("sighash");
    const doc = merge(userdoc.events?.[sig], devdoc.events?.[sig]);
    lines.push(`### \`${sig}\``, "", ...describeItem(doc), ...paramsTable("Parameters", e.inputs, doc.params));
  }

  const errors = iface.fragments
    .filter((f): f is ErrorFragment => ErrorFragment.isFragment(f))
    .sort((a, b) => a.format("sighash").localeCompare(b.format("sighash")));
  lines.push("## Errors", "");
  for (const e of errors) {
    const sig = e.format("sighash");
    const doc = merge(userdoc.errors?.[sig]?.[0], devdoc.errors?.[sig]?.[0]);
    lines.push(`### \`${sig}\``, "", ...describeItem(doc), ...paramsTable("Parameters", e.inputs, doc.params));
  }
  return lines.join("\n");
}
