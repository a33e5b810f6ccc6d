/**
 * What the plugin-face suites share: finding the YAML language host, and installing the plugin
 * into a project's own PULUMI_HOME from the archive a user installs (scripts/plugin-archive.js).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { E2EProject, repoRoot } from "./harness";

const HOST = "pulumi-language-yaml";

/** The folder holding the YAML language host, or undefined with a printed reason (an error under CI=true). */
export function yamlHostOrSkip(suite: string): string | undefined {
    const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? "", ".cache"), "pulumi-clickhouse-cloud");
    const candidates = [
        process.env.PULUMI_YAML_HOST_DIR,
        ...(process.env.PATH ?? "").split(path.delimiter),
        path.join(cache, `yaml-${process.env.PULUMI_YAML_VERSION ?? "1.25.0"}`),
    ];
    const dir = candidates.find((d) => d && fs.existsSync(path.join(d, HOST)));
    if (dir) return dir;
    const reason = `${suite}: no ${HOST} found (run \`bash scripts/yaml-host-install.sh\`)`;
    if (process.env.CI === "true") throw new Error(`${reason}; CI=true requires it`);
    console.warn(`SKIPPED ${reason}`);
    return undefined;
}

/**
 * Puts the YAML host on the project's PATH, gives it its own PULUMI_HOME, and installs the plugin
 * as a user does: `pulumi plugin install resource clickhouse-cloud <version> --file <archive>`.
 */
export async function installPlugin(project: E2EProject, yamlHost: string): Promise<void> {
    project.env = { ...project.env, PATH: `${yamlHost}${path.delimiter}${project.env.PATH}` };
    await installPluginArchive(project);
}

/**
 * Gives the project its own PULUMI_HOME and installs the plugin there from its archive, as a user
 * does (for programs that need no YAML host, such as the Go program of plugin.sdks.e2e).
 */
export async function installPluginArchive(project: E2EProject): Promise<void> {
    const pulumiHome = path.join(project.dir, ".pulumi-home");
    project.env = { ...project.env, PULUMI_HOME: pulumiHome };
    // The plugin archive: the executable at its root, the built plugin and its own node_modules.
    const archive = path.join(project.dir, "pulumi-resource-clickhouse-cloud.tar.gz");
    execFileSync(process.execPath, [path.join(repoRoot, "scripts", "plugin-archive.js"), archive], {
        stdio: ["ignore", "ignore", "inherit"],
    });
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    await project.pulumi(["plugin", "install", "resource", "clickhouse-cloud", version, "--file", archive]);
    const listed = await project.pulumi(["plugin", "ls"]);
    if (!new RegExp(`clickhouse-cloud\\s+resource\\s+${version.replace(/\./g, "\\.")}`).test(listed.stdout))
        throw new Error(`the clickhouse-cloud plugin ${version} is not listed after its install:\n${listed.stdout}`);
}

/**
 * The lines of a YAML program's query endpoint and Kafka ClickPipe for the service resource
 * `service`: the two satellites the plugin-face suites import or move, with the pipe's
 * credentials secret. `pipeDependsOn` names a resource the pipe waits for.
 */
export function yamlQueryAndPipe(o: {
    service: string;
    keyId: string;
    kafkaPassword: string;
    names: { query: string; pipe: string };
    pipeDependsOn?: string;
}): string[] {
    return [
        `  ${o.names.query}:`,
        "    type: clickhouse-cloud:index:ServiceQueryEndpoint",
        "    properties:",
        `      serviceId: \${${o.service}.id}`,
        "      roles: [sql_console_read_only]",
        `      openApiKeys: [${o.keyId}]`,
        `  ${o.names.pipe}:`,
        "    type: clickhouse-cloud:index:ClickPipe",
        "    properties:",
        `      serviceId: \${${o.service}.id}`,
        "      name: events",
        "      source:",
        "        kafka:",
        "          type: confluent",
        "          format: JSONEachRow",
        "          brokers: broker-1:9092",
        "          topics: events",
        "          authentication: PLAIN",
        "          credentials:",
        "            fn::secret:",
        "              username: ingest",
        `              password: ${o.kafkaPassword}`,
        "      destination:",
        "        database: default",
        "        table: events",
        "        managedTable: true",
        "        columns:",
        "          - name: id",
        "            type: String",
        "      fieldMappings:",
        "        - sourceField: id",
        "          destinationField: id",
        ...(o.pipeDependsOn ? ["    options:", "      dependsOn:", `        - \${${o.pipeDependsOn}}`] : []),
    ];
}
