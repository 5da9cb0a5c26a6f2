/**
 * `tools/harness/starve.ts`: the command and its children run inside the
 * cgroups (a busy loop at a twentieth of a core is throttled; a sleeping
 * command is frozen every cycle), the exit code passes through, the groups
 * are removed, and bad options are refused. Counts from the cgroups, no
 * timing. Needs root and cgroup v1 `cpu` and `freezer` (the review's
 * machines): elsewhere the tests say why and only check the refusal.
 */
import assert from "node:assert/strict";
import { parseFreeze, starve, unavailable } from "../tools/harness/starve.ts";

const why = unavailable({ cpu: 0.1, freeze: { ms: 1, everyMs: 2 } });

Deno.test("starve refuses bad options, saying which", () => {
  assert.deepEqual(parseFreeze("1500/3000"), { ms: 1500, everyMs: 3000 });
  assert.throws(() => parseFreeze("3000/1500"), /--freeze takes '<ms>\/<every ms>'.*'3000\/1500'/);
  assert.throws(() => parseFreeze("soon"), /got 'soon'/);
});

Deno.test({
  name:
    "A busy loop under starve --cpu 0.05 is throttled by its group, and its exit code passes through",
  ignore: why !== null,
  fn: async () => {
    const loop = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; exit 3";
    const r = await starve(["sh", "-c", loop], { cpu: 0.05 });
    assert.equal(r.code, 3);
    assert.ok(r.throttled > 0, `throttled in ${r.throttled} periods`);
    assert.equal(r.freezes, 0);
    const left = [...Deno.readDirSync("/sys/fs/cgroup/cpu")].filter((e) =>
      e.name.startsWith(`vigil_starve_${Deno.pid}_`)
    );
    assert.deepEqual(left, [], "the group is removed");
  },
});

Deno.test({
  name: "starve --freeze freezes the command's whole tree every cycle",
  ignore: why !== null,
  fn: async () => {
    // A child process of the command writes its own cgroup: it is in the freezer group too.
    const r = await starve([
      "sh",
      "-c",
      "sh -c 'cat /proc/self/cgroup' | grep -q vigil_starve_ && sleep 1",
    ], {
      freeze: { ms: 100, everyMs: 300 },
    });
    assert.equal(r.code, 0, "the grandchild runs inside the group");
    assert.ok(r.freezes >= 2, `frozen ${r.freezes} times in about 1 s`);
  },
});

if (why !== null) console.log(`starve_test: the cgroup tests are skipped here: ${why}`);
