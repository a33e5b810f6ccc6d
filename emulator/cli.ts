#!/usr/bin/env node
import * as fs from "fs";
import { DataFileError } from "./store";
import { RunningEmulator, startEmulator } from "./index";
import { DEFAULT_DURATIONS, DurationName, EmulatorOptions } from "./options";
import { member } from "./json";

const USAGE = `Usage: clickhouse-cloud-emulator [options]
A local ClickHouse Cloud API. Prints its URL and four export lines with its credentials, for the
shell that runs pulumi: eval them, or write them to a file with --exports-file. Ctrl-C stops it.
In a project that installed pulumi-clickhouse-cloud: npx clickhouse-cloud-emulator [options]
  --port N                 listen port (default 8787; 0 = any free port)      env CLICKHOUSE_EMULATOR_PORT
  --host ADDR              listen address (default 127.0.0.1)                 env CLICKHOUSE_EMULATOR_HOST
  --org-id UUID            organization id                                    env CLICKHOUSE_EMULATOR_ORG_ID
  --key-id ID              API key id                                         env CLICKHOUSE_EMULATOR_KEY_ID
  --key-secret SECRET      API key secret                                     env CLICKHOUSE_EMULATOR_KEY_SECRET
  --speed X                run every duration X times faster (default 1)      env CLICKHOUSE_EMULATOR_SPEED
  --rate-limit N/S         N requests per S seconds per key (default 10/10)   env CLICKHOUSE_EMULATOR_RATE_LIMIT ("off" to disable)
  --no-rate-limit          switch the rate limit off
  --data-file FILE         keep all objects in FILE across restarts           env CLICKHOUSE_EMULATOR_DATA_FILE
  --error-rate P           answer 500/503 with probability P (0-1)            env CLICKHOUSE_EMULATOR_ERROR_RATE
  --reset-rate P           drop the connection with probability P             env CLICKHOUSE_EMULATOR_RESET_RATE
  --latency-ms MIN,MAX     add latency                                        env CLICKHOUSE_EMULATOR_LATENCY_MS
  --duration-<name> S      seconds for a transition at speed 1 (default 1); names: ${Object.keys(DEFAULT_DURATIONS).join(", ")}
  --delete-conflict-after-stop S   quirk: DELETE answers 409 for S seconds after a service reached stopped (default 0)
  --tls-cert FILE          serve HTTPS with this PEM certificate (with --tls-key)  env CLICKHOUSE_EMULATOR_TLS_CERT
  --tls-key FILE           PEM private key of --tls-cert                      env CLICKHOUSE_EMULATOR_TLS_KEY
  --organization-tiers K   current (default: services have no tier) or legacy (development/production)  env CLICKHOUSE_EMULATOR_ORGANIZATION_TIERS
  --real-servers           give each service a real clickhouse-server (docs/emulator.md)  env CLICKHOUSE_EMULATOR_REAL_SERVERS=1
  --real-servers-dir DIR   keep the servers' data and certificate in DIR (default: a temporary folder)  env CLICKHOUSE_EMULATOR_REAL_SERVERS_DIR
  --real-servers-files DIR folder whose files file:// ClickPipe sources may name  env CLICKHOUSE_EMULATOR_REAL_SERVERS_FILES
  --exports-file FILE      also write the export lines to FILE once listening; removed on exit
  --quiet                  print only the URL and the export lines`;

const isDurationName = (name: string): name is DurationName => name in DEFAULT_DURATIONS;

function fail(msg: string, usage = true): never {
    process.stderr.write(`emulator: ${msg}\n${usage ? USAGE + "\n" : ""}`);
    process.exit(2);
}

function number(name: string, v: string | undefined): number {
    const n = Number(v);
    if (v === undefined || v === "" || !isFinite(n)) fail(`${name} expects a number, got ${JSON.stringify(v)}`);
    return n;
}

function rateLimit(v: string): EmulatorOptions["rateLimit"] {
    if (v === "off") return false;
    const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(v);
    if (!m) fail(`rate limit expects N/S or "off", got ${JSON.stringify(v)}`);
    return { requests: Number(m[1]), windowSeconds: Number(m[2]) };
}

function tiers(v: string): "current" | "legacy" {
    if (v !== "current" && v !== "legacy") fail(`organization tiers expect "current" or "legacy", got ${JSON.stringify(v)}`);
    return v;
}

