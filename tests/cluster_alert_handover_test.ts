/**
 * Held alerts of a lost lease handed over to the next owner, on a real
 * nats-server (`edge/cluster/alert_handover.ts`; the scenario is in
 * `tests/cluster_handover_fixture.ts`): with the events still in the stream
 * the next owner re-raises each held alert and discards the copies; with
 * them purged it routes each copy as `<id>@a`. Either way every violation
 * the first member raised is routed exactly once in the cluster.
 */
import { handOverScenario } from "./cluster_handover_fixture.ts";

Deno.test({
  name:
    "Alerts held when a lease is lost are handed over: the next owner, re-raising them from the unacknowledged events, routes each once and discards the copies",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () => handOverScenario(false),
});

Deno.test({
  name:
    "Alerts held when a lease is lost reach the cluster exactly once when the next owner does not raise them again: it routes the handed-over copies",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () => handOverScenario(true),
});
