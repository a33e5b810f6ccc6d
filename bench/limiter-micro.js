#!/usr/bin/env node
// node bench/limiter-micro.js [--grants N] [--rounds R]
//
// What the shared rate-limit budget (provider/api/sharedBudget.ts) costs the process: slots
// handed out per second by the limiter of dist/, one request at a time (acquire, then release
// at once), with the budget kept in the process and with it in the shared file. Each slot is two
// updates of the budget (the grant and the answer): with the file, each is a lock, a read and a
// write. The window is set to 0 ms so that slots never wait, and the shared file holds nine
// requests of another process, as a busy window would: what is measured is the bookkeeping alone.
// Prints one JSON line per mode and a summary; writes nothing.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const { RateLimiter } = require(path.join(root, "dist", "provider", "api", "limiter.js"));
const shared = require(path.join(root, "dist", "provider", "api", "sharedBudget.js"));

function arg(name, fallback) {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const GRANTS = arg("grants", 5000);
const ROUNDS = arg("rounds", 5);
const API = "https://api.clickhouse.cloud";
const KEY = "micro-benchmark-key";

async function measure(limiter, grants) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < grants; i++) (await limiter.acquire())(200);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return grants / seconds;
}

function busyWindow(dir) {
    // Nine requests of another (live: this) process, counting for the next minute.
    const now = Date.now();
    const state = {
        v: 1,
        g: Array.from({ length: 9 }, (_, i) => ({ m: "other001", s: i + 1, at: now, end: now + 60_000, c: 1 })),
        m: { other001: { pid: process.pid, host: shared.HOST, seen: now + 60_000, w: [0, 0, 0], r: 0 } },
        p: 0,
    };
    fs.writeFileSync(path.join(dir, `${shared.budgetFileKey(API, KEY)}.json`), JSON.stringify(state));
}

async function main() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "limiter-micro-"));
    const limit = { requests: 1_000_000, windowMs: 0 };
    const results = { local: [], shared: [] };
    try {
        for (let r = 0; r < ROUNDS; r++) {
            // Alternated, so a busy moment of the machine hits both alike.
            results.local.push(await measure(new RateLimiter(limit, 1, { slowStart: true }), GRANTS));
            busyWindow(dir);
            const l = new RateLimiter(limit, 1, { slowStart: true, shared: { dir, apiUrl: API, keyId: KEY } });
            if (!l.shared) throw new Error("the shared budget could not be used in " + dir);
            results.shared.push(await measure(l, GRANTS));
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const out = {};
    for (const [mode, xs] of Object.entries(results)) {
        const m = median(xs);
        out[mode] = { grantsPerSecond: Math.round(m), microsecondsPerGrant: Math.round((1e6 / m) * 10) / 10, rounds: xs.map(Math.round) };
        console.log(JSON.stringify({ mode, ...out[mode] }));
    }
    // The API allows one request per second per key on average: the file's cost at that rate.
    const extraUs = out.shared.microsecondsPerGrant - out.local.microsecondsPerGrant;
    console.log(
        `shared file: +${Math.round(extraUs)} µs per request (${GRANTS} grants × ${ROUNDS} rounds, median); ` +
            `at the API's 10 requests / 10 s that is ${Math.round(extraUs / 100) / 100} % of one core`,
    );
}

main().catch((err) => {
    console.error(err.stack || String(err));
    process.exitCode = 1;
});
