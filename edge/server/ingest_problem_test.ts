import assert from "node:assert/strict";
import { problem } from "./ingest_problem.ts";
import { PROBLEM_JSON, problemResponse } from "../../lib/wire/problem.ts";

Deno.test("problemResponse answers with the problem's status and media type", async () => {
  const res = problemResponse(problem("malformed", "Expected a map at '$'", { where: "$" }));
  assert.equal(res.status, 400);
  assert.equal(res.headers.get("content-type"), PROBLEM_JSON);
  const body = await res.json();
  assert.equal(body.type, "urn:vigil:problem:malformed");
  assert.equal(body.where, "$");
  assert.equal(body.reason, "malformed");
});

Deno.test("A 401 problem carries a Bearer challenge", () => {
  const res = problemResponse(problem("unauthorized", "No token"));
  assert.equal(res.status, 401);
  assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
  assert.equal(problemResponse(problem("too_large", "x")).status, 413);
});
