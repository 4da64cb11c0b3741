/**
 * The shell: resolves the language, restores the session (GET /v1/whoami with the
 * stored token), sends a visitor without one to /login, and picks the view for the URL.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, getToken, onUnauthorized } from "./api.ts";
import { Layout } from "./components/layout.tsx";
import { AppContext } from "./context.ts";
import { pickLang, translator } from "./i18n/index.ts";
import { navigate, type Route, useRoute } from "./router.ts";
import type { Me } from "./types.ts";
import { FleetView } from "./views/fleet/fleet-view.tsx";
import { JobPage } from "./views/jobs/job-page.tsx";
import { JobsView } from "./views/jobs/jobs-view.tsx";
import { LoginView } from "./views/login/login-view.tsx";
import { QueuesView } from "./views/queues/queues-view.tsx";
import { ReportView } from "./views/simulations/report-view.tsx";
import { SimulationsView } from "./views/simulations/simulations-view.tsx";
import { UsageView } from "./views/usage/usage-view.tsx";

function loginHref(route: Route): string {
  const next =
    route.path === "/login"
      ? "/fleet"
      : route.path + (route.query.toString() ? `?${route.query}` : "");
  return `/login?next=${encodeURIComponent(next)}`;
}

function view(route: Route) {
  const p = route.path;
  if (p === "/fleet" || p === "/") return <FleetView />;
  if (p === "/queues") return <QueuesView />;
  if (p === "/jobs") return <JobsView query={route.query} />;
  const job = /^\/jobs\/(\d+)$/.exec(p);
  if (job) return <JobPage id={Number(job[1])} />;
  if (p === "/usage") return <UsageView query={route.query} />;
  if (p === "/simulations") return <SimulationsView />;
  if (p.startsWith("/simulations/"))
    return <ReportView path={decodeURIComponent(p.slice("/simulations/".length))} />;
  return <FleetView />;
}

export function App() {
  const route = useRoute();
  const lang = pickLang(location.search, navigator.languages ?? [navigator.language]);
  const t = useMemo(() => translator(lang), [lang]);
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t("app.title")} · ${t("app.subtitle")}`;
  }, [lang, t]);

  useEffect(() => {
    onUnauthorized(() => {
      setMe(null);
      navigate(
        loginHref({ path: location.pathname, query: new URLSearchParams(location.search) }),
        true,
      );
    });
    if (getToken() === null) setMe(null);
    else api<Me>("/v1/whoami").then(setMe, () => setMe(null));
  }, []);

  useEffect(() => {
    if (me === null && route.path !== "/login") navigate(loginHref(route), true);
  }, [me, route]);

  if (me === undefined) return <p class="loading">{t("common.loading")}</p>;
  if (me === null || route.path === "/login")
    return (
      <AppContext.Provider
        value={{ t, lang, me: me ?? { name: "", role: "viewer", tenant: null } }}
      >
        <LoginView
          next={route.query.get("next") ?? "/fleet"}
          onLogin={(m) => setMe(m)}
          signedIn={me !== null}
        />
      </AppContext.Provider>
    );
  return (
    <AppContext.Provider value={{ t, lang, me }}>
      <Layout path={route.path} onLogout={() => setMe(null)}>
        {view(route)}
      </Layout>
    </AppContext.Provider>
  );
}
