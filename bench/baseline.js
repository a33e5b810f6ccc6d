// The anchors' strategy (the official Terraform provider, internal/api/service.go), for comparison:
// every service on its own, checked at once and then every 5 s; a 429 answer means sleep
// X-RateLimit-Reset + 1 s and send the same request again; delete = read, stop, check until
// stopped, DELETE (409 retried every 10 s), check until 404. No shared limiter, no shared poller.
// All N services run concurrently (as the engine runs them with --parallel N).
//
// A check is the provider's GetService: GET the service, then its private endpoint configuration,
// its backup configuration (primary services) and its query endpoint: 4 requests while the
// service exists, 1 once it is gone. `fanOut: false` makes a check ONE GET (the "lean" variant:
// the same strategy without the fan-out, which favours it).
"use strict";
const http = require("http");
const https = require("https");

const POLL_MS = 5000;
const CONFLICT_RETRY_MS = 10_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function makeApi({ url, organizationId, keyId, keySecret, fanOut = true }) {
    const base = new URL(url);
    const lib = base.protocol === "https:" ? https : http;
    // A fresh connection per request: a kept-alive socket closed by the server between two 5-s polls would fail the poll.
    const agent = new lib.Agent({ keepAlive: false });
    const auth = "Basic " + Buffer.from(`${keyId}:${keySecret}`).toString("base64");
    const org = `/v1/organizations/${organizationId}`;
    const once = (method, p, body) =>
        new Promise((resolve, reject) => {
            const data = body === undefined ? undefined : JSON.stringify(body);
            const req = lib.request(
                {
                    host: base.hostname,
                    port: base.port,
                    method,
                    path: org + p,
                    agent,
                    headers: {
                        authorization: auth,
                        accept: "application/json",
                        ...(data ? { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(data) } : {}),
                    },
                },
                (res) => {
                    const chunks = [];
                    res.on("data", (c) => chunks.push(c));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString();
                        let json;
                        try {
                            json = JSON.parse(text);
                        } catch {
                            json = undefined;
                        }
                        resolve({ status: res.statusCode, headers: res.headers, json });
                    });
                },
            );
            req.on("error", reject);
            req.end(data);
        });
    const stats = { requests: 0, status429: 0 };
    // 429: sleep X-RateLimit-Reset + 1 s, then the same request again (what the Terraform provider does).
    const call = async (method, p, body) => {
        for (;;) {
            stats.requests++;
            const res = await once(method, p, body);
            if (res.status !== 429) return res;
            stats.status429++;
            const reset = Number(res.headers["x-ratelimit-reset"] ?? 1);
            await sleep((Number.isFinite(reset) ? reset : 1) * 1000 + 1000);
        }
    };
    return { call, stats, fanOut, close: () => agent.destroy() };
}

/** GetService: the service, then (while it exists) the sub-resources the Terraform provider reads with it. */
async function check(api, id) {
    const res = await api.call("GET", `/services/${id}`);
    if (res.status === 200 && api.fanOut) {
        await api.call("GET", `/services/${id}/privateEndpointConfig`);
        if (res.json?.result?.isPrimary) await api.call("GET", `/services/${id}/backupConfiguration`);
        await api.call("GET", `/services/${id}/serviceQueryEndpoint`);
    }
    return res;
}

// Like the Terraform provider's backoff.Retry with a constant 5-s backoff: check at once, then every 5 s.
async function pollUntil(api, id, done) {
    for (;;) {
        const res = await check(api, id);
        if (done(res)) return res;
        if (res.status !== 200) throw new Error(`baseline: GET service ${id} -> ${res.status}`);
        await sleep(POLL_MS);
    }
}

async function createOne(api, i) {
    const res = await api.call("POST", "/services", { name: `baseline-${i}`, provider: "aws", region: "us-east-2", tier: "production" });
    if (res.status !== 200) throw new Error(`baseline: POST /services -> ${res.status} ${JSON.stringify(res.json)}`);
    const id = res.json.result.service.id;
    await pollUntil(api, id, (r) => r.status === 200 && r.json.result.state === "running");
    return id;
}

async function deleteOne(api, id) {
    const current = await check(api, id);
    if (current.status === 404) return;
    const stop = await api.call("PATCH", `/services/${id}/state`, { command: "stop" });
    if (stop.status !== 200) throw new Error(`baseline: stop ${id} -> ${stop.status}`);
    await pollUntil(api, id, (r) => r.status === 200 && r.json.result.state === "stopped");
    for (;;) {
        const del = await api.call("DELETE", `/services/${id}`);
        if (del.status === 200) break;
        if (del.status !== 409) throw new Error(`baseline: DELETE ${id} -> ${del.status}`);
        await sleep(CONFLICT_RETRY_MS);
    }
    await pollUntil(api, id, (r) => r.status === 404);
}

/** Creates n services concurrently and waits until all run; returns {ids, seconds}. */
async function baselineUp(api, n) {
    const t0 = Date.now();
    const ids = await Promise.all(Array.from({ length: n }, (_, i) => createOne(api, i)));
    return { ids, seconds: (Date.now() - t0) / 1000 };
}

/** Deletes the services concurrently, each stop → stopped → DELETE → 404. */
async function baselineDestroy(api, ids) {
    const t0 = Date.now();
    await Promise.all(ids.map((id) => deleteOne(api, id)));
    return { seconds: (Date.now() - t0) / 1000 };
}

module.exports = { makeApi, baselineUp, baselineDestroy };
