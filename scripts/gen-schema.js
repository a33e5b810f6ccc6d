#!/usr/bin/env node
// Generates the Pulumi package schema of the plugin face (provider/plugin/schema.json) from the
// provider's own sources, so the schema cannot say something the code does not:
//
// - which properties each resource has, and how a change applies (replace, update), whether it is
//   secret or required: the property tables (`PROPERTIES`, `SERVICE_PROPERTIES`, the ClickPipe
//   tables), read from their object literals;
// - the type and the description (meaning, default, unit, replacement) of each argument: the
//   resource's plain inputs type (`ServiceArguments`, `...Inputs`) and its TSDoc, read with the
//   TypeScript compiler's type checker; the outputs from the `...Outputs` type, the API's types and
//   the resource class;
// - enums: string literal unions of those types (the API's enums, the catalog's);
// - the provider configuration: the settings of provider/config.ts;
// - the read functions (`getService`, ...): the signatures and TSDoc of provider/functions.ts
//   (parameters, `@param`, the returned API types), called as provider/plugin/functions.ts's
//   `PLUGIN_FUNCTIONS` table says, with the secret fields of the resource its row names.
//
// Usage: node scripts/gen-schema.js [--check]   (--check: exit 1 when the committed file differs)
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const root = path.resolve(__dirname, "..");
const OUTPUT = path.join(root, "provider", "plugin", "schema.json");
/** The package name: distinct from the bridged provider's `clickhouse`, so both can be installed side by side. */
const PACKAGE = "clickhouse-cloud";
const MODULE = "index";
/** The Go module of the generated Go SDK (scripts/gen-sdks.js writes its go.mod). */
const GO_MODULE = "github.com/pulumi-clickhouse-cloud/pulumi-clickhouse-cloud/sdk/go";

const src = (p) => path.join(root, "provider", p);

/** The six resources: their table, their plain inputs and outputs types, their class. */
const RESOURCES = [
    {
        name: "Service",
        table: ["resources/service/properties.ts", "SERVICE_PROPERTIES"],
        inputs: ["resources/service/args.ts", "ServiceArguments"],
        outputs: ["resources/service/args.ts", "ServiceOutputs"],
        cls: ["resources/service/index.ts", "Service"],
    },
    ...["ServiceScaling", "BackupConfiguration", "PrivateEndpoint", "ServiceQueryEndpoint"].map((name) => {
        const file = `resources/${name[0].toLowerCase()}${name.slice(1)}.ts`;
        return { name, table: [file, "PROPERTIES"], inputs: [file, `${name}Inputs`], outputs: [file, `${name}Outputs`], cls: [file, name] };
    }),
    {
        name: "ClickPipe",
        table: ["resources/clickPipe/properties.ts", "PIPE"],
        inputs: ["resources/clickPipe/args.ts", "ClickPipeInputs"],
        outputs: ["resources/clickPipe/args.ts", "ClickPipeOutputs"],
        cls: ["resources/clickPipe/index.ts", "ClickPipe"],
        // The tables of the parts of `source` (per kind) and `destination`, by property path.
        parts: {
            "source.kafka": ["resources/clickPipe/properties.ts", "KAFKA"],
            "source.objectStorage": ["resources/clickPipe/properties.ts", "OBJECT_STORAGE"],
            "source.kinesis": ["resources/clickPipe/properties.ts", "KINESIS"],
            "source.postgres": ["resources/clickPipe/properties.ts", "POSTGRES"],
            destination: ["resources/clickPipe/properties.ts", "DESTINATION"],
        },
    },
];

// ---------------------------------------------------------------------------------------------
// Reading the sources

function makeProgram() {
    const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const files = new Set([src("config.ts"), src("resources/importId.ts"), src("functions.ts"), src("plugin/functions.ts")]);
    for (const r of RESOURCES) for (const [f] of [r.table, r.inputs, r.outputs, r.cls]) files.add(src(f));
    return ts.createProgram({ rootNames: [...files], options: { ...parsed.options, noEmit: true } });
}

function sourceFile(program, file) {
    const sf = program.getSourceFile(src(file));
    if (!sf) throw new Error(`gen-schema: no source file provider/${file}`);
    return sf;
}

