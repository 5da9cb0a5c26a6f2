/**
 * The collector's Hono app: ingest, JSON API, live streams, dashboard,
 * metrics and health over one {@link CollectorService}. Web-standard only
 * (no `Deno.*`, no NATS), so it runs wherever Hono runs; `vigil collector`
 * serves it (`edge/server/http_server.ts`), tests drive it with `app.request()`.
 *
 * | route | answer | token |
 * |---|---|---|
 * | `POST /ingest` | 202 `{accepted, duplicates, late, dropped}`; refusals as problem+json | ingest (node) |
 * | `GET /healthz` | 200 `{status: "ok"}`, 503 `{status: "degraded"}` when saving fails | none |
 * | `GET /` | the dashboard (live over SSE); `/?token=<read token>` sets the read cookie | read |
 * | `GET /dashboard.js`, `/dashboard.css` | its assets | read |
 * | `GET /api/violations` | violations, oldest first (`?partition=`), paged | read |
 * | `GET /api/violations/:id` | one violation or 404 | read |
 * | `GET /api/violations/:id/diagram.svg` | its space-time diagram (`image/svg+xml`), or 404 when it has no causal evidence | read |
 * | `GET /api/nodes` | nodes with `rate` (events/s), paged | read |
 * | `GET /api/partitions` | partitions (`?status=ok\|violated\|unknown\|mixed`), paged | read |
 * | `GET /api/summary` | what the dashboard shows | read |
 * | `GET /api/rates` | rates over time, oldest first: events/s of the busiest nodes, refused batches/s by reason, lag, violations (`edge/server/rates.ts`) | read |
 * | `GET /api/health` | the health detail (store, last save, its error, specs) | read |
 * | `GET /api/alerts/stream` | SSE: `alert` per violation; resumes from `Last-Event-ID` | read |
 * | `GET /api/events/stream` | SSE: `summary` and `rates` (1/s), `violation`, `status`, `gap`, `hole`, `violation_cleared`; resumes from `Last-Event-ID` | read |
 * | `GET /metrics` | Prometheus text | read |
 * | `GET /api/cluster` | a partitioned deployment's view: members, ownership, every collector's partitions and violations merged (`edge/cluster/cluster_view.ts`; with the `cluster` option) | read |
 * | `GET /api/cluster/local` | this collector's part of it | read |
 *
 * The read side needs a read token (`readAuth`) when the app has ingest
 * tokens, unless `publicRead`; with ingest tokens and neither, every read
 * is refused. Without ingest tokens (development, `allowAnonymous`) reads
 * are open. See `edge/server/read_access.ts` for the token and cookie.
 *
 * Paged lists answer a JSON array of at most `?limit=` items (default
 * 1,000, at most 10,000) after the cursor `?after=`, with `X-Total-Count`
 * (items matching over all pages) and, when more remain,
 * `Link: <...>; rel="next"` (a relative URL carrying the next cursor).
 *
 * An unexpected exception in a handler answers 500 problem+json (reason
 * `internal`), counted in `vigil_internal_errors_total{where="http"}` and
 * logged.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { ReadAuth } from "./auth.ts";
import { dashboardHtml } from "./dashboard.ts";
import { DIAGRAM_HEADERS, violationDiagram } from "./violation_diagram.ts";
import { DASHBOARD_CSS } from "./dashboard_css.ts";
import { DASHBOARD_JS } from "./dashboard_js.ts";
import { handleIngest, type HttpIngestOptions } from "../ingest/http.ts";
import { PROMETHEUS_TEXT } from "./metrics.ts";
import { problem } from "./ingest_problem.ts";
import { problemResponse } from "../../lib/wire/problem.ts";
import { cookieValue, READ_COOKIE, readAccess, readUnauthorized } from "./read_access.ts";
import {
  type CollectorService,
  type CollectorServiceOptions,
  createCollectorService,
  type IngestBytesOptions,
  type IngestOutcome,
} from "./service.ts";
import { summary } from "./summary.ts";
import type { Collector, Page, PartitionStatus } from "../engine/types.ts";

/**
 * Options of {@link createCollectorApp}: ingest options, and service options when given a core.
 *
 * @example Ingest tokens and a read token
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * import { createCollectorApp, type CollectorAppOptions } from "./app.ts";
 * import { readAuth, tokenAuth } from "./auth.ts";
 * const auth = tokenAuth({ "api-1": "s3cret" });
 * const options: CollectorAppOptions = { auth, readAuth: readAuth(["r3ad"], { ingest: auth }) };
 * const app = createCollectorApp(createCollector({ specs: [lease] }), options);
 * assert.equal((await app.request("/api/summary")).status, 401);
 * const res = await app.request("/api/summary", { headers: { authorization: "Bearer r3ad" } });
 * assert.equal(res.status, 200);
 * await app.service.stop();
 * ```
 */
