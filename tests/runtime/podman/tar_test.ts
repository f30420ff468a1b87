import assert from "node:assert/strict";
import { createTar, tarHeader } from "../../../runtime/podman/tar.ts";

Deno.test("tar - header checksum and fields follow ustar", () => {
  const h = tarHeader("dir/file.txt", 5, 0o755);
  const text = new TextDecoder().decode(h);
  assert.equal(text.slice(0, 12), "dir/file.txt");
  assert.equal(text.slice(257, 262), "ustar");
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  assert.equal(parseInt(text.slice(148, 154), 8), sum);
  assert.equal(parseInt(text.slice(124, 135), 8), 5);
  assert.equal(parseInt(text.slice(100, 107), 8), 0o755);
});

Deno.test("tar - rejects parent traversal and over-long names", () => {
  assert.throws(() => tarHeader("../etc/passwd", 1), RangeError);
  assert.throws(() => tarHeader("x".repeat(300), 1), RangeError);
});

Deno.test("tar - archive is readable by system tar, including long paths", async () => {
  const longName = `${"d".repeat(120)}/${"f".repeat(90)}.txt`;
  const archive = createTar([
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
