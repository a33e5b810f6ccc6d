/**
 * The dynamic-provider process and its engine. Installed once, when the runtime loads inside
 * the provider host (`node .../cmd/dynamic-provider/index.js <engine address>`); never in the
 * user's program process, never under Jest unless a test installs it.
 *
 * 1. **The engine is gone: exit.** The engine does not tell a plugin that it died (SIGKILL, the
 *    OOM killer, `timeout -s KILL`), and nothing in the host notices: its gRPC server keeps the
 *    process alive, waits go on polling the API, and every log line falls back to stderr, whose
 *    EPIPE the SDK's uncaught-exception handler reports on stderr again, for ever (a core spent
 *    and memory growing). So the process exits as soon as any of these says the engine is gone:
 *    - an error on stdout or stderr (EPIPE: nobody reads the pipes the engine gave us);
 *    - a parent process that changed: the engine started us through the shim
 *      `pulumi-resource-pulumi-nodejs`, a shell script that does not `exec` node, so our parent
 *      is that shell and the engine is its parent; every link from this process up to the first
 *      ancestor that is not such a launcher is checked each second (`/proc` where there is one,
 *      else our own parent and the liveness of the engine's pid found once with `ps`);
 *    - a Log RPC that fails UNAVAILABLE while the engine's address refuses connections.
 *    The timers are `unref`ed: none of this keeps a process alive.
 * 2. **The engine cancels: end the waits.** On the first Ctrl-C the engine calls the provider's
 *    `Cancel` RPC and then waits for the operations in flight. The SDK's host answers that RPC
 *    and tells nobody, and gives no hook for it; but grpc-js looks up the handler of every call
 *    by its path with `Server.prototype._retrieveHandler`, so that method of the grpc-js copies
 *    loaded in the process is wrapped to signal {@link signalCancellation} on a call to
 *    `/pulumirpc.ResourceProvider/Cancel`, before the SDK's own (empty) handler answers. When the
 *    internals differ, a debug line says so and Ctrl-C waits for the operations as before.
 */
import { pidAlive } from "./processes";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { signalCancellation } from "./cancel";
import { debug, engineAddress, onEngineLogFailure } from "./log";

/** The gRPC method the engine calls on Ctrl-C. */
export const CANCEL_METHOD = "/pulumirpc.ResourceProvider/Cancel";

/** gRPC status UNAVAILABLE. */
const UNAVAILABLE = 14;

/** What a process is: its parent and its name (the kernel's `comm`) and command line. */
export interface ProcessInfo {
    ppid: number;
    name: string;
    cmdline: string;
}

/** One step up the process tree that must stay as it was: `pid`'s parent is `ppid`. */
export interface Link {
    pid: number;
    ppid: number;
}

/** Processes that only start the provider: a shell running the shim script. */
const LAUNCHERS = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "busybox"]);

/** True when `info` is a launcher between the engine and this process rather than the engine. */
export function isLauncher(info: ProcessInfo): boolean {
    return LAUNCHERS.has(info.name) || /pulumi-resource-pulumi-nodejs/.test(info.cmdline);
}

/** `/proc/<pid>` read into a {@link ProcessInfo}; undefined when there is no such process (or no /proc). */
export function procInfo(pid: number): ProcessInfo | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const open = stat.indexOf("(");
        const close = stat.lastIndexOf(")");
        const fields = stat.slice(close + 2).split(" ");
        // A zombie has no parent worth watching: count it as gone.
        if (fields[0] === "Z" || fields[0] === "X") return undefined;
        let cmdline = "";
        try {
            cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
        } catch {
            // not readable: the name is enough
        }
        return { ppid: Number(fields[1]), name: stat.slice(open + 1, close), cmdline };
    } catch {
        return undefined;
    }
}

/**
 * The links from `self` up to the engine: `self`'s own, then one per launcher above it (at most
 * three). Its last link's `ppid` is the engine's pid.
 */
export function engineChain(self: Link, read: (pid: number) => ProcessInfo | undefined): Link[] {
    const chain: Link[] = [self];
    for (let i = 0; i < 3; i++) {
        const top = chain[chain.length - 1].ppid;
        if (top <= 1) break;
        const info = read(top);
        if (!info || !isLauncher(info)) break;
        chain.push({ pid: top, ppid: info.ppid });
    }
    return chain;
}

/** Why the chain no longer leads to the engine, or undefined while it does. */
export function brokenLink(chain: readonly Link[], currentParent: (pid: number) => number | undefined): string | undefined {
    for (const link of chain) {
        const now = currentParent(link.pid);
        if (now === link.ppid) continue;
        const who = link === chain[0] ? "this process" : `launcher ${link.pid}`;
        return now === undefined ? `${who} is gone` : `the parent of ${who} is now ${now}, no longer ${link.ppid}`;
    }
    return undefined;
}

