import assert from "node:assert/strict";
import { StateArena } from "./state_arena.ts";

Deno.test("StateArena.words views the arena's bytes after it grows, block `at` at word `at >> 2`", () => {
  const arena = new StateArena(8);
  const blocks: number[] = [];
  // Past the 256 blocks an arena starts with: it grows (twice) on the way.
  for (let k = 0; k < 600; k++) {
    const at = arena.alloc();
    blocks.push(at);
    const words = arena.words;
    words[at >> 2] = k;
    words[(at >> 2) + 1] = ~k;
  }
  const view = new DataView(arena.bytes.buffer);
  blocks.forEach((at, k) => {
    assert.equal(view.getInt32(at, true), k, `block ${k}'s first word`);
    assert.equal(view.getInt32(at + 4, true), ~k, `block ${k}'s second word`);
  });
});
