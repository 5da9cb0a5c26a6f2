/**
 * A hand-written `SpecMeta` for the Lease spec (`specs/lease.vigil`), so the
 * TypeScript and provenance generators can be tested without the compiler.
 * Line numbers follow `specs/lease.vigil`.
 *
 * @module
 */
import type { SpecMeta, TypeDesc } from "../../lib/abi/meta.ts";
import type { SourceRange } from "../../lib/abi/source_range.ts";
import type { VerdictEntry, VerdictKind } from "../../lib/abi/verdict_codes.ts";

function at(line: number, column: number, endColumn: number, endLine = line): SourceRange {
  return { line, column, endLine, endColumn };
}

const client: TypeDesc = { kind: "range", lo: "0", hi: "3", name: "Client" };
const mode: TypeDesc = { kind: "enum", name: "Mode", labels: ["free", "held"] };
const int: TypeDesc = { kind: "int" };

function verdict(
  code: number,
  kind: VerdictKind,
  item: string,
  detail: string,
  range: SourceRange,
): VerdictEntry {
  return { code, kind, item, detail, range };
}

const header = at(1, 1, 11);

/** The Lease spec's metadata (source hash of the string `"lease"`). */
export const LEASE_META: SpecMeta = {
  abi: 1,
  name: "Lease",
  sourceHash: "a2fc9e7fdb7a8c1f1a24b6d7a8d2d67b0c3eb0ea1f6a2e12bb5a1c6a4cb0a3f1",
  stride: 48,
  slots: [
    { offset: 40, width: 1, signed: false },
    { offset: 41, width: 1, signed: false },
    { offset: 0, width: 8, signed: true },
    { offset: 8, width: 8, signed: true },
    { offset: 16, width: 8, signed: true },
    { offset: 24, width: 8, signed: true },
    { offset: 32, width: 8, signed: true },
  ],
  vars: [
    { name: "mode", type: mode, base: 0, size: 1, range: at(5, 3, 24) },
    { name: "owner", type: client, base: 1, size: 1, range: at(6, 3, 24) },
    { name: "token", type: int, base: 2, size: 1, range: at(7, 3, 22) },
    {
      name: "granted",
      type: { kind: "map", key: client, value: int },
      base: 3,
      size: 4,
      range: at(8, 3, 37),
    },
  ],
  initial: ["0", "0", "0", "0", "0", "0", "0"],
  actions: [
    {
      name: "acquire",
      stepExport: "step-acquire",
      checkExport: "check-acquire",
      params: [{ name: "c", type: client, code: 2 }],
      range: at(13, 3, 28, 17),
    },
    {
      name: "release",
      stepExport: "step-release",
      checkExport: "check-release",
      params: [{ name: "c", type: client, code: 6 }],
      range: at(19, 3, 18, 21),
    },
  ],
  invariants: [
    { name: "TokenNeverGoesBack", code: 9, range: at(23, 3, 25, 24) },
    { name: "OwnerHasLatestToken", code: 10, range: at(26, 3, 50, 27) },
  ],
  globalInvariants: [{ name: "OneHolder", code: 12, range: at(32, 3, 76, 33) }],
  liveness: [{
    name: "HolderReleases",
    code: 11,
    range: at(29, 3, 52, 30),
    withinMs: 30000,
    bit: 0,
  }],
  globalLiveness: [
    { name: "SomeoneCanAcquire", code: 13, range: at(35, 3, 95, 36), withinMs: 60000, bit: 0 },
  ],
  verdicts: [
    verdict(0, "ok", "", "", header),
    verdict(1, "unknown_action", "", "", header),
    verdict(2, "bad_argument", "action acquire", "c", at(13, 18, 27)),
    verdict(3, "guard_failed", "action acquire", "require mode == free", at(14, 5, 25)),
    verdict(4, "arith_error", "action acquire", "token + 1: overflow", at(17, 14, 23)),
    verdict(5, "arith_error", "action acquire", "token + 1: overflow", at(18, 19, 28)),
    verdict(6, "bad_argument", "action release", "c", at(19, 18, 27)),
    verdict(
      7,
      "guard_failed",
      "action release",
      "require mode == held and owner == c",
      at(20, 5, 40),
    ),
    verdict(8, "range_violation", "action acquire", "owner", at(16, 5, 15)),
    verdict(
      9,
      "invariant_failed",
      "invariant TokenNeverGoesBack",
      "token >= prev(token)",
      at(23, 3, 25, 24),
    ),
    verdict(
      10,
      "invariant_failed",
      "invariant OwnerHasLatestToken",
      "mode == held implies granted[owner] == token",
      at(26, 3, 50, 27),
    ),
    verdict(
      11,
      "liveness_timeout",
      "liveness HolderReleases",
      "eventually mode == free",
      at(29, 3, 52, 30),
    ),
    verdict(12, "invariant_failed", "global invariant OneHolder", "OneHolder", at(32, 3, 76, 33)),
    verdict(
      13,
      "liveness_timeout",
      "global liveness SomeoneCanAcquire",
      "SomeoneCanAcquire",
      at(35, 3, 95, 36),
    ),
  ],
  range: header,
};
