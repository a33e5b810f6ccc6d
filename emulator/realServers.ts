/**
 * Real ClickHouse servers behind emulated services (opt-in: `realServers` in the library,
 * `--real-servers` on the CLI; docs/emulator.md). Each service gets its own `clickhouse-server`
 * process on loopback ports, with its own data directory, started while the service is
 * provisioning, starting or awaking and stopped (data kept) when it stops, goes idle or fails;
 * deleting the service removes the server and its directory.
 *
 * What the API says becomes the server's configuration, rewritten whenever it changes (the
 * server reloads its users file within about two seconds):
 * - the `default` user's password is the service's `passwordHash` (base64 of a SHA-256, the form
 *   the server takes as `password_sha256_hex`), so the generated password, a PATCHed one and a
 *   hash set through the API are what the server accepts; the MySQL double-SHA1 hash is stored by
 *   the API but this server version (18.16, Debian's package) has no MySQL protocol to use it;
 * - the IP access list becomes the user's allowed networks: an empty list, or one without the
 *   client's address, refuses the client, as the cloud does.
 * The endpoints the API answers are the server's TLS ports (`https` and `nativesecure`) on
 * 127.0.0.1, with a self-signed certificate made for this emulator (openssl) that clients trust
 * with its CA file ({@link RealServers.caFile}); the API has no plain-text protocol to list.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { loadPipe, PipeLoad } from "./realPipes";
import type { PipeRecord, ServiceRecord } from "./store";

/** How long a server may take to answer its first ping. */
const READY_TIMEOUT_MS = 30_000;
/** A stopping server is killed after this long. */
const STOP_TIMEOUT_MS = 10_000;

/** Where the server binary is: `CLICKHOUSE_SERVER_BIN`, then `clickhouse-server` on PATH, then Debian's /usr/sbin. */
export function findClickHouseServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (env.CLICKHOUSE_SERVER_BIN) return fs.existsSync(env.CLICKHOUSE_SERVER_BIN) ? env.CLICKHOUSE_SERVER_BIN : undefined;
    const dirs = [...(env.PATH ?? "").split(path.delimiter).filter(Boolean), "/usr/sbin", "/usr/local/sbin"];
    for (const d of dirs) {
        const f = path.join(d, "clickhouse-server");
        try {
            fs.accessSync(f, fs.constants.X_OK);
            return f;
        } catch {
            // Not here.
        }
    }
    return undefined;
}

/** Options of the real backend. */
export interface RealServersOptions {
    /** The `clickhouse-server` binary. @default {@link findClickHouseServer} */
    binary?: string;
    /** Folder of the servers' directories and the certificate. @default a new temporary folder, removed by `stop` */
    dir?: string;
    /** Folder whose files `file://` ClickPipe sources may name (./realPipes.ts). @default none: file:// sources are not loaded */
    files?: string;
}

/** How often a running server's metrics are read from its system tables. */
const METRICS_EVERY_MS = 5_000;

/** The ports of one service's server. */
export interface ServerPorts {
    http: number;
    https: number;
    tcp: number;
    tcpSecure: number;
}

interface Entry {
    id: string;
    dir: string;
    ports: ServerPorts;
    /** The users file last written, and the modification time (s) it was given. */
    users?: string;
    usersMtime?: number;
    proc?: ChildProcess;
    /** Resolves when the last start or stop is done; operations of one server never overlap. */
    queue: Promise<void>;
    want: "up" | "down";
    /** The state the last finished operation left: what `status` reports. */
    status: "starting" | "up" | "down" | "failed";
    error?: string;
    startedMs?: number;
    /** The metrics last read from the system tables, by the API's metric names. */
    metrics?: Map<string, number>;
    metricsAt?: number;
    reading?: boolean;
}

/** True for states in which the service's compute runs. */
const UP_STATES = new Set(["provisioning", "running", "starting", "awaking"]);

/** A free loopback TCP port (free when asked; the server binds it moments later). */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

