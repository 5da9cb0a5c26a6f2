import assert from "node:assert/strict";
import { DEFAULT_MAX_ID_BYTES, DEFAULT_MAX_KEY_BYTES } from "../../lib/wire/event.ts";
import { loadSpec } from "./load_spec.ts";
import { createMonitorPool } from "./monitor_pool.ts";
import { createNode } from "./node.ts";

/** A string of exactly `bytes` UTF-8 bytes, led by a two-byte character (bytes count, not characters). */
function ofBytes(bytes: number): string {
  return "ü" + "x".repeat(bytes - 2);
}

/** Asserts `fn` throws a `RangeError` naming `limit`, the length and `what`. */
function assertTooLong(fn: () => unknown, what: RegExp, limit: string, bytes: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RangeError, String(e));
    assert.match(e.message, what);
    assert.ok(e.message.includes(`is ${bytes} UTF-8 bytes`), e.message);
    assert.ok(e.message.includes(`(${limit})`), e.message);
    return true;
  });
}

Deno.test("createNode refuses a node or boot id one byte longer than a collector admits by default; at the bound it is taken", () => {
  const over = ofBytes(DEFAULT_MAX_ID_BYTES + 1);
  assertTooLong(() => createNode({ id: over }), /^Option 'id'/, "maxIdBytes", 257);
  assertTooLong(() => createNode({ id: "api-1", boot: over }), /^Option 'boot'/, "maxIdBytes", 257);
  // Two-byte characters: 129 of them are 258 bytes although 129 characters.
  assertTooLong(() => createNode({ id: "ü".repeat(129) }), /^Option 'id'/, "maxIdBytes", 258);
  const exact = ofBytes(DEFAULT_MAX_ID_BYTES);
  const node = createNode({ id: exact, boot: exact });
  assert.deepEqual([node.id, node.boot], [exact, exact]);
});

Deno.test("A monitor and a pool's instance refuse a key one byte longer than a collector admits by default; at the bound it is taken", async () => {
  const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
  const node = createNode({ id: "api-1" });
  const over = ofBytes(DEFAULT_MAX_KEY_BYTES + 1);
  const exact = ofBytes(DEFAULT_MAX_KEY_BYTES);
  assertTooLong(() => lease.monitor({ node, key: over }), /^Key/, "maxKeyBytes", 4097);
  assert.equal(lease.monitor({ node, key: exact }).key, exact);
  const pool = createMonitorPool(lease, { node });
  assertTooLong(() => pool.open(over), /^Key/, "maxKeyBytes", 4097);
  assert.equal(pool.size, 0);
  const h = pool.open(exact);
  assert.equal(pool.key(h), exact);
});

Deno.test("A node's maxIdBytes and maxKeyBytes move the SDK's bounds (raised with a collector's limits, or lowered); a bound must be an integer >= 1", async () => {
  const id = ofBytes(300);
  assertTooLong(() => createNode({ id }), /^Option 'id'/, "maxIdBytes", 300);
  assert.equal(createNode({ id, maxIdBytes: 300 }).id, id);
  assertTooLong(
    () => createNode({ id: "api-1", boot: id, maxIdBytes: 299 }),
    /^Option 'boot'/,
    "maxIdBytes",
    300,
  );
  const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
  const key = ofBytes(DEFAULT_MAX_KEY_BYTES + 1);
  const raised = createNode({ id: "api-1", maxKeyBytes: 8192 });
  assert.equal(lease.monitor({ node: raised, key }).key, key);
  const pool = createMonitorPool(lease, { node: raised });
  assert.equal(pool.key(pool.open(key)), key);
  const lowered = createNode({ id: "api-2", maxKeyBytes: 16 });
  assertTooLong(
    () => lease.monitor({ node: lowered, key: ofBytes(17) }),
    /^Key/,
    "maxKeyBytes",
    17,
  );
  assertTooLong(
    () => createMonitorPool(lease, { node: lowered }).open(ofBytes(17)),
    /^Key/,
    "maxKeyBytes",
    17,
  );
  for (const bad of [0, 1.5, Number.NaN]) {
    assert.throws(
      () => createNode({ id: "n", maxKeyBytes: bad }),
      /Option 'maxKeyBytes' must be an integer >= 1/,
    );
    assert.throws(
      () => createNode({ id: "n", maxIdBytes: bad }),
      /Option 'maxIdBytes' must be an integer >= 1/,
    );
  }
});
