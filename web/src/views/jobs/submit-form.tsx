/** The submit form (POST /v1/jobs): leaf queue, size, fraction, device type, duration. */
import { useState } from "preact/hooks";
import { ApiError, api } from "../../api.ts";
import { useApp } from "../../context.ts";
import { usePoll } from "../../poll.ts";
import type { FleetSummary, Job, Queue } from "../../types.ts";

const CLASSES = ["batch", "inference", "simulation", "interactive"] as const;

export function SubmitForm(props: { onSubmitted: (id: number) => void }) {
  const { t } = useApp();
  const opts = usePoll(
    async () => {
      const [queues, fleet] = await Promise.all([
        api<{ items: Queue[] }>("/v1/queues"),
        api<FleetSummary>("/v1/fleet"),
      ]);
      return {
        leaves: queues.items.filter((q) => q.leaf).map((q) => q.path),
        types: fleet.deviceTypes.map((d) => d.id),
      };
    },
    [],
    0,
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const str = (k: string) => String(f.get(k) ?? "").trim();
    const share = str("deviceShare");
    const type = str("deviceType");
    const body = {
      queue: str("queue"),
      ...(str("name") && { name: str("name") }),
      class: str("class"),
      members: Number(str("members")),
      devices: share ? 1 : Number(str("devices")),
      ...(share && { deviceShare: Number(share) }),
      ...(type && { deviceTypes: [type] }),
      duration: Math.round(Number(str("duration")) * 60),
    };
    setBusy(true);
    setError(null);
    try {
      const job = await api<Job>("/v1/jobs", "POST", body);
      props.onSubmitted(job.id);
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };
  const o = opts.data;
  return (
    <form class="submit-form card" onSubmit={submit}>
      <label>
        {t("submit.queue")}
        <select name="queue" required>
          {(o?.leaves ?? []).map((q) => (
            <option key={q} value={q}>
              {q}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("submit.name")}
        <input
          name="name"
          pattern="[A-Za-z0-9][A-Za-z0-9._\-]*"
          maxLength={64}
          placeholder="my-job"
        />
      </label>
      <label>
        {t("submit.class")}
        <select name="class">
          {CLASSES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("submit.members")}
        <input name="members" type="number" min={1} max={4096} value={1} required />
      </label>
      <label>
        {t("submit.devices")}
        <input name="devices" type="number" min={0} max={64} value={1} required />
      </label>
      <label>
        {t("submit.share")}
        <input name="deviceShare" type="number" min={0.001} max={1} step="any" placeholder="0.25" />
      </label>
      <label>
        {t("submit.type")}
        <select name="deviceType">
          <option value="">{t("common.any")}</option>
          {(o?.types ?? []).map((ty) => (
            <option key={ty} value={ty}>
              {ty}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("submit.duration")}
        <input name="duration" type="number" min={0.1} step="any" value={60} required />
      </label>
      <button type="submit" disabled={busy || !o}>
        {t("submit.go")}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
