/**
 * A Service create against the in-process emulator when the engine cancels the run (Ctrl-C):
 * a create whose POST the API accepted ends its wait at once as a partial failure carrying the
 * id (so the engine records the service), and a create that starts after the cancellation sends
 * no POST at all.
 */
process.env.CLICKHOUSE_POLL_MIN_MS = "50";
process.env.CLICKHOUSE_POLL_MAX_MS = "250";
process.env.CLICKHOUSE_RATE_LIMIT = "off";

import { RunningEmulator, startEmulator } from "../../emulator";
import { resetClients } from "../../provider/api/client";
import { isCancellation, resetCancellation, signalCancellation } from "../../provider/cancel";
import { setStackConfig } from "../../provider/config";
import { ResourceInitError } from "../../provider/resources/partialFailure";
import { checkService, serviceHandlers } from "../../provider/resources/service";

let emu: RunningEmulator;

function inputs(name: string): Record<string, unknown> {
    const res = checkService(
        {},
        { name, provider: "aws", region: "eu-central-1", ipAccessList: [{ source: "10.0.0.0/8" }], __creation: `proj/test/${name}` },
    );
    expect(res.failures).toEqual([]);
    return { ...res.inputs, __provider: "shim-text" };
}

beforeAll(async () => {
    emu = await startEmulator({ durations: { provisioning: 600 }, rateLimit: false, quiet: true });
    resetClients();
    setStackConfig({
        "clickhouse:apiUrl": emu.url,
        "clickhouse:organizationId": emu.organizationId,
        "clickhouse:tokenKey": emu.keyId,
        "clickhouse:tokenSecret": emu.keySecret,
    });
});
afterAll(async () => {
    resetCancellation();
    await emu.stop();
});

it("a create waiting on a long provisioning ends at once as a partial failure with the service's id", async () => {
    const creating = serviceHandlers.create(inputs("waiting")).then(
        () => undefined,
        (e: ResourceInitError) => e,
    );
    // Wait for the POST, the list that looks for an interrupted create, and the wait's first poll.
    for (let i = 0; i < 200 && (await emu.control.log()).filter((e) => e.method === "GET").length < 2; i++)
        await new Promise((r) => setTimeout(r, 50));
    const cancelledAt = Date.now();
    signalCancellation();
    const e = await creating;
    expect(Date.now() - cancelledAt).toBeLessThan(500);
    expect(e).toBeInstanceOf(ResourceInitError);
    const [svc] = (await emu.control.objects()).services;
    expect(e!.id).toBe(svc.id);
    expect(e!.properties).toMatchObject({ name: "waiting", state: "provisioning", __provider: "shim-text" });
    expect(typeof e!.properties.password).toBe("string");
    expect(e!.reasons).toEqual([
        expect.stringMatching(
            new RegExp(
                `^cancelled by the engine \\(Ctrl-C\\) while waiting for service "waiting" \\(${svc.id}\\) to be running or idle or stopped \\(.*last state: provisioning\\); ${svc.id} is recorded in the state: run \`pulumi up\` again to finish$`,
            ),
        ),
    ]);
});

it("a create after the cancellation sends no POST and records nothing", async () => {
    const posts = async () => (await emu.control.log()).filter((r) => r.method === "POST").length;
    const before = await posts();
    const e = await serviceHandlers.create(inputs("late")).catch((x) => x);
    expect(isCancellation(e)).toBe(true);
    expect(e).not.toBeInstanceOf(ResourceInitError);
    expect(e.message).toMatch(/^cancelled by the engine \(Ctrl-C\) while about to send POST .*\/services; it was not sent$/);
    expect(await posts()).toBe(before);
});