/** `127.0.0.1:4321`, `[::1]:4321`, `localhost:4321` → host and port. */
export function parseAddress(address: string): { host: string; port: number } | undefined {
    const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address);
    return m ? { host: m[1] || "127.0.0.1", port: Number(m[2]) } : undefined;
}

/** Resolves true when `address` refuses TCP connections (the engine's server is gone). */
export function refusesConnections(address: string, timeoutMs = 2000): Promise<boolean> {
    const target = parseAddress(address);
    if (!target) return Promise.resolve(false);
    return new Promise((resolve) => {
        const socket = net.connect(target);
        const done = (refused: boolean) => {
            socket.destroy();
            resolve(refused);
        };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once("connect", () => done(false));
        socket.once("error", (e: NodeJS.ErrnoException) => done(e.code === "ECONNREFUSED"));
        socket.unref();
    });
}

// ---- the Cancel RPC ----

const CANCEL_LISTENERS = Symbol.for("pulumi-clickhouse-cloud.engineCancelListeners");
const WRAPPED = Symbol.for("pulumi-clickhouse-cloud.cancelHook");

type ServerClass = { prototype: Record<string | symbol, unknown> };

/** Listeners of every copy of this package in the process (the wrapper is installed once for all). */
function cancelListeners(): Set<() => void> {
    const g = globalThis as unknown as Record<symbol, Set<() => void> | undefined>;
    return (g[CANCEL_LISTENERS] ??= new Set());
}

/** The `Server` classes of the grpc-js copies loaded in this process. */
export function loadedGrpcServers(cache: NodeJS.Dict<NodeModule> = require.cache): ServerClass[] {
    const found = new Set<ServerClass>();
    for (const [file, mod] of Object.entries(cache)) {
        if (!/[\\/]@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/](index|server)\.js$/.test(file)) continue;
        const server = (mod?.exports as { Server?: unknown } | undefined)?.Server;
        if (typeof server === "function") found.add(server as unknown as ServerClass);
    }
    return [...found];
}

/**
 * Wraps `_retrieveHandler` of each server class so that a call to {@link CANCEL_METHOD} calls
 * `listener` (then the method is looked up as before). Returns how many classes carry the hook,
 * and why the others do not.
 */
export function hookCancel(servers: ServerClass[], listener: () => void): { hooked: number; problems: string[] } {
    cancelListeners().add(listener);
    const problems: string[] = [];
    let hooked = 0;
    for (const server of servers) {
        const proto = server.prototype;
        const original = proto._retrieveHandler;
        if (typeof original !== "function") {
            problems.push("grpc-js Server has no _retrieveHandler method");
            continue;
        }
        if ((original as unknown as Record<symbol, unknown>)[WRAPPED]) {
            hooked++;
            continue;
        }
        const wrapped = function (this: unknown, ...args: unknown[]) {
            if (args[0] === CANCEL_METHOD) {
                for (const l of [...cancelListeners()]) {
                    try {
                        l();
                    } catch {
                        // the engine's call must be answered whatever a listener does
                    }
                }
            }
            return (original as (...a: unknown[]) => unknown).apply(this, args);
        };
        Object.defineProperty(wrapped, WRAPPED, { value: true });
        proto._retrieveHandler = wrapped;
        hooked++;
    }
    if (servers.length === 0) problems.push("no loaded copy of @grpc/grpc-js found");
    return { hooked, problems };
}

/** Removes a listener added by {@link hookCancel} (tests). */
export function unhookCancel(listener: () => void): void {
    cancelListeners().delete(listener);
}

// ---- installation ----

export interface LifecycleOptions {
    /** The engine's address (the host's first argument). */
    engine: string;
    /** Ends the process. @default process.exit(1) */
    exit?: (reason: string) => void;
    /** How often the parent chain is checked. @default 1000 */
    intervalMs?: number;
    /** Streams whose error means the engine stopped reading. @default process.stdout, process.stderr */
    streams?: Array<{ name: string; stream: NodeJS.EventEmitter }>;
    /** This process's pid and its current parent. @default process.pid, process.ppid */
    self?: { pid: number; ppid(): number };
    /** Reads a process; undefined when it does not exist. @default /proc, or none */
    read?: (pid: number) => ProcessInfo | undefined;
    /** gRPC server classes to hook for the Cancel RPC. @default the loaded grpc-js copies */
    grpcServers?: ServerClass[];
    /** Called on the engine's Cancel RPC. @default {@link signalCancellation} */
    onCancel?: () => void;
}

