/**
 * `vigil demo` (`deno task demo`): what a newcomer runs first. Compiles
 * `specs/lease.vigil`, starts a collector with its live dashboard, runs a
 * lock service of three nodes whose clocks are skewed on purpose, injects a
 * split brain after a few seconds (or, with `--bug-on-request`, at each
 * `POST /demo/bug` on the dashboard's port) and prints the alert with its
 * counterexample. Embedded by default (every node in this process, events
 * over the in-memory transport); with `--nats` one process per node and the
 * events over NATS JetStream.
 *
 * Deno only: it compiles the repository's `specs/lease.vigil` and starts
 * its NATS nodes with `deno run` (the npm package ships a stub in its
 * place). On Node and Bun it says so and exits 1 (every other command runs
 * there). It serves the dashboard with the collector's own server
 * (`edge/server/http_server.ts`).
 *
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { loadCompiled, specFromCompiled } from "../mod.ts";
import {
  type CollectorService,
  createCollector,
  createCollectorApp,
  createCollectorService,
  type Violation,
} from "../edge/mod.ts";
import {
  type CollectorServer,
  type FetchHandler,
  serveCollector,
} from "../edge/server/http_server.ts";
import {
  DEMO_MAX_SKEW_MS,
  DEMO_WINDOW_MS,
  describeSkews,
  NODES,
  RACE_LOCK,
} from "./demo/cluster.ts";
import { startNatsCluster } from "./demo/nats_demo.ts";
import { formatAlert, formatProgress } from "./demo/demo_report.ts";
import { type DemoCluster, startEmbeddedCluster } from "./demo/sim.ts";
import { Terminal } from "./demo/terminal.ts";
import { type DemoOptions, HELP, parseDemoFlags } from "./demo/demo_flags.ts";
import { runtime } from "./runtime.ts";

const SPEC_FILE = "specs/lease.vigil";
const SPEC_URL = new URL(`../${SPEC_FILE}`, import.meta.url);

/** Compiles the lease spec into a temporary directory; returns it and the source. */
async function compileLease(term: Terminal): Promise<{ dir: string; source: string }> {
  const t0 = performance.now();
  const source = await readFile(SPEC_URL, "utf8");
  // The compiler (binaryen, jco) is loaded only once the runtime is known to be Deno.
  const { compile, LineIndex, renderDiagnostic } = await import("../lib/mod.ts");
  const result = await compile(source, { fileName: "lease.vigil" });
  if (result.files.size === 0) {
    const index = new LineIndex(source);
    const text = result.diagnostics.map((d) => renderDiagnostic(d, index, SPEC_FILE));
    throw new Error(`Cannot compile '${SPEC_FILE}':\n${text.join("\n")}`);
  }
  const dir = await mkdtemp(join(tmpdir(), "vigil-demo-"));
  for (const [name, bytes] of result.files) await writeFile(join(dir, name), bytes);
  const ms = (performance.now() - t0).toFixed(0);
  term.print(`compiled ${SPEC_FILE} (spec ${result.meta?.name}) -> ${dir}/lease.js in ${ms} ms`);
  return { dir, source };
}

/** Serves on the port asked for, or on a free one when it is taken. */
async function serve(
  handler: FetchHandler,
  o: DemoOptions,
  term: Terminal,
): Promise<CollectorServer> {
  const at = (port: number) => serveCollector(handler, { hostname: o.hostname, port });
  try {
    return await at(o.port);
  } catch (e) {
    if ((e as { code?: unknown }).code !== "EADDRINUSE" || o.port === 0) throw e;
    term.print(`port ${o.port} is busy; using a free port instead`);
    return at(0);
  }
}

/** The path that injects the split brain with `--bug-on-request`. */
const BUG_PATH = "/demo/bug";

/**
 * The dashboard's handler, with `POST /demo/bug` calling `inject` when asked
 * for (`--bug-on-request`): 202 once the bug is set, 409 before the nodes
 * run, 405 for another method.
 */
