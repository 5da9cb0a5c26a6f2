/**
 * `vigil check <spec.vigil>`: explores every reachable state of a spec and
 * reports violations with shortest counterexamples, deadlocks, liveness
 * lassos, actions never enabled and dead guards, and which items it checked
 * and which it did not. Exit code 0 when nothing was found in a complete
 * search, 1 when something was, 2 for usage errors or a spec that does not
 * compile, 3 when `--cross-check` found the compiled module and the
 * interpreter disagreeing, 4 when nothing was found but the search was cut
 * (`--max-states`, `--max-depth`, or an `int` variable that kept growing).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { renderDiagnostic } from "../lib/syntax/diagnostic.ts";
import { LineIndex } from "../lib/syntax/source.ts";
import { initialState } from "../lib/interpreter/interpreter.ts";
import { exploreParallel } from "../lib/explore/parallel.ts";
import { workerDriver } from "../lib/explore/shard_driver.ts";
import {
  analyzeSource,
  BoundError,
  type ConstOverride,
  ConstOverrideError,
  counterexampleItf,
  CrossCheckError,
  type ExploreOptions,
  exploreSource,
  failed,
  formatReport,
  incomplete,
  type IntRange,
  parseBound,
  parseConstOverride,
  parseIntRange,
  type Progress,
  type SourceExploration,
  TooManyArgumentsError,
  UnboundedParameterError,
  type VariableBound,
} from "../lib/explore/mod.ts";
import type { Program } from "../lib/ir.ts";
import { intFlag, parseFlags, UsageError } from "./flags.ts";
import { type CommandHelp, flagSpecOf, formatHelp } from "./help.ts";

const HELP_SPEC: CommandHelp = {
  usage: ["vigil check <spec.vigil> [options]"],
  summary: `Explores every reachable state of the spec breadth-first (every action with
every argument in its parameter's domain) through its compiled WebAssembly
and reports invariant, range and arithmetic violations with the shortest
counterexample, deadlocks (states with no enabled action where no 'terminal'
item holds), liveness cycles, actions never enabled and requires never
false, then lists every item as checked or NOT CHECKED.`,
  options: [
    { flag: "--int-range lo..hi", help: "values of 'int' action parameters (required if any)" },
    {
      flag: "--nodes N",
      help: "also check the global items over N monitors that follow the spec independently " +
        "(default 1: global items are not checked, and the report says so)",
    },
    {
      flag: "--bound name=N",
      help: "expand only states where the integer variable is within -N..N (or name=lo..hi); " +
        "repeat for several variables",
    },
    {
      flag: "--const NAME=VALUE",
      help: "check the spec with a 'const' item set to VALUE (a smaller model, e.g. " +
        "--const MaxAmount=3); repeat for several",
    },
    {
      flag: "--max-states N",
      help: "stop storing new states after N (the report says incomplete)",
    },
    { flag: "--max-depth N", help: "do not expand states N steps from the initial state" },
    {
      flag: "--no-growth-stop",
      help: "do not stop when an 'int' variable keeps growing with depth (by default the " +
        "search stops after 100000 states and names it)",
    },
    { flag: "--no-deadlock", help: "do not report states with no enabled action" },
    { flag: "--cross-check", help: "step the reference interpreter on every transition too" },
    { flag: "--json", help: "print the report as one JSON object on stdout" },
    { flag: "--itf file", help: "write the first counterexample as an ITF trace (Apalache/Quint)" },
    {
      flag: "--workers N",
      help: "explore in N Web Workers sharing one state set; liveness or " +
        "terminal items, an 'int' state variable (unless --no-growth-stop), --bound, --nodes " +
        "and --cross-check run single-threaded",
    },
    { flag: "-q, --quiet", help: "no progress line" },
  ],
  examples: [
    "vigil check specs/mutex.vigil",
    "vigil check specs/lease.vigil --bound token=3 --nodes 2",
    "vigil check specs/order.vigil --const MaxAmount=3",
  ],
  exitCodes: [
    [0, "no error found and the search was complete"],
    [1, "a violation, deadlock or liveness cycle found"],
    [2, "usage error or a spec that does not compile"],
    [3, "--cross-check found the compiled module and the interpreter disagreeing"],
    [
      4,
      "no error found but the search was cut (--max-states, --max-depth, or a variable that kept growing)",
    ],
  ],
  notes: "docs/check.md covers the report, the growth watch and --nodes in depth.",
};

/** `vigil check --help`. */
export const HELP: string = formatHelp(HELP_SPEC);

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`Flag '--${flag}' needs a positive integer, not '${text}'`);
  }
  return n;
}

