/**
 * A collector snapshot as one byte string, as the stores write it: a magic
 * head, the snapshot without its partitions as JSON (streams, nodes,
 * counters, violations, causal state: small), then each partition's packed
 * record (`packed_partition.ts`) as it is, so a persist copies the records
 * of the changed partitions instead of serializing objects.
 *
 * Layout: `VGS` and a format byte (1); a 32-bit big-endian length and that
 * many bytes of UTF-8 JSON; a 32-bit count of records; per record a 32-bit
 * length and its bytes. {@link decodeSnapshot} also reads a snapshot
 * saved as plain JSON (what the stores wrote before this format), told
 * apart by its first byte.
 *
 * @module
 */
import type { CollectorSnapshot, PartitionSnapshot } from "../engine/types.ts";
import { packSnapshot, unpackPartition } from "./packed_partition.ts";

const MAGIC = [0x56, 0x47, 0x53] as const;
const FORMAT = 1;
const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

/**
 * Encodes `snapshot` with `partitions` (default: all of its partitions;
 * a delta passes only the changed ones).
 *
 * @example Encode and decode
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSnapshot, encodeSnapshot } from "./snapshot_bytes.ts";
 * import type { CollectorSnapshot } from "../engine/types.ts";
 * const snap: CollectorSnapshot = {
 *   version: 1, takenAt: 5, streams: [], nodes: [], violations: [], counters: { events: 2 },
 *   partitions: [{
 *     spec: "h1", key: "lock:a", participants: [], history: [], lastApplied: null, lastPos: null,
 *     applied: 0, episode: 0, deadlines: [], incomplete: false, violations: 0,
 *   }],
 * };
 * assert.deepEqual(decodeSnapshot(encodeSnapshot(snap)), snap);
 * ```
 */
export function encodeSnapshot(
  snapshot: CollectorSnapshot,
  partitions: readonly PartitionSnapshot[] = snapshot.partitions,
): Uint8Array {
  const { partitions: _, ...rest } = snapshot;
  const json = enc.encode(JSON.stringify(rest));
  const records = partitions.map(packSnapshot);
  let size = 4 + 4 + json.length + 4;
  for (const r of records) size += 4 + r.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[3] = FORMAT;
  view.setUint32(4, json.length);
  out.set(json, 8);
  let at = 8 + json.length;
  view.setUint32(at, records.length);
  at += 4;
  for (const r of records) {
    view.setUint32(at, r.length);
    out.set(r, at + 4);
    at += 4 + r.length;
  }
  return out;
}

/**
 * True when `bytes` start as {@link encodeSnapshot}'s output (not a plain JSON snapshot).
 *
 * @example Tell the two formats apart
 * ```ts
 * import assert from "node:assert/strict";
 * import { isEncodedSnapshot } from "./snapshot_bytes.ts";
 * assert.equal(isEncodedSnapshot(new TextEncoder().encode("{}")), false);
 * ```
 */
export function isEncodedSnapshot(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === MAGIC[0] && bytes[1] === MAGIC[1] &&
    bytes[2] === MAGIC[2];
}

/**
 * Decodes what {@link encodeSnapshot} wrote, or a snapshot saved as plain
 * JSON, into plain objects (the partitions unpacked).
 *
 * @throws {RangeError} When the bytes are neither, saying where they stop making sense.
 *
 * @example A plain JSON snapshot still decodes
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSnapshot } from "./snapshot_bytes.ts";
 * const json = { version: 1, takenAt: 1, streams: [], partitions: [], nodes: [], violations: [], counters: {} };
 * assert.deepEqual(decodeSnapshot(new TextEncoder().encode(JSON.stringify(json))), json);
 * ```
 */
export function decodeSnapshot(bytes: Uint8Array): CollectorSnapshot {
  if (!isEncodedSnapshot(bytes)) return JSON.parse(dec.decode(bytes)) as CollectorSnapshot;
  if (bytes[3] !== FORMAT) {
    throw new RangeError(`Snapshot bytes have format '${bytes[3]}', expected '${FORMAT}'`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (at: number, n: number, what: string) => {
    if (at + n > bytes.length) {
      throw new RangeError(
        `Snapshot bytes end at ${bytes.length} inside ${what} (needs ${at + n})`,
      );
    }
  };
  need(4, 4, "the JSON length");
  const jsonLen = view.getUint32(4);
  need(8, jsonLen, "the JSON part");
  const rest = JSON.parse(dec.decode(bytes.subarray(8, 8 + jsonLen))) as Omit<
    CollectorSnapshot,
    "partitions"
  >;
  let at = 8 + jsonLen;
  need(at, 4, "the record count");
  const count = view.getUint32(at);
  at += 4;
  const partitions: PartitionSnapshot[] = [];
  for (let i = 0; i < count; i++) {
    need(at, 4, `the length of record ${i}`);
    const n = view.getUint32(at);
    need(at + 4, n, `record ${i}`);
    partitions.push(unpackPartition(bytes.subarray(at + 4, at + 4 + n)));
    at += 4 + n;
  }
  if (at !== bytes.length) {
    throw new RangeError(
      `Snapshot bytes have ${bytes.length - at} bytes after record ${count - 1}`,
    );
  }
  return { ...rest, partitions };
}
