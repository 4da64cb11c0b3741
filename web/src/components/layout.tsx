/** Header (brand, navigation, caller, language switch, log out) around a view. */
import type { ComponentChildren } from "preact";
import { setToken } from "../api.ts";
import { useApp } from "../context.ts";
import type { MessageKey } from "../i18n/index.ts";
import { linkClick, navigate, withLang } from "../router.ts";

const NAV: readonly [string, MessageKey][] = [
  ["/fleet", "nav.fleet"],
  ["/queues", "nav.queues"],
  ["/jobs", "nav.jobs"],
  ["/usage", "nav.usage"],
  ["/simulations", "nav.simulations"],
];

export function Layout(props: { path: string; onLogout: () => void; children: ComponentChildren }) {
  const { t, lang, me } = useApp();
  const other = lang === "ko" ? "en" : "ko";
  const switchLang = (e: MouseEvent) => {
    e.preventDefault();
    const q = new URLSearchParams(location.search);
    q.set("lang", other);
    navigate(`${location.pathname}?${q}`);
  };
  return (
    <div class="shell">
      <header>
        <a class="brand" href={withLang("/fleet")} onClick={linkClick}>
          <b>{t("app.title")}</b> <span>{t("app.subtitle")}</span>
        </a>
        <nav>
          {NAV.map(([href, key]) => (
            <a
              key={href}
              href={withLang(href)}
              onClick={linkClick}
              class={props.path === href || props.path.startsWith(`${href}/`) ? "active" : ""}
              data-nav={href.slice(1)}
            >
              {t(key)}
            </a>
          ))}
        </nav>
        <span class="who" data-role={me.role}>
          {me.name} · {me.role}
          {me.tenant ? ` · ${me.tenant}` : ""}
        </span>
        <a href={`?lang=${other}`} class="lang" data-lang={other} onClick={switchLang}>
          {t("lang.switch")}
        </a>
        <button
          type="button"
          class="link"
          onClick={() => {
            setToken(null);
            props.onLogout();
          }}
        >
          {t("nav.logout")}
        </button>
      </header>
      <main>{props.children}</main>
    </div>
  );
}
