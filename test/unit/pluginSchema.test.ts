/**
 * provider/plugin/schema.json (the Pulumi package schema of the plugin face) is generated from the
 * property tables and the TSDoc of the arguments, and committed: this regenerates it and fails on
 * any difference, so a new argument, a changed default or a hand edit cannot drift silently. It
 * also pins what the schema must say, whatever the generator's details.
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
    language: { go?: { importBasePath?: string; respectSchemaVersion?: boolean } };
};
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

it("gives the Go SDK an import path that matches the folder the codegen writes, and the schema's version", () => {
    // The Go codegen writes the root package to a folder named after the package without its
    // hyphen; the import path must end with that folder, or the SDK's imports of its own
    // `internal` package do not resolve (scripts/gen-sdks.js builds it in test/e2e/plugin.sdks.e2e.test.ts).
    const go = schema.language.go;
    expect(go?.importBasePath?.split("/").pop()).toBe(schema.name.replace(/-/g, ""));
    // Without it, the SDK asks the engine for a plugin version guessed from its Go module path.
    expect(go?.respectSchemaVersion).toBe(true);
});
