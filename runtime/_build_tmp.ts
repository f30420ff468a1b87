import { testSettings } from "../server/settings.ts";
import { buildRuntimeImages } from "./images.ts";
const settings = testSettings({ podmanSocket: "/run/user/1001/podman/podman.sock" });
const t0 = Date.now();
const r = await buildRuntimeImages(settings, { onLog: (l) => console.log(`[${((Date.now()-t0)/1000).toFixed(0)}s] ${l}`) });
console.log("RESULT", JSON.stringify(r), (Date.now()-t0)/1000);
