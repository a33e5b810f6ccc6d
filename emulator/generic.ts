import { randomBytes, randomUUID } from "crypto";
import { Ctx, Handler } from "./context";
import { Core } from "./core";
import { badRequest, notFound } from "./errors";
import { stableUuid } from "./ids";
import { entriesOf, JsonObject, JsonValue, member } from "./json";
import { HTTP_METHODS, OpenApiDoc, pointer, SchemaObject, schemaAt, validateAt } from "./openapi";
import { shape } from "./shape";
import { dict } from "./store";

/**
 * The generic layer: every operation of the OpenAPI document that has no handler of its own is
 * answered from the document. Request bodies, path and query parameters are validated against
 * their schemas; objects are kept in the store (`data.generic`, keyed by their path below the
 * organization) and answered shaped by the response schema, so each answer is spec-valid. What
 * an operation does is read from its path and method:
 *
 * - `POST …/things` (a collection: a `…/things/{id}` path exists) creates; `GET` lists.
 * - `GET | PATCH | PUT | DELETE …/things/{id}` read, merge, replace and remove one object (a PUT
 *   on an item whose collection has no POST creates it: an upsert). Collections nobody can add
 *   to (members, activities, quotas...) hold one synthesized object, so reads have something to read.
 * - A path ending in a word is one object (a singleton): GET, PUT/POST (set), PATCH (merge), DELETE.
 *   A GET of a singleton that some call sets answers 404 until it is set; one that no call sets
 *   (usage, metrics, schemas) is synthesized.
 * - A POST on a word under an object that answers that object's own type makes a new one beside
 *   it (a restored service, a read replica); a PATCH that answers its parent's type changes the
 *   parent (state); other POSTs without a GET are actions, answered from the body.
 *
 * Write-only values (fields named like passwords, secrets, credentials, tokens, private keys)
 * are never stored: an answer that must carry one gets a synthesized value.
 */

/** An object of the generic store; the modules that keep their own objects there read them with {@link kept}. */
export interface GenericRecord<T = JsonValue> {
    value: T;
    createdAt: number;
}

/**
 * The object a module keeps at `path` of the generic store (its own paths: a service's settings,
 * the API keys), in that module's type. Only that module writes those paths, and a data file's
 * objects there are the ones it wrote.
 */
export function kept<T>(store: Record<string, GenericRecord>, path: string): GenericRecord<T> | undefined {
    return store[path] as GenericRecord<T> | undefined;
}

interface Param {
    name: string;
    in: "path" | "query";
    required: boolean;
    ptr: string;
    type?: SchemaObject["type"];
}

export interface Operation {
    method: string;
    /** As in the document: `/v1/organizations/{organizationId}/roles/{roleId}`. */
    template: string;
    params: Param[];
    bodyPtr?: string;
    /** Pointer to the `result` schema of the success answer, if it has one. */
    resultPtr?: string;
    status: number;
    contentType: string;
}

