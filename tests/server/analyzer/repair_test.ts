/** The repair loop's rules without containers: next-best candidates, stops, the report. */
import assert from "node:assert/strict";
import { PlanSchema } from "../../../server/schemas/server.ts";
import {
  failureOf,
  nextCandidateRepairer,
  verifyWithRepairs,
} from "../../../server/analyzer/repair.ts";

const plan = PlanSchema.parse({
  name: "demo",
  runtime: "npx",
  command: "npx",
  args: ["-y", "demo-mcp"],
  package: "demo-mcp",
  alternatives: [
    { runtime: "npx", command: "npx", args: ["-y", "demo-mcp"], package: "demo-mcp" },
    { runtime: "uvx", command: "uvx", args: ["demo-mcp"], package: "demo-mcp" },
    { runtime: "remote", command: null, args: [], url: "https://demo.example/sse" },
  ],
});

Deno.test("repair - without Claude the README's next documented launch is tried", async () => {
  const tried: string[] = [];
  const details: string[] = [];
  const out = await verifyWithRepairs(
    plan,
    (p) => {
      tried.push(p.runtime);
      return Promise.resolve(
        p.runtime === "uvx" ? { ok: true, tools: ["t"] } : { ok: false, error: "exit 1" },
      );
    },
    nextCandidateRepairer(plan),
    (d) => details.push(d),
  );
  // The first alternative repeats the failed launch: skipped, not relaunched.
  assert.deepEqual(tried, ["npx", "uvx"]);
  assert.equal(out.verification.ok, true);
  assert.equal(out.plan.runtime, "uvx");
  assert.deepEqual(out.verification.rounds.map((r) => r.by), ["analysis", "next_candidate"]);
  assert.match(details[1], /round 2: the README's next documented launch — uvx demo-mcp/);
});

Deno.test("repair - at most two repair rounds; the report names every round", async () => {
  const out = await verifyWithRepairs(
    plan,
    () => Promise.resolve({ ok: false, error: "boom" }),
    nextCandidateRepairer(plan),
  );
  assert.equal(out.verification.ok, false);
  assert.equal(out.verification.rounds.length, 3);
  assert.equal(out.verification.rounds[2].launch, "https://demo.example/sse");
  assert.match(String(out.verification.error), /failed to launch in 3 rounds: round 1 \(npx/);
  assert.equal(out.plan, plan, "the analysed plan is returned for review");
});

Deno.test("repair - a server that starts but lists nothing is a failed round", () => {
  assert.equal(failureOf({ ok: true, tools: [] }), "the server started but lists no tools");
  assert.equal(failureOf({ ok: true, tools: [], prompts: 2 }), null);
  assert.equal(failureOf({ ok: true }), null);
  assert.equal(failureOf({ ok: false, error: "exit 2" }), "exit 2");
});
