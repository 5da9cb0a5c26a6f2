import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/nats-core";
import { eventSubject, natsTransport, subjectOf } from "./nats.ts";
import { DeliveryError, TransportClosedError } from "./transport.ts";
import type { BatchMeta } from "../../lib/wire/event.ts";

const META: BatchMeta = {
  spec: "0123456789abcdef0123",
  specName: "Lease",
  node: "n",
  boot: "b",
  firstSeq: 0,
  count: 1,
};

/** Just enough of a connection for the transport (an untyped fake behind this cast). */
function fakeConnection(fail = false) {
  const published: [string, Uint8Array][] = [];
  let flushed = 0;
  const nc = {
    publish(subject: string, data: Uint8Array) {
      if (fail) throw new Error("connection closed");
      published.push([subject, data]);
    },
    flush: () => (flushed++, Promise.resolve()),
    isClosed: () => false,
  } as unknown as NatsConnection;
  return { nc, published, flushed: () => flushed };
}

Deno.test("NATS transport publishes on vigil.events.<spec name> by default", async () => {
  const f = fakeConnection();
  const t = natsTransport(f.nc);
  await t.send(new Uint8Array([7]), META);
  assert.deepEqual(f.published, [["vigil.events.Lease", new Uint8Array([7])]]);
  await t.close();
  assert.equal(f.flushed(), 1);
  await assert.rejects(t.send(new Uint8Array([7]), META), TransportClosedError);
});

Deno.test("NATS subjects: names are sanitized, options are a string or a function", () => {
  assert.equal(eventSubject({ ...META, specName: "my.spec *>" }), "vigil.events.my_spec___");
  assert.equal(eventSubject({ ...META, specName: "" }), "vigil.events.0123456789abcdef");
  assert.equal(subjectOf("vigil.events")(META), "vigil.events");
  assert.equal(subjectOf((m) => `x.${m.node}`)(META), "x.n");
  assert.throws(() => subjectOf("bad subject"), TypeError);
  assert.throws(() => subjectOf("a.>"), TypeError);
});

Deno.test("NATS transport wraps a publish failure in DeliveryError", async () => {
  const t = natsTransport(fakeConnection(true).nc, { subject: "s" });
  await assert.rejects(t.send(new Uint8Array([1]), META), (e: unknown) => {
    assert.ok(e instanceof DeliveryError);
    assert.match(e.message, /connection closed/);
    return true;
  });
});
