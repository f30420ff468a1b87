/** @module Unit tests for the README line readers: shell words, lenient JSON, pyproject.toml. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { shellWords } from "../../../server/analyzer/shell_words.ts";
import { parseJsonish } from "../../../server/analyzer/jsonish.ts";
import { PyprojectError, readPyproject } from "../../../server/analyzer/pyproject.ts";
import { readManifests } from "../../../server/analyzer/manifests.ts";

const words = (line: string) => shellWords(line).words;

Deno.test("shell words - quotes, escapes and glued words", () => {
  assert.deepEqual(words(`npx -y pkg "a b" 'c d' e\\ f`), [
    "npx",
    "-y",
    "pkg",
    "a b",
    "c d",
    "e f",
  ]);
  assert.deepEqual(words(`API_KEY="x y" --name="My Server"`), ["API_KEY=x y", "--name=My Server"]);
  assert.deepEqual(words(`a "x\\"y" ""`), ["a", 'x"y', ""]);
  assert.deepEqual(words("~/Library/Application\\ Support/x.json"), [
    "~/Library/Application Support/x.json",
  ]);
});

Deno.test("shell words - documentation placeholders stay literal", () => {
  assert.deepEqual(words("npx pkg --key <YOUR_KEY> --mode <stdio|http> <your api key>"), [
    "npx",
    "pkg",
    "--key",
    "<YOUR_KEY>",
    "--mode",
    "<stdio|http>",
    "<your api key>",
  ]);
  assert.deepEqual(words('x $TOKEN ${TOKEN} "$HOME/a" $(pwd)/b ${x:-y}'), [
    "x",
    "$TOKEN",
    "${TOKEN}",
    "$HOME/a",
    "$(pwd)/b",
    "${x:-y}",
  ]);
  assert.deepEqual(words("uvx --from git+https://h/x#subdirectory=y y https://h/?a=1&b=2"), [
    "uvx",
    "--from",
    "git+https://h/x#subdirectory=y",
    "y",
    "https://h/?a=1&b=2",
  ]);
  assert.deepEqual(words("npx pkg C:\\Users\\me\\Desktop"), [
    "npx",
    "pkg",
    "C:\\Users\\me\\Desktop",
  ]);
  assert.deepEqual(words("uvx pkg@1.0 --x=*.py"), ["uvx", "pkg@1.0", "--x=*.py"]);
});

Deno.test("shell words - operators end the command, redirections and comments go", () => {
  assert.deepEqual(shellWords("npx pkg | tee log"), { words: ["npx", "pkg"], truncated: true });
  assert.deepEqual(shellWords("cd x && npx pkg"), { words: ["cd", "x"], truncated: true });
  assert.deepEqual(shellWords("npx pkg; echo"), { words: ["npx", "pkg"], truncated: true });
  assert.deepEqual(shellWords("npx pkg 2>&1 > out.log"), {
    words: ["npx", "pkg"],
    truncated: false,
  });
  assert.deepEqual(shellWords("npx pkg < in.txt a"), {
    words: ["npx", "pkg", "a"],
    truncated: false,
  });
  assert.deepEqual(shellWords("npx pkg # run it"), { words: ["npx", "pkg"], truncated: false });
  assert.deepEqual(shellWords("npx pkg \\"), { words: ["npx", "pkg"], truncated: false });
  assert.deepEqual(shellWords("  "), { words: [], truncated: false });
});

Deno.test("shell words - plain words split like whitespace, and nothing throws", () => {
  fc.assert(
    fc.property(
      fc.array(fc.stringMatching(/^[A-Za-z0-9_@.\/:=+-]{1,12}$/), { maxLength: 8 }),
      (ws) => {
        assert.deepEqual(words(ws.join(" ")), ws);
      },
    ),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (s) => {
      const { words } = shellWords(s);
      assert.ok(Array.isArray(words));
    }),
    { numRuns: 2000 },
  );
  for (
    const odd of ["${", "$'x", "${}", "'open", '"open', "\uE0000\uE001", "a\uE000b", "((", "`x`"]
  ) {
    assert.doesNotThrow(() => shellWords(odd), odd);
  }
  assert.deepEqual(words("a\uE0000\uE001b"), ["a\uE0000\uE001b"]);
});

Deno.test("jsonish - comments, trailing commas, smart quotes, fragments; broken blocks yield nothing", () => {
  assert.deepEqual(parseJsonish('// config\n{"a": 1,}'), { a: 1 });
  assert.deepEqual(parseJsonish('"env": {"K": "v"},'), { env: { K: "v" } });
  assert.deepEqual(parseJsonish('{"s": "a, }", "u": "http://x//y"}'), {
    s: "a, }",
    u: "http://x//y",
  });
  assert.equal(parseJsonish('{"mcpServers": {"x": {"command": "npx"'), undefined, "truncated");
  // A closing brace lost at the end of an otherwise whole block is put back.
  assert.deepEqual(parseJsonish('{"mcpServers": {"x": {"command": "npx",},\n}'), {
    mcpServers: { x: { command: "npx" } },
  });
  assert.equal(parseJsonish('{"a": 1, ...}'), undefined, "ellipsis");
  assert.equal(parseJsonish("{'a': 1}"), undefined, "single quotes");
  assert.equal(parseJsonish(""), undefined);
});

Deno.test("pyproject - [project], Poetry, inline tables; malformed files are warnings", () => {
  const p = readPyproject(
    '[project]\nname = "x-mcp"\nrequires-python = ">=3.10"\nscripts = { x-mcp = "x:main" }\n',
  );
  assert.deepEqual(p, {
    name: "x-mcp",
    scripts: ["x-mcp"],
    description: "",
    requiresPython: ">=3.10",
  });
  const poetry = readPyproject(
    '[tool.poetry]\nname = "p"\ndescription = """multi\nline"""\n[tool.poetry.scripts]\np = "p:m"\n',
  );
  assert.deepEqual(poetry, {
    name: "p",
    scripts: ["p"],
    description: "multi\nline",
    requiresPython: null,
  });
  assert.throws(() => readPyproject('[project\nname = "x"'), PyprojectError);
  assert.throws(() => readPyproject('[build-system]\nrequires = ["x"]\n'), /no \[project\] name/);
  const facts = readManifests({ "pyproject.toml": "[project]\nname = = 1\n" });
  assert.equal(facts.python, null);
  assert.match(facts.warnings[0], /pyproject\.toml is not valid TOML/);
});
