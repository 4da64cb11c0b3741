/** Starts `gongjang serve` as a child process for benchmarks and waits for its URL and token. */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export interface ServeChild {
  readonly url: string;
  readonly token: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const MAIN = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

export function serveChild(args: readonly string[]): Promise<ServeChild> {
  const child = spawn(process.execPath, [MAIN, "serve", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`serve printed no URL and admin token in 60 s (a store seeded before?): ${out}`),
      );
    }, 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /control plane on (\S+)/.exec(out)?.[1];
      const token = /admin token: (gj_\S+)/.exec(out)?.[1];
      if (url === undefined || token === undefined) return;
      child.removeAllListeners("exit");
      clearTimeout(timer);
      resolve({
        url,
        token,
        child,
        stop: () =>
          new Promise((done) => {
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
