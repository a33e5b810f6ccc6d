/**
 * Object-storage ClickPipes that move data, when the emulator runs real servers and the source is
 * on this machine (docs/emulator.md, "Real servers"): once a pipe is `Running`, its file is read
 * (`http://127.0.0.1:…`, `http://localhost:…`, or `file://` under the folder given as
 * `realServers.files`), its fields mapped to the destination's columns by the pipe's
 * `fieldMappings`, and its rows inserted into the destination table, which is created from the
 * pipe's table definition when `managedTable` is true. A pipe loads once (`isContinuous` is not
 * followed). Kafka, Kinesis and Postgres pipes, remote URLs, and the formats this server cannot
 * read this way (Parquet, Avro, JSONAsObject) stay control-plane only: the reason is kept on the
 * pipe's record (`realLoad`, shown by the control API's objects).
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import type { PipeRecord } from "./store";

/** What loading a pipe did. */
export interface PipeLoad {
    at: number;
    /** Rows inserted. */
    rows?: number;
    /** Why nothing was loaded. */
    skipped?: string;
    /** Why the load failed. */
    error?: string;
}

/** Runs one statement on the pipe's service (the emulator's own user), with an optional body. */
export type Query = (sql: string, body?: Buffer | string, settings?: Record<string, string>) => Promise<string>;

const FORMATS = new Set(["JSONEachRow", "CSV", "CSVWithNames", "TabSeparated", "TabSeparatedWithNames"]);
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

const ident = (s: string) => "`" + s.replace(/\\/g, "\\\\").replace(/`/g, "\\`") + "`";

/** The `CREATE TABLE` of a managed destination, from the pipe's columns and table definition. */
export function createTableSql(dest: PipeRecord["destination"]): string {
    const db = dest.database || "default";
    const cols = (dest.columns ?? []).map((c) => `${ident(c.name ?? "")} ${c.type}`).join(", ");
    const def = dest.tableDefinition;
    const e = def?.engine;
    let engine = "MergeTree()";
    if (e?.type === "ReplacingMergeTree") engine = `ReplacingMergeTree(${e.versionColumnId ? ident(e.versionColumnId) : ""})`;
    else if (e?.type === "SummingMergeTree")
        engine = `SummingMergeTree(${e.columnIds?.length ? `(${e.columnIds.map(ident).join(", ")})` : ""})`;
    else if (e?.type === "Null") return `CREATE TABLE IF NOT EXISTS ${ident(db)}.${ident(dest.table ?? "")} (${cols}) ENGINE = Null`;
    const order = def?.sortingKey?.length ? `(${def.sortingKey.map(ident).join(", ")})` : "tuple()";
    return [
        `CREATE TABLE IF NOT EXISTS ${ident(db)}.${ident(dest.table ?? "")} (${cols}) ENGINE = ${engine}`,
        def?.partitionBy ? `PARTITION BY ${def.partitionBy}` : "",
        `ORDER BY ${order}`,
        def?.primaryKey ? `PRIMARY KEY ${def.primaryKey}` : "",
    ]
        .filter(Boolean)
        .join(" ");
}

/** The files a source URL names on this machine, or why it names none. */
export async function readSource(url: string, filesDir: string | undefined): Promise<{ files: Buffer[] } | { skipped: string }> {
    let u: URL;
    try {
        u = new URL(url);
    } catch {
        return { skipped: `the URL ${JSON.stringify(url)} is not one this emulator can read` };
    }
    if (u.protocol === "file:") {
        if (!filesDir)
            return { skipped: "file:// sources are read only under the folder given as realServers.files (--real-servers-files)" };
        const root = fs.realpathSync(filesDir);
        const wanted = path.resolve(decodeURIComponent(u.pathname));
        const dir = path.dirname(wanted);
        if (!fs.existsSync(dir) || !(fs.realpathSync(dir) + path.sep).startsWith(root + path.sep))
            return { skipped: `${wanted} is not under ${root}` };
        const base = path.basename(wanted);
        // A bash-like `*` in the file name: every match, in lexical order.
        const re = new RegExp("^" + base.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
        const names = fs
            .readdirSync(dir)
            .filter((n) => re.test(n))
            .sort();
        if (names.length === 0) return { skipped: `no file matches ${wanted}` };
        return { files: names.map((n) => fs.readFileSync(path.join(dir, n))) };
    }
    if ((u.protocol === "http:" || u.protocol === "https:") && LOCAL_HOSTS.has(u.hostname)) {
        const res = await fetch(u);
        if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
        return { files: [Buffer.from(await res.arrayBuffer())] };
    }
    return { skipped: `${u.host} is not on this machine: only http://127.0.0.1, http://localhost and file:// sources are loaded` };
}

