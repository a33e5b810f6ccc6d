/**
 * `check` of `clickhouse:ClickPipe`: the rules every pipe has whatever its source (the top-level
 * fields, the destination, the field mappings and the scaling, which depend on the kind only
 * where Postgres differs), with errors that name the property, the value and what is accepted.
 * The rules of each source kind are in ./sourceChecks.ts. No API call.
 */
import { show, Validator } from "../validation";
import { checkTimeouts } from "../timeouts";
import { isUnknown } from "../unknown";
import { checkServiceId } from "../owningService";
import { ClickPipeSourceKind, DESTINATION_FIELDS, RESOURCE, SCALING_FIELDS, TOP_LEVEL } from "./properties";
import { eachItem } from "./nestedChecks";
import { checkSource } from "./sourceChecks";
import { isObject } from "./values";

const TABLE_ENGINES = ["MergeTree", "ReplacingMergeTree", "SummingMergeTree", "Null"];

function checkDestination(v: Validator, kind: ClickPipeSourceKind | undefined): void {
    if (!v.required("destination", "an object { database, table, managedTable, columns }")) return;
    if (v.skip("destination")) return;
    if (!isObject(v.value("destination"))) {
        v.fail(
            "destination",
            `"destination" must be an object { database, table, managedTable, columns }, got ${show(v.value("destination"))}.`,
        );
        return;
    }
    v.knownKeys("destination", DESTINATION_FIELDS);
    v.string("destination.database", { required: true });
    const database = kind === "postgres";
    v.string("destination.table", { required: !database });
    if (!database) v.required("destination.managedTable", "true (ClickPipes creates the table) or false (an existing table)");
    v.boolean("destination.managedTable");
    if (!database && v.required("destination.columns", "a list of { name, type }")) {
        const columns = v.value("destination.columns");
        if (Array.isArray(columns) && columns.length === 0)
            v.warn("destination.columns", `"destination.columns" is empty; list the destination table's columns as { name, type }.`);
    }
    eachItem(v, "destination.columns", (c) => {
        c.knownKeys(undefined, ["name", "type"]);
        c.string("name", { required: true });
        c.string("type", { required: true, patternText: 'a ClickHouse type, e.g. "String"' });
    });
    const names = v.value("destination.columns") ?? [];
    if (Array.isArray(names)) {
        const seen = new Set<string>();
        for (const c of names) {
            const n = isObject(c) ? c.name : undefined;
            if (typeof n === "string" && !isUnknown(n)) {
                if (seen.has(n)) v.warn("destination.columns", `"destination.columns" lists column ${show(n)} twice.`);
                seen.add(n);
            }
        }
    }
    v.knownKeys("destination.tableDefinition", ["engine", "sortingKey", "partitionBy", "primaryKey"]);
    v.knownKeys("destination.tableDefinition.engine", ["type", "versionColumnId", "columnIds"]);
    v.oneOf("destination.tableDefinition.engine.type", TABLE_ENGINES);
    v.array("destination.tableDefinition.sortingKey", (path, c) => {
        if (typeof c !== "string") v.fail(path, `"${path}" must be a column name, got ${show(c)}.`);
    });
    v.array("destination.roles", (path, r) => {
        if (typeof r !== "string" || r === "") v.fail(path, `"${path}" must be a role name, got ${show(r)}.`);
    });
}

function checkFieldMappings(v: Validator, kind: ClickPipeSourceKind | undefined): void {
    if (v.skip("fieldMappings")) return;
    if (kind === "postgres") {
        v.warn("fieldMappings", `"fieldMappings" does not apply to a Postgres pipe; map tables with "source.postgres.tableMappings".`);
        return;
    }
    eachItem(v, "fieldMappings", (m) => {
        m.knownKeys(undefined, ["sourceField", "destinationField"]);
        m.string("sourceField", { required: true });
        m.string("destinationField", { required: true });
    });
    const mappings = v.value("fieldMappings");
    const columns = v.value("destination.columns");
    if (!Array.isArray(mappings) || !Array.isArray(columns) || isUnknown(mappings) || isUnknown(columns)) return;
    const mapped = new Set(mappings.map((m) => (isObject(m) ? m.destinationField : undefined)));
    const names = columns.map((c) => (isObject(c) ? c.name : undefined)).filter((n): n is string => typeof n === "string");
    const missing = names.filter((n) => !mapped.has(n));
    // The spec says every destination column must be mapped; 14 of the Terraform provider's documentation examples leave one out.
    if (missing.length > 0)
        v.warn(
            "fieldMappings",
            `"fieldMappings" leaves destination column(s) ${missing.map(show).join(", ")} unmapped; the spec says every destination column must be mapped.`,
        );
    const unknownTargets = [...mapped].filter((m): m is string => typeof m === "string" && !names.includes(m));
    if (unknownTargets.length > 0)
        v.warn(
            "fieldMappings",
            `"fieldMappings" maps to ${unknownTargets.map(show).join(", ")}, which "destination.columns" does not list; accepted: ${names.join(", ")}.`,
        );
}

function checkScaling(v: Validator, kind: ClickPipeSourceKind | undefined): void {
    if (v.skip("scaling")) return;
    const scaling = v.value("scaling");
    if (!isObject(scaling)) {
        v.fail("scaling", `"scaling" must be an object { replicas, replicaCpuMillicores, replicaMemoryGb }, got ${show(scaling)}.`);
        return;
    }
    if (kind === "postgres") {
        v.fail("scaling", `"scaling" does not apply to a Postgres pipe: database pipes share the service's CDC scaling; remove it.`);
        return;
    }
    v.knownKeys("scaling", SCALING_FIELDS);
    if (Object.values(scaling).every((x) => x === undefined || x === null)) {
        v.fail(
            "scaling",
            `"scaling" is empty; the API rejects an empty scaling object: set replicas, replicaCpuMillicores or replicaMemoryGb, or omit "scaling".`,
        );
    }
    v.number("scaling.replicas", { integer: true, min: 1, max: 40 });
    v.number("scaling.replicaCpuMillicores", { integer: true, min: 125, max: 2000, unit: "millicores" });
    v.number("scaling.replicaMemoryGb", { min: 0.5, max: 8, unit: "GB" });
}

/** Validates the inputs; no API call. */
export function checkClickPipe(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures: { property: string; reason: string }[] } {
    const v = new Validator(RESOURCE, news);
    v.knownKeys(undefined, TOP_LEVEL);
    checkServiceId(v);
    v.string("name", { required: true, maxLength: 255 });
    v.string("description");
    v.oneOf("state", ["Running", "Stopped"]);
    checkTimeouts(v);
    const kind = checkSource(v);
    checkDestination(v, kind);
    checkFieldMappings(v, kind);
    checkScaling(v, kind);
    return { inputs: news, failures: v.failures };
}
