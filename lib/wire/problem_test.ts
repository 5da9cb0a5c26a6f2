import assert from "node:assert/strict";
import { PROBLEM_JSON, problemResponse, problemType } from "./problem.ts";

const conflict = {
  type: problemType("conflict"),
  title: "Concurrent transition",
  status: 409,
  detail: "Changed since loaded",
  key: "lock:a",
};

Deno.test("problemResponse answers with the problem's JSON, status and media type, and no challenge below 401's", async () => {
  const res = problemResponse(conflict);
  assert.equal(res.status, 409);
  assert.equal(res.headers.get("content-type"), PROBLEM_JSON);
  assert.equal(res.headers.get("www-authenticate"), null);
  assert.deepEqual(await res.json(), {
    type: "urn:vigil:problem:conflict",
    title: "Concurrent transition",
    status: 409,
    detail: "Changed since loaded",
    key: "lock:a",
  });
});

Deno.test("A 401 problem carries a Bearer challenge that options.headers may replace", () => {
  const denied = { type: problemType("unauthorized"), title: "No token", status: 401, detail: "x" };
  assert.equal(problemResponse(denied).headers.get("www-authenticate"), 'Bearer realm="vigil"');
  const read = problemResponse(denied, {
    headers: { "www-authenticate": 'Bearer realm="vigil-read"', connection: "close" },
  });
  assert.equal(read.headers.get("www-authenticate"), 'Bearer realm="vigil-read"');
  assert.equal(read.headers.get("connection"), "close");
  assert.equal(read.headers.get("content-type"), PROBLEM_JSON);
});
