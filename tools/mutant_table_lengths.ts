/**
 * The planted bugs of the length limits on keys and ids (`maxKeyBytes`,
 * `maxIdBytes`: the collector's admission and decoder, the SDK's checks at
 * the source, the decoder's interner, replay's exemption), part of the
 * table of `deno task mutants` (`tools/mutant_table.ts`, which says how an
 * entry is read and kept up to date).
 *
 * @module
 */
import type { Mutant } from "./mutant_table.ts";

const LENGTH_TESTS = ["tests/collector_length_limits_test.ts"];

/** The length limits' planted bugs. */
export const LENGTH_MUTANTS: readonly Mutant[] = [
  {
    id: "limits/key-length-unchecked",
    bug:
      "a batch's longest key is never compared with maxKeyBytes: a key of any length (up to the batch's 1 MiB) becomes a partition",
    file: "edge/engine/admission.ts",
    from: "      this.#keyScan || c.longestKey > this.limits.maxKeyBytes ||\n",
    to: "      this.#keyScan ||\n",
    tests: LENGTH_TESTS,
  },
  {
    id: "limits/short-keys-not-scanned",
    bug:
      "a maxKeyBytes under 31 relies on the decoder's longest key, which leaves out the fast path's short keys: a 17-byte key passes a limit of 16",
    file: "edge/engine/admission.ts",
    from: "this.#keyScan = limits.maxKeyBytes < SHORT_KEY_BYTES;",
    to: "this.#keyScan = false;",
    tests: LENGTH_TESTS,
  },
  {
    id: "limits/general-path-key-not-measured",
    bug:
      "the decoder's general path (a long or non-ASCII key) does not note its key's length: a 4,097-byte key is admitted",
    file: "lib/wire/batch_grammar.ts",
    from: "    if (len > longest) longest = len;",
    to: "",
    tests: LENGTH_TESTS,
  },
  {
    id: "limits/object-batch-key-not-measured",
    bug:
      "a batch given as objects (Collector.ingest) is laid out without its longest key: any key length is admitted there",
    file: "edge/engine/batch_columns.ts",
    from: "    c.longestKey = longest;",
    to: "    c.longestKey = 0;",
    tests: LENGTH_TESTS,
  },
  {
    id: "limits/held-long-key-refused",
    bug:
      "a key longer than maxKeyBytes is refused even when its partition is already held (restored from a snapshot taken under a larger limit), so that partition is no longer served",
    file: "edge/engine/admission.ts",
    from: "      if (table.get(key) !== undefined) continue;\n",
    to: "",
    tests: LENGTH_TESTS,
  },
  {
    id: "limits/ids-unchecked",
    bug:
      "a new stream's node and boot ids are never measured: ids of any length become nodes and streams",
    file: "edge/engine/admission.ts",
    from: "if (newStream) this.#admitIds(h);",
    to: "",
    tests: LENGTH_TESTS,
  },
  {
    id: "limits/id-characters-not-bytes",
    bug:
      "an id is measured in UTF-16 characters, not UTF-8 bytes: an id of 256 characters and 257 bytes is admitted",
    file: "edge/engine/admission.ts",
    from: "if (id.length * 3 <= max) continue;",
    to: "if (id.length <= max) continue;",
    tests: LENGTH_TESTS,
  },
  {
    id: "limits/dep-node-not-measured",
    bug:
      "the decoder does not note a dependency's node id length: a dependency may name a node id of any length",
    file: "lib/wire/batch_grammar.ts",
    from: "if (len > out.longestDepNode) out.longestDepNode = len;",
    to: "",
    tests: LENGTH_TESTS,
  },
  {
    id: "sdk/monitor-key-unchecked",
    bug:
      "a monitor takes a key longer than a collector admits by default: the user learns it only from the collector's refusals",
    file: "runtime/monitor/load_spec.ts",
    from: "    checkKeyLength(key, context.node);\n",
    to: "",
    tests: ["runtime/monitor/node_test.ts"],
  },
  {
    id: "sdk/pool-key-unchecked",
    bug: "a monitor pool opens an instance for a key longer than a collector admits by default",
    file: "runtime/monitor/monitor_pool.ts",
    from: "    checkKeyLength(key, this.#context.node);\n",
    to: "",
    tests: ["runtime/monitor/node_test.ts"],
  },
  {
    id: "sdk/boot-id-unchecked",
    bug: "createNode takes a boot id longer than a collector admits by default",
    file: "runtime/monitor/node.ts",
    from: '  checkIdLength("boot", boot, maxIdBytes);\n',
    to: "",
    tests: ["runtime/monitor/node_test.ts"],
  },
  {
    id: "sdk/key-bound-not-raised",
    bug:
      "a node's maxKeyBytes is ignored: a key its collector's raised limit admits is still refused in the SDK",
    file: "runtime/monitor/node.ts",
    from: "node.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES",
    to: "DEFAULT_MAX_KEY_BYTES",
    tests: ["runtime/monitor/node_test.ts"],
  },
  {
    id: "wire/intern-any-length",
    bug:
      "the decoder's interner keeps header strings of any length: 1,024 refused batches with 1 MiB boot ids leave about 1 GB held",
    file: "lib/wire/msgpack_reader.ts",
    from: "    if (n > INTERN_MAX_BYTES) return ascii(b, p, n);\n",
    to: "",
    tests: ["lib/wire/msgpack_reader_test.ts"],
  },
  {
    id: "replay/length-limits-applied",
    bug:
      "vigil replay's collector keeps the collector's default length limits: a log whose keys pass 4,096 bytes stops the replay with 'unexpected error' where it was judged",
    file: "edge/replay/judge.ts",
    from: "maxKeyBytes: Number.MAX_SAFE_INTEGER,",
    to: "maxKeyBytes: 4096,",
    tests: ["tests/replay_cli_test.ts"],
  },
];