export interface CollectorAppOptions extends HttpIngestOptions, CollectorServiceOptions {
  /** Read tokens for the dashboard, `/api/*`, the streams and `/metrics`. */
  readonly readAuth?: ReadAuth;
  /** Serve the read side without a token even when there are ingest tokens. Default false. */
  readonly publicRead?: boolean;
  /**
   * A partitioned deployment (`edge/cluster/`): `POST /ingest` forwards
   * each accepted batch into its partition's stream (answering once the
   * stream stored it) instead of applying it here, and `/api/cluster`
   * answers the deployment's view.
   */
  readonly cluster?: ClusterRoutes;
}

/**
 * What a partitioned collector adds to its app (see {@link CollectorAppOptions.cluster}).
 *
 * @example A deployment view of one collector that forwards nothing
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ClusterRoutes } from "./app.ts";
 * const routes: ClusterRoutes = {
 *   forward: () => Promise.resolve({ ok: false, reason: "internal", detail: "Not connected" }),
 *   view: () => Promise.resolve({ members: [] }),
 *   local: () => ({ owned: [] }),
 * };
 * assert.deepEqual(routes.local(), { owned: [] });
 * ```
 */
export interface ClusterRoutes {
  /** Publishes a batch that passed the HTTP checks into its partition's stream. */
  forward(bytes: Uint8Array, options: IngestBytesOptions): Promise<IngestOutcome>;
  /** The merged view (`GET /api/cluster`), given the caller's `Authorization` header. */
  view(authorization: string | null): Promise<unknown>;
  /** This collector's part (`GET /api/cluster/local`). */
  local(): unknown;
}

/**
 * The app, with the service it serves (start its timers with `app.service.start()`).
 *
 * @example Post a batch, read the partition back
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { type CollectorApp, createCollectorApp } from "./app.ts";
 * const app: CollectorApp = createCollectorApp(createCollector({ specs: [lease], windowMs: 0 }), { allowAnonymous: true });
 * const body = new Blob([acquire("api-1", 1).slice()]);
 * const posted = await app.request("/ingest", { method: "POST", body, headers: { "content-type": "application/x-msgpack" } });
 * assert.equal(posted.status, 202);
 * app.service.collector.flush();
 * assert.equal(app.service.collector.partitions()[0]?.id, "Lease/lock:a");
 * await app.service.stop();
 * ```
 */
export type CollectorApp = Hono & { readonly service: CollectorService };

/**
 * Who may read: anyone, holders of a read token, or nobody (ingest tokens and no read token).
 *
 * @example Open when there are no tokens
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPolicy, type ReadPolicy } from "./app.ts";
 * const policy: ReadPolicy = readPolicy({ allowAnonymous: true });
 * assert.equal(policy, "open");
 * ```
 */
export type ReadPolicy = "open" | "token" | "closed";

/**
 * Default page size of the `/api` lists.
 *
 * @example A list without a limit gets the default page
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./app.ts";
 * assert.ok(DEFAULT_PAGE_LIMIT <= MAX_PAGE_LIMIT);
 * ```
 */
export const DEFAULT_PAGE_LIMIT = 1_000;
/**
 * Largest page size of the `/api` lists.
 *
 * @example A larger limit is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * import { createCollectorApp, MAX_PAGE_LIMIT } from "./app.ts";
 * const app = createCollectorApp(createCollector({ specs: [lease] }), { allowAnonymous: true });
 * assert.equal((await app.request(`/api/partitions?limit=${MAX_PAGE_LIMIT + 1}`)).status, 400);
 * await app.service.stop();
 * ```
 */
export const MAX_PAGE_LIMIT = 10_000;

function isService(x: Collector | CollectorService): x is CollectorService {
  return "collector" in x && "persist" in x;
}

const STATUSES: readonly PartitionStatus[] = ["ok", "violated", "unknown", "mixed"];

