/**
 * Alerts once across failover, on a real 3-server NATS cluster: two
 * `vigil collector --partitions 4` members with a webhook and the NATS
 * alert subject, and a `--persist` of ten minutes, so no state is saved
 * after the violations are raised: the kill certainly falls between the
 * raise (and its routing) and the next save. The member that routed the
 * violations is SIGKILLed; the survivor takes its partitions, restores
 * what was saved before the violations (nothing of them), consumes from
 * the ack floor and raises them again with the same ids.
 *
 * Asserted: every violation id is delivered exactly once to the webhook
 * and published exactly once on `vigil.alerts.Lease` over both owners;
 * the survivor lists them (they happened) and counts its re-raises as
 * suppressed; each is printed once over both members' outputs; every
 * event is applied once over the cluster.
 */
import assert from "node:assert/strict";
import { Kvm } from "@nats-io/kv";
import { killCollector } from "./collector_kill_fixture.ts";
import { plan, printedViolations, viewOf, waitSettled, withCluster } from "./cluster_fixture.ts";
import type { ClusterView } from "../edge/cluster/cluster_view.ts";
import type { Violation } from "../edge/engine/types.ts";
import { waitFor } from "../tools/harness/wait.ts";

const PARTITIONS = 4;

/** Counts by id. */
function tally(ids: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}

Deno.test({
  name:
    "A violation routed by a member SIGKILLed before its next save is not routed again by the new owner",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const hooked: string[] = [];
    const hook = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
      hooked.push((await req.json() as Violation).id);
      return new Response(null, { status: 204 });
    });
    try {
      await withCluster(
        {
          id: "once",
          partitions: PARTITIONS,
          members: ["c1", "c2"],
          memberFlags: ["--persist", "10m", "--webhook", `http://127.0.0.1:${hook.addr.port}/hook`],
        },
        async (run) => {
          const { nc, members } = run;
          const published: string[] = [];
          const sub = nc.subscribe("vigil.alerts.>", {
            callback: (_e, m) => void published.push(m.json<Violation>().id),
          });
          const ids = ["c1", "c2"];
          const base = members[0]!.base;
          await waitSettled(base, ids, PARTITIONS, 0);
          const pubs = run.publishers({ prefix: "o", seed: 31 });
          let sent = 0;
          for (const chunk of plan(31, 6)) {
            await pubs.publish(chunk);
            sent += chunk.events;
          }
          const before = await waitSettled(base, ids, PARTITIONS, sent);
          const raised = before.violations.map((v) => v.id);
          assert.ok(raised.length >= 2, `violations raised: ${JSON.stringify(raised)}`);
          // Every violation routed, and each partition's ledger marks it done.
          const kv = await new Kvm(nc).open("VIGIL_STATE");
          await waitFor(async () => {
            if (new Set(hooked).size < raised.length) return false;
            if (new Set(published).size < raised.length) return false;
            const done = new Set<string>();
            for (let p = 0; p < PARTITIONS; p++) {
              const e = await kv.get(`routed.once.${p}`);
              if (e === null || e.operation !== "PUT") continue;
              for (const [id, s] of Object.entries(e.json<Record<string, string>>())) {
                if (s === "done") done.add(id);
              }
            }
            return raised.every((id) => done.has(id));
          }, { timeoutMs: 20_000, what: "every violation routed and marked done" });

          // The member that routed the most dies before any save covers them. The
          // view read when the events were applied may predate the routing (the
          // webhook and the ledger answer later): read it until it counts them.
          const routedBy = (v: ClusterView) =>
            v.collectors.map((c) => ({
              id: c.id,
              routed: c.owned.reduce((s, o) => s + o.alerts.routed, 0),
            })).sort((a, b) => b.routed - a.routed);
          let byMember = routedBy(before);
          await waitFor(async () => {
            byMember = routedBy(await viewOf(base));
            return byMember.reduce((s, m) => s + m.routed, 0) >= raised.length;
          }, { timeoutMs: 20_000, what: "the members' views to count every routed violation" });
          const victim = byMember[0]!;
          assert.ok(victim.routed > 0, `a member routed alerts: ${JSON.stringify(byMember)}`);
          const survivor = ids.find((id) => id !== victim.id)!;
          await killCollector(run.member(victim.id), "SIGKILL");
          const after = await waitSettled(run.member(survivor).base, [survivor], PARTITIONS, sent);

          // The survivor raised them again (same ids: they are listed) and routed none of them.
          const listed = after.violations.map((v) => v.id).sort();
          for (const id of raised) assert.ok(listed.includes(id), `'${id}' listed after failover`);
          // Each re-raise decided (routed, suppressed, resent or unrecorded: counted after its
          // deliveries ended), then count what arrived.
          const counts = async () => {
            const v = await waitSettled(run.member(survivor).base, [survivor], PARTITIONS, sent);
            const all = v.collectors.flatMap((c) => c.owned).map((o) => o.alerts);
            const sum = (k: keyof (typeof all)[number]) => all.reduce((s, a) => s + a[k], 0);
            return {
              suppressed: sum("suppressed"),
              decided: sum("routed") + sum("suppressed") + sum("resent") + sum("unrecorded"),
            };
          };
          const survivorRouted = byMember.find((m) => m.id === survivor)!.routed;
          const final = await waitFor(async () => {
            const c = await counts();
            return c.decided - survivorRouted >= victim.routed && c;
          }, { timeoutMs: 20_000, what: "the survivor to decide on every re-raised violation" });
          assert.equal(
            final.suppressed,
            victim.routed,
            "every violation the victim routed was raised again and suppressed",
          );
          const twice = (m: Map<string, number>) => [...m].filter(([, n]) => n !== 1);
          assert.deepEqual(twice(tally(hooked)), [], "each id delivered once to the webhook");
          assert.deepEqual(twice(tally(published)), [], "each id published once on NATS");
          for (const id of listed) {
            assert.ok(hooked.includes(id), `'${id}' delivered`);
            assert.ok(published.includes(id), `'${id}' published`);
          }
          const printed = printedViolations(members.map((m) => m.output()));
          assert.deepEqual([...printed.values()].filter((n) => n !== 1), []);
          assert.equal(after.totals.applied, sent);
          assert.equal(after.totals.lost, 0);
          sub.unsubscribe();
          await pubs.close();
        },
      );
    } finally {
      await hook.shutdown();
    }
  },
});
