/**
 * Where the fuzzer sends its inputs, each a fresh collector per session on
 * the session's injected clock:
 * - `inprocess`: `createCollectorService(createCollector(...)).ingestBytes`;
 * - `app`: `createCollectorApp(...).request("/ingest")` (no server);
 * - `serve`: the same app behind a real `Deno.serve` on 127.0.0.1 port 0,
 *   with the service's timers running, reached with `fetch`.
 *
 * Each target turns an answer into `{ ok, result }` or `{ ok: false, reason }`
 * and throws a {@link FuzzFailure} for anything else: an exception out of
 * the ingest call, a 202 without counts, an answer that is not a
 * problem+json of a known reason whose status matches it.
 *
 * @module
 */
import { createCollectorApp } from "../../edge/server/app.ts";
import { tokenAuth } from "../../edge/server/auth.ts";
import { createCollector } from "../../edge/engine/collector.ts";
import { PROBLEM_JSON, PROBLEM_TYPE_BASE } from "../../lib/wire/problem.ts";
import { type CollectorService, createCollectorService } from "../../edge/server/service.ts";
import type { Collector, IngestResult } from "../../edge/engine/types.ts";
import { FuzzFailure } from "./failure.ts";
import type { LeaseKit } from "./lease_events.ts";
import { NODE_TOKENS, type SendStep, type SessionConfig } from "./session.ts";

/** The ingest paths the fuzzer drives. */
export type TargetKind = "inprocess" | "app" | "serve";

/** What an ingest answered. */
export type Answer =
  | { readonly ok: true; readonly result: IngestResult }
  | { readonly ok: false; readonly reason: string; readonly detail: string };

/** A collector behind one ingest path. */
export interface Target {
  readonly kind: TargetKind;
  readonly collector: Collector;
  readonly service: CollectorService;
  /** The `source` label its batches are counted under. */
  readonly source: "http" | "nats";
  send(step: SendStep): Promise<Answer>;
  /** Stops what the target started (timers). */
  close(): Promise<void>;
}

/** Every refusal reason and the HTTP status that goes with it. */
export const REASON_STATUS: Readonly<Record<string, number>> = {
  unauthorized: 401,
  too_large: 413,
  malformed: 400,
  unknown_spec: 400,
  invalid: 400,
  node_mismatch: 401,
  unsupported_media_type: 415,
  timeout: 408,
  limit: 429,
  internal: 500,
};

const COUNTS = ["accepted", "duplicates", "late", "dropped"] as const;

function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}...` : s;
}

/** Checks an HTTP answer and reads it. */
async function readAnswer(res: Response): Promise<Answer> {
  const type = res.headers.get("content-type") ?? "";
  const text = await res.text();
  const status = res.status;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FuzzFailure("answer", `Answer '${status}' (${type}) is not JSON: '${clip(text)}'`);
  }
  if (status === 202) {
    for (const k of COUNTS) {
      const v = body[k];
      if (!(typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) {
        throw new FuzzFailure("answer", `202 without a count '${k}': '${clip(text)}'`);
      }
    }
    return { ok: true, result: body as unknown as IngestResult };
  }
  const reason = body.reason;
  if (!type.startsWith(PROBLEM_JSON)) {
    throw new FuzzFailure(
      "answer",
      `Answer '${status}' is '${type}', not problem+json: '${clip(text)}'`,
    );
  }
  if (typeof reason !== "string" || !(reason in REASON_STATUS)) {
    throw new FuzzFailure(
      "answer",
      `Problem of unknown reason '${String(reason)}': '${clip(text)}'`,
    );
  }
  const want = REASON_STATUS[reason];
  if (status !== want || body.status !== want || body.type !== `${PROBLEM_TYPE_BASE}${reason}`) {
    throw new FuzzFailure(
      "answer",
      `Problem '${reason}' answered '${status}' with body status '${body.status}' and type ` +
        `'${body.type}', expected '${want}'`,
    );
  }
  if (typeof body.detail !== "string" || body.detail === "") {
    throw new FuzzFailure("answer", `Problem '${reason}' without a detail`);
  }
  return { ok: false, reason, detail: body.detail };
}

function request(step: SendStep, url: string): Request {
  const headers: Record<string, string> = {};
  if (step.contentType !== null) headers["content-type"] = step.contentType;
  if (step.token !== null) headers.authorization = `Bearer ${step.token}`;
  return new Request(url, {
    method: "POST",
    headers,
    body: step.bytes as Uint8Array<ArrayBuffer>,
  });
}

/** One real HTTP server for a run; each session's app is swapped in. */
export class ServeHost {
  #handler: ((req: Request) => Response | Promise<Response>) | null = null;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly url: string;

  /** Starts the server on 127.0.0.1, a free port. */
  constructor() {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) =>
        this.#handler === null ? new Response("No session", { status: 503 }) : this.#handler(req),
    );
    this.url = `http://127.0.0.1:${this.#server.addr.port}/ingest`;
  }

  /** Routes requests to `handler`. */
  use(handler: ((req: Request) => Response | Promise<Response>) | null): void {
    this.#handler = handler;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await this.#server.shutdown();
  }
}

