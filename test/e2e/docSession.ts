/**
 * A reader at a terminal, for test/e2e/package.e2e.test.ts: one bash process that receives the
 * documentation's commands one line at a time (so `eval`, `cd` and variables carry over, as in a
 * real shell), and "a second terminal" for the lines that start the emulator and keep running.
 * Placeholders such as `<key id>` become the emulator's values through the shell's own variables.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface LineResult {
    line: string;
    code: number;
    stdout: string;
    stderr: string;
}

/** A line that starts the emulator and keeps it running: it goes to the second terminal. */
export function startsEmulator(line: string): boolean {
    return /^(npx clickhouse-cloud-emulator|npm run emulator)\b/.test(line.trim()) && !/\s--help\b/.test(line);
}

/** The placeholders of the docs and the shell text that stands for each in a session against the emulator. */
const PLACEHOLDERS: Record<string, string> = {
    "<organization id>": '"$CLICKHOUSE_ORG_ID"',
    "<key id>": '"$CLICKHOUSE_TOKEN_KEY"',
    "<key secret>": '"$CLICKHOUSE_TOKEN_SECRET"',
    "<stack>": "dev",
};

export class DocSession {
    readonly transcript: string[] = [];
    private readonly shell: ChildProcess;
    private readonly background: ChildProcess[] = [];
    private out = "";
    private err = "";
    private n = 0;

    constructor(
        readonly cwd: string,
        readonly env: NodeJS.ProcessEnv,
    ) {
        this.shell = spawn("bash", ["--noprofile", "--norc"], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
        this.shell.stdout!.on("data", (d) => (this.out += d));
        this.shell.stderr!.on("data", (d) => (this.err += d));
    }

    /** Runs `line` as a reader would type it, with `extra` replacements (e.g. `<id>`); rejects on a non-zero exit. */
    async type(line: string, extra: Record<string, string> = {}, timeoutMs = 10 * 60_000): Promise<LineResult> {
        let text = line;
        for (const [k, v] of Object.entries({ ...PLACEHOLDERS, ...extra })) text = text.split(k).join(v);
        if (startsEmulator(text)) return this.secondTerminal(line, text);
        const result = await this.run(text, timeoutMs);
        this.transcript.push(`$ ${line}\n${result.stdout}${result.stderr}`);
        if (result.code !== 0)
            throw new Error(
                `"${line}" exited ${result.code}\n--- stdout\n${result.stdout.slice(-5000)}\n--- stderr\n${result.stderr.slice(-3000)}`,
            );
        return { ...result, line };
    }

    /** The value of a shell variable of the session. */
    async variable(name: string): Promise<string> {
        return (await this.run(`printf %s "$${name}"`, 10_000)).stdout;
    }

    private run(text: string, timeoutMs: number): Promise<LineResult> {
        const mark = `__doc_line_${++this.n}__`;
        const outEnd = new RegExp(`\\n${mark} (\\d+)\\n`);
        const errEnd = `\n${mark}\n`;
        this.out = "";
        this.err = "";
        this.shell.stdin!.write(`${text}\n__doc_rc=$?; printf '\\n%s %s\\n' ${mark} "$__doc_rc"; printf '\\n%s\\n' ${mark} >&2\n`);
        return new Promise((resolve, reject) => {
            const started = Date.now();
            const poll = () => {
                const m = outEnd.exec(this.out);
                if (m && this.err.includes(errEnd)) {
                    resolve({
                        line: text,
                        code: Number(m[1]),
                        stdout: this.out.slice(0, m.index),
                        stderr: this.err.slice(0, this.err.indexOf(errEnd)),
                    });
                } else if (this.shell.exitCode !== null) {
                    reject(new Error(`the shell exited (${this.shell.exitCode}) during "${text}"\n${this.out}\n${this.err}`));
                } else if (Date.now() - started > timeoutMs) {
                    reject(
                        new Error(
                            `"${text}" did not finish within ${timeoutMs / 1000} s\n--- stdout\n${this.out.slice(-5000)}\n--- stderr\n${this.err.slice(-3000)}`,
                        ),
                    );
                } else setTimeout(poll, 50);
            };
            poll();
        });
    }

    /** Starts `text` in its own process group and waits until it is ready: its --exports-file exists, or it printed its exports. */
    private secondTerminal(line: string, text: string): Promise<LineResult> {
        const child = spawn("bash", ["-c", text], { cwd: this.cwd, env: this.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
        this.background.push(child);
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (d) => (stdout += d));
        child.stderr!.on("data", (d) => (stderr += d));
        const exportsFile = /--exports-file\s+(\S+)/.exec(text)?.[1];
        return new Promise((resolve, reject) => {
            const started = Date.now();
            const poll = () => {
                const ready = exportsFile
                    ? fs.existsSync(path.resolve(this.cwd, exportsFile)) && /CLICKHOUSE_TOKEN_SECRET=/.test(stdout)
                    : /export CLICKHOUSE_TOKEN_SECRET=/.test(stdout);
                if (ready) {
                    this.transcript.push(`$ ${line}    (second terminal)\n${stdout}${stderr}`);
                    resolve({ line, code: 0, stdout, stderr });
                } else if (child.exitCode !== null)
                    reject(new Error(`"${line}" exited ${child.exitCode} in the second terminal\n${stdout}\n${stderr}`));
                else if (Date.now() - started > 120_000) reject(new Error(`"${line}" was not ready within 120 s\n${stdout}\n${stderr}`));
                else setTimeout(poll, 100);
            };
            poll();
        });
    }

    /** Ctrl-C in the second terminals, then closes the shell. */
    async close(): Promise<void> {
        await Promise.all(
            this.background.map(
                (child) =>
                    new Promise<void>((resolve) => {
                        if (child.exitCode !== null || child.pid === undefined) return resolve();
                        const timer = setTimeout(() => {
                            try {
                                process.kill(-child.pid!, "SIGKILL");
                            } catch {
                                // already gone
                            }
                        }, 10_000);
                        child.once("exit", () => {
                            clearTimeout(timer);
                            resolve();
                        });
                        try {
                            process.kill(-child.pid, "SIGINT");
                        } catch {
                            resolve();
                        }
                    }),
            ),
        );
        this.shell.stdin!.end();
        if (this.shell.exitCode === null) await new Promise((r) => this.shell.once("exit", r));
    }
}
