/**
 * The collector's throttled log stays bounded when its keys are named by
 * senders (a refusal per node and reason): at most `maxKeys` keys are told
 * apart, keys quiet for an interval make room, and the occurrences of
 * further keys are counted together and still written.
 */
import assert from "node:assert/strict";
import { createThrottledLog } from "../edge/server/log_throttle.ts";

function harness(maxKeys: number) {
  let t = 0;
  const lines: string[] = [];
  const log = createThrottledLog({
    onLog: (l) => void lines.push(l),
    now: () => t,
    intervalMs: 60_000,
    maxKeys,
    othersLine: (n, s) => `${n} more from other nodes in ${s} s`,
  });
  const refuse = (node: string) =>
    log.note(node, () => `first from '${node}'`, (n, s) => `${n} more from '${node}' in ${s} s`);
  return { log, lines, refuse, advance: (ms: number) => void (t += ms) };
}

Deno.test("Throttled log tells at most maxKeys keys apart and counts the occurrences of the others together", () => {
  const h = harness(2);
  for (const node of ["a", "b", "a", "c", "d", "e", "d"]) h.refuse(node);
  assert.deepEqual(h.lines, ["first from 'a'", "first from 'b'", "first from 'c'"]);
  h.advance(60_000);
  h.log.flush();
  assert.deepEqual(h.lines.slice(3), [
    "1 more from 'a' in 60 s",
    "3 more from other nodes in 60 s",
  ]);
});

Deno.test("Throttled log forgets keys quiet for an interval to make room for new ones", () => {
  const h = harness(2);
  h.refuse("a");
  h.refuse("b");
  h.advance(60_000);
  h.refuse("c");
  assert.deepEqual(h.lines, ["first from 'a'", "first from 'b'", "first from 'c'"]);
  h.refuse("d");
  assert.equal(h.lines.at(-1), "first from 'd'", "a and b made room for c and d");
  h.refuse("a"); // Full again, and c and d are not quiet: a is the first counted with the others.
  h.refuse("e");
  h.log.flush({ all: true });
  assert.deepEqual(h.lines.slice(4), ["first from 'a'", "1 more from other nodes in 1 s"]);
});

Deno.test("Throttled log writes a bounded number of lines for a flood of distinct keys, and counts them all", () => {
  const h = harness(16);
  for (let i = 0; i < 10_000; i++) h.refuse(`node-${i}`);
  assert.equal(h.lines.length, 17);
  h.log.flush({ all: true });
  assert.deepEqual(h.lines.slice(17), [`${10_000 - 17} more from other nodes in 1 s`]);
});
