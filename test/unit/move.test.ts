/**
 * `move-to-plugin`'s plan on export documents: what is imported with which id, what leaves the
 * state, which references of other resources are dropped, and each refusal naming its resource.
 * The CLI run itself is tested end to end in test/e2e/plugin.move.e2e.test.ts.
 */
import { parseMoveArgs, readExport } from "../../provider/cli";
import { type ExportDocument, MoveError, planMove } from "../../provider/move";

const STACK = "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev";
const NODE_PROVIDER = "urn:pulumi:dev::shop::pulumi:providers:pulumi-nodejs::default";
const AWS_PROVIDER = "urn:pulumi:dev::shop::pulumi:providers:aws::default_6_0_0";
const SVC = "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f";
const dyn = (kind: string, name: string, parentTypes = "") =>
    `urn:pulumi:dev::shop::${parentTypes}pulumi-nodejs:dynamic/clickhouse:${kind}::${name}`;

function resource(kind: string, name: string, id: string, extra: Record<string, unknown> = {}) {
    return {
        urn: dyn(kind, name),
        type: `pulumi-nodejs:dynamic/clickhouse:${kind}`,
        custom: true,
        id,
        parent: STACK,
        provider: `${NODE_PROVIDER}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
        inputs: { __provider: "exports.handler = ..." },
        outputs: { __provider: "exports.handler = ..." },
        ...extra,
    };
}

function exportOf(extra: object[] = [], pending: object[] = []): ExportDocument {
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-12-01T00:00:00Z" },
            resources: [
                { urn: STACK, type: "pulumi:pulumi:Stack", custom: false },
                { urn: NODE_PROVIDER, type: "pulumi:providers:pulumi-nodejs", custom: true, id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
                resource("StackOwnership", "clickhouse-stack-ownership", "a1b2c3d4e5f60718", { outputs: { ownerId: "a1b2c3d4e5f60718" } }),
                resource("Service", "warehouse", SVC, { protect: true }),
                resource("ServiceScaling", "warehouse-scaling", SVC, {
                    outputs: { serviceId: SVC },
                    dependencies: [dyn("Service", "warehouse")],
                }),
                resource("BackupConfiguration", "warehouse-backups", SVC, { inputs: { serviceId: SVC } }),
                resource("ServiceQueryEndpoint", "warehouse-query", "qe-1", { outputs: { serviceId: SVC } }),
                resource("PrivateEndpoint", "warehouse-pe", "vpce-0abc", { outputs: { serviceId: SVC } }),
                resource("ClickPipe", "events", "pipe-1", { outputs: { serviceId: SVC } }),
                ...extra,
            ],
            ...(pending.length > 0 ? { pending_operations: pending } : {}),
        },
    } as ExportDocument;
}

describe("planMove", () => {
    it("imports each kind with its documented import id and the plugin face's type; names the protected ones", () => {
        const plan = planMove(exportOf());
        expect(plan.importFile).toEqual({
            resources: [
                { type: "clickhouse-cloud:index:Service", name: "warehouse", id: SVC },
                { type: "clickhouse-cloud:index:ServiceScaling", name: "warehouse-scaling", id: SVC },
                { type: "clickhouse-cloud:index:BackupConfiguration", name: "warehouse-backups", id: SVC },
                { type: "clickhouse-cloud:index:ServiceQueryEndpoint", name: "warehouse-query", id: `${SVC}:qe-1` },
                { type: "clickhouse-cloud:index:PrivateEndpoint", name: "warehouse-pe", id: `${SVC}:vpce-0abc` },
                { type: "clickhouse-cloud:index:ClickPipe", name: "events", id: `${SVC}:pipe-1` },
            ],
        });
        expect(plan.protectedNames).toEqual(["warehouse"]);
    });

    it("takes every dynamic resource, the ownership record and the unused dynamic provider out of the state, nothing else", () => {
        const plan = planMove(exportOf());
        expect(plan.state.deployment!.resources!.map((r) => r.urn)).toEqual([STACK]);
        expect(plan.removed).toContain(dyn("StackOwnership", "clickhouse-stack-ownership"));
        expect(plan.removed).toContain(NODE_PROVIDER);
        expect(plan.removed).toHaveLength(8);
        expect((plan.state.deployment as Record<string, unknown>).manifest).toEqual({ time: "2026-12-01T00:00:00Z" });
    });

    it("drops the references other resources hold to moved ones, and says which", () => {
        const secret = {
            urn: "urn:pulumi:dev::shop::aws:secretsmanager/secret:Secret::dsn",
            type: "aws:secretsmanager/secret:Secret",
            custom: true,
            id: "arn:dsn",
            parent: STACK,
            provider: `${AWS_PROVIDER}::x`,
            dependencies: [dyn("Service", "warehouse"), "urn:pulumi:dev::shop::aws:kms/key:Key::k"],
            propertyDependencies: { name: [dyn("Service", "warehouse")], kmsKeyId: ["urn:pulumi:dev::shop::aws:kms/key:Key::k"] },
            deletedWith: dyn("Service", "warehouse"),
        };
        const plan = planMove(exportOf([{ urn: AWS_PROVIDER, type: "pulumi:providers:aws", custom: true, id: "x" }, secret]));
        const kept = plan.state.deployment!.resources!.find((r) => r.urn === secret.urn)!;
        expect(kept.dependencies).toEqual(["urn:pulumi:dev::shop::aws:kms/key:Key::k"]);
        expect(kept.propertyDependencies).toEqual({ name: [], kmsKeyId: ["urn:pulumi:dev::shop::aws:kms/key:Key::k"] });
        expect(kept).not.toHaveProperty("deletedWith");
        expect(plan.droppedReferences).toEqual([{ urn: secret.urn, refs: [dyn("Service", "warehouse")] }]);
        expect(plan.removed).not.toContain(AWS_PROVIDER);
    });

    it("keeps the dynamic provider while another dynamic resource (not ours) uses it", () => {
        const other = {
            urn: "urn:pulumi:dev::shop::pulumi-nodejs:dynamic:Resource::custom",
            type: "pulumi-nodejs:dynamic:Resource",
            custom: true,
            id: "c1",
            parent: STACK,
            provider: `${NODE_PROVIDER}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
        };
        const plan = planMove(exportOf([other]));
        expect(plan.state.deployment!.resources!.map((r) => r.urn)).toEqual([STACK, NODE_PROVIDER, other.urn]);
    });

    it("names a component parent in the import file's name table", () => {
        const component = { urn: "urn:pulumi:dev::shop::acme:env:Env::prod", type: "acme:env:Env", custom: false, parent: STACK };
        const child = {
            ...resource("Service", "analytics", "svc-2"),
            urn: dyn("Service", "analytics", "acme:env:Env$"),
            parent: component.urn,
        };
        const plan = planMove(exportOf([component, child]));
        expect(plan.importFile.nameTable).toEqual({ "parent-1": component.urn });
        expect(plan.importFile.resources).toContainEqual({
            type: "clickhouse-cloud:index:Service",
            name: "analytics",
            id: "svc-2",
            parent: "parent-1",
        });
        expect(plan.state.deployment!.resources!.map((r) => r.urn)).toEqual([STACK, component.urn]);
    });

    it.each<[string, object[], object[], RegExp]>([
        [
            "a pending create of ours",
            [],
            [{ resource: { urn: dyn("Service", "late") }, type: "creating" }],
            /dynamic\/clickhouse:Service::late has a pending creating/,
        ],
        [
            "an unfinished replacement",
            [{ ...resource("Service", "old", "svc-old"), delete: true }],
            [],
            /Service::old is part of an unfinished replacement.*pulumi up/,
        ],
        ["a resource without id", [resource("Service", "blank", "")], [], /Service::blank has no id.*pulumi refresh/],
        ["a per-service kind without serviceId", [resource("ClickPipe", "lost", "pipe-9")], [], /ClickPipe::lost records no serviceId/],
        [
            "a kind the plugin face lacks",
            [resource("Organization", "org", "o-1")],
            [],
            /the plugin face has no Organization; accepted kinds are Service, /,
        ],
    ])("refuses %s, naming the resource", (_name, extra, pending, message) => {
        expect(() => planMove(exportOf(extra, pending))).toThrow(MoveError);
        expect(() => planMove(exportOf(extra, pending))).toThrow(message);
    });

    it("refuses a stack with nothing of the dynamic face, and a document that is not an export", () => {
        expect(() => planMove({ deployment: { resources: [{ urn: STACK, type: "pulumi:pulumi:Stack" }] } })).toThrow(
            /no pulumi-nodejs:dynamic\/clickhouse:\* resources/,
        );
        expect(() => planMove({} as never)).toThrow(/no deployment.resources/);
    });
});

describe("move-to-plugin arguments", () => {
    it("needs --stack; --out defaults to <stack>.import.json; --apply is off unless given", () => {
        expect(parseMoveArgs(["--stack", "dev"])).toMatchObject({ stack: "dev", out: "dev.import.json", apply: false });
        expect(parseMoveArgs(["--stack", "dev", "--out", "x.json", "--apply"])).toMatchObject({ out: "x.json", apply: true });
        expect(() => parseMoveArgs([])).toThrow("give --stack NAME");
        expect(() => parseMoveArgs(["--stack"])).toThrow("--stack needs a value");
        expect(() => parseMoveArgs(["--stack", "dev", "--yes"])).toThrow('unknown argument "--yes"');
    });
});

describe("orphans after a move", () => {
    it("counts the plugin face's resources as in the state, so a moved service is not an orphan of the old ownership id", () => {
        const doc = {
            deployment: {
                resources: [
                    {
                        urn: "urn:pulumi:dev::shop::clickhouse-cloud:index:Service::warehouse",
                        type: "clickhouse-cloud:index:Service",
                        id: SVC,
                    },
                ],
            },
        };
        expect([...readExport(doc).known]).toEqual([SVC]);
    });
});
