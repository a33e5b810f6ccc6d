import { randomBytes } from "crypto";
import { AddressInfo } from "net";
import { EmulatorControl } from "./control";
import { Core } from "./core";
import { checkOptions, DEFAULT_DURATIONS, DEFAULTS, EmulatorOptions, normalizeFaults, RuntimeSettings } from "./options";
import { createServer } from "./server";
import { OPENAPI_FILE, openApi } from "./openapi";
import { RealServers } from "./realServers";

export { EmulatorControl } from "./control";
export type { LogEntry, EmulatorObjects } from "./control";
export type { TransitionEvent } from "./core";
export { DataFileError } from "./store";
export { DEFAULTS } from "./options";
export type { EmulatorOptions, FaultOptions, QuirkOptions, RateLimitOptions, ResponseRecord, DurationName } from "./options";

/** A running emulator: where it listens, the credentials it accepts, its control API and how to stop it. */
export interface RunningEmulator {
    /** Base URL without trailing slash, e.g. `http://127.0.0.1:8787` (`https://` with the `tls` option). */
    url: string;
    /** {@link url} with `/v1`: the API's base as the Terraform provider's `CLICKHOUSE_API_URL` spells it. */
    apiUrl: string;
    organizationId: string;
    keyId: string;
    keySecret: string;
    /** Token that lets a control request through whatever its Origin (header `X-Emulator-Token`); {@link control} sends it. */
    controlToken: string;
    control: EmulatorControl;
    /** The real servers behind the services, with the `realServers` option (their CA file, each one's ports and status). */
    realServers?: RealServers;
    /** Closes the server (and open keep-alive connections), stops the real servers and flushes the data file. */
    stop(): Promise<void>;
}

/** How often the real servers are made to follow the services' states (time moves them too). */
const REAL_SERVERS_TICK_MS = 200;

/**
 * Starts the emulator of the ClickHouse Cloud API. `port: 0` (the default) picks a free port.
 * Throws {@link DataFileError} when `dataFile` exists but cannot be used or another emulator holds
 * it (the file is left untouched), and a RangeError for an option outside its bounds.
 */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
    checkOptions(opts);
    const speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
    const settings: RuntimeSettings = {
        speed,
        durations: { ...DEFAULT_DURATIONS, ...(opts.durations ?? {}) },
        rateLimit: opts.rateLimit === false ? false : { requests: 10, windowSeconds: 10, ...(opts.rateLimit ?? {}) },
        faults: normalizeFaults(opts.faults),
        quirks: { deleteConflictAfterStopSeconds: Math.max(0, opts.quirks?.deleteConflictAfterStopSeconds ?? 0) },
    };
    const core = new Core(settings, opts.dataFile, opts.organizationTiers);
    let tick: NodeJS.Timeout | undefined;
    if (opts.realServers) {
        try {
            core.realServers = await RealServers.start(opts.realServers === true ? {} : opts.realServers);
        } catch (e) {
            core.close(false);
            throw e;
        }
        const real = core.realServers;
        tick = setInterval(() => {
            core.settle();
            real.reconcile(core.data.services, core.data.clickpipes, () => core.now());
        }, REAL_SERVERS_TICK_MS);
        tick.unref();
    }
    if (!opts.quiet && !openApi())
        process.stderr.write(
            `emulator: ${OPENAPI_FILE} not found (looked beside the emulator, in shared/reference/ above it and at CLICKHOUSE_EMULATOR_OPENAPI); only the operations with handlers of their own answer\n`,
        );
    const organizationId = (opts.organizationId ?? DEFAULTS.organizationId).toLowerCase();
    const keyId = opts.keyId ?? DEFAULTS.keyId;
    core.primaryKeyId = keyId;
    const keySecret = opts.keySecret ?? DEFAULTS.keySecret;
    const host = opts.host ?? "127.0.0.1";
    const controlToken = opts.controlToken ?? randomBytes(16).toString("hex");
    const { server } = createServer({
        core,
        settings,
        organizationId,
        keyId,
        keySecret,
        onResponse: opts.onResponse,
        tls: opts.tls,
        controlToken,
        host,
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(opts.port ?? 0, host, () => {
            server.off("error", reject);
            resolve();
        });
    }).catch(async (e) => {
        clearInterval(tick);
        await core.realServers?.stop();
        core.close(false);
        throw e;
    });
    // A server listening on a TCP port has an AddressInfo address (a string only for a pipe or a socket file).
    const port = (server.address() as AddressInfo).port;
    const url = `${opts.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
    let stopped: Promise<void> | undefined;
    return {
        url,
        apiUrl: `${url}/v1`,
        organizationId,
        keyId,
        keySecret,
        controlToken,
        control: new EmulatorControl(url, controlToken),
        realServers: core.realServers,
        stop: () =>
            (stopped ??= new Promise<void>((resolve) => {
                clearInterval(tick);
                core.close();
                server.close(() => resolve());
                server.closeAllConnections();
            }).then(() => core.realServers?.stop())),
    };
}
