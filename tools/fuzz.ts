/**
 * `deno task fuzz`: the stateful ingest fuzzer (`tests/fuzz/ingest_fuzzer.ts`)
 * for a time budget or an input count. Sessions alternate between the
 * in-process ingest and the HTTP app (`--http`: a real `Deno.serve` on
 * 127.0.0.1 instead of `app.request`). Prints inputs/s and sessions; a
 * failing session is minimised and written to `tests/fuzz/corpus/`, and the
 * run exits non-zero.
 *
 * ```text
 * deno run -A tools/fuzz.ts [--seconds N] [--inputs N] [--seed S] [--http]
 *   [--heavy] [--max-failures N] [--minimize-seconds N] [--no-write] [--trace]
 *   [--replay SEED --path inprocess|app|serve]
 * ```
 *
 * The long run: `deno task fuzz --inputs 1000000 --heavy`. An input that never
 * returns is reported by a watchdog worker after `--hang-seconds` (default
 * 60), which ends the run.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  fuzz,
  minimize,
  runSession,
  type TargetKind,
  writeCase,
} from "../tests/fuzz/ingest_fuzzer.ts";
import { ServeHost } from "../tests/fuzz/targets.ts";
import { startWatchdog } from "../tests/fuzz/watchdog.ts";
import { leaseKit } from "../tests/fuzz/lease_events.ts";
import { generateSession, type Step } from "../tests/fuzz/session.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string" },
    inputs: { type: "string" },
    seed: { type: "string" },
    http: { type: "boolean", default: false },
    heavy: { type: "boolean", default: false },
    "max-failures": { type: "string", default: "1" },
    "minimize-seconds": { type: "string", default: "60" },
    "stall-ms": { type: "string", default: "2000" },
    "no-write": { type: "boolean", default: false },
    trace: { type: "boolean", default: false },
    "hang-seconds": { type: "string", default: "60" },
    replay: { type: "string" },
    path: { type: "string", default: "inprocess" },
  },
});

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(Number.isFinite(n) && n >= 0)) {
    console.error(`fuzz: option '--${name}' must be a non-negative number, got '${v}'`);
    Deno.exit(2);
  }
  return n;
}

const corpus = new URL("../tests/fuzz/corpus/", import.meta.url);
const stallMs = positive("stall-ms", values["stall-ms"])!;

if (values.replay !== undefined) {
  // One session from its seed, as printed on failure.
  const kit = await leaseKit();
  const seed = positive("replay", values.replay)! >>> 0;
  const path = values.path as TargetKind;
  const session = generateSession(seed, kit, { heavy: values.heavy });
  const onStep = values.trace
    ? (i: number, s: Step) =>
      console.error(`step ${i}: ${s.kind === "send" ? s.note : `advance ${s.ms} ms`}`)
    : undefined;
  const host = path === "serve" ? new ServeHost() : undefined;
  const options = { stallMs, host, path, ...(onStep ? { onStep } : {}) };
  const r = await runSession(session, options);
  console.log(
    `session ${seed} (${path}): ${r.inputs} inputs, slowest ${r.slowestMs.toFixed(1)} ms`,
  );
  if (r.failure === null) {
    await host?.close();
    Deno.exit(0);
  }
  console.log(`FAIL ${r.failure.describe()}`);
  const small = await minimize(session, r.failure, { ...options, budgetMs: 60_000 });
  console.log(`minimised to ${small.steps.length} steps`);
  if (!values["no-write"]) {
    const f = r.failure;
    const file = await writeCase(corpus, {
      kind: f.kind,
      message: f.describe(),
      path,
      seed,
      session: small,
    });
    console.log(`kept in ${file}`);
  }
  await host?.close();
  Deno.exit(1);
}

const seconds = positive("seconds", values.seconds);
const inputs = positive("inputs", values.inputs);
const seed = values.seed === undefined
  ? (Math.random() * 0x1_0000_0000) >>> 0
  : positive("seed", values.seed)! >>> 0;
const paths: TargetKind[] = ["inprocess", values.http ? "serve" : "app"];
const budgetMs = seconds === undefined && inputs === undefined
  ? 60_000
  : seconds === undefined
  ? undefined
  : seconds * 1000;

console.log(
  `fuzz: seed ${seed}, paths ${paths.join(" + ")}, ` +
    (budgetMs !== undefined ? `${budgetMs / 1000} s` : "") +
    (budgetMs !== undefined && inputs !== undefined ? " or " : "") +
    (inputs !== undefined ? `${inputs} inputs` : "") + (values.heavy ? ", heavy inputs" : ""),
);
const dog = startWatchdog(positive("hang-seconds", values["hang-seconds"])! * 1000);
let current = { seed: 0, path: "inprocess" as TargetKind };
const report = await fuzz({
  seed,
  paths,
  ...(budgetMs === undefined ? {} : { budgetMs }),
  ...(inputs === undefined ? {} : { inputs }),
  heavy: values.heavy,
  stallMs,
  maxFailures: positive("max-failures", values["max-failures"])!,
  minimizeMs: positive("minimize-seconds", values["minimize-seconds"])! * 1000,
  corpus: values["no-write"] ? null : corpus,
  log: (line) => console.log(line),
  onSession: (s: number, p: TargetKind) => {
    current = { seed: s, path: p };
    dog.beat(s, p, -1);
    if (values.trace) console.error(`session ${s} ${p}`);
  },
  onStep: (i: number) => dog.beat(current.seed, current.path, i),
});
const s = report.elapsedMs / 1000;
console.log(
  `fuzz: ${report.inputs} inputs in ${report.sessions} sessions, ${s.toFixed(1)} s, ` +
    `${Math.round(report.inputs / s)} inputs/s (1M inputs: about ${
      Math.round(1e6 / (report.inputs / s) / 60)
    } min)`,
);
console.log(
  `fuzz: accepted ${report.accepted} (valid ${report.valid}, mutants ${report.mutantsAccepted}), ` +
    `refused ${JSON.stringify(report.refused)}; events: ${report.duplicates} duplicates, ` +
    `${report.dropped} dropped, ${report.lost} lost; slowest input ${
      report.slowestMs.toFixed(1)
    } ms (${report.slowestNote})`,
);
const mb = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
console.log(
  `fuzz: RSS ${mb(report.rssStart)} at the start, at most ${mb(report.rssMax)} after a session, ` +
    `${mb(report.rssEnd)} at the end`,
);
for (const f of report.failures) {
  console.log(
    `fuzz: FAIL ${f.failure.signature}\n  session seed ${f.seed} (${f.path}), kept ${f.steps} steps` +
      (f.file === null ? "" : ` in ${f.file}`),
  );
}
dog.stop();
Deno.exit(report.failures.length > 0 ? 1 : 0);
