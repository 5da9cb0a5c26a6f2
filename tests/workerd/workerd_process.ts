/**
 * Test helper: `workerd serve` as a user runs it, a subprocess of the
 * workerd binary from npm (pinned in `tools/harness/npm_tool.ts`), with
 * every socket of the config moved to a free loopback port
 * (`--socket-addr <name>=127.0.0.1:0`) and the ports read back from
 * workerd's control messages (`--control-fd 1`: one JSON line per socket
 * on standard output, `{"event":"listen","socket":"<name>","port":<n>}`).
 *
 * @module
 */
import { npmTool } from "../../tools/harness/npm_tool.ts";
import { waitFor } from "../../tools/harness/wait.ts";
import { ChildOutput } from "../../tools/harness/child_output.ts";

/** Options of {@link startWorkerd}. */
export interface WorkerdOptions {
  /** The config's sockets, each moved to a free port on 127.0.0.1. */
  readonly sockets: readonly string[];
  /** Environment variables added to this process's (the config's `fromEnvironment` bindings). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for every socket to listen, ms. Default 30 000. */
  readonly timeoutMs?: number;
}

/** A running `workerd serve`. */
export interface WorkerdProcess {
  /** `http://127.0.0.1:<port>` of a socket of the config. */
  url(socket: string): string;
  /** Everything it printed so far (standard output, where Workers' console goes, and error). */
  output(): string;
  /** SIGTERM (SIGKILL after 5 s), then its exit status. */
  stop(): Promise<Deno.CommandStatus>;
}

interface ListenEvent {
  readonly event: "listen";
  readonly socket: string;
  readonly port: number;
}

/** The listen events among the lines printed so far. */
function listenEvents(text: string): Map<string, number> {
  const ports = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line.startsWith('{"event":"listen"')) continue;
    const e = JSON.parse(line) as ListenEvent;
    ports.set(e.socket, e.port);
  }
  return ports;
}

/**
 * Starts `workerd serve <config>`; rejects (after killing it) when a socket
 * does not listen within the time, or when workerd exits first.
 *
 * @example Serve the lease Worker's two nodes
 * ```ts ignore
 * const w = await startWorkerd(`${project}/config.capnp`, {
 *   sockets: ["edge-a", "edge-b"],
 *   env: { VIGIL_COLLECTOR_URL: collector.base, VIGIL_TOKEN_A: "ta", VIGIL_TOKEN_B: "tb" },
 * });
 * const res = await fetch(`${w.url("edge-a")}/locks/x`);
 * await w.stop();
 * ```
 */
export async function startWorkerd(
  config: string,
  options: WorkerdOptions,
): Promise<WorkerdProcess> {
  if (options.sockets.length === 0) throw new TypeError("Option 'sockets' names no socket");
  const workerd = await npmTool("workerd");
  const moved = options.sockets.flatMap((s) => ["--socket-addr", `${s}=127.0.0.1:0`]);
  const child = new Deno.Command(workerd, {
    args: ["serve", config, "--control-fd", "1", ...moved],
    env: { ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = new ChildOutput(child);
  let exited: Deno.CommandStatus | null = null;
  const status = child.status.then((s) => (exited = s));
  let ports: Map<string, number>;
  try {
    ports = await waitFor(() => {
      if (exited !== null) throw new Error(`workerd exited with code ${exited.code}`);
      const seen = listenEvents(output.text);
      return options.sockets.every((s) => seen.has(s)) && seen;
    }, {
      timeoutMs: options.timeoutMs ?? 30_000,
      intervalMs: 20,
      what: `workerd listening on ${options.sockets.map((s) => `'${s}'`).join(", ")}`,
      detail: () => output.text,
    });
  } catch (e) {
    if (exited === null) child.kill("SIGKILL");
    await status;
    await output.ended;
    throw new Error(`workerd did not start:\n${output.text}`, { cause: e });
  }
  return {
    url(socket) {
      const port = ports.get(socket);
      if (port === undefined) throw new RangeError(`No socket '${socket}' was started`);
      return `http://127.0.0.1:${port}`;
    },
    output: () => output.text,
    async stop() {
      if (exited === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => exited === null && child.kill("SIGKILL"), 5_000);
        await status;
        clearTimeout(killer);
      }
      await output.ended;
      return exited!;
    },
  };
}
