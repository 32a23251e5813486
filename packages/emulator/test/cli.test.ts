/** The `graph-comms-emulator` command: in-process through main(), and the built bin as a child process. */
import { describe, it, expect, afterAll } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main, parseCli, UsageError } from '../src/cli-main.js';
import type { GraphEmulator } from '../src/index.js';
import { answeringBot, closedPort } from './bots.js';
import { TestBot, portOf, rawRequest } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('CLI', () => {
  const started: GraphEmulator[] = [];
  afterAll(async () => {
    await Promise.all(started.map((emulator) => emulator.close()));
  });

  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) } };
  }

  /** Starts the CLI in-process with `args`; closed after the suite. */
  async function startCli(args: string[]) {
    const { err, io } = capture();
    const emulator = await main(args, io);
    if (emulator === null) throw new Error('no emulator');
    started.push(emulator);
    return { err, emulator };
  }

  it('parses the options', () => {
    expect(parseCli(['--port', '4000', '--host', '0.0.0.0', '--tenant', 't', '--app-id', 'a', '--callback-delay', '0', '--auto-answer', '50'])).toEqual({
      verbose: false,
      port: 4000,
      host: '0.0.0.0',
      tenantId: 't',
      appId: 'a',
      callbackDelayMs: 0,
      autoAnswerMs: 50,
    });
    expect(parseCli(['--help'])).toBeNull();
    expect(() => parseCli(['--port', 'abc'])).toThrow(UsageError);
    expect(() => parseCli(['--port', '70000'])).toThrow(UsageError);
    expect(() => parseCli(['--colour'])).toThrow(UsageError);
  });

  it('parses --bodies (which implies --verbose)', () => {
    expect(parseCli(['--bodies'])).toEqual({ verbose: true, bodies: true });
    expect(parseCli(['--verbose'])).toEqual({ verbose: true });
  });

  it('parses --operation-delay', () => {
    expect(parseCli(['--operation-delay', '7'])).toEqual({ verbose: false, operationDelayMs: 7 });
    expect(() => parseCli(['--operation-delay', '-1'])).toThrow(UsageError);
  });

  it('main() starts the emulator with the options and prints its URLs', async () => {
    const { out, io } = capture();
    const emulator = await main(['--port', '0', '--tenant', 'tenant-cli', '--app-id', 'app-cli'], io);
    expect(emulator).not.toBeNull();
    if (emulator === null) return;
    started.push(emulator);
    expect(emulator.tenantId).toBe('tenant-cli');
    expect(emulator.appId).toBe('app-cli');
    const text = out.join('\n');
    expect(text).toContain(`base url:              ${emulator.url}`);
    expect(text).toContain(`inspector:             ${emulator.url}`);
    expect(text).toContain(`OpenID configuration:  ${emulator.openIdConfigurationUrl}`);
    expect(text).toContain(`app id:                app-cli`);
    expect(text).toContain(emulator.jwksUrl);
    const config = (await (await fetch(emulator.openIdConfigurationUrl)).json()) as { jwks_uri: string };
    expect(config.jwks_uri).toBe(emulator.jwksUrl);
  });

  it('parses --incoming, --answer-timeout and --keepalive-timeout', () => {
    expect(parseCli(['--incoming', 'http://127.0.0.1:3978/api/calls', '--answer-timeout', '5000', '--keepalive-timeout', '60000'])).toEqual({
      verbose: false,
      incoming: 'http://127.0.0.1:3978/api/calls',
      answerTimeoutMs: 5000,
      keepAliveTimeoutMs: 60000,
    });
    expect(() => parseCli(['--incoming', 'not a url'])).toThrow(UsageError);
    expect(() => parseCli(['--incoming', 'ftp://127.0.0.1/x'])).toThrow(UsageError);
    expect(() => parseCli(['--answer-timeout', '0'])).toThrow(UsageError);
  });

  it('main() with --incoming places one incoming call to that callbackUri and prints its id', async () => {
    const bot = await TestBot.start();
    try {
      const { out, io } = capture();
      const emulator = await main(['--port', '0', '--incoming', bot.url()], io);
      if (emulator === null) throw new Error('no emulator');
      started.push(emulator);
      const id = /incoming call id:\s+(\S+)/.exec(out.join('\n'))?.[1];
      expect(emulator.getCall(String(id))).toMatchObject({ state: 'incoming', callbackUri: bot.url() });
      await emulator.idle();
      expect(bot.about(String(id))).toMatchObject([{ changeType: 'created', resourceData: { state: 'incoming', direction: 'incoming' } }]);
    } finally {
      await bot.close();
    }
  });

  it('--verbose names why a delivery failed: connection refused, or the status and the bot’s error code', async () => {
    const { err, emulator } = await startCli(['--port', '0', '--verbose', '--callback-delay', '0']);
    const refused = emulator.placeIncomingCall({ callbackUri: `http://127.0.0.1:${await closedPort()}/api/calls` });
    const bot = await answeringBot(401, { error: { code: 'invalid_token', message: 'expired' } });
    try {
      const rejected = emulator.placeIncomingCall({ callbackUri: bot.url });
      await emulator.idle();
      expect(err).toContainEqual(expect.stringMatching(new RegExp(`^callback #\\d+ call for call ${refused.id} -> connection refused \\{.*"attempt":"1/3"`)));
      expect(err).toContainEqual(expect.stringMatching(new RegExp(`^callback #\\d+ call for call ${rejected.id} -> 401 invalid_token `)));
      // Without --bodies, no body is printed.
      expect(err.some((line) => line.includes('commsNotifications'))).toBe(false);
    } finally {
      await bot.close();
    }
  });

  it('--bodies prints each notification body and each Graph request body', async () => {
    const { err, emulator } = await startCli(['--port', '0', '--bodies', '--callback-delay', '0']);
    const bot = await TestBot.start();
    try {
      const call = emulator.placeIncomingCall({ callbackUri: bot.url() });
      await emulator.idle();
      await fetch(new URL(`v1.0/communications/calls/${call.id}/reject`, emulator.url), { method: 'POST', body: JSON.stringify({ reason: 'busy' }) });
      await emulator.idle();
      const text = err.join('\n');
      expect(text).toMatch(/callback #\d+ call for call \S+ -> 202 .*\n {2}body: \{"@odata.type":"#microsoft.graph.commsNotifications"/);
      expect(text).toContain(`POST /v1.0/communications/calls/${call.id}/reject\n  body: {"reason":"busy"}`);
    } finally {
      await bot.close();
    }
  });

  it('main() prints the usage for --help and starts nothing', async () => {
    const { out, io } = capture();
    expect(await main(['--help'], io)).toBeNull();
    expect(out.join('\n')).toContain('Usage: graph-comms-emulator');
  });

  /** Builds the emulator package: its dist/, which the bin and its shim run. */
  function buildEmulator(): void {
    execFileSync(process.execPath, [`${repoRoot}node_modules/typescript/bin/tsc`, '-b', 'packages/emulator'], { cwd: repoRoot, stdio: 'pipe' });
  }

  /** Collects `child`'s stderr; `output` resolves with its stdout once it printed its URLs, and rejects (naming `what`) if it exits first. */
  function printedUrls(child: ChildProcess & { stdout: Readable; stderr: Readable }, what: string): { output: Promise<string>; stderr: () => string } {
    let errors = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    const output = new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        if (/app id:\s+\S+\n/.test(text)) resolve(text);
      });
      child.once('exit', (code) => reject(new Error(`${what} exited (${String(code)}): ${errors}`)));
    });
    return { output, stderr: () => errors };
  }

  /** Builds and starts the bin; resolves with its output once it printed its URLs. */
  async function startBin(args: readonly string[]): Promise<{ child: ChildProcessWithoutNullStreams; output: string; stderr: () => string }> {
    buildEmulator();
    const child = spawn(process.execPath, [`${repoRoot}packages/emulator/dist/cli.js`, '--port', '0', '--host', '127.0.0.1', ...args]);
    const { output, stderr } = printedUrls(child, 'the CLI');
    return { child, output: await output, stderr };
  }

  async function stopBin(child: ChildProcessWithoutNullStreams): Promise<void> {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  }

  it('the built bin prints its URLs, serves them, and stops on SIGTERM', async () => {
    const { child, output } = await startBin([]);
    try {
      const baseUrl = /base url:\s+(\S+)/.exec(output)?.[1];
      const openIdUrl = /OpenID configuration:\s+(\S+)/.exec(output)?.[1];
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(openIdUrl).toBe(`${String(baseUrl)}v1/.well-known/OpenIdConfiguration`);
      const config = (await (await fetch(String(openIdUrl))).json()) as { issuer: string };
      expect(config.issuer).toBe('https://api.botframework.com');
    } finally {
      await stopBin(child);
    }
  }, 60_000);

  it('npx graph-comms-emulator runs the workspace bin from the repo root', async () => {
    buildEmulator();
    // detached: npx runs the bin in a child; the whole group is stopped at the end.
    const child = spawn('npx', ['--no-install', 'graph-comms-emulator', '--port', '0'], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const printed = printedUrls(child, 'npx');
    try {
      const output = await printed.output;
      const lines = output.split('\n');
      expect(lines[0]).toBe('Graph calling emulator listening');
      const baseUrl = String(/base url:\s+(\S+)/.exec(output)?.[1]);
      expect(output).toMatch(new RegExp(`inspector:\\s+${baseUrl.replaceAll('.', '\\.')}\n`));
      const info = (await (await fetch(`${baseUrl}_emulator/info`)).json()) as { baseUrl: string; openIdConfigurationUrl: string };
      expect(info.baseUrl).toBe(baseUrl);
      expect(output).toContain(info.openIdConfigurationUrl);
    } finally {
      const exited = once(child, 'exit');
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  }, 60_000);

  it('the committed bin shim runs the built CLI', async () => {
    buildEmulator();
    const child = spawn(process.execPath, [`${repoRoot}packages/emulator/bin/graph-comms-emulator.js`, '--port', '0']);
    const printed = printedUrls(child, 'the shim');
    try {
      const output = await printed.output;
      expect(output).toMatch(/base url:\s+http:\/\/127\.0\.0\.1:\d+\//);
    } finally {
      await stopBin(child);
    }
  }, 60_000);

  it('the built bin answers bad requests 400 and keeps serving', async () => {
    const { child, output, stderr } = await startBin(['--verbose']);
    let exited = false;
    child.once('exit', () => (exited = true));
    try {
      const baseUrl = String(/base url:\s+(\S+)/.exec(output)?.[1]);
      const port = portOf(baseUrl);
      const badRequest = { error: expect.objectContaining({ code: 'BadRequest' }) };
      expect(await rawRequest(port, 'GET http://[/v1/keys HTTP/1.1')).toEqual({ status: 400, body: badRequest });
      expect(await rawRequest(port, 'POST /v1.0/communications/calls/%E0%A4%A/keepAlive HTTP/1.1')).toEqual({ status: 400, body: badRequest });
      // --verbose logs every body: a deep one must be refused before it is logged.
      expect(await rawRequest(port, 'POST /v1.0/communications/calls HTTP/1.1', '['.repeat(100_000) + ']'.repeat(100_000))).toEqual({ status: 400, body: badRequest });
      const keys = await fetch(`${baseUrl}v1/keys`);
      expect(keys.status).toBe(200);
      expect(((await keys.json()) as { keys: unknown[] }).keys).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(exited).toBe(false);
      expect(stderr()).not.toMatch(/unhandled|-> 500/);
    } finally {
      await stopBin(child);
    }
  }, 60_000);
});
