/**
 * @module The server page's Authorization card (remote servers): whether the router holds an
 * OAuth authorization there (for you, or shared), the Authorize and Forget buttons, and the
 * settings — per-principal or shared tokens, and a client id (and secret) for authorization
 * servers that offer neither Client ID Metadata Documents nor dynamic registration.
 */
import { Form } from "../components/Form.tsx";

/** What the card shows. */
export interface DownstreamAuthView {
  /** `per_principal` or `shared`. */
  mode: "per_principal" | "shared";
  /** The hand-entered client id, if any. */
  clientId: string | null;
  /** Whether a client secret is stored (never shown). */
  hasSecret: boolean;
  /** When the admin's (or the shared) tokens were saved; null when there are none. */
  authorizedAt: string | null;
  /** How many other principals hold their own tokens. */
  others: number;
  /** The `main.ts auth NAME` command. */
  command: string;
}

/** The Authorization card of a remote server. */
export function DownstreamAuth({ serverId, view }: { serverId: string; view: DownstreamAuthView }) {
  const id = encodeURIComponent(serverId);
  const whose = view.mode === "shared" ? "the shared token" : "your (admin) token";
  return (
    <section id="authorization" class="card">
      <h2>Authorization</h2>
      <p class="small muted">
        For servers that sign users in with OAuth: the router registers with the server's
        authorization server and keeps the tokens encrypted, refreshing them as they expire.
        Headless: <code>{view.command}</code>.
      </p>
      <p data-authorized={view.authorizedAt ? "yes" : "no"}>
        {view.authorizedAt
          ? <>Authorized: {whose} was saved {view.authorizedAt.replace("T", " ").slice(0, 16)}.</>
          : <>Not authorized yet ({whose}).</>}
        {view.mode === "per_principal" && view.others > 0
          ? <>{" "}{view.others} other principal(s) hold their own.</>
          : null}
      </p>
      <div class="test-row">
        <Form method="post" action={`/servers/${id}/authorize`} class="inline-form">
          <button type="submit" class="primary">Authorize</button>
        </Form>
        {view.authorizedAt
          ? (
            <Form method="post" action={`/servers/${id}/authorization/forget`} class="inline-form">
              <button type="submit">Forget token</button>
            </Form>
          )
          : null}
      </div>
      <details>
        <summary>Settings</summary>
        <Form method="post" action={`/servers/${id}/authorization`}>
          <fieldset>
            <legend>Whose tokens</legend>
            <label>
              <input
                type="radio"
                name="mode"
                value="per_principal"
                checked={view.mode === "per_principal"}
              />{" "}
              Each API key or OAuth client authorizes its own account (calls without one are told
              the URL to open)
            </label>
            <label>
              <input type="radio" name="mode" value="shared" checked={view.mode === "shared"} />
              {" "}
              One shared token for everyone (the admin's authorization)
            </label>
          </fieldset>
          <label>
            Client id (only when the authorization server offers no registration)
            <input name="client_id" value={view.clientId ?? ""} autocomplete="off" />
          </label>
          <label>
            Client secret {view.hasSecret ? "(stored; leave empty to keep)" : "(optional)"}
            <input name="client_secret" type="password" value="" autocomplete="off" />
          </label>
          <button type="submit">Save</button>
        </Form>
      </details>
    </section>
  );
}
