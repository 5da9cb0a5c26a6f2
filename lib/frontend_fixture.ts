/**
 * Test helpers for the front end's tests: the Lease spec (`specs/lease.vigil`) as
 * source, and a source parsed and checked into its {@link Program},
 * asserting that neither step reports a diagnostic. Not part of the
 * public API.
 *
 * @module
 */
import assert from "node:assert/strict";
import { check } from "./types/checker.ts";
import type { Program } from "./ir.ts";
import { parse } from "./syntax/parser.ts";

/** The Lease spec (the same text as `specs/lease.vigil`). */
export const LEASE = `spec Lease
  const MaxClient = 3
  type Client = 0..MaxClient
  type Mode = enum { free, held }
  state mode: Mode = free
  state owner: Client = 0
  state token: int = 0
  state granted: map[Client, int] = 0

  init
    token := 0

  action acquire(c: Client)
    require mode == free
    mode := held
    owner := c
    token := token + 1
    granted[c] := token + 1

  action release(c: Client)
    require mode == held and owner == c
    mode := free

  invariant TokenNeverGoesBack
    token >= prev(token)

  invariant OwnerHasLatestToken
    mode == held implies granted[owner] == token

  liveness HolderReleases within 30s
    when mode == held then eventually mode == free

  global invariant OneHolder
    forall a, b in nodes: a.mode == held and b.mode == held implies a == b

  global liveness SomeoneCanAcquire within 60s
    when exists n in nodes: n.mode == held then eventually forall n in nodes: n.mode == free
`;

/**
 * Parses and checks `source`; asserts there is no parse or check
 * diagnostic and returns the program.
 *
 * @example The Lease program
 * ```ts
 * import assert from "node:assert/strict";
 * import { LEASE, program } from "./frontend_fixture.ts";
 * assert.ok(program(LEASE).actions[0]?.name === "acquire");
 * ```
 */
export function program(source: string): Program {
  const parsed = parse(source);
  assert.deepEqual(parsed.diagnostics, []);
  const { program, diagnostics } = check(parsed, source);
  assert.deepEqual(diagnostics.map((d) => `${d.code}: ${d.message}`), []);
  assert.ok(program !== null);
  return program;
}
