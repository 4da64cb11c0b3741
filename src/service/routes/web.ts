/**
 * The dashboard and the simulation reports.
 *
 * - `/` and every dashboard view's URL (`/fleet`, `/jobs/12`, …) answer web/dist/index.html
 *   (history routing; the app reads the path), `/assets/*` the built, content-hashed files.
 *   Without a build, those URLs answer a 503 page that says how to build it.
 * - `GET /v1/whoami`: the caller's name, role and tenant, so the dashboard shows only the
 *   buttons the API would honour (the API still checks every call).
 * - `GET /v1/simulations`: the HTML reports under the reports directory (default `out/`,
 *   `GONGJANG_REPORTS_DIR` overrides it), and `GET /v1/simulations/file/<path>` one of
 *   them, read-only. Any token may read them: they hold simulation output, not tenant data.
 *   A path must name an `.html` file that resolves (symlinks followed) inside the directory.
 */
import { existsSync, readFileSync } from "node:fs";
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { type Static, Type } from "typebox";
import { GongjangError } from "../../core/errors.ts";
import { principalOf, type ServiceContext } from "../context.ts";
import { ErrorResponse } from "../schemas.ts";

/** The built dashboard (vite's outDir). */
export const WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), "../../../web/dist");

/** Dashboard views served as index.html; the app routes them (web/src/router.ts). */
export const VIEW_PATHS = [
  "/",
  "/login",
  "/fleet",
  "/queues",
  "/jobs",
  "/jobs/:id",
  "/usage",
  "/simulations",
  "/simulations/*",
] as const;

/** Reports listed at most, and how deep the listing walks. */
const MAX_REPORTS = 1000;
const MAX_DEPTH = 6;

/** Where simulation reports are read from. */
export function reportsDir(): string {
  return resolve(process.env.GONGJANG_REPORTS_DIR || "out");
}

const ReportView = Type.Object({
  path: Type.String({ description: "Relative to the reports directory, / separated" }),
  title: Type.String(),
  bytes: Type.Integer(),
  modifiedAt: Type.String({ format: "date-time" }),
});

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>gongjang</title>
<p>The dashboard is not built. Run <code>npm install</code> (or <code>node web/build.ts</code>) and reload.</p>`;

function sendIndex(reply: FastifyReply): FastifyReply {
  const index = join(WEB_DIST, "index.html");
  reply.header("cache-control", "no-cache").type("text/html; charset=utf-8");
  if (!existsSync(index)) return reply.status(503).send(NOT_BUILT);
  return reply.send(readFileSync(index));
}

export function webRoutes(app: FastifyInstance, _ctx: ServiceContext): void {
  app.register(fastifyStatic, {
    root: join(WEB_DIST, "assets"),
    prefix: "/assets/",
    // Names carry a content hash, so a browser may keep them.
    immutable: true,
    maxAge: "365d",
    index: false,
    list: false,
    dotfiles: "deny",
  });
  for (const url of VIEW_PATHS)
    app.get(url, { schema: { hide: true } }, async (_req, reply) => sendIndex(reply));

  app.get(
    "/v1/whoami",
    {
      schema: {
        tags: ["tokens"],
        summary: "The caller: token name, role and tenant",
        response: {
          200: Type.Object({
            name: Type.String(),
            role: Type.String(),
            tenant: Type.Union([Type.String(), Type.Null()]),
          }),
          "4xx": ErrorResponse,
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      return { name: p.name, role: p.role, tenant: p.tenant };
    },
  );

  app.get(
    "/v1/simulations",
    {
      schema: {
        tags: ["simulations"],
        summary: "HTML simulation reports under the reports directory, newest first",
        response: { 200: Type.Object({ items: Type.Array(ReportView) }), "4xx": ErrorResponse },
      },
    },
    async (req) => {
      principalOf(req);
      return { items: await listReports(reportsDir()) };
    },
  );

  app.get(
    "/v1/simulations/file/*",
    {
      schema: {
        tags: ["simulations"],
        summary: "One simulation report (text/html)",
        params: Type.Object({ "*": Type.String({ maxLength: 1000 }) }),
        response: { "4xx": ErrorResponse },
      },
    },
    async (req, reply) => {
      principalOf(req);
      const file = await reportFile(reportsDir(), (req.params as { "*": string })["*"]);
      return reply
        .type("text/html; charset=utf-8")
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "no-cache")
        .send(await readFile(file));
    },
  );
}

/**
 * The absolute path of report `rel` under `root`, or GJ_ERR_NOT_FOUND: `rel` must be a
 * relative, `/`-separated path to an existing `.html` file whose real path (symlinks
 * resolved) lies inside the real `root`. No `..`, absolute paths or backslashes.
 */
export async function reportFile(root: string, rel: string): Promise<string> {
  const notFound = () =>
    new GongjangError("GJ_ERR_NOT_FOUND", `no report "${rel}"`, { path: "params.path" });
  const parts = rel.split("/");
  if (
    !rel.endsWith(".html") ||
    rel.includes("\\") ||
    rel.includes("\0") ||
    parts.some((p) => p === "" || p === "." || p === "..")
  )
    throw notFound();
  let real: string;
  let base: string;
  try {
    base = await realpath(root);
    real = await realpath(join(base, ...parts));
  } catch {
    throw notFound();
  }
  if (!real.startsWith(base + sep)) throw notFound();
  const s = await stat(real);
  if (!s.isFile()) throw notFound();
  return real;
}

/** Reports under `root` (a missing directory has none), newest first, then by path. */
export async function listReports(root: string): Promise<Static<typeof ReportView>[]> {
  const out: Static<typeof ReportView>[] = [];
  let base: string;
  try {
    base = await realpath(root);
  } catch {
    return out;
  }
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_REPORTS || e.name.startsWith(".")) continue;
      const full = join(dir, e.name);
      if (e.isDirectory() && depth < MAX_DEPTH) await walk(full, depth + 1);
      else if (e.isFile() && e.name.endsWith(".html")) {
        const s = await stat(full);
        out.push({
          path: relative(base, full).split(sep).join("/"),
          title: titleOf(await readHead(full)) ?? e.name,
          bytes: s.size,
          modifiedAt: s.mtime.toISOString(),
        });
      }
    }
  };
  await walk(base, 0);
  return out.sort((a, b) =>
    a.modifiedAt !== b.modifiedAt
      ? a.modifiedAt < b.modifiedAt
        ? 1
        : -1
      : a.path < b.path
        ? -1
        : 1,
  );
}

async function readHead(file: string): Promise<string> {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await fh.close();
  }
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

/** The text of the page's <title>, entities decoded, or undefined. */
export function titleOf(head: string): string | undefined {
  const m = /<title>([^<]*)<\/title>/i.exec(head);
  if (m === null) return undefined;
  return m[1].replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]).trim() || undefined;
}
