/**
 * A line reader over a web-standard `ReadableStream<Uint8Array>` (a file's
 * `readable`, a `fetch` body, `DecompressionStream` output): UTF-8 decoded
 * in streaming mode, split on `\n` (a trailing `\r` is removed, a leading
 * byte order mark too), the last line kept even without a final newline.
 * Pull-based, one chunk at a time, so several files can be merged with
 * bounded memory; no per-line promise.
 *
 * @module
 */

/**
 * Called for every line, with its 1-based number.
 *
 * @example Collect the lines with their numbers
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LineHandler, LineReader } from "./reader.ts";
 * const seen: string[] = [];
 * const onLine: LineHandler = (line, n) => void seen.push(`${n}:${line}`);
 * const reader = new LineReader(new Blob(["a\nb\n"]).stream());
 * while (await reader.pull(onLine));
 * assert.deepEqual(seen, ["1:a", "2:b"]);
 * ```
 */
export type LineHandler = (line: string, lineNo: number) => void;

/**
 * Options of {@link LineReader}.
 *
 * @example A long unterminated line is cut to the limit
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineReader, type LineReaderOptions } from "./reader.ts";
 * const options: LineReaderOptions = { maxLineLength: 4 };
 * const reader = new LineReader(new Blob(["abcdefgh"]).stream(), options);
 * const seen: string[] = [];
 * while (await reader.pull((line) => void seen.push(line)));
 * assert.deepEqual(seen, ["abcd"]);
 * ```
 */
export interface LineReaderOptions {
  /**
   * Longest line kept, in UTF-16 code units; a longer line is passed as its
   * first `maxLineLength` units (the parser then reports it). Default 16 MiB.
   */
  readonly maxLineLength?: number;
}

/**
 * Reads lines from a byte stream, chunk by chunk.
 *
 * @example Lines and bytes read
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineReader } from "./reader.ts";
 * const reader = new LineReader(new Blob(["one\ntwo\n"]).stream());
 * while (await reader.pull(() => {}));
 * assert.deepEqual([reader.lines, reader.bytes, reader.done], [2, 8, true]);
 * ```
 */
export class LineReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: false });
  readonly #max: number;
  #carry = "";
  #line = 0;
  #bytes = 0;
  #done = false;
  /** The read in flight: started before the previous chunk is parsed, so I/O overlaps parsing. */
  #ahead: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;

  /**
   * Wraps a stream (the reader locks it).
   *
   * @example Count the lines of a stream
   * ```ts
   * import assert from "node:assert/strict";
   * import { LineReader } from "./reader.ts";
   * const body = new Blob(['{"a":1}\n{"a":2}']).stream();
   * const r = new LineReader(body);
   * let n = 0;
   * while (await r.pull(() => n++));
   * assert.equal(n, 2); // the last line needs no newline
   * ```
   */
  constructor(stream: ReadableStream<Uint8Array>, options: LineReaderOptions = {}) {
    this.#reader = stream.getReader();
    this.#max = options.maxLineLength ?? 16 * 1024 * 1024;
  }

  /** Lines handed out so far. */
  get lines(): number {
    return this.#line;
  }

  /** Bytes read so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True once the stream ended and every line was handed out. */
  get done(): boolean {
    return this.#done;
  }

  /**
   * Reads the next chunk and hands out its complete lines (at the end of
   * the stream, the rest). Returns false once the stream is exhausted.
   */
  async pull(onLine: LineHandler): Promise<boolean> {
    if (this.#done) return false;
    const r = await (this.#ahead ?? this.#reader.read());
    this.#ahead = r.done ? null : this.#reader.read();
    if (r.done) {
      const rest = this.#carry + this.#decoder.decode();
      this.#carry = "";
      if (rest.length > 0) this.#emit(rest, onLine);
      this.#done = true;
      return false;
    }
    this.#bytes += r.value.byteLength;
    const text = this.#decoder.decode(r.value, { stream: true });
    let start = 0;
    let nl = text.indexOf("\n");
    if (nl < 0) {
      this.#carry = this.#clip(this.#carry + text);
      return true;
    }
    if (this.#carry.length > 0) {
      this.#emit(this.#carry + text.slice(0, nl), onLine);
      this.#carry = "";
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    while (nl >= 0) {
      this.#emit(text.slice(start, nl), onLine);
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    this.#carry = this.#clip(text.slice(start));
    return true;
  }

  /** Stops reading and releases the stream. */
  async cancel(): Promise<void> {
    this.#done = true;
    this.#ahead?.catch(() => {});
    await this.#reader.cancel().catch(() => {});
  }

  #clip(s: string): string {
    return s.length > this.#max ? s.slice(0, this.#max) : s;
  }

  #emit(line: string, onLine: LineHandler): void {
    const n = line.length;
    onLine(n > 0 && line.charCodeAt(n - 1) === 13 ? line.slice(0, n - 1) : line, ++this.#line);
  }
}

/**
 * Reads a whole stream line by line.
 *
 * @example Collect lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLines } from "./reader.ts";
 * const lines: string[] = [];
 * await readLines(new Blob(["a\r\nb\n"]).stream(), (l) => void lines.push(l));
 * assert.deepEqual(lines, ["a", "b"]);
 * ```
 */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: LineHandler,
  options: LineReaderOptions = {},
): Promise<{ readonly lines: number; readonly bytes: number }> {
  const r = new LineReader(stream, options);
  while (await r.pull(onLine));
  return { lines: r.lines, bytes: r.bytes };
}
