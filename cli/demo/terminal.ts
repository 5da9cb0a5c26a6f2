/**
 * The demo's terminal output: on a terminal, one progress line refreshed in
 * place with messages printed above it; otherwise (a pipe, a log file) a
 * progress line every few updates and messages as they come.
 *
 * @module
 */
import { writeSync } from "node:fs";
import process from "node:process";

const encoder = new TextEncoder();
const CLEAR = "\r\x1b[2K";
const STDOUT = { writeSync: (bytes: Uint8Array): number => writeSync(1, bytes) };

/** Options of {@link Terminal}. */
export interface TerminalOptions {
  /** Where text goes. Default: standard output (file descriptor 1, written synchronously). */
  readonly out?: { writeSync(bytes: Uint8Array): number };
  /** Refresh in place. Default: whether standard output is a terminal. */
  readonly live?: boolean;
  /** Without `live`, print every n-th progress update. Default 5. */
  readonly every?: number;
}

/**
 * Progress and messages on standard output.
 *
 * @example Show progress, then a message
 * ```ts
 * import assert from "node:assert/strict";
 * import { Terminal } from "./terminal.ts";
 * const lines: string[] = [];
 * const out = { writeSync: (b: Uint8Array) => (lines.push(new TextDecoder().decode(b)), b.length) };
 * const t = new Terminal({ out, live: false, every: 1 });
 * t.progress("[ 1.0s] 1,000 events/s");
 * t.print("ALERT");
 * assert.ok(lines.join("") === "[ 1.0s] 1,000 events/s\nALERT\n");
 * ```
 */
export class Terminal {
  readonly #out: { writeSync(bytes: Uint8Array): number };
  readonly #live: boolean;
  readonly #every: number;
  #line = "";
  #updates = 0;

  /** Creates the renderer. */
  constructor(options: TerminalOptions = {}) {
    this.#out = options.out ?? STDOUT;
    this.#live = options.live ?? process.stdout.isTTY === true;
    this.#every = Math.max(1, options.every ?? 5);
  }

  #write(text: string): void {
    const bytes = encoder.encode(text);
    for (let off = 0; off < bytes.length;) off += this.#out.writeSync(bytes.subarray(off));
  }

  /** Shows a progress line (in place on a terminal). */
  progress(line: string): void {
    this.#line = line;
    if (this.#live) this.#write(CLEAR + line);
    else if (this.#updates++ % this.#every === 0) this.#write(line + "\n");
  }

  /** Prints a message (above the progress line on a terminal). */
  print(text: string): void {
    if (this.#live) this.#write(CLEAR + text + "\n" + this.#line);
    else this.#write(text + "\n");
  }

  /** Ends the progress line (before the last messages). */
  done(): void {
    if (this.#live && this.#line !== "") this.#write("\n");
    this.#line = "";
  }
}
