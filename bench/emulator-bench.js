#!/usr/bin/env node
/*
 * Benchmark of the emulator alone (not a test): run after `npm run build` with `node bench/emulator-bench.js`.
 * Starts the CLI in a child process (rate limit off), then measures
 *   1. requests per second on loopback: GET /services/{id}, keep-alive agent, 16 concurrent loops, 5 s;
 *   2. memory of the emulator process (RSS, heap) after a 10,000-request soak mixing reads and writes.
 * Options: --seconds N (default 5), --concurrency N (default 16), --soak N (default 10000).
 */
"use strict";
const http = require("http");
const path = require("path");
const { spawn } = require("child_process");

const args = process.argv.slice(2);
const opt = (name, d) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : d;
};
const SECONDS = opt("seconds", 5);
const CONCURRENCY = opt("concurrency", 16);
const SOAK = opt("soak", 10000);

function startChild() {
    const cli = path.resolve(__dirname, "../dist/emulator/cli.js");
    const child = spawn(process.execPath, ["--expose-gc", cli, "--port", "0", "--no-rate-limit", "--quiet"], {
        stdio: ["ignore", "pipe", "inherit"],
    });
    return new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
            out += d;
            const env = Object.fromEntries(
                out
                    .split("\n")
                    .filter((l) => l.startsWith("CLICKHOUSE_"))
                    .map((l) => l.split(/=(.*)/s).slice(0, 2)),
            );
            if (env.CLICKHOUSE_TOKEN_SECRET) resolve({ child, env });
        });
        child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
    });
}

async function main() {
    const { child, env } = await startChild();
    const base = new URL(env.CLICKHOUSE_API_URL);
    const auth = "Basic " + Buffer.from(`${env.CLICKHOUSE_TOKEN_KEY}:${env.CLICKHOUSE_TOKEN_SECRET}`).toString("base64");
    const org = `/v1/organizations/${env.CLICKHOUSE_ORG_ID}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const request = (method, p, body, withAuth = true) =>
        new Promise((resolve, reject) => {
            const data = body === undefined ? undefined : JSON.stringify(body);
            const req = http.request(
                {
                    host: base.hostname,
                    port: base.port,
                    method,
                    path: p,
                    agent,
                    headers: {
                        ...(withAuth ? { authorization: auth } : {}),
                        ...(data ? { "content-type": "application/json", "content-length": Buffer.byteLength(data) } : {}),
                    },
                },
                (res) => {
                    const chunks = [];
                    res.on("data", (c) => chunks.push(c));
                    res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
                },
            );
            req.on("error", reject);
            req.end(data);
        });
    try {
        const ids = [];
        for (let i = 0; i < 5; i++) {
            const r = await request("POST", `${org}/services`, {
                name: `bench-${i}`,
                provider: "aws",
                region: "us-east-2",
                tags: [{ key: "bench", value: String(i) }],
            });
            ids.push(JSON.parse(r.text).result.service.id);
        }

        // 1. Throughput.
        let done = 0,
            errors = 0;
        const until = Date.now() + SECONDS * 1000;
        const t0 = process.hrtime.bigint();
        await Promise.all(
            Array.from({ length: CONCURRENCY }, async (_, w) => {
                for (let i = w; Date.now() < until; i++) {
                    const r = await request("GET", `${org}/services/${ids[i % ids.length]}`);
                    if (r.status === 200) done++;
                    else errors++;
                }
            }),
        );
        const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;

        // 2. Soak: reads, list with a tag filter, renames, log growth; then memory of the emulator process.
        await request("DELETE", "/_emulator/log", {}, false); // control calls other than GET must send JSON
        const before = JSON.parse((await request("GET", "/_emulator/stats", undefined, false)).text);
        let soakErrors = 0;
        const soakStart = process.hrtime.bigint();
        let next = 0;
        await Promise.all(
            Array.from({ length: CONCURRENCY }, async () => {
                while (next < SOAK) {
                    const i = next++;
                    const id = ids[i % ids.length];
                    const r =
                        i % 10 === 0
                            ? await request("PATCH", `${org}/services/${id}`, { name: `bench-${i}` })
                            : i % 10 === 1
                              ? await request("GET", `${org}/services?filter=tag:bench=${i % 5}`)
                              : await request("GET", `${org}/services/${id}`);
                    if (r.status !== 200) soakErrors++;
                }
            }),
        );
        const soakSeconds = Number(process.hrtime.bigint() - soakStart) / 1e9;
        const after = JSON.parse((await request("GET", "/_emulator/stats", undefined, false)).text);
        const mb = (b) => (b / 1024 / 1024).toFixed(1);
        console.log(`emulator benchmark (node ${process.version}, ${require("os").cpus()[0]?.model ?? "cpu"}, loopback, rate limit off)`);
        console.log(
            `  throughput: ${(done / elapsed).toFixed(0)} requests/s  (GET /services/{id}, ${CONCURRENCY} concurrent keep-alive loops, ${elapsed.toFixed(1)} s, ${done} ok, ${errors} errors)`,
        );
        console.log(
            `  soak: ${SOAK} requests (80% GET service, 10% filtered list, 10% PATCH) in ${soakSeconds.toFixed(1)} s, ${soakErrors} errors`,
        );
        console.log(`  memory before soak: RSS ${mb(before.rssBytes)} MB, heap used ${mb(before.heapUsedBytes)} MB`);
        console.log(
            `  memory after soak:  RSS ${mb(after.rssBytes)} MB, heap used ${mb(after.heapUsedBytes)} MB (request log: ${after.logEntries} entries, capped at 10000)`,
        );
    } finally {
        agent.destroy();
        child.kill("SIGTERM");
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
