/**
 * Content hashes for provenance and SBOMs: SHA-256 through WebCrypto, so the
 * module stays runtime-neutral (no `node:crypto`, no `Deno.*`).
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * The SHA-256 digest of bytes or of a string's UTF-8 encoding, as lowercase hex.
 *
 * @example Hash a spec source
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Hex } from "./hash.ts";
 * const hex = await sha256Hex("abc");
 * assert.ok(hex === "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * ```
 */
export async function sha256Hex(data: Uint8Array | ArrayBuffer | string): Promise<string> {
  const bytes = typeof data === "string"
    ? encoder.encode(data)
    : data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : data;
  // WebCrypto wants an ArrayBuffer-backed view; copy only views of a SharedArrayBuffer.
  const owned: Uint8Array<ArrayBuffer> = bytes.buffer instanceof ArrayBuffer
    ? bytes as Uint8Array<ArrayBuffer>
    : new Uint8Array(bytes);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", owned));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
