/**
 * A request that waits more than about two seconds for the rate limit (the client's own
 * limiter, or a 429 answer) says so in a progress line, so a long wait does not look like a hang.
 * Shorter waits stay silent.
 */
import { ApiClient, resetClients } from "../../../provider/api/client";
import { resetLimiters } from "../../../provider/api/limiterRegistry";
import { captureLogs } from "../../../provider/log";
import { apiError, FakeServer, ok, startFakeServer } from "./fakeServer";

const ORG = "7c0f5e1a-4d1b-4c8e-9a55-000000000001";
let server: FakeServer | undefined;

beforeEach(() => {
    resetLimiters();
    resetClients();
});
afterEach(async () => {
    await server?.close();
    server = undefined;
});

const rateLines = (entries: { message: string }[]) => entries.filter((e) => /rate limit/i.test(e.message)).map((e) => e.message);

it("a request held by the client's limiter for more than 2 s shows a progress line; a short hold does not", async () => {
    server = await startFakeServer(() => ok({ id: "s" }));
    const client = new ApiClient(
        { apiUrl: server.url, organizationId: ORG, keyId: "kid-notice", keySecret: "s3cret-value" },
        { rateLimit: { requests: 1, windowMs: 3000 } },
    );
    const logs = captureLogs();
    try {
        await client.get("/services/a");
        await client.get("/services/b"); // held about 3 s: the window holds one request
        const lines = rateLines(logs.entries);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
            /GET \/v1\/organizations\/[^ ]+\/services\/b waits for the API rate limit \(1 request per 3 s per API key/,
        );
        expect(logs.entries.find((e) => /rate limit/.test(e.message))).toMatchObject({ level: "info", ephemeral: true });
        expect(lines[0]).not.toContain("s3cret-value");
    } finally {
        logs.stop();
    }
});

it("a 429 answer that asks for more than 2 s shows a progress line", async () => {
    server = await startFakeServer((_r, i) => (i === 0 ? apiError(429, "TOO_MANY_REQUESTS", { "Retry-After": "3" }) : ok({ id: "s" })));
    const client = new ApiClient(
        { apiUrl: server.url, organizationId: ORG, keyId: "kid-429-notice", keySecret: "s3cret-value" },
        { rateLimit: false },
    );
    const logs = captureLogs();
    try {
        await client.get("/services");
        const lines = rateLines(logs.entries);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
            /GET \/v1\/organizations\/[^ ]+\/services was refused with 429 \(rate limit\); waiting [34]s before retrying/,
        );
    } finally {
        logs.stop();
    }
});

it("a short 429 wait is silent", async () => {
    server = await startFakeServer((_r, i) => (i === 0 ? apiError(429, "TOO_MANY_REQUESTS", { "Retry-After": "0.2" }) : ok({ id: "s" })));
    const client = new ApiClient(
        { apiUrl: server.url, organizationId: ORG, keyId: "kid-429-short", keySecret: "s3cret-value" },
        { rateLimit: false },
    );
    const logs = captureLogs();
    try {
        await client.get("/services");
        expect(rateLines(logs.entries)).toEqual([]);
    } finally {
        logs.stop();
    }
});
