import assert from "node:assert/strict";
import { readTarFiles, TarLimitError, tarStream } from "../../../runtime/podman/tar.ts";

async function tarBytes(entries: Parameters<typeof tarStream>[0]): Promise<Uint8Array> {
  return await new Response(tarStream(entries)).bytes();
}

function streamOf(bytes: Uint8Array, chunk = 700): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(controller) {
      if (off >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(off, off + chunk));
      off += chunk;
    },
  });
}

Deno.test("tar - header checksum and fields follow ustar", async () => {
  const h = (await tarBytes([{ name: "dir/file.txt", content: "hello", mode: 0o755 }]))
    .subarray(0, 512);
  const text = new TextDecoder().decode(h);
  assert.equal(text.slice(0, 12), "dir/file.txt");
  assert.equal(text.slice(257, 262), "ustar");
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  assert.equal(parseInt(text.slice(148, 154), 8), sum);
  assert.equal(parseInt(text.slice(124, 135), 8), 5);
  assert.equal(parseInt(text.slice(100, 107), 8), 0o755);
  assert.equal(parseInt(text.slice(136, 147), 8), 0);
});

Deno.test("tar - rejects parent traversal and over-long names", () => {
  assert.throws(() => tarStream([{ name: "../etc/passwd", content: "x" }]), RangeError);
  assert.throws(() => tarStream([{ name: "x".repeat(300), content: "x" }]), RangeError);
  assert.throws(() => tarStream([{ name: "/", content: "x" }]), RangeError);
});

Deno.test("tar - archive is readable by system tar, including long paths", async () => {
  const longName = `${"d".repeat(120)}/${"f".repeat(90)}.txt`;
  const archive = await tarBytes([
    { name: "Containerfile", content: "FROM scratch\n" },
    { name: "sub/bin.dat", content: new Uint8Array([0, 1, 2, 255]), mode: 0o600 },
    { name: longName, content: "long" },
    { name: "empty", content: "" },
  ]);
  assert.equal(archive.length % 512, 0);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/a.tar`, archive);
    const out = await new Deno.Command("tar", { args: ["-xf", `${dir}/a.tar`, "-C", dir] })
      .output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(await Deno.readTextFile(`${dir}/Containerfile`), "FROM scratch\n");
    assert.deepEqual([...await Deno.readFile(`${dir}/sub/bin.dat`)], [0, 1, 2, 255]);
    assert.equal((await Deno.stat(`${dir}/sub/bin.dat`)).mode! & 0o777, 0o600);
    assert.equal(await Deno.readTextFile(`${dir}/${longName}`), "long");
    assert.equal((await Deno.stat(`${dir}/empty`)).size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tar - reads a system tar's files (GNU and pax), skipping directories and links", async () => {
  for (const format of ["gnu", "pax"]) await readSystemTar(format);
});

async function readSystemTar(format: string): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const deep = `top/${"n".repeat(150)}/${"m".repeat(150)}.txt`;
    await Deno.mkdir(`${dir}/${deep.slice(0, deep.lastIndexOf("/"))}`, { recursive: true });
    await Deno.writeTextFile(`${dir}/top/a.txt`, "A");
    await Deno.writeTextFile(`${dir}/${deep}`, "deep");
    await Deno.symlink("a.txt", `${dir}/top/link`);
    const out = await new Deno.Command("tar", {
      args: [`--format=${format}`, "-cf", `${dir}/a.tar`, "-C", dir, "top"],
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const files = await readTarFiles(streamOf(await Deno.readFile(`${dir}/a.tar`)));
    assert.deepEqual(files.map((f) => f.name).sort(), [deep, "top/a.txt"].sort());
    const byName = new Map(files.map((f) => [f.name, new TextDecoder().decode(f.content)]));
    assert.equal(byName.get(deep), "deep");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("tar - select keeps and renames only the chosen files", async () => {
  const files = await readTarFiles(
    tarStream([
      { name: "keep/a", content: "A" },
      { name: "drop/b", content: "B" },
    ]),
    { select: (name) => name.startsWith("keep/") ? name.slice(5) : null },
  );
  assert.deepEqual(files.map((f) => [f.name, new TextDecoder().decode(f.content)]), [["a", "A"]]);
});

Deno.test("tar - the file and byte limits hold, kept files or not", async () => {
  const entries = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, content: "x" }));
  await assert.rejects(
    readTarFiles(tarStream(entries), { maxFiles: 4, select: () => null }),
    (err) =>
      err instanceof TarLimitError && err.limit === "files" &&
      /more than 4 files/.test(err.message),
  );
  assert.equal((await readTarFiles(tarStream(entries), { maxFiles: 5 })).length, 5);
  const big = await tarBytes([{ name: "big", content: new Uint8Array(64 * 1024) }]);
  await assert.rejects(
    readTarFiles(streamOf(big, 4096), { maxBytes: 32 * 1024 }),
    (err) => err instanceof TarLimitError && err.limit === "bytes",
  );
  assert.equal((await readTarFiles(streamOf(big), { maxBytes: big.length })).length, 1);
});

Deno.test("tar - skipping a many-chunk entry does not stall the kept ones after it", async () => {
  // An npm tarball's shape: a large skipped bundle, then the root files. Cancelling the skipped
  // entry's body stalled modern-tar's decoder with 64 KiB chunks; the reader drains it instead.
  const bytes = await tarBytes([
    { name: "package/LICENSE", content: "l".repeat(1065) },
    { name: "package/dist/a.js", content: "a".repeat(1704) },
    { name: "package/dist/index.js", content: "x".repeat(204_229) },
    { name: "package/dist/b.js", content: "b".repeat(1985) },
    { name: "package/package.json", content: "{}" },
    { name: "package/README.md", content: "r".repeat(56_662) },
  ]);
  const select = (n: string) => n.split("/").length === 2 ? n : null;
  const files = await readTarFiles(streamOf(bytes, 65_536), { select });
  assert.deepEqual(files.map((f) => [f.name, f.content.length]), [
    ["package/LICENSE", 1065],
    ["package/package.json", 2],
    ["package/README.md", 56_662],
  ]);
});
