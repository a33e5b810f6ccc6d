/**
 * `npm run test:reliability`: every reliability case at full strength, through the real Pulumi
 * CLI against the emulator, ending with one summary line of figures.
 */
import { pulumiCliOrSkip } from "../e2e/harness";
import { BAD_INPUTS } from "./badInputs";
import { badInputMatrix, CRASH_POINTS, crashAndResume, emulatorRestart, failureStates, secretCoverage, soak, transport } from "./cases";
import { EXPECTED_SDK_LEAKS, jsonEventScan } from "./jsonEvents";
import { figures, summaryLine } from "./lib";
import { ctrlC, engineKilled } from "./lifecycle";
import { interruptThenEdit, OwnershipCase, providerOnlyKill, released, twoBackends } from "./ownership";

const cli = pulumiCliOrSkip("reliability");
const describeCli = cli ? describe : describe.skip;
const secretHits: Record<string, number> = {};
let upstreamHits = -1;
let secretsChecked = 0;

describeCli("reliability (full)", () => {
    afterAll(() => {
        const total = Object.values(secretHits).reduce((a, b) => a + b, 0);
        const upstream = upstreamHits >= 0 ? `; the Pulumi Node SDK's own -v=9 RPC-response lines held ${upstreamHits}, see README` : "";
        figures.secrets = `${total} hits in ${Object.keys(secretHits).length} case scans (${secretsChecked} kinds of secret in the coverage run${upstream})`;
        console.log(
            summaryLine([
                "soak",
                "crash",
                "restart",
                "failure states",
                "secrets",
                "bad inputs",
                "transport",
                "json",
                "ownership",
                "engine killed",
                "ctrl-c",
            ]),
        );
    });

    it("1. fault soak: ten up / preview / destroy cycles of the root program", async () => {
        const f = await soak(cli!, {
            cycles: Number(process.env.RELIABILITY_SOAK_CYCLES ?? 10),
            faults: { errorRate: 0.1, resetRate: 0.05, latencyMs: [0, 1500] },
            otherClientPerWindow: 3,
        });
        secretHits.soak = f.secretHits.length;
        figures.soak = `${f.cyclesPassed}/${f.cycles} cycles, services ${f.servicesCreated}/${f.servicesExpected}, objects left after each destroy ${f.leftAfterDestroy.join("/")}, duplicate services ${f.duplicates} (${f.injectedFailures} injected 5xx/resets, ${f.throttled} 429s, other client ${f.otherClientRequests} requests, ${f.seconds} s)`;
        console.log(JSON.stringify(f, null, 1));
        expect(f.failures).toEqual([]);
        expect(f.cyclesPassed).toBe(f.cycles);
        expect(f.servicesCreated).toBe(f.servicesExpected);
        expect(f.duplicates).toBe(0);
        expect(f.leftAfterDestroy.every((n) => n === 0)).toBe(true);
        expect(f.secretHits).toEqual([]);
    });

    it("2. crash and resume at five moments of an up", async () => {
        const f = await crashAndResume(cli!, CRASH_POINTS);
        secretHits.crash = f.secretHits.length;
        figures.crash = `${f.passed}/${f.points.length} kill points recovered (cancel, refresh --clear-pending-creates, up), duplicates ${f.duplicates}, left after destroy ${f.points.map((p) => p.leftAfterDestroy).join("/")}`;
        console.log(JSON.stringify(f, null, 1));
        expect(f.points.filter((p) => !p.passed)).toEqual([]);
        expect(f.duplicates).toBe(0);
        expect(f.secretHits).toEqual([]);
    });

    it("3. emulator restart with --data-file in the middle of an up: waited out, or bounded by the create timeout", async () => {
        const short = await emulatorRestart(cli!, 15);
        console.log(JSON.stringify(short, null, 1));
        const long = await emulatorRestart(cli!, 80, { createTimeout: "40s" });
        console.log(JSON.stringify(long, null, 1));
        secretHits.restart = short.secretHits.length + long.secretHits.length;
        figures.restart =
            `${short.outageSeconds} s outage waited out (exit ${short.firstUpCode} after ${short.firstUpSeconds} s); ` +
            `${long.outageSeconds} s outage with a 40 s create timeout failed clearly after ${long.firstUpSeconds} s (exit ${long.firstUpCode}: ${long.firstUpMessage.replace(/^\* /, "").slice(0, 90)}...); ` +
            `second ups exit ${short.secondUpCode}/${long.secondUpCode}, duplicates ${short.duplicates + long.duplicates}, left ${short.leftAfterDestroy + long.leftAfterDestroy}`;
        for (const f of [short, long]) {
            expect(f.problems).toEqual([]);
            expect(f.duplicates).toBe(0);
            expect(f.services).toBe(1);
            expect(f.leftAfterDestroy).toBe(0);
            expect(f.secretHits).toEqual([]);
        }
        expect(short.firstUpCode).toBe(0);
        expect(long.firstUpCode).not.toBe(0);
        expect(long.firstUpMessage).toMatch(/timed out after 40s waiting for service "bounded" \([0-9a-f-]{36}\)/);
    });

    it("4. failure states: a failed service and a Failed ClickPipe", async () => {
        const f = await failureStates(cli!);
        secretHits.failures = f.secretHits.length;
        figures["failure states"] =
            `${[f.serviceError, f.pipeError].filter(Boolean).length}/2 named with id and state, ${[f.serviceInState, f.pipeInState].filter(Boolean).length}/2 kept in state, left after destroy ${f.leftAfterDestroy}`;
        console.log(JSON.stringify(f, null, 1));
        expect(f.problems).toEqual([]);
        expect(f.secretHits).toEqual([]);
    });

    it("5. secrets: every kind of secret, one run at -v=9", async () => {
        const f = await secretCoverage(cli!);
        secretHits.coverage = f.hits.length;
        upstreamHits = f.upstreamHits.length;
        secretsChecked = f.secretsChecked;
        console.log(JSON.stringify(f, null, 1));
        expect(f.problems).toEqual([]);
        expect(f.hits).toEqual([]);
    });

    it("6. bad input matrix through pulumi preview", async () => {
        const f = await badInputMatrix(cli!, BAD_INPUTS, 2);
        secretHits.badInputs = f.secretHits.length;
        figures["bad inputs"] = `${f.refused}/${f.cases} refused with ${f.requests} requests (${f.seconds} s)`;
        console.log(JSON.stringify(f.failures, null, 1));
        expect(f.cases).toBeGreaterThanOrEqual(60);
        expect(f.failures).toEqual([]);
        expect(f.requests).toBe(0);
        expect(f.secretHits).toEqual([]);
    });

    it("7. credentials and transport", async () => {
        const f = await transport(cli!);
        secretHits.transport = f.secretHits.length;
        const okCount = [f.wrongSecret, f.otherOrganization, f.plainHttp, f.tlsUntrusted, f.tlsTrusted].filter((x) => x.ok).length;
        figures.transport = `${okCount}/5 (wrong secret 401, other organization 403, http://192.0.2.1 refused with ${f.plainHttp.egress.length} connections, self-signed TLS refused with ${f.tlsUntrusted.requests} requests and accepted once trusted via NODE_EXTRA_CA_CERTS)`;
        console.log(JSON.stringify(f, null, 1));
        expect(f).toMatchObject({
            wrongSecret: { ok: true },
            otherOrganization: { ok: true },
            plainHttp: { ok: true },
            tlsUntrusted: { ok: true },
            tlsTrusted: { ok: true },
        });
        expect(f.problems).toEqual([]);
        expect(f.secretHits).toEqual([]);
    });

    it("8. --json event streams of up, preview and destroy: the generated password only in the Node SDK's debug events", async () => {
        const f = await jsonEventScan(cli!);
        secretHits.json = f.hits.length + f.secretHits.length;
        const leaking = f.runs.filter((r) => r.sdkEventsWithPassword > 0);
        figures.json = `${f.hits.length} secrets outside the SDK's RegisterResource debug events in ${f.runs.length} --json runs; the password in those events of ${leaking.map((r) => r.command).join(", ")} (see README)`;
        console.log(JSON.stringify(f, null, 1));
        expect(f.problems).toEqual([]);
        expect(f.hits).toEqual([]);
        expect(f.runs.flatMap((r) => r.stderrHits)).toEqual([]);
        expect(f.secretHits).toEqual([]);
        expect(f.runs.map((r) => [r.command, r.sdkEventsWithPassword > 0])).toEqual(EXPECTED_SDK_LEAKS);
        expect(f.upstreamLabels).toEqual(["output password"]);
    });
    it("9. ownership: two backends (in turn and at once), released services, interrupt then edit, provider killed alone", async () => {
        const cases: Array<[string, () => Promise<OwnershipCase>]> = [
            ["two backends in turn", () => twoBackends(cli!, false)],
            ["two backends at once", () => twoBackends(cli!, true)],
            ["retainOnDelete + destroy + up", () => released(cli!, "retainOnDelete")],
            ["state delete + up", () => released(cli!, "stateDelete")],
            ["interrupt, edit region, recover", () => interruptThenEdit(cli!)],
            ["provider killed alone", () => providerOnlyKill(cli!)],
        ];
        const results: Array<[string, OwnershipCase]> = [];
        for (const [label, run] of cases) results.push([label, await run()]);
        figures.ownership = `${results.filter(([, r]) => r.passed).length}/${results.length} (${results.map(([l, r]) => `${l}: ${r.passed ? "ok" : "FAILED"}`).join("; ")})`;
        console.log(JSON.stringify(results, null, 1));
        for (const [label, r] of results) expect([label, r.problems]).toEqual([label, []]);
    });

    it("10. SIGKILL of pulumi alone during a create's wait: the provider process exits by itself", async () => {
        const f = await engineKilled(cli!);
        secretHits.engineKilled = f.secretHits.length;
        figures["engine killed"] =
            `provider exited ${f.exitSeconds === null ? `never (watched ${f.watchSeconds} s)` : `${f.exitSeconds} s`} after pulumi was killed, ${f.cpuSecondsAfterKill} s CPU after the kill, RSS ${f.rssMbAtKill} -> max ${f.rssMbMax} MB`;
        console.log(JSON.stringify(f, null, 1));
        expect(f.problems).toEqual([]);
        expect(f.exitSeconds).not.toBeNull();
        expect(f.exitSeconds!).toBeLessThanOrEqual(5);
        expect(f.cpuSecondsAfterKill).toBeLessThanOrEqual(1);
        expect(f.secretHits).toEqual([]);
    });

    it("11. one Ctrl-C during a create's wait on a long provisioning", async () => {
        const f = await ctrlC(cli!, { provisioningSeconds: 300 });
        secretHits.ctrlC = f.secretHits.length;
        figures["ctrl-c"] =
            `up ended ${f.secondsToEnd} s after SIGINT (exit ${f.firstUpCode}), service ${f.recordedInState ? "recorded" : "NOT recorded"} in the state, next up exit ${f.secondUpCode} with ${f.services} service (${f.servicesCreated} created), left after destroy ${f.leftAfterDestroy}`;
        console.log(JSON.stringify(f, null, 1));
        expect(f.problems).toEqual([]);
        expect(f.secondsToEnd).toBeLessThanOrEqual(10);
        expect([f.recordedInState, f.secondUpCode, f.servicesCreated, f.services, f.leftAfterDestroy]).toEqual([true, 0, 1, 1, 0]);
        expect(f.secretHits).toEqual([]);
    });
});
