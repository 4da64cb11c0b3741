/**
 * One report, fetched with the session's token and shown in a sandboxed frame (the
 * reports are self-contained and run no script); "open in a new tab" hands the same
 * HTML over as a blob URL.
 */
import { apiFetch } from "../../api.ts";
import { Status } from "../../components/status.tsx";
import { useApp } from "../../context.ts";
import { usePoll } from "../../poll.ts";
import { linkClick, withLang } from "../../router.ts";

export function ReportView(props: { path: string }) {
  const { t } = useApp();
  const file = `/v1/simulations/file/${props.path.split("/").map(encodeURIComponent).join("/")}`;
  const polled = usePoll(async () => (await apiFetch(file)).text(), [file], 0);
  const openTab = () => {
    if (polled.data === undefined) return;
    open(URL.createObjectURL(new Blob([polled.data], { type: "text/html" })), "_blank", "noopener");
  };
  return (
    <div class="view report">
      <p>
        <a href={withLang("/simulations")} onClick={linkClick}>
          {t("sims.back")}
        </a>{" "}
        · <code>{props.path}</code>{" "}
        <button type="button" class="link" onClick={openTab} disabled={polled.data === undefined}>
          {t("sims.newTab")}
        </button>
      </p>
      <Status polled={polled} />
      {polled.data !== undefined && (
        <iframe title={props.path} sandbox="" srcdoc={polled.data} class="report-frame" />
      )}
    </div>
  );
}
