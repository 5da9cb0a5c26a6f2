/**
 * `vigil collector` as an operator runs it (a subprocess, SDK nodes
 * shipping over HTTP): a spec given as `.vigil` source is compiled in
 * memory; each violation is printed as one line on standard output, human
 * by default (time, spec, property, its line, key, nodes) and one JSON
 * object per line with `--log json`; a configuration that cannot run (a
 * port in use, NATS out of reach, a spec with errors) exits 1 with one line
 * and no stack, a usage error exits 2.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { createBatcher, httpTransport, loadSpec } from "../mod.ts";
import { noStack, runVigil, spawnVigil, type VigilProcess } from "./cli_process.ts";
import { leaseTraffic } from "./cli_lease_traffic.ts";
import { ROOT, specSource } from "../tools/harness/spec_files.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";

/** The line of `global invariant OneHolder` in specs/lease.vigil (1-based), read from the source. */
const ONE_HOLDER_LINE = specSource("lease").split("\n")
  .findIndex((l) => l.includes("global invariant OneHolder")) + 1;

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)\//;

/** Ships a correct handover on lock:ok and a split brain on lock:split from n1 and n2. */
async function shipSplitBrain(base: string): Promise<void> {
  const lease = await loadSpec(`${await compiledDir("lease")}/lease.js`);
  const batcher = (token: string) =>
    createBatcher(httpTransport(`${base}/ingest`, { token }), { maxEvents: 64, maxDelayMs: 5 });
  const t = leaseTraffic(lease, { n1: batcher("t1"), n2: batcher("t2") });
  t.step("n1", "lock:ok", "acquire", 1);
  t.step("n1", "lock:ok", "release", 1);
  t.step("n2", "lock:ok", "acquire", 2);
  t.step("n2", "lock:ok", "release", 2);
  t.step("n1", "lock:split", "acquire", 1);
  t.step("n2", "lock:split", "acquire", 2);
  await t.close();
}

/** Node tokens n1=t1 and n2=t2, read token r1. */
const TOKENS = ["--token", "n1=t1", "--token", "n2=t2", "--read-token", "r1"];

/** `collector --spec <spec>` on a free port, in memory, with {@link TOKENS} and a 20 ms window. */
function collectorArgs(spec: string, ...extra: string[]): string[] {
  return [
    "collector",
    "--spec",
    spec,
    "--port",
    "0",
    "--kv",
    "none",
    ...TOKENS,
    "--window",
    "20ms",
    ...extra,
  ];
}

/** Waits until the collector applied `n` events (its /api/partitions). */
async function applied(base: string, n: number): Promise<void> {
  await waitFor(async () => {
    const res = await fetch(`${base}/api/partitions`, { headers: { authorization: "Bearer r1" } });
    const ps = await res.json() as { applied: number }[];
    return ps.reduce((sum, p) => sum + p.applied, 0) === n;
  }, { timeoutMs: 20_000, intervalMs: 25, what: `${n} events applied` });
}

async function stopped(p: VigilProcess): Promise<void> {
  assert.equal(await p.stop(), 0, p.stderr());
}

Deno.test("vigil collector --spec lease.vigil compiles it in memory and prints one human line per violation", async () => {
  const p = spawnVigil(collectorArgs("specs/lease.vigil"));
  try {
    const base = (await p.waitForOutput(LISTENING))[1]!;
    assert.match(
      p.stderr(),
      /^vigil collector: compiled 'specs\/lease\.vigil' in memory \(spec Lease, \d+ ms\)$/m,
    );
    await shipSplitBrain(base);
    await applied(base, 6);
    await p.waitForOutput(/ VIOLATION /);
    const lines = p.stdout().split("\n").filter((l) => l.includes(" VIOLATION "));
    assert.equal(lines.length, 1, p.stdout());
    const m =
      /^(\S+) VIOLATION Lease global invariant OneHolder \(line (\d+)\) key 'lock:split' nodes (.+)$/
        .exec(lines[0]!);
    assert.ok(m !== null, lines[0]);
    assert.ok(!Number.isNaN(Date.parse(m[1]!)) && m[1]!.endsWith("Z"), `an ISO time: ${m[1]}`);
    assert.equal(Number(m[2]), ONE_HOLDER_LINE);
    assert.deepEqual(m[3]!.split(", ").sort(), ["n1", "n2"]);
  } finally {
    await stopped(p);
  }
  assert.match(p.stdout(), /vigil collector: SIGTERM, stopping\n$/);
});