/** The top-level declaration named `name` in a file (variable, type alias, interface, class or function). */
function declaration(program, [file, name]) {
    for (const stmt of sourceFile(program, file).statements) {
        if (ts.isVariableStatement(stmt)) {
            for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d;
        } else if (
            (ts.isTypeAliasDeclaration(stmt) ||
                ts.isInterfaceDeclaration(stmt) ||
                ts.isClassDeclaration(stmt) ||
                ts.isFunctionDeclaration(stmt)) &&
            stmt.name?.text === name
        ) {
            return stmt;
        }
    }
    throw new Error(`gen-schema: no declaration ${name} in provider/${file}`);
}

function unwrapExpression(e) {
    while (e && (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e))) e = e.expression;
    return e;
}

function propertyName(n) {
    if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
    throw new Error(`gen-schema: unsupported property name ${n.getText()}`);
}

/** The value of a literal expression: strings, numbers, booleans, arrays and objects of those. */
function literal(e) {
    e = unwrapExpression(e);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isNumericLiteral(e)) return Number(e.text);
    if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (ts.isArrayLiteralExpression(e)) return e.elements.map(literal);
    if (ts.isObjectLiteralExpression(e)) {
        const out = {};
        for (const p of e.properties) {
            if (!ts.isPropertyAssignment(p)) throw new Error(`gen-schema: unsupported table entry ${p.getText()}`);
            out[propertyName(p.name)] = literal(p.initializer);
        }
        return out;
    }
    throw new Error(`gen-schema: not a literal: ${e.getText()}`);
}

/** A property table, row by row, as written. */
function table(program, ref) {
    return literal(declaration(program, ref).initializer);
}

/** TSDoc of a symbol: the comment, `@description` (the API's types), `@default`, `@deprecated`. */
function docOf(checker, symbol) {
    if (!symbol) return {};
    const tags = symbol.getJsDocTags(checker);
    const text = (parts) => cleanDoc(ts.displayPartsToString(parts ?? []));
    const tag = (name) => tags.filter((t) => t.name === name).map((t) => text(t.text));
    // openapi-typescript writes a schema's `format` as the comment (`Format: uuid`) and its description as `@description`.
    const lines = text(symbol.getDocumentationComment(checker)).split("\n");
    const formats = lines.filter((l) => /^Format: \S+$/.test(l));
    let description = lines
        .filter((l) => !formats.includes(l))
        .join("\n")
        .trim();
    if (description === "") description = tag("description").join("\n\n");
    for (const f of formats) description += `${description === "" ? "" : "\n"}${f}`;
    for (const d of tag("default")) if (d !== "") description += `${description === "" ? "" : "\n"}Default: ${d}`;
    const deprecated = tags.some((t) => t.name === "deprecated") ? tag("deprecated").join(" ") || "Deprecated." : undefined;
    return { description: description === "" ? undefined : description, deprecationMessage: deprecated };
}

/** `{@link X}` as code, no trailing blanks. */
function cleanDoc(s) {
    return s
        .replace(/\{@link\s+([^}|\s]+)(?:[\s|]+([^}]*))?\}/g, (_m, target, label) => `\`${(label || target).trim()}\``)
        .replace(/[ \t]+$/gm, "")
        .trim();
}

// ---------------------------------------------------------------------------------------------
// Types

const pascal = (s) => s.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c) => c.toUpperCase());
const token = (name) => `${PACKAGE}:${MODULE}:${name}`;

class TypeWriter {
    /** `reserved`: names a type must not take (the resources'); such a type is named `Api<name>`, as the package exports the API's `Service`. */
    constructor(checker, reserved = []) {
        this.checker = checker;
        this.reserved = new Set(reserved);
        /** Schema types by token. */
        this.types = {};
        /** Token of each TypeScript object type already written. */
        this.byType = new Map();
        /** Token of each enum, by its sorted values. */
        this.byValues = new Map();
    }

    unique(name, taken) {
        let n = this.reserved.has(name) ? `Api${name}` : name;
        for (let i = 2; this.types[token(n)] !== undefined && !taken(this.types[token(n)]); i++) n = `${name}${i}`;
        return n;
    }

