/**
 * A ClickPipe create interrupted after the API accepted the POST (the `pulumi` process killed):
 * the next create finds the pipe by service, name, source kind and destination table instead
 * of POSTing a second pipe. Found by the reliability suite's crash case.
 */
import type { RunningEmulator } from "../../emulator";
import type { Service } from "../../provider/api/types";
import { clickPipeHandlers as h, clickPipePostBody } from "../../provider/resources/clickPipe";
import { apiClient } from "../../provider/resources/satellite";
import { createRunningService, creation, requests, startTestEmulator } from "./satellite.helpers";

let emu: RunningEmulator;
let svc: Service;
beforeAll(async () => {
    emu = await startTestEmulator();
    svc = await createRunningService({ name: "interrupted" });
});
afterAll(() => emu.stop());

const inputs = (name: string, table = name) => ({
    serviceId: svc.id,
    name,
    source: { kafka: { type: "kafka", format: "JSONEachRow", brokers: "b:9092", topics: "t", authentication: "PLAIN", credentials: { username: "u", password: "never-logged-pw" } } },
    destination: { database: "default", table, managedTable: true, columns: [{ name: "a", type: "String" }] },
    fieldMappings: [{ sourceField: "a", destinationField: "a" }],
    ...creation(name),
});

it("adopts the pipe an interrupted create left, with no second POST", async () => {
    const orphan = await apiClient().post<{ id: string }>(`/services/${svc.id}/clickpipes`, clickPipePostBody(inputs("events")));
    await emu.control.clearLog();
    const created = await h.create(inputs("events"));
    expect(created.id).toBe(orphan.id);
    expect(created.outs.state).toBe("Running");
    expect((await requests(emu)).filter((r) => r.startsWith("POST "))).toEqual([]);
    expect((await emu.control.objects()).clickpipes.filter((p: { name: string }) => p.name === "events")).toHaveLength(1);
});

it("creates a new pipe when the same-named pipe writes to another table", async () => {
    const other = await apiClient().post<{ id: string }>(`/services/${svc.id}/clickpipes`, clickPipePostBody(inputs("shared", "elsewhere")));
    const created = await h.create(inputs("shared"));
    expect(created.id).not.toBe(other.id);
    expect((await emu.control.objects()).clickpipes.filter((p: { name: string }) => p.name === "shared")).toHaveLength(2);
});
