/**
 * The resource classes under Pulumi's mocks: type tokens read `clickhouse:<Kind>`, the hidden
 * `__creation` input is set, the serialized provider is the thin shim (no credentials, no
 * captured modules), and ClickPipe credentials are registered as secrets.
 */
import * as pulumi from "@pulumi/pulumi";

const registered: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push(args);
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
    },
    "satellites",
    "test",
    false,
);

import { BackupConfiguration } from "../../provider/resources/backupConfiguration";
import { ClickPipe } from "../../provider/resources/clickPipe";
import { PrivateEndpoint } from "../../provider/resources/privateEndpoint";
import { ServiceQueryEndpoint } from "../../provider/resources/serviceQueryEndpoint";
import { ServiceScaling } from "../../provider/resources/serviceScaling";

const SVC = "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f";
const PASSWORD = "kafka-pa55word";

function urnOf(r: pulumi.Resource): Promise<string> {
    return new Promise((resolve) => r.urn.apply(resolve));
}

describe("resource classes", () => {
    const pipe = new ClickPipe("events", {
        serviceId: SVC,
        name: "events",
        source: {
            kafka: {
                type: "kafka",
                format: "JSONEachRow",
                brokers: "b:9092",
                topics: "t",
                authentication: "PLAIN",
                credentials: { username: "u", password: PASSWORD },
            },
        },
        destination: { database: "default", table: "t", managedTable: true, columns: [{ name: "id", type: "String" }] },
        fieldMappings: [{ sourceField: "id", destinationField: "id" }],
    });
    const resources: [string, pulumi.Resource][] = [
        ["ServiceScaling", new ServiceScaling("scaling", { serviceId: SVC, numReplicas: 3 })],
        ["BackupConfiguration", new BackupConfiguration("backup", { serviceId: SVC, backupRetentionPeriodInHours: 48 })],
        ["PrivateEndpoint", new PrivateEndpoint("pe", { serviceId: SVC, endpointId: "vpce-0123456789abcdef0" })],
        ["ServiceQueryEndpoint", new ServiceQueryEndpoint("qe", { serviceId: SVC, roles: ["sql_console_read_only"], openApiKeys: ["k"] })],
        ["ClickPipe", pipe],
    ];

    it.each(resources)("%s has a readable type token and the creation marker", async (kind, resource) => {
        expect(await urnOf(resource)).toContain(`pulumi-nodejs:dynamic/clickhouse:${kind}::`);
        const args = registered.find((r) => r.type === `pulumi-nodejs:dynamic/clickhouse:${kind}`);
        expect(args?.inputs.__creation).toMatch(new RegExp(`^satellites/test/`));
        const provider = String(args?.inputs.__provider);
        expect(provider.length).toBeLessThan(6000);
        expect(provider).toContain("pulumi-clickhouse-cloud");
        expect(provider).not.toContain("keySecret");
    });

    it("every resource of a kind stores the same provider text, one per kind", async () => {
        const { shimText } = await import("../../provider/shim");
        expect(shimText("Service")).toBe(shimText("Service"));
        expect(shimText("ClickPipe")).not.toBe(shimText("Service"));
        const a = new ServiceScaling("scaling-a", { serviceId: SVC, numReplicas: 2 });
        const b = new ServiceScaling("scaling-b", { serviceId: SVC, numReplicas: 2 });
        await Promise.all([urnOf(a), urnOf(b)]);
        const texts = registered.filter((r) => r.name === "scaling-a" || r.name === "scaling-b").map((r) => r.inputs.__provider);
        expect(texts).toHaveLength(2);
        expect(texts[0]).toBe(texts[1]);
        expect(texts[0]).toBe(shimText("ServiceScaling"));
    });

    it("ClickPipe: the source output is secret because its credentials are", async () => {
        await urnOf(pipe);
        const source = (pipe as unknown as { source: pulumi.Output<any> }).source;
        expect(await pulumi.isSecret(source)).toBe(true);
    });
});