function xml(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The `<networks>` of the IP access list: each `source` (an address or CIDR) as an `<ip>`. This
 * server version lets every client through an IPv4 subnet (`10.0.0.0/8` admits 127.0.0.1), so an
 * IPv4 CIDR is written in its IPv6-mapped form (`::ffff:10.0.0.0/104`), which it matches right.
 * An empty list allows nobody (the server would allow everyone with no `<networks>`, so a
 * documentation address stands in for "none").
 */
export function networksOf(list: Array<{ source: string }>): string[] {
    const ips: string[] = [];
    for (const { source } of list) {
        const s = source.trim();
        const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(s);
        if (v4) ips.push(v4[2] === undefined || v4[2] === "32" ? v4[1] : `::ffff:${v4[1]}/${96 + Number(v4[2])}`);
        else if (/^[0-9a-fA-F:]+(\/\d{1,3})?$/.test(s) && s.includes(":")) ips.push(s);
    }
    return ips.length ? [...new Set(ips)] : ["192.0.2.255"];
}

/** The server's `password_sha256_hex` from the API's `passwordHash` (base64 of the SHA-256); undefined when it is no such hash. */
export function sha256HexOf(passwordHash: string | undefined): string | undefined {
    if (!passwordHash || !/^[A-Za-z0-9+/]{43}=$/.test(passwordHash)) return undefined;
    return Buffer.from(passwordHash, "base64").toString("hex");
}

/**
 * The users file of a service: `default` with its password hash and networks, and the emulator's
 * own loopback user. `noPasswordHex` stands in when the service has no usable hash: random bytes,
 * not the hash of any password anyone knows, so nobody logs in as default.
 */
export function usersXml(svc: Pick<ServiceRecord, "secrets" | "ipAccessList">, internalPassword: string, noPasswordHex: string): string {
    const hex = sha256HexOf(svc.secrets.passwordHash) ?? noPasswordHex;
    const internalHex = createHash("sha256").update(internalPassword).digest("hex");
    const nets = networksOf(svc.ipAccessList)
        .map((ip) => `<ip>${xml(ip)}</ip>`)
        .join("");
    return [
        "<yandex>",
        "<profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>",
        "<quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>",
        "<result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>",
        "<users>",
        `<default><password_sha256_hex>${hex}</password_sha256_hex><networks>${nets}</networks><profile>default</profile><quota>default</quota></default>`,
        `<emulator_internal><password_sha256_hex>${internalHex}</password_sha256_hex><networks><ip>127.0.0.1/32</ip></networks>`,
        "<profile>default</profile><quota>default</quota></emulator_internal>",
        "</users>",
        "</yandex>",
        "",
    ].join("\n");
}

function configXml(dir: string, ports: ServerPorts, cert: { cert: string; key: string }): string {
    const p = (s: string) => xml(path.join(dir, s));
    return [
        "<yandex>",
        `<logger><level>warning</level><log>${p("log/server.log")}</log><errorlog>${p("log/error.log")}</errorlog><console>0</console></logger>`,
        "<listen_host>127.0.0.1</listen_host>",
        `<http_port>${ports.http}</http_port><https_port>${ports.https}</https_port>`,
        `<tcp_port>${ports.tcp}</tcp_port><tcp_port_secure>${ports.tcpSecure}</tcp_port_secure>`,
        "<openSSL><server>",
        `<certificateFile>${xml(cert.cert)}</certificateFile><privateKeyFile>${xml(cert.key)}</privateKeyFile>`,
        "<verificationMode>none</verificationMode><loadDefaultCAFile>false</loadDefaultCAFile>",
        "<cacheSessions>true</cacheSessions><disableProtocols>sslv2,sslv3</disableProtocols><preferServerCiphers>true</preferServerCiphers>",
        "</server></openSSL>",
        `<path>${p("data/")}</path><tmp_path>${p("tmp/")}</tmp_path><user_files_path>${p("user_files/")}</user_files_path>`,
        `<users_config>${p("users.xml")}</users_config>`,
        "<default_profile>default</default_profile><default_database>default</default_database>",
        "<mark_cache_size>5368709</mark_cache_size><uncompressed_cache_size>8589934</uncompressed_cache_size>",
        "<timezone>UTC</timezone>",
        "</yandex>",
        "",
    ].join("\n");
}

function ping(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const req = http.get({ host: "127.0.0.1", port, path: "/ping", timeout: 1000 }, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
        });
        req.on("error", () => resolve(false));
        req.on("timeout", () => {
            req.destroy();
            resolve(false);
        });
    });
}

/**
 * Writes a self-signed certificate for 127.0.0.1 and localhost, and its key (mode 600), with
 * openssl: the real servers' TLS, and a TLS emulator in the tests.
 */
export function selfSignedCertificate(certFile: string, keyFile: string, opts: { days: number; commonName: string }): void {
    try {
        execFileSync(
            "openssl",
            [
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                String(opts.days),
                "-subj",
                `/CN=${opts.commonName}`,
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                keyFile,
                "-out",
                certFile,
            ],
            { stdio: ["ignore", "ignore", "pipe"] },
        );
    } catch (e) {
        throw new Error(`openssl could not make a TLS certificate (${(e as Error).message.split("\n")[0]})`, { cause: e });
    }
    fs.chmodSync(keyFile, 0o600);
}

