/** Token login: checks the token with GET /v1/whoami, keeps it in sessionStorage. */
import { useState } from "preact/hooks";
import { ApiError, apiFetch, setToken } from "../../api.ts";
import { useApp } from "../../context.ts";
import { navigate } from "../../router.ts";
import type { Me } from "../../types.ts";

export function LoginView(props: { next: string; signedIn: boolean; onLogin: (me: Me) => void }) {
  const { t } = useApp();
  const [token, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const res = await apiFetch("/v1/whoami", {}, token.trim());
      const me = (await res.json()) as Me;
      setToken(token.trim());
      props.onLogin(me);
      navigate(props.next.startsWith("/") ? props.next : "/fleet", true);
    } catch (err) {
      setError(t("login.invalid", { msg: err instanceof ApiError ? err.message : String(err) }));
    }
  };
  return (
    <form class="login card" onSubmit={submit}>
      <h1>
        {t("app.title")} <small>{t("app.subtitle")}</small>
      </h1>
      <h2>{t("login.title")}</h2>
      <label>
        {t("login.token")}
        <input
          name="token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          placeholder="gj_…"
          required
        />
      </label>
      <button type="submit">{t("login.submit")}</button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="hint">{t("login.hint")}</p>
    </form>
  );
}
