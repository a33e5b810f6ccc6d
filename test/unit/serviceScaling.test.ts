/**
 * `checkServiceScaling`, `diffServiceScaling` and `scalingRequest` as tables: each failing row
 * names the property and words its reason must contain (property, value, what is accepted).
 */
import { UNKNOWN } from "../../provider/resources/unknown";
import { checkServiceScaling, diffServiceScaling, scalingRequest } from "../../provider/resources/serviceScaling";

const SVC = "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f";
const base = { serviceId: SVC };
const failuresOf = (args: Record<string, unknown>) => checkServiceScaling({}, { ...base, ...args }).failures;

describe("checkServiceScaling accepts", () => {
    it.each<[string, Record<string, unknown>]>([
        ["replica memory range", { minReplicaMemoryGb: 8, maxReplicaMemoryGb: 356 }],
        ["only numReplicas", { numReplicas: 3 }],
        ["only idle settings", { idleScaling: true, idleTimeoutMinutes: 5 }],
        ["idle timeout with idleScaling unset (API default true)", { idleTimeoutMinutes: 30 }],
        ["deprecated totals", { minTotalMemoryGb: 24, maxTotalMemoryGb: 1068 }],
        ["totals with common fields", { minTotalMemoryGb: 48, numReplicas: 2, idleScaling: false }],
        ["equal min and max", { minReplicaMemoryGb: 16, maxReplicaMemoryGb: 16 }],
        ["unknowns during preview", { serviceId: UNKNOWN, minReplicaMemoryGb: UNKNOWN, maxReplicaMemoryGb: 16 }],
        ["timeouts", { numReplicas: 3, timeouts: { create: "45m", update: "1h" } }],
        ["hidden keys", { numReplicas: 3, __creation: "p/s/n", __provider: "x" }],
    ])("%s", (_name, args) => {
        expect(failuresOf(args)).toEqual([]);
    });
});

describe("checkServiceScaling refuses", () => {
    it.each<[string, Record<string, unknown>, string, string[]]>([
        ["missing serviceId", { serviceId: undefined, numReplicas: 3 }, "serviceId", ['"serviceId" is required', "UUID"]],
        ["malformed serviceId", { serviceId: "svc-1", numReplicas: 3 }, "serviceId", ['"svc-1"', "UUID"]],
        [
            "replica memory not a multiple of 4",
            { minReplicaMemoryGb: 10 },
            "minReplicaMemoryGb",
            ["10", "multiple of 4", "between 8 and 356"],
        ],
        ["replica memory too small", { maxReplicaMemoryGb: 4 }, "maxReplicaMemoryGb", ["4", "between 8 and 356"]],
        ["replica memory too large", { maxReplicaMemoryGb: 360 }, "maxReplicaMemoryGb", ["360", "between 8 and 356"]],
        ["total memory not a multiple of 12", { minTotalMemoryGb: 32 }, "minTotalMemoryGb", ["32", "multiple of 12"]],
        ["total memory too small", { minTotalMemoryGb: 12 }, "minTotalMemoryGb", ["12", "between 24 and 1068"]],
        ["min above max", { minReplicaMemoryGb: 32, maxReplicaMemoryGb: 16 }, "minReplicaMemoryGb", ["32", "16", "must not exceed"]],
        ["total min above max", { minTotalMemoryGb: 48, maxTotalMemoryGb: 24 }, "minTotalMemoryGb", ["48", "24"]],
        [
            "mixing both memory styles",
            { minReplicaMemoryGb: 16, maxTotalMemoryGb: 48 },
            "maxTotalMemoryGb",
            ["maxTotalMemoryGb", "minReplicaMemoryGb", "cannot be combined"],
        ],
        ["numReplicas zero", { numReplicas: 0 }, "numReplicas", ["0", "between 1 and 20"]],
        ["numReplicas fractional", { numReplicas: 2.5 }, "numReplicas", ["2.5", "whole number"]],
        ["numReplicas too many", { numReplicas: 21 }, "numReplicas", ["21", "between 1 and 20"]],
        ["idle timeout below 5", { idleTimeoutMinutes: 2 }, "idleTimeoutMinutes", ["2", "at least 5"]],
        [
            "idle timeout with idle scaling off",
            { idleScaling: false, idleTimeoutMinutes: 10 },
            "idleTimeoutMinutes",
            ["idleScaling", "false", "true"],
        ],
        ["idleScaling not a boolean", { idleScaling: "yes" }, "idleScaling", ['"yes"', "true or false"]],
        ["nothing to manage", {}, "minReplicaMemoryGb", ["at least one of", "numReplicas"]],
        ["unknown key", { numReplicas: 3, minReplicas: 2 }, "minReplicas", ['unknown property "minReplicas"', "minReplicaMemoryGb"]],
        ["bad timeout", { numReplicas: 3, timeouts: { create: "soon" } }, "timeouts.create", ['"soon"', "45m"]],
    ])("%s", (_name, args, property, words) => {
        const failures = failuresOf(args);
        const failure = failures.find((f) => f.property === property);
        expect(failure).toBeDefined();
        for (const w of words) expect(failure!.reason).toContain(w);
        expect(failure!.reason).toMatch(/^clickhouse:ServiceScaling: /);
    });
});