/** The servers of one emulator. */
export class RealServers {
    readonly binary: string;
    readonly dir: string;
    /** The CA file clients trust the servers' TLS ports with (the self-signed certificate itself). */
    readonly caFile: string;
    /** A `clickhouse-client` configuration that trusts {@link caFile} (`clickhouse-client --config-file <it> --secure`). */
    readonly clientConfig: string;
    private readonly keyFile: string;
    private readonly ownsDir: boolean;
    private readonly entries = new Map<string, Entry>();
    /** Ports found free ahead of time, so a service's endpoints are known in the answer to its POST. */
    private pool: number[] = [];
    private refilling?: Promise<void>;
    /** The password of the emulator's own user on each server (metrics, ClickPipes, the query endpoint). */
    readonly internalPassword = randomBytes(18).toString("hex");
    /** The `default` user's hash while a service has no usable `passwordHash` ({@link usersXml}). */
    private readonly noPasswordHex = randomBytes(32).toString("hex");
    private closed = false;
    /** Folder of the `file://` sources. */
    readonly files?: string;
    /** Pipes being loaded now. */
    private readonly loading = new Set<string>();

    private constructor(binary: string, dir: string, ownsDir: boolean, files?: string) {
        this.binary = binary;
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.files = files;
        this.caFile = path.join(dir, "ca.pem");
        this.clientConfig = path.join(dir, "client.xml");
        this.keyFile = path.join(dir, "ca.key");
    }

