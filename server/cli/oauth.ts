/**
 * @module CLI verb `oauth grants [--json]` and `oauth revoke GRANT-ID`: the clients the embedded
 * authorization server has granted access to, and revoking one.
 */
import type { RouterServices } from "../composition/wiring.ts";
import { listGrants, revokeGrantById } from "../oauth/grants.ts";
import { parseVerb, UsageError } from "./args.ts";
import { out } from "./output.ts";

/** Help text of the `oauth` verb. */
export const OAUTH_HELP = `Usage: main.ts oauth grants [--json] | oauth revoke GRANT-ID

OAuth clients (Claude connectors…) the admin approved. grants lists them (id, client, scopes,
created, state); revoke ends every token of a grant at once and forgets the client's consent.`;

/** `oauth grants|revoke`. */
export async function oauthVerb(args: string[], services: RouterServices): Promise<number> {
  const { values, positionals } = parseVerb(args, { json: { type: "boolean" } });
  if (values.help) {
    out(OAUTH_HELP);
    return 0;
  }
  const [sub, id] = positionals;
  if (sub === "grants" && !id) {
    const grants = await listGrants(services.store);
    if (values.json) out(JSON.stringify(grants, null, 2));
    else {
      for (const g of grants) {
        out(
          [
            g.id,
            g.client_name,
            g.scopes.join(" "),
            g.created_at,
            g.revoked_at ? "revoked" : "active",
          ]
            .join("\t"),
        );
      }
      if (grants.length === 0) out("no grants");
    }
    return 0;
  }
  if (sub === "revoke" && id && positionals.length === 2) {
    const grant = await revokeGrantById(services.store, id, "cli");
    out(`revoked grant ${grant.id} of ${grant.client_name}`);
    return 0;
  }
  throw new UsageError("usage: oauth grants [--json] | oauth revoke GRANT-ID");
}
