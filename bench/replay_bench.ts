/**
 * Replay throughput: lease logs of three nodes (one NDJSON file each,
 * skewed clocks, a few adjacent lines swapped so the window has work),
 * generated in a temporary directory, replayed from disk.
 *
 * - `deno bench -A bench/replay_bench.ts`: `Deno.bench` over 300k lines,
 *   with `JSON.parse` of every line as the baseline.
 * - `deno run -A bench/replay_bench.ts [lines]`: a timed run over `lines`
 *   lines (default 3 000 000) printing lines/s for: reading and mapping
 *   only, local checks (no collector), and the full replay (local checks
 *   and the collector core's merge and global checks).
 *
 * @module
 */
import process from "node:process";
import { loadCompiled } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { parseMapping, readLines, replay, type ReplaySource } from "../edge/replay/mod.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";

const NODES = ["api-1", "api-2", "api-3"];
const SKEW = [0, 20, -15];
const LOCKS = 1000;

/** The mapping of the generated logs. */
export const MAPPING = {
  where: { type: "transition" },
  node: "host",
  key: "lock",
  time: "ts",
  action: "event",
  args: "args",
};

/**
 * Writes `lines` lease log lines over three node files in `dir`: lock
 * `i % LOCKS` is acquired and released in turn by the nodes, events of one
 * lock 100 ms apart (more than the clock skew), every 50th line an
 * unrelated `info` line, every 97th pair of lines swapped.
 */
export async function writeLeaseLogs(dir: string, lines: number): Promise<string[]> {
  const files = NODES.map((n) => `${dir}/${n}.ndjson`);
  const out: string[][] = NODES.map(() => []);
  const base = 1_700_000_000_000;
  for (let i = 0; i < lines; i++) {
    const t = base + Math.floor(i / 10);
    if (i % 50 === 49) {
      const n = i % 3;
      out[n]!.push(`{"ts":${t + SKEW[n]!},"level":"info","host":"${NODES[n]}","type":"gc","ms":3}`);
      continue;
    }
    const lock = i % LOCKS;
    const round = Math.floor(i / LOCKS);
    const n = Math.floor(round / 2) % 3;
    const event = round % 2 === 0 ? "acquire" : "release";
    const c = Math.floor(round / 2) % 4;
    out[n]!.push(
      `{"ts":${t + SKEW[n]!},"level":"info","host":"${NODES[n]}","type":"transition",` +
        `"lock":"lock:${lock}","event":"${event}","args":{"c":${c}},"msg":"lock ${event}d"}`,
    );
  }
  for (let n = 0; n < NODES.length; n++) {
    const ls = out[n]!;
    for (let i = 96; i + 1 < ls.length; i += 97) [ls[i], ls[i + 1]] = [ls[i + 1]!, ls[i]!];
    await Deno.writeTextFile(files[n]!, ls.join("\n") + "\n");
  }
  return files;
}

/** A log file as a replay source. */
async function openLog(path: string): Promise<ReplaySource> {
  return { name: path, stream: (await Deno.open(path)).readable };
}

function sources(files: readonly string[]) {
  return Promise.all(files.map(openLog));
}

async function run(spec: CompiledSpec, files: readonly string[], globalChecks: boolean) {
  const report = await replay(await sources(files), {
    specs: [spec],
    mapping: parseMapping(MAPPING),
    windowMs: 100,
    globalChecks,
  });
  if (report.summary.violations !== 0 || report.summary.unmapped !== 0) {
    throw new Error(`Unexpected findings: ${JSON.stringify(report.summary)}`);
  }
  return report.summary;
}

async function parseOnly(files: readonly string[]): Promise<number> {
  let n = 0;
  for (const f of files) {
    await readLines((await openLog(f)).stream, (l) => {
      if (JSON.parse(l).ts > 0) n++;
    });
  }
  return n;
}

const specPromise = compiledDir("lease").then((d) => loadCompiled(`${d}/lease.js`));

/** Best (lowest) CPU and wall ms of `runs` runs of `f`. */
async function best(runs: number, f: () => Promise<unknown>): Promise<[number, number]> {
  let cpu = Infinity;
  let wall = Infinity;
  for (let i = 0; i < runs; i++) {
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    const u = process.cpuUsage(u0);
    cpu = Math.min(cpu, (u.user + u.system) / 1000);
    wall = Math.min(wall, performance.now() - t0);
  }
  return [cpu, wall];
}

if (import.meta.main) {
  const lines = Number(Deno.args[0] ?? 3_000_000);
  const runs = Number(Deno.args[1] ?? 3);
  const dir = await Deno.makeTempDir({ prefix: "vigil_replay_bench_" });
  try {
    const files = await writeLeaseLogs(dir, lines);
    const spec = await specPromise;
    const mb = files.reduce((n, f) => n + Deno.statSync(f).size, 0) / 1e6;
    console.log(`${lines} lines, ${mb.toFixed(1)} MB in ${files.length} files, best of ${runs}`);
    const rate = (ms: number) => `${Math.round(lines / (ms / 1000)).toLocaleString("en")}`;
    const show = (label: string, [cpu, wall]: [number, number]) =>
      console.log(`${label}: ${rate(cpu)} lines per CPU-second, ${rate(wall)} lines/s wall`);
    show("read + JSON.parse every line (baseline)", await best(runs, () => parseOnly(files)));
    show("replay, local checks only", await best(runs, () => run(spec, files, false)));
    show("replay, full (collector core)", await best(runs, () => run(spec, files, true)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
} else {
  const dir = await Deno.makeTempDir({ prefix: "vigil_replay_bench_" });
  const files = await writeLeaseLogs(dir, 300_000);
  const spec = await specPromise;
  Deno.bench(
    { name: "JSON.parse every line", group: "replay 300k lines", baseline: true },
    async () => {
      await parseOnly(files);
    },
  );
  Deno.bench({ name: "replay, local checks only", group: "replay 300k lines" }, async () => {
    await run(spec, files, false);
  });
  Deno.bench({ name: "replay, full (collector core)", group: "replay 300k lines" }, async () => {
    await run(spec, files, true);
  });
}
