/**
 * Replay throughput: lease logs of three nodes (one NDJSON file each,
 * skewed clocks, a few adjacent lines swapped so the window has work),
 * generated in a temporary directory, replayed from disk.
 *
 * - `deno bench -A bench/replay_bench.ts`: `Deno.bench` over 300k lines,
 *   with `JSON.parse` of every line as the baseline.
 * - `deno run -A bench/replay_bench.ts [lines] [runs]`: a timed run over
 *   `lines` lines (default 3 000 000) printing lines per CPU-second and
 *   lines/s for: reading and `JSON.parse` of every line (the floor), local
 *   checks (no collector), the full replay (local checks and the
 *   collector core's merge and global checks), and the reading thread of
 *   `--workers n` alone (the serial part), interleaved, best of `runs`
 *   (default 3); then the wall and CPU time of the real CLI (`vigil replay
 *   --json`) with `--workers 1` (one thread), without `--workers` (the
 *   default for this machine's cores and these logs), `--workers 2` (a
 *   reading thread and one checking worker), `--workers 3` (two checking
 *   workers) and `--workers 3 --parallel-read` on the same logs, and
 *   `--workers 2` held to one core (`taskset -c 0`, where available: the
 *   same work without the second core), interleaved, and the load average
 *   (the machine's cores may be shared).
 * - `... --base <git revision>`: the stages also run the replay of that
 *   revision (its `edge/` and `lib/` extracted beside the tree), local and
 *   full, interleaved with this tree's: an A/B in one process; and the CLI
 *   runs add that revision's CLI with `--workers 1` and `--workers 2`.
 * - The CLI runs also give the busiest thread's CPU time (Linux `/proc`):
 *   the serial part, a lower bound of the wall time on idle cores whatever
 *   the load while measuring.
 * - `... --no-cli`: without the CLI runs.
 * - `... --cpu-prof [file]`: then a V8 CPU profile of one full replay (the
 *   functions with the most self time printed, the profile written to
 *   `file`, default `replay.cpuprofile`).
 * - `deno run -A bench/replay_bench.ts [lines] [runs] --stages`: CPU per
 *   line of each stage alone, interleaved: read and split (decoded lines,
 *   and lines as bytes), `JSON.parse`, the field scanner (`scanFields`, the
 *   general path), finding the fields' ranges (`scanRanges` in decoded
 *   lines, `FieldFinder` in the bytes: the fast path's one pass), mapping
 *   to events, local replay, full replay.
 *
 * @module
 */
import { loadavg } from "node:os";
import process from "node:process";
import { loadCompiled } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import {
  parseMapping,
  readLines,
  replay,
  replayDispatched,
  type ReplaySource,
  scanFields,
} from "../edge/replay/mod.ts";
import { LineExtractor } from "../edge/replay/extract.ts";
import { replaySpecs } from "../edge/replay/replay_spec.ts";
import { scanRanges } from "../edge/replay/scan.ts";
import { FieldFinder } from "../edge/replay/byte_scan.ts";
import { LineReader, type RawLine } from "../edge/replay/reader.ts";
import { readFileRecords } from "../edge/replay/file_reading.ts";
import { FileRecordStream, RecordQueue } from "../edge/replay/file_records.ts";
import { replayRecords } from "../edge/replay/record_merge.ts";
import { compiledDir } from "../tools/harness/sdk_fixture.ts";
import { startProfiler, topSelf } from "./v8_profile.ts";
import { treeAt } from "../tools/harness/tree_at.ts";
import { LEASE_LOG_MAPPING } from "../tools/harness/lease/logs.ts";

const NODES = ["api-1", "api-2", "api-3"];
const SKEW = [0, 20, -15];
const LOCKS = 1000;

/** The mapping of the generated logs. */
export const MAPPING = LEASE_LOG_MAPPING;

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

/** Bytes read at a time, as `vigil replay` reads its logs. */
const READ_CHUNK = 1 << 20;

/** A log file as a replay source, read `READ_CHUNK` bytes at a time like the CLI reads it. */
async function openLog(path: string): Promise<ReplaySource> {
  const file = await Deno.open(path);
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = new Uint8Array(READ_CHUNK);
      const n = await file.read(chunk);
      if (n === null) {
        file.close();
        controller.close();
      } else controller.enqueue(n === READ_CHUNK ? chunk : chunk.subarray(0, n));
    },
    cancel() {
      file.close();
    },
  }, { highWaterMark: 0 });
  return { name: path, stream };
}

