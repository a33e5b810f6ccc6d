#!/usr/bin/env node
// npm run bench:real-servers [-- --services N]
//
// How long a real server behind an emulated service takes to start and how much memory it uses:
// starts the emulator with real servers (emulator/realServers.ts), creates N services at once
// through the API, and prints each server's time from the start of its process to its first
// answered ping, and the resident memory of every clickhouse-server process once all answer
// (idle; RSS, and PSS: its share of the pages the servers share). Needs clickhouse-server (bash scripts/clickhouse-install.sh)
// and a build (npm run build). Run it on a quiet machine.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const n = Number(args[args.indexOf("--services") + 1]) || (args.includes("--services") ? NaN : 20);
if (!Number.isInteger(n) || n < 1) {
    console.error("--services needs a positive whole number");
    process.exit(2);
}

/** Resident memory (kB) of a process, from /proc: all its pages (RSS), and its share of those it shares with the others (PSS). */
function memoryKb(pid) {
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    const pss = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return { rss: rss ? Number(rss[1]) : 0, pss: pss ? Number(pss[1]) : 0 };
}

/** The clickhouse-server process under a guard shell (its only child). */
function serverPid(shellPid) {
    for (const t of fs.readdirSync(`/proc/${shellPid}/task`)) {
        const kids = fs.readFileSync(`/proc/${shellPid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
        for (const k of kids) if (fs.readFileSync(`/proc/${k}/cmdline`, "utf8").includes("clickhouse-server")) return Number(k);
    }
    return undefined;
}

const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return { min: s[0], median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
};

async function main() {
    const { startEmulator } = require(path.join(root, "dist", "emulator"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-real-servers-"));
    const emu = await startEmulator({ quiet: true, rateLimit: false, durations: { provisioning: 0.2 }, realServers: { dir } });
    const auth = "Basic " + Buffer.from(`${emu.keyId}:${emu.keySecret}`).toString("base64");
    const api = (method, p, body) =>
        fetch(`${emu.url}/v1/organizations/${emu.organizationId}${p}`, {
            method,
            headers: { authorization: auth, "content-type": "application/json" },
            body: body && JSON.stringify(body),
        }).then((r) => r.json());
    try {
        const t0 = Date.now();
        const created = await Promise.all(
            Array.from({ length: n }, (_, i) =>
                api("POST", "/services", {
                    name: `bench-${i}`,
                    provider: "aws",
                    region: "us-east-1",
                    ipAccessList: [{ source: "127.0.0.1" }],
                }),
            ),
        );
        const ids = created.map((c) => c.result.service.id);
        const real = emu.realServers;
        for (;;) {
            const up = ids.filter((id) => real.status(id)?.status === "up").length;
            const failed = ids.filter((id) => real.status(id)?.status === "failed");
            if (failed.length) throw new Error(`${failed.length} servers failed: ${real.status(failed[0]).error}`);
            if (up === n) break;
            if (Date.now() - t0 > 300_000) throw new Error(`only ${up} of ${n} servers answered in 300 s`);
            await new Promise((r) => setTimeout(r, 100));
        }
        const allUpSeconds = (Date.now() - t0) / 1000;
        await new Promise((r) => setTimeout(r, 3000));
        const pids = ids.map((id) => serverPid(real.status(id).pid));
        const mem = pids.map(memoryKb);
        const idle = mem.map((m) => m.rss);
        const pss = mem.map((m) => m.pss);
        const startMs = ids.map((id) => real.status(id).startedMs);
        const memAvailableKb = Number(/^MemAvailable:\s+(\d+)/m.exec(fs.readFileSync("/proc/meminfo", "utf8"))[1]);
        // The binary's pages are shared by every server: PSS counts each server's share.
        const perServerMb = stats(pss).median / 1024;
        const result = {
            services: n,
            cpus: os.cpus().length,
            allUpSeconds,
            startMs: stats(startMs),
            rssMbIdle: Object.fromEntries(Object.entries(stats(idle)).map(([k, v]) => [k, Math.round(v / 102.4) / 10])),
            pssMb: Object.fromEntries(Object.entries(stats(pss)).map(([k, v]) => [k, Math.round(v / 102.4) / 10])),
            pssMbTotal: Math.round(pss.reduce((a, b) => a + b, 0) / 1024),
            memAvailableMbWithThem: Math.round(memAvailableKb / 1024),
            moreThatFitByMemory: Math.floor(memAvailableKb / 1024 / perServerMb),
        };
        console.log(JSON.stringify(result, null, 1));
    } finally {
        await emu.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e.stack || String(e));
    process.exitCode = 1;
});
