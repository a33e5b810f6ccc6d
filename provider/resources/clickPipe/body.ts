/**
 * Request bodies of `clickhouse:ClickPipe`: the POST with only what the user set, the PATCH with
 * only the in-place changes the diff found.
 */
import { canonical } from "../compare";
import { compact } from "../records";
import type { ClickPipePatchRequest, ClickPipePostRequest } from "../../api/types";
import { asInputs, asOutputs } from "./args";
import type { ClickPipeChanges } from "./diff";
import { CLICKPIPE_SOURCE_SPECS } from "./properties";
import { at, isObject, kindOf } from "./values";

/** The POST body: only what the user set. */
export function clickPipePostBody(values: Record<string, unknown>): ClickPipePostRequest {
    const inputs = asInputs(values);
    const kind = kindOf(inputs.source);
    return compact({
        name: inputs.name,
        source: kind ? { [kind]: inputs.source[kind] } : inputs.source,
        destination: inputs.destination,
        fieldMappings: inputs.fieldMappings,
        scaling: inputs.scaling,
    });
}

/** The PATCH body for the in-place changes `changes.patch` lists; undefined when there are none. */
export function clickPipePatchBody(
    oldValues: Record<string, unknown>,
    newValues: Record<string, unknown>,
    changes: ClickPipeChanges,
): ClickPipePatchRequest | undefined {
    if (changes.patch.length === 0) return undefined;
    const olds = asOutputs(oldValues);
    const news = asInputs(newValues);
    const body: ClickPipePatchRequest = {};
    if (changes.patch.includes("name")) body.name = news.name;
    if (changes.patch.includes("fieldMappings")) body.fieldMappings = news.fieldMappings ?? [];
    if (changes.patch.includes("destination")) body.destination = { columns: news.destination?.columns };
    const kind = kindOf(news.source);
    if (changes.patch.includes("source") && kind) {
        const want: Record<string, unknown> = news.source[kind] ?? {};
        // The kind's in-place fields as the spec lists them (its PATCH schema's): copied, not checked by the compiler.
        const fields: Record<string, unknown> = {};
        for (const f of CLICKPIPE_SOURCE_SPECS[kind].inPlace) {
            const [head, sub] = f.split(".");
            if (head === "tableMappings") continue;
            if (sub) {
                const value = at(want, f);
                const parent = fields[head];
                if (value !== undefined) fields[head] = { ...(isObject(parent) ? parent : {}), [sub]: value };
            } else if (want[head] !== undefined) fields[head] = want[head];
        }
        if (kind === "postgres") {
            const before = olds.source?.postgres?.tableMappings ?? [];
            const after = news.source.postgres?.tableMappings ?? before;
            const beforeKeys = new Set(before.map(canonical));
            const afterKeys = new Set(after.map(canonical));
            fields.tableMappingsToAdd = after.filter((m) => !beforeKeys.has(canonical(m)));
            // Removal needs only the identifying fields; a changed mapping is removed, then added.
            fields.tableMappingsToRemove = before
                .filter((m) => !afterKeys.has(canonical(m)))
                .map((m) =>
                    isObject(m)
                        ? compact({ sourceSchemaName: m.sourceSchemaName, sourceTable: m.sourceTable, targetTable: m.targetTable })
                        : m,
                );
        }
        body.source = { [kind]: fields };
    }
    return body;
}
