/**
 * Messages a person running `pulumi up` can see. Inside the dynamic-provider process (started by
 * the engine as `node .../cmd/dynamic-provider/index.js <engine address>`) they go to the
 * engine's `Log` RPC: progress as ephemeral status lines, warnings as warnings. Anywhere else, or
 * when the RPC fails, they go to stderr. Logging never throws and never keeps the process alive.
 * Under Jest it is silent unless a test installs a capture with {@link captureLogs} or sets
 * `CLICKHOUSE_LOG_IN_TESTS=1`.
 */

/** Severity of a message, as the engine names them. */
export type LogLevel = "debug" | "info" | "warning" | "error";

/** One message as a capture sees it. */
export interface LogEntry {
    level: LogLevel;
    message: string;
    ephemeral: boolean;
    time: number;
}

/** Reports progress of a long operation, e.g. `progress("clickhouse:Service dev", "provisioning (1m20s elapsed)")`. */
export function progress(label: string, msg: string): void {
    emit("info", `${label}: ${msg}`, true);
}

/** An informational message that stays in the output. */
export function info(msg: string): void {
    emit("info", msg, false);
}

/** A warning shown to the user. */
export function warn(msg: string): void {
    emit("warning", msg, false);
}

/** Detail only shown with `--logflow -v` style verbosity. */
export function debug(msg: string): void {
    emit("debug", msg, true);
}

let capture: LogEntry[] | undefined;

/** Starts collecting messages in memory (tests). `stop()` ends it and returns what was collected. */
export function captureLogs(): { entries: LogEntry[]; stop(): LogEntry[] } {
    const entries: LogEntry[] = [];
    capture = entries;
    return {
        entries,
        stop() {
            if (capture === entries) capture = undefined;
            return entries;
        },
    };
}

function emit(level: LogLevel, message: string, ephemeral: boolean): void {
    try {
        if (capture) {
            capture.push({ level, message, ephemeral, time: Date.now() });
            return;
        }
        const engine = engineAddress() ?? declaredEngine;
        if (engine) {
            if (!sendToEngine(engine, level, message, ephemeral)) writeStderr(level, message);
            return;
        }
        // Jest's variable is inherited by the engine's plugins in end-to-end tests, so it only
        // silences this process when it is not the provider host.
        if (process.env.JEST_WORKER_ID !== undefined && process.env.CLICKHOUSE_LOG_IN_TESTS !== "1") return;
        writeStderr(level, message);
    } catch {
        // Logging must never fail the operation it reports on.
    }
}

function writeStderr(level: LogLevel, message: string): void {
    if (level === "debug") return;
    try {
        process.stderr.write(`${level === "info" ? "" : level + ": "}${message}\n`);
    } catch {
        // stderr closed: nothing left to tell.
    }
}

let declaredEngine: string | undefined;

/**
 * Sends this process's messages to the engine at `address` from now on. For the plugin face's
 * executable, which the engine starts with its address like the dynamic-provider host but
 * under a name {@link engineAddress} does not know: without it, its warnings went to stderr,
 * which the engine does not show. Ignored unless `address` is a host:port.
 */
export function useEngineForLogs(address: string | undefined): void {
    if (address && ENGINE_ADDRESS.test(address)) declaredEngine = address;
}

/** The engine address among a provider plugin's arguments: the first that is not a logging or tracing flag. */
export function pluginEngineArgument(args: readonly string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "--logtostderr" || a.startsWith("-v=")) continue;
        if (a === "--tracing") {
            i++;
            continue;
        }
        return a;
    }
    return undefined;
}

const ENGINE_ADDRESS = /^[\w.\-[\]:]+:\d+$/;

/** The engine address when this process is the dynamic-provider host, else undefined. */
export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
    const script = (argv[1] ?? "").replace(/\\/g, "/");
    if (!/dynamic-provider(\/index(\.js)?)?$/.test(script)) return undefined;
    const addr = argv[2];
    return addr && ENGINE_ADDRESS.test(addr) ? addr : undefined;
}

// ---- engine RPC, connected lazily and closed when idle ----

const logFailureListeners = new Set<(err: { code?: unknown; details?: unknown }) => void>();

/**
 * Calls `listener` with the error of every Log RPC that failed (a gRPC error: `code` 14 is
 * UNAVAILABLE, the engine no longer answers). Returns the function that removes it.
 */
export function onEngineLogFailure(listener: (err: { code?: unknown; details?: unknown }) => void): () => void {
    logFailureListeners.add(listener);
    return () => {
        logFailureListeners.delete(listener);
    };
}

function notifyLogFailure(err: unknown): void {
    for (const listener of [...logFailureListeners]) {
        try {
            listener((err ?? {}) as { code?: unknown; details?: unknown });
        } catch {
            // A listener's failure must not turn a log line into an error.
        }
    }
}

interface EngineConn {
    client: { log(req: unknown, cb: (err: unknown) => void): void; close(): void };
    LogRequest: new () => {
        setSeverity(v: number): void;
        setMessage(v: string): void;
        setEphemeral(v: boolean): void;
    };
    severity: Record<LogLevel, number>;
}

let conn: (EngineConn & { address: string }) | undefined;
let connFailed = false;
let idleTimer: NodeJS.Timeout | undefined;
const IDLE_CLOSE_MS = 5_000;

function connect(address: string): EngineConn | undefined {
    if (conn && conn.address === address) return conn;
    if (conn) resetLogConnection();
    if (connFailed) return undefined;
    try {
        // Resolved from @pulumi/pulumi's own dependencies, so the versions match its generated stubs.
        /* eslint-disable @typescript-eslint/no-require-imports */
        const pulumiDir = require("path").dirname(require.resolve("@pulumi/pulumi/package.json"));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
        const services = require("@pulumi/pulumi/proto/engine_grpc_pb");
        const messages = require("@pulumi/pulumi/proto/engine_pb");
        /* eslint-enable @typescript-eslint/no-require-imports */
        const client = new services.EngineClient(address, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 4 * 1024 * 1024,
        });
        conn = {
            address,
            client,
            LogRequest: messages.LogRequest,
            severity: {
                debug: messages.LogSeverity.DEBUG,
                info: messages.LogSeverity.INFO,
                warning: messages.LogSeverity.WARNING,
                error: messages.LogSeverity.ERROR,
            },
        };
        return conn;
    } catch {
        connFailed = true;
        return undefined;
    }
}

/** Drops the engine connection (tests, or an engine address that changed). */
export function resetLogConnection(): void {
    const c = conn;
    conn = undefined;
    connFailed = false;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    try {
        c?.client.close();
    } catch {
        // already closed
    }
}

function closeSoon(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
        idleTimer = undefined;
        const c = conn;
        conn = undefined;
        try {
            c?.client.close();
        } catch {
            // already closed
        }
    }, IDLE_CLOSE_MS);
    idleTimer.unref();
}

function sendToEngine(address: string, level: LogLevel, message: string, ephemeral: boolean): boolean {
    const c = connect(address);
    if (!c) return false;
    try {
        const req = new c.LogRequest();
        req.setSeverity(c.severity[level]);
        req.setMessage(message);
        req.setEphemeral(ephemeral);
        c.client.log(req, (err: unknown) => {
            if (!err) return;
            notifyLogFailure(err);
            writeStderr(level, message);
        });
        closeSoon();
        return true;
    } catch {
        return false;
    }
}
