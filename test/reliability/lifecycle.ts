/**
 * The provider process and its engine (issue 10, cases 5 and 6), through the real Pulumi CLI:
 *
 * - `engineKilled`: SIGKILL of the `pulumi` process alone (what `timeout -s KILL` or the OOM
 *   killer does) while a service create waits. The dynamic-provider process must notice that its
 *   engine is gone and exit within 5 s, spending at most 1 s of CPU after the kill.
 * - `ctrlC`: one SIGINT (Ctrl-C) to `pulumi` while a service create waits on a long
 *   provisioning. The engine calls the provider's `Cancel`; the run must end within 10 s of the
 *   signal, with the service the API accepted recorded in the state, and the next `up` must
 *   converge on that one service.
 *
 * Linux only: the provider's CPU time and memory are read from `/proc/<pid>/stat` and `status`.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import { ResponseRecord } from "../../emulator";
import { descendants, killTree, objectCounts, RelProject, responseHooks, serviceIdsCreated, sleep, TYPES } from "./lib";

const SERVICES = /\/services$/;

/** One service whose create waits for as long as the emulator provisions. */
const ONE_SERVICE = (name: string) => `
import * as clickhouse from "pulumi-clickhouse-cloud";
const svc = new clickhouse.Service("svc", { name: "${name}", provider: "aws", region: "eu-central-1", ipAccessList: [{ source: "10.0.0.0/8" }] });
export const id = svc.id;
export const password = svc.password;
`;

function tail(r: { stdout: string; stderr: string }, n = 2000): string {
    return `${r.stdout.slice(-n)}\n${r.stderr.slice(-n)}`;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
    if (clockTicks === undefined) {
        try {
            clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
        } catch {
            clockTicks = 100;
        }
    }
    return clockTicks;
}

/** CPU seconds (user + system) and resident memory (MB) of a live process; undefined once it is gone (or a zombie). */
export function processUsage(pid: number): { cpuSeconds: number; rssMb: number } | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // Fields after the command name, which is in parentheses and may contain spaces.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (fields[0] === "Z" || fields[0] === "X") return undefined;
        const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
        const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return { cpuSeconds, rssMb: rss ? Number(rss[1]) / 1024 : 0 };
    } catch {
        return undefined;
    }
}

function commandLine(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
        return "";
    }
}

/** The dynamic-provider process below `pid`, when there is one. */
function providerProcess(pid: number): number | undefined {
    return descendants(pid).find((p) => /cmd\/dynamic-provider/.test(commandLine(p)));
}

/**
 * Starts `up` of one service and resolves once its create waits (the POST was accepted and
 * `settleMs` passed), with the service id and the running CLI's pid.
 */
async function upUntilWaiting(p: RelProject, settleMs: number) {
    let serviceId: string | undefined;
    responseHooks.current = (r: ResponseRecord) => {
        if (r.method === "POST" && SERVICES.test(r.path) && r.status >= 200 && r.status < 300)
            serviceId = JSON.parse(r.body).result?.service?.id;
    };
    const running = p.run(["up", "--yes", "--skip-preview", "--stack", p.stack]);
    let ended = false;
    void running.then(() => (ended = true));
    const until = Date.now() + 60_000;
    while (!serviceId && !ended && Date.now() < until) await sleep(100);
    responseHooks.current = undefined;
    if (serviceId && !ended) await sleep(settleMs);
    return { running, serviceId, cliPid: ended ? undefined : p.running?.pid };
}

export interface EngineKillFigures {
    /** Seconds from the SIGKILL of `pulumi` until the provider process was gone; null if it outlived the watch. */
    exitSeconds: number | null;
    /** CPU seconds the provider process used after the kill (until it exited or the watch ended). */
    cpuSecondsAfterKill: number;
    rssMbAtKill: number;
    rssMbMax: number;
    watchSeconds: number;
    secretHits: string[];
    problems: string[];
}