export interface Lifecycle {
    /** The links watched (from this process up to the engine). */
    readonly chain: readonly Link[];
    /** Whether the Cancel RPC is hooked. */
    readonly cancelHooked: boolean;
    /** Checks the parent chain now (the timer does it every interval). */
    check(): void;
    /** Removes every listener and timer (tests). */
    uninstall(): void;
}

/** The engine's pid found once with `ps` where there is no /proc (macOS). */
function psInfo(pid: number): ProcessInfo | undefined {
    try {
        const out = execFileSync("ps", ["-o", "ppid=,comm=", "-p", String(pid)], {
            encoding: "utf8",
            timeout: 2000,
            stdio: ["ignore", "pipe", "ignore"],
        }).trim();
        const m = /^(\d+)\s+(.*)$/.exec(out);
        return m ? { ppid: Number(m[1]), name: path.basename(m[2]), cmdline: m[2] } : undefined;
    } catch {
        return undefined;
    }
}

/** Installs the watch and the cancel hook (see the file's comment). */
export function installLifecycle(opts: LifecycleOptions): Lifecycle {
    const exit = opts.exit ?? (() => process.exit(1));
    const self = opts.self ?? { pid: process.pid, ppid: () => process.ppid };
    const hasProc = opts.read !== undefined || fs.existsSync("/proc/self/stat");
    const read = opts.read ?? (hasProc ? procInfo : psInfo);
    const chain = engineChain({ pid: self.pid, ppid: self.ppid() }, read);
    const cleanups: Array<() => void> = [];
    /** Kept until uninstall: a stream error after the decision to exit must not become uncaught. */
    const streamCleanups: Array<() => void> = [];
    let ended = false;

    const gone = (reason: string) => {
        if (ended) return;
        ended = true;
        for (const c of cleanups.splice(0)) c();
        // Nobody is left to read a message: stderr is the pipe to the dead engine.
        exit(`the engine is gone (${reason})`);
    };

    for (const { name, stream } of opts.streams ?? [
        { name: "stdout", stream: process.stdout },
        { name: "stderr", stream: process.stderr },
    ]) {
        const onError = (e: NodeJS.ErrnoException) => gone(`${name}: ${e?.code ?? e?.message ?? e}`);
        stream.on("error", onError);
        streamCleanups.push(() => stream.off("error", onError));
    }

    const currentParent = (pid: number): number | undefined => {
        if (pid === self.pid) return self.ppid();
        if (hasProc) return read(pid)?.ppid;
        // Without /proc, only whether the launcher is alive; its parent is checked by liveness below.
        return pidAlive(pid) ? chain.find((l) => l.pid === pid)?.ppid : undefined;
    };
    const enginePid = chain[chain.length - 1].ppid;
    const check = () => {
        if (ended) return;
        const broken = brokenLink(chain, currentParent);
        if (broken) return gone(broken);
        if (!hasProc && chain.length > 1 && enginePid > 1 && !pidAlive(enginePid)) gone(`the engine's process ${enginePid} is gone`);
    };
    const timer = setInterval(check, opts.intervalMs ?? 1000);
    timer.unref();
    cleanups.push(() => clearInterval(timer));

    let probing = false;
    cleanups.push(
        onEngineLogFailure((err) => {
            if (err.code !== UNAVAILABLE || probing || ended) return;
            probing = true;
            void refusesConnections(opts.engine).then((refused) => {
                probing = false;
                if (refused) gone(`the engine's address ${opts.engine} refuses connections`);
            });
        }),
    );

    const listener =
        opts.onCancel ??
        (() => {
            debug("clickhouse: the engine cancelled the run (Cancel RPC): ending every wait");
            signalCancellation();
        });
    const hook = hookCancel(opts.grpcServers ?? loadedGrpcServers(), listener);
    cleanups.push(() => unhookCancel(listener));
    if (hook.problems.length > 0 && hook.hooked === 0) {
        debug(
            `clickhouse: cannot see the engine's Cancel RPC (${hook.problems.join("; ")}): on Ctrl-C, operations in flight run to their end`,
        );
    }

    return {
        chain,
        cancelHooked: hook.hooked > 0,
        check,
        uninstall: () => {
            ended = true;
            for (const c of [...cleanups.splice(0), ...streamCleanups.splice(0)]) c();
        },
    };
}

let installed: Lifecycle | undefined;

/**
 * Installs {@link installLifecycle} once, when this process is the dynamic-provider host (see
 * `engineAddress` in ./log); does nothing anywhere else.
 */
export function installInProviderHost(argv: readonly string[] = process.argv): Lifecycle | undefined {
    if (installed) return installed;
    const engine = engineAddress(argv);
    if (!engine) return undefined;
    try {
        installed = installLifecycle({ engine });
    } catch (e) {
        debug(`clickhouse: the provider's watch of its engine is not installed: ${(e as Error)?.message ?? e}`);
    }
    return installed;
}
