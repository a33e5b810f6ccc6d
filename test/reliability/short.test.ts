/**
 * The short form of the reliability suite, inside `npm test`: one soak cycle with lighter
 * faults, one crash point (right after the service POST was accepted), a subset of the bad
 * input matrix (through the classes, and from YAML through the plugin face), the credential and
 * transport cases, and the secret scan after each. The full
 * suite is `npm run test:reliability` (test/reliability/full.reliability.ts).
 */
import { pulumiCliOrSkip } from "../e2e/harness";
import { yamlHostOrSkip } from "../e2e/pluginSetup";
import { BAD_INPUTS } from "./badInputs";
import { badInputMatrix, CRASH_POINTS, crashAndResume, soak, transport } from "./cases";
import { EXPECTED_SDK_LEAKS, jsonEventScan } from "./jsonEvents";
import { ctrlC, engineKilled } from "./lifecycle";
import { interruptedOnPlugin, providerOnlyKill, released, twoBackends } from "./ownership";

const cli = pulumiCliOrSkip("reliability (short)");
const yamlHost = cli ? yamlHostOrSkip("reliability (short), plugin face") : undefined;
const describeCli = cli ? describe : describe.skip;
const MINUTES = 60_000;

describeCli("reliability (short form)", () => {
    it(
        "one up / preview / destroy cycle of the root program under faults and a shared rate limit",
        async () => {
            const f = await soak(cli!, {
                cycles: 1,
                faults: { errorRate: 0.05, resetRate: 0.02, latencyMs: [0, 300] },
                otherClientPerWindow: 2,
            });
            expect(f.failures).toEqual([]);
            expect([f.cyclesPassed, f.servicesCreated, f.duplicates, f.leftAfterDestroy]).toEqual([1, 1, 0, [0]]);
            expect(f.secretHits).toEqual([]);
        },
        5 * MINUTES,
    );

    it(
        "a run killed right after the service POST recovers with one service, and destroy leaves nothing",
        async () => {
            const f = await crashAndResume(cli!, CRASH_POINTS.slice(0, 1));
            expect(f.points.filter((p) => !p.passed)).toEqual([]);
            expect(f.points[0]).toMatchObject({ pendingCreates: 1, services: 1, pipes: 1, leftAfterDestroy: 0 });
            expect(f.secretHits).toEqual([]);
        },
        5 * MINUTES,
    );

    it(
        "bad inputs are refused by preview, naming resource, property and what is accepted, with no request",
        async () => {
            const subset = BAD_INPUTS.filter((c) => c.short);
            expect(subset.length).toBeGreaterThanOrEqual(12);
            const f = await badInputMatrix(cli!, subset, 2);
            expect(f.failures).toEqual([]);
            expect([f.refused, f.requests]).toEqual([subset.length, 0]);
            expect(f.secretHits).toEqual([]);
        },
        5 * MINUTES,
    );

    (yamlHost ? it : it.skip)(
        "the plugin face, from YAML: the same bad inputs refused by preview, naming resource, property and what is accepted, with no request",
        async () => {
            const subset = BAD_INPUTS.filter((c) => c.short);
            const f = await badInputMatrix(cli!, subset, 1, yamlHost);
            expect(f.failures).toEqual([]);
            expect([f.refused, f.requests]).toEqual([subset.length, 0]);
            expect(f.secretHits).toEqual([]);
        },
        5 * MINUTES,
    );

    it(
        "wrong secret, another organization, plain http to a remote host, untrusted TLS: refused clearly",
        async () => {
            const f = await transport(cli!);
            expect(f).toMatchObject({
                wrongSecret: { ok: true },
                otherOrganization: { ok: true },
                plainHttp: { ok: true },
                tlsUntrusted: { ok: true },
                tlsTrusted: { ok: true },
            });
            expect(f.problems).toEqual([]);
            expect(f.secretHits).toEqual([]);
        },
        5 * MINUTES,
    );

    it(
        "up, preview and destroy --json: the generated password only inside the Node SDK's own RegisterResource debug events",
        async () => {
            const f = await jsonEventScan(cli!);
            expect(f.problems).toEqual([]);
            expect(f.hits).toEqual([]);
            expect(f.runs.flatMap((r) => r.stderrHits)).toEqual([]);
            expect(f.secretHits).toEqual([]);
            // Upstream behaviour, documented in README.md ("Logs"): update both if this changes.
            expect(f.runs.map((r) => [r.command, r.sdkEventsWithPassword > 0])).toEqual(EXPECTED_SDK_LEAKS);
            expect(f.upstreamLabels).toEqual(["output password"]);
        },
        5 * MINUTES,
    );
    it(
        "two backends with the same project, stack and resource names, one after the other and at the same moment: neither touches the other's service",
        async () => {
            for (const together of [false, true]) {
                const f = await twoBackends(cli!, together);
                expect(f.problems).toEqual([]);
            }
        },
        6 * MINUTES,
    );

    (yamlHost ? it : it.skip)(
        "the plugin face, from YAML: two backends with the same names, one after the other and at the same moment, neither touches the other's service",
        async () => {
            for (const together of [false, true]) {
                const f = await twoBackends(cli!, together, yamlHost);
                expect(f.problems).toEqual([]);
            }
        },
        6 * MINUTES,
    );

    (yamlHost ? it : it.skip)(
        "the plugin face, from YAML: a run killed after the service POST; orphans --stack lists the service, the next up resumes it, destroy leaves nothing",
        async () => {
            const f = await interruptedOnPlugin(cli!, yamlHost!);
            expect(f.problems).toEqual([]);
        },
        5 * MINUTES,
    );

    it(
        "a service released with pulumi state delete is never taken back: the next up creates a new one",
        async () => {
            const f = await released(cli!, "stateDelete");
            expect(f.problems).toEqual([]);
        },
        4 * MINUTES,
    );

    it(
        "only the provider process killed after the service POST: destroy leaves nothing running, and up resumes with one service",
        async () => {
            const f = await providerOnlyKill(cli!);
            expect(f.problems).toEqual([]);
        },
        5 * MINUTES,
    );

    it(
        "SIGKILL of pulumi alone during a create's wait: the provider process exits within 5 s, using at most 1 s of CPU",
        async () => {
            const f = await engineKilled(cli!);
            console.log(JSON.stringify(f));
            expect(f.problems).toEqual([]);
            expect(f.exitSeconds).not.toBeNull();
            expect(f.exitSeconds!).toBeLessThanOrEqual(5);
            expect(f.cpuSecondsAfterKill).toBeLessThanOrEqual(1);
            expect(f.secretHits).toEqual([]);
        },
        3 * MINUTES,
    );

    it(
        "one Ctrl-C during a create's wait ends the run within 10 s, the service recorded; the next up converges on it",
        async () => {
            const f = await ctrlC(cli!);
            console.log(JSON.stringify(f));
            expect(f.problems).toEqual([]);
            expect(f.secondsToEnd).toBeLessThanOrEqual(10);
            expect([f.recordedInState, f.secondUpCode, f.servicesCreated, f.services, f.leftAfterDestroy]).toEqual([true, 0, 1, 1, 0]);
            expect(f.secretHits).toEqual([]);
        },
        3 * MINUTES,
    );
});