    /** The name a named TypeScript type has: an interface, an alias, or a schema of the OpenAPI document. */
    nameOf(type) {
        const alias = type.aliasSymbol?.name;
        if (alias && !["Partial", "Omit", "Pick", "NonNullable", "Record", "Readonly"].includes(alias)) return alias;
        const sym = type.getSymbol();
        if (sym && sym.name !== "__type" && sym.name !== "__object") return sym.name;
        // An object literal type of openapi.gen.ts: named by the chain of properties it is declared under.
        // Any other object literal type is named by its context.
        const names = [];
        for (let n = sym?.declarations?.[0]?.parent; n; n = n.parent) {
            if (ts.isPropertySignature(n)) {
                const name = propertyName(n.name);
                if (name === "schemas") return names.length > 0 ? pascal(names.join("-")) : undefined;
                names.unshift(name);
            }
        }
        return undefined;
    }

    /**
     * The schema of a TypeScript type. `context` names what is not named itself (`ServiceRegion`);
     * `parts` maps dotted paths below this value to their property tables (secrets, replacement).
     */
    spec(type, context, parts = {}) {
        const c = this.checker;
        // Without `undefined` (an optional field), the type keeps its alias: `ServiceDesiredState`, not a new union.
        type = c.getNonNullableType(type);
        const members = type.isUnion() ? type.types : [type];
        const present = members.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
        if (present.length === 0) return { $ref: "pulumi.json#/Any" };
        if (present.every((t) => t.flags & ts.TypeFlags.BooleanLike)) return { type: "boolean" };
        if (present.every((t) => t.flags & ts.TypeFlags.StringLiteral)) return this.enumSpec(type, present, context, "string");
        if (present.every((t) => t.flags & ts.TypeFlags.NumberLiteral)) {
            return this.enumSpec(type, present, context, present.every((t) => Number.isInteger(t.value)) ? "integer" : "number");
        }
        if (present.every((t) => t.flags & ts.TypeFlags.StringLike)) return { type: "string" };
        if (present.every((t) => t.flags & ts.TypeFlags.NumberLike)) return { type: "number" };
        if (present.length !== 1) return { $ref: "pulumi.json#/Any" };
        const t = present[0];
        if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { $ref: "pulumi.json#/Any" };
        if (c.isArrayType(t)) return { type: "array", items: this.spec(c.getTypeArguments(t)[0], context, parts) };
        if (c.isTupleType(t) || !(t.flags & ts.TypeFlags.Object)) return { $ref: "pulumi.json#/Any" };
        const props = c.getPropertiesOfType(t);
        const index = c.getIndexInfoOfType(t, ts.IndexKind.String);
        if (props.length === 0) {
            return index ? { type: "object", additionalProperties: this.spec(index.type, context) } : { $ref: "pulumi.json#/Any" };
        }
        return { $ref: `#/types/${this.objectType(t, context, parts)}` };
    }

    enumSpec(type, literals, context, kind) {
        const values = literals.map((t) => t.value);
        const key = `${kind}:${[...values].sort().join("|")}`;
        const known = this.byValues.get(key);
        if (known) return { $ref: `#/types/${known}` };
        const name = this.unique(this.nameOf(type) ?? context, () => false);
        const tok = token(name);
        this.byValues.set(key, tok);
        this.types[tok] = { type: kind, enum: values.map((value) => ({ value })) };
        return { $ref: `#/types/${tok}` };
    }

    objectType(t, context, parts) {
        const partKey = JSON.stringify(parts);
        const seen = this.byType.get(t);
        if (seen && seen.partKey === partKey) return seen.token;
        const name = this.unique(this.nameOf(t) ?? context, () => false);
        const tok = token(name);
        this.byType.set(t, { token: tok, partKey });
        const spec = { type: "object", properties: {} };
        this.types[tok] = spec; // before the properties: a recursive type refers to itself
        this.fillObject(spec, t, name, parts);
        return tok;
    }

