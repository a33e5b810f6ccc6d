/**
 * The `--json` event streams of `up`, `preview` and `destroy` for one Service with a generated
 * password, scanned event by event (issue 10, case 7).
 *
 * What was established with the Pulumi CLI 3.274.1 and @pulumi/pulumi 3.248.0 (3.276.0, the
 * newest release, has the same code): the engine forwards every debug diagnostic a program logs
 * to the streamed JSON (`ShowJSONEvents` does not filter by severity; only the non-streaming
 * `preview --json` digest and Pulumi Cloud's stored event log drop debug events), and the Node
 * SDK logs every RegisterResource response at debug level, outputs included. So the generated
 * password is in plain text in the `RegisterResource RPC finished: ...; resp: ...` events of
 * every `up --json` (the create and each later run) and of a streaming `preview --json`, with
 * no `--debug`; no flag or setting removes them. The digest of `preview --json` and `destroy
 * --json` (which does not run the program) carry nothing.
 *
 * This case counts those SDK events apart and fails if the password, or any other secret, is
 * anywhere else in a JSON stream: in another event, another field of the same event, or a
 * non-JSON line. It also fails when the SDK stops leaking (then README.md's "Logs" paragraph is
 * out of date and should say so).
 */
import { findSecrets } from "../e2e/harness";
import { passwordHashes, RelProject, Secrets } from "./lib";

/** A Node SDK debug line with a whole resource response; secrets may only follow `resp: `. */
export const SDK_RESPONSE_MESSAGE = /^(RegisterResource|ReadResource) RPC finished: resource:[^;\n]*; err: [^,\n]*, resp: /;

const PROGRAM = `
import * as clickhouse from "pulumi-clickhouse-cloud";
const svc = new clickhouse.Service("svc", {
    name: "json-events",
    provider: "aws",
    region: "eu-central-1",
    tier: "production",
    ipAccessList: [{ source: "10.0.0.0/8", description: "json scan" }],
});
export const id = svc.id;
export const password = svc.password;
`;

/** Where a secret was found in a JSON stream outside the SDK's own response events. */
export interface JsonHit {
    label: string;
    where: string;
}

export interface JsonScan {
    /** Events (streams) or documents (the preview digest) parsed. */
    events: number;
    debugEvents: number;
    /** SDK response events holding a secret, by label. */
    sdkEvents: Record<string, number>;
    hits: JsonHit[];
}

function secretForms(secret: string): string[] {
    return [secret, Buffer.from(secret).toString("base64"), encodeURIComponent(secret)];
}

/** Every string (keys included) in a parsed JSON value, so escaping in the raw text does not hide a secret. */
function strings(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
    else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            out.push(k);
            strings(v, out);
        }
    }
    return out;
}

function labelsIn(texts: string[], secrets: Secrets): string[] {
    return findSecrets(texts.join("\n"), secrets);
}

/** True if every occurrence of every form of `secret` in `message` lies after the SDK's `resp: `. */
function onlyInResponse(message: string, secret: string): boolean {
    const m = SDK_RESPONSE_MESSAGE.exec(message);
    if (!m) return false;
    return secretForms(secret).every((form) => {
        const first = message.indexOf(form);
        return first < 0 || first >= m[0].length;
    });
}

/**
 * Scans `pulumi ... --json` output. `stream`: one engine event per line (up, destroy, streaming
 * preview); otherwise one JSON document (the preview digest).
 */
export function scanJson(stdout: string, secrets: Secrets, stream: boolean): JsonScan {
    const scan: JsonScan = { events: 0, debugEvents: 0, sdkEvents: {}, hits: [] };
    const hit = (labels: string[], where: string) => labels.forEach((label) => scan.hits.push({ label, where }));
    if (!stream) {
        let doc: unknown;
        try {
            doc = JSON.parse(stdout);
        } catch {
            hit(findSecrets(stdout, secrets), "output that is not one JSON document");
            return scan;
        }
        scan.events = 1;
        const diagnostics: Array<{ severity?: string }> = (doc as { diagnostics?: Array<{ severity?: string }> }).diagnostics ?? [];
        scan.debugEvents = diagnostics.filter((d) => d.severity === "debug").length;
        hit(labelsIn(strings(doc), secrets), "the preview digest");
        return scan;
    }
    stdout.split("\n").forEach((line, i) => {
        if (!line.trim()) return;
        let event: Record<string, any>;
        try {
            event = JSON.parse(line);
        } catch {
            hit(findSecrets(line, secrets), `line ${i + 1}, not JSON`);
            return;
        }
        scan.events++;
        const diag = event.diagnosticEvent;
        const kind = Object.keys(event).find((k) => k.endsWith("Event")) ?? "unknown event";
        if (diag?.severity === "debug") scan.debugEvents++;
        if (diag?.severity === "debug" && typeof diag.message === "string" && SDK_RESPONSE_MESSAGE.test(diag.message)) {
            // The SDK's own line: secrets are counted apart, but only inside its response text.
            for (const label of findSecrets(diag.message, secrets)) {
                if (onlyInResponse(diag.message, secrets[label])) scan.sdkEvents[label] = (scan.sdkEvents[label] ?? 0) + 1;
                else hit([label], `line ${i + 1}, SDK debug event, before its "resp: "`);
            }
            const rest = { ...event, diagnosticEvent: { ...diag, message: "" } };
            hit(labelsIn(strings(rest), secrets), `line ${i + 1}, ${kind} outside its message`);
            return;
        }
        hit(
            labelsIn(strings(event), secrets),
            `line ${i + 1}, ${kind}${diag ? ` (${diag.severity}${diag.ephemeral ? ", ephemeral" : ""})` : ""}`,
        );
    });
    return scan;
}