describe("diffServiceScaling", () => {
    const olds = {
        serviceId: SVC,
        minReplicaMemoryGb: 16,
        maxReplicaMemoryGb: 64,
        numReplicas: 3,
        idleScaling: true,
        idleTimeoutMinutes: 15,
        minTotalMemoryGb: 48,
    };
    it.each<[string, Record<string, unknown>, string[], string[]]>([
        ["same managed values", { serviceId: SVC, minReplicaMemoryGb: 16 }, [], []],
        ["unset fields are not managed", { serviceId: SVC, numReplicas: 3 }, [], []],
        ["totals unset while service reports them", { serviceId: SVC, maxReplicaMemoryGb: 64 }, [], []],
        ["memory change in place", { serviceId: SVC, maxReplicaMemoryGb: 120 }, ["maxReplicaMemoryGb"], []],
        ["replicas change in place", { serviceId: SVC, numReplicas: 5 }, ["numReplicas"], []],
        ["idle scaling off in place", { serviceId: SVC, idleScaling: false }, ["idleScaling"], []],
        ["timeout change in place", { serviceId: SVC, idleTimeoutMinutes: 30 }, ["idleTimeoutMinutes"], []],
        ["deprecated total in place", { serviceId: SVC, minTotalMemoryGb: 96 }, ["minTotalMemoryGb"], []],
        ["another service replaces", { serviceId: "3b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f", numReplicas: 3 }, ["serviceId"], ["serviceId"]],
        ["unknown serviceId may replace", { serviceId: UNKNOWN }, ["serviceId"], ["serviceId"]],
        ["unknown memory is a change", { serviceId: SVC, minReplicaMemoryGb: UNKNOWN }, ["minReplicaMemoryGb"], []],
        ["timeouts change updates", { serviceId: SVC, timeouts: { update: "5m" } }, ["timeouts"], []],
        ["hidden creation key never diffs", { serviceId: SVC, __creation: "other/stack/name" }, [], []],
    ])("%s", (_name, news, diffs, replaces) => {
        const d = diffServiceScaling(SVC, olds, news);
        expect(d.diffs.sort()).toEqual(diffs.sort());
        expect(d.replaces).toEqual(replaces);
        expect(d.changes).toBe(diffs.length > 0);
    });
});

describe("scalingRequest sends only what differs, to the endpoint of its memory style", () => {
    const current = { minReplicaMemoryGb: 16, maxReplicaMemoryGb: 64, numReplicas: 3, idleScaling: true, minTotalMemoryGb: 48 };
    it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined, unknown]>([
        ["nothing differs", { minReplicaMemoryGb: 16, numReplicas: 3 }, current, undefined],
        [
            "replica memory",
            { minReplicaMemoryGb: 16, maxReplicaMemoryGb: 120 },
            current,
            { path: "replicaScaling", body: { maxReplicaMemoryGb: 120 } },
        ],
        [
            "totals use the deprecated endpoint",
            { minTotalMemoryGb: 96, numReplicas: 3 },
            current,
            { path: "scaling", body: { minTotalMemoryGb: 96 } },
        ],
        ["idle only uses replicaScaling", { idleScaling: false }, current, { path: "replicaScaling", body: { idleScaling: false } }],
        [
            "no current: everything set",
            { numReplicas: 2, idleTimeoutMinutes: 10 },
            undefined,
            { path: "replicaScaling", body: { numReplicas: 2, idleTimeoutMinutes: 10 } },
        ],
    ])("%s", (_name, inputs, cur, expected) => {
        expect(scalingRequest({ serviceId: SVC, ...inputs }, cur)).toEqual(expected);
    });
});