    /** The properties, required list and description of object type `t` into `spec`; `name` prefixes the names of unnamed parts. */
    fillObject(spec, t, name, parts) {
        const c = this.checker;
        const required = [];
        for (const p of c.getPropertiesOfType(t)) {
            const pt = c.getTypeOfSymbol(p);
            const row = parts[""]?.[p.name] ?? parts[""]?.["*"] ?? {};
            // The tables below this property, keyed relative to it (`""` for the table of the property itself).
            const below = Object.fromEntries(
                Object.entries(parts)
                    .filter(([k]) => k === p.name || k.startsWith(`${p.name}.`))
                    .map(([k, v]) => [k === p.name ? "" : k.slice(p.name.length + 1), v]),
            );
            // Dotted rows of this table (`schemaRegistry.credentials`) are the tables' rows one level down;
            // a part without its own `change` follows its field.
            let split = false;
            for (const [k, v] of Object.entries(parts[""] ?? {})) {
                if (!k.startsWith(`${p.name}.`)) continue;
                (below[""] ??= {})[k.slice(p.name.length + 1)] = v;
                if (v.change !== undefined && v.change !== row.change) split = true;
            }
            // A field whose parts change differently (Postgres `settings`) replaces through its other parts only.
            if (split) below[""]["*"] = { change: row.change };
            const prop = { ...this.spec(pt, `${name}${pascal(p.name)}`, below), ...docOf(c, p) };
            if (row.secret) prop.secret = true;
            if (row.change === "replace" && !split) prop.replaceOnChanges = true;
            spec.properties[p.name] = clean(prop);
            if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.name);
        }
        if (required.length > 0) spec.required = required;
        const doc = docOf(c, t.aliasSymbol ?? t.getSymbol()).description;
        if (doc) spec.description = doc;
        return spec;
    }
}

