/**
 * Request bodies of `clickhouse:ClickPipe`: the POST with only what the user set, the PATCH with
 * only the in-place changes the diff found.
 */
import { canonical, compact } from "../common";
import type { ClickPipeChanges } from "./diff";
import { CLICKPIPE_SOURCE_SPECS } from "./properties";
import { at, isObject, kindOf } from "./values";

/** The POST body: only what the user set. */
export function clickPipePostBody(inputs: Record<string, unknown>): Record<string, unknown> {
    const kind = kindOf(inputs.source);
    return compact({
        name: inputs.name,
        source: kind ? { [kind]: at(inputs.source, kind) } : inputs.source,
        destination: inputs.destination,
        fieldMappings: inputs.fieldMappings,
        scaling: inputs.scaling,
    });
}

/** The PATCH body for the in-place changes `changes.patch` lists; undefined when there are none. */
export function clickPipePatchBody(olds: Record<string, unknown>, news: Record<string, unknown>, changes: ClickPipeChanges): Record<string, unknown> | undefined {
    if (changes.patch.length === 0) return undefined;
    const body: Record<string, unknown> = {};
    if (changes.patch.includes("name")) body.name = news.name;
    if (changes.patch.includes("fieldMappings")) body.fieldMappings = news.fieldMappings ?? [];
    if (changes.patch.includes("destination")) body.destination = { columns: at(news.destination, "columns") };
    const kind = kindOf(news.source);
    if (changes.patch.includes("source") && kind) {
        const want = (at(news.source, kind) ?? {}) as Record<string, unknown>;
        const fields: Record<string, unknown> = {};
        for (const f of CLICKPIPE_SOURCE_SPECS[kind].inPlace) {
            const [head, sub] = f.split(".");
            if (head === "tableMappings") continue;
            if (sub) {
                const value = at(want, f);
                if (value !== undefined) fields[head] = { ...((fields[head] as object) ?? {}), [sub]: value };
            } else if (want[head] !== undefined) fields[head] = want[head];
        }
        if (kind === "postgres") {
            const before = (at(olds.source, "postgres.tableMappings") as unknown[] | undefined) ?? [];
            const after = (want.tableMappings as unknown[] | undefined) ?? before;
            const beforeKeys = new Set(before.map(canonical));
            const afterKeys = new Set(after.map(canonical));
            fields.tableMappingsToAdd = after.filter((m) => !beforeKeys.has(canonical(m)));
            // Removal needs only the identifying fields; a changed mapping is removed, then added.
            fields.tableMappingsToRemove = before
                .filter((m) => !afterKeys.has(canonical(m)))
                .map((m) => (isObject(m) ? compact({ sourceSchemaName: m.sourceSchemaName, sourceTable: m.sourceTable, targetTable: m.targetTable }) : m));
        }
        body.source = { [kind]: fields };
    }
    return body;
}
