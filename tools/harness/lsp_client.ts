/**
 * Test helper: a language client as an editor is one. It starts a server
 * process and speaks JSON-RPC 2.0 to it over the process's standard input
 * and output, each message framed by a `Content-Length` header counting
 * the UTF-8 bytes of its JSON body. Requests get their responses by id;
 * notifications from the server are kept, and a test waits for one
 * without polling (its promise resolves when it arrives);
 * requests from the server (`client/registerCapability`,
 * `workspace/configuration`) are answered with `null` as a client without
 * those features does.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";

/** A JSON-RPC error answered to a request. */
export class LspResponseError extends Error {
  override readonly name = "LspResponseError";
  /** The JSON-RPC error code (`-32803` for a request that failed). */
  readonly code: number;

  constructor(method: string, code: number, message: string) {
    super(`'${method}' failed with ${code}: ${message}`);
    this.code = code;
  }
}

/** A notification the server sent. */
export interface LspNotification {
  readonly method: string;
  readonly params: unknown;
}

/** Options of {@link LspClient.start}. */
export interface LspClientOptions {
  /** Working directory of the server. Default: the current one. */
  readonly cwd?: string;
  /** How long a request may wait for its response, ms. Default 30 000. */
  readonly timeoutMs?: number;
}

type Pending = {
  readonly method: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: Error) => void;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEADER_END = encoder.encode("\r\n\r\n");

/** The index of `needle` in `haystack`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Encodes one message with its `Content-Length` header.
 *
 * @example The length counts UTF-8 bytes, not characters
 * ```ts
 * import assert from "node:assert/strict";
 * import { frame } from "./lsp_client.ts";
 * const text = new TextDecoder().decode(frame({ s: "π" }));
 * assert.equal(text, 'Content-Length: 10\r\n\r\n{"s":"π"}'); // 9 characters, 10 bytes
 * ```
 */
