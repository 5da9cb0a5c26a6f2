/**
 * Launcher support: run `vigil collector` as a subprocess and read its JSON
 * API (`/api/violations`, `/api/nodes`, `/api/partitions`). The response
 * shapes below are the subset of the collector's types the examples read.
 *
 * @module
 */
import { type Child, spawnDeno, type SpawnOptions } from "./processes.ts";

/** A violation as `/api/violations` returns it (fields the examples read). */
export interface ApiViolation {
  readonly id: string;
  readonly kind: string;
  readonly specName: string;
  readonly partition: string;
  readonly property: { readonly item: string; readonly name: string; readonly line?: number };
  readonly nodes: readonly string[];
  readonly cut: readonly {
    readonly node: string;
    readonly state: Readonly<Record<string, unknown>>;
    readonly lastEvents: readonly ApiEvent[];
  }[];
  readonly history: readonly ApiEvent[];
  readonly message: string;
}

/** An event in a violation's history or cut. */
export interface ApiEvent {
  readonly node: string;
  readonly seq: number;
  readonly action: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly verdict: string;
  readonly verdictDetail: string;
}

/** A node as `/api/nodes` returns it. */
export interface ApiNode {
  readonly node: string;
  readonly events: number;
  readonly duplicates: number;
  readonly openHoles: number;
  readonly lostEvents: number;
  readonly localVerdicts: Readonly<Record<string, number>>;
}

/** A partition as `/api/partitions` returns it. */
export interface ApiPartition {
  readonly id: string;
  readonly key: string;
  readonly status: string;
  readonly applied: number;
  readonly buffered: number;
  readonly violations: number;
  /** Each node's latest state in the partition. */
  readonly participants: readonly {
    readonly node: string;
    readonly state: Readonly<Record<string, unknown>>;
  }[];
}

/** A running collector subprocess. */
export interface CollectorProcess {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly child: Child;
  /** GETs `path` and parses the JSON body. */
  get<T>(path: string): Promise<T>;
  /** Stops the collector (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
}

/** Options of {@link startCollector}. */
export interface CollectorProcessOptions {
  /** Compiled spec bindings, e.g. `dist/lease.js`. */
  readonly specs: readonly string[];
  /** NATS URL to consume from (JetStream). Default: HTTP ingest only. */
  readonly nats?: string;
  readonly stream?: string;
  readonly subject?: string;
  /** Node tokens for `POST /ingest`. */
  readonly tokens?: Readonly<Record<string, string>>;
  /** Port; default 0 (a free one). */
  readonly port?: number;
  readonly echo?: SpawnOptions["echo"];
}

/**
 * Starts `vigil collector` (state kept in memory only) and waits until it listens.
 *
 * @example A collector over JetStream
 * ```ts ignore
 * const c = await startCollector({ specs: ["dist/lease.js"], nats: "nats://127.0.0.1:4222" });
 * console.log(await c.get("/api/violations"));
 * await c.stop();
 * ```
 */
export async function startCollector(options: CollectorProcessOptions): Promise<CollectorProcess> {
  const args = ["run", "-A", "cli/main.ts", "collector", "--kv", "none"];
  args.push("--port", String(options.port ?? 0));
  for (const s of options.specs) args.push("--spec", s);
  if (options.nats !== undefined) args.push("--nats", options.nats, "--no-nats-alerts");
  if (options.stream !== undefined) args.push("--stream", options.stream);
  if (options.subject !== undefined) args.push("--subject", options.subject);
  for (const [node, token] of Object.entries(options.tokens ?? {})) {
    args.push("--token", `${node}=${token}`);
  }
  // With node tokens the read side (dashboard, /api, /metrics) wants a read token of its own.
  const readToken = crypto.randomUUID();
  args.push("--read-token", readToken);
  const child = spawnDeno("collector", args, options.echo ? { echo: options.echo } : {});
  let base: string;
  try {
    base = (await child.waitFor(/listening on (http:\/\/[\d.]+:\d+)\//, 20_000))[1]!;
  } catch (e) {
    await child.stop("SIGKILL");
    throw e;
  }
  return {
    base,
    child,
    async get<T>(path: string): Promise<T> {
      const res = await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${readToken}` },
        signal: AbortSignal.timeout(5_000),
      });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return await res.json() as T;
    },
    async stop() {
      await child.stop("SIGTERM", 3_000);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the collector received `expected` events from `nodes` and
 * applied everything it buffered. Returns the number received (it stops
 * waiting after `timeoutMs` and returns what it has).
 *
 * @example Wait for the events the nodes reported sending
 * ```ts ignore
 * await waitForEvents(collector, ["client-1", "client-2"], 120, 10_000);
 * ```
 */
export async function waitForEvents(
  collector: CollectorProcess,
  nodes: readonly string[],
  expected: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await collector.get<ApiNode[]>("/api/nodes");
    const got = all.filter((n) => nodes.includes(n.node)).reduce((s, n) => s + n.events, 0);
    const parts = await collector.get<ApiPartition[]>("/api/partitions");
    const buffered = parts.reduce((s, p) => s + p.buffered, 0);
    if ((got >= expected && buffered === 0) || Date.now() > deadline) return got;
    await sleep(100);
  }
}

/**
 * A human-readable verdict: each violation with its spec line, the nodes'
 * states in the cut and the last events, or a clean bill.
 *
 * @example Print the verdict
 * ```ts ignore
 * console.log(formatReport(await c.get("/api/violations"), await c.get("/api/nodes")));
 * ```
 */
export function formatReport(
  violations: readonly ApiViolation[],
  nodes: readonly ApiNode[],
): string {
  const lines: string[] = [];
  const total = nodes.reduce((s, n) => s + n.events, 0);
  lines.push(`collector: ${total} events from ${nodes.length} nodes`);
  for (const n of nodes) {
    const local = Object.entries(n.localVerdicts).map(([k, v]) => `${k} x${v}`).join(", ");
    lines.push(
      `  ${n.node}: ${n.events} events${local === "" ? "" : `, local verdicts: ${local}`}`,
    );
  }
  if (violations.length === 0) {
    lines.push("verdict: no violation");
    return lines.join("\n");
  }
  lines.push(`verdict: ${violations.length} violation(s)`);
  for (const v of violations.slice(0, 3)) {
    lines.push(`  ALERT ${v.message}`);
    for (const c of v.cut.filter((c) => v.nodes.includes(c.node))) {
      lines.push(`    ${c.node}: ${JSON.stringify(c.state)}`);
    }
    lines.push("    last events:");
    for (const e of v.history.slice(-6)) {
      const args = Object.entries(e.args).map(([k, x]) => `${k}=${x}`).join(", ");
      const local = e.verdict === "ok" ? "" : ` [${e.verdict}: ${e.verdictDetail}]`;
      lines.push(`      ${e.node} #${e.seq} ${e.action}(${args})${local}`);
    }
  }
  if (violations.length > 3) lines.push(`  ... and ${violations.length - 3} more`);
  return lines.join("\n");
}