Deno.test("vigil collector --log json prints one JSON object per line: listening, the violation, stopping", async () => {
  const p = spawnVigil(collectorArgs(`${await compiledDir("lease")}/lease.js`, "--log", "json"));
  try {
    const base =
      (await p.waitForOutput(/"type":"listening","url":"(http:\/\/127\.0\.0\.1:\d+)\/"/))[1]!;
    await shipSplitBrain(base);
    await applied(base, 6);
    await p.waitForOutput(/"type":"violation"/);
  } finally {
    await stopped(p);
  }
  const records = p.stdout().trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(records.map((r) => r.type), ["listening", "violation", "stopping"]);
  for (const r of records) assert.ok(!Number.isNaN(Date.parse(r.time)), r.time);
  const v = records[1];
  assert.deepEqual(
    [v.spec, v.item, v.property, v.line, v.key, [...v.nodes].sort(), v.incomplete],
    ["Lease", "global invariant", "OneHolder", ONE_HOLDER_LINE, "lock:split", ["n1", "n2"], false],
  );
  assert.match(v.specHash, /^[0-9a-f]{64}$/);
  assert.equal(typeof v.id, "string");
  assert.deepEqual(records[0].specs, ["Lease"]);
  assert.equal(records[2].signal, "SIGTERM");
});

Deno.test("A port in use, NATS out of reach, a spec with errors: exit 1 with one line and no stack", async () => {
  const lease = `${await compiledDir("lease")}/lease.js`;
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (busy.addr as Deno.NetAddr).port;
  try {
    const inUse = await runVigil([
      "collector",
      "--spec",
      lease,
      "--kv",
      "none",
      "--port",
      String(port),
    ]);
    assert.equal(inUse.code, 1, printed(inUse));
    assert.equal(
      inUse.stderr,
      `vigil collector: Port ${port} on 127.0.0.1 is in use: give '--port' another port ` +
        `('--port 0' picks a free one)\n`,
    );
    assert.doesNotMatch(inUse.stdout, /listening/);
  } finally {
    busy.close();
  }
  // A port nothing listens on: no NATS server there.
  const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const nothing = (free.addr as Deno.NetAddr).port;
  free.close();
  const nats = await runVigil([
    "collector",
    "--spec",
    lease,
    "--kv",
    "none",
    "--port",
    "0",
    "--nats",
    `nats://127.0.0.1:${nothing}`,
  ]);
  assert.equal(nats.code, 1, printed(nats));
  assert.match(
    nats.stderr,
    new RegExp(`^vigil collector: Cannot connect to NATS at 'nats://127\\.0\\.0\\.1:${nothing}': `),
  );
  assert.equal(nats.stderr.trimEnd().split("\n").length, 1, nats.stderr);

  const dir = await Deno.makeTempDir({ prefix: "vigil_collector_cfg_" });
  try {
    await writeFile(`${dir}/bad.vigil`, "spec Bad\nstate x: nat = 0\n");
    const bad = await runVigil([
      "collector",
      "--spec",
      `${dir}/bad.vigil`,
      "--kv",
      "none",
      "--port",
      "0",
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad\.vigil:2:10: error VIG201: Unknown type 'nat'/);
    assert.match(
      bad.stderr,
      /\nvigil collector: Spec '.*bad\.vigil' does not compile: 1 error \(printed above\)\n$/,
    );
    for (const run of [printed(nats), printed(bad)]) assert.ok(noStack(run), run);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Everything a run printed. */
function printed(run: { stdout: string; stderr: string }): string {
  return run.stdout + run.stderr;
}

Deno.test("Usage errors of vigil collector exit 2 with one line: a bad --log, a spec as an argument, a missing spec", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["--spec", "dist/lease.js", "--log", "jsno"],
      /^vigil collector: Flag '--log' must be 'human' or 'json', got 'jsno'; did you mean 'json'\?\n$/,
    ],
    [
      ["specs/lease.vigil"],
      /^vigil collector: Unexpected argument 'specs\/lease\.vigil'; give specs with '--spec specs\/lease\.vigil'\n$/,
    ],
    [["--spec", "no/such.vigil"], /^vigil collector: Cannot read spec 'no\/such\.vigil': /],
    [["--port", "0"], /^vigil collector: Give at least one '--spec dist\/<name>\.js'/],
    [
      ["--spec", "dist/lease.js", "--port", "http"],
      /^vigil collector: Flag '--port' takes a whole number from 0 to 65535, got 'http'\n$/,
    ],
  ];
  for (const [args, expected] of cases) {
    const run = await runVigil(["collector", "--kv", "none", ...args], { cwd: ROOT });
    assert.equal(run.code, 2, `${args.join(" ")}: ${printed(run)}`);
    assert.match(run.stderr, expected);
    assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
  }
});
