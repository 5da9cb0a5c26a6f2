/**
 * Test helper: a collector service (`createCollectorService`) around a
 * collector the test drives, its log captured. The service says what the
 * collector refused or lost (lane drops, stamps of retired nodes, nodes
 * ahead: `edge/server/judge_refusals.ts`) on its summary tick, summed up
 * when it stops: {@link serviceLog} runs the test's traffic, waits for the
 * line it expects and stops the service, so every line is in.
 *
 * @module
 */
import type { Collector } from "../../edge/engine/types.ts";
import { createCollectorService } from "../../edge/server/service.ts";
import { waitFor } from "./wait.ts";

/** Options of {@link serviceLog}. */
export interface ServiceLogOptions {
  /** The collector clock the service reads (the test's). */
  readonly now: () => number;
  /** What the test does while the service runs: ingest, advance. */
  readonly run: () => void;
  /** Text a line of the log must include before the service is stopped. */
  readonly until: string;
  /** Give up waiting for it after this long, ms. Default 10 000. */
  readonly timeoutMs?: number;
}

/**
 * Starts a collector service around `collector` (its log summed up every
 * 5 ms; no tick or persistence of its own, so only the test moves the
 * collector), does `options.run`, waits until a line includes
 * `options.until` (rejects naming it when the time is up), stops the
 * service (which flushes its log) and returns every line it logged.
 *
 * @example A lane's drops said in the log
 * ```ts ignore
 * const lines = await serviceLog(c, {
 *   now: () => clock.now,
 *   run: () => feed(c),
 *   until: "causal verdicts dropped",
 * });
 * assert.equal(lines.filter((l) => l.includes("causal verdicts dropped")).length, 1);
 * ```
 */
export async function serviceLog(
  collector: Collector,
  options: ServiceLogOptions,
): Promise<string[]> {
  const lines: string[] = [];
  const service = createCollectorService(collector, {
    now: options.now,
    onLog: (l) => void lines.push(l),
    summaryMs: 5,
    tickMs: 1_000_000,
    persistMs: 1_000_000,
  });
  service.start();
  try {
    options.run();
    await waitFor(() => lines.some((l) => l.includes(options.until)), {
      timeoutMs: options.timeoutMs ?? 10_000,
      what: `a line of the service's log including '${options.until}'`,
      detail: () => `the log so far:\n${lines.join("\n")}`,
    });
  } finally {
    await service.stop();
  }
  return lines;
}
