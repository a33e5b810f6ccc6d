/**
 * A ClickPipe's `state`, set by an earlier run and then removed from the program, goes back to
 * the API's default (`Running`); never set, it is not managed. The provider records the state
 * the program asked for (`__desiredState`) to tell the two apart.
 */
import { clickPipeHandlers } from "../../provider/resources/clickPipe";
import { withDesiredStateMark, withRemovedState } from "../../provider/resources/clickPipe/state";

const SVC = "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f";
const kafka = {
    type: "confluent",
    format: "JSONEachRow",
    brokers: "b:9092",
    topics: "events",
    authentication: "PLAIN",
    credentials: { username: "u", password: "p" },
};
const destination = { database: "default", table: "events", managedTable: true };
const base = { serviceId: SVC, name: "events", source: { kafka }, destination };
const olds = { ...base, state: "Stopped" };

describe("ClickPipe state removed from the program", () => {
    it.each<[string, Record<string, unknown>, Record<string, unknown>, boolean]>([
        ["set to Stopped before, removed now: back to Running", { ...olds, __desiredState: "Stopped" }, base, true],
        ["never set, stopped in the console: not managed", olds, base, false],
        ["removed while already running: nothing to do", { ...olds, state: "Running", __desiredState: "Running" }, base, false],
        ["still set: compared as before", { ...olds, __desiredState: "Stopped" }, { ...base, state: "Stopped" }, false],
    ])("%s", async (_name, recorded, news, changes) => {
        const d = await clickPipeHandlers.diff("p1", recorded, news);
        expect(d.changes).toBe(changes);
        if (changes) expect((d as { diffs?: string[] }).diffs).toEqual(["state"]);
    });

    it("update is handed the default, the outputs record what the program wrote", async () => {
        expect(withRemovedState({ __desiredState: "Stopped" }, base)).toEqual({ ...base, state: "Running" });
        expect(withRemovedState({}, base)).toBe(base);
        await expect(
            withDesiredStateMark(Promise.resolve({ id: "p1", outs: { state: "Stopped" } }), { state: "Stopped" }),
        ).resolves.toEqual({ id: "p1", outs: { state: "Stopped", __desiredState: "Stopped" } });
        await expect(withDesiredStateMark(Promise.resolve({ outs: { state: "Running" } }), {})).resolves.toEqual({
            outs: { state: "Running" },
        });
    });

    it("a partial failure records the mark as well", async () => {
        const failure = Object.assign(new Error("wait failed"), {
            id: "p1",
            properties: { state: "Provisioning" } as Record<string, unknown>,
            reasons: ["wait failed"],
        });
        await expect(withDesiredStateMark(Promise.reject(failure), { state: "Stopped" })).rejects.toMatchObject({
            properties: { state: "Provisioning", __desiredState: "Stopped" },
        });
    });
});
