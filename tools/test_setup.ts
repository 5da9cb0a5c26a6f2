/**
 * The first step of `deno task test`: makes sure this machine has what the
 * suite runs for real, installing what is missing, so that the README's
 * test command passes on a fresh machine that has only Node, npm and apt.
 *
 * - From apt (when run as root and apt-get exists): `nats-server`
 *   (collector, JetStream and demo tests), `chromium` (the dashboard in a
 *   real browser), `python3-msgpack` (the wire format read by a second
 *   msgpack implementation).
 * - From npm, into `test-artifacts/npm-tools/` (`tools/harness/npm_tool.ts`):
 *   Bun, workerd, esbuild and TypeScript, for the package tests; @vscode/vsce,
 *   vscode-textmate and vscode-oniguruma, for the editor extension tests.
 * - Node 20 or later and npm must be there already (they are what a fresh
 *   machine has).
 *
 * What cannot be installed is named, each with how to get it, and the
 * command exits 1: the suite never starts without a piece and never skips
 * a test silently for want of one.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";
import { NPM_TOOLS, npmTool, type NpmToolName } from "./harness/npm_tool.ts";

/** One thing the suite needs from the machine. */
export interface Requirement {
  /** What it is, for messages. */
  readonly name: string;
  /** Which tests need it. */
  readonly usedBy: string;
  /** Whether the machine has it now. */
  readonly present: () => boolean;
  /** The Debian package that provides it, when apt can. */
  readonly apt?: string;
  /** How to get it by hand. */
  readonly hint: string;
}

function runs(cmd: string, args: readonly string[]): boolean {
  const out = spawnSync(cmd, args, { stdio: "ignore" });
  return out.error === undefined && out.status === 0;
}

function nodeMajor(): number {
  const out = spawnSync("node", ["--version"], { encoding: "utf8" });
  const m = /^v(\d+)\./.exec(out.stdout ?? "");
  return m === null ? 0 : Number(m[1]);
}

/** What the suite needs from the machine, in the order it is checked. */
export const REQUIREMENTS: readonly Requirement[] = [
  {
    name: "nats-server",
    usedBy: "the NATS and JetStream tests, the demo and kill tests",
    present: () => runs("nats-server", ["--version"]),
    apt: "nats-server",
    hint: "apt-get install -y nats-server",
  },
  {
    name: "chromium (/usr/bin/chromium)",
    usedBy: "tests/dashboard_browser_test.ts",
    present: () => existsSync("/usr/bin/chromium"),
    apt: "chromium",
    hint: "apt-get install -y chromium",
  },
  {
    name: "python3 with msgpack",
    usedBy: "the wire interoperability test",
    // The test tries python3 on PATH, then Debian's own (where apt installs the module).
    present: () => ["python3", "/usr/bin/python3"].some((py) => runs(py, ["-c", "import msgpack"])),
    apt: "python3-msgpack",
    hint: "apt-get install -y python3-msgpack",
  },
  {
    name: "Node.js 20 or later with npm",
    usedBy: "the npm package, Node CLI and workerd tests, and the npm tools",
    present: () => nodeMajor() >= 20 && runs("npm", ["--version"]),
    hint: "install Node.js 20+ (it brings npm)",
  },
];

/** The requirements a machine lacks, by the given check. */
export function missing(reqs: readonly Requirement[]): Requirement[] {
  return reqs.filter((r) => !r.present());
}

/**
 * Splits what is missing into what apt can install here and what it cannot.
 *
 * @example Without root, nothing goes to apt
 * ```ts
 * import assert from "node:assert/strict";
 * import { plan, type Requirement } from "./test_setup.ts";
 * const nats: Requirement = { name: "nats-server", usedBy: "t", present: () => false, apt: "nats-server", hint: "h" };
 * const node: Requirement = { name: "node", usedBy: "t", present: () => false, hint: "h" };
 * assert.deepEqual(plan([nats, node], { root: true, apt: true }).apt, ["nats-server"]);
 * assert.deepEqual(plan([nats, node], { root: true, apt: true }).byHand.map((r) => r.name), ["node"]);
 * assert.deepEqual(plan([nats], { root: false, apt: true }).byHand.map((r) => r.name), ["nats-server"]);
 * ```
 */
export function plan(
  lacking: readonly Requirement[],
  can: { readonly root: boolean; readonly apt: boolean },
): { apt: string[]; byHand: Requirement[] } {
  const viaApt = can.root && can.apt;
  return {
    apt: viaApt ? lacking.flatMap((r) => r.apt === undefined ? [] : [r.apt]) : [],
    byHand: lacking.filter((r) => !viaApt || r.apt === undefined),
  };
}

function aptInstall(packages: readonly string[]): void {
  console.error(`test setup: installing ${packages.join(", ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  if (update.status !== 0) console.error("test setup: apt-get update failed, trying the install");
  spawnSync("apt-get", ["install", "-y", "-qq", ...packages], { stdio: "inherit", env });
}

function report(lacking: readonly Requirement[]): void {
  console.error(`test setup: ${lacking.length} thing(s) the suite needs are missing:`);
  for (const r of lacking) console.error(`  - ${r.name}, for ${r.usedBy}: ${r.hint}`);
}

async function main(): Promise<number> {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const step = plan(missing(REQUIREMENTS), { root, apt: runs("apt-get", ["--version"]) });
  if (step.apt.length > 0) aptInstall(step.apt);
  const still = missing(REQUIREMENTS);
  if (still.length > 0) {
    report(still);
    if (!root) console.error("test setup: run as root to let apt-get install them");
    return 1;
  }
  for (const name of Object.keys(NPM_TOOLS) as NpmToolName[]) {
    try {
      await npmTool(name);
    } catch (e) {
      console.error(`test setup: ${(e as Error).message}`);
      return 1;
    }
  }
  return 0;
}

if (import.meta.main) process.exit(await main());
