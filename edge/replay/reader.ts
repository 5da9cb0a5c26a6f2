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
 * One line as {@link LineReader.pullRaw} hands it out: its bytes where
 * they stand in the chunk read (`bytes[start..end)`, without the newline
 * and a trailing `\r`), decoded only when {@link RawLine.text} is asked
 * for. One object per reader, reused for every line: read it during the
 * call only.
 *
 * Where the line ends is found when first asked ({@link RawLine.end}),
 * unless the handler already found its newline while scanning its bytes
 * and said so ({@link RawLine.endAt}, as `FieldFinder.findLine` finds
 * it): then the line's bytes are scanned once, not twice.
 *
 * @example The bytes and the text of a line
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineReader, type RawLine } from "./reader.ts";
 * const reader = new LineReader(new Blob(['{"a":1}\n{"b":"é"}\r\n{"c":3}\n']).stream());
 * const seen: string[] = [];
 * const onLine = (line: RawLine) => {
 *   const b = line.bytes;
 *   seen.push(`${line.number}:${b === null ? "text" : b[line.start] === 123 ? "{" : "?"}:${line.text()}`);
 * };
 * while (await reader.pullRaw(onLine));
 * // The first line of a stream is decoded (that is where a byte order mark is removed).
 * assert.deepEqual(seen, ['1:text:{"a":1}', '2:{:{"b":"é"}', '3:{:{"c":3}']);
 * ```
 */
export class RawLine {
  /** The chunk holding the line's bytes, or null when the line was decoded as it was read. */
  bytes: Uint8Array | null = null;
  /** Where the line starts in {@link bytes}. */
  start = 0;
  /**
   * A newline of {@link bytes} at or after the line's own (the chunk's
   * last): a scan from {@link start} that stops at the first newline stops
   * at or before it.
   */
  limit = 0;
  /** The line's 1-based number. */
  number = 0;
  /**
   * The number of the chunk {@link bytes} is (unique in the process: the
   * lines of one chunk share it), so a scanner of a whole chunk's lines
   * (`line_scan.ts`) knows its results are of these bytes; 0 when not
   * numbered (each line is then scanned alone).
   */
  chunk = 0;
  /** The newline ending the line in {@link bytes}, or -1 while not found. */
  #newline = -1;
  #end = 0;
  #text: string | null = null;
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  /** Just past the line's last byte in {@link bytes} (the newline and a `\r` excluded). */
  get end(): number {
    if (this.#newline < 0 && this.bytes !== null) {
      this.endAt(this.bytes.indexOf(10, this.start));
    }
    return this.#end;
  }

  /** The index of the newline ending the line in {@link bytes} (found now if not yet). */
  get newline(): number {
    if (this.#newline < 0 && this.bytes !== null) {
      this.endAt(this.bytes.indexOf(10, this.start));
    }
    return this.#newline;
  }

  /**
   * Says where the line ends: `newline`, the index in {@link bytes} of the
   * first newline at or after {@link start} (found by the caller while
   * scanning the line).
   */
  endAt(newline: number): void {
    const b = this.bytes!;
    this.#newline = newline;
    this.#end = newline > this.start && b[newline - 1] === 13 ? newline - 1 : newline;
  }

  /** The line's text, decoded on first use (the text `LineReader.pull` gives for it). */
  text(): string {
    if (this.#text === null) {
      this.#text = this.#decoder.decode(this.bytes!.subarray(this.start, this.end));
    }
    return this.#text;
  }

  /**
   * Points at the bytes of the next line, starting at `start`; its end is
   * the first newline after it, at or before `limit`. `chunk` numbers the
   * bytes (see {@link chunk}): never the same number for other bytes.
   */
  setBytes(bytes: Uint8Array, start: number, limit: number, number: number, chunk = 0): void {
    this.bytes = bytes;
    this.start = start;
    this.limit = limit;
    this.number = number;
    this.chunk = chunk;
    this.#newline = -1;
    this.#text = null;
  }

  /** Holds the next line as text (read across chunks, or the first of the stream). */
  setText(text: string, number: number): void {
    this.bytes = null;
    this.start = 0;
    this.limit = 0;
    this.#newline = -1;
    this.#end = 0;
    this.number = number;
    this.#text = text;
  }
}

/**
 * Called for every line by {@link LineReader.pullRaw}.
 *
 * @example Count lines that open an object
 * ```ts
 * import type { RawLineHandler } from "./reader.ts";
 * let objects = 0;
 * const onLine: RawLineHandler = (line) => {
 *   if (line.bytes !== null ? line.bytes[line.start] === 123 : line.text().startsWith("{")) objects++;
 * };
 * ```
 */
export type RawLineHandler = (line: RawLine) => void;

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

/** Chunks read in place so far in this process (`RawLine.chunk`). */
let chunks = 0;

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
  /**
   * The stream's decoder. It keeps byte order marks: Deno's removes one at
   * the start of every `decode` call's text, so where chunks happened to
   * split the bytes decided which marks were removed; the one at the start
   * of the stream is removed here ({@link #decode}).
   */
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** True once the stream's first character was decoded (a mark there is removed). */
  #started = false;
  readonly #max: number;
  #carry = "";
  #line = 0;
  #bytes = 0;
  #done = false;
  /**
   * For {@link pullRaw}: the next line begins in what the decoder was fed
   * (the stream's start, or the end of the last chunk), so it is decoded.
   */
  #tail = true;
  readonly #raw = new RawLine();
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
      const rest = this.#carry + this.#decode(undefined, false);
      this.#carry = "";
      if (rest.length > 0) this.#emit(rest, onLine);
      this.#done = true;
      return false;
    }
    this.#bytes += r.value.byteLength;
    const text = this.#decode(r.value, true);
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

  /**
   * {@link pull}, handing out each line's bytes where they stand in the
   * chunk ({@link RawLine}), decoded only when asked: the same lines with
   * the same numbers and texts. A line read across chunks, and the
   * stream's first line (where a byte order mark is removed), come
   * decoded. Use one of `pull` and `pullRaw` on a reader, not both.
   */
  async pullRaw(onLine: RawLineHandler): Promise<boolean> {
    if (this.#done) return false;
    const r = await (this.#ahead ?? this.#reader.read());
    this.#ahead = r.done ? null : this.#reader.read();
    const raw = this.#raw;
    if (r.done) {
      const rest = this.#carry + this.#decode(undefined, false);
      this.#carry = "";
      if (rest.length > 0) this.#emitText(rest, onLine);
      this.#done = true;
      return false;
    }
    const b = r.value;
    this.#bytes += b.byteLength;
    const last = b.lastIndexOf(10);
    if (last < 0) {
      this.#carry = this.#clip(this.#carry + this.#decode(b, true));
      this.#tail = true;
      return true;
    }
    let start = 0;
    if (this.#tail) {
      // Through the newline, so an unfinished character before it ends as the whole-stream decoding ends it.
      const nl = b.indexOf(10);
      const head = this.#decode(b.subarray(0, nl + 1), true);
      this.#emitText(this.#carry + head.slice(0, head.length - 1), onLine);
      this.#carry = "";
      start = nl + 1;
    }
    // Each line's end is found by the handler's scan of its bytes (`RawLine.endAt`), or after it.
    const chunk = ++chunks;
    while (start <= last) {
      raw.setBytes(b, start, last, ++this.#line, chunk);
      onLine(raw);
      start = raw.newline + 1;
    }
    this.#tail = start < b.length;
    if (this.#tail) this.#carry = this.#clip(this.#decode(b.subarray(start), true));
    return true;
  }

  /** Decodes the next bytes of the stream (none: the end), without the stream's leading mark. */
  #decode(bytes: Uint8Array | undefined, stream: boolean): string {
    const text = stream ? this.#decoder.decode(bytes, { stream }) : this.#decoder.decode();
    if (this.#started || text.length === 0) return text;
    this.#started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  #emitText(line: string, onLine: RawLineHandler): void {
    const n = line.length;
    this.#raw.setText(
      n > 0 && line.charCodeAt(n - 1) === 13 ? line.slice(0, n - 1) : line,
      ++this.#line,
    );
    onLine(this.#raw);
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
