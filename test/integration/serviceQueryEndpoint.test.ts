/** ServiceQueryEndpoint against the emulator: upsert create/update keeping the id, drift, delete twice. */
import type { RunningEmulator } from "../../emulator";
import type { Service, ServiceQueryAPIEndpoint } from "../../provider/api/types";
import { diffServiceQueryEndpoint, serviceQueryEndpointHandlers as h } from "../../provider/resources/serviceQueryEndpoint";
import { apiClient } from "../../provider/api/current";
import { createRunningService, creation, MISSING_ID, requests, startTestEmulator } from "./satellite.helpers";

let emu: RunningEmulator;
let svc: Service;
beforeAll(async () => {
    emu = await startTestEmulator();
    svc = await createRunningService({ name: "queries" });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.clearLog());

describe("ServiceQueryEndpoint lifecycle", () => {
    let id: string;
    let outs: Record<string, unknown>;
    const inputs = () => ({
        serviceId: svc.id,
        roles: ["sql_console_read_only"],
        openApiKeys: [emu.keyId],
        allowedOrigins: "app.example.com",
        ...creation("qe"),
    });

    it("create upserts and returns the endpoint id", async () => {
        const created = await h.create(inputs());
        id = created.id;
        outs = created.outs;
        expect(outs).toMatchObject({
            serviceId: svc.id,
            endpointId: id,
            roles: ["sql_console_read_only"],
            openApiKeys: [emu.keyId],
            allowedOrigins: "app.example.com",
        });
        expect(await requests(emu)).toContain(`POST /services/${svc.id}/serviceQueryEndpoint -> 200`);
    });

    it("read gives a clean diff", async () => {
        const read = await h.read(id, outs);
        expect(read.id).toBe(id);
        expect(diffServiceQueryEndpoint(id, read.props!, inputs()).changes).toBe(false);
        expect(diffServiceQueryEndpoint(id, read.props!, read.inputs!).changes).toBe(false);
    });

    it("update upserts in place and keeps the id; role order does not matter", async () => {
        const news = { ...inputs(), roles: ["sql_console_admin", "sql_console_read_only"] };
        const updated = await h.update(id, outs, news);
        expect(updated.outs).toMatchObject({ endpointId: id, roles: ["sql_console_admin", "sql_console_read_only"] });
        outs = updated.outs!;
        expect(diffServiceQueryEndpoint(id, outs, { ...news, roles: ["sql_console_read_only", "sql_console_admin"] }).changes).toBe(false);
    });

    it("drift: changed by another client, read sees it", async () => {
        await apiClient().post<ServiceQueryAPIEndpoint>(`/services/${svc.id}/serviceQueryEndpoint`, {
            roles: ["sql_console_admin"],
            openApiKeys: ["otherKey"],
        });
        const read = await h.read(id, outs);
        expect(read.props).toMatchObject({ roles: ["sql_console_admin"], openApiKeys: ["otherKey"] });
        expect(diffServiceQueryEndpoint(id, read.props!, { ...inputs(), roles: ["sql_console_admin"] }).diffs.sort()).toEqual([
            "allowedOrigins",
            "openApiKeys",
        ]);
    });

    it("drift: deleted by another client, read says gone", async () => {
        await apiClient().delete(`/services/${svc.id}/serviceQueryEndpoint`);
        expect((await h.read(id, outs)).id).toBe("");
    });

    it("delete is idempotent (404 is success), also for a missing service", async () => {
        outs = (await h.create(inputs())).outs;
        await h.delete(id, outs);
        await h.delete(id, outs);
        await h.delete(id, { serviceId: MISSING_ID });
        await expect(apiClient().get(`/services/${svc.id}/serviceQueryEndpoint`)).rejects.toMatchObject({ status: 404 });
    });
});