/** SIGKILL of the `pulumi` CLI alone during a service create's wait: the provider process must exit by itself. */
export async function engineKilled(cli: string, opts: { watchSeconds?: number } = {}): Promise<EngineKillFigures> {
    const watchSeconds = opts.watchSeconds ?? 20;
    const fig: EngineKillFigures = {
        exitSeconds: null,
        cpuSecondsAfterKill: -1,
        rssMbAtKill: 0,
        rssMbMax: 0,
        watchSeconds,
        secretHits: [],
        problems: [],
    };
    const p = new RelProject(cli, "enginekill");
    const started: number[] = [];
    try {
        if (!fs.existsSync("/proc/self/stat")) throw new Error("this case reads /proc: Linux only");
        await p.startEmulator({ rateLimit: false, durations: { provisioning: 600 } });
        p.writeProgram(ONE_SERVICE("orphaned"));
        await p.initStack();
        const { running, serviceId, cliPid } = await upUntilWaiting(p, 2000);
        if (!serviceId || !cliPid) {
            fig.problems.push(`the run never reached the service's wait: ${tail(await running)}`);
            return fig;
        }
        const provider = providerProcess(cliPid);
        started.push(...descendants(cliPid));
        const before = provider === undefined ? undefined : processUsage(provider);
        if (provider === undefined || !before) {
            fig.problems.push(
                `no dynamic-provider process below pulumi (${cliPid}): ${started.map((q) => `${q} ${commandLine(q)}`).join("; ")}`,
            );
            killTree(cliPid);
            await running;
            return fig;
        }
        fig.rssMbAtKill = Math.round(before.rssMb);
        fig.rssMbMax = fig.rssMbAtKill;
        let last = before;
        killTree(cliPid, true);
        const killedAt = Date.now();
        while (Date.now() - killedAt < watchSeconds * 1000) {
            const now = processUsage(provider);
            if (!now) {
                fig.exitSeconds = Math.round((Date.now() - killedAt) / 100) / 10;
                break;
            }
            last = now;
            fig.rssMbMax = Math.max(fig.rssMbMax, Math.round(now.rssMb));
            await sleep(100);
        }
        fig.cpuSecondsAfterKill = Math.round((last.cpuSeconds - before.cpuSeconds) * 100) / 100;
        if (fig.exitSeconds === null)
            fig.problems.push(`the provider process (${provider}) still ran ${watchSeconds} s after pulumi was killed`);
        else if (fig.exitSeconds > 5)
            fig.problems.push(`the provider process exited ${fig.exitSeconds} s after pulumi was killed (more than 5 s)`);
        if (fig.cpuSecondsAfterKill > 1)
            fig.problems.push(`the provider process used ${fig.cpuSecondsAfterKill} s of CPU after pulumi was killed (more than 1 s)`);
        // What the kill left behind (the language host, the program, the shim): not this case's subject.
        for (const q of started) {
            try {
                process.kill(q, "SIGKILL");
            } catch {
                // already gone
            }
        }
        await running;
        fig.secretHits = await p.secretHits();
    } finally {
        responseHooks.current = undefined;
        for (const q of started) {
            try {
                process.kill(q, "SIGKILL");
            } catch {
                // already gone
            }
        }
        await p.dispose();
    }
    return fig;
}

export interface CtrlCFigures {
    /** Seconds from the SIGINT to the end of the interrupted `pulumi up`. */
    secondsToEnd: number;
    firstUpCode: number;
    /** The line of the interrupted run naming the cancelled wait, if any. */
    message: string;
    /** The service the API accepted is a resource of the exported state, with its id. */
    recordedInState: boolean;
    secondUpCode: number;
    /** Services the emulator ever created, and holds after the second up. */
    servicesCreated: number;
    services: number;
    leftAfterDestroy: number;
    secretHits: string[];
    problems: string[];
}

