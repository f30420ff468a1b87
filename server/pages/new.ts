/**
 * @module Add-server pages: the source form, the background analysis with live progress, the
 * plan review form and saving it (`POST /servers`).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app/app_env.ts";
import { AppError } from "../errors.ts";
import { PlanSchema } from "../schemas/server.ts";
import { classifySource } from "../analyzer/source_plan.ts";
import { renderFragment, renderPage } from "../../views/render.ts";
import { NewServerPage } from "../../views/pages/NewServerPage.tsx";
import { AnalysisPage } from "../../views/pages/AnalysisPage.tsx";
import { AnalysisProgress } from "../../views/partials/AnalysisProgress.tsx";
import {
  type AnalysisView,
  emptyEnvRow,
  type FieldErrors,
  type PlanFormValues,
} from "../../views/types.ts";
import {
  field,
  type PageContext,
  type PagesContext,
  readForm,
  runtimeStatus,
  seeOther,
} from "./common.ts";
import { alternativeViews, withAlternative } from "./alternatives.ts";
import { jobView } from "./jobs.ts";
import { checkPlanForSave, createServerAudited } from "../services/server_ops.ts";
import { keepVerification } from "../services/kept_verification.ts";
import { fillArgFields, storeArgSecrets } from "../services/arg_values.ts";
import { argFieldValues } from "./arg_field_form.ts";
import {
  formToPlanInput,
  issuesToErrors,
  keptRows,
  parsePlanForm,
  planToFormValues,
  refusalToErrors,
} from "./forms.ts";

/** Plan fields the analyzer adds that the form does not show (kept from the job). */
const CARRIED = [
  "origin",
  "source",
  "evidence",
  "detected_tools",
  "warnings",
  "build",
  "install_resolution",
] as const;

function expiredJob(id: string): AnalysisView {
  return {
    id,
    source: "(analysis expired)",
    status: "done",
    steps: [],
    warnings: [],
    detectedTools: [],
  };
}