function withBugTrigger(
  handler: FetchHandler,
  inject: (() => Promise<void>) | null,
): FetchHandler {
  if (inject === null) return handler;
  return async (request) => {
    if (new URL(request.url).pathname !== BUG_PATH) return handler(request);
    if (request.method !== "POST") {
      return new Response(`Use POST ${BUG_PATH}\n`, { status: 405, headers: { allow: "POST" } });
    }
    try {
      await inject();
    } catch (e) {
      return new Response(`${(e as Error).message}\n`, { status: 409 });
    }
    return new Response(`injecting a split brain on '${RACE_LOCK}'\n`, { status: 202 });
  };
}

/** Resolves on Ctrl-C, SIGTERM or after `ms`. */
function stopped(ms: number | null): { reason: Promise<string>; dispose(): void } {
  let resolve!: (why: string) => void;
  const reason = new Promise<string>((r) => (resolve = r));
  const on = { SIGINT: () => resolve("Ctrl-C"), SIGTERM: () => resolve("SIGTERM") };
  for (const [sig, fn] of Object.entries(on)) process.on(sig, fn);
  const timer = ms === null ? undefined : setTimeout(() => resolve(`${ms / 1000} s`), ms);
  return {
    reason,
    dispose() {
      clearTimeout(timer);
      for (const [sig, fn] of Object.entries(on)) process.off(sig, fn);
    },
  };
}

/** Prints each violation as it is raised (the first few in full). */
function watchViolations(service: CollectorService, term: Terminal, source: string, url: string) {
  let n = 0;
  return service.collector.on((ev) => {
    if (ev.type !== "violation") return;
    const v: Violation = ev.violation;
    if (++n <= 3) {
      term.print(formatAlert(v, { source, file: SPEC_FILE, dashboard: url }));
      term.print(`  see it live on the dashboard: ${url}  (JSON: ${url}api/violations)`);
    } else term.print(`ALERT  ${v.message}`);
  });
}

function startProgress(
  service: CollectorService,
  term: Terminal,
  startedAt: number,
): ReturnType<typeof setInterval> {
  let last = { at: startedAt, events: 0 };
  return setInterval(() => {
    const c = service.collector;
    const now = Date.now();
    const events = c.metrics().events;
    const rate = ((events - last.events) * 1000) / Math.max(1, now - last.at);
    last = { at: now, events };
    term.progress(formatProgress({
      elapsedMs: now - startedAt,
      nodes: c.nodes().length,
      partitions: c.partitions(),
      rate,
      events,
      violations: c.violations().length,
    }));
  }, 1_000);
}

async function startCluster(
  o: DemoOptions,
  dir: string,
  service: CollectorService,
  term: Terminal,
): Promise<DemoCluster> {
  const onNote = (text: string) => term.print(text);
  if (o.nats === null) {
    const spec = specFromCompiled(await loadCompiled(`${dir}/lease.js`));
    const deliver = (bytes: Uint8Array) => void service.ingestBytes(bytes, "http");
    term.print(`running ${NODES.length} nodes in this process (in-memory transport)`);
    return startEmbeddedCluster({ spec, deliver, onNote });
  }
  term.print(
    `starting the lock server and ${NODES.length} node processes on ${o.nats} (JetStream)`,
  );
  try {
    return await startNatsCluster({ url: o.nats, specPath: `${dir}/lease.js`, service, onNote });
  } catch (e) {
    throw new DemoError(
      `Cannot run on NATS at '${o.nats}': ${(e as Error).message}\n` +
        "  (a local server with JetStream: apt-get install -y nats-server && nats-server -js)",
      { cause: e },
    );
  }
}

/** The demo could not start: printed without a stack, exit code 1. */
class DemoError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DemoError";
  }
}

