import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { compileToTemp } from "../../tools/harness/spec_files.ts";
import { LineExtractor } from "./extract.ts";
import { FastLineMapper } from "./fast_extract.ts";
import { parseMapping } from "./mapping.ts";
import { replaySpecs } from "./replay_spec.ts";
import { RawLine } from "./reader.ts";
import { rng as random } from "../../tools/harness/spec_mutations.ts";

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

/** Raw JSON texts of a field (undefined: absent), the plain ones most often. */
type Field = readonly (string | undefined)[];

/** A random line over `fields` (name -> its possible texts), in a random order, with noise. */
function line(rnd: () => number, fields: Readonly<Record<string, Field>>): string {
  const parts: string[] = [];
  for (const [name, texts] of Object.entries(fields)) {
    const t = pick(rnd, texts);
    if (t !== undefined) parts.push(`"${name}":${t}`);
  }
  const noise = [
    `"msg":"lock taken"`,
    `"deep":{"a":[1,{"b":null}]}`,
    `"level":"info"`,
    `"n2":-0.5e3`,
    `"esc":"a\\"b"`,
    `"lock":"L2"`, // a repeated key: the last one counts
    `"bad":12a`,
  ];
  if (rnd() < 0.3) parts.push(pick(rnd, noise));
  for (let i = parts.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
  }
  const sep = rnd() < 0.1 ? ", " : ",";
  const text = `{${parts.join(sep)}}`;
  const r = rnd();
  return r < 0.03 ? text.slice(0, -1) : r < 0.05 ? `${text} x` : r < 0.08 ? ` ${text} ` : text;
}

const COMMON: Readonly<Record<string, Field>> = {
  ts: [
    "1700000000123",
    "1700000000123",
    "12.375",
    '"1700000000123"',
    '"2026-03-01T12:00:00Z"',
    "1e400",
    "-7",
    "12a",
    undefined,
  ],
  host: ['"api-1"', '"api-1"', '"api-2"', '""', "7", "null", undefined],
  lock: ['"L1"', '"L1"', '"lock:ü"', '""', "3", '{"id":1}', '"L\\u0031"', undefined],
  type: ['"transition"', '"transition"', '"transition"', '"info"', "1", '{"t":1}', undefined],
  n: ["4", "4", "-1", "0", "1.5", '"3"', undefined],
};

let chunkNumbers = 1 << 30;

/**
 * Every line also read as the reader hands it out, its end not known yet
 * (`mapLine`): among the others' bytes, each ended by a newline, a `\r`
 * or white space before some; each must map as its text (as the reader
 * would give it) maps, and end where the reader says it ends.
 */
function compareLines(fast: FastLineMapper, lines: readonly string[], rnd: () => number): void {
  const seps = ["\n", "\n", "\r\n", " \r\n", "\r\r\n", "\t\n"];
  const parts = lines.map((text) => [text, pick(rnd, seps)] as const);
  const chunk = new TextEncoder().encode(parts.map(([t, sep]) => t + sep).join("") + "{");
  const last = chunk.lastIndexOf(10);
  const raw = new RawLine();
  // Numbered, so the lines are scanned a chunk at a time (`line_scan.ts`), as the reader hands them.
  const chunkNumber = ++chunkNumbers;
  let start = 0;
  parts.forEach(([t, sep], i) => {
    const withCr = t + sep.slice(0, -1);
    const text = withCr.endsWith("\r") ? withCr.slice(0, -1) : withCr;
    raw.setBytes(chunk, start, last, i + 1, chunkNumber);
    const got = fast.mapLine(raw, 0);
    assert.deepEqual(
      got,
      fast.map(text, 0, i + 1),
      `line ${JSON.stringify(t + sep)} read in place`,
    );
    assert.equal(raw.text(), text);
    const newline = chunk.indexOf(10, start);
    assert.equal(raw.newline, newline);
    start = newline + 1;
  });
}

/** Compares the fast path with the general one on random lines; returns how many the fast path mapped. */
function compare(
  extractor: LineExtractor,
  fast: FastLineMapper,
  lines: readonly string[],
  rnd: () => number,
): number {
  compareLines(fast, lines, rnd);
  let mapped = 0;
  // Every line also read where it stands among the others' bytes, as the reader hands them out.
  const chunk = new TextEncoder().encode(lines.join("\n"));
  let start = 0;
  lines.forEach((text, i) => {
    const quick = fast.map(text, 0, i + 1);
    let end = chunk.indexOf(10, start);
    if (end < 0) end = chunk.length;
    assert.deepEqual(fast.mapBytes(chunk, start, end, 0, i + 1), quick, `line ${text} in place`);
    start = end + 1;
    if (quick === undefined) return;
    mapped++;
    const general = extractor.mapGenerally(text, 0, i + 1);
    assert.deepEqual(quick === null ? "filtered" : quick, general, `line ${text}`);
  });
  return mapped;
}

