/**
 * History routing: every view has a URL (/fleet, /jobs?state=pending, /jobs/12,
 * /simulations/demo/report.html), and ?lang= is kept across navigation. The server
 * answers index.html for each of these paths (src/service/routes/web.ts VIEW_PATHS).
 */
import { useEffect, useState } from "preact/hooks";

export interface Route {
  readonly path: string;
  readonly query: URLSearchParams;
}

const current = (): Route => ({
  path: location.pathname,
  query: new URLSearchParams(location.search),
});
const listeners = new Set<() => void>();

/** Goes to `href` (path and optional query); keeps ?lang unless `href` sets it. */
export function navigate(href: string, replace = false): void {
  const url = new URL(href, location.origin);
  const lang = new URLSearchParams(location.search).get("lang");
  if (lang !== null && !url.searchParams.has("lang")) url.searchParams.set("lang", lang);
  const next = url.pathname + url.search;
  if (next !== location.pathname + location.search) {
    if (replace) history.replaceState(null, "", next);
    else history.pushState(null, "", next);
  }
  for (const f of listeners) f();
}

/** The current route; re-renders on navigation and on back/forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const f = () => setRoute(current());
    listeners.add(f);
    addEventListener("popstate", f);
    return () => {
      listeners.delete(f);
      removeEventListener("popstate", f);
    };
  }, []);
  return route;
}

/** `href` with the current ?lang appended, for plain links. */
export function withLang(href: string): string {
  const lang = new URLSearchParams(location.search).get("lang");
  if (lang === null) return href;
  return `${href}${href.includes("?") ? "&" : "?"}lang=${lang}`;
}

/** Click handler for in-app links: navigate without reloading (modifier clicks open tabs). */
export function linkClick(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (a === null || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute("href") ?? "/");
}