/** One Ctrl-C during a service create's wait on a long provisioning. */
export async function ctrlC(cli: string, opts: { provisioningSeconds?: number } = {}): Promise<CtrlCFigures> {
    const fig: CtrlCFigures = {
        secondsToEnd: -1,
        firstUpCode: -1,
        message: "",
        recordedInState: false,
        secondUpCode: -1,
        servicesCreated: 0,
        services: 0,
        leftAfterDestroy: -1,
        secretHits: [],
        problems: [],
    };
    const p = new RelProject(cli, "ctrlc");
    try {
        await p.startEmulator({ rateLimit: false, durations: { provisioning: opts.provisioningSeconds ?? 60 } });
        const emu = p.emulator!;
        p.writeProgram(ONE_SERVICE("interrupted"));
        await p.initStack();
        const { running, serviceId, cliPid } = await upUntilWaiting(p, 2000);
        if (!serviceId || !cliPid) {
            fig.problems.push(`the run never reached the service's wait: ${tail(await running)}`);
            return fig;
        }
        process.kill(cliPid, "SIGINT");
        const signalledAt = Date.now();
        const first = await running;
        fig.secondsToEnd = Math.round((Date.now() - signalledAt) / 100) / 10;
        fig.firstUpCode = first.code;
        fig.message =
            (first.stdout + first.stderr)
                .split("\n")
                .find((l) => /cancel/i.test(l) && l.includes(serviceId))
                ?.trim()
                .slice(0, 400) ?? "";
        if (fig.secondsToEnd > 10) fig.problems.push(`the interrupted up ended ${fig.secondsToEnd} s after the SIGINT (more than 10 s)`);
        if (!fig.message) fig.problems.push(`no line of the interrupted up says that the wait for service ${serviceId} was cancelled`);
        const exported = await p.pulumi(["stack", "export", "--stack", p.stack]);
        const resources: Array<{ type: string; id?: string }> = JSON.parse(exported.stdout).deployment?.resources ?? [];
        fig.recordedInState = resources.some((r) => r.type === TYPES.service && r.id === serviceId);
        if (!fig.recordedInState) fig.problems.push(`the exported state does not record service ${serviceId}: ${tail(first)}`);
        // The second up would otherwise sit out the rest of the provisioning; the case is about what it finds.
        await emu.control.setState("service", serviceId, "running");
        const second = await p.run(["up", "--yes", "--skip-preview", "--stack", p.stack]);
        fig.secondUpCode = second.code;
        if (second.code !== 0) fig.problems.push(`the next up exited ${second.code}: ${tail(second)}`);
        fig.servicesCreated = serviceIdsCreated(await emu.control.events()).length;
        fig.services = (await objectCounts(emu.url)).services;
        if (fig.servicesCreated !== 1 || fig.services !== 1)
            fig.problems.push(`${fig.servicesCreated} services created, ${fig.services} exist after the next up; declared: 1`);
        const inState = p.stateResources(TYPES.service).map((r) => r.id);
        if (inState.length !== 1 || inState[0] !== serviceId)
            fig.problems.push(`the state holds services ${inState.join(", ")}; expected ${serviceId}`);
        const pv = await p.run(["preview", "--expect-no-changes", "--stack", p.stack]);
        if (pv.code !== 0) fig.problems.push(`preview after the next up exited ${pv.code}: ${tail(pv)}`);
        await p.learnGeneratedPasswords().catch(() => undefined);
        const d = await p.run(["destroy", "--yes", "--skip-preview", "--stack", p.stack]);
        if (d.code !== 0) fig.problems.push(`destroy exited ${d.code}: ${tail(d)}`);
        fig.leftAfterDestroy = (await objectCounts(emu.url)).services;
        if (fig.leftAfterDestroy) fig.problems.push(`${fig.leftAfterDestroy} services left after destroy`);
        fig.secretHits = await p.secretHits();
    } finally {
        responseHooks.current = undefined;
        await p.dispose();
    }
    return fig;
}