    /** Finds the binary, makes the folder and the certificate, and fills the port pool. */
    static async start(opts: RealServersOptions = {}): Promise<RealServers> {
        const binary = opts.binary ?? findClickHouseServer();
        if (!binary)
            throw new Error(
                "real servers: no clickhouse-server binary found (CLICKHOUSE_SERVER_BIN, PATH, /usr/sbin); install Debian's clickhouse-server package (bash scripts/clickhouse-install.sh)",
            );
        const dir = path.resolve(opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "ch-emulator-servers-")));
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const servers = new RealServers(binary, dir, opts.dir === undefined, opts.files);
        servers.makeCertificate();
        fs.writeFileSync(
            servers.clientConfig,
            `<config><openSSL><client><caConfig>${xml(servers.caFile)}</caConfig><verificationMode>strict</verificationMode>` +
                "<loadDefaultCAFile>false</loadDefaultCAFile><invalidCertificateHandler><name>RejectCertificateHandler</name>" +
                "</invalidCertificateHandler></client></openSSL></config>\n",
        );
        await servers.refill();
        return servers;
    }

    private makeCertificate(): void {
        if (fs.existsSync(this.caFile) && fs.existsSync(this.keyFile)) return;
        selfSignedCertificate(this.caFile, this.keyFile, { days: 3650, commonName: "ClickHouse Cloud emulator (127.0.0.1)" });
    }

    /** Every port in the pool or given to a server: the system may hand a closed port out again. */
    private readonly taken = new Set<number>();

    private refill(): Promise<void> {
        return (this.refilling ??= (async () => {
            try {
                while (this.pool.length < 32) {
                    const port = await freePort();
                    if (this.taken.has(port)) continue;
                    this.taken.add(port);
                    this.pool.push(port);
                }
            } finally {
                this.refilling = undefined;
            }
        })());
    }

    private takePorts(): ServerPorts | undefined {
        if (this.pool.length < 4) {
            void this.refill();
            return undefined;
        }
        const [http, https, tcp, tcpSecure] = this.pool.splice(0, 4);
        if (this.pool.length < 16) void this.refill();
        return { http, https, tcp, tcpSecure };
    }

    /** The server of a service, if it has one: its ports and whether it is up. */
    status(
        id: string,
    ): { ports: ServerPorts; status: Entry["status"]; error?: string; dir: string; pid?: number; startedMs?: number } | undefined {
        const e = this.entries.get(id);
        return e && { ports: e.ports, status: e.status, error: e.error, dir: e.dir, pid: e.proc?.pid, startedMs: e.startedMs };
    }

    /**
     * The ports of a service's server, given on first sight (so the answer to its POST already
     * lists them); undefined in the moment the pool is empty.
     */
    place(svc: ServiceRecord): ServerPorts | undefined {
        if (this.closed) return svc.realPorts;
        let e = this.entries.get(svc.id);
        if (!e) {
            const ports = svc.realPorts ?? this.takePorts();
            if (!ports) return undefined;
            for (const p of Object.values(ports)) this.taken.add(p);
            svc.realPorts = ports;
            e = { id: svc.id, dir: path.join(this.dir, svc.id), ports, queue: Promise.resolve(), want: "down", status: "down" };
            this.entries.set(svc.id, e);
        }
        return e.ports;
    }

    /** Makes the servers follow the services (and loads Running pipes): each call is cheap when nothing changed. */
    reconcile(services: Record<string, ServiceRecord>, pipes: Record<string, PipeRecord> = {}, now: () => number = Date.now): void {
        if (this.closed) return;
        for (const svc of Object.values(services)) {
            if (!this.place(svc)) continue; // The pool refills in moments; the next reconcile places it.
            const e = this.entries.get(svc.id)!;
            this.writeUsers(e, svc);
            const want = UP_STATES.has(svc.state) ? "up" : "down";
            if (want !== e.want) {
                e.want = want;
                const entry = e;
                e.queue = e.queue.then(() => (want === "up" ? this.up(entry) : this.down(entry))).catch(() => undefined);
            }
        }
        for (const e of this.entries.values()) if (e.status === "up") this.readMetrics(e);
        for (const pipe of Object.values(pipes)) {
            if (pipe.state !== "Running" || pipe.realLoad || this.loading.has(pipe.id)) continue;
            const e = this.entries.get(pipe.serviceId);
            if (!e || e.status !== "up") continue;
            this.loading.add(pipe.id);
            loadPipe(pipe, (q, body, settings) => this.query(e, q, body, settings), this.files, now)
                .catch((err: unknown): PipeLoad => ({ at: now(), error: (err as Error).message }))
                .then((load) => {
                    pipe.realLoad = load;
                    this.loading.delete(pipe.id);
                });
        }
        for (const [id, e] of this.entries) {
            if (services[id]) continue;
            this.entries.delete(id);
            e.want = "down";
            e.queue = e.queue
                .then(() => this.down(e))
                .then(() => fs.rmSync(e.dir, { recursive: true, force: true }))
                .catch(() => undefined);
        }
    }

    /** The metrics of a service's server, by the API's names (`ClickHouseProfileEvents_Query`, ...), when it has been read. */
    metricsOf(id: string): Map<string, number> | undefined {
        const e = this.entries.get(id);
        return e?.status === "up" ? e.metrics : undefined;
    }

    private readMetrics(e: Entry): void {
        if (e.reading || (e.metricsAt !== undefined && Date.now() - e.metricsAt < METRICS_EVERY_MS)) return;
        e.reading = true;
        const sql = [
            "SELECT concat('ClickHouseProfileEvents_', event), toFloat64(value) FROM system.events",
            "SELECT concat('ClickHouseMetrics_', metric), toFloat64(value) FROM system.metrics",
            "SELECT concat('ClickHouseAsyncMetrics_', metric), toFloat64(value) FROM system.asynchronous_metrics",
            // Not among this server version's asynchronous metrics: from the parts, as newer servers count them.
            "SELECT 'ClickHouseAsyncMetrics_TotalRowsOfMergeTreeTables', toFloat64(sum(rows)) FROM system.parts WHERE active",
            "SELECT 'ClickHouseAsyncMetrics_TotalBytesOfMergeTreeTables', toFloat64(sum(bytes_on_disk)) FROM system.parts WHERE active",
        ].join(" UNION ALL ");
        this.query(e, `${sql} FORMAT TabSeparated`)
            .then((text) => {
                const m = new Map<string, number>();
                for (const line of text.split("\n")) {
                    const [name, value] = line.split("\t");
                    if (name && value !== undefined && !m.has(name)) m.set(name, Number(value));
                }
                e.metrics = m;
            })
            .catch(() => undefined)
            .finally(() => {
                e.metricsAt = Date.now();
                e.reading = false;
            });
    }

    /** One statement on a server as the emulator's own user (plain HTTP on loopback), with an optional body. */
    private query(e: Entry, sql: string, body?: Buffer | string, settings: Record<string, string> = {}): Promise<string> {
        const params = new URLSearchParams({ query: sql, ...settings });
        return new Promise((resolve, reject) => {
            const req = http.request(
                {
                    host: "127.0.0.1",
                    port: e.ports.http,
                    path: `/?${params}`,
                    method: "POST",
                    headers: { "X-ClickHouse-User": "emulator_internal", "X-ClickHouse-Key": this.internalPassword },
                    timeout: 60_000,
                },
                (res) => {
                    let text = "";
                    res.setEncoding("utf8");
                    res.on("data", (d) => (text += d));
                    res.on("end", () => (res.statusCode === 200 ? resolve(text) : reject(new Error(text.trim().slice(0, 500)))));
                },
            );
            req.on("error", reject);
            req.on("timeout", () => req.destroy(new Error("the server did not answer in 60 s")));
            req.end(body ?? "");
        });
    }

    private writeUsers(e: Entry, svc: ServiceRecord): void {
        const users = usersXml(svc, this.internalPassword, this.noPasswordHex);
        if (e.users === users) return;
        fs.mkdirSync(e.dir, { recursive: true, mode: 0o700 });
        const file = path.join(e.dir, "users.xml");
        fs.writeFileSync(`${file}.tmp`, users, { mode: 0o600 });
        // The server notices a change by the file's modification time in whole seconds: each write
        // gets a later second than the one before, or two changes in one second would look like one.
        const mtime = Math.max(Math.floor(Date.now() / 1000), (e.usersMtime ?? 0) + 1);
        fs.utimesSync(`${file}.tmp`, mtime, mtime);
        fs.renameSync(`${file}.tmp`, file);
        e.usersMtime = mtime;
        e.users = users;
    }

    private async up(e: Entry): Promise<void> {
        if (e.proc && e.proc.exitCode === null) return;
        e.status = "starting";
        e.error = undefined;
        for (const d of ["data", "tmp", "log", "user_files"]) fs.mkdirSync(path.join(e.dir, d), { recursive: true });
        const config = path.join(e.dir, "config.xml");
        fs.writeFileSync(config, configXml(e.dir, e.ports, { cert: this.caFile, key: this.keyFile }));
        const t0 = Date.now();
        // The shell stays as the server's parent and ends it when the emulator's process is gone,
        // so a killed emulator leaves no server behind.
        const guard =
            '"$0" --config-file="$1" & s=$!; trap \'kill $s 2>/dev/null\' TERM INT; ' +
            'while kill -0 "$2" 2>/dev/null && kill -0 $s 2>/dev/null; do sleep 1; done; kill $s 2>/dev/null; wait $s';
        const proc = spawn("/bin/sh", ["-c", guard, this.binary, config, String(process.pid)], {
            stdio: "ignore",
            cwd: e.dir,
        });
        e.proc = proc;
        proc.on("exit", () => {
            if (e.proc === proc) e.proc = undefined;
            if (e.status === "up" || e.status === "starting") e.status = e.want === "up" ? "failed" : "down";
        });
        while (Date.now() - t0 < READY_TIMEOUT_MS) {
            if (!e.proc) break;
            if (await ping(e.ports.http)) {
                e.status = "up";
                e.startedMs = Date.now() - t0;
                return;
            }
            await new Promise((r) => setTimeout(r, 100));
        }
        e.status = "failed";
        let last = "";
        try {
            last = fs
                .readFileSync(path.join(e.dir, "log", "error.log"), "utf8")
                .trim()
                .split("\n")
                .slice(-3)
                .join(" | ")
                .slice(0, 600);
        } catch {
            // No log yet.
        }
        e.error = `clickhouse-server did not answer on port ${e.ports.http} within ${READY_TIMEOUT_MS / 1000} s (${path.join(e.dir, "log")}${last ? `: ${last}` : ""})`;
        await this.down(e);
        e.status = "failed";
    }

    private async down(e: Entry): Promise<void> {
        const proc = e.proc;
        if (!proc || proc.exitCode !== null) {
            if (e.status !== "failed") e.status = "down";
            return;
        }
        const exited = new Promise<void>((r) => proc.once("exit", () => r()));
        proc.kill("SIGTERM");
        const timer = setTimeout(() => proc.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
        e.status = "down";
    }

    /** Resolves once every start and stop asked for so far is done. */
    async settled(): Promise<void> {
        await Promise.all([...this.entries.values()].map((e) => e.queue));
    }

    /** Stops every server; removes the folder when this emulator made it. */
    async stop(): Promise<void> {
        this.closed = true;
        await Promise.all(
            [...this.entries.values()].map((e) => {
                e.want = "down";
                return (e.queue = e.queue.then(() => this.down(e)).catch(() => undefined));
            }),
        );
        if (this.ownsDir) fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
