/**
 * @module OAuth grants page: the clients (Claude connectors…) an admin approved, their scopes and
 * state, with a Revoke button each (a CSRF-protected form).
 */
import { Form } from "../components/Form.tsx";

/** One grant as the page shows it. */
export interface GrantRow {
  id: string;
  clientName: string;
  clientId: string;
  scopes: string[];
  createdAt: string;
  approvedBy: string;
  /** `active`, or why it ended (`revoked`, `refresh_token_reuse`). */
  state: string;
}

/** The grants table. */
export function GrantsPage({ grants }: { grants: GrantRow[] }) {
  return (
    <section class="card" id="oauth-grants">
      <h1>OAuth clients</h1>
      <p>
        Clients that signed in with OAuth (Claude's custom connectors and other MCP clients).
        Revoking a grant refuses its tokens at the next request; the client must ask again.
      </p>
      {grants.length === 0 ? <p>No client has been authorized yet.</p> : (
        <table>
          <thead>
            <tr>
              <th>Client</th>
              <th>Scopes</th>
              <th>Approved</th>
              <th>State</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {grants.map((g) => (
              <tr key={g.id}>
                <td>
                  <strong>{g.clientName}</strong>
                  <br />
                  <code>{g.clientId}</code>
                </td>
                <td>{g.scopes.join(" ")}</td>
                <td>
                  {g.createdAt} by {g.approvedBy}
                </td>
                <td>{g.state}</td>
                <td>
                  {g.state === "active"
                    ? (
                      <Form method="post" action={`/oauth/grants/${g.id}/revoke`}>
                        <button type="submit" class="danger">Revoke</button>
                      </Form>
                    )
                    : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
