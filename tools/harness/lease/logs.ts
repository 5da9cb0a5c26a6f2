/**
 * The Lease logs the replay tests and benchmarks write: one NDJSON line per
 * transition, `{ "type": "transition", "host", "lock", "ts", "event",
 * "args" }` (and, in some, the state after it, `"state"`), and the replay
 * mapping that reads them (`docs/replay.md`).
 *
 * @module
 */

/**
 * The mapping of the Lease logs (lines of type `transition`; node `host`,
 * key `lock`, time `ts`, action `event`, arguments `args`). Logs that
 * carry the state after each step add `state: "state"`.
 *
 * @example Read one line
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMapping } from "../../../edge/replay/mapping.ts";
 * import { LEASE_LOG_MAPPING } from "./logs.ts";
 * const mapping = parseMapping(LEASE_LOG_MAPPING);
 * assert.equal(mapping.mappings.length, 1);
 * ```
 */
export const LEASE_LOG_MAPPING = Object.freeze({
  where: Object.freeze({ type: "transition" }),
  node: "host",
  key: "lock",
  time: "ts",
  action: "event",
  args: "args",
});
