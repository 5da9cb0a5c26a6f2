/**
 * What a child process writes, captured as it arrives: its stdout, its
 * stderr, and both in the order they came (what a test prints when it
 * fails). The harnesses that spawn `vigil`, the demo, collectors and
 * workerd read their processes' output through it.
 *
 * @module
 */

/** The streams a spawned child writes (`Deno.ChildProcess` with both piped). */
export interface PipedChild {
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;
}

/**
 * Reads a child's stdout and stderr as text until both end.
 *
 * @example The output of `deno eval`
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChildOutput } from "./child_output.ts";
 * const child = new Deno.Command(Deno.execPath(), {
 *   args: ["eval", "console.log('out'); console.error('err')"],
 *   stdout: "piped",
 *   stderr: "piped",
 * }).spawn();
 * const output = new ChildOutput(child);
 * await child.status;
 * await output.ended;
 * assert.equal(output.stdout, "out\n");
 * assert.equal(output.stderr, "err\n");
 * assert.match(output.text, /out\n/);
 * ```
 */
export class ChildOutput {
  #stdout = "";
  #stderr = "";
  #text = "";
  /** Settles when both streams have ended (or failed: a killed child's pipes may error). */
  readonly ended: Promise<void>;

  constructor(child: PipedChild) {
    this.ended = Promise.all([
      this.#pump(child.stdout, (s) => (this.#stdout += s)),
      this.#pump(child.stderr, (s) => (this.#stderr += s)),
    ]).then(() => {}, () => {});
  }

  /** Everything written to stdout so far. */
  get stdout(): string {
    return this.#stdout;
  }

  /** Everything written to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Both streams, in the order their chunks arrived. */
  get text(): string {
    return this.#text;
  }

  async #pump(stream: ReadableStream<Uint8Array>, add: (s: string) => void): Promise<void> {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      add(chunk);
      this.#text += chunk;
    }
  }
}
