import assert from "node:assert/strict";
import { dashboardHtml } from "./dashboard.ts";
import { DASHBOARD_JS } from "./dashboard_js.ts";
import type { EventInfo, Hlc, Violation } from "../engine/types.ts";

/** The script's pure helpers (it only boots when a `document` exists). */
interface Helpers {
  hlcText(h: Hlc | null): string;
  hlcTitle(h: Hlc): string;
  stateText(s: Record<string, unknown>): string;
  callText(e: Pick<EventInfo, "action" | "args">): string;
  noteText(e: Pick<EventInfo, "verdict" | "verdictDetail" | "late">): string;
  failingIndex(v: Pick<Violation, "kind" | "at" | "history">): number;
  historyStart(v: Pick<Violation, "history">, fail: number): number;
  sortPartitions<T extends { status: string }>(ps: readonly T[]): T[];
  handedOverText(v: { handedOver?: unknown }): string | null;
}

const helpers = new Function(
  `${DASHBOARD_JS}\nreturn { hlcText, hlcTitle, stateText, callText, noteText, failingIndex, historyStart, sortPartitions, handedOverText };`,
)() as Helpers;

const WALL = Date.UTC(2026, 0, 2, 7, 50, 46, 716);

function event(seq: number, wall: number, logical: number): EventInfo {
  return {
    node: `node-${seq % 3}`,
    boot: "b",
    seq,
    wall,
    logical,
    action: "acquire",
    args: { c: 2 },
    verdict: "ok",
    verdictDetail: "",
    late: false,
  };
}

Deno.test("An HLC shows as UTC time of day with milliseconds and its logical counter, raw in the title", () => {
  assert.equal(helpers.hlcText({ wall: WALL, logical: 7 }), "07:50:46.716 +7");
  assert.equal(helpers.hlcText(null), "-");
  const title = helpers.hlcTitle({ wall: WALL, logical: 7 });
  assert.ok(title.includes(String(WALL)), title);
  assert.ok(title.includes("2026-01-02T07:50:46.716Z"), title);
  assert.ok(title.endsWith("logical 7"), title);
});

Deno.test("A state and an action read as key=value, not JSON", () => {
  const state = { mode: "held", owner: 2, token: 70, granted: { 0: 0, 1: 70, 2: 0 } };
  assert.equal(helpers.stateText(state), "mode=held owner=2 token=70 granted={0: 0, 1: 70, 2: 0}");
  assert.equal(helpers.callText({ action: "acquire", args: { c: 2 } }), "acquire(c=2)");
  assert.equal(helpers.callText({ action: "tick", args: {} }), "tick()");
  assert.equal(
    helpers.noteText({ verdict: "guard_failed", verdictDetail: "line 9", late: true }),
    "[guard_failed: line 9] (late)",
  );
  assert.equal(helpers.noteText({ verdict: "ok", verdictDetail: "", late: false }), "");
});

Deno.test("The failing event is the one at the violation's HLC, else the last (invariants only)", () => {
  const history = [event(1, WALL, 0), event(2, WALL + 5, 1), event(3, WALL + 9, 0)];
  const at = { wall: WALL + 5, logical: 1 };
  assert.equal(helpers.failingIndex({ kind: "invariant", at, history }), 1);
  const elsewhere = { wall: WALL + 50, logical: 0 };
  assert.equal(helpers.failingIndex({ kind: "invariant", at: elsewhere, history }), 2);
  assert.equal(helpers.failingIndex({ kind: "liveness_timeout", at: elsewhere, history }), -1);
});

Deno.test("A long history shows its newest ten events and always the failing one", () => {
  const history = Array.from({ length: 32 }, (_, i) => event(i, WALL + i, 0));
  assert.equal(helpers.historyStart({ history }, 31), 22);
  assert.equal(helpers.historyStart({ history }, 5), 5);
  assert.equal(helpers.historyStart({ history: history.slice(0, 4) }, 3), 0);
});

Deno.test("Partitions list violated first, then unknown, keeping their order otherwise", () => {
  const ps = [
    { id: "a", status: "ok" },
    { id: "b", status: "unknown" },
    { id: "c", status: "violated" },
    { id: "d", status: "ok" },
  ];
  assert.deepEqual(helpers.sortPartitions(ps).map((p) => p.id), ["c", "b", "a", "d"]);
});

Deno.test("The page has no external asset and no favicon request", () => {
  const html = dashboardHtml(["Lease"]);
  assert.ok(!/(src|href)="(https?:)?\/\//.test(html), html);
  assert.ok(html.includes('rel="icon" href="data:,"'), html);
});

Deno.test("A handed-over alert says which member held it and when it lost the lease (UTC); another alert says nothing", () => {
  assert.equal(
    helpers.handedOverText({ handedOver: { from: "c1", lostAt: WALL } }),
    "handed over by c1 (lease lost 2026-01-02 07:50:46.716 UTC)",
  );
  assert.equal(helpers.handedOverText({}), null);
  assert.equal(helpers.handedOverText({ handedOver: "c1" }), null);
});
