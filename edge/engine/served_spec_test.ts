import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { UNKNOWN_ACTION_INDEX, VERDICT_DIVERGENCE } from "../../lib/abi/verdict_codes.ts";
import { WireColumns } from "../../lib/wire/columns.ts";
import { decodeToColumns } from "../../lib/wire/decode.ts";
import { encodeBatch } from "../../lib/wire/encode.ts";
import type { EventBody } from "../../lib/wire/event.ts";
import { InvalidBatchError } from "./errors.ts";
import { ServedSpec } from "./served_spec.ts";

const lease = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
const served = new ServedSpec(lease);
const acquire = lease.actionIndex("acquire");
const params = lease.meta.actions[acquire]!.params.length;
const args = Array.from({ length: params }, () => 1);
const good: EventBody = {
  key: "lock:1",
  wall: 1_700_000_000_000,
  logical: 0,
  action: acquire,
  args,
  state: new Uint8Array(lease.meta.stride),
  verdict: 0,
};

/** The columns of a batch whose event 1 is `odd` (events 0 and 2 fit). */
function columns(odd: Partial<EventBody>): WireColumns {
  const header = {
    spec: served.hash,
    specName: "Lease",
    node: "n",
    boot: "b",
    firstSeq: 0,
    dropped: [],
  };
  const c = new WireColumns();
  decodeToColumns(encodeBatch(header, [good, { ...good, ...odd }, good]), c);
  return c;
}

/** Where `validateColumns` refuses `c`, or null when it takes it. */
function refusal(c: WireColumns): string | null {
  try {
    served.validateColumns(c);
    return null;
  } catch (e) {
    assert.ok(e instanceof InvalidBatchError, String(e));
    return e.at;
  }
}

Deno.test("validateColumns refuses, at the event, a state size, action, argument count or verdict the spec does not have", () => {
  assert.equal(refusal(columns({})), null);
  assert.equal(refusal(columns({ state: new Uint8Array(lease.meta.stride + 4) })), "ev[1].state");
  assert.equal(refusal(columns({ action: lease.meta.actions.length })), "ev[1].action");
  assert.equal(refusal(columns({ args: [...args, 1] })), "ev[1].args");
  assert.equal(refusal(columns({ args: args.slice(1) })), "ev[1].args");
  assert.equal(refusal(columns({ verdict: lease.meta.verdicts.length })), "ev[1].verdict");
});

Deno.test("validateColumns takes the unknown action (any arguments) and the divergence verdict", () => {
  assert.equal(refusal(columns({ action: UNKNOWN_ACTION_INDEX, args: [1, 2, 3] })), null);
  assert.equal(refusal(columns({ verdict: VERDICT_DIVERGENCE })), null);
  assert.equal(refusal(columns({ verdict: lease.meta.verdicts.length - 1 })), null);
});
