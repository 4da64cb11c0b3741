/** A view's load state: loading, the last error, or when the data was refreshed. */
import { useApp } from "../context.ts";
import type { Polled } from "../poll.ts";

export function Status(props: { polled: Polled<unknown> }) {
  const { t } = useApp();
  const p = props.polled;
  if (p.error && !p.data)
    return (
      <p class="error" role="alert">
        {t("common.error", { msg: p.error.message })}
      </p>
    );
  if (!p.data) return <p class="loading">{t("common.loading")}</p>;
  return (
    <p class="updated">
      {t("common.updated", { time: p.at?.toLocaleTimeString() ?? "" })}
      {p.error ? ` · ${t("common.error", { msg: p.error.message })}` : ""}
    </p>
  );
}