function sources(files: readonly string[]) {
  return Promise.all(files.map(openLog));
}

/** The replay entry points of a tree (this one, or a revision's: `--base`). */
interface ReplayModule {
  readonly replay: typeof replay;
  readonly parseMapping: typeof parseMapping;
}

const HERE: ReplayModule = { replay, parseMapping };

/**
 * The replay of git revision `rev`: its `edge/` and `lib/` extracted to a
 * temporary directory and imported from there (as `collector_bench.ts
 * --base` does for the engine), to measure against this tree in one
 * process.
 */
async function replayAt(rev: string): Promise<ReplayModule> {
  const dir = await treeAt(rev, ["edge", "lib"]);
  return await import(`file://${dir}/edge/replay/mod.ts`);
}

/**
 * The CLI of git revision `rev` (its sources and configuration extracted to
 * a temporary directory, this tree's `node_modules` linked there): the
 * path of its `cli/main.ts`.
 */
async function cliAt(rev: string): Promise<string> {
  const dir = await treeAt(rev, [
    "cli",
    "edge",
    "lib",
    "runtime",
    "tools",
    "mod.ts",
    "deno.json",
    "deno.lock",
    "package.json",
  ]);
  await Deno.symlink(new URL("../node_modules", import.meta.url).pathname, `${dir}/node_modules`);
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return `${dir}/cli/main.ts`;
}

async function run(
  spec: CompiledSpec,
  files: readonly string[],
  globalChecks: boolean,
  tree: ReplayModule = HERE,
) {
  const report = await tree.replay(await sources(files), {
    specs: [spec],
    mapping: tree.parseMapping(MAPPING),
    windowMs: 100,
    globalChecks,
  });
  if (report.summary.violations !== 0 || report.summary.unmapped !== 0) {
    throw new Error(`Unexpected findings: ${JSON.stringify(report.summary)}`);
  }
  return report.summary;
}

/**
 * The main thread's part of `vigil replay --workers 2`: reading, mapping,
 * ordering and numbering every line and writing the records, which are
 * dropped here rather than checked.
 */
async function readerOnly(spec: CompiledSpec, files: readonly string[]) {
  let bytes = 0;
  const head = await replayDispatched(await sources(files), {
    specs: [spec],
    mapping: parseMapping(MAPPING),
    windowMs: 100,
    workers: 2,
    send: (_, records) => void (bytes += records.byteLength),
  });
  if (head.report.summary.mapped === 0 || bytes === 0) throw new Error("Nothing dispatched");
  return bytes;
}

/**
 * The reading threads' part of `vigil replay --workers 2`: every file read,
 * mapped and windowed into its records (`readFileRecords`), here one after
 * the other in this thread; returns each file's record buffers.
 */
export async function fileReadersOnly(spec: CompiledSpec, files: readonly string[]) {
  const specs = replaySpecs([spec]);
  const extractor = new LineExtractor(parseMapping(MAPPING), specs, files);
  const out: ArrayBuffer[][] = [];
  for (const [i, src] of (await sources(files)).entries()) {
    const buffers: ArrayBuffer[] = [];
    await readFileRecords(src, i, { extractor, windowMs: 100, send: (b) => void buffers.push(b) });
    out.push(buffers);
  }
  return out;
}

/**
 * The merging thread's part of `vigil replay --workers 2` with parallel
 * readers: the files' records (made beforehand by {@link fileReadersOnly})
 * merged, numbered and written as the checking workers' records, which
 * are dropped here.
 */
