/**
 * @module Consent page of the embedded OAuth server: which client asks, where it will be sent
 * back to, which scopes it wants; Approve or Deny (a CSRF-protected form that re-posts the
 * authorization request, so nothing is kept server-side between the two requests).
 */
import { Form } from "../components/Form.tsx";

/** What a scope lets the client do, in words. */
const SCOPE_WORDS: Record<string, string> = {
  mcp: "use the MCP endpoint: list and call the tools of every server on this router",
  admin: "administer the router: add, change and delete servers, read the audit log",
};

/** Props of {@linkcode ConsentPage}. */
export interface ConsentPageProps {
  /** The client's display name (from its registration or metadata document). */
  clientName: string;
  /** Its client id (a URL for metadata-document clients). */
  clientId: string;
  /** Where the browser goes afterwards (host, or scheme for native apps). */
  redirectHost: string;
  /** Scopes asked for. */
  scopes: string[];
  /** The authorization request's parameters, re-posted with the decision. */
  params: Record<string, string>;
  /** Who is signed in. */
  actor: string;
}

/** The consent card. */
export function ConsentPage(props: ConsentPageProps) {
  return (
    <section class="card narrow" id="oauth-consent">
      <h1>Authorize {props.clientName}?</h1>
      <p>
        <strong>{props.clientName}</strong>{" "}
        (<code>{props.clientId}</code>) asks to act on this router as you ({props.actor}). After you
        decide, your browser goes back to <strong>{props.redirectHost}</strong>.
      </p>
      <p>It asks for:</p>
      <ul>
        {props.scopes.map((s) => (
          <li key={s}>
            <code>{s}</code>: {SCOPE_WORDS[s] ?? s}
          </li>
        ))}
      </ul>
      <p class="hint">
        Approval is remembered for this client; revoking its grant ends its tokens at once.
      </p>
      <Form method="post" action="/oauth/authorize">
        {Object.entries(props.params).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" name="decision" value="approve" class="primary">Approve</button>{" "}
        <button type="submit" name="decision" value="deny">Deny</button>
      </Form>
    </section>
  );
}
