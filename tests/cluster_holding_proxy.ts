/**
 * Test helper: a TCP proxy between NATS clients and a real nats-server, on
 * a free loopback port, that can hold chosen client messages in transit.
 * It reads the client protocol (`PUB`/`HPUB` frames with their payload,
 * other operations one line each) and forwards every frame at once except
 * the publishes whose subject a {@link HoldRule} matches: those are written
 * to the server `ms` after they arrived, while the frames after them go on
 * (a request stuck on its way, e.g. behind a stepping-down stream leader,
 * while later requests of the same client pass), on another subject when
 * the rule says so (`reroute`: one nobody serves makes the server answer
 * "no responders" at once, as when JetStream cannot serve a request).
 * Server-to-client bytes
 * are forwarded as they come. Loops end with the sockets; {@link stop}
 * closes everything (held frames not yet written are dropped).
 *
 * @module
 */

/** Which publishes to hold, and for how long. */
export interface HoldRule {
  /** Subjects to hold (exact). */
  readonly subject: string;
  /** How many of the next matching publishes to hold (Infinity: all until changed). */
  readonly count: number;
  /** How long each is held, ms from its arrival. */
  readonly ms: number;
  /** Written on this subject instead (its reply subject kept). Default: its own. */
  readonly reroute?: string;
}

/** A running proxy. */
export interface HoldingProxy {
  /** `nats://127.0.0.1:<port>` to connect to instead of the server. */
  readonly url: string;
  /** Holds the next publishes on `rule.subject` (replaces that subject's previous rule). */
  hold(rule: HoldRule): void;
  /** Publishes held so far (all rules): subject and reply subject of each, in arrival order. */
  readonly held: readonly { readonly subject: string; readonly reply: string | null }[];
  /** Held publishes already written to the server. */
  readonly released: number;
  /** Closes the listener, every connection, and drops frames still held. */
  stop(): Promise<void>;
}

const dec = new TextDecoder();
const enc = new TextEncoder();

/** Index of `\r\n` in `buf` from `from`, or -1. */
function crlf(buf: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10) return i;
  }
  return -1;
}

/** One client protocol operation, whole. */
interface Frame {
  readonly bytes: Uint8Array;
  /** The subject of a `PUB`/`HPUB`, else null. */
  readonly subject: string | null;
  /** Its reply subject, if any. */
  readonly reply: string | null;
}

/**
 * Splits the client's bytes into protocol frames: each whole frame as
 * `{ bytes, subject }` (subject set for `PUB`/`HPUB`), and the rest kept.
 */
function frames(buf: Uint8Array): { frames: Frame[]; rest: Uint8Array } {
  const out: Frame[] = [];
  let at = 0;
  for (;;) {
    const eol = crlf(buf, at);
    if (eol < 0) break;
    const line = dec.decode(buf.subarray(at, eol));
    const parts = line.trim().split(/\s+/);
    const op = parts[0]!.toUpperCase();
    let end = eol + 2;
    let subject: string | null = null;
    let reply: string | null = null;
    if (op === "PUB" || op === "HPUB") {
      const size = Number(parts[parts.length - 1]);
      if (!Number.isInteger(size) || size < 0) {
        throw new Error(`Proxy: cannot read the size of '${line}'`);
      }
      end = eol + 2 + size + 2;
      if (end > buf.length) break;
      subject = parts[1] ?? null;
      // PUB subject [reply] size; HPUB subject [reply] header-size total-size.
      reply = parts.length === (op === "PUB" ? 4 : 5) ? parts[2]! : null;
    }
    out.push({ bytes: buf.slice(at, end), subject, reply });
    at = end;
  }
  return { frames: out, rest: buf.slice(at) };
}

/** `frame` with the subject of its `PUB`/`HPUB` line replaced by `subject` (sizes unchanged). */
function rerouted(frame: Frame, subject: string): Uint8Array {
  const eol = crlf(frame.bytes, 0);
  const parts = dec.decode(frame.bytes.subarray(0, eol)).trim().split(/\s+/);
  parts[1] = subject;
  return concat(enc.encode(parts.join(" ")), frame.bytes.subarray(eol));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

/**
 * Starts a proxy to the nats-server on `port` (127.0.0.1).
 *
 * @example Hold the next renewal of lease 1 for 3 s
 * ```ts ignore
 * const proxy = await startHoldingProxy(server.port);
 * proxy.hold({ subject: "$KV.VIGIL_CLUSTER.lease.k.1", count: 1, ms: 3000 });
 * ```
 */
export function startHoldingProxy(port: number): Promise<HoldingProxy> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const rules = new Map<string, HoldRule>();
  const held: { subject: string; reply: string | null }[] = [];
  let released = 0;
  let stopped = false;

  const close = (c: Deno.Conn) => {
    if (!conns.delete(c)) return;
    try {
      c.close();
    } catch {
      // already closed
    }
  };

  async function pipe(from: Deno.Conn, onBytes: (b: Uint8Array) => Promise<void>): Promise<void> {
    const buf = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        await onBytes(buf.slice(0, n));
      }
    } catch {
      // a socket closed: the other side is closed below
    }
  }

  async function serve(client: Deno.Conn): Promise<void> {
    let server: Deno.Conn;
    try {
      server = await Deno.connect({ hostname: "127.0.0.1", port });
    } catch {
      close(client);
      return;
    }
    conns.add(server);
    // Frames to the server in order, one at a time (a held frame joins the queue when due).
    let queue = Promise.resolve();
    const send = (bytes: Uint8Array) => {
      queue = queue.then(() => writeAll(server, bytes)).catch(() => {});
      return queue;
    };
    let rest: Uint8Array = new Uint8Array(0);
    const up = pipe(client, async (b) => {
      const split = frames(rest.length === 0 ? b : concat(rest, b));
      rest = split.rest;
      for (const f of split.frames) {
        const r = f.subject === null ? undefined : rules.get(f.subject);
        if (r !== undefined && r.count > 0) {
          rules.set(r.subject, { ...r, count: r.count - 1 });
          held.push({ subject: r.subject, reply: f.reply });
          const bytes = r.reroute === undefined ? f.bytes : rerouted(f, r.reroute);
          const t = setTimeout(() => {
            timers.delete(t);
            if (stopped) return;
            released++;
            void send(bytes);
          }, r.ms);
          timers.add(t);
          continue;
        }
        await send(f.bytes);
      }
    });
    const down = pipe(server, (b) => writeAll(client, b));
    await Promise.race([up, down]);
    close(client);
    close(server);
    await Promise.allSettled([up, down]);
  }

  const accepting = (async () => {
    for (;;) {
      let c: Deno.Conn;
      try {
        c = await listener.accept();
      } catch {
        return;
      }
      if (stopped) {
        c.close();
        return;
      }
      conns.add(c);
      void serve(c);
    }
  })();

  return Promise.resolve({
    url: `nats://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    hold(r) {
      rules.set(r.subject, r);
    },
    get held() {
      return held;
    },
    get released() {
      return released;
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      try {
        listener.close();
      } catch {
        // closed
      }
      for (const c of [...conns]) close(c);
      await accepting;
    },
  });
}
