import assert from "node:assert/strict";
import { cyclicStates, findLasso, type Graph } from "./lasso.ts";

/** Builds the CSR graph of `edges[i]` = successors of state i. */
function graph(edges: number[][]): Graph {
  const edgeStart = new Int32Array(edges.length + 1);
  const targets: number[] = [];
  edges.forEach((succ, i) => {
    edgeStart[i] = targets.length;
    targets.push(...succ);
  });
  edgeStart[edges.length] = targets.length;
  return { expanded: edges.length, edgeStart, edgeTarget: new Int32Array(targets) };
}

Deno.test("cyclicStates marks components with a cycle and self-loops only", () => {
  const g = graph([[1], [2], [1, 3], [3], [0]]);
  const { cyclic } = cyclicStates(g, () => true, 5);
  assert.deepEqual([...cyclic], [0, 1, 1, 1, 0]);
});

Deno.test("findLasso ignores cycles through states where eventually holds", () => {
  // 0 -> 1 -> 2 -> 1: Q holds in 2, so no cycle avoids it.
  const g = graph([[1], [2], [1]]);
  assert.equal(findLasso(g, (i) => i === 1, (i) => i === 2, 3), null);
});

Deno.test("findLasso follows not-Q states from the P state to a cycle", () => {
  // 0 (P) -> 1 -> 2 -> 3 -> 2; 0 -> 4 (Q) -> 4.
  const g = graph([[1, 4], [2], [3], [2], [4]]);
  const lasso = findLasso(g, (i) => i === 0, (i) => i === 4, 5);
  assert.ok(lasso);
  assert.equal(lasso.start, 0);
  assert.deepEqual(lasso.stem, [0, 1, 2]);
  assert.deepEqual(lasso.cycle, [2, 3, 2]);
});

Deno.test("findLasso finds a self-loop as a one-step cycle", () => {
  const g = graph([[1], [1]]);
  const lasso = findLasso(g, () => true, () => false, 2);
  assert.ok(lasso);
  assert.deepEqual(lasso.cycle, [1, 1]);
});

Deno.test("findLasso handles a long chain without recursion", () => {
  const n = 200000;
  const edges = Array.from({ length: n }, (_, i) => [(i + 1) % n]);
  const lasso = findLasso(graph(edges), (i) => i === 5, () => false, n);
  assert.ok(lasso);
  assert.equal(lasso.cycle.length, n + 1);
});
