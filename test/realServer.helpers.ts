/**
 * Helpers of the tests that run real ClickHouse servers behind the emulator: whether the binary is
 * here (a test skips with a printed reason when it is not, and fails under CI=true, where
 * `.ci/run` installs it), and SQL over a service's `https` endpoint with the emulator's CA.
 */
import * as fs from "fs";
import * as https from "https";
import { findClickHouseServer } from "../emulator/realServers";

/** The server binary, or undefined after printing why the tests skip; under CI=true a missing binary fails. */
export function clickhouseServerOrSkip(what: string): string | undefined {
    const bin = findClickHouseServer();
    if (bin) return bin;
    const reason = `${what}: no clickhouse-server binary (install it with: bash scripts/clickhouse-install.sh)`;
    if (process.env.CI === "true") throw new Error(`${reason}; CI must run these tests`);
    console.log(`skipped: ${reason}`);
    return undefined;
}

export interface SqlAnswer {
    status: number;
    body: string;
}

/** Runs one statement on `https://host:port/` as `user` with `password`, trusting only `caFile`. */
export function sql(
    endpoint: { host: string; port: number },
    caFile: string,
    password: string,
    query: string,
    user = "default",
): Promise<SqlAnswer> {
    return new Promise((resolve, reject) => {
        const req = https.request(
            {
                host: endpoint.host,
                port: endpoint.port,
                path: "/",
                method: "POST",
                ca: fs.readFileSync(caFile),
                auth: `${user}:${password}`,
                timeout: 15_000,
            },
            (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (d) => (body += d));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
            },
        );
        req.on("error", reject);
        req.on("timeout", () => req.destroy(new Error(`no answer from ${endpoint.host}:${endpoint.port}`)));
        req.end(query);
    });
}

/** Retries `check` until it returns true (the server reloads its users file within about two seconds). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000, what = "the condition"): Promise<void> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
        if (await check().catch(() => false)) return;
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what} did not hold within ${timeoutMs / 1000} s`);
}
