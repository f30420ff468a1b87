/**
 * @module Connect page (`/connect`): the Claude Desktop stdio entry (copy, or install into the
 * config) with a "connected" indicator, remote setup as steps (HTTPS proxy, allowed hosts, a
 * key, the `mcp-remote` bridge), the exposure mode, and API keys — a new key is shown once, at
 * the top, and filled into the remote snippets on that one view.
 */
import type { ApiKey } from "../../server/schemas/records.ts";
import { Alert } from "../components/Alert.tsx";
import { CopyBlock } from "../components/CopyBlock.tsx";
import { Select, TextField } from "../components/Field.tsx";
import { Form } from "../components/Form.tsx";
import { TableHead } from "../components/Table.tsx";
import { RemoteSetup } from "../partials/RemoteSetup.tsx";

/** The last stdio client seen (see `server/mcp/stdio_presence.ts`). */
export interface StdioClientStatus {
  live: boolean;
  /** `name version`, or "" when the client did not say. */
  client: string;
  secondsAgo: number;
}

/** Props of {@linkcode ConnectPage}. */
export interface ConnectPageProps {
  /** `{"mcpServers": {...}}` for stdio, pretty JSON. */
  stdioJson: string;
  /** Same for the `mcp-remote` bridge. */
  remoteJson: string;
  configPath: string;
  /** This machine's `/mcp` URL. */
  mcpUrl: string;
  /** The public `/mcp` URL for remote clients (default: the `https://YOUR-HOST/mcp` placeholder). */
  remoteUrl?: string;
  /** Whether `remoteUrl` is the real public URL. */
  remoteKnown?: boolean;
  /** The `mcp-remote` shell command (omitted when absent). */
  remoteCommand?: string;
  /** `MCP_ROUTER_ALLOWED_HOSTS`. */
  allowedHosts?: readonly string[];
  /** The stdio command line Claude Desktop runs. */
  stdioCommand?: string;
  /** The last stdio client seen, or null/absent when none. */
  stdioStatus?: StdioClientStatus | null;
  expose: "servers" | "tools";
  keys: ApiKey[];
  /** Result of "Install into Claude Desktop". */
  install?: { ok: boolean; message: string };
  /** A key just created: its plain value is shown this once. */
  createdKey?: { name: string; key: string };
  /** The one-time view of a new key was opened already (a reload): say so, show nothing. */
  revealSpent?: boolean;
  keyError?: string;
  keyName?: string;
  /** Scope chosen in the create form (kept after a validation error). */
  keyScope?: string;
}

function date(iso: string | null): string {
  return iso ? iso.replace("T", " ").slice(0, 16) : "—";
}