/** Mount `/servers/new…` and `POST /servers`. */
export function mountNewServerPages(app: OpenAPIHono<AppEnv>, ctx: PagesContext): void {
  const { services, jobs, drafts } = ctx;
  const { store } = services;

  const review = async (
    c: PageContext,
    jobId: string,
    values: PlanFormValues,
    errors: FieldErrors,
    status: number,
  ) => {
    await drafts.sealRows(values.env);
    await drafts.sealRows(values.arg_fields ?? []);
    const job = jobs.get(jobId);
    const view = job ? jobView(job) : expiredJob(jobId);
    return renderPage(c.req.raw, AnalysisPage({ job: view, values, errors }), {
      title: "Review plan",
      nav: "new",
      status,
      csrfToken: c.var.csrf?.token,
    });
  };

  app.get("/servers/new", async (c) => {
    const runtime = await runtimeStatus(services);
    return renderPage(
      c.req.raw,
      NewServerPage({ source: c.req.query("source") ?? "", verify: runtime.ok }),
      { title: "Add server", nav: "new", csrfToken: c.var.csrf?.token },
    );
  });

  app.post("/servers/new", async (c) => {
    const form = await readForm(c);
    const source = field(form, "source").trim();
    const verify = field(form, "verify") === "on";
    let error: string | undefined;
    if (!source) error = "Enter a GitHub URL, npx:/uvx:/image: package or MCP URL";
    else if (source.length > 2000) error = "That is too long for a source";
    else if (classifySource(source) === "invalid") {
      error =
        "Not a source the router understands: use https://github.com/owner/repo, npx:PKG, uvx:PKG, image:REF or an http(s) MCP URL";
    }
    if (error) {
      return renderPage(c.req.raw, NewServerPage({ source, error, verify }), {
        title: "Add server",
        nav: "new",
        status: 400,
        csrfToken: c.var.csrf?.token,
      });
    }
    const existingNames = new Set((await store.listServers()).map((s) => s.name));
    const job = jobs.start(services.analyze, { source, verify, existingNames });
    return seeOther(`/servers/new/${job.id}`);
  });

  app.get("/servers/new/:job", (c) => {
    const job = jobs.get(c.req.param("job"));
    if (!job) return seeOther("/servers/new");
    const view = jobView(job);
    // `?use=N`: the README's N-th other documented launch instead of the planned one.
    const use = Number(c.req.query("use") ?? NaN);
    const plan = job.plan && Number.isInteger(use) ? withAlternative(job.plan, use) : job.plan;
    const values = plan
      ? planToFormValues(plan as Parameters<typeof planToFormValues>[0])
      : undefined;
    const alternatives = plan ? alternativeViews(plan) : [];
    return renderPage(c.req.raw, AnalysisPage({ job: view, values, alternatives }), {
      title: job.status === "done" ? "Review plan" : "Analyzing",
      nav: "new",
      csrfToken: c.var.csrf?.token,
    });
  });

  app.get("/servers/new/:job/progress", (c) => {
    const job = jobs.get(c.req.param("job"));
    if (!job) {
      return new Response(null, { status: 200, headers: { "hx-redirect": "/servers/new" } });
    }
    if (job.status !== "running") {
      return new Response(null, {
        status: 200,
        headers: { "hx-redirect": `/servers/new/${job.id}` },
      });
    }
    return renderFragment(AnalysisProgress({ job: jobView(job) }), {
      csrfToken: c.var.csrf?.token,
    });
  });

  app.post("/servers", async (c) => {
    const form = await readForm(c);
    const parsed = parsePlanForm(form);
    const jobId = parsed.job ?? "none";
    const { values } = parsed;
    await drafts.openRows(values.env);
    await drafts.openRows(values.arg_fields ?? []);
    if (parsed.action === "add_env") {
      values.env.push(emptyEnvRow());
      return review(c, jobId, values, {}, 200);
    }
    if (parsed.action === "remove_env" || parsed.action === "rows") {
      return review(c, jobId, values, {}, 200);
    }

    const carried: Record<string, unknown> = {};
    const plan = jobs.get(jobId)?.plan;
    for (const k of CARRIED) if (plan?.[k] !== undefined) carried[k] = plan[k];
    // "Save anyway (inactive)" after a failed verification: saved switched off.
    const inactive = parsed.action === "save_inactive" ? { active: false } : {};
    const checked = PlanSchema.safeParse({ ...carried, ...formToPlanInput(values), ...inactive });
    if (!checked.success) {
      return review(c, jobId, values, issuesToErrors(checked.error.issues, values), 400);
    }
    const filled = fillArgFields(checked.data, argFieldValues(values.arg_fields ?? []));
    if (filled.missing.length) {
      const flags = filled.missing.map((i) => values.arg_fields?.[i]?.flag).join(", ");
      const errors: FieldErrors = { _form: `Enter your value for ${flags}: the server needs it.` };
      for (const i of filled.missing) errors[`argfield.${i}.value`] = "required: enter your value";
      return review(c, jobId, values, errors, 400);
    }
    const refused = await checkPlanForSave(services, filled.plan).then(() => null, (e) => e);
    if (refused) {
      if (!(refused instanceof AppError)) throw refused;
      const errors = refusalToErrors(refused, values) ?? { url: refused.message };
      return review(c, jobId, values, errors, 400);
    }
    let created;
    try {
      created = await createServerAudited(store, filled.plan, c.get("actor"));
    } catch (error) {
      if (error instanceof AppError && error.status === 409) {
        return review(c, jobId, values, { name: error.message }, 409);
      }
      if (error instanceof AppError && error.status === 400) {
        return review(c, jobId, values, { url: error.message }, 400);
      }
      throw error;
    }
    await keepVerification(store, created, plan);
    await storeArgSecrets(store, created, filled.secrets, c.get("actor"));
    for (const row of keptRows(values)) {
      if (row.value === "") continue;
      await store.setEnv(created.id, row.key.trim(), row.value, row.secret);
      await store.appendAudit({
        actor: c.get("actor"),
        action: "server.env.set",
        target: created.name,
        details: {
          key: row.key.trim(),
          secret: row.secret,
          value: row.secret ? "[secret]" : row.value,
        },
      });
    }
    services.hub?.broadcastToolsChanged();
    return seeOther(`/servers/${encodeURIComponent(created.id)}?msg=created`);
  });
}
