import assert from "node:assert/strict";
import { componentEmbed } from "@bytecodealliance/jco";
import { kebabCase, witIdent, witOf, worldOf } from "./wit.ts";
import { buildHandCore, DIAL, TOGGLE } from "./testdata/hand_specs.ts";
import type { SpecMeta } from "../abi/meta.ts";

Deno.test("kebabCase converts camel, snake and acronym names to WIT labels", () => {
  assert.equal(kebabCase("markPaid"), "mark-paid");
  assert.equal(kebabCase("mark_paid"), "mark-paid");
  assert.equal(kebabCase("HTTPServer"), "http-server");
  assert.equal(kebabCase("item_2"), "item2");
  assert.equal(kebabCase("Raft"), "raft");
  assert.equal(kebabCase("_x"), "x");
  assert.equal(kebabCase("__"), "x");
});

Deno.test("witIdent escapes WIT keywords and rejects invalid labels", () => {
  assert.equal(witIdent("type"), "%type");
  assert.equal(witIdent("list"), "%list");
  assert.equal(witIdent("owner"), "owner");
  assert.throws(() => witIdent("Bad-Label"), RangeError);
});

Deno.test("witOf names the package and world after the spec and documents each export", () => {
  const wit = witOf(DIAL.meta);
  assert.match(wit, /^package vigil:dial;$/m);
  assert.match(wit, /^world dial \{$/m);
  assert.match(wit, /\/\/\/ From `action bump` \(line 8:1\)/);
  assert.match(wit, /\/\/\/ Parameter `by: 1\.\.3` \(bad_argument code 3\)\./);
  assert.match(wit, /^ {2}export step-bump: func\(inst: u32, by: f64\) -> u32;$/m);
  assert.match(wit, /^ {2}export check-set: func\(inst: u32, m: f64\) -> u32;$/m);
  assert.match(wit, /`invariant BelowTen` \(line 11:1\)/);
  assert.match(wit, /^ {2}export global-liveness: func\(first: u32, count: u32\) -> u32;$/m);
});

Deno.test("witOf documents liveness bits and global invariants", () => {
  const wit = witOf(TOGGLE.meta);
  assert.match(wit, /Bits 0 \(when\) and 1 \(eventually\): `liveness Settles`/);
  assert.match(wit, /`global invariant AtMostOneOn` \(line 9:1\)/);
  assert.match(wit, /^ {2}export step-turn-on: func\(inst: u32\) -> u32;$/m);
});

Deno.test("witOf escapes keyword parameters and renames one called inst", () => {
  const meta: SpecMeta = {
    ...DIAL.meta,
    name: "type",
    actions: [{
      ...DIAL.meta.actions[0]!,
      params: [
        { name: "type", type: { kind: "bool" }, code: 2 },
        { name: "inst", type: { kind: "bool" }, code: 3 },
      ],
    }],
  };
  const wit = witOf(meta);
  assert.match(wit, /^package vigil:%type;$/m);
  assert.match(wit, /^world %type \{$/m);
  assert.match(wit, /func\(inst: u32, %type: f64, inst2: f64\) -> u32;/);
  assert.equal(worldOf(meta), "%type");
});

Deno.test("componentEmbed accepts the WIT of the hand-written specs", async () => {
  for (const spec of [TOGGLE, DIAL]) {
    const embedded = await componentEmbed({
      binary: buildHandCore(spec),
      witSource: witOf(spec.meta),
      world: worldOf(spec.meta),
    });
    assert.ok(embedded.length > 0);
  }
});