/**
 * Who may read the app built with `options`.
 *
 * @example Ingest tokens close the read side unless a read token is given
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAuth, tokenAuth } from "./auth.ts";
 * import { readPolicy } from "./app.ts";
 * const auth = tokenAuth({ "api-1": "s3cret" });
 * assert.equal(readPolicy({ auth }), "closed");
 * assert.equal(readPolicy({ auth, readAuth: readAuth(["r3ad"]) }), "token");
 * assert.equal(readPolicy({ auth, publicRead: true }), "open");
 * assert.equal(readPolicy({ allowAnonymous: true }), "open");
 * ```
 */
export function readPolicy(options: CollectorAppOptions): ReadPolicy {
  if (options.readAuth !== undefined && options.readAuth.size > 0) return "token";
  if (options.publicRead === true) return "open";
  return (options.auth?.size ?? 0) > 0 ? "closed" : "open";
}

/** The page asked for by `?limit=` and `?after=`, or the 400 answer. */
function pageQuery(c: Context): { limit: number; after?: string } | Response {
  const raw = c.req.query("limit");
  let limit = DEFAULT_PAGE_LIMIT;
  if (raw !== undefined) {
    limit = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_LIMIT)) {
      return c.json({
        error: `Query 'limit' must be an integer from 1 to ${MAX_PAGE_LIMIT}, got '${raw}'`,
      }, 400);
    }
  }
  const after = c.req.query("after");
  return after === undefined ? { limit } : { limit, after };
}

/** Answers a page: the items as a JSON array, `X-Total-Count` and a `Link` to the next page. */
function pageResponse<T>(c: Context, page: Page<T>, limit: number, items?: readonly unknown[]) {
  const headers: Record<string, string> = { "x-total-count": String(page.total) };
  if (page.next !== null) {
    const url = new URL(c.req.url);
    url.searchParams.set("limit", String(limit));
    url.searchParams.set("after", page.next);
    headers.link = `<${url.pathname}?${url.searchParams}>; rel="next"`;
  }
  return c.json(items ?? page.items, 200, headers);
}

/** Runs a page query, turning an unknown cursor into 400. */
function paged<T>(
  c: Context,
  build: (q: { limit: number; after?: string }) => Page<T>,
  view?: (items: readonly T[]) => readonly unknown[],
): Response {
  const q = pageQuery(c);
  if (q instanceof Response) return q;
  let page: Page<T>;
  try {
    page = build(q);
  } catch (e) {
    if (e instanceof RangeError) return c.json({ error: e.message }, 400);
    throw e;
  }
  return pageResponse(c, page, q.limit, view?.(page.items));
}

/**
 * Creates the collector app over a core (a service is made from `options`)
 * or over a service already made (shared with a NATS ingest).
 *
 * @example Serve a collector and ask for its health
 * ```ts ignore
 * import { createCollector } from "../engine/collector.ts";
 * import { createCollectorApp } from "./app.ts";
 * import { readAuth, tokenAuth } from "./auth.ts";
 * const auth = tokenAuth({ "api-1": "s3cret" });
 * const app = createCollectorApp(createCollector({ specs: [lease] }), {
 *   auth,
 *   readAuth: readAuth(["r3ad"], { ingest: auth }),
 * });
 * const res = await app.request("/api/summary", { headers: { authorization: "Bearer r3ad" } });
 * assert.equal(res.status, 200);
 * ```
 */
