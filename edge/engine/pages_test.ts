import assert from "node:assert/strict";
import { InsertionIndex, ordinalPage } from "./pages.ts";

/** Every page of an index, following `next` (bounded). */
function allPages<V>(
  index: InsertionIndex<V>,
  limit: number,
  keep?: (v: V) => boolean,
): { items: V[]; pages: number; totals: number[] } {
  const items: V[] = [];
  const totals: number[] = [];
  let after: string | undefined;
  let pages = 0;
  for (; pages < 1000; pages++) {
    const p = index.page(after, limit, (v) => v, keep);
    items.push(...p.items);
    totals.push(p.total);
    if (p.next === null) return { items, pages: pages + 1, totals };
    after = p.next;
  }
  throw new Error("Paging did not end");
}

Deno.test("InsertionIndex pages visit every entry once, in insertion order, for every page size", () => {
  const m = new Map<string, number>();
  for (let i = 0; i < 23; i++) m.set(`k${i}`, i);
  const index = new InsertionIndex(m, (v) => `c${v}`);
  const expected = [...m.values()];
  for (const limit of [1, 2, 5, 22, 23, 24, 100]) {
    const { items, pages, totals } = allPages(index, limit);
    assert.deepEqual(items, expected, `limit ${limit}`);
    assert.equal(pages, Math.max(1, Math.ceil(23 / limit)), `limit ${limit}`);
    assert.ok(totals.every((t) => t === 23));
  }
});

Deno.test("InsertionIndex with a filter pages only matching entries and counts them in total", () => {
  const m = new Map<number, number>();
  for (let i = 0; i < 50; i++) m.set(i, i);
  const index = new InsertionIndex(m, (v) => String(v));
  const odd = (v: number) => v % 7 === 3;
  const expected = [...m.values()].filter(odd);
  for (const limit of [1, 2, 7, 8]) {
    const { items, totals } = allPages(index, limit, odd);
    assert.deepEqual(items, expected);
    assert.ok(totals.every((t) => t === expected.length));
  }
  assert.deepEqual(index.page(undefined, 5, (v) => v, () => false), {
    items: [],
    total: 0,
    next: null,
  });
});

Deno.test("InsertionIndex sees entries added after a page was taken, and refuses an unknown cursor", () => {
  const m = new Map<string, string>([["a", "a"], ["b", "b"]]);
  const index = new InsertionIndex(m, (v) => v);
  const first = index.page(undefined, 2, (v) => v);
  assert.deepEqual([first.items, first.next], [["a", "b"], null]);
  m.set("c", "c");
  m.set("d", "d");
  assert.deepEqual(index.page("b", 10, (v) => v).items, ["c", "d"]);
  assert.equal(index.page(undefined, 1, (v) => v).total, 4);
  assert.throws(() => index.page("zz", 1, (v) => v), RangeError);
});

Deno.test("InsertionIndex makes cursors unique when two entries would share one", () => {
  const m = new Map<string, { id: string; tag: string }>([
    ["1", { id: "Lease/k", tag: "v1" }],
    ["2", { id: "Lease/k", tag: "v2" }],
    ["3", { id: "Lease/j", tag: "v1" }],
  ]);
  const index = new InsertionIndex(m, (v, taken) => taken(v.id) ? `${v.tag}~${v.id}` : v.id);
  const { items } = allPages(index, 1);
  assert.deepEqual(items.map((v) => v.tag + v.id), ["v1Lease/k", "v2Lease/k", "v1Lease/j"]);
});

Deno.test("ordinalPage continues after a cursor whose entry was dropped, and refuses one not given yet", () => {
  const all = Array.from({ length: 10 }, (_, i) => ({ n: i, even: i % 2 === 0 }));
  const keepAll = () => true;
  const p1 = ordinalPage(all, 0, { limit: 4 }, keepAll);
  assert.deepEqual([p1.items.map((v) => v.n), p1.next, p1.total], [[0, 1, 2, 3], "3", 10]);
  // Entries 0..5 dropped since: the cursor "3" continues with the oldest kept (6).
  const kept = all.slice(6);
  const p2 = ordinalPage(kept, 6, { after: p1.next!, limit: 4 }, keepAll);
  assert.deepEqual([p2.items.map((v) => v.n), p2.next], [[6, 7, 8, 9], null]);
  const evens = ordinalPage(all, 0, { after: "1", limit: 2 }, (v) => v.even);
  assert.deepEqual([evens.items.map((v) => v.n), evens.next, evens.total], [[2, 4], "4", 5]);
  assert.deepEqual(ordinalPage(all, 0, { after: "4", limit: 2 }, (v) => v.even).next, null);
  for (const bad of ["10", "-1", "x", "1e3"]) {
    assert.throws(() => ordinalPage(all, 0, { after: bad, limit: 2 }, keepAll), RangeError, bad);
  }
});

Deno.test("InsertionIndex told of removals rebuilds when an entry left and another came between two reads", () => {
  const m = new Map([["a", 1], ["b", 2]]);
  let removals = 0;
  const told = new InsertionIndex(m, (v) => `c${v}`, { removals: () => removals });
  const blind = new InsertionIndex(m, (v) => `c${v}`);
  assert.deepEqual(allPages(told, 10).items, [1, 2]);
  assert.deepEqual(allPages(blind, 10).items, [1, 2]);
  // A retired node leaves and a new one arrives: the map's size is unchanged.
  m.delete("a");
  removals++;
  m.set("c", 3);
  assert.deepEqual(allPages(told, 10).items, [2, 3]);
  assert.deepEqual(allPages(blind, 10).items, [1, 2], "without the count the index cannot tell");
});
