/**
 * The e2e harness's direct API calls (objects made "outside Pulumi") share the key with the
 * provider, so they meet the same per-key limit. A CI run failed when one of them was answered
 * 429 (plugin.yaml.e2e). They must wait as any client of the key must: for `Retry-After`.
 */
import { E2EProject } from "../e2e/harness";

let project: E2EProject;

beforeAll(async () => {
    project = new E2EProject("pulumi-not-needed", "harness-api");
    await project.start({ rateLimit: { requests: 3, windowSeconds: 1 } });
});
afterAll(async () => {
    await project.dispose();
});

test("a call made when the key's window is spent waits for Retry-After and succeeds", async () => {
    const emu = project.emulator!;
    const auth = `Basic ${Buffer.from(`${emu.keyId}:${emu.keySecret}`).toString("base64")}`;
    const url = `${emu.url.replace(/\/+$/, "")}/v1/organizations/${emu.organizationId}/services`;
    const raw = await Promise.all([1, 2, 3, 4].map(() => fetch(url, { headers: { authorization: auth } })));
    // The window is spent: a plain fetch is refused, as in the failed CI run.
    expect(raw.map((r) => r.status)).toContain(429);
    const answer = await project.orgApi("GET", "/services");
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.body.result)).toBe(true);
});

test("an answer other than 429 is returned as it is, without retry", async () => {
    const before = (await project.emulator!.control.log()).length;
    const answer = await project.orgApi("GET", "/services/not-a-uuid");
    expect(answer.status).toBe(400);
    expect((await project.emulator!.control.log()).length - before).toBe(1);
});