function latency(v: string): [number, number] {
    const [a, b] = v.split(",").map((x) => number("--latency-ms", x));
    return [a, b ?? a];
}

/** A value as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(value: string): string {
    return /^[A-Za-z0-9_.:/@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The `export NAME=value` lines of a running emulator's credentials. */
export function exportLines(emu: {
    url: string;
    apiUrl?: string;
    organizationId: string;
    keyId: string;
    keySecret: string;
    controlToken?: string;
}): string[] {
    return [
        // With /v1, like the Terraform provider's CLICKHOUSE_API_URL; this package's provider strips it.
        `export CLICKHOUSE_API_URL=${shellQuote(emu.apiUrl ?? `${emu.url}/v1`)}`,
        `export CLICKHOUSE_ORG_ID=${shellQuote(emu.organizationId)}`,
        `export CLICKHOUSE_TOKEN_KEY=${shellQuote(emu.keyId)}`,
        `export CLICKHOUSE_TOKEN_SECRET=${shellQuote(emu.keySecret)}`,
        ...(emu.controlToken ? [`export CLICKHOUSE_EMULATOR_CONTROL_TOKEN=${shellQuote(emu.controlToken)}`] : []),
    ];
}

let exportsFile: string | undefined;

/** Flags win over CLICKHOUSE_EMULATOR_* variables, which win over the defaults. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions {
    const e = (k: string) => env[`CLICKHOUSE_EMULATOR_${k}`];
    const opts: EmulatorOptions = { port: 8787, faults: {}, durations: {} };
    if (e("PORT")) opts.port = number("CLICKHOUSE_EMULATOR_PORT", e("PORT"));
    if (e("HOST")) opts.host = e("HOST");
    if (e("ORG_ID")) opts.organizationId = e("ORG_ID");
    if (e("KEY_ID")) opts.keyId = e("KEY_ID");
    if (e("KEY_SECRET")) opts.keySecret = e("KEY_SECRET");
    if (e("SPEED")) opts.speed = number("CLICKHOUSE_EMULATOR_SPEED", e("SPEED"));
    if (e("RATE_LIMIT")) opts.rateLimit = rateLimit(e("RATE_LIMIT")!);
    if (e("DATA_FILE")) opts.dataFile = e("DATA_FILE");
    if (e("ORGANIZATION_TIERS")) opts.organizationTiers = tiers(e("ORGANIZATION_TIERS")!);
    if (e("ERROR_RATE")) opts.faults!.errorRate = number("CLICKHOUSE_EMULATOR_ERROR_RATE", e("ERROR_RATE"));
    if (e("RESET_RATE")) opts.faults!.resetRate = number("CLICKHOUSE_EMULATOR_RESET_RATE", e("RESET_RATE"));
    if (e("LATENCY_MS")) opts.faults!.latencyMs = latency(e("LATENCY_MS")!);
    let real = e("REAL_SERVERS") === "1" || e("REAL_SERVERS") === "true";
    let realDir = e("REAL_SERVERS_DIR");
    let realFiles = e("REAL_SERVERS_FILES");
    let tlsCert = e("TLS_CERT");
    let tlsKey = e("TLS_KEY");
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const value = () => inline ?? (i + 1 < argv.length ? argv[++i] : fail(`${flag} needs a value`));
        if (flag.startsWith("--duration-")) {
            const name = flag.slice("--duration-".length).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
            if (!isDurationName(name)) fail(`unknown duration ${flag}`);
            opts.durations![name] = number(flag, value());
            continue;
        }
        switch (flag) {
            case "--port":
                opts.port = number(flag, value());
                break;
            case "--host":
                opts.host = value();
                break;
            case "--org-id":
                opts.organizationId = value();
                break;
            case "--key-id":
                opts.keyId = value();
                break;
            case "--key-secret":
                opts.keySecret = value();
                break;
            case "--speed":
                opts.speed = number(flag, value());
                break;
            case "--rate-limit":
                opts.rateLimit = rateLimit(value());
                break;
            case "--no-rate-limit":
                opts.rateLimit = false;
                break;
            case "--data-file":
                opts.dataFile = value();
                break;
            case "--organization-tiers":
                opts.organizationTiers = tiers(value());
                break;
            case "--error-rate":
                opts.faults!.errorRate = number(flag, value());
                break;
            case "--reset-rate":
                opts.faults!.resetRate = number(flag, value());
                break;
            case "--latency-ms":
                opts.faults!.latencyMs = latency(value());
                break;
            case "--delete-conflict-after-stop":
                opts.quirks = { deleteConflictAfterStopSeconds: number(flag, value()) };
                break;
            case "--tls-cert":
                tlsCert = value();
                break;
            case "--tls-key":
                tlsKey = value();
                break;
            case "--quiet":
                opts.quiet = true;
                break;
            case "--real-servers":
                real = true;
                break;
            case "--real-servers-dir":
                realDir = value();
                real = true;
                break;
            case "--real-servers-files":
                realFiles = value();
                real = true;
                break;
            case "--exports-file":
                exportsFile = value();
                break;
            case "-h":
            case "--help":
                process.stdout.write(USAGE + "\n");
                return process.exit(0);
            default:
                fail(`unknown option ${arg}`);
        }
    }
    if (real) opts.realServers = { ...(realDir ? { dir: realDir } : {}), ...(realFiles ? { files: realFiles } : {}) };
    if (!!tlsCert !== !!tlsKey) fail("--tls-cert and --tls-key go together");
    if (tlsCert && tlsKey) {
        const read = (flag: string, f: string) => {
            try {
                return fs.readFileSync(f, "utf8");
            } catch (err) {
                return fail(`${flag} ${f}: ${member(err, "message")}`, false);
            }
        };
        opts.tls = { cert: read("--tls-cert", tlsCert), key: read("--tls-key", tlsKey) };
    }
    return opts;
}

/**
 * What the emulator prints at start: where it listens, then the `export` lines to paste or
 * `eval`. The API URL includes `/v1`, like the Terraform provider's `CLICKHOUSE_API_URL`
 * (default `https://api.clickhouse.cloud/v1`); this package's provider strips a trailing `/v1`.
 */
