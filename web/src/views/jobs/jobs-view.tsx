/**
 * Jobs: a table filtered by state and tenant (server side) and by text (name, queue,
 * user); the filters live in the URL (/jobs?state=pending&tenant=snu&q=llm). Pending
 * jobs get an ETA, their forecast P50, from one GET /v1/forecasts per poll. Users who may
 * submit get the submit form. Polled.
 */
import { useState } from "preact/hooks";
import { api } from "../../api.ts";
import { Status } from "../../components/status.tsx";
import { canWriteJobs, useApp } from "../../context.ts";
import { formatTime } from "../../format.ts";
import { usePoll } from "../../poll.ts";
import { linkClick, navigate, withLang } from "../../router.ts";
import type { Forecast, Job, Page, Tenant } from "../../types.ts";
import { COMPUTING_CELL, etaText } from "./forecast-format.ts";
import { jobDevices, jobElapsed } from "./job-format.ts";
import { SubmitForm } from "./submit-form.tsx";

const STATES = ["pending", "running", "stopping", "succeeded", "failed", "cancelled"] as const;

export function JobsView(props: { query: URLSearchParams }) {
  const { t, me } = useApp();
  const state = props.query.get("state") ?? "";
  const tenant = props.query.get("tenant") ?? "";
  const text = props.query.get("q") ?? "";
  const [showForm, setShowForm] = useState(props.query.get("submit") === "1");
  const polled = usePoll(async () => {
    const q = new URLSearchParams({ limit: "200" });
    if (state) q.set("state", state);
    if (tenant) q.set("tenant", tenant);
    const [jobs, tenants] = await Promise.all([
      api<Page<Job>>(`/v1/jobs?${q}`),
      api<{ items: Tenant[] }>("/v1/tenants"),
    ]);
    return { jobs: jobs.items, tenants: tenants.items, forecasts: await forecasts(jobs.items) };
  }, [state, tenant]);
  const setFilter = (k: string, v: string) => {
    const q = new URLSearchParams(location.search);
    if (v) q.set(k, v);
    else q.delete(k);
    navigate(`/jobs?${q}`, true);
  };
  const needle = text.toLowerCase();
  const rows = (polled.data?.jobs ?? []).filter(
    (j) => !needle || `${j.name} ${j.queue} ${j.user}`.toLowerCase().includes(needle),
  );
  const now = Date.now();
  return (
    <div class="view jobs">
      <h1>{t("jobs.title")}</h1>
      {canWriteJobs(me) && (
        <details
          open={showForm}
          onToggle={(e) => setShowForm((e.target as HTMLDetailsElement).open)}
        >
          <summary data-action="open-submit">{t("jobs.submit")}</summary>
          <SubmitForm onSubmitted={(id) => navigate(`/jobs/${id}`)} />
        </details>
      )}
      <div class="filters">
        <label>
          {t("jobs.filter.state")}{" "}
          <select
            name="state"
            value={state}
            onChange={(e) => setFilter("state", (e.target as HTMLSelectElement).value)}
          >
            <option value="">{t("common.all")}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {me.tenant === null && (
          <label>
            {t("jobs.filter.tenant")}{" "}
            <select
              name="tenant"
              value={tenant}
              onChange={(e) => setFilter("tenant", (e.target as HTMLSelectElement).value)}
            >
              <option value="">{t("common.all")}</option>
              {(polled.data?.tenants ?? []).map((x) => (
                <option key={x.id} value={x.id}>
                  {x.id}
                </option>
              ))}
            </select>
          </label>
        )}
        <input
          type="search"
          name="q"
          placeholder={t("jobs.filter.text")}
          value={text}
          onChange={(e) => setFilter("q", (e.target as HTMLInputElement).value)}
        />
      </div>
      <Status polled={polled} />
      {polled.data && (
        <div class="scroll">
          <table class="grid jobs-table">
            <thead>
              <tr>
                <th>{t("jobs.id")}</th>
                <th>{t("jobs.name")}</th>
                <th>{t("jobs.queue")}</th>
                <th>{t("jobs.user")}</th>
                <th>{t("jobs.state")}</th>
                <th>{t("jobs.devices")}</th>
                <th>{t("jobs.submitted")}</th>
                <th>{t("jobs.waitedRan")}</th>
                <th title={t("jobs.etaHelp")}>{t("jobs.eta")}</th>
                <th>{t("jobs.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((j) => (
                <tr key={j.id} data-job={j.id}>
                  <td class="num">
                    <a href={withLang(`/jobs/${j.id}`)} onClick={linkClick}>
                      {j.id}
                    </a>
                  </td>
                  <td>
                    <a href={withLang(`/jobs/${j.id}`)} onClick={linkClick}>
                      {j.name}
                    </a>
                  </td>
                  <td>{j.queue}</td>
                  <td>{j.user}</td>
                  <td>
                    <span class={`pill ${j.state}`}>
                      {t(`state.${j.state}` as "state.pending")}
                    </span>
                  </td>
                  <td>{jobDevices(j)}</td>
                  <td>{formatTime(j.submittedAt)}</td>
                  <td class="num">{jobElapsed(j, now)}</td>
                  {j.state === "pending" ? (
                    <EtaCell f={polled.data?.forecasts.get(j.id)} now={now} />
                  ) : (
                    <td />
                  )}
                  <td class="reason">{j.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 && <p>{t("jobs.empty")}</p>}
        </div>
      )}
    </div>
  );
}

/**
 * The forecasts of the pending jobs among `jobs` (at most 200, within the API's 500), in
 * one request; empty when it fails (the ETA cells stay blank, the table still shows).
 */
async function forecasts(jobs: readonly Job[]): Promise<Map<number, Forecast>> {
  const ids = jobs.filter((j) => j.state === "pending").map((j) => j.id);
  if (ids.length === 0) return new Map();
  try {
    const got = await api<{ items: Forecast[] }>(`/v1/forecasts?ids=${ids.join(",")}`);
    return new Map(got.items.map((f) => [f.jobId, f]));
  } catch {
    return new Map();
  }
}

function EtaCell(props: { f: Forecast | undefined; now: number }) {
  const { t } = useApp();
  const text = etaText(props.f, props.now, t);
  return (
    <td
      class="eta"
      data-eta={props.f?.status ?? ""}
      title={
        text === COMPUTING_CELL
          ? t("forecast.computing")
          : props.f?.p50
            ? formatTime(props.f.p50)
            : undefined
      }
    >
      {text}
    </td>
  );
}