/** Runs `vigil demo`; returns the exit code. */
export async function demoCommand(args: readonly string[]): Promise<number> {
  const o = parseDemoFlags(args);
  if (o === null) {
    console.log(HELP);
    return 0;
  }
  const rt = runtime();
  if (rt.kind !== "deno") {
    console.error(
      `vigil demo: the demo runs on Deno only (this is ${rt.label}): from a checkout of the ` +
        `repository run 'deno task demo'; 'vigil compile', 'vigil collector', 'vigil replay' ` +
        `and 'vigil check' run here`,
    );
    return 1;
  }
  const term = new Terminal();
  const { dir, source } = await compileLease(term);
  try {
    return await runDemo(o, dir, source, term);
  } catch (e) {
    if (!(e instanceof DemoError)) throw e;
    console.error(`vigil demo: ${e.message}`);
    return 1;
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

async function runDemo(o: DemoOptions, dir: string, source: string, term: Terminal) {
  const collector = createCollector({
    specs: [await loadCompiled(`${dir}/lease.js`)],
    windowMs: o.nats === null ? DEMO_WINDOW_MS.embedded : DEMO_WINDOW_MS.nats,
    // Causal verdicts: the nodes pass stamps on every message (a grant carries the previous
    // holders' releases), so a handoff is known to happen before and only real overlaps alert.
    maxSkewMs: DEMO_MAX_SKEW_MS,
  });
  const service = createCollectorService(collector);
  const app = createCollectorApp(service);
  service.start();
  let cluster: DemoCluster | null = null;
  let bugAt: number | null = null;
  const injectBug = async () => {
    if (cluster === null) throw new Error("The nodes are not running (yet or any more)");
    term.print(
      `injecting a split brain: the lock server's next two grants of '${RACE_LOCK}' race (check-then-set without its lock)`,
    );
    bugAt ??= Date.now();
    await cluster.injectBug();
  };
  const server = await serve(withBugTrigger(app.fetch, o.bugOnRequest ? injectBug : null), o, term);
  const url = `http://${o.hostname}:${server.addr.port}/`;
  term.print(`dashboard: ${url}`);
  term.print(
    `clocks skewed on purpose: ${describeSkews()}; causal verdicts with clocks within ${DEMO_MAX_SKEW_MS} ms`,
  );
  const unwatch = watchViolations(service, term, source, url);
  const stop = stopped(o.durationMs);
  const timers: ReturnType<typeof setTimeout>[] = [];
  try {
    const startedAt = Date.now();
    cluster = await startCluster(o, dir, service, term);
    timers.push(startProgress(service, term, startedAt));
    if (o.bugAfterMs !== null) {
      const timed = () =>
        injectBug().catch((e) => term.print(`could not inject the bug: ${(e as Error).message}`));
      timers.push(setTimeout(() => void timed(), o.bugAfterMs));
    }
    if (o.bugOnRequest) {
      term.print(`the split brain comes at each POST to ${url}${BUG_PATH.slice(1)}`);
    }
    term.print(
      o.durationMs === null ? "serving until Ctrl-C" : `running for ${o.durationMs / 1000} s`,
    );
    const why = await stop.reason;
    for (const t of timers) clearTimeout(t);
    term.done();
    term.print(`stopping (${why})`);
    const stats = await cluster.stats().catch(() => null);
    await cluster.stop();
    cluster = null;
    collector.flush();
    return finish(service, term, { startedAt, bugAt, stats });
  } finally {
    for (const t of timers) clearTimeout(t);
    stop.dispose();
    unwatch();
    await cluster?.stop().catch(() => {});
    await server.shutdown();
    await service.stop();
  }
}

interface FinishInfo {
  readonly startedAt: number;
  readonly bugAt: number | null;
  readonly stats: { grants: number; denied: number; writes: number; fenced: number } | null;
}

function finish(service: CollectorService, term: Terminal, f: FinishInfo): number {
  const c = service.collector;
  const m = c.metrics();
  const vs = c.violations();
  const secs = ((Date.now() - f.startedAt) / 1000).toFixed(1);
  term.print(
    `ran ${secs} s: ${
      m.events.toLocaleString("en-US")
    } events from ${c.nodes().length} nodes over ${c.partitions().length} partitions, ${vs.length} violation(s)${
      vs.length > 0
        ? ` (${[...new Set(vs.map((v) => `${v.property.name} in '${v.partition}'`))].join(", ")})`
        : ""
    }`,
  );
  if (f.stats !== null) {
    const s = f.stats;
    term.print(
      `lock server: ${s.grants} grants, ${s.denied} refused while held, ${s.writes} writes (${s.fenced} refused by their fencing token)`,
    );
  }
  if (f.bugAt !== null && vs.length === 0) {
    term.print("vigil demo: the injected split brain was not detected");
    return 1;
  }
  if (f.bugAt === null && vs.length > 0) {
    term.print("vigil demo: a violation was raised although no bug was injected");
    return 1;
  }
  return 0;
}