function decompress(b: Buffer, compression: unknown, url: string): Buffer {
    const c = typeof compression === "string" ? compression.toLowerCase() : "auto";
    const gz = c === "gzip" || c === "gz" || ((c === "auto" || c === "none") && b[0] === 0x1f && b[1] === 0x8b && c !== "none");
    if (gz || (c === "auto" && url.endsWith(".gz"))) return zlib.gunzipSync(b);
    if (c === "br" || c === "brotli") return zlib.brotliDecompressSync(b);
    if (c === "auto" || c === "none") return b;
    throw new Error(`compression ${c} is not read by the emulator`);
}

/** Loads a Running object-storage pipe's rows into its destination. */
export async function loadPipe(pipe: PipeRecord, query: Query, filesDir: string | undefined, now: () => number): Promise<PipeLoad> {
    if (pipe.sourceKind !== "objectStorage")
        return { at: now(), skipped: `${pipe.sourceKind} pipes are control-plane only in the emulator` };
    const src = pipe.source as { url?: string; format?: string; delimiter?: string; compression?: string };
    const format = src.format ?? "";
    if (!FORMATS.has(format)) return { at: now(), skipped: `the ${format} format is not loaded by the emulator` };
    const read = await readSource(src.url ?? "", filesDir);
    if ("skipped" in read) return { at: now(), skipped: read.skipped };
    const dest = pipe.destination;
    const db = dest.database || "default";
    const table = `${ident(db)}.${ident(dest.table ?? "")}`;
    if (dest.managedTable) {
        await query(`CREATE DATABASE IF NOT EXISTS ${ident(db)}`);
        await query(createTableSql(dest));
    }
    const mapping = new Map(pipe.fieldMappings.map((m) => [m.sourceField, m.destinationField]));
    const settings: Record<string, string> = src.delimiter && format.startsWith("CSV") ? { format_csv_delimiter: src.delimiter } : {};
    let rows = 0;
    for (const raw of read.files) {
        const text = decompress(raw, src.compression, src.url ?? "").toString("utf8");
        if (format === "JSONEachRow") {
            const lines = text.split("\n").filter((l) => l.trim() !== "");
            const mapped = lines.map((l) => {
                const o = JSON.parse(l) as Record<string, unknown>;
                const out: Record<string, unknown> = {};
                for (const [from, to] of mapping) if (from in o) out[to] = o[from];
                return JSON.stringify(out);
            });
            if (mapped.length) await query(`INSERT INTO ${table} FORMAT JSONEachRow`, mapped.join("\n") + "\n", settings);
            rows += mapped.length;
            continue;
        }
        // CSV and TabSeparated: the mapped columns in the file's order (its header's, or the mappings').
        const sep = format.startsWith("CSV") ? (src.delimiter ?? ",") : "\t";
        const lines = text.split("\n").filter((l) => l.trim() !== "");
        const withNames = format.endsWith("WithNames");
        const sources = withNames ? lines[0].split(sep).map((h) => h.trim().replace(/^"(.*)"$/, "$1")) : [...mapping.keys()];
        const columns = sources.map((s) => {
            const to = mapping.get(s);
            if (!to) throw new Error(`the file's field ${JSON.stringify(s)} has no field mapping`);
            return ident(to);
        });
        const count = lines.length - (withNames ? 1 : 0);
        if (count > 0) await query(`INSERT INTO ${table} (${columns.join(", ")}) FORMAT ${format}`, lines.join("\n") + "\n", settings);
        rows += Math.max(0, count);
    }
    return { at: now(), rows };
}
