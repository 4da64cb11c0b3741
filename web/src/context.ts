/** What every view reads: the translator, the language and the signed-in caller. */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { type Lang, type T, translator } from "./i18n/index.ts";
import type { Me } from "./types.ts";

export interface AppState {
  readonly t: T;
  readonly lang: Lang;
  readonly me: Me;
}

export const AppContext = createContext<AppState>({
  t: translator("en"),
  lang: "en",
  me: { name: "", role: "viewer", tenant: null },
});

export const useApp = (): AppState => useContext(AppContext);

const WRITERS: readonly Me["role"][] = ["admin", "tenant-admin", "member"];

/** Whether `me` may submit and cancel jobs (the API checks again on every call). */
export const canWriteJobs = (me: Me): boolean => WRITERS.includes(me.role);
