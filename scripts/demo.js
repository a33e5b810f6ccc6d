#!/usr/bin/env node
// npm run demo [-- --keep] [-- --stack prod]
//
// Deploys the root program's stack (dev by default) to the local ClickHouse Cloud emulator with
// the real Pulumi CLI: up, outputs (secrets masked), preview --expect-no-changes, destroy. When
// clickhouse-server is installed (bash scripts/clickhouse-install.sh), the service is a real
// server: the demo lets this machine into its IP access list and runs one query on it with the
// stack's password; with --keep it prints the command that connects to it.
const fs = require("fs");
const path = require("path");
const { ensurePulumiDir, kafkaPasswordConfigArgs, pulumiEnv, runPulumi } = require("./pulumi-cli");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const stackIndex = args.indexOf("--stack");
const stack = stackIndex >= 0 ? args[stackIndex + 1] : "dev";
const stateDir = path.join(root, ".pulumi-state");

function step(text) {
    console.log(`\n=== ${text}`);
}

async function pulumi(cli, env, argv, { allowFail = false, quiet = false } = {}) {
    // The value after `config set --secret <key>` is a secret: never echo it.
    const shown = argv.map((a, i) => (i >= 3 && argv[i - 2] === "--secret" && argv[i - 3] === "set" ? "[secret]" : a));
    if (!quiet) console.log(`$ pulumi ${shown.join(" ")}`);
    const result = await runPulumi(cli, argv, { cwd: root, env, echo: !quiet });
    if (result.code !== 0 && !allowFail) throw new Error(`pulumi ${argv[0]} failed (exit ${result.code})`);
    return result;
}

async function main() {
    if (!fs.existsSync(path.join(root, "dist", "emulator", "index.js"))) {
        throw new Error("dist/ is missing: run `npm ci` (or `npm run build`) first");
    }
    const cli = ensurePulumiDir();
    const { startEmulator } = require(path.join(root, "dist", "emulator"));
    const { findClickHouseServer } = require(path.join(root, "dist", "emulator", "realServers"));

    step("Starting the local ClickHouse Cloud emulator");
    fs.mkdirSync(stateDir, { recursive: true });
    const serversDir = path.join(stateDir, "servers");
    const real = !args.includes("--no-real-servers") && findClickHouseServer() !== undefined;
    const emulator = await startEmulator({
        port: 0,
        dataFile: keep ? path.join(stateDir, "emulator.json") : undefined,
        quiet: true,
        realServers: real ? (keep ? { dir: serversDir } : true) : false,
    });
    console.log(`emulator listening on ${emulator.url} (organization ${emulator.organizationId}, real rate limit: 10 requests / 10 s)`);
    console.log(
        real
            ? `services are real ClickHouse servers (${emulator.realServers.binary}) on 127.0.0.1`
            : "services are records only (no clickhouse-server found: bash scripts/clickhouse-install.sh makes them real)",
    );

    const env = pulumiEnv(cli, stateDir, {
        CLICKHOUSE_API_URL: emulator.url,
        CLICKHOUSE_ORG_ID: emulator.organizationId,
        CLICKHOUSE_TOKEN_KEY: emulator.keyId,
        CLICKHOUSE_TOKEN_SECRET: emulator.keySecret,
    });
    // `stack init` writes an encryption salt into Pulumi.<stack>.yaml: put the committed file back afterwards.
    const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
    const original = fs.readFileSync(stackFile, "utf8");
    let failed = false;
    let connection;
    try {
        step(`Selecting stack "${stack}" (local file backend in .pulumi-state/)`);
        // A stack left by an interrupted earlier demo points at an emulator that is gone: start afresh.
        if (!keep)
            await pulumi(cli, env, ["stack", "rm", "--yes", "--force", "--preserve-config", "--stack", stack], {
                allowFail: true,
                quiet: true,
            });
        await pulumi(cli, env, ["stack", "select", "--create", stack, "--non-interactive"]);
        await pulumi(cli, env, kafkaPasswordConfigArgs(stack));
        if (real) {
            // The stack's own networks and this machine, as you would add your office's address.
            const cidrs = JSON.parse((await pulumi(cli, env, ["config", "get", "allowedCidrs", "--stack", stack], { quiet: true })).stdout);
            if (!cidrs.includes("127.0.0.1/32"))
                await pulumi(cli, env, ["config", "set", "allowedCidrs", JSON.stringify([...cidrs, "127.0.0.1/32"]), "--stack", stack]);
        }

        step("pulumi up");
        await pulumi(cli, env, ["up", "--yes", "--skip-preview", "--stack", stack]);

        step("Outputs (secrets stay masked)");
        await pulumi(cli, env, ["stack", "output", "--stack", stack]);
        const log = await emulator.control.log();
        console.log(`\nThe emulator answered ${log.length} API requests for this deployment.`);
        if (real) connection = await firstQuery(cli, env, emulator);

        step("pulumi preview --expect-no-changes (a GitOps pipeline's pull-request check)");
        await pulumi(cli, env, ["preview", "--expect-no-changes", "--stack", stack]);

        if (!keep) {
            step("pulumi destroy");
            await pulumi(cli, env, ["destroy", "--yes", "--skip-preview", "--stack", stack]);
            await pulumi(cli, env, ["stack", "rm", "--yes", "--preserve-config", "--stack", stack]);
            const left = await emulator.control.objects();
            console.log(`\nObjects left in the emulator: ${left.services.length} services, ${left.clickpipes.length} ClickPipes.`);
        }
    } catch (err) {
        failed = true;
        console.error(`\ndemo failed: ${err.message}`);
        if (!keep) {
            step("Cleaning up what the failed run created");
            await pulumi(cli, env, ["destroy", "--yes", "--skip-preview", "--stack", stack], { allowFail: true });
            await pulumi(cli, env, ["stack", "rm", "--yes", "--force", "--preserve-config", "--stack", stack], { allowFail: true });
        }
    } finally {
        if (!keep) fs.writeFileSync(stackFile, original);
        await emulator.stop();
    }
    if (keep && !failed) {
        console.log(`\nKept the stack "${stack}" in .pulumi-state/ and the emulator's data in .pulumi-state/emulator.json.`);
        const realFlag = real ? " --real-servers-dir .pulumi-state/servers" : "";
        console.log(`Restart the emulator with: npm run emulator -- --data-file .pulumi-state/emulator.json${realFlag} --port <port>`);
        if (connection) {
            console.log("Then connect to the service (the password is read from the stack, never printed):");
            const passphrase =
                env.PULUMI_CONFIG_PASSPHRASE === "local-emulator-passphrase" ? "local-emulator-passphrase" : "<your passphrase>";
            console.log(
                `  clickhouse-client --config-file .pulumi-state/servers/client.xml --secure --host 127.0.0.1 --port ${connection.nativePort} ` +
                    `--password "$(PULUMI_BACKEND_URL=file://$PWD/.pulumi-state PULUMI_CONFIG_PASSPHRASE=${passphrase} ` +
                    `${path.join(cli, "pulumi")} stack output password --show-secrets --stack ${stack})"`,
            );
        }
    }
    console.log(`
To deploy the same program to your real ClickHouse Cloud organization:
  pulumi login                                   # or: export PULUMI_BACKEND_URL=file://$HOME/.pulumi-state
  pulumi stack select --create ${stack}
  pulumi config set clickhouse:organizationId <organization id>
  pulumi config set --secret clickhouse:tokenKey <API key id>    # --secret: the CLI refuses a key id in plain text
  pulumi config set --secret clickhouse:tokenSecret <API key secret>
  pulumi config set --secret kafkaPassword <password of your Kafka user>
  pulumi up
(or export CLICKHOUSE_ORG_ID, CLICKHOUSE_TOKEN_KEY, CLICKHOUSE_TOKEN_SECRET instead of the clickhouse:* settings).`);
    process.exitCode = failed ? 1 : 0;
}

