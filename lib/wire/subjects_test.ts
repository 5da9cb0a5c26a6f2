import assert from "node:assert/strict";
import fc from "../../tools/dev_deps/fast_check.ts";
import { alertSubject, eventSubject, subjectToken } from "./subjects.ts";

Deno.test("Subjects are two fixed tokens and one token of the spec name, whatever the name holds", () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 30 }),
      fc.stringMatching(/^[0-9a-f]{16,64}$/),
      (name, spec) => {
        for (const subject of [eventSubject({ spec, specName: name }), alertSubject(name)]) {
          const tokens = subject.split(".");
          assert.equal(tokens.length, 3, subject);
          assert.match(tokens[2]!, /^[A-Za-z0-9_-]+$/, subject);
        }
        assert.equal(subjectToken(name).length, name.length);
      },
    ),
  );
  assert.equal(eventSubject({ spec: "ab12", specName: "my.spec *>" }), "vigil.events.my_spec___");
  assert.equal(alertSubject(""), "vigil.alerts._");
  assert.equal(
    eventSubject({ spec: "0123456789abcdef99", specName: "" }),
    "vigil.events.0123456789abcdef",
  );
});
