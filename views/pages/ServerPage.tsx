/**
 * @module Server page (`/servers/:id`): summary, Test, live logs, tool catalog with Try-it,
 * env values, the editable plan and delete.
 */
import type { EnvStatus, VersionedServer } from "../../server/schemas/records.ts";
import type { RuntimeStatus } from "../../server/composition/contracts.ts";
import type { CallView, FieldErrors, PlanFormValues, TestView } from "../types.ts";
import { HealthDot } from "../components/HealthDot.tsx";
import { ProtocolEraTag } from "../components/ProtocolEraTag.tsx";
import { Alert } from "../components/Alert.tsx";
import { RuntimeBanner } from "../components/RuntimeBanner.tsx";
import { ActiveToggle } from "../partials/ActiveToggle.tsx";
import { LastTestFailure, TestResult } from "../partials/TestResult.tsx";
import { LogTail } from "../partials/LogTail.tsx";
import { EnvValues } from "../partials/EnvValues.tsx";
import { PlanForm } from "../partials/PlanForm.tsx";
import type { ToolCatalogProps } from "../partials/ToolCatalog.tsx";
import { type CapabilityTab, CapabilityTabs } from "../partials/CapabilityTabs.tsx";
import { capabilityCounts, CapabilityPanel } from "../partials/CapabilityPanel.tsx";
import type { ResourcesPanelProps } from "../partials/ResourcesPanel.tsx";
import type { PromptsPanelProps } from "../partials/PromptsPanel.tsx";
import { Form } from "../components/Form.tsx";
import { DownstreamAuth, type DownstreamAuthView } from "../partials/DownstreamAuth.tsx";

/** Props of {@linkcode ServerPage}. */
export interface ServerPageProps {
  server: VersionedServer;
  env: EnvStatus[];
  runtime: RuntimeStatus;
  /** Plan form values (the stored plan, or what was typed). */
  values: PlanFormValues;
  errors?: FieldErrors;
  /** The version the edit form carries (the typed one on a conflict). */
  version?: string;
  logs: string[];
  test?: TestView;
  /** A Try-it result (no-JS post): tool name, typed values, errors, result or call. */
  tryIt?: ToolCatalogProps["tryIt"];
  /** The capability tab shown (default: tools). */
  tab?: CapabilityTab;
  /** The last resource read (no-JS post). */
  read?: ResourcesPanelProps["read"];
  /** The last prompt get (no-JS post). */
  get?: PromptsPanelProps["get"];
  /** The last UI calls to this server. */
  history?: CallView[];
  /** The Authorization card (remote servers). */
  authorization?: DownstreamAuthView;
}

/** The server detail page. */
export function ServerPage(props: ServerPageProps) {
  const { server, env, runtime, values, errors, logs, test, tryIt } = props;
  const tab = props.tab ?? "tools";
  const id = encodeURIComponent(server.id);
  const missing = server.env.filter((s) =>
    s.required && s.default === undefined && !env.find((e) => e.key === s.key && e.set)
  );
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{server.display_name || server.name}</h1>
          <p class="muted">
            <code>{server.name}</code> · <span class="tag">{server.runtime}</span>{" "}
            {server.transport} · <ProtocolEraTag capabilities={server.capabilities} /> ·{" "}
            <span id="server-health">
              <HealthDot
                health={server.health}
                missing={missing.map((m) => m.key)}
                envHref={`/servers/${id}#env`}
              />
            </span>
          </p>
        </div>
        <ActiveToggle
          id={server.id}
          name={server.name}
          active={server.active}
          redirect={`/servers/${id}`}
        />
      </div>
      {server.description ? <p class="pre-wrap lead">{server.description}</p> : null}
      <p class="small muted">
        Source: <code>{server.source.kind}</code> <code class="break">{server.source.ref}</code>
      </p>
      {!runtime.ok && server.runtime !== "remote" ? <RuntimeBanner status={runtime} /> : null}

      <nav class="toc" aria-label="On this page">
        <a href="#test">Test</a> {props.authorization
          ? (
            <>
              <a href="#authorization">Authorization</a>
              {" "}
            </>
          )
          : null}
        <a href="#tools">Tools</a> <a href="#env">Environment</a> <a href="#plan">Plan</a>{" "}
        <a href="#logs">Logs</a> <a href="#danger">Delete</a>
      </nav>

      <section id="test" class="card">
        <h2>Test</h2>
        <p class="small muted">
          Launches the server in a throw-away container, lists its tools, and stores them.
        </p>
        {missing.length
          ? (
            <Alert kind="warn">
              Set the required values first: {missing.map((m) => <code key={m.key}>{m.key}</code>)}
            </Alert>
          )
          : null}
        <div class="test-row">
          <Form
            method="post"
            action={`/servers/${id}/test`}
            hx-post={`/servers/${id}/test`}
            hx-target="#test-result"
            hx-swap="innerHTML"
            hx-disabled-elt="find button"
            class="inline-form"
          >
            <button type="submit" class="primary">Test</button>
            <span role="status">
              <span class="busy muted small">testing… (first launch builds an image)</span>
            </span>
          </Form>
          <div id="test-result" aria-live="polite">
            {test ? <TestResult test={test} /> : <LastTestFailure health={server.health} />}
          </div>
        </div>
      </section>

      {props.authorization
        ? <DownstreamAuth serverId={server.id} view={props.authorization} />
        : null}

      <section id="tools" class="card">
        <h2>Tools, resources and prompts</h2>
        <CapabilityTabs
          serverId={server.id}
          current={tab}
          counts={capabilityCounts(server, props.history?.length ?? 0)}
        />
        <div id="capability-panel">
          <CapabilityPanel
            server={server}
            tab={tab}
            tryIt={tryIt}
            read={props.read}
            get={props.get}
            history={props.history}
          />
        </div>
      </section>

      <section id="env" class="card">
        <h2>Environment values</h2>
        <EnvValues serverId={server.id} status={env} specs={server.env} />
      </section>

      <section id="plan" class="card">
        <h2>Plan</h2>
        <PlanForm
          mode="edit"
          action={`/servers/${id}/edit`}
          values={values}
          errors={errors}
          version={props.version ?? server.version}
        />
      </section>

      <section id="logs" class="card">
        <h2>Logs</h2>
        <p class="small muted">
          Last lines of the server's containers (stderr), refreshed every 2 seconds.{" "}
          <a href={`/servers/${id}#logs`}>Reload</a>
        </p>
        <LogTail serverId={server.id} lines={logs} />
      </section>

      <section id="danger" class="card danger-zone">
        <h2>Delete</h2>
        <p>Removes the server, its environment values and its install image.</p>
        <a
          class="button danger"
          href={`/servers/${id}/delete`}
          hx-post={`/servers/${id}/delete`}
          hx-confirm={`Delete the server ${server.name}? This cannot be undone.`}
        >
          Delete server
        </a>
      </section>
    </>
  );
}
