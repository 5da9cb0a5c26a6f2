/**
 * One of the three NATS servers stops mid-run: two `vigil collector
 * --partitions 8` members (each given all three server URLs) and the SDK
 * nodes (a connection to all three) carry on through the other two. The
 * stream and the KV buckets have three replicas, so they keep a quorum;
 * leases keep being renewed; no partition changes owner for good and
 * nothing is lost.
 *
 * The server stopped is the one the first member's connection uses at the
 * time (found from the server's connection list), so that member has to
 * reconnect. Asserted: every published event applied exactly once over the
 * cluster, none lost; the reference collector's violations, each printed
 * once over both members. The server is started again before the
 * reference run.
 */
import assert from "node:assert/strict";
import { jetstreamManager } from "@nats-io/jetstream";
import { assertReferenceVerdicts, plan, waitSettled, withCluster } from "./cluster_fixture.ts";

const PARTITIONS = 8;

Deno.test({
  name:
    "Stopping one of three nats-servers mid-run loses nothing: collectors and nodes carry on through the others",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster({ id: "stop", partitions: PARTITIONS }, async (run) => {
      const { cluster, nc } = run;
      const chunks = plan(35, 6);
      const pubs = run.publishers({ prefix: "s", seed: 35 });
      // Each member starts on another server (the first URL of its list).
      const urls = cluster.servers.map((s) => s.url);
      await run.spawn("c1", urls.join(","));
      await run.spawn("c2", [urls[1], urls[2], urls[0]].join(","));
      const members = run.members;
      const ids = ["c1", "c2"];
      let published = 0;
      for (const chunk of chunks.slice(0, 2)) {
        await pubs.publish(chunk);
        published += chunk.events;
      }
      await waitSettled(members[1]!.base, ids, PARTITIONS, published);

      // Stop the server c1 is connected to (it has a client named vigil-collector), mid-chunk.
      const conns = async (i: number) => {
        const res = await fetch(`http://127.0.0.1:${cluster.servers[i]!.monitorPort}/connz`);
        const body = await res.json() as { connections?: { name?: string }[] };
        return (body.connections ?? []).filter((c) => c.name === "vigil-collector").length;
      };
      const counts = await Promise.all(cluster.servers.map((_, i) => conns(i)));
      const target = counts[0]! > 0 ? 0 : counts.findIndex((n) => n > 0);
      assert.ok(target >= 0, `a server holds a collector connection: ${counts}`);
      const flowing = pubs.publish(chunks[2]!);
      const stoppedAt = Date.now();
      await cluster.stop(target);
      await flowing;
      published += chunks[2]!.events;
      for (const chunk of chunks.slice(3)) {
        await pubs.publish(chunk);
        published += chunk.events;
      }
      assert.equal(pubs.sent(), published);
      const publishedAt = Date.now();
      const survivorBase = members[1]!.base;
      const done = await waitSettled(survivorBase, ids, PARTITIONS, published, 50_000).catch(
        async (e) => {
          // The diagnostics must not hide the failure: JetStream may be unavailable right now.
          const jsm = await jetstreamManager(nc).catch((x) => String(x));
          const infos: string[] = [];
          if (typeof jsm === "string") infos.push(`no consumer infos: ${jsm}`);
          for (let p = 0; p < PARTITIONS && typeof jsm !== "string"; p++) {
            const i = await jsm.consumers.info("VIGIL_EVENTS", `vigil-stop-p${p}`).catch((x) =>
              String(x)
            );
            infos.push(
              typeof i === "string" ? i : JSON.stringify({
                p,
                pend: i.num_pending,
                ack: i.num_ack_pending,
                redel: i.num_redelivered,
                floor: i.ack_floor,
                del: i.delivered,
                waiting: i.num_waiting,
                leader: i.cluster?.leader,
              }),
            );
          }
          throw new Error(
            `${(e as Error).message}\n${infos.join("\n")}\n${
              members.map((m) => m.output().slice(-3000)).join("\n")
            }`,
          );
        },
      );
      console.log(
        `server ${cluster.servers[target]!.name} stopped: publishing done ${
          publishedAt - stoppedAt
        } ms ` +
          `later, settled ${Date.now() - stoppedAt} ms later ` +
          `(duplicates ${done.totals.duplicates}, late ${done.totals.late}; lease losses ${
            members.map((m) => m.output().match(/lost partition/g)?.length ?? 0)
          })`,
      );
      assert.equal(done.totals.applied, published);
      assert.equal(done.totals.lost, 0);

      // The reference reads the same stream with all three servers up again.
      await cluster.start(target);
      await cluster.ready();
      await assertReferenceVerdicts(cluster.urls, {
        published,
        chunks,
        violations: done.violations,
        outputs: () => members.map((m) => m.output()),
      });
      await pubs.close();
    }),
});