/** Drops undefined fields, so the JSON holds only what is said. */
function clean(o) {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

// ---------------------------------------------------------------------------------------------
// The schema

function resourceSpec(program, writer, r) {
    const checker = program.getTypeChecker();
    const rows = table(program, r.table);
    const typeOf = (ref) => checker.getTypeAtLocation(declaration(program, ref).name);
    const inputs = typeOf(r.inputs);
    const outputs = typeOf(r.outputs);
    const cls = typeOf(r.cls);
    const parts = Object.fromEntries(Object.entries(r.parts ?? {}).map(([k, ref]) => [k, table(program, ref)]));
    // The tables of one property's parts, keyed relative to that property (`""` for its own rows).
    const partsOf = (key) =>
        Object.fromEntries(
            Object.entries(parts)
                .filter(([k]) => k === key || k.startsWith(`${key}.`))
                .map(([k, v]) => [k === key ? "" : k.slice(key.length + 1), v]),
        );

    const inputProperties = {};
    const properties = {};
    const requiredInputs = [];
    const required = [];
    for (const [key, row] of Object.entries(rows)) {
        const context = `${r.name}${pascal(key)}`;
        const inSym = checker.getPropertyOfType(inputs, key);
        const outSym = checker.getPropertyOfType(outputs, key);
        // Set on both: SDK generators read it from the outputs, the engine gets it from the SDK.
        const flags = clean({
            secret: row.secret ? true : undefined,
            // A part-by-part rule (ClickPipe source, destination) says replacement on the parts.
            replaceOnChanges: row.change === "replace" && !row.ownDiff ? true : undefined,
        });
        if (row.change !== undefined) {
            if (!inSym) throw new Error(`gen-schema: ${r.name}.${key} has a row but no field in ${r.inputs[1]}`);
            const doc = docOf(checker, inSym);
            inputProperties[key] = clean({
                ...writer.spec(checker.getTypeOfSymbol(inSym), context, partsOf(key)),
                description: doc.description ?? row.doc,
                deprecationMessage: doc.deprecationMessage,
                ...flags,
            });
            if (!(inSym.flags & ts.SymbolFlags.Optional)) requiredInputs.push(key);
        }
        if (row.undeclared) continue;
        const typeSym = outSym ?? inSym;
        if (!typeSym) throw new Error(`gen-schema: ${r.name}.${key} has a row but no field in ${r.outputs[1]}`);
        let doc;
        if (row.change !== undefined) doc = docOf(checker, inSym);
        else {
            const fromClass = docOf(checker, checker.getPropertyOfType(cls, key));
            const fromType = docOf(checker, outSym);
            doc = { description: fromClass.description ?? fromType.description, deprecationMessage: fromType.deprecationMessage };
        }
        properties[key] = clean({
            ...writer.spec(checker.getTypeOfSymbol(typeSym), context, partsOf(key)),
            description: doc.description ?? row.doc,
            deprecationMessage: doc.deprecationMessage,
            ...flags,
        });
        if (row.unset === "required" || requiredInputs.includes(key)) required.push(key);
    }
    const classDoc = docOf(checker, cls.getSymbol()).description;
    // How `pulumi import` names the object (provider/resources/importId.ts).
    const importId = table(program, ["resources/importId.ts", "IMPORT_ID_FORMATS"])[r.name];
    if (!importId) throw new Error(`gen-schema: ${r.name} has no import id format in IMPORT_ID_FORMATS`);
    const importDoc = `## Import\n\nThe import id is ${importId}:\n\n\`\`\`sh\npulumi import ${token(r.name)} <name> <id>\n\`\`\``;
    return clean({
        description: classDoc ? `${classDoc}\n\n${importDoc}` : importDoc,
        properties,
        required: required.length > 0 ? required : undefined,
        inputProperties,
        requiredInputs: requiredInputs.length > 0 ? requiredInputs : undefined,
    });
}

/** The TSDoc text of a tag (`@param`, `@returns`), or undefined. */
function tagText(tag) {
    const text = cleanDoc(ts.getTextOfJSDocComment(tag?.comment) ?? "").replace(/^-\s*/, "");
    return text === "" ? undefined : text;
}

/**
 * The read functions: each row of `PLUGIN_FUNCTIONS` (provider/plugin/functions.ts), from the
 * signature and TSDoc of the function of that name in provider/functions.ts. The inputs are its
 * parameters before `opts` (`@param` says what each is), or the fields of its one arguments
 * object (`args`); the outputs are the fields of the object it returns, or one output named
 * `result` holding a list or a text. The secret fields are those the resource `secretsOf` marks.
 */
function functionSpecs(program, writer) {
    const checker = program.getTypeChecker();
    const rows = table(program, ["plugin/functions.ts", "PLUGIN_FUNCTIONS"]);
    const functions = {};
    for (const [name, row] of Object.entries(rows)) {
        const decl = declaration(program, ["functions.ts", name]);
        const where = `gen-schema: ${name} of provider/functions.ts`;
        if (!ts.isFunctionDeclaration(decl)) throw new Error(`${where} is not a function`);
        const params = decl.parameters.map((p) => p.name.getText());
        if (params[params.length - 1] !== "opts") throw new Error(`${where}: its last parameter is not opts`);
        const own = decl.parameters.slice(0, -1);
        const context = pascal(name);
        const inputs = { type: "object", properties: {} };
        if (row.args) {
            if (own.length !== 1) throw new Error(`${where}: an args row needs exactly one parameter before opts, not ${own.length}`);
            writer.fillObject(inputs, checker.getNonNullableType(checker.getTypeAtLocation(own[0])), context, {});
            delete inputs.description;
        } else {
            if (JSON.stringify(params.slice(0, -1)) !== JSON.stringify(row.params ?? []))
                throw new Error(
                    `${where}: its parameters are ${params.slice(0, -1).join(", ")}, the row says ${(row.params ?? []).join(", ")}`,
                );
            const required = [];
            for (const p of own) {
                const key = p.name.getText();
                const description = tagText(ts.getJSDocParameterTags(p)[0]);
                if (!description) throw new Error(`${where}: no @param ${key}`);
                inputs.properties[key] = { ...writer.spec(checker.getTypeAtLocation(p), `${context}${pascal(key)}`), description };
                if (!p.questionToken && !p.initializer) required.push(key);
            }
            if (required.length > 0) inputs.required = required;
        }
        const secrets = {};
        if (row.secretsOf) {
            const r = RESOURCES.find((x) => x.name === row.secretsOf);
            if (!r) throw new Error(`${where}: secretsOf names no resource: ${row.secretsOf}`);
            for (const [key, v] of Object.entries(table(program, r.table))) if (v.api && v.secret) secrets[key] = { secret: true };
        }
        const returned = checker.getAwaitedType(checker.getReturnTypeOfSignature(checker.getSignatureFromDeclaration(decl)));
        const returns = tagText(ts.getJSDocReturnTag(decl));
        const outputs = { type: "object", properties: {} };
        if (row.result) {
            outputs.properties[row.result] = clean({
                ...writer.spec(returned, `${context}Result`, { "": secrets }),
                description: returns ?? docOf(checker, checker.getSymbolAtLocation(decl.name)).description,
            });
            outputs.required = [row.result];
        } else {
            if (!(checker.getNonNullableType(returned).flags & ts.TypeFlags.Object) || checker.isArrayType(returned))
                throw new Error(`${where} returns no object: its row needs a result name`);
            writer.fillObject(outputs, checker.getNonNullableType(returned), `${context}Result`, { "": secrets });
            delete outputs.description;
            if (returns) outputs.description = returns;
        }
        const doc = docOf(checker, checker.getSymbolAtLocation(decl.name));
        functions[token(name)] = clean({ description: doc.description, deprecationMessage: doc.deprecationMessage, inputs, outputs });
    }
    return functions;
}

/** The provider's configuration: each setting of config.ts, under its name without the `clickhouse:` prefix. */
function configVariables(program) {
    const settings = literal(declaration(program, ["config.ts", "SETTINGS"]).initializer);
    const apiUrl = literal(declaration(program, ["config.ts", "API_URL_SETTING"]).initializer);
    const defaultUrl = literal(declaration(program, ["config.ts", "DEFAULT_API_URL"]).initializer);
    const variables = {};
    for (const s of settings) {
        variables[s.stackKey.split(":")[1]] = clean({
            type: "string",
            description:
                `The ${s.what} of the ClickHouse Cloud API key's organization. Falls back to the environment variable ${s.envVars.join(" or ")}.`
                    .replace(
                        "The organization id of the ClickHouse Cloud API key's organization",
                        "The ClickHouse Cloud organization id (a UUID)",
                    )
                    .replace(/^The (API key \w+) of the ClickHouse Cloud API key's organization/, "The $1 of a ClickHouse Cloud API key"),
            defaultInfo: { environment: s.envVars },
            secret: s.secret ? true : undefined,
        });
    }
    variables[apiUrl.stackKey.split(":")[1]] = {
        type: "string",
        description: `Base URL of the ClickHouse Cloud API, without \`/v1\`: https to any host, http only to a loopback host (a local emulator). Falls back to the environment variable ${apiUrl.envVar}.`,
        default: defaultUrl,
        defaultInfo: { environment: [apiUrl.envVar] },
    };
    return variables;
}

function buildSchema() {
    const program = makeProgram();
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const writer = new TypeWriter(
        program.getTypeChecker(),
        RESOURCES.map((r) => r.name),
    );
    const resources = {};
    for (const r of RESOURCES) resources[token(r.name)] = resourceSpec(program, writer, r);
    // After the resources, so their types keep the names they had before the functions.
    const functions = functionSpecs(program, writer);
    const variables = configVariables(program);
    const types = Object.fromEntries(Object.entries(writer.types).sort(([a], [b]) => a.localeCompare(b)));
    return {
        name: PACKAGE,
        displayName: "ClickHouse Cloud",
        version: pkg.version,
        description:
            "ClickHouse Cloud services, scaling, backups, private endpoints, ClickPipes and query endpoints (plugin face of pulumi-clickhouse-cloud).",
        keywords: ["pulumi", "clickhouse", "clickhouse-cloud", "category/database", "kind/native"],
        homepage: pkg.homepage,
        license: pkg.license,
        repository: pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, ""),
        meta: { moduleFormat: "(.*)" },
        config: { variables },
        provider: {
            description: "The provider for ClickHouse Cloud: one organization of the ClickHouse Cloud API.",
            inputProperties: variables,
        },
        resources,
        functions,
        types,
        language: {
            nodejs: {
                packageName: "@pulumi-clickhouse-cloud/sdk",
                packageDescription: "ClickHouse Cloud resources (generated SDK of the plugin face)",
            },
            python: { packageName: "pulumi_clickhouse_cloud" },
            // The Go SDK's root package is `clickhousecloud` (the codegen drops the package name's
            // hyphen from the folder but not from its default import path, so that default does not
            // build); `respectSchemaVersion` makes the SDK ask the engine for this schema's version
            // of the plugin, not one guessed from the Go module path (which would be 1.x).
            go: {
                importBasePath: `${GO_MODULE}/clickhousecloud`,
                respectSchemaVersion: true,
            },
        },
    };
}

function render(schema) {
    return `${JSON.stringify(schema, null, 4)}\n`;
}

if (require.main === module) {
    const text = render(buildSchema());
    if (process.argv.includes("--check")) {
        const committed = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, "utf8") : "";
        if (committed !== text) {
            console.error(
                `${path.relative(root, OUTPUT)} is not what scripts/gen-schema.js makes from the sources: run npm run gen:schema`,
            );
            process.exitCode = 1;
        }
    } else {
        fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
        fs.writeFileSync(OUTPUT, text);
        console.log(`${path.relative(root, OUTPUT)}: ${text.length} bytes`);
    }
}

module.exports = { buildSchema, render, OUTPUT, PACKAGE, GO_MODULE };
