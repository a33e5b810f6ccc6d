/**
 * `npm run test:reliability`: every reliability case at full strength, through the real Pulumi
 * CLI against the emulator, ending with one summary line of figures.
 */
import { pulumiCliOrSkip } from "../e2e/harness";
import { BAD_INPUTS } from "./badInputs";
import { badInputMatrix, CRASH_POINTS, crashAndResume, emulatorRestart, failureStates, secretCoverage, soak, transport } from "./cases";
import { figures, summaryLine } from "./lib";

const cli = pulumiCliOrSkip("reliability");
const describeCli = cli ? describe : describe.skip;
const secretHits: Record<string, number> = {};

describeCli("reliability (full)", () => {
    afterAll(() => {
        const total = Object.values(secretHits).reduce((a, b) => a + b, 0);
        figures.secrets = `${total} hits in ${Object.keys(secretHits).length} case scans`;
        console.log(summaryLine(["soak", "crash", "restart", "failures", "secrets", "bad inputs", "transport"]));
    });

    it("1. fault soak: ten up / preview / destroy cycles of the root program", async () => {
        const f = await soak(cli!, { cycles: Number(process.env.RELIABILITY_SOAK_CYCLES ?? 10), faults: { errorRate: 0.1, resetRate: 0.05, latencyMs: [0, 1500] }, otherClientPerWindow: 3 });
        secretHits.soak = f.secretHits.length;
        figures.soak = `${f.cyclesPassed}/${f.cycles} cycles, services ${f.servicesCreated}/${f.servicesExpected}, left after destroy ${f.leftAfterDestroy.join("/")}, duplicates ${f.duplicates} (${f.injectedFailures} injected failures, ${f.throttled} 429s, other client ${f.otherClientRequests} requests, ${f.seconds} s)`;
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
        figures.crash = `${f.passed}/${f.points.length} kill points recovered, duplicates ${f.duplicates}, left after destroy ${f.points.map((p) => p.leftAfterDestroy).join("/")}`;
        console.log(JSON.stringify(f, null, 1));
        expect(f.points.filter((p) => !p.passed)).toEqual([]);
        expect(f.duplicates).toBe(0);
        expect(f.secretHits).toEqual([]);
    });

    it("3. emulator restart with --data-file in the middle of an up", async () => {
        const f = await emulatorRestart(cli!, 15);
        secretHits.restart = f.secretHits.length;
        figures.restart = `${f.outageSeconds} s outage: first up exit ${f.firstUpCode} after ${f.firstUpSeconds} s, second up exit ${f.secondUpCode}, services ${f.services}, duplicates ${f.duplicates}, left ${f.leftAfterDestroy}`;
        console.log(JSON.stringify(f, null, 1));
        expect(f.problems).toEqual([]);
        expect(f.duplicates).toBe(0);
        expect(f.leftAfterDestroy).toBe(0);
        expect(f.secretHits).toEqual([]);
    });

    it("4. failure states: a failed service and a Failed ClickPipe", async () => {
        const f = await failureStates(cli!);
        secretHits.failures = f.secretHits.length;
        figures.failures = `service failed + ClickPipe Failed named with id and state, both in state: ${f.serviceInState && f.pipeInState}, left after destroy ${f.leftAfterDestroy}`;
        console.log(JSON.stringify(f, null, 1));
        expect(f.problems).toEqual([]);
        expect(f.secretHits).toEqual([]);
    });

    it("5. secrets: every kind of secret, one run at -v=9", async () => {
        const f = await secretCoverage(cli!);
        secretHits.coverage = f.hits.length;
        figures["secret kinds"] = `${f.secretsChecked} secrets (${f.verboseBytes} bytes of -v=9 log) with ${f.hits.length} hits (upstream Pulumi SDK debug lines: ${f.upstreamHits.length})`;
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
        figures.transport = `${okCount}/5 (401 clear, other organization clear, http to 192.0.2.1 refused with ${f.plainHttp.egress.length} connections, self-signed TLS refused with ${f.tlsUntrusted.requests} requests, trusted via NODE_EXTRA_CA_CERTS)`;
        console.log(JSON.stringify(f, null, 1));
        expect(f).toMatchObject({ wrongSecret: { ok: true }, otherOrganization: { ok: true }, plainHttp: { ok: true }, tlsUntrusted: { ok: true }, tlsTrusted: { ok: true } });
        expect(f.problems).toEqual([]);
        expect(f.secretHits).toEqual([]);
    });
});