/**
 * Which runs carry the generated password in the SDK's response events (Pulumi CLI 3.274.1,
 * @pulumi/pulumi 3.248.0). A change here means the README's "Logs" paragraph needs one too.
 */
export const EXPECTED_SDK_LEAKS: Array<[string, boolean]> = [
    ["up --json (create)", true],
    ["up --json (no changes)", true],
    ["preview --json", false],
    ["preview --json (streaming)", true],
    ["destroy --json", false],
];

export interface JsonRun {
    command: string;
    code: number;
    events: number;
    debugEvents: number;
    /** SDK response events holding the generated password. */
    sdkEventsWithPassword: number;
    /** Secrets on stderr (there should be none: JSON goes to stdout). */
    stderrHits: string[];
}

export interface JsonFigures {
    runs: JsonRun[];
    /** Secret labels seen in SDK response events, across all runs. */
    upstreamLabels: string[];
    /** Secrets in a JSON stream outside the SDK's response events. */
    hits: JsonHit[];
    /** The usual scan of state, transcripts and emulator (SDK lines counted apart). */
    secretHits: string[];
    problems: string[];
}

/** The classifier must catch what the provider could leak; checked on made-up events before the real ones. */
function selfCheck(problems: string[]): void {
    const secrets = { pw: "Ab3dEfG~hIjKlMn5" };
    const sdk = (msg: string) => JSON.stringify({ diagnosticEvent: { prefix: "debug: ", message: msg, severity: "debug" } });
    const cases: Array<[string, string, boolean]> = [
        ["SDK response", sdk(`RegisterResource RPC finished: resource:svc[t]; err: null, resp: urn,x,password,,,${secrets.pw}`), false],
        [
            "provider debug",
            JSON.stringify({ diagnosticEvent: { message: `rotated to ${secrets.pw}`, severity: "debug", ephemeral: true } }),
            true,
        ],
        ["provider warning", JSON.stringify({ diagnosticEvent: { message: `password ${secrets.pw}`, severity: "warning" } }), true],
        ["SDK line with the secret before resp", sdk(`RegisterResource RPC finished: resource:${secrets.pw}[t]; err: null, resp: x`), true],
        ["outputs event", JSON.stringify({ resOutputsEvent: { metadata: { new: { outputs: { password: secrets.pw } } } } }), true],
        [
            "base64 in the prefix of an SDK event",
            JSON.stringify({
                diagnosticEvent: {
                    prefix: Buffer.from(secrets.pw).toString("base64"),
                    message: "RegisterResource RPC finished: resource:a[t]; err: null, resp: x",
                    severity: "debug",
                },
            }),
            true,
        ],
        ["plain text line", `oops ${secrets.pw}`, true],
    ];
    for (const [name, line, leak] of cases) {
        const found = scanJson(line, secrets, true).hits.length > 0;
        if (found !== leak) problems.push(`classifier self-check "${name}": ${leak ? "missed a leak" : "flagged the SDK line"}`);
    }
}

export async function jsonEventScan(cli: string): Promise<JsonFigures> {
    const fig: JsonFigures = { runs: [], upstreamLabels: [], hits: [], secretHits: [], problems: [] };
    selfCheck(fig.problems);
    const p = new RelProject(cli, "json");
    const outputs: Array<{ command: string; stdout: string; stderr: string; code: number; stream: boolean }> = [];
    const run = async (command: string, args: string[], stream: boolean, env: NodeJS.ProcessEnv = {}) => {
        const r = await p.run([...args, "--json", "--stack", p.stack], env);
        outputs.push({ command, stdout: r.stdout, stderr: r.stderr, code: r.code, stream });
        if (r.code !== 0) fig.problems.push(`${command} exited ${r.code}: ${r.stderr.slice(-2000)}`);
    };
    try {
        await p.startEmulator({ rateLimit: false, durations: { provisioning: 1, stopping: 0.5, starting: 0.5, terminating: 0.5 } });
        p.writeProgram(PROGRAM);
        await p.pulumi(["stack", "init", p.stack, "--non-interactive"]);
        await run("up --json (create)", ["up", "--yes", "--skip-preview"], true);
        await p.learnGeneratedPasswords();
        const password = p.secrets["output password"];
        if (!password) fig.problems.push("no generated password in the stack outputs");
        else Object.assign(p.secrets, passwordHashes("output password", password));
        await run("up --json (no changes)", ["up", "--yes", "--skip-preview"], true);
        await run("preview --json", ["preview"], false);
        await run("preview --json (streaming)", ["preview"], true, { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" });
        await run("destroy --json", ["destroy", "--yes", "--skip-preview"], true);
        const upstream = new Set<string>();
        for (const o of outputs) {
            const scan = scanJson(o.stdout, p.secrets, o.stream);
            Object.keys(scan.sdkEvents).forEach((l) => upstream.add(l));
            scan.hits.forEach((h) => fig.hits.push({ label: h.label, where: `${o.command}: ${h.where}` }));
            fig.runs.push({
                command: o.command,
                code: o.code,
                events: scan.events,
                debugEvents: scan.debugEvents,
                sdkEventsWithPassword: scan.sdkEvents["output password"] ?? 0,
                stderrHits: findSecrets(o.stderr, p.secrets),
            });
        }
        fig.upstreamLabels = [...upstream].sort();
        fig.secretHits = await p.secretHits();
    } finally {
        await p.dispose();
    }
    return fig;
}
