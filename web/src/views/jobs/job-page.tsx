/**
 * One job: state and spec, cancel (for roles that may; the API refuses others anyway),
 * a pending job's start forecast, the explain-pending text, its placement on the fleet
 * map, and its events. Polled.
 */
import { useState } from "preact/hooks";
import { ApiError, api } from "../../api.ts";
import { Status } from "../../components/status.tsx";
import { canWriteJobs, useApp } from "../../context.ts";
import { formatTime } from "../../format.ts";
import { usePoll } from "../../poll.ts";
import { linkClick, withLang } from "../../router.ts";
import type { Explain, Job, JobEvent } from "../../types.ts";
import { FleetMap } from "../fleet/fleet-map.tsx";
import { loadNodes } from "../fleet/load.ts";
import { JobForecast, loadForecast } from "./job-forecast.tsx";
import { FINAL_STATES, jobDevices, jobElapsed } from "./job-format.ts";

export function JobPage(props: { id: number }) {
  const { t, me } = useApp();
  const [message, setMessage] = useState<string | null>(null);
  const polled = usePoll(async () => {
    const [job, events, explain] = await Promise.all([
      api<Job>(`/v1/jobs/${props.id}`),
      api<{ items: JobEvent[] }>(`/v1/jobs/${props.id}/events`),
      api<Explain>(`/v1/jobs/${props.id}/explain`),
    ]);
    const [nodes, forecast] = await Promise.all([
      job.placement.length > 0 ? loadNodes() : [],
      job.state === "pending" ? loadForecast(props.id) : null,
    ]);
    return { job, events: events.items, explain, nodes, forecast };
  }, [props.id]);
  const d = polled.data;
  const cancel = async () => {
    if (!confirm(t("job.cancelConfirm", { id: props.id }))) return;
    try {
      await api<Job>(`/v1/jobs/${props.id}/cancel`, "POST");
      setMessage(t("job.cancelled"));
    } catch (err) {
      setMessage(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
    polled.refresh();
  };
  const j = d?.job;
  const highlight = new Map((j?.placement ?? []).map((m) => [m.node, m.devices]));
  const placed = new Set(highlight.keys());
  return (
    <div class="view job">
      <p>
        <a href={withLang("/jobs")} onClick={linkClick}>
          {t("job.back")}
        </a>
      </p>
      <Status polled={polled} />
      {d && j && (
        <>
          <h1>
            {t("job.title", { id: j.id, name: j.name })}{" "}
            <span class={`pill ${j.state}`} data-state={j.state}>
              {t(`state.${j.state}` as "state.pending")}
            </span>
          </h1>
          <dl class="facts">
            <dt>{t("jobs.queue")}</dt>
            <dd>{j.queue}</dd>
            <dt>{t("jobs.user")}</dt>
            <dd>{j.user}</dd>
            <dt>{t("jobs.devices")}</dt>
            <dd>{jobDevices(j)}</dd>
            <dt>{t("jobs.submitted")}</dt>
            <dd>{formatTime(j.submittedAt)}</dd>
            <dt>{t("job.startedAt")}</dt>
            <dd>{formatTime(j.startedAt)}</dd>
            <dt>{t("job.endedAt")}</dt>
            <dd>{formatTime(j.endedAt)}</dd>
            <dt>{t("jobs.waitedRan")}</dt>
            <dd>{jobElapsed(j, Date.now())}</dd>
            <dt>{t("jobs.reason")}</dt>
            <dd>{j.reason ?? "–"}</dd>
          </dl>
          {canWriteJobs(me) && !FINAL_STATES.includes(j.state) && (
            <button type="button" class="danger" data-action="cancel" onClick={cancel}>
              {t("job.cancel")}
            </button>
          )}
          {message && <p class="message">{message}</p>}
          {j.state === "pending" && d.forecast && (
            <JobForecast forecast={d.forecast} now={Date.now()} />
          )}
          <section class="explain card">
            <h2>{t("job.explain")}</h2>
            <p class="summary" data-explain-summary>
              {d.explain.summary}{" "}
              <small>{t("job.explainAsOf", { time: formatTime(d.explain.asOf) })}</small>
            </p>
            <ul>
              {d.explain.lines.map((l, i) => (
                <li key={i} class={l.blocking ? "blocking" : "ok"}>
                  <span class="tag">{l.blocking ? t("job.blocking") : t("job.ok")}</span>{" "}
                  <code>{l.constraint}</code> {l.text}
                </li>
              ))}
            </ul>
          </section>
          <section>
            <h2>{t("job.placement")}</h2>
            {placed.size === 0 ? (
              <p>{t("job.noPlacement")}</p>
            ) : (
              <FleetMap
                nodes={d.nodes.filter((n) => placed.has(n.id) || d.nodes.length <= 200)}
                highlight={highlight}
              />
            )}
          </section>
          <section>
            <h2>{t("job.events")}</h2>
            <table class="grid events">
              <tbody>
                {d.events.map((e, i) => (
                  <tr key={i} data-event={e.kind}>
                    <td>{formatTime(e.at)}</td>
                    <td>
                      <b>{e.kind}</b>
                    </td>
                    <td>
                      <code>{JSON.stringify(e.detail)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <details>
            <summary>{t("job.spec")}</summary>
            <pre>{JSON.stringify(j.spec, null, 2)}</pre>
          </details>
        </>
      )}
    </div>
  );
}
