import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { ensureStream, type StreamAdmin } from "./ensure_stream.ts";
import { ALL_EVENT_SUBJECTS, EVENT_STREAM } from "./subjects.ts";
import { startNatsServer } from "../../tools/harness/nats_server.ts";

/** A stream admin whose lookups answer from `lookup`, recording every call. */
function fakeAdmin(lookup: (name: string) => Promise<unknown>) {
  const calls: unknown[][] = [];
  const admin: StreamAdmin = {
    streams: {
      info: (name) => (calls.push(["info", name]), lookup(name)),
      add: (config) => (calls.push(["add", config]), Promise.resolve({})),
    },
  };
  return { admin, calls };
}

const notFound = () =>
  Promise.reject(Object.assign(new Error("stream not found"), { code: 10059 }));

Deno.test("ensureStream creates the event stream over every event subject when the lookup says not found", async () => {
  const f = fakeAdmin(notFound);
  await ensureStream(f.admin);
  assert.deepEqual(f.calls, [
    ["info", "VIGIL_EVENTS"],
    ["add", { name: "VIGIL_EVENTS", subjects: ["vigil.events.>"] }],
  ]);
  const g = fakeAdmin(notFound);
  await ensureStream(g.admin, { name: "RUN_1", subjects: ["run1.>"] });
  assert.deepEqual(g.calls[1], ["add", { name: "RUN_1", subjects: ["run1.>"] }]);
});

Deno.test("ensureStream leaves an existing stream alone and passes other lookup errors on", async () => {
  const found = fakeAdmin(() => Promise.resolve({ config: {} }));
  await ensureStream(found.admin);
  assert.deepEqual(found.calls, [["info", "VIGIL_EVENTS"]]);
  const timeout = new Error("timeout");
  const failing = fakeAdmin(() => Promise.reject(timeout));
  await assert.rejects(ensureStream(failing.admin), (e) => e === timeout);
  const otherCode = fakeAdmin(() => Promise.reject(Object.assign(new Error("x"), { code: 10039 })));
  await assert.rejects(ensureStream(otherCode.admin), /x/);
  assert.equal(failing.calls.length + otherCode.calls.length, 2, "nothing was added");
});

Deno.test("ensureStream creates the stream once on a real nats-server through JetStreamManager", async () => {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm);
    const info = await jsm.streams.info(EVENT_STREAM);
    assert.deepEqual(info.config.subjects, [ALL_EVENT_SUBJECTS]);
    await jsm.streams.update(EVENT_STREAM, { ...info.config, max_msgs: 7 });
    await ensureStream(jsm); // exists: left as it is
    assert.equal((await jsm.streams.info(EVENT_STREAM)).config.max_msgs, 7);
  } finally {
    await nc.close();
    await server.stop();
  }
});
