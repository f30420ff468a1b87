/**
 * @module Remote setup as steps: an HTTPS reverse proxy in front of the router, the public
 * name in `MCP_ROUTER_ALLOWED_HOSTS`, an API key, then Claude — a custom connector (OAuth, with
 * the consent page here), or the `mcp-remote` bridge with a bearer header for other clients.
 */
import { CopyBlock } from "../components/CopyBlock.tsx";

/** Props of {@linkcode RemoteSetup}. */
export interface RemoteSetupProps {
  /** The public `/mcp` URL, or the `https://YOUR-HOST/mcp` placeholder. */
  remoteUrl: string;
  /** Whether `remoteUrl` is the real public URL (not the placeholder). */
  remoteKnown: boolean;
  /** This machine's `/mcp` URL (what the proxy forwards to). */
  localUrl: string;
  /** The current `MCP_ROUTER_ALLOWED_HOSTS`. */
  allowedHosts: readonly string[];
  /** `npx -y mcp-remote … --header "Authorization: Bearer …"` (omitted when absent). */
  remoteCommand?: string;
  /** The `mcpServers` entry for the bridge, pretty JSON. */
  remoteJson: string;
  /** Whether the snippets carry a just-created key. */
  keyFilled: boolean;
}

/** The remote steps. */
export function RemoteSetup(p: RemoteSetupProps) {
  const host = p.remoteKnown ? new URL(p.remoteUrl).host : "YOUR-HOST";
  const upstream = new URL(p.localUrl).host;
  return (
    <section class="card" id="remote">
      <h2>Remote clients (HTTPS)</h2>
      <p>
        On this machine the MCP endpoint is <code class="break" id="mcp-url">{p.localUrl}</code>
        {" "}
        (streamable HTTP; legacy SSE at <code>/sse</code>). To use the router from elsewhere:
      </p>
      <ol class="steps">
        <li>
          <strong>Put an HTTPS reverse proxy in front</strong>{" "}
          and keep the router on loopback, e.g. Caddy:{" "}
          <code class="break">{`${host} { reverse_proxy ${upstream} { flush_interval -1 } }`}
          </code>. Set <code>MCP_ROUTER_TRUSTED_PROXIES</code>{" "}
          to the proxy's address so rate limits see the real client (SSE needs unbuffered proxying).
        </li>
        <li>
          <strong>Allow the public name</strong>: the router answers only to loopback names and{" "}
          <code>MCP_ROUTER_ALLOWED_HOSTS</code> (DNS-rebinding guard). Start it with{" "}
          <code class="break">MCP_ROUTER_ALLOWED_HOSTS={host}</code> {p.allowedHosts.length > 0
            ? (
              <span>
                (now: <code class="break">{p.allowedHosts.join(",")}</code>)
              </span>
            )
            : <span>(now: none)</span>}.
        </li>
        <li>
          <strong>Create an API key</strong> <a href="#keys">below</a>; it is sent as{" "}
          <code>Authorization: Bearer KEY</code>. The first key turns sign-in on for these pages
          too.
        </li>
        <li>
          <strong>Connect Claude.</strong>{" "}
          In Claude: Settings → Connectors → Add custom connector, with the URL above; Claude signs
          in with OAuth and you approve it on a consent page here (set an admin password first).
          Clients without OAuth can bridge with{" "}
          <code>mcp-remote</code>, which sends the key as a header.
          {p.remoteCommand
            ? (
              <>
                {" "}From a terminal:
                <CopyBlock id="remote-command" text={p.remoteCommand} label="mcp-remote command" />
              </>
            )
            : null}
          In Claude Desktop's config:
          <CopyBlock id="remote-entry" text={p.remoteJson} label="mcp-remote entry" />
          {p.keyFilled
            ? (
              <p class="hint">
                Your new key is filled in above on this page only; a reload shows the placeholder.
              </p>
            )
            : null}
        </li>
      </ol>
      {p.remoteKnown ? null : (
        <p class="hint">
          Replace <code>YOUR-HOST</code> with the proxy's public name.
        </p>
      )}
    </section>
  );
}