Deno.test("FastLineMapper maps every plain line as the general path does (lease, random lines)", async () => {
  const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
  const rnd = random(7);
  for (const extra of [{}, { timeUnit: "us", seq: "n", actions: { take: "acquire" } }]) {
    const mapping = parseMapping({
      where: { type: ["transition", 1] },
      node: "host",
      key: "lock",
      time: "ts",
      action: "event",
      args: "args",
      ...extra,
    });
    const specs = replaySpecs([lease]);
    const fast = FastLineMapper.of(mapping, { specs, files: ["logs/a.ndjson"] });
    assert.ok(fast !== null);
    const extractor = new LineExtractor(mapping, specs, ["logs/a.ndjson"]);
    const lines = Array.from({ length: 20_000 }, () =>
      line(rnd, {
        ...COMMON,
        event: ['"acquire"', '"release"', '"take"', '"frob"', "3", undefined],
        args: [
          '{"c":1}',
          '{"c":2}',
          '{"c":0}',
          '{"c":-0}',
          '{ "c" : 3 }',
          '{"c":"2"}',
          '{"c":1.5}',
          "{}",
          '{"c":{"x":1}}',
          "[1]",
          '"x"',
          '{"c":1,"d":"y"}',
          '{"c":tru}',
          '{"c":1,"c":2}',
          undefined,
        ],
      }));
    const mapped = compare(extractor, fast, lines, rnd);
    // Most lines are plain: the fast path must take a good share, or the comparison proves little.
    assert.ok(mapped > 2_000, `fast path mapped ${mapped} of ${lines.length}`);
  }
});

Deno.test("FastLineMapper reads enum and bool arguments as the general path does", async () => {
  const source = `spec Knobs
  type Role = enum { idle, lead, follow }
  state role: Role = idle
  state on: bool = false

  action go(r: Role, b: bool)
    role := r
    on := b

  action stop
    on := false
`;
  const compiled = await compileToTemp("knobs", source);
  try {
    const mapping = parseMapping({
      node: { const: "n1" },
      key: "k",
      time: "t",
      action: "a",
      args: "p",
    });
    const specs = replaySpecs([compiled.spec]);
    const fast = FastLineMapper.of(mapping, { specs, files: ["x.log"] })!;
    const extractor = new LineExtractor(mapping, specs, ["x.log"]);
    const rnd = random(11);
    const lines = Array.from({ length: 5_000 }, () =>
      line(rnd, {
        t: ["5", "6.25"],
        k: ['"k1"', '"k2"'],
        a: ['"go"', '"go"', '"stop"', '"halt"'],
        p: [
          '{"r":"lead","b":true}',
          '{"b":false,"r":"idle"}',
          '{"r":"zzz","b":true}',
          '{"r":1,"b":true}',
          '{"r":"lead","b":"true"}',
          '{"r":"lead"}',
          "{}",
          undefined,
        ],
      }));
    const mapped = compare(extractor, fast, lines, rnd);
    assert.ok(mapped > 1_000, `fast path mapped ${mapped} of ${lines.length}`);
  } finally {
    await Deno.remove(compiled.dir, { recursive: true });
  }
});

Deno.test("FastLineMapper is not used for mappings it does not read plainly", async () => {
  const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
  const specs = replaySpecs([lease]);
  const base = { node: "host", key: "lock", time: "ts", action: "event", args: "args" };
  assert.ok(FastLineMapper.of(parseMapping(base), { specs, files: [] }) !== null);
  for (
    const other of [
      { ...base, node: "ctx.host" },
      { ...base, state: "after" },
      { ...base, args: { c: "c" } },
      { ...base, time: undefined, hlc: "clock" },
      { ...base, receives: "got" },
      { mappings: [base, base] },
    ]
  ) {
    assert.equal(
      FastLineMapper.of(parseMapping(other), { specs, files: [] }),
      null,
      JSON.stringify(other),
    );
  }
});