export function startupLines(emu: RunningEmulator): string[] {
    return [`# ClickHouse Cloud API emulator listening on ${emu.url}`, ...exportLines(emu)];
}

async function main() {
    const opts = parseArgs(process.argv.slice(2), process.env);
    // A file left by an earlier run must not be taken for this one's.
    if (exportsFile) fs.rmSync(exportsFile, { force: true });
    let emu;
    try {
        emu = await startEmulator(opts);
    } catch (e) {
        if (e instanceof DataFileError || e instanceof RangeError) fail(e.message.replace(/^emulator: /, ""), false);
        if (member(e, "code") === "EADDRINUSE") fail(`port ${opts.port} is already in use; choose another with --port`, false);
        throw e;
    }
    // Before anything is printed: whoever reads the lines may stop the emulator right away.
    const shutdown = () => emu!.stop().then(() => process.exit(0));
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
    const exports = exportLines(emu);
    const lines = startupLines(emu);
    if (exportsFile) {
        // Written whole (rename) only once listening, so a shell waiting for the file never reads half of it.
        const file = exportsFile;
        const content = exports.join("\n") + "\n";
        fs.writeFileSync(`${file}.tmp`, content, { mode: 0o600 });
        fs.renameSync(`${file}.tmp`, file);
        // Only if it is still ours: another emulator may have written the same file since.
        process.once("exit", () => {
            try {
                if (fs.readFileSync(file, "utf8") === content) fs.rmSync(file);
            } catch {
                // already gone
            }
        });
        lines.push(`# the export lines are also in ${file}`);
    }
    process.stdout.write(lines.join("\n") + "\n");
    if (!opts.quiet) {
        const rl =
            opts.rateLimit === false
                ? "off"
                : `${opts.rateLimit?.requests ?? 10} requests per ${opts.rateLimit?.windowSeconds ?? 10} s per key`;
        process.stdout.write(
            `# speed x${opts.speed ?? 1}, rate limit ${rl}${opts.dataFile ? `, data file ${opts.dataFile}` : ""}; control API at ${emu.url}/_emulator/ ; Ctrl-C to stop\n`,
        );
        const real = emu.realServers;
        if (real)
            process.stdout.write(
                `# real servers (${real.binary}) in ${real.dir}; their TLS certificate: ${real.caFile}\n` +
                    `#   curl --cacert ${real.caFile} ...   clickhouse-client --config-file ${real.clientConfig} --secure ...\n`,
            );
    }
}

if (require.main === module) main().catch((e: unknown) => fail(String(member(e, "stack") ?? e)));