function ago(seconds: number): string {
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

function StdioIndicator({ status }: { status: StdioClientStatus | null | undefined }) {
  if (!status) {
    return (
      <p class="muted" id="stdio-status">
        No Claude Desktop (stdio) client has connected yet.
      </p>
    );
  }
  const who = status.client ? `Claude Desktop (${status.client})` : "Claude Desktop";
  return status.live
    ? (
      <p id="stdio-status" role="status">
        <span class="tag tag-ok">connected</span> {who} connected (last seen{" "}
        {ago(status.secondsAgo)})
      </p>
    )
    : (
      <p class="muted" id="stdio-status">
        Not connected; {who} was last seen {ago(status.secondsAgo)}.
      </p>
    );
}

/** The connect page. */
export function ConnectPage(p: ConnectPageProps) {
  const remoteUrl = p.remoteUrl ?? "https://YOUR-HOST/mcp";
  return (
    <>
      <h1>Connect a client</h1>
      {p.createdKey
        ? (
          <Alert kind="ok" title={`Key “${p.createdKey.name}” created`} id="key-created">
            <p>Copy it now: it is shown only once, on this page.</p>
            <CopyBlock id="new-key" text={p.createdKey.key} label="the new API key" />
          </Alert>
        )
        : null}
      {p.revealSpent
        ? (
          <Alert kind="info" title="This key was shown once already" id="key-spent">
            <p>
              New keys are shown a single time. If you did not copy it, revoke it{" "}
              <a href="#keys">below</a> and create another.
            </p>
          </Alert>
        )
        : null}
      <section class="card" id="desktop">
        <h2>Claude Desktop (stdio)</h2>
        <StdioIndicator status={p.stdioStatus} />
        <p>
          Claude Desktop starts the router itself and talks MCP over stdin/stdout. Add this to{" "}
          <code class="break">{p.configPath}</code>:
        </p>
        <CopyBlock id="stdio-entry" text={p.stdioJson} label="Claude Desktop stdio entry" />
        {p.stdioCommand
          ? (
            <p class="hint">
              Command: <code class="break" id="stdio-command">{p.stdioCommand}</code>
            </p>
          )
          : null}
        {p.install
          ? (
            <Alert kind={p.install.ok ? "ok" : "error"} id="install-result">
              {p.install.message}
            </Alert>
          )
          : null}
        <Form method="post" action="/connect/install" class="inline-form">
          <button type="submit" class="primary">Install into Claude Desktop</button>
          <span class="hint">
            Merges the entry into the config file (other servers are kept; a <code>.bak</code>{" "}
            copy is written first). Restart Claude Desktop afterwards.
          </span>
        </Form>
      </section>

      <RemoteSetup
        remoteUrl={remoteUrl}
        remoteKnown={p.remoteKnown ?? false}
        localUrl={p.mcpUrl}
        allowedHosts={p.allowedHosts ?? []}
        remoteCommand={p.remoteCommand}
        remoteJson={p.remoteJson}
        keyFilled={p.createdKey !== undefined}
      />

      <section class="card" id="exposure">
        <h2>Exposure mode</h2>
        <p>
          Current mode: <strong>{p.expose}</strong> (<code>MCP_ROUTER_EXPOSE</code>).
        </p>
        <ul>
          <li>
            <strong>servers</strong>: one tool per server; the model calls it without{" "}
            <code>tool</code> to see the server's tools, then with <code>tool</code> and{" "}
            <code>arguments</code>. Keeps the tool list short.
          </li>
          <li>
            <strong>tools</strong>: every tool of every server, named{" "}
            <code>server__tool</code>. Per connection: add <code>?expose=tools</code>{" "}
            to the MCP URL.
          </li>
        </ul>
      </section>

      <section class="card" id="keys">
        <h2>API keys</h2>
        {p.keys.length === 0
          ? (
            <p class="muted">
              No keys yet: authentication is off while the router listens on loopback only
              (127.0.0.1), so any local process can use it. Creating the first key turns it on for
              {" "}
              <code>/mcp</code>, <code>/sse</code>, <code>/api</code>{" "}
              and these pages (you stay signed in).
            </p>
          )
          : (
            <>
              {p.keys.some((k) => !k.revoked_at)
                ? (
                  <p class="muted">
                    Authentication is on: send <code>Authorization: Bearer KEY</code>; an{" "}
                    <code>mcp</code>{" "}
                    key reaches only the MCP endpoints; these pages need a sign-in with the admin
                    password or an <code>admin</code> key.
                  </p>
                )
                : <p class="muted">All keys are revoked: authentication is off on loopback.</p>}
              <table class="list keys">
                <TableHead
                  columns={["Name", "Prefix", "Scope", "Created", "Last used", "Status"]}
                />
                <tbody>
                  {p.keys.map((k) => (
                    <tr>
                      <th scope="row" data-label="Name">{k.name}</th>
                      <td data-label="Prefix">
                        <code>{k.prefix}…</code>
                      </td>
                      <td data-label="Scope">
                        {k.scope === "admin" ? "admin (everything)" : "mcp (MCP endpoints only)"}
                      </td>
                      <td data-label="Created">{date(k.created_at)}</td>
                      <td data-label="Last used">{date(k.last_used_at)}</td>
                      <td data-label="Status">
                        {k.revoked_at
                          ? <span class="muted">revoked {date(k.revoked_at)}</span>
                          : (
                            <Form
                              method="post"
                              action={`/connect/keys/${encodeURIComponent(k.id)}/revoke`}
                              class="inline-form"
                            >
                              <span class="tag tag-ok">active</span>
                              <button
                                type="submit"
                                class="small danger"
                                aria-label={`Revoke key ${k.name}`}
                              >
                                Revoke
                              </button>
                            </Form>
                          )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        <Form method="post" action="/connect/keys" class="inline-form key-form">
          <TextField
            label="New key name"
            name="name"
            value={p.keyName ?? ""}
            error={p.keyError}
            placeholder="laptop"
            autocomplete="off"
          />
          <Select
            label="Scope"
            name="scope"
            value={p.keyScope ?? "mcp"}
            options={[
              ["mcp", "mcp: only /mcp, /sse, /messages"],
              ["admin", "admin: API, admin pages, metrics too"],
            ]}
          />
          <button type="submit" class="primary">Create key</button>
        </Form>
      </section>
    </>
  );
}
