/** PrivateEndpoint against the emulator: attach, outputs for the VPC side, drift (detached), idempotent detach. */
import type { RunningEmulator } from "../../emulator";
import type { Service } from "../../provider/api/types";
import { diffPrivateEndpoint, privateEndpointHandlers as h } from "../../provider/resources/privateEndpoint";
import { apiClient } from "../../provider/api/current";
import { createRunningService, creation, requests, startTestEmulator } from "./satellite.helpers";

let emu: RunningEmulator;
let svc: Service;
const ENDPOINT = "vpce-0123456789abcdef0";
beforeAll(async () => {
    emu = await startTestEmulator();
    svc = await createRunningService({ name: "private" });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.clearLog());

const listed = async () => (await apiClient().get<Service>(`/services/${svc.id}`)).privateEndpointIds ?? [];

describe("PrivateEndpoint lifecycle", () => {
    let outs: Record<string, unknown>;
    const inputs = () => ({ serviceId: svc.id, endpointId: ENDPOINT, description: "prod VPC", ...creation("pe") });

    it("create registers the endpoint and outputs what the VPC endpoint needs", async () => {
        const created = await h.create(inputs());
        expect(created.id).toBe(ENDPOINT);
        outs = created.outs;
        expect(outs).toMatchObject({
            serviceId: svc.id,
            endpointId: ENDPOINT,
            description: "prod VPC",
            cloudProvider: "aws",
            region: "us-east-1",
        });
        expect(outs.endpointServiceId).toMatch(/^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);
        expect(outs.privateDnsHostname).toMatch(/\.us-east-1\.vpce\.aws\.clickhouse\.cloud$/);
        expect(await listed()).toContain(ENDPOINT);
        expect(await requests(emu)).toContain(`POST /services/${svc.id}/privateEndpoint -> 200`);
    });

    it("read keeps it while the service lists it, with a clean diff", async () => {
        const read = await h.read(ENDPOINT, outs);
        expect(read.id).toBe(ENDPOINT);
        expect(read.props).toEqual(outs);
        expect(diffPrivateEndpoint(ENDPOINT, read.props!, inputs()).changes).toBe(false);
        expect(diffPrivateEndpoint(ENDPOINT, read.props!, read.inputs!).changes).toBe(false);
        expect(await requests(emu)).toEqual([`GET /services/${svc.id} -> 200`]);
    });

    it("drift: detached behind our back, read says gone", async () => {
        await emu.control.patchService(svc.id!, { privateEndpointIds: [] });
        expect((await h.read(ENDPOINT, outs)).id).toBe("");
    });

    it("delete detaches with privateEndpointIds.remove, and again is a no-op", async () => {
        outs = (await h.create(inputs())).outs;
        await emu.control.clearLog();
        await h.delete(ENDPOINT, outs);
        expect(await listed()).not.toContain(ENDPOINT);
        await h.delete(ENDPOINT, outs);
        expect((await requests(emu)).filter((l) => l.startsWith("PATCH"))).toEqual([`PATCH /services/${svc.id} -> 200`]);
    });

    it("an endpoint id the cloud would not accept is refused in the API's words", async () => {
        await expect(h.create({ serviceId: svc.id, endpointId: "not-a-vpce" })).rejects.toThrow(
            /400 BAD_REQUEST: request body.id: not a valid aws private endpoint id/,
        );
    });
});
