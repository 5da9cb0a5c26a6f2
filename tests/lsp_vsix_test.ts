/**
 * `deno task package:vscode` (`tools/package_vscode.ts`) builds a `.vsix`
 * with the real `@vscode/vsce`, and the package is what VS Code needs: its
 * manifest names the language, its file extension and the grammar, the
 * grammar file inside is the repository's, the client's entry point and
 * its library are there, and the version is the project's. The `.vsix` (a
 * zip file) is read here with a small reader of its central directory.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { inflateRawSync } from "node:zlib";
import { packageVscode } from "../tools/package_vscode.ts";
import { ROOT } from "../tools/harness/spec_files.ts";

/** The files of a zip archive, by name. */
function unzip(zip: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  assert.ok(end >= 0, "the file is a zip archive (no end of central directory)");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = new Map<string, Uint8Array>();
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    assert.equal(view.getUint32(at, true), 0x02014b50, "a central directory entry");
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    const dataAt = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = zip.subarray(dataAt, dataAt + size);
    assert.ok(method === 0 || method === 8, `${name}: stored or deflated, not method ${method}`);
    files.set(name, method === 0 ? data : new Uint8Array(inflateRawSync(data)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

Deno.test("package:vscode builds a .vsix whose manifest names the language, its extension and the grammar, with the grammar, the client and its library inside", async () => {
  const out = await mkdtemp(`${tmpdir()}/vigil-vsix-`);
  try {
    const built = await packageVscode({ outDir: out, log: () => {} });
    const files = unzip(new Uint8Array(await readFile(built.path)));
    const text = (name: string) => {
      const bytes = files.get(name);
      assert.ok(bytes !== undefined, `'${name}' is in the package`);
      return new TextDecoder().decode(bytes);
    };
    const manifest = JSON.parse(text("extension/package.json"));
    const project = JSON.parse(await readFile(`${ROOT}deno.json`, "utf8"));
    assert.equal(manifest.version, project.version);
    assert.equal(built.version, project.version);
    const [language] = manifest.contributes.languages;
    assert.equal(language.id, "vigil");
    assert.deepEqual(language.extensions, [".vigil"]);
    const [grammar] = manifest.contributes.grammars;
    assert.equal(grammar.language, "vigil");
    assert.equal(grammar.scopeName, "source.vigil");
    const grammarPath = `extension/${grammar.path.replace(/^\.\//, "")}`;
    assert.equal(
      text(grammarPath),
      await readFile(`${ROOT}editor/vscode/syntaxes/vigil.tmLanguage.json`, "utf8"),
    );
    assert.equal(JSON.parse(text(grammarPath)).scopeName, "source.vigil");
    assert.ok(files.has(`extension/${language.configuration.replace(/^\.\//, "")}`));
    assert.ok(files.has(`extension/${manifest.main.replace(/^\.\//, "")}`));
    // The client library the entry point requires, at the version the extension names.
    const client = JSON.parse(text("extension/node_modules/vscode-languageclient/package.json"));
    assert.equal(client.version, manifest.dependencies["vscode-languageclient"]);
    const vsixManifest = text("extension.vsixmanifest");
    assert.match(vsixManifest, /<Identity [^>]*Id="vigil"/);
    assert.match(vsixManifest, /__ext_vigil/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
