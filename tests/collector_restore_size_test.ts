/**
 * A snapshot restores whatever its size: the violations kept (up to
 * `maxViolations`, which an operator may set high) are taken over one by
 * one, not spread into one call's arguments (a call takes about 125,000
 * here; past that, a RangeError and the collector would not restart).
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { Violation } from "../edge/engine/types.ts";

const url = new URL("../dist/lease.js", import.meta.url);

Deno.test("A snapshot keeping 200,000 violations restores every one of them, in order", async () => {
  const options = { specs: [await loadCompiled(url)], maxViolations: 300_000 };
  const saved = createCollector(options).snapshot();
  const kept = 200_000;
  const violations = Array.from({ length: kept }, (_, i) =>
    ({
      kind: "invariant",
      spec: "Lease",
      key: `lock:${i}`,
      item: "OneHolder",
      message: `violation ${i}`,
    }) as unknown as Violation);
  const restored = restoreCollector({ ...saved, violations }, options);
  const got = restored.violations();
  assert.equal(got.length, kept);
  assert.equal(got[0]!.message, "violation 0");
  assert.equal(got[kept - 1]!.message, `violation ${kept - 1}`);
});
