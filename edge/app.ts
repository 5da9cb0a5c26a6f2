/**
 * The collector's Hono app: ingest, JSON API, live streams, dashboard,
 * metrics and health over one {@link CollectorService}. Web-standard only
 * (no `Deno.*`, no NATS), so it runs wherever Hono runs; `vigil collector`
 * serves it with `Deno.serve`, tests drive it with `app.request()`.
 *
 * | route | answer |
 * |---|---|
 * | `POST /ingest` | 202 `{accepted, duplicates, late, dropped}`; 401/413/415/400 problem+json |
 * | `GET /` | the dashboard (live over SSE) |
 * | `GET /api/violations` | violations, oldest first (`?partition=`, `?limit=` newest n) |
 * | `GET /api/violations/:id` | one violation or 404 |
 * | `GET /api/nodes` | nodes with `rate` (events/s) |
 * | `GET /api/partitions` | partitions (`?status=ok\|violated\|unknown`) |
 * | `GET /api/summary` | what the dashboard shows |
 * | `GET /api/alerts/stream` | SSE: `alert` per violation |
 * | `GET /api/events/stream` | SSE: `summary` (1/s), `violation`, `status`, `gap`, `hole`, `violation_cleared` |
 * | `GET /metrics` | Prometheus text |
 * | `GET /healthz` | 200 `{status: "ok"}`, 503 when saving fails |
 *
 * @module
 */
import { Hono } from "hono";
import { DASHBOARD_CSS, DASHBOARD_JS, dashboardHtml } from "./dashboard.ts";
import { handleIngest, type HttpIngestOptions } from "./ingest_http.ts";
import { PROMETHEUS_TEXT } from "./metrics.ts";
import {
  type CollectorService,
  type CollectorServiceOptions,
  createCollectorService,
} from "./service.ts";
import { summary } from "./summary.ts";
import type { Collector, PartitionStatus } from "./types.ts";

/** Options of {@link createCollectorApp}: ingest options, and service options when given a core. */
export interface CollectorAppOptions extends HttpIngestOptions, CollectorServiceOptions {}

/** The app, with the service it serves (start its timers with `app.service.start()`). */
export type CollectorApp = Hono & { readonly service: CollectorService };

function isService(x: Collector | CollectorService): x is CollectorService {
  return "collector" in x && "persist" in x;
}

const STATUSES: readonly PartitionStatus[] = ["ok", "violated", "unknown"];

/**
 * Creates the collector app over a core (a service is made from `options`)
 * or over a service already made (shared with a NATS ingest).
 *
 * @example Serve a collector and ask for its health
 * ```ts ignore
 * import { createCollector } from "./collector.ts";
 * import { createCollectorApp } from "./app.ts";
 * import { tokenAuth } from "./auth.ts";
 * const app = createCollectorApp(createCollector({ specs: [lease] }), {
 *   auth: tokenAuth({ "api-1": "s3cret" }),
 * });
 * const res = await app.request("/healthz");
 * console.log(res.status); // 200
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

  app.post("/ingest", (c) => handleIngest(c.req.raw, service, options));
  app.get("/", (c) => c.html(dashboardHtml(names)));
  app.get("/dashboard.js", (c) => c.body(DASHBOARD_JS, 200, { "content-type": "text/javascript" }));
  app.get("/dashboard.css", (c) => c.body(DASHBOARD_CSS, 200, { "content-type": "text/css" }));
  app.get("/api/violations", (c) => {
    let vs = collector.violations();
    const partition = c.req.query("partition");
    if (partition !== undefined) vs = vs.filter((v) => v.partition === partition);
    const limit = Number(c.req.query("limit"));
    if (Number.isInteger(limit) && limit >= 0) vs = vs.slice(Math.max(0, vs.length - limit));
    return c.json(vs);
  });
  app.get("/api/violations/:id", (c) => {
    const v = collector.violations().find((x) => x.id === c.req.param("id"));
    return v === undefined ? c.json({ error: "No such violation" }, 404) : c.json(v);
  });
  app.get("/api/nodes", (c) => {
    const rates = service.nodeRates();
    return c.json(collector.nodes().map((n) => ({ ...n, rate: rates.get(n.node) ?? 0 })));
  });
  app.get("/api/partitions", (c) => {
    const status = c.req.query("status");
    const all = collector.partitions();
    if (status === undefined) return c.json(all);
    if (!STATUSES.includes(status as PartitionStatus)) {
      return c.json({ error: `Unknown status '${status}'` }, 400);
    }
    return c.json(all.filter((p) => p.status === status));
  });
  app.get("/api/summary", (c) => c.json(summary(collector, service.metrics)));
  app.get("/api/alerts/stream", () => service.alertHub.response());
  app.get(
    "/api/events/stream",
    () => service.eventHub.response([["summary", summary(collector, service.metrics)]]),
  );
  app.get(
    "/metrics",
    (c) => c.body(service.metrics.render(), 200, { "content-type": PROMETHEUS_TEXT }),
  );
  app.get("/healthz", (c) => {
    const h = service.health();
    return c.json(h.detail, h.ok ? 200 : 503);
  });
  return Object.assign(app, { service });
}