export function createCollectorApp(
  target: Collector | CollectorService,
  options: CollectorAppOptions = {},
): CollectorApp {
  const service = isService(target) ? target : createCollectorService(target, options);
  const { collector } = service;
  const names = [...collector.specs.values()].map((s) => s.meta.name);
  const app = new Hono();

  app.onError((err) => {
    service.internalError("http", err);
    return problemResponse(
      problem("internal", "Unexpected collector error; the collector logged it"),
    );
  });
  const cluster = options.cluster;
  if (cluster === undefined) {
    app.post("/ingest", (c) => handleIngest(c.req.raw, service, options));
  } else {
    app.post("/ingest", async (c) => {
      // The HTTP checks (token, type, size, deadline) as for any ingest, then the forward.
      let posted: { bytes: Uint8Array; options: IngestBytesOptions } | null = null;
      const capture: CollectorService = {
        ...service,
        ingestBytes(bytes, _source, opts = {}) {
          posted = { bytes, options: opts };
          return { ok: true, result: { accepted: 0, duplicates: 0, late: 0, dropped: 0 } };
        },
      };
      const checked = await handleIngest(c.req.raw, capture, options);
      const got = posted as { bytes: Uint8Array; options: IngestBytesOptions } | null;
      if (got === null) return checked;
      await checked.body?.cancel();
      const out = await cluster.forward(got.bytes, got.options);
      if (out.ok) return c.json(out.result, 202);
      return problemResponse(problem(out.reason, out.detail));
    });
  }
  app.get("/healthz", (c) => {
    const h = service.health();
    return c.json({ status: h.ok ? "ok" : "degraded" }, h.ok ? 200 : 503);
  });

  const policy = readPolicy(options);
  if (policy === "token") app.use("*", readAccess(options.readAuth!));
  if (policy === "closed") {
    app.use("*", () =>
      Promise.resolve(readUnauthorized(
        "This collector has ingest tokens and no read token: its read side is closed",
      )));
  }

  app.get("/", (c) => c.html(dashboardHtml(names)));
  app.get("/dashboard.js", (c) => c.body(DASHBOARD_JS, 200, { "content-type": "text/javascript" }));
  app.get("/dashboard.css", (c) => c.body(DASHBOARD_CSS, 200, { "content-type": "text/css" }));
  app.get("/api/violations", (c) => {
    const partition = c.req.query("partition");
    return paged(
      c,
      (q) => collector.violationsPage(partition === undefined ? q : { ...q, partition }),
    );
  });
  app.get("/api/violations/:id", (c) => {
    const v = collector.violations().find((x) => x.id === c.req.param("id"));
    return v === undefined ? c.json({ error: "No such violation" }, 404) : c.json(v);
  });
  app.get("/api/violations/:id/diagram.svg", (c) => {
    const v = collector.violations().find((x) => x.id === c.req.param("id"));
    if (v === undefined) return c.json({ error: "No such violation" }, 404);
    const svg = violationDiagram(v);
    if (svg === null) {
      return c.json({ error: `Violation '${v.id}' has no causal evidence to draw` }, 404);
    }
    return c.body(svg, 200, DIAGRAM_HEADERS);
  });
  app.get("/api/nodes", (c) => {
    const rates = service.nodeRates();
    return paged(
      c,
      (q) => collector.nodesPage(q),
      (nodes) => nodes.map((n) => ({ ...n, rate: rates.get(n.node) ?? 0 })),
    );
  });
  app.get("/api/partitions", (c) => {
    const status = c.req.query("status");
    if (status !== undefined && !STATUSES.includes(status as PartitionStatus)) {
      return c.json({ error: `Unknown status '${status}'` }, 400);
    }
    return paged(c, (q) =>
      collector.partitionsPage(
        status === undefined ? q : { ...q, status: status as PartitionStatus },
      ));
  });
  app.get("/api/summary", (c) => c.json(summary(collector, service.metrics)));
  app.get("/api/rates", (c) => c.json(service.rates.window()));
  app.get("/api/health", (c) => {
    const h = service.health();
    return c.json(h.detail, h.ok ? 200 : 503);
  });
  // An EventSource that reconnects sends Last-Event-ID: the hub replays what it missed (or a reset).
  const resume = (c: Context) => ({ lastEventId: c.req.header("last-event-id") ?? null });
  app.get("/api/alerts/stream", (c) => service.alertHub.response([], resume(c)));
  app.get(
    "/api/events/stream",
    (c) => service.eventHub.response([["summary", summary(collector, service.metrics)]], resume(c)),
  );
  app.get(
    "/metrics",
    (c) => c.body(service.metrics.render(), 200, { "content-type": PROMETHEUS_TEXT }),
  );
  if (cluster !== undefined) {
    app.get(
      "/api/cluster",
      async (c) => c.json(await cluster.view(peerAuthorization(c.req.header.bind(c.req)))),
    );
    app.get("/api/cluster/local", (c) => c.json(cluster.local()));
  }
  return Object.assign(app, { service });
}

/**
 * The read credential to pass on to the other members: the caller's
 * `Authorization` header, else its read cookie (a browser that logged in
 * with `/?token=`) as a bearer token; null without either.
 */
function peerAuthorization(header: (name: string) => string | undefined): string | null {
  const authorization = header("authorization");
  if (authorization !== undefined) return authorization;
  const cookie = cookieValue(header("cookie"), READ_COOKIE);
  return cookie === null ? null : `Bearer ${cookie}`;
}
