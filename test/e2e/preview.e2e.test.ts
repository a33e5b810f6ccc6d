/**
 * `pulumi preview` catches bad credentials with one request (GET /v1/organizations/{id}) and
 * the same clear message `up` gives, and missing ones with none; with good credentials that one
 * request is all a preview sends. A misspelled `clickhouse:` key draws a warning naming the
 * accepted keys.
 */
import { E2EProject, liveMode, pulumiCliOrSkip, requestCounts } from "./harness";

const program = `
import * as clickhouse from "pulumi-clickhouse-cloud";
const svc = new clickhouse.Service("svc", { name: "preview-check", provider: "aws", region: "eu-central-1" });
new clickhouse.BackupConfiguration("backups", { serviceId: svc.id, backupRetentionPeriodInHours: 48 });
export const id = svc.id;
`;

const cli = pulumiCliOrSkip("preview e2e");
const describeCli = cli && !liveMode() ? describe : describe.skip;

describeCli("preview checks the credentials", () => {
    let project: E2EProject;

    beforeAll(async () => {
        project = new E2EProject(cli!, "preview");
        await project.start({ rateLimit: false });
        project.writeProgram(program);
        await project.initStack();
    });
    afterAll(async () => {
        await project?.dispose();
    });

    const preview = async (env: NodeJS.ProcessEnv, expectCode = 0) => {
        await project.emulator!.control.clearLog();
        const result = await project.pulumi(["preview", "--stack", project.stack], { env, expectCode });
        return { output: result.stdout + result.stderr, counts: requestCounts(await project.emulator!.control.log()) };
    };

    it("good credentials: the preview passes and sends one request, GET /v1/organizations/{id}", async () => {
        const { counts } = await preview({});
        expect(counts).toEqual({ "GET /v1/organizations/{id}": 1 });
    });

    it("a wrong secret fails the preview with the API's 401 and what to check, after that one request", async () => {
        const { output, counts } = await preview({ CLICKHOUSE_TOKEN_SECRET: "wrong-secret-value" }, 1);
        expect(output).toMatch(/GET \/v1\/organizations\/[0-9a-f-]{36} -> 401/);
        expect(output).toMatch(/The API key was refused: check clickhouse:tokenKey and clickhouse:tokenSecret/);
        expect(output).not.toContain("wrong-secret-value");
        expect(counts).toEqual({ "GET /v1/organizations/{id}": 1 });
    });

    it("another organization's id fails with the API's 403 and what to check", async () => {
        const { output } = await preview({ CLICKHOUSE_ORG_ID: "00000000-0000-4000-8000-000000000000" }, 1);
        expect(output).toMatch(/-> 40[13]/);
        expect(output).toMatch(/clickhouse:organizationId/);
    });

    it("credentials missing everywhere fail the preview without a request, naming both ways to set them", async () => {
        const { output, counts } = await preview({ CLICKHOUSE_ORG_ID: "", CLICKHOUSE_TOKEN_KEY: "", CLICKHOUSE_TOKEN_SECRET: "" }, 1);
        expect(output).toMatch(/missing organization id, API key id, API key secret/);
        expect(output).toMatch(/pulumi config set --secret clickhouse:tokenKey/);
        expect(counts).toEqual({});
    });

    it("a misspelled clickhouse: key warns, naming the accepted keys", async () => {
        await project.setConfig("clickhouse:tokenSecrets", "typo");
        const { output } = await preview({});
        expect(output).toMatch(/unknown configuration key "clickhouse:tokenSecrets"/);
        expect(output).toMatch(/clickhouse:organizationId, clickhouse:tokenKey, clickhouse:tokenSecret, clickhouse:apiUrl/);
        expect(output).toMatch(/did you mean "clickhouse:tokenSecret"/);
        await project.pulumi(["config", "rm", "clickhouse:tokenSecrets", "--stack", project.stack]);
    });
});
