/**
 * The ingest fuzzer's corpus (`tests/fuzz/corpus/`): a failing session,
 * minimised, kept as a JSON case (bytes in base64), one file per distinct
 * failure, and read back to be replayed as a regression
 * (`tests/ingest_fuzz_test.ts`).
 *
 * @module
 */
import type { Session, Step } from "./session.ts";
import type { TargetKind } from "./targets.ts";

/** A kept failing session (`tests/fuzz/corpus/*.json`). */
export interface CorpusCase {
  readonly kind: string;
  /** The failure when it was found. */
  readonly message: string;
  readonly path: TargetKind;
  /** Seed of the session it was minimised from. */
  readonly seed: number;
  readonly session: Session;
}

function toBase64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) {
    s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * A case as JSON text (bytes in base64).
 *
 * @example Round trip
 * ```ts ignore
 * assert.deepEqual(caseFromJson(caseToJson(c)), c);
 * ```
 */
export function caseToJson(c: CorpusCase): string {
  const steps = c.session.steps.map((s) =>
    s.kind === "advance" ? { advance: s.ms } : {
      send: toBase64(s.bytes),
      token: s.token,
      contentType: s.contentType,
      valid: s.valid,
      note: s.note,
    }
  );
  return JSON.stringify(
    {
      kind: c.kind,
      message: c.message,
      path: c.path,
      seed: c.seed,
      config: c.session.config,
      steps,
    },
    null,
    1,
  ) + "\n";
}

/** Reads a case written by {@link caseToJson}. */
export function caseFromJson(text: string): CorpusCase {
  const j = JSON.parse(text);
  const steps: Step[] = (j.steps as Record<string, unknown>[]).map((s) =>
    typeof s.advance === "number" ? { kind: "advance", ms: s.advance } : {
      kind: "send",
      bytes: fromBase64(String(s.send)),
      token: (s.token ?? null) as string | null,
      contentType: (s.contentType ?? null) as string | null,
      valid: s.valid === true,
      note: String(s.note ?? ""),
    }
  );
  return {
    kind: j.kind,
    message: j.message,
    path: j.path,
    seed: j.seed,
    session: { seed: j.seed, config: j.config, steps },
  };
}

/** The kept cases of a corpus directory, by file name. */
export async function readCorpus(dir: URL): Promise<[string, CorpusCase][]> {
  const out: [string, CorpusCase][] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile || !e.name.endsWith(".json")) continue;
      out.push([e.name, caseFromJson(await Deno.readTextFile(new URL(e.name, dir)))]);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * Writes a case into a corpus directory as `<kind>-<hash of the signature>.json`
 * (one file per distinct failure); returns its path.
 */
export async function writeCase(dir: URL, c: CorpusCase): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const sig = c.message.split("\n")[0]!.replace(/\d+(\.\d+)?/g, "N");
  const file = new URL(`${c.kind}-${fnv(sig)}.json`, dir).pathname;
  await Deno.writeTextFile(file, caseToJson(c));
  return file;
}
