import assert from "node:assert/strict";
import { createLogger, logEnabled, setLogLevel, setLogSink } from "../../runtime/foundation/log.ts";

Deno.test("Log level - logEnabled follows the threshold and off lines are not written", () => {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    setLogLevel("warn");
    assert.equal(logEnabled("info"), false);
    assert.equal(logEnabled("warn"), true);
    const logger = createLogger("t");
    logger.info("hidden", { a: 1 });
    logger.error("shown", { a: 2 });
    assert.equal(lines.length, 1);
    assert.match(lines[0], /"msg":"shown"/);
    assert.match(lines[0], /"component":"t"/);
  } finally {
    setLogLevel("info");
    setLogSink(previous);
  }
});
