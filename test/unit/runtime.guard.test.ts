/**
 * The runtime's rule for deletes of objects a create of the same run returned: the old and the
 * new resource share the object (a create-before-delete replacement of a singleton, or a create
 * that took over an existing object), so the delete must not run.
 */
import { captureLogs } from "../../provider/log";
import { Handlers } from "../../provider/resources/handlers";
import { ResourceInitError } from "../../provider/resources/partialFailure";
import { guardDeletes } from "../../provider/runtime";
import { resetRunState } from "../../provider/runState";

function fakeHandlers(deleted: string[], createId: (inputs: any) => string): Handlers {
    return {
        check: async (_o, news) => ({ inputs: news }),
        diff: async () => ({ changes: false }),
        create: async (inputs) => {
            if (inputs.fail) throw new ResourceInitError(createId(inputs), {}, ["wait failed"]);
            return { id: createId(inputs), outs: {} };
        },
        read: async (id, props) => ({ id, props }),
        update: async () => ({ outs: {} }),
        delete: async (id) => void deleted.push(id),
    };
}

beforeEach(() => resetRunState());

describe("deletes of objects created in the same run", () => {
    it("skips the delete of an id a create returned, with a warning naming it; other deletes run", async () => {
        const deleted: string[] = [];
        const h = guardDeletes(
            "ServiceQueryEndpoint",
            fakeHandlers(deleted, (i) => i.serviceId),
        );
        await h.create({ serviceId: "svc-1" });
        const logs = captureLogs();
        await h.delete("svc-1", {});
        await h.delete("svc-2", {});
        logs.stop();
        expect(deleted).toEqual(["svc-2"]);
        const warnings = logs.entries.filter((e) => e.level === "warning");
        expect(warnings).toHaveLength(1);
        expect(warnings[0].message).toMatch(/clickhouse:ServiceQueryEndpoint svc-1: not deleted/);
    });

    it("counts a partial failure's id as created, and keeps kinds apart", async () => {
        const deleted: string[] = [];
        const pipes = guardDeletes(
            "ClickPipe",
            fakeHandlers(deleted, () => "obj-1"),
        );
        const scaling = guardDeletes(
            "ServiceScaling",
            fakeHandlers(deleted, () => "obj-1"),
        );
        await expect(pipes.create({ fail: true })).rejects.toBeInstanceOf(ResourceInitError);
        await pipes.delete("obj-1", {});
        await scaling.delete("obj-1", {});
        expect(deleted).toEqual(["obj-1"]); // only the ServiceScaling delete ran
    });

    it("knows one-per-service objects by their service: a replacement's new endpoint id does not let the delete through", async () => {
        const deleted: string[] = [];
        const base = fakeHandlers(deleted, () => "endpoint-new");
        const h = guardDeletes("ServiceQueryEndpoint", {
            ...base,
            create: async (inputs) => ({ id: "endpoint-new", outs: { serviceId: inputs.serviceId } }),
        });
        await h.create({ serviceId: "svc-1" });
        await h.delete("endpoint-old", { serviceId: "svc-1" }); // same service: the same endpoint
        await h.delete("endpoint-other", { serviceId: "svc-2" });
        expect(deleted).toEqual(["endpoint-other"]);
        // Pipes are many per service: only the id counts.
        const pipes = guardDeletes("ClickPipe", { ...base, create: async () => ({ id: "pipe-new", outs: { serviceId: "svc-1" } }) });
        await pipes.create({});
        await pipes.delete("pipe-old", { serviceId: "svc-1" });
        expect(deleted).toEqual(["endpoint-other", "pipe-old"]);
    });

    it("runs every delete in a run that created nothing (pulumi destroy)", async () => {
        const deleted: string[] = [];
        const h = guardDeletes(
            "Service",
            fakeHandlers(deleted, () => "x"),
        );
        await h.delete("a", {});
        await h.delete("b", {});
        expect(deleted).toEqual(["a", "b"]);
    });
});