/** Parses each value of a repeated flag; a value that does not parse is a usage error. */
function flagValues<T>(texts: readonly string[], parseOne: (text: string) => T): T[] {
  return texts.map((text) => {
    try {
      return parseOne(text);
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  });
}

/** Tuples per state above which an action gets a note (the search may be very slow). */
const WIDE_ACTION = 100_000;

/** A note for each action that tries more than {@link WIDE_ACTION} argument tuples per state. */
function wideActionNotes(program: Program, intRange: IntRange | undefined): string[] {
  const notes: string[] = [];
  for (const a of program.actions) {
    let tuples = 1;
    for (const p of a.params) {
      const t = p.type;
      tuples *= t.kind === "bool"
        ? 2
        : t.kind === "enum"
        ? t.labels.length
        : t.kind === "range"
        ? Number(t.hi - t.lo) + 1
        : intRange === undefined
        ? 1
        : Number(intRange.hi - intRange.lo) + 1;
    }
    if (tuples <= WIDE_ACTION) continue;
    notes.push(
      `vigil check: action '${a.name}' tries ${tuples} argument tuples in every state, so the ` +
        `search may take very long: narrow its parameter types, or check a smaller model with ` +
        `--const NAME=VALUE on the constants they use`,
    );
  }
  return notes;
}

function intRangeFlag(text: string | undefined): IntRange | undefined {
  return text === undefined ? undefined : flagValues([text], parseIntRange)[0];
}

/** The progress line: what {@link progressPrinter} prints on standard error. */
interface ProgressPrinter {
  /** Takes one progress report; prints it unless a line was printed less than a second ago. */
  readonly onProgress: (p: Progress) => void;
  /** Prints the last report if it was held back, so the final figures are always shown. */
  readonly finish: () => void;
}

/** At most one progress line a second (the parallel explorer reports after every level). */
const PROGRESS_INTERVAL_MS = 1000;

function progressPrinter(quiet: boolean): ProgressPrinter | undefined {
  if (quiet) return undefined;
  const tty = process.stderr.isTTY === true;
  let lastPrintedAt = -Infinity;
  let held: Progress | undefined;
  const print = (p: Progress) => {
    const rate = Math.round(p.distinct / Math.max(p.elapsedMs / 1000, 1e-3));
    const line = `${p.distinct} states, ${rate} states/s, queue ${p.queue}, level ${p.level}`;
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    lastPrintedAt = performance.now();
    held = undefined;
  };
  return {
    onProgress: (p) => {
      if (performance.now() - lastPrintedAt >= PROGRESS_INTERVAL_MS) print(p);
      else held = p;
    },
    finish: () => {
      if (held !== undefined) print(held);
    },
  };
}

/** A module Web Worker, as `workerDriver` drives one. */
type ShardWorker = Parameters<typeof workerDriver>[0];

/** The Web Worker constructor where the runtime has one (Deno and Bun do; Node does not). */
function webWorker(): (new (url: URL, options: { type: "module" }) => ShardWorker) | undefined {
  return (globalThis as { Worker?: new (url: URL, options: { type: "module" }) => ShardWorker })
    .Worker;
}

/**
 * The Web Worker module beside this one: `.ts` in the sources, `.js` where
 * the CLI runs compiled (the npm package).
 */
function workerModule(): URL {
  const ext = import.meta.url.endsWith(".js") ? "js" : "ts";
  return new URL(`../lib/explore/worker.${ext}`, import.meta.url);
}

/** Whether a worker module can be loaded from `url` (a missing file would never answer). */
function workerModuleFound(url: URL): boolean {
  return url.protocol !== "file:" || existsSync(fileURLToPath(url));
}

/** Single-threaded, or in `workers` Web Workers when the runtime and the spec allow it. */
async function runExplore(
  source: string,
  options: ExploreOptions,
  workers: number,
  quiet: boolean,
): Promise<SourceExploration> {
  const front = analyzeSource(source, options.constants ?? []);
  const program = front.program;
  if (program === null || front.diagnostics.some((d) => d.severity === "error")) {
    return { diagnostics: front.diagnostics, program: null, report: null };
  }
  if (!quiet) {
    for (const note of wideActionNotes(program, options.intRange)) {
      console.error(note);
    }
  }
  if (workers <= 1) return exploreSource(source, options);
  const WebWorker = webWorker();
  const url = workerModule();
  const growing = options.growthAfter === null
    ? undefined
    : program.vars.find((v) => (v.type.kind === "map" ? v.type.value : v.type).kind === "int");
  const why = WebWorker === undefined
    ? "this runtime has no Web Workers"
    : !workerModuleFound(url)
    ? `the worker module '${fileURLToPath(url)}' is missing`
    : program.liveness.length > 0
    ? "the spec has liveness items"
    : (program.terminals ?? []).length > 0
    ? "the spec has terminal items"
    : growing !== undefined
    ? `the growth watch of 'int' variable '${growing.name}' (--no-growth-stop turns it off)`
    : (options.bounds ?? []).length > 0
    ? "--bound"
    : (options.nodes ?? 1) > 1
    ? "--nodes"
    : options.crossCheck
    ? "--cross-check"
    : initialState(program).code !== 0
    ? "the initial state fails"
    : null;
  if (why !== null) {
    if (!quiet) console.error(`vigil check: running single-threaded: ${why}`);
    return exploreSource(source, options);
  }
  // The workers load their module while the spec compiles (in exploreParallel).
  const spawned = Array.from({ length: workers }, () => new WebWorker!(url, { type: "module" }));
  const report = await exploreParallel(
    program,
    workers,
    (setup) => workerDriver(spawned[setup.part]!, setup),
    options,
  ).finally(() => {
    for (const worker of spawned) worker.terminate();
  });
  return {
    diagnostics: front.diagnostics,
    program,
    report: { ...report, constants: front.overrides },
  };
}

/** Runs `vigil check`; returns the process exit code. */
export async function checkCommand(args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, flagSpecOf(HELP_SPEC));
  if (flags.boolean.has("help")) {
    console.log(HELP);
    return 0;
  }
  if (flags.positional.length !== 1) throw new UsageError("Expected exactly one spec file");
  const file = flags.positional[0]!;
  const source = await readFile(file, "utf8").catch(() => {
    throw new UsageError(`Cannot read '${file}'`);
  });
  const workers = intFlag(flags, "workers", { default: 1, min: 1 });
  const quiet = flags.boolean.has("quiet");
  const intRange = intRangeFlag(flags.string.get("int-range"));
  const maxStates = positiveInt("max-states", flags.string.get("max-states"));
  const maxDepth = positiveInt("max-depth", flags.string.get("max-depth"));
  const nodes = intFlag(flags, "nodes", { default: 1, min: 1 });
  const bounds: VariableBound[] = flagValues(flags.all.get("bound") ?? [], parseBound);
  const constants: ConstOverride[] = flagValues(flags.all.get("const") ?? [], parseConstOverride);
  const progress = progressPrinter(quiet);
  const options: ExploreOptions = {
    deadlock: !flags.boolean.has("no-deadlock"),
    crossCheck: flags.boolean.has("cross-check"),
    nodes,
    bounds,
    constants,
    ...(flags.boolean.has("no-growth-stop") ? { growthAfter: null } : {}),
    ...(intRange === undefined ? {} : { intRange }),
    ...(maxStates === undefined ? {} : { maxStates }),
    ...(maxDepth === undefined ? {} : { maxDepth }),
    ...(progress === undefined ? {} : { onProgress: progress.onProgress }),
  };
  let result;
  try {
    result = await runExplore(source, options, workers, quiet);
  } catch (e) {
    if (
      e instanceof UnboundedParameterError || e instanceof TooManyArgumentsError ||
      e instanceof BoundError || e instanceof ConstOverrideError
    ) {
      throw new UsageError(e.message);
    }
    if (e instanceof CrossCheckError) {
      const args = e.args.join(", ");
      console.error(
        `vigil check: cross-check failed: ${e.message} (from state [${e.state.join(", ")}], ` +
          `${e.action}(${args}))`,
      );
      return 3;
    }
    throw e;
  }
  progress?.finish();
  if (progress !== undefined && process.stderr.isTTY === true) console.error("");
  const index = new LineIndex(source);
  for (const d of result.diagnostics) console.error(renderDiagnostic(d, index, file) + "\n");
  if (result.report === null || result.program === null) return 2;
  const report = result.report;
  const global = result.program.globalInvariants.length + result.program.globalLiveness.length;
  if (nodes > 1 && global === 0 && !quiet) {
    console.error(`vigil check: --nodes ${nodes}: the spec has no global items to check`);
  }
  console.log(flags.boolean.has("json") ? JSON.stringify(report, null, 2) : formatReport(report));
  const itfPath = flags.string.get("itf");
  if (itfPath !== undefined) {
    const name = file.replace(/^.*\//, "");
    const itf = counterexampleItf(result.program, report, { source: name });
    const overNodes = (report.nodes?.violations.length ?? 0) + (report.nodes?.liveness.length ?? 0);
    if (itf === null) {
      const why = overNodes > 0
        ? `the counterexamples over ${report.nodes!.nodes} monitors have no ITF form`
        : "no counterexample";
      if (!quiet) console.error(`vigil check: ${why}; '${itfPath}' not written`);
    } else {
      await writeFile(itfPath, JSON.stringify(itf, null, 2) + "\n");
      if (!quiet) console.error(`vigil check: counterexample written to '${itfPath}'`);
    }
  }
  return failed(report) ? 1 : incomplete(report) ? 4 : 0;
}