/**
 * A fresh collector for a session behind the path `kind` (`serve` needs a
 * {@link ServeHost}).
 *
 * @example Send a body in process
 * ```ts ignore
 * const clock = { now: config.startMs };
 * const target = await createTarget("inprocess", kit, config, clock);
 * const answer = await target.send(step);
 * ```
 */
export async function createTarget(
  kind: TargetKind,
  kit: LeaseKit,
  options: { config: SessionConfig; clock: { now: number }; host?: ServeHost | undefined },
): Promise<Target> {
  const { config, clock } = options;
  const now = () => clock.now;
  const collector = createCollector({
    specs: [await kit.compiled()],
    now,
    windowMs: config.windowMs,
    gapTimeoutMs: config.gapTimeoutMs,
  });
  if (kind === "inprocess") {
    const service = createCollectorService(collector, { now });
    return {
      kind,
      collector,
      service,
      source: "nats",
      send(step) {
        let out;
        try {
          out = service.ingestBytes(step.bytes, "nats");
        } catch (e) {
          throw new FuzzFailure("threw", `ingestBytes threw ${describe(e)}`, -1, { cause: e });
        }
        if (out.ok) return Promise.resolve({ ok: true, result: out.result });
        if (!(out.reason in REASON_STATUS) || typeof out.detail !== "string") {
          throw new FuzzFailure("answer", `Refusal of unknown reason '${out.reason}'`);
        }
        return Promise.resolve({ ok: false, reason: out.reason, detail: out.detail });
      },
      close: () => Promise.resolve(),
    };
  }
  const app = createCollectorApp(collector, { auth: tokenAuth(NODE_TOKENS), now, keepAliveMs: 0 });
  const service = app.service;
  const host = options.host;
  if (kind === "serve") {
    if (host === undefined) throw new TypeError("The 'serve' target needs a ServeHost");
    host.use(app.fetch);
    service.start();
  }
  const url = kind === "serve" ? host!.url : "http://collector/ingest";
  const post = kind === "serve" ? (req: Request) => fetch(req) : (req: Request) => app.request(req);
  return {
    kind,
    collector,
    service,
    source: "http",
    async send(step) {
      let res: Response;
      try {
        res = await post(request(step, url));
      } catch (e) {
        throw new FuzzFailure("threw", `POST /ingest threw ${describe(e)}`, -1, { cause: e });
      }
      return readAnswer(res);
    },
    async close() {
      if (kind !== "serve") return;
      host!.use(null);
      await service.stop();
    },
  };
}

/** An error in one line: its class, message and the first frame of its stack. */
export function describe(e: unknown): string {
  if (!(e instanceof Error)) return `'${String(e)}'`;
  const frame = e.stack?.split("\n").find((l) => l.trim().startsWith("at "))?.trim() ?? "";
  return `${e.name}: ${e.message.split("\n")[0]} (${frame})`;
}
