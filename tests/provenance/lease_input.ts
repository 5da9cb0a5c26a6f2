/**
 * A provenance input for the hand-written Lease metadata, with fixed hashes
 * and times, for the PROV-O, CycloneDX and SPDX generator tests.
 *
 * @module
 */
import type { ProvenanceInput } from "../../lib/gen/provenance_input.ts";
import { LEASE_META } from "./lease_meta.ts";

const hex = (byte: string) => byte.repeat(32);

/** The Lease compile: component, bindings, core module, class and WIT. */
export const LEASE_INPUT: ProvenanceInput = {
  meta: LEASE_META,
  source: { name: "lease.vigil", sha256: hex("a1") },
  artifacts: {
    "lease.wasm": hex("b2"),
    "lease.js": hex("c3"),
    "lease.core.wasm": hex("d4"),
    "lease.d.ts": hex("e5"),
    "lease.monitor.ts": hex("f6"),
    "lease.wit": hex("07"),
  },
  compiler: { name: "vigil", version: "0.1.0" },
  times: { start: "2026-01-01T00:00:00.000Z", end: "2026-01-01T00:00:01.250Z" },
};
