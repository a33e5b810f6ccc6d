/**
 * What one Service create → destroy cycle costs in API requests, under the real rate limit
 * (10 requests / 10 s per key): the budget every user of the provider pays per service.
 */
import { E2EProject, pulumiCliOrSkip, requestCounts } from "./harness";

const program = `
import * as clickhouse from "pulumi-clickhouse-cloud";
const svc = new clickhouse.Service("one", { name: "cycle", provider: "aws", region: "us-east-1" });
export const id = svc.id;
`;

const cli = pulumiCliOrSkip("cycle e2e");
(cli ? describe : describe.skip)("one Service create → destroy cycle", () => {
    let project: E2EProject;

    beforeAll(async () => {
        project = new E2EProject(cli!, "cycle");
        await project.start({}); // the emulator's defaults: the real rate limit, ~1 s transitions
        project.writeProgram(program);
        await project.initStack();
    });
    afterAll(async () => project?.dispose());

    it("spends a handful of requests and never hits the rate limit", async () => {
        const up = await project.up();
        const afterUp = await project.emulator!.control.log();
        const down = await project.pulumi(["destroy", "--yes", "--skip-preview", "--stack", project.stack]);
        const all = await project.emulator!.control.log();
        const counts = requestCounts(all);
        console.log(
            `one create→destroy cycle: ${all.length} requests (up ${afterUp.length}, destroy ${all.length - afterUp.length}); ` +
                `up ${up.seconds.toFixed(1)} s, destroy ${down.seconds.toFixed(1)} s; ${JSON.stringify(counts)}`,
        );
        expect(all.filter((e) => e.status === 429)).toEqual([]);
        expect(counts["POST /v1/organizations/{id}/services"]).toBe(1);
        expect(counts["DELETE /v1/organizations/{id}/services/{id}"]).toBe(1);
        expect(all.length).toBeLessThanOrEqual(16);
        expect((await project.emulator!.control.objects()).services).toEqual([]);
    });
});
