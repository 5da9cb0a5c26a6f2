/**
 * Test helpers for the kill and restart tests: `vigil collector` as a
 * subprocess (`deno run -A cli/main.ts collector --port 0 ...`, with the
 * caller's `--kv`), as an operator runs it, with what those tests need: the
 * base URL it listens on, its metrics, its violations and partitions (all
 * pages), SIGKILL, and the events of a JetStream stream read back with the
 * reference decoder.
 *
 * @module
 */
import type { JetStreamClient } from "@nats-io/jetstream";
import { parsePrometheus } from "../edge/server/metrics.ts";
import type { Violation } from "../edge/engine/types.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import {
  type CollectorProcess,
  startCollectorProcess,
} from "../tools/harness/collector_process.ts";

export type { CollectorProcess };

/**
 * Starts `vigil collector --port 0 <args>` (the caller's `--kv`) and waits
 * until it listens (`tools/harness/collector_process.ts`, 60 s at most).
 *
 * @example Start and kill
 * ```ts ignore
 * const c = await spawnCollector(["--spec", "dist/lease.js", "--kv", "none"]);
 * await killCollector(c, "SIGKILL");
 * ```
 */
export function spawnCollector(args: readonly string[]): Promise<CollectorProcess> {
  return startCollectorProcess(args, { kvNone: false });
}

/** Sends `signal` (if still running) and waits for the process to end. */
export async function killCollector(
  c: { readonly process: Deno.ChildProcess },
  signal: Deno.Signal,
): Promise<Deno.CommandStatus> {
  try {
    c.process.kill(signal);
  } catch {
    // already gone
  }
  return await c.process.status;
}

/**
 * The collector's unlabelled metrics, plus labelled series summed by name
 * (so `vigil_batches_rejected_total` is the total over sources and reasons).
 */
export async function collectorMetrics(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out = new Map<string, number>();
  for (const s of parsePrometheus(text)) out.set(s.name, (out.get(s.name) ?? 0) + s.value);
  return out;
}

/** One metric, 0 when absent. */
export async function collectorMetric(base: string, name: string): Promise<number> {
  return (await collectorMetrics(base)).get(name) ?? 0;
}

/**
 * Every item of a JSON list endpoint (`/api/violations`, `/api/partitions`),
 * following the `Link: <...>; rel="next"` pages when the collector pages it.
 */
export async function collectorList<T>(base: string, path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = path;
  for (let page = 0; next !== null; page++) {
    if (page >= 10_000) throw new Error(`More than 10000 pages at '${path}'`);
    const res: Response = await fetch(`${base}${next}`);
    const body = await res.json();
    if (!res.ok || !Array.isArray(body)) {
      throw new Error(`GET '${next}' answered ${res.status}: ${JSON.stringify(body)}`);
    }
    out.push(...body as T[]);
    next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
  }
  return out;
}

/** Every violation the collector keeps, oldest first. */
export function collectorViolations(base: string): Promise<Violation[]> {
  return collectorList<Violation>(base, "/api/violations");
}

/**
 * Every message of a stream, in stream order, decoded by the reference
 * decoder (`decodeBatch`), with its stream sequence number.
 */
export async function readStream(
  js: JetStreamClient,
  stream: string,
  count: number,
): Promise<{ seq: number; batch: DecodedBatch }[]> {
  const out: { seq: number; batch: DecodedBatch }[] = [];
  if (count === 0) return out;
  const consumer = await js.consumers.get(stream);
  const messages = await consumer.consume();
  const deadline = setTimeout(() => messages.close(), 30_000);
  try {
    for await (const m of messages) {
      out.push({ seq: m.seq, batch: decodeBatch(m.data) });
      if (out.length >= count) break;
    }
  } finally {
    clearTimeout(deadline);
    await messages.close();
  }
  if (out.length !== count) throw new Error(`Read ${out.length} of ${count} stream messages`);
  return out;
}
