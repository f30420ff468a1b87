import assert from "node:assert/strict";
import {
  decideUserns,
  isUsernsExhausted,
  USERNS_AUTO_SIZE,
  usernsField,
} from "../../runtime/userns.ts";

const own = { container_id: 0, host_id: 1001, size: 1 };

Deno.test("userns - rootless with subordinate ids: a private range per container", () => {
  const map = [own, { container_id: 1, host_id: 100000, size: 65536 }, {
    container_id: 65537,
    host_id: 200000,
    size: 983040,
  }];
  const mode = decideUserns({ rootless: true, uidmap: map, gidmap: map });
  assert.deepEqual(mode, { mode: "auto", size: USERNS_AUTO_SIZE, capacity: 512 });
  assert.deepEqual(usernsField(mode), {
    userns: { nsmode: "auto" },
    idmappings: { AutoUserNs: true, AutoUserNsOpts: { Size: USERNS_AUTO_SIZE } },
  });
});

Deno.test("userns - capacity is bounded by the smaller of the uid and gid ranges", () => {
  const uids = [own, { container_id: 1, host_id: 100000, size: 65536 }];
  const gids = [own, { container_id: 1, host_id: 100000, size: 8192 }];
  const mode = decideUserns({ rootless: true, uidmap: uids, gidmap: gids });
  assert.equal(mode.mode === "auto" && mode.capacity, 4);
});

Deno.test("userns - without subordinate ids, or rootful, containers share and say why", () => {
  const none = decideUserns({ rootless: true, uidmap: [own], gidmap: [own] });
  assert.equal(none.mode, "shared");
  assert.match(none.mode === "shared" ? none.reason : "", /0 subordinate ids.*setup\.sh/);
  assert.deepEqual(usernsField(none), {});
  const rootful = decideUserns({ rootless: false, uidmap: [], gidmap: [] });
  assert.match(rootful.mode === "shared" ? rootful.reason : "", /rootful/);
  assert.deepEqual(usernsField(undefined), {});
});

Deno.test("userns - Podman's exhaustion error is recognised", () => {
  assert.ok(isUsernsExhausted(
    "POST /containers/create: creating container storage: could not find enough available IDs",
  ));
  assert.ok(!isUsernsExhausted("no such image"));
});