const ORG_PREFIX = "/v1/organizations/{organizationId}";
const resolveRef = (doc: OpenApiDoc, ptr: string): string => {
    let s = schemaAt(doc, ptr);
    for (let i = 0; s?.$ref && i < 32; i++) {
        ptr = s.$ref.replace(/^#/, "");
        s = schemaAt(doc, ptr);
    }
    return ptr;
};

/** Every operation of the document, with pointers to its schemas. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
    const out: Operation[] = [];
    for (const [template, item] of Object.entries(doc.paths)) {
        for (const method of HTTP_METHODS) {
            const op = item[method];
            if (!op) continue;
            const params: Param[] = [];
            for (const [i, p] of (op.parameters ?? []).entries()) {
                if (p.in !== "path" && p.in !== "query") continue;
                const ptr = pointer("paths", template, method, "parameters", String(i), "schema");
                params.push({
                    name: p.name,
                    in: p.in,
                    required: !!p.required || p.in === "path",
                    ptr,
                    type: schemaAt(doc, resolveRef(doc, ptr))?.type,
                });
            }
            const bodyPtr = op.requestBody?.content?.["application/json"]?.schema
                ? pointer("paths", template, method, "requestBody", "content", "application/json", "schema")
                : undefined;
            const code = Object.keys(op.responses ?? {}).find((c) => /^2\d\d$/.test(c)) ?? "200";
            const content = op.responses?.[code]?.content ?? {};
            const contentType = Object.keys(content)[0] ?? "application/json";
            let resultPtr: string | undefined;
            if (content["application/json"]?.schema) {
                const envelope = resolveRef(
                    doc,
                    pointer("paths", template, method, "responses", code, "content", "application/json", "schema"),
                );
                if (schemaAt(doc, envelope)?.properties?.result) resultPtr = `${envelope}/properties/result`;
            }
            out.push({ method: method.toUpperCase(), template, params, bodyPtr, resultPtr, status: Number(code), contentType });
        }
    }
    return out;
}

const SECRET_KEY = /password|secret|credential|privatekey|token$/i;

/** A copy without write-only fields (they are never stored, see above). */
function withoutSecrets(v: unknown): JsonValue {
    if (Array.isArray(v)) return v.map(withoutSecrets);
    if (!v || typeof v !== "object") return v;
    const out: JsonObject = {};
    for (const [k, x] of entriesOf(v)) if (!SECRET_KEY.test(k)) out[k] = withoutSecrets(x);
    return out;
}

function merge(base: unknown, patch: unknown): JsonValue {
    if (!patch || typeof patch !== "object" || Array.isArray(patch) || !base || typeof base !== "object" || Array.isArray(base))
        return patch;
    const out: JsonObject = { ...base };
    for (const [k, v] of entriesOf(patch)) out[k] = v === null ? undefined : merge(member(base, k), v);
    return out;
}

const lastSegment = (t: string) => t.slice(t.lastIndexOf("/") + 1);
const isParamSegment = (s: string) => s.startsWith("{") && s.endsWith("}");
const parentOf = (t: string) => t.slice(0, t.lastIndexOf("/"));

/** What a generic operation does (see the module comment). */
type Kind =
    | "list"
    | "create"
    | "item.get"
    | "item.merge"
    | "item.replace"
    | "item.upsert"
    | "item.delete"
    | "single.get"
    | "single.put"
    | "single.merge"
    | "single.delete"
    | "parent.update"
    | "sibling.create"
    | "action";

export class GenericLayer {
    private readonly byKey = new Map<string, Operation>();

    constructor(
        private readonly doc: OpenApiDoc,
        readonly operations: Operation[],
    ) {
        for (const op of operations) this.byKey.set(`${op.method} ${op.template}`, op);
    }

    private has(method: string, template: string) {
        return this.byKey.get(`${method} ${template}`);
    }

    private childItem(template: string): string | undefined {
        return this.operations.map((o) => o.template).find((t) => parentOf(t) === template && isParamSegment(lastSegment(t)));
    }

    private resultRef(op: Operation | undefined): string | undefined {
        return op?.resultPtr ? resolveRef(this.doc, op.resultPtr) : undefined;
    }

    private isList(op: Operation | undefined): boolean {
        if (!op?.resultPtr) return false;
        const s = schemaAt(this.doc, resolveRef(this.doc, op.resultPtr));
        return (
            s?.type === "array" ||
            (!!s?.properties?.items &&
                schemaAt(this.doc, resolveRef(this.doc, `${resolveRef(this.doc, op.resultPtr)}/properties/items`))?.type === "array")
        );
    }

    kindOf(op: Operation): Kind {
        const last = lastSegment(op.template);
        if (isParamSegment(last)) {
            if (op.method === "GET") return "item.get";
            if (op.method === "PATCH") return "item.merge";
            if (op.method === "DELETE") return "item.delete";
            return this.has("POST", parentOf(op.template)) ? "item.replace" : "item.upsert";
        }
        const child = this.childItem(op.template);
        if (child && op.method === "POST") return "create";
        if (child && op.method === "GET" && this.isList(op)) return "list";
        const parent = parentOf(op.template);
        const parentGet = isParamSegment(lastSegment(parent)) ? this.has("GET", parent) : undefined;
        const answersParent = parentGet !== undefined && this.resultRef(parentGet) === this.resultRef(op);
        switch (op.method) {
            case "GET":
                return "single.get";
            case "DELETE":
                return "single.delete";
            case "PATCH":
                return answersParent ? "parent.update" : "single.merge";
            default:
                if (this.has("GET", op.template)) return "single.put";
                return answersParent && op.method === "POST" ? "sibling.create" : answersParent ? "parent.update" : "action";
        }
    }

    /** The handler of one operation. */
    handler(op: Operation): Handler {
        const kind = this.kindOf(op);
        return (ctx) => this.answer(op, kind, ctx);
    }

    private store(core: Core): Record<string, GenericRecord> {
        return (core.data.generic ??= dict());
    }

    /** The object's path below the organization, with the parameters' values. */
    private pathOf(template: string, params: Record<string, string>): string {
        return template.slice(ORG_PREFIX.length).replace(/\{([^}]+)\}/g, (_m, name: string) => params[name]);
    }

    private checkParams(op: Operation, ctx: Ctx): Record<string, string> {
        const values: Record<string, string> = { ...ctx.params };
        for (const p of op.params) {
            const raw = p.in === "path" ? ctx.params[p.name] : (ctx.query.get(p.name) ?? undefined);
            if (raw === undefined) {
                if (p.required) throw badRequest(`request ${p.in}.${p.name}: The field is required`);
                continue;
            }
            // A dot segment is no id: the emulator never resolves it, and no client can send it unresolved.
            if (p.in === "path" && (raw === "." || raw === ".."))
                throw badRequest(`request path.${p.name}: a path segment cannot be "." or ".." <string:${raw}>`);
            const value =
                (p.type === "integer" || p.type === "number") && raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
            validateAt(p.ptr, value, `request ${p.in}.${p.name}`);
            if (p.in === "path")
                values[p.name] = typeof value === "string" && /^[0-9A-F-]{36}$/i.test(value) ? value.toLowerCase() : String(value);
        }
        return values;
    }

    /** Every object the path hangs on must exist: real services and pipes, and generic parents. */
    private checkAncestors(op: Operation, ctx: Ctx, params: Record<string, string>): void {
        const segments = op.template.split("/");
        for (let i = 0; i < segments.length; i++) {
            if (!isParamSegment(segments[i])) continue;
            const name = segments[i].slice(1, -1);
            if (name === "organizationId") continue;
            if (name === "serviceId") ctx.core.service(params.serviceId);
            else if (name === "clickPipeId") ctx.core.pipe(params.serviceId, params.clickPipeId);
            else if (i < segments.length - 1) {
                const path = this.pathOf(segments.slice(0, i + 1).join("/"), params);
                if (!this.store(ctx.core)[path]) throw notFound(`${segments[i - 1]} ${params[name]} not found`);
            }
        }
    }

    private body(op: Operation, ctx: Ctx): JsonValue {
        const body = ctx.body ?? {};
        if (op.bodyPtr) validateAt(op.bodyPtr, body);
        return withoutSecrets(body);
    }

    private shapeAs(ctx: Ctx, ptr: string | undefined, value: unknown): JsonValue {
        return ptr ? shape({ doc: this.doc, now: ctx.core.now() }, ptr, value) : undefined;
    }

    /** The schema objects of a collection are kept in: the item GET's, else the operation's own. */
    private storageSchema(itemTemplate: string, op: Operation): string | undefined {
        return this.has("GET", itemTemplate)?.resultPtr ?? op.resultPtr;
    }

    /** Fields an object gets from its path: `{functionName}` of `/udfs/{functionName}/...`, its id, timestamps. */
    private pathFields(
        template: string,
        params: Record<string, string>,
        schemaPtr: string | undefined,
        idParam?: string,
        id?: string,
    ): JsonObject {
        const props = schemaPtr ? this.propertiesOf(schemaPtr) : new Set<string>();
        const out: JsonObject = {};
        for (const m of template.matchAll(/\{([^}]+)\}/g))
            if (props.has(m[1]) && params[m[1]] !== undefined) out[m[1]] = this.typed(schemaPtr!, m[1], params[m[1]]);
        if (idParam && id !== undefined) {
            if (props.has(idParam)) out[idParam] = this.typed(schemaPtr!, idParam, id);
            else if (props.has("id")) out.id = id;
        }
        return out;
    }

    private propertiesOf(ptr: string): Set<string> {
        const names = new Set<string>();
        const visit = (p: string, depth: number) => {
            const r = resolveRef(this.doc, p);
            const s = schemaAt(this.doc, r);
            if (!s || depth > 8) return;
            for (const k of Object.keys(s.properties ?? {})) names.add(k);
            for (const key of ["allOf", "oneOf", "anyOf"] as const) (s[key] ?? []).forEach((_, i) => visit(`${r}/${key}/${i}`, depth + 1));
        };
        visit(ptr, 0);
        return names;
    }

    private typed(schemaPtr: string, prop: string, value: string): string | number {
        const s = schemaAt(this.doc, resolveRef(this.doc, schemaPtr));
        const t = s?.properties?.[prop]
            ? schemaAt(this.doc, resolveRef(this.doc, `${resolveRef(this.doc, schemaPtr)}/properties/${prop}`))?.type
            : undefined;
        return t === "integer" || t === "number" ? Number(value) : value;
    }

    /** A new id for an item of a collection, in the type its path parameter has. */
    private newId(op: Operation, itemTemplate: string, body: unknown, collection: string, store: Record<string, GenericRecord>): string {
        const param = lastSegment(itemTemplate).slice(1, -1);
        const schema =
            this.byKey.get(`GET ${itemTemplate}`)?.params.find((p) => p.name === param) ??
            this.operations.find((o) => o.template === itemTemplate)?.params.find((p) => p.name === param);
        const s = schema ? schemaAt(this.doc, resolveRef(this.doc, schema.ptr)) : undefined;
        const given = member(body, param);
        if (typeof given === "string" && given !== "") return given;
        if (s?.format === "uuid") return randomUUID();
        if (s?.type === "integer") {
            const taken = this.children(store, collection)
                .map(([k]) => Number(lastSegment(k)))
                .filter(Number.isFinite);
            return String(Math.max(1, ...taken) + 1);
        }
        const name = member(body, "name");
        if (typeof name === "string" && /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && s?.pattern) return name;
        return randomBytes(12).toString("hex");
    }

    private children(store: Record<string, GenericRecord>, collection: string): [string, GenericRecord][] {
        return Object.entries(store)
            .filter(([k]) => k.startsWith(collection + "/") && !k.slice(collection.length + 1).includes("/"))
            .sort((a, b) => a[1].createdAt - b[1].createdAt);
    }

    /** A collection nobody can add to holds one synthesized object (members, activities, quotas...). */
    private seed(ctx: Ctx, collectionTemplate: string, itemTemplate: string, params: Record<string, string>): void {
        const store = this.store(ctx.core);
        const collection = this.pathOf(collectionTemplate, params);
        if (this.has("POST", collectionTemplate) || this.has("PUT", itemTemplate)) return;
        const seeded = `${collection}#seeded`;
        if (store[seeded] || this.children(store, collection).length > 0) return;
        const param = lastSegment(itemTemplate).slice(1, -1);
        const p = this.has("GET", itemTemplate)?.params.find((x) => x.name === param);
        const ps = p ? schemaAt(this.doc, resolveRef(this.doc, p.ptr)) : undefined;
        // The object as the list shows it and as its own GET shows it (the two schemas may differ): one record with both.
        const list = this.has("GET", collectionTemplate);
        const listItems = list?.resultPtr ? this.listItemsPointer(list.resultPtr) : undefined;
        const detail = this.has("GET", itemTemplate)?.resultPtr;
        const draft = {
            ...this.shapeAs(ctx, listItems, this.pathFields(itemTemplate, params, listItems)),
            ...this.shapeAs(ctx, detail, this.pathFields(itemTemplate, params, detail)),
        };
        const id =
            ps?.format === "uuid"
                ? stableUuid(`seed${collection}`)
                : String(member(draft, param) ?? member(draft, "id") ?? (ps?.type === "integer" ? 1 : "seed"));
        const idFields = {
            ...this.pathFields(itemTemplate, { ...params, [param]: id }, listItems, param, id),
            ...this.pathFields(itemTemplate, { ...params, [param]: id }, detail, param, id),
        };
        const value = {
            ...this.shapeAs(ctx, listItems, { ...draft, ...idFields }),
            ...this.shapeAs(ctx, detail, { ...draft, ...idFields }),
        };
        store[`${collection}/${id}`] = { value, createdAt: ctx.core.now() };
        store[seeded] = { value: {}, createdAt: ctx.core.now() };
    }

    /** The schema of one item of a list answer (an array, or `{items: [...]}`). */
    private listItemsPointer(resultPtr: string): string {
        const r = resolveRef(this.doc, resultPtr);
        return schemaAt(this.doc, r)?.type === "array" ? `${r}/items` : `${resolveRef(this.doc, `${r}/properties/items`)}/items`;
    }

    private removeTree(store: Record<string, GenericRecord>, path: string): void {
        for (const k of Object.keys(store)) if (k === path || k.startsWith(path + "/") || k.startsWith(path + "#")) delete store[k];
    }

    private answer(op: Operation, kind: Kind, ctx: Ctx): { result?: unknown; text?: string; status?: number; contentType?: string } {
        const params = this.checkParams(op, ctx);
        this.checkAncestors(op, ctx, params);
        const store = this.store(ctx.core);
        const path = this.pathOf(op.template, params);
        const now = ctx.core.now();
        const body = op.method === "GET" || op.method === "DELETE" ? undefined : this.body(op, ctx);
        const reply = (value: unknown) => {
            if (!op.contentType.startsWith("application/json"))
                return { text: textAnswer(op.contentType, path), contentType: op.contentType, status: op.status };
            return op.method === "DELETE" || !op.resultPtr
                ? { status: op.status }
                : { result: this.shapeAs(ctx, op.resultPtr, value), status: op.status };
        };
        const missing = () =>
            notFound(`${lastSegment(parentOf(op.template)).replace(/s$/, "") || "object"} ${lastSegment(path)} not found`);

        switch (kind) {
            case "list": {
                const item = this.childItem(op.template)!;
                this.seed(ctx, op.template, item, params);
                const items = this.children(store, path).map(([, r]) => r.value);
                const listy = schemaAt(this.doc, resolveRef(this.doc, op.resultPtr!));
                return reply(listy?.type === "array" ? items : { items, pagination: {} });
            }
            case "create": {
                const item = this.childItem(op.template)!;
                const id = this.newId(op, item, body, path, store);
                const schema = this.storageSchema(item, op);
                const param = lastSegment(item).slice(1, -1);
                const value = this.shapeAs(ctx, schema, {
                    ...body,
                    ...this.pathFields(item, { ...params, [param]: id }, schema, param, id),
                    ...timestamps(schema, this, now, true),
                });
                store[`${path}/${id}`] = { value, createdAt: now };
                return reply(value);
            }
            case "item.get": {
                this.seed(ctx, parentOf(op.template), op.template, params);
                const rec = store[path];
                if (!rec) throw missing();
                return reply(rec.value);
            }
            case "item.merge":
            case "item.replace":
            case "item.upsert": {
                this.seed(ctx, parentOf(op.template), op.template, params);
                const rec = store[path];
                if (!rec && kind !== "item.upsert") throw missing();
                const schema = this.storageSchema(op.template, op);
                const param = lastSegment(op.template).slice(1, -1);
                const base = kind === "item.merge" ? rec?.value : {};
                const next = merge(base ?? {}, body);
                const value = this.shapeAs(ctx, schema, {
                    ...(rec?.value ?? {}),
                    ...next,
                    ...this.pathFields(op.template, params, schema, param, params[param]),
                    ...timestamps(schema, this, now, !rec),
                });
                store[path] = { value, createdAt: rec?.createdAt ?? now };
                return reply(value);
            }
            case "item.delete": {
                this.seed(ctx, parentOf(op.template), op.template, params);
                if (!store[path]) throw missing();
                this.removeTree(store, path);
                return reply(undefined);
            }
            case "single.get": {
                const writer = this.has("PUT", op.template) ?? this.has("POST", op.template);
                let rec = store[path];
                if (!rec) {
                    if (writer) throw notFound(`${lastSegment(op.template)} of ${lastSegment(parentOf(path))} is not set`);
                    rec = store[path] = {
                        value: this.shapeAs(ctx, op.resultPtr, this.pathFields(op.template, params, op.resultPtr)),
                        createdAt: now,
                    };
                }
                return reply(rec.value);
            }
            case "single.put":
            case "single.merge": {
                const rec = store[path];
                const schema = this.has("GET", op.template)?.resultPtr ?? op.resultPtr;
                if (!rec && kind === "single.merge" && (this.has("PUT", op.template) ?? this.has("POST", op.template)))
                    throw notFound(`${lastSegment(op.template)} of ${lastSegment(parentOf(path))} is not set`);
                const next = kind === "single.merge" ? merge(rec?.value ?? {}, body) : body;
                const value = this.shapeAs(ctx, schema, {
                    ...(kind === "single.merge" ? rec?.value : {}),
                    ...next,
                    ...this.pathFields(op.template, params, schema),
                });
                store[path] = { value, createdAt: rec?.createdAt ?? now };
                return reply(value);
            }
            case "single.delete": {
                if (!store[path]) throw notFound(`${lastSegment(op.template)} of ${lastSegment(parentOf(path))} is not set`);
                this.removeTree(store, path);
                return reply(undefined);
            }
            case "parent.update": {
                const parentPath = parentOf(path);
                const rec = store[parentPath];
                if (!rec) throw missing();
                const schema = this.has("GET", parentOf(op.template))?.resultPtr ?? op.resultPtr;
                rec.value = this.shapeAs(ctx, schema, { ...merge(rec.value, body), ...timestamps(schema, this, now, false) });
                return reply(rec.value);
            }
            case "sibling.create": {
                const parentTemplate = parentOf(op.template);
                const collectionTemplate = parentOf(parentTemplate);
                const collection = this.pathOf(collectionTemplate, params);
                const id = this.newId(op, parentTemplate, {}, collection, store);
                const param = lastSegment(parentTemplate).slice(1, -1);
                const schema = this.has("GET", parentTemplate)?.resultPtr ?? op.resultPtr;
                const source = store[parentOf(path)]?.value ?? {};
                const value = this.shapeAs(ctx, schema, {
                    ...source,
                    ...body,
                    ...this.pathFields(parentTemplate, { ...params, [param]: id }, schema, param, id),
                    ...timestamps(schema, this, now, true),
                });
                store[`${collection}/${id}`] = { value, createdAt: now };
                return reply(value);
            }
            case "action":
                return reply({ ...body, ...this.pathFields(op.template, params, op.resultPtr) });
        }
    }

    /** @internal used by {@link timestamps} */
    hasProperty(schemaPtr: string | undefined, name: string): boolean {
        return !!schemaPtr && this.propertiesOf(schemaPtr).has(name);
    }
}

function timestamps(schemaPtr: string | undefined, layer: GenericLayer, now: number, created: boolean): JsonObject {
    const iso = new Date(now).toISOString();
    const out: JsonObject = {};
    if (created && layer.hasProperty(schemaPtr, "createdAt")) out.createdAt = iso;
    if (layer.hasProperty(schemaPtr, "updatedAt")) out.updatedAt = iso;
    return out;
}

/** Answers of the non-JSON operations: Prometheus text, PEM certificates. */
function textAnswer(contentType: string, path: string): string {
    if (contentType.includes("pem")) {
        const body = Buffer.from(`emulated certificate authority for ${path}`).toString("base64");
        return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
    }
    return `# HELP postgres_up Whether the emulated Postgres service is up.\n# TYPE postgres_up gauge\npostgres_up{path="${path}"} 1\n`;
}
