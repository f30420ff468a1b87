/**
 * @module Add-server page (`/servers/new`): one input for a GitHub URL, `npx:`/`uvx:`/`image:`
 * package or remote MCP URL, and an "Analyze" button.
 */
import { Checkbox, TextField } from "../components/Field.tsx";
import { Form } from "../components/Form.tsx";

/** Props of {@linkcode NewServerPage}. */
export interface NewServerPageProps {
  source?: string;
  error?: string;
  /** Whether "verify by launching" starts checked (Podman available). */
  verify: boolean;
}

/** The source form. */
export function NewServerPage({ source = "", error, verify }: NewServerPageProps) {
  return (
    <>
      <h1>Add a server</h1>
      <Form method="post" action="/servers/new" class="card source-form">
        <TextField
          label="Source"
          name="source"
          value={source}
          error={error}
          required
          placeholder="https://github.com/owner/repo, npx:package, uvx:package, image:ref or https://host/mcp"
          autocomplete="off"
          hint={
            <>
              A GitHub URL (<code>https://github.com/owner/repo</code>, or a folder in it), a
              package (<code>npx:@modelcontextprotocol/server-everything</code>,{" "}
              <code>uvx:mcp-server-fetch</code>), a container image (<code>image:REF</code>) or a
              remote MCP server URL.
            </>
          }
        />
        <Checkbox
          label="Verify by launching it once (needs Podman)"
          name="verify"
          checked={verify}
        />
        <div class="form-actions">
          <button type="submit" class="primary">Analyze</button>
        </div>
      </Form>
      <section class="muted small">
        <p>
          Analysis reads the repository's README and manifests (and asks Claude when{" "}
          <code>ANTHROPIC_API_KEY</code>{" "}
          is set), then shows the proposed plan for review. Nothing is saved until you press “Save
          server”.
        </p>
      </section>
    </>
  );
}