export function frame(message: unknown): Uint8Array {
  const body = encoder.encode(JSON.stringify(message));
  const header = encoder.encode(`Content-Length: ${body.length}\r\n\r\n`);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/**
 * Splits framed messages off the front of `buffer`: the decoded messages
 * and the bytes left over (an incomplete message). Throws on a header
 * without a valid `Content-Length`.
 *
 * @example Two messages and the start of a third
 * ```ts
 * import assert from "node:assert/strict";
 * import { frame, unframe } from "./lsp_client.ts";
 * const a = frame({ id: 1 });
 * const b = frame({ id: 2 });
 * const bytes = new Uint8Array([...a, ...b, ...b.subarray(0, 5)]);
 * const { messages, rest } = unframe(bytes);
 * assert.deepEqual(messages, [{ id: 1 }, { id: 2 }]);
 * assert.equal(rest.length, 5);
 * ```
 */
export function unframe(buffer: Uint8Array): { messages: unknown[]; rest: Uint8Array } {
  const messages: unknown[] = [];
  let rest = buffer;
  for (;;) {
    const end = indexOf(rest, HEADER_END);
    if (end < 0) break;
    const header = decoder.decode(rest.subarray(0, end));
    const m = /(?:^|\r\n)Content-Length: *(\d+)/i.exec(header);
    if (m === null) throw new Error(`LSP message header without Content-Length: '${header}'`);
    const length = Number(m[1]);
    const start = end + HEADER_END.length;
    if (rest.length < start + length) break;
    messages.push(JSON.parse(decoder.decode(rest.subarray(start, start + length))));
    rest = rest.subarray(start + length);
  }
  return { messages, rest };
}

/**
 * A running language server and the client end of its connection.
 *
 * @example Initialize `vigil lsp` and shut it down
 * ```ts ignore
 * import { LspClient } from "./lsp_client.ts";
 * const client = LspClient.start(Deno.execPath(), ["run", "-A", "cli/main.ts", "lsp"]);
 * await client.request("initialize", { processId: null, rootUri: null, capabilities: {} });
 * client.notify("initialized", {});
 * await client.request("shutdown", null);
 * client.notify("exit", null);
 * const code = await client.exited;
 * ```
 */
export class LspClient {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  readonly #waiters = new Set<{
    readonly matches: (n: LspNotification) => boolean;
    readonly resolve: (n: LspNotification) => void;
    readonly reject: (e: Error) => void;
  }>();
  readonly #timeoutMs: number;
  #buffer: Uint8Array = new Uint8Array(0);
  #nextId = 1;
  #stderr = "";
  /** Every notification received, in order. */
  readonly notifications: LspNotification[] = [];
  /** Every request the server sent, by method, in order. */
  readonly serverRequests: string[] = [];
  /** Resolves with the server's exit code when it exits. */
  readonly exited: Promise<number>;

  private constructor(child: ChildProcess, timeoutMs: number) {
    this.#child = child;
    this.#timeoutMs = timeoutMs;
    child.stdout!.on("data", (chunk: Uint8Array) => this.#receive(chunk));
    child.stderr!.on("data", (chunk: Uint8Array) => {
      this.#stderr += decoder.decode(chunk);
    });
    this.exited = new Promise((resolve) => {
      child.on("exit", (code) => {
        for (const p of this.#pending.values()) {
          p.reject(new Error(`The server exited (code ${code}) before answering '${p.method}'`));
        }
        this.#pending.clear();
        for (const w of this.#waiters) {
          w.reject(new Error(`The server exited (code ${code}) before the awaited notification`));
        }
        this.#waiters.clear();
        resolve(code ?? -1);
      });
    });
  }

  /** Starts `command args...` as a language server. */
  static start(command: string, args: readonly string[], options: LspClientOptions = {}) {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    return new LspClient(child, options.timeoutMs ?? 30_000);
  }

  /** What the server wrote to standard error so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Sends a request; resolves with its result, rejects with {@link LspResponseError}. */
  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`No answer to '${method}' within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#send({ jsonrpc: "2.0", id, method, params });
    });
  }

  /** Sends a notification. */
  notify(method: string, params: unknown): void {
    this.#send({ jsonrpc: "2.0", method, params });
  }

  /**
   * Resolves with the first notification `method` received after the
   * `after`-th notification that `accept` accepts.
   */
  notification(
    method: string,
    options: { readonly after?: number; readonly accept?: (params: unknown) => boolean } = {},
  ): Promise<LspNotification> {
    const matches = (n: LspNotification) =>
      n.method === method && (options.accept?.(n.params) ?? true);
    const seen = this.notifications.slice(options.after ?? 0).find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        matches,
        resolve: (n: LspNotification) => {
          clearTimeout(timer);
          resolve(n);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`No notification '${method}' within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Kills the server if it is still running and waits for it to exit. */
  async close(): Promise<number> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill();
    return await this.exited;
  }

  #send(message: unknown): void {
    this.#child.stdin!.write(frame(message));
  }

  #receive(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    const { messages, rest } = unframe(joined);
    this.#buffer = rest;
    for (const m of messages) this.#dispatch(m as Record<string, unknown>);
  }

  #dispatch(m: Record<string, unknown>): void {
    const method = typeof m.method === "string" ? m.method : null;
    if (method !== null && m.id !== undefined) {
      this.serverRequests.push(method);
      this.#send({ jsonrpc: "2.0", id: m.id, result: null });
      return;
    }
    if (method !== null) {
      const n = { method, params: m.params };
      this.notifications.push(n);
      for (const w of this.#waiters) {
        if (!w.matches(n)) continue;
        this.#waiters.delete(w);
        w.resolve(n);
      }
      return;
    }
    const pending = this.#pending.get(m.id as number);
    if (pending === undefined) return;
    this.#pending.delete(m.id as number);
    const error = m.error as { code: number; message: string } | undefined;
    if (error !== undefined) {
      pending.reject(new LspResponseError(pending.method, error.code, error.message));
    } else pending.resolve(m.result);
  }
}
