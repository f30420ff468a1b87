/**
 * @module Servers page (`/`): every server with runtime, transport, last test, tool count,
 * active toggle and actions; an empty state explaining the three ways to add one.
 */
import type { RuntimeStatus } from "../../server/composition/contracts.ts";
import type { ServerRecord } from "../../server/schemas/server.ts";
import { RuntimeBanner } from "../components/RuntimeBanner.tsx";
import { HealthDot } from "../components/HealthDot.tsx";
import { ActiveToggle } from "../partials/ActiveToggle.tsx";
import { TableHead } from "../components/Table.tsx";

/** Props of {@linkcode ServersPage}. */
export interface ServersPageProps {
  servers: ServerRecord[];
  runtime: RuntimeStatus;
  /** Missing required env keys of the servers that need setup, by server id. */
  needsSetup?: ReadonlyMap<string, readonly string[]>;
}

function EmptyState() {
  return (
    <section class="empty card">
      <h2>No servers yet</h2>
      <p>Add an MCP server in one of three ways:</p>
      <ol>
        <li>
          <strong>A GitHub repository</strong> — e.g.{" "}
          <code>https://github.com/modelcontextprotocol/servers/tree/main/src/fetch</code>. The
          router reads its README and manifests (and asks Claude when an API key is set) to propose
          a launch plan you review.
        </li>
        <li>
          <strong>A package</strong> — <code>npx:@modelcontextprotocol/server-everything</code>,
          {" "}
          <code>uvx:mcp-server-fetch</code> or a container image <code>image:REF</code>.
        </li>
        <li>
          <strong>A remote MCP URL</strong> — e.g. <code>https://example.com/mcp</code>{" "}
          (streamable HTTP or SSE).
        </li>
      </ol>
      <p>
        <a class="button primary" href="/servers/new">Add a server</a>
      </p>
    </section>
  );
}

/** The server list. */
export function ServersPage({ servers, runtime, needsSetup }: ServersPageProps) {
  return (
    <>
      <div class="page-head">
        <h1>Servers</h1>
        <a class="button primary" href="/servers/new">Add server</a>
      </div>
      <RuntimeBanner status={runtime} />
      {servers.length === 0 ? <EmptyState /> : (
        <table class="list servers">
          <caption class="sr-only">MCP servers</caption>
          <TableHead
            columns={["Server", "Runtime", "Transport", "Last test", "Tools", "Active"]}
            hidden="Actions"
          />
          <tbody>
            {servers.map((s) => (
              <tr data-server={s.name}>
                <th scope="row" data-label="Server">
                  <a href={`/servers/${encodeURIComponent(s.id)}`} class="server-link">
                    {s.display_name || s.name}
                  </a>
                  <span class="muted small block">{s.name}</span>
                  {s.description ? <span class="desc small block">{s.description}</span> : null}
                </th>
                <td data-label="Runtime">
                  <span class="tag">{s.runtime}</span>
                </td>
                <td data-label="Transport">{s.transport}</td>
                <td data-label="Last test">
                  <HealthDot
                    health={s.health}
                    missing={needsSetup?.get(s.id)}
                    envHref={`/servers/${encodeURIComponent(s.id)}#env`}
                  />
                </td>
                <td data-label="Tools">
                  {s.capabilities ? s.capabilities.tools.length : <span class="muted">—</span>}
                </td>
                <td data-label="Active">
                  <ActiveToggle id={s.id} name={s.name} active={s.active} />
                </td>
                <td data-label="Actions" class="actions">
                  <a href={`/servers/${encodeURIComponent(s.id)}`}>Open</a>
                  <a href={`/servers/${encodeURIComponent(s.id)}/delete`} class="danger-link">
                    Delete
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
