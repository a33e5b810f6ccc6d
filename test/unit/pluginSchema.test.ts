/**
 * provider/plugin/schema.json (the Pulumi package schema of the plugin face) is generated from the
 * property tables and the TSDoc of the arguments, and committed: this regenerates it and fails on
 * any difference, so a new argument, a changed default or a hand edit cannot drift silently. It
 * also pins what the schema must say, whatever the generator's details: the resources and the
 * read functions.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const script = path.join(__dirname, "..", "..", "scripts", "gen-schema.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gen = require(script) as { OUTPUT: string; PACKAGE: string };

type PropertySpec = { secret?: boolean; replaceOnChanges?: boolean; $ref?: string; description?: string };
type ResourceSpec = { inputProperties: Record<string, PropertySpec>; properties: Record<string, PropertySpec>; requiredInputs?: string[] };
const schema = JSON.parse(fs.readFileSync(gen.OUTPUT, "utf8")) as {
    name: string;
    resources: Record<string, ResourceSpec>;
    types: Record<string, { enum?: { value: string }[]; properties?: Record<string, PropertySpec> }>;
    config: { variables: Record<string, PropertySpec & { default?: string }> };
    functions: Record<string, FunctionSpec>;
    language: { go?: { importBasePath?: string; respectSchemaVersion?: boolean } };
};
type ObjectSpec = { properties: Record<string, PropertySpec & { items?: PropertySpec }>; required?: string[] };
type FunctionSpec = { description?: string; inputs: ObjectSpec; outputs: ObjectSpec };
const resource = (name: string) => schema.resources[`clickhouse-cloud:index:${name}`];

it("the committed schema.json is exactly what scripts/gen-schema.js makes from the sources", () => {
    // In a plain node process, as `npm run gen:schema` runs it (the TypeScript compiler reads the sources).
    const check = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect([check.status, check.stderr.trim()]).toEqual([0, ""]);
}, 120_000);

it("names the package clickhouse-cloud and has the six resources", () => {
    expect(schema.name).toBe("clickhouse-cloud");
    expect(Object.keys(schema.resources).sort()).toEqual(
        ["BackupConfiguration", "ClickPipe", "PrivateEndpoint", "Service", "ServiceQueryEndpoint", "ServiceScaling"].map(
            (n) => `clickhouse-cloud:index:${n}`,
        ),
    );
});

it("says what the tables say: required, secret, replacing", () => {
    const service = resource("Service");
    expect(service.requiredInputs).toEqual(["name", "provider", "region"]);
    expect(service.inputProperties.password.secret).toBe(true);
    expect(service.properties.password.secret).toBe(true);
    expect(service.properties.region.replaceOnChanges).toBe(true);
    expect(service.inputProperties.name.replaceOnChanges).toBeUndefined();
    // Created with it, never a diff: no replacement.
    expect(service.inputProperties.adoptServiceId.replaceOnChanges).toBeUndefined();
    expect(service.inputProperties.tier.description).toMatch(/Changing this replaces the service/);
    // ClickPipe: replacement and secrets on the parts of the source, not on the source as a whole.
    const pipe = resource("ClickPipe");
    expect(pipe.inputProperties.source.replaceOnChanges).toBeUndefined();
    const kafka = schema.types["clickhouse-cloud:index:ClickPipePostKafkaSource"].properties!;
    expect([kafka.credentials.secret, kafka.brokers.replaceOnChanges, kafka.authentication.replaceOnChanges]).toEqual([
        true,
        true,
        undefined,
    ]);
});

it("has the catalog's enums and the provider's configuration", () => {
    const values = (name: string) => schema.types[`clickhouse-cloud:index:${name}`].enum!.map((e) => e.value);
    expect(values("CloudProvider").sort()).toEqual(["aws", "azure", "gcp"]);
    expect(values("Region")).toContain("eu-central-1");
    expect(Object.keys(schema.config.variables).sort()).toEqual(["apiUrl", "organizationId", "tokenKey", "tokenSecret"]);
    expect(schema.config.variables.tokenSecret.secret).toBe(true);
    expect(schema.config.variables.apiUrl.default).toBe("https://api.clickhouse.cloud");
});

it("has the read functions of provider/functions.ts, their inputs, outputs and secrets", () => {
    const fn = (name: string) => schema.functions[`clickhouse-cloud:index:${name}`];
    expect(Object.keys(schema.functions).sort()).toEqual(
        [
            "getBackup",
            "getBackupConfiguration",
            "getPrivateEndpointConfig",
            "getPrometheusMetrics",
            "getService",
            "listBackups",
            "listServices",
        ].map((n) => `clickhouse-cloud:index:${n}`),
    );
    // Positional parameters are inputs of the same name, described by their `@param`.
    const getService = fn("getService");
    expect(getService.description).toMatch(/^One service by id/);
    expect(getService.inputs.required).toEqual(["serviceId"]);
    expect(getService.inputs.properties.serviceId).toEqual({ type: "string", description: "The service's id (a UUID)." });
    expect(fn("getBackup").inputs.required).toEqual(["serviceId", "backupId"]);
    // An arguments object's fields are the inputs; none required.
    expect(Object.keys(fn("getPrometheusMetrics").inputs.properties)).toEqual(["serviceId", "filteredMetrics"]);
    expect(fn("getPrometheusMetrics").inputs.required).toBeUndefined();
    // An object's fields are the outputs (the API's `Service`); the Service resource's secret fields stay secret.
    expect(getService.outputs.properties.encryptionKey.secret).toBe(true);
    expect(getService.outputs.properties.name.secret).toBeUndefined();
    expect(getService.outputs.properties.state.$ref).toBe("#/types/clickhouse-cloud:index:ServiceState");
    // A list or a text is one named output, required.
    const services = fn("listServices").outputs;
    expect(services.required).toEqual(["services"]);
    expect(services.properties.services.items?.$ref).toBe("#/types/clickhouse-cloud:index:ApiService");
    expect(schema.types["clickhouse-cloud:index:ApiService"].properties!.encryptionKey.secret).toBe(true);
    expect(fn("getPrometheusMetrics").outputs).toMatchObject({ properties: { metrics: { type: "string" } }, required: ["metrics"] });
    // No type takes a resource's token.
    for (const token of Object.keys(schema.resources)) expect(schema.types[token]).toBeUndefined();
});

it("keeps the API's descriptions of fields that have a format, not only the format", () => {
    expect(schema.functions["clickhouse-cloud:index:getService"].outputs.properties.id.description).toBe(
        "Unique service ID.\nFormat: uuid",
    );
    const text = fs.readFileSync(gen.OUTPUT, "utf8");
    expect(text.match(/"description": "Format: [^"]*"/g) ?? []).toEqual([]);
});

it("gives the Go SDK an import path that matches the folder the codegen writes, and the schema's version", () => {
    // The Go codegen writes the root package to a folder named after the package without its
    // hyphen; the import path must end with that folder, or the SDK's imports of its own
    // `internal` package do not resolve (scripts/gen-sdks.js builds it in test/e2e/plugin.sdks.e2e.test.ts).
    const go = schema.language.go;
    expect(go?.importBasePath?.split("/").pop()).toBe(schema.name.replace(/-/g, ""));
    // Without it, the SDK asks the engine for a plugin version guessed from its Go module path.
    expect(go?.respectSchemaVersion).toBe(true);
});
