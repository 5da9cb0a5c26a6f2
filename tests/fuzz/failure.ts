/**
 * A fuzz oracle that did not hold: which oracle (`kind`), at which step of
 * the session (-1 for the checks after the last step), and what was seen.
 *
 * @module
 */

/** Oracles of the ingest fuzzer. */
export type FailureKind =
  /** The ingest call, `advance` or `flush` threw. */
  | "threw"
  /** An error escaped to the event loop (a timer or a handler). */
  | "uncaught"
  /** An HTTP answer that is neither 202 nor a well-formed problem+json of a known reason. */
  | "answer"
  /** A refusal with reason `internal`: an unexpected error was caught. */
  | "internal"
  /** A valid batch with its node's token was refused. */
  | "refused_valid"
  /** The collector accepted a batch the reference decoder refuses. */
  | "decoder_disagrees"
  /** A batch with a sequence number past 2^53 - 1 was accepted. */
  | "unsafe_seq"
  /** A batch's answer differs from the accounting model. */
  | "accounting"
  /** Counters after the session differ from the model or from the answers. */
  | "counters"
  /** One input took longer than the stall limit. */
  | "stall"
  /** Memory grew past the bound for what was admitted. */
  | "memory";

/** An oracle failure with the step it happened at. */
export class FuzzFailure extends Error {
  readonly kind: FailureKind;
  /** Index of the failing step, -1 for the checks after the session. */
  step: number;
  /** What the failing step was (its note), empty for the checks after the session. */
  input = "";

  /**
   * Creates a failure.
   *
   * @example A stall at step 3
   * ```ts
   * import assert from "node:assert/strict";
   * import { FuzzFailure } from "./failure.ts";
   * const f = new FuzzFailure("stall", "Input took '2500' ms", 3);
   * assert.equal(f.signature, "stall: Input took 'N' ms");
   * ```
   */
  constructor(kind: FailureKind, message: string, step = -1, options?: ErrorOptions) {
    super(message, options);
    this.name = "FuzzFailure";
    this.kind = kind;
    this.step = step;
  }

  /** The failure in words: kind, step, message and input. */
  describe(): string {
    const at = this.step < 0 ? "after the session" : `at step ${this.step}`;
    return `${this.kind} ${at}: ${this.message}${
      this.input === "" ? "" : `\n  input: ${this.input}`
    }`;
  }

  /** The kind and message with numbers blanked: failures of one cause share it. */
  get signature(): string {
    const msg = this.message.split("\n")[0]!.replace(/\d+(\.\d+)?/g, "N").slice(0, 120);
    return `${this.kind}: ${msg}`;
  }
}
