/**
 * PrivateEndpoint create when the POST's answer is lost (found by the reliability soak: one
 * injected 500 failed the whole `up`): a scripted proxy in front of the emulator loses the first
 * answer, after or before the emulator applied the POST. The create must succeed either way,
 * with the endpoint registered once.
 */
import type { RunningEmulator } from "../../emulator";
import type { Service } from "../../provider/api/types";
import { setStackConfig } from "../../provider/config";
import { privateEndpointHandlers as h } from "../../provider/resources/privateEndpoint";
import { FakeServer, Reply, startFakeServer } from "../unit/api/fakeServer";
import { createRunningService, creation, startTestEmulator } from "./satellite.helpers";

const ENDPOINT = "vpce-0fedcba9876543210";
let emu: RunningEmulator;
let svc: Service;
let proxy: FakeServer | undefined;

beforeAll(async () => {
    emu = await startTestEmulator();
    svc = await createRunningService({ name: "lost-answer" });
});
afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
});
afterAll(() => emu.stop());

async function forward(method: string, path: string, headers: Record<string, unknown>, body: string): Promise<Reply> {
    const res = await fetch(emu.url + path, {
        method,
        headers: { authorization: String(headers.authorization), "content-type": "application/json" },
        body: method === "GET" || method === "DELETE" ? undefined : body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Points the provider at a proxy that answers the first privateEndpoint POST with `lose`. */
async function proxyLosing(lose: "after" | "before"): Promise<void> {
    let lost = false;
    proxy = await startFakeServer(async (r) => {
        if (!lost && r.method === "POST" && r.path.endsWith("/privateEndpoint")) {
            lost = true;
            if (lose === "after") await forward(r.method, r.path, r.headers, r.body);
            return { status: 500, body: { status: 500, error: "INTERNAL_SERVER_ERROR: lost answer", requestId: "req-lost" } };
        }
        return forward(r.method, r.path, r.headers, r.body);
    });
    setStackConfig({
        "clickhouse:apiUrl": proxy.url,
        "clickhouse:organizationId": emu.organizationId,
        "clickhouse:tokenKey": emu.keyId,
        "clickhouse:tokenSecret": emu.keySecret,
    });
}

const posts = async () => (await emu.control.log()).filter((e) => e.method === "POST" && e.path.endsWith("/privateEndpoint")).length;

it("an answer lost after the POST was applied: found on the service, not sent again", async () => {
    await emu.control.clearLog();
    await proxyLosing("after");
    const created = await h.create({ serviceId: svc.id, endpointId: ENDPOINT, description: "vpc", ...creation("pe-lost") });
    expect(created.id).toBe(ENDPOINT);
    expect(created.outs).toMatchObject({ endpointId: ENDPOINT, cloudProvider: "aws" });
    expect(await posts()).toBe(1);
    await h.delete(ENDPOINT, created.outs);
});

it("an answer lost before the POST was applied: sent again", async () => {
    await emu.control.clearLog();
    await proxyLosing("before");
    const created = await h.create({ serviceId: svc.id, endpointId: ENDPOINT, description: "vpc", ...creation("pe-lost") });
    expect(created.id).toBe(ENDPOINT);
    expect(await posts()).toBe(1);
    expect(proxy!.requests.filter((r) => r.method === "POST")).toHaveLength(2);
});