export async function mergerOnly(
  spec: CompiledSpec,
  files: readonly string[],
  records: ArrayBuffer[][],
) {
  const specs = replaySpecs([spec]);
  let bytes = 0;
  const streams = records.map((buffers, i) => {
    const q = new RecordQueue();
    for (const b of buffers) q.push(b);
    return new FileRecordStream(i, specs, q);
  });
  const head = await replayRecords(streams, {
    specs,
    files,
    mapping: parseMapping(MAPPING),
    workers: 2,
    send: (_, b) => void (bytes += b.byteLength),
  });
  if (head.report.summary.mapped === 0 || bytes === 0) throw new Error("Nothing dispatched");
  return bytes;
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

/**
 * Best (lowest) CPU and wall ms of each variant over `runs` rounds, the
 * variants interleaved in each round (so they see the same load).
 */
async function interleaved(
  runs: number,
  variants: Readonly<Record<string, () => Promise<unknown>>>,
): Promise<Record<string, [number, number]>> {
  const out: Record<string, [number, number]> = {};
  for (let i = 0; i < runs; i++) {
    for (const [name, f] of Object.entries(variants)) {
      const u0 = process.cpuUsage();
      const t0 = performance.now();
      await f();
      const u = process.cpuUsage(u0);
      const [cpu, wall] = out[name] ?? [Infinity, Infinity];
      out[name] = [
        Math.min(cpu, (u.user + u.system) / 1000),
        Math.min(wall, performance.now() - t0),
      ];
    }
  }
  return out;
}

/** True when `cmd` runs here (`/usr/bin/time`, `taskset`). */
function available(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

const HAS_TIME = available("/usr/bin/time", ["-f", "%e", "true"]);
const HAS_TASKSET = available("taskset", ["-c", "0", "true"]);

/** The busiest thread's CPU-seconds in the CLI runs, by variant (`watchThreads`). */
const cliBusiest: Record<string, number[]> = {};

/**
 * Watches the CPU time of each thread of process `pid` (or of its one
 * child, when `pid` is `/usr/bin/time` or `taskset`) from
 * `/proc/<pid>/task/<tid>/stat` every 10 ms; `stop()` gives the most
 * CPU-seconds one thread used (a thread's last 10 ms before it ended may be
 * missed), or null without `/proc`. On idle cores the wall time of a run
 * is at least this: the serial part, whatever the load.
 */
function watchThreads(pid: number): { stop(): number | null } {
  const ticks = new Map<string, number>();
  const hz = 100;
  let target = pid;
  let ok = true;
  const sample = () => {
    try {
      const children = Deno.readTextFileSync(`/proc/${target}/task/${target}/children`).trim();
      if (children !== "") target = Number(children.split(" ")[0]);
      for (const t of Deno.readDirSync(`/proc/${target}/task`)) {
        const stat = Deno.readTextFileSync(`/proc/${target}/task/${t.name}/stat`);
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks.set(`${target}/${t.name}`, Number(f[11]) + Number(f[12]));
      }
    } catch {
      if (ticks.size === 0) ok = false;
    }
  };
  const timer = setInterval(sample, 10);
  return {
    stop() {
      clearInterval(timer);
      return ok && ticks.size > 0 ? Math.max(...ticks.values()) / hz : null;
    },
  };
}

/** CPU-seconds of the CLI runs, by variant (the child's user + system time, from `/usr/bin/time`). */
const cliCpu: Record<string, number[]> = {};

/**
 * Runs `vigil replay --workers n --json` on the logs (on the cores `cpus`
 * names, through `taskset`, when given); returns its summary without
 * timing, and notes its CPU time under `label`.
 */
async function cli(
  files: readonly string[],
  o: {
    readonly specPath: string;
    /** The CLI's entry module (default this tree's). */
    readonly main?: string;
    /** More flags. */
    readonly extra?: readonly string[];
    readonly mapPath: string;
    /** `--workers`: threads in all (undefined: none given, the CLI's default). */
    readonly workers: number | undefined;
    readonly label: string;
    readonly cpus?: string;
  },
) {
  const { specPath, mapPath, workers } = o;
  const prefix = [
    ...(HAS_TIME ? ["/usr/bin/time", "-f", "cpu %U %S"] : []),
    ...(o.cpus === undefined ? [] : ["taskset", "-c", o.cpus]),
  ];
  const child = new Deno.Command(prefix[0] ?? Deno.execPath(), {
    args: [
      ...prefix.slice(1),
      ...(prefix.length > 0 ? [Deno.execPath()] : []),
      "run",
      "-A",
      o.main ?? new URL("../cli/main.ts", import.meta.url).pathname,
      "replay",
      "--spec",
      specPath,
      "--map",
      mapPath,
      "--window",
      "100ms",
      "--json",
      ...(workers === undefined ? [] : ["--workers", String(workers)]),
      ...(o.extra ?? []),
      ...files,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const threads = watchThreads(child.pid);
  const out = await child.output();
  const busiest = threads.stop();
  if (busiest !== null) (cliBusiest[o.label] ??= []).push(busiest);
  const stderr = new TextDecoder().decode(out.stderr);
  if (out.code !== 0) throw new Error(`vigil replay failed: ${stderr}`);
  const cpu = /cpu ([0-9.]+) ([0-9.]+)\s*$/.exec(stderr);
  if (cpu !== null) (cliCpu[o.label] ??= []).push(Number(cpu[1]) + Number(cpu[2]));
  const { summary } = JSON.parse(new TextDecoder().decode(out.stdout));
  delete summary.seconds;
  delete summary.linesPerSecond;
  return JSON.stringify(summary);
}

/** CPU µs per line of each stage alone (interleaved, best of `runs`). */
async function stageCosts(
  spec: CompiledSpec,
  o: { readonly files: readonly string[]; readonly lines: number; readonly runs: number },
) {
  const { files, lines, runs } = o;
  const mapping = parseMapping(MAPPING);
  const keys = [...mapping.topLevel];
  const ranges = new Int32Array(2 * keys.length);
  const extractor = new LineExtractor(mapping, replaySpecs([spec]), files);
  const each = async (f: (line: string, file: number, lineNo: number) => unknown) => {
    for (const [i, name] of files.entries()) {
      await readLines((await openLog(name)).stream, (l, n) => f(l, i, n));
    }
  };
  /** Each line's bytes where they stand (`LineReader.pullRaw`, as replay reads). */
  const eachRaw = async (f: (line: RawLine, file: number) => unknown) => {
    for (const [i, name] of files.entries()) {
      const reader = new LineReader((await openLog(name)).stream);
      while (await reader.pullRaw((l) => f(l, i)));
    }
  };
  const finder = new FieldFinder(keys.map((k) => new TextEncoder().encode(k)));
  let sink = 0;
  const cpu = await interleaved(runs, {
    "read and split (decoded lines)": () => each((l) => sink += l.length),
    "read and split (lines as bytes, as replay reads)": () => eachRaw((l) => sink += l.end),
    "JSON.parse": () => each((l) => sink += JSON.parse(l).ts > 0 ? 1 : 0),
    "field scan (general path)": () => each((l) => sink += scanFields(l, keys) === null ? 0 : 1),
    "field ranges of decoded lines (scanRanges)": () =>
      each((l) => sink += scanRanges(l, keys, ranges) ? 1 : 0),
    "field ranges of the bytes (FieldFinder, the fast path)": () =>
      eachRaw((l) =>
        sink += l.bytes !== null && finder.find(l.bytes, l.start, l.end, ranges) ? 1 : 0
      ),
    "read, scan and map to events": () =>
      eachRaw((l, i) => sink += extractor.mapRaw(l, i) === null ? 0 : 1),
    "replay, local checks only": () => run(spec, files, false),
    "replay, full (collector core)": () => run(spec, files, true),
  });
  for (const [label, [ms]] of Object.entries(cpu)) {
    console.log(`${label}: ${(ms * 1000 / lines).toFixed(2)} CPU µs per line`);
  }
  return sink;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(", ");

if (import.meta.main) {
  const lines = Number(Deno.args[0] ?? 3_000_000);
  const runs = Number(Deno.args[1] ?? 3);
  const dir = await Deno.makeTempDir({ prefix: "vigil_replay_bench_" });
  try {
    const files = await writeLeaseLogs(dir, lines);
    const spec = await specPromise;
    const mb = files.reduce((n, f) => n + Deno.statSync(f).size, 0) / 1e6;
    console.log(`${lines} lines, ${mb.toFixed(1)} MB in ${files.length} files, best of ${runs}`);
    if (Deno.args.includes("--stages")) {
      console.log(`load average before: ${load()}`);
      await stageCosts(spec, { files, lines, runs });
      console.log(`load average after: ${load()}`);
      Deno.exit(0);
    }
    const rate = (ms: number) => `${Math.round(lines / (ms / 1000)).toLocaleString("en")}`;
    console.log(`load average before: ${load()}`);
    const at = Deno.args.indexOf("--base");
    const rev = at >= 0 ? Deno.args[at + 1] : undefined;
    const base = rev === undefined ? null : await replayAt(rev);
    let fileRecords: ArrayBuffer[][] = [];
    const stages = await interleaved(runs, {
      "read + JSON.parse every line (baseline)": () => parseOnly(files),
      "replay, local checks only": () => run(spec, files, false),
      "replay, full (collector core)": () => run(spec, files, true),
      "the reader of --workers 2 alone (records made, not sent)": () => readerOnly(spec, files),
      "the file readers of --workers 2, one after the other (records kept)": async () =>
        void (fileRecords = await fileReadersOnly(spec, files)),
      "the merging thread of --workers 2 alone (the files' records made beforehand)": () =>
        mergerOnly(spec, files, fileRecords),
      ...(base === null ? {} : {
        [`replay at ${rev}, local checks only`]: () => run(spec, files, false, base),
        [`replay at ${rev}, full (collector core)`]: () => run(spec, files, true, base),
      }),
    });
    const floor = stages["read + JSON.parse every line (baseline)"]![0];
    for (const [label, [cpu, wall]] of Object.entries(stages)) {
      console.log(
        `${label}: ${rate(cpu)} lines per CPU-second (${(floor / cpu).toFixed(2)} of the floor), ` +
          `${rate(wall)} lines/s wall`,
      );
    }
    console.log(`load average: ${load()}`);
    if (Deno.args.includes("--no-cli")) Deno.exit(0);
    const specPath = `${await compiledDir("lease")}/lease.js`;
    const mapPath = `${dir}/mapping.json`;
    await Deno.writeTextFile(mapPath, JSON.stringify(MAPPING));
    const summaries = new Set<string>();
    const baseMain = rev === undefined ? undefined : await cliAt(rev);
    const variant = (
      label: string,
      workers: number | undefined,
      cpus?: string,
      main?: string,
      extra?: string[],
    ) =>
    async () =>
      summaries.add(
        await cli(files, {
          specPath,
          mapPath,
          workers,
          label,
          ...(cpus ? { cpus } : {}),
          ...(main ? { main } : {}),
          ...(extra ? { extra } : {}),
        }),
      );
    const walls = await interleaved(runs, {
      "vigil replay --workers 1": variant("vigil replay --workers 1", 1),
      "vigil replay (no --workers: the default)": variant(
        "vigil replay (no --workers: the default)",
        undefined,
      ),
      "vigil replay --workers 2 (a reader, one checker)": variant(
        "vigil replay --workers 2 (a reader, one checker)",
        2,
      ),
      "vigil replay --workers 3 (a reader, two checkers)": variant(
        "vigil replay --workers 3 (a reader, two checkers)",
        3,
      ),
      "vigil replay --workers 3 --parallel-read": variant(
        "vigil replay --workers 3 --parallel-read",
        3,
        undefined,
        undefined,
        ["--parallel-read"],
      ),
      ...(HAS_TASKSET
        ? {
          "vigil replay --workers 2, one core (taskset -c 0)": variant(
            "vigil replay --workers 2, one core (taskset -c 0)",
            2,
            "0",
          ),
        }
        : {}),
      ...(baseMain === undefined ? {} : {
        [`vigil replay --workers 1 at ${rev}`]: variant(
          `vigil replay --workers 1 at ${rev}`,
          1,
          undefined,
          baseMain,
        ),
        [`vigil replay --workers 2 at ${rev} (a reader, two checkers there)`]: variant(
          `vigil replay --workers 2 at ${rev} (a reader, two checkers there)`,
          2,
          undefined,
          baseMain,
        ),
      }),
    });
    if (summaries.size !== 1) throw new Error(`Summaries differ: ${[...summaries].join(" / ")}`);
    const one = walls["vigil replay --workers 1"]![1];
    for (const [label, [, wall]] of Object.entries(walls)) {
      const cpu = cliCpu[label] === undefined
        ? ""
        : `, ${Math.min(...cliCpu[label]!).toFixed(2)} CPU-s (least of ${cliCpu[label]!.length})`;
      const busiest = cliBusiest[label] === undefined
        ? ""
        : `, busiest thread ${Math.min(...cliBusiest[label]!).toFixed(2)} CPU-s`;
      console.log(
        `${label}: ${(wall / 1000).toFixed(2)} s wall (${
          (one / wall).toFixed(2)
        }x)${cpu}${busiest}`,
      );
    }
    console.log(`load average after: ${load()}`);
    const profile = Deno.args.indexOf("--cpu-prof");
    if (profile >= 0) {
      const cpuFile = Deno.args[profile + 1] ?? "replay.cpuprofile";
      const profiler = await startProfiler({ cpuFile });
      await run(spec, files, true);
      const { cpu } = await profiler.stop();
      console.log(`CPU profile of one full replay (${cpuFile}), self time:`);
      for (const line of topSelf(cpu!, 25)) console.log(`  ${line}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
} else {
  const dir = await Deno.makeTempDir({ prefix: "vigil_replay_bench_" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
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
