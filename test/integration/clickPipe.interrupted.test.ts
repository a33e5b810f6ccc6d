/**
 * A ClickPipe create interrupted after the API accepted the POST (the `pulumi` process killed):
 * the next create of the same stack resumes the pipe its recorded attempt made instead of
 * POSTing a second one; a same-named pipe no attempt of this stack made is never taken.
 */
// Set before the imports below load the journal; hence require(), not import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
process.env.CLICKHOUSE_ATTEMPTS_DIR = require("fs").mkdtempSync(require("path").join(require("os").tmpdir(), "ch-attempts-"));

import type { RunningEmulator } from "../../emulator";
import type { Service } from "../../provider/api/types";
import { beginAttempt, interruptedAttempts, newAttemptId, resetOwnAttempts } from "../../provider/journal";
import { clickPipeHandlers as h, clickPipePostBody } from "../../provider/resources/clickPipe";
import { apiClient } from "../../provider/api/current";
import { createRunningService, creation, requests, startTestEmulator } from "./satellite.helpers";

const OWNER = "00112233445566ff";

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
    source: {
        kafka: {
            type: "kafka",
            format: "JSONEachRow",
            brokers: "b:9092",
            topics: "t",
            authentication: "PLAIN",
            credentials: { username: "u", password: "never-logged-pw" },
        },
    },
    destination: { database: "default", table, managedTable: true, columns: [{ name: "a", type: "String" }] },
    fieldMappings: [{ sourceField: "a", destinationField: "a" }],
    ...creation(name),
    __owner: OWNER,
});

/** What a run killed between the pipe's POST and the engine's record leaves. */
async function interruptedPost(ins: ReturnType<typeof inputs>): Promise<{ id: string }> {
    beginAttempt(OWNER, {
        attempt: newAttemptId(),
        kind: "ClickPipe",
        resource: ins.__creation,
        serviceId: svc.id as string,
        name: ins.name,
    });
    const pipe = await apiClient().post<{ id: string }>(`/services/${svc.id}/clickpipes`, clickPipePostBody(ins));
    resetOwnAttempts();
    return pipe;
}

const pipesNamed = async (name: string) => (await emu.control.objects()).clickpipes.filter((p: { name: string }) => p.name === name);

it("resumes the pipe an interrupted create of this stack left, with no second POST", async () => {
    const orphan = await interruptedPost(inputs("events"));
    await emu.control.clearLog();
    const created = await h.create(inputs("events"));
    expect(created.id).toBe(orphan.id);
    expect(created.outs.state).toBe("Running");
    expect((await requests(emu)).filter((r) => r.startsWith("POST "))).toEqual([]);
    expect(await pipesNamed("events")).toHaveLength(1);
    expect(interruptedAttempts(OWNER, "ClickPipe", inputs("events").__creation)).toEqual([]);
});

it("never takes a same-named pipe no attempt of this stack made (another stack's, or one released): a new pipe is created", async () => {
    const other = await apiClient().post<{ id: string }>(`/services/${svc.id}/clickpipes`, clickPipePostBody(inputs("shared")));
    await emu.control.clearLog();
    const created = await h.create(inputs("shared"));
    expect(created.id).not.toBe(other.id);
    // Without an attempt nothing is looked up and the other pipe is not touched.
    expect((await requests(emu)).filter((r) => r.includes(other.id))).toEqual([]);
    expect(await pipesNamed("shared")).toHaveLength(2);
});

it("interrupted, then edited (another table): the leftover is deleted and a new pipe created", async () => {
    const orphan = await interruptedPost(inputs("moved", "old_table"));
    const created = await h.create(inputs("moved", "new_table"));
    expect(created.id).not.toBe(orphan.id);
    const left = await pipesNamed("moved");
    expect(left.map((p: { id: string }) => p.id)).toEqual([created.id]);
});

it("deleting a service names the ClickPipes no resource manages before the API removes them with it", async () => {
    const { serviceHandlers } = await import("../../provider/resources/service");
    const { captureLogs } = await import("../../provider/log");
    const doomed = await createRunningService({ name: "doomed" });
    const pipe = await apiClient().post<{ id: string }>(
        `/services/${doomed.id}/clickpipes`,
        clickPipePostBody({ ...inputs("console-made"), serviceId: doomed.id }),
    );
    const logs = captureLogs();
    await serviceHandlers.delete(doomed.id as string, { state: doomed.state, name: doomed.name });
    logs.stop();
    const warning = logs.entries.find((e) => e.level === "warning" && e.message.includes(pipe.id));
    expect(warning?.message).toMatch(
        /deleting service .* also deletes its ClickPipe that no resource of this stack manages: ClickPipe "console-made"/,
    );
});