/**
 * One query on the deployed service, over its https endpoint with the emulator's certificate and
 * the stack's password (read with --show-secrets into memory, never printed).
 */
async function firstQuery(cli, env, emulator) {
    step("A first query on the service (its https endpoint, the stack's password)");
    const out = JSON.parse(
        (await pulumi(cli, env, ["stack", "output", "--json", "--show-secrets", "--stack", stack], { quiet: true })).stdout,
    );
    const https = (out.endpoints ?? []).find((e) => e.protocol === "https");
    const native = (out.endpoints ?? []).find((e) => e.protocol === "nativesecure");
    const ca = fs.readFileSync(emulator.realServers.caFile);
    const query = "SELECT version()";
    for (let attempt = 0; ; attempt++) {
        const answer = await new Promise((resolve) => {
            const req = require("https").request(
                { host: https.host, port: https.port, method: "POST", ca, auth: `default:${out.password}`, timeout: 10_000 },
                (res) => {
                    let body = "";
                    res.on("data", (d) => (body += d));
                    res.on("end", () => resolve({ status: res.statusCode, body: body.trim() }));
                },
            );
            req.on("error", (e) => resolve({ status: 0, body: e.message }));
            req.end(query);
        });
        if (answer.status === 200) {
            console.log(`https://${https.host}:${https.port} answered ${query}: ${answer.body}`);
            return { nativePort: native.port };
        }
        // The server reloads its users file within about two seconds of a change.
        if (attempt >= 20) throw new Error(`the service did not answer ${query}: ${answer.body.slice(0, 300)}`);
        await new Promise((r) => setTimeout(r, 500));
    }
}

main().catch((err) => {
    console.error(err.stack || String(err));
    process.exitCode = 1;
});
