import { deepEqual, throws } from "node:assert/strict";
import { BENCHES, selectedBenches } from "./main.ts";

Deno.test("Bench - --only picks benchmarks, all by default", () => {
  deepEqual(selectedBenches([]), new Set(BENCHES));
  deepEqual(selectedBenches(["--only=warm,throughput"]), new Set(["warm", "throughput"]));
  deepEqual(selectedBenches(["--only", "cold"]), new Set(["cold"]));
  throws(() => selectedBenches(["--only=warm,bogus"]), /unknown benchmark bogus/);
});
