import assert from "node:assert/strict";
import { GuardError, OK } from "../lib/abi/verdict.ts";
import { loadExample } from "../tools/harness/sdk_fixture.ts";
import { VERDICT_DIVERGENCE } from "../lib/abi/verdict_codes.ts";
import type { StepEvent } from "../lib/wire/event.ts";
import type { Verdict } from "../lib/abi/verdict.ts";

const lease = await loadExample("lease");

Deno.test("Observe mode reports a divergence per differing variable and continues from the actual state", () => {
  const seen: Verdict[] = [];
  const events: StepEvent[] = [];
  const m = lease.monitor({
    key: "k",
    mode: "observe",
    onViolation: (e) => seen.push(e.verdict),
    sink: { push: (e) => events.push(e) },
  });
  // The service says it gave the lease to 3, not 2, and forgot to count the token.
  const v = m.step("acquire", { c: 2 }, { observed: { owner: 3, token: 0 } });
  assert.equal(v.kind, "divergence");
  assert.deepEqual(
    m.divergences.map((d) => [d.variable, d.expected, d.actual, d.item, d.line]),
    [["owner", 2, 3, "action acquire", 13], ["token", 1, 0, "action acquire", 13]],
  );
  assert.equal(m.divergences[0]!.detail, "owner: expected 2, actual 3");
  assert.equal(m.divergences[0]!.code, VERDICT_DIVERGENCE);
  assert.equal(m.violations, 2);
  assert.deepEqual(seen, m.divergences);
  // Continued from the actual state: unspecified variables took the spec's values.
  assert.equal(m.state.owner, 3);
  assert.equal(m.state.token, 0);
  assert.equal(m.state.mode, "held");
  assert.equal(events.length, 1);
  assert.equal(events[0]!.verdict, VERDICT_DIVERGENCE);
  assert.deepEqual(events[0]!.state, m.stateBytes(), "the event carries the adopted state");
  // The next step is checked against the actual state: release by 3 is fine.
  assert.equal(m.step("release", { c: 3 }, { observed: { mode: "free" } }), OK);
  assert.equal(m.divergences.length, 0);
  m.close();
});

Deno.test("Observe mode with a refused step records the verdict and adopts the actual state", () => {
  const m = lease.monitor({ key: "k", mode: "observe" });
  m.step("acquire", { c: 1 });
  const v = m.step("acquire", { c: 2 }, { observed: { owner: 2, token: 2 } });
  assert.equal(v.kind, "guard_failed");
  assert.equal(m.divergences.length, 0, "no next state, so no divergence");
  assert.equal(m.state.owner, 2);
  assert.equal(m.state.token, 2);
  assert.equal(m.violations, 1);
  m.close();
});

Deno.test("Observe mode keeps the spec's state when the actual value is outside its type", () => {
  const m = lease.monitor({ key: "k", mode: "observe" });
  const v = m.step("acquire", { c: 1 }, { observed: { owner: 9 } });
  assert.equal(v.kind, "divergence");
  assert.equal(m.divergences[0]!.actual, 9);
  assert.equal(m.state.owner, 1);
  m.close();
});

Deno.test("A matching observed state is ok and reports nothing", () => {
  const m = lease.monitor({ key: "k", mode: "observe" });
  assert.equal(m.step("acquire", { c: 1 }, { observed: { mode: "held", owner: 1 } }), OK);
  assert.equal(m.violations, 0);
  m.close();
});

Deno.test("A malformed observed view throws TypeError before anything changes", () => {
  const m = lease.monitor({ key: "k", mode: "observe" });
  assert.throws(
    () => m.step("acquire", { c: 1 }, { observed: { holder: 1 } }),
    /Unknown state variable 'holder'/,
  );
  assert.equal(m.state.mode, "free");
  m.close();
});

Deno.test("Enforce mode with observed throws on a refused step and ignores the observed state", () => {
  const m = lease.monitor({ key: "k" });
  m.step("acquire", { c: 1 });
  assert.throws(() => m.step("acquire", { c: 2 }, { observed: { owner: 2 } }), GuardError);
  assert.equal(m.state.owner, 1);
  const d = m.step("release", { c: 1 }, { observed: { mode: "held" } });
  assert.equal(d.kind, "divergence", "divergences never throw");
  assert.equal(m.state.mode, "held");
  m.close();
});

Deno.test("Map variables diverge as one variable with decoded objects", () => {
  const m = lease.monitor({ key: "k", mode: "observe" });
  m.step("acquire", { c: 1 }, { observed: { granted: { 1: 5 } } });
  assert.equal(m.divergences.length, 1);
  const d = m.divergences[0]!;
  assert.equal(d.variable, "granted");
  assert.deepEqual(d.expected, { 0: 0, 1: 1, 2: 0, 3: 0 });
  assert.deepEqual(d.actual, { 0: 0, 1: 5, 2: 0, 3: 0 });
  m.close();
});
