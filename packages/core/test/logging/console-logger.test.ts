import { runInNewContext } from 'node:vm';
import { describe, it, expect } from '@jest/globals';
import { createConsoleLogger, type LogLevel } from '../../src/logging/console-logger.js';
import { GraphRequestError } from '../../src/errors.js';
import { captureStderr, withStderr } from './capture.js';

/** The JSON part of a console line (after the message). */
const fieldsOf = (line: string): Record<string, unknown> => JSON.parse(line.slice(line.indexOf(' {') + 1)) as Record<string, unknown>;

function logEveryLevel(level?: LogLevel): string[] {
  const stderr = captureStderr();
  try {
    const log = level ? createConsoleLogger({ level }) : createConsoleLogger();
    log.debug({ n: 1 }, 'a debug line');
    log.info({ n: 2 }, 'an info line');
    log.warn({ n: 3 }, 'a warn line');
    log.error({ n: 4 }, 'an error line');
  } finally {
    stderr.restore();
  }
  return stderr.lines();
}

describe('createConsoleLogger', () => {
  it('by default writes warn and error to stderr, one line each (level, message, fields as JSON), and drops info and debug', () => {
    expect(logEveryLevel()).toEqual(['WARN graph-comms: a warn line {"n":3}', 'ERROR graph-comms: an error line {"n":4}']);
  });

  it.each<[LogLevel, number[]]>([
    ['debug', [1, 2, 3, 4]],
    ['info', [2, 3, 4]],
    ['warn', [3, 4]],
    ['error', [4]],
  ])('at level %s writes the entries from that level up', (level, kept) => {
    expect(logEveryLevel(level).map((line) => fieldsOf(line)['n'])).toEqual(kept);
  });

  it('writes an Error in err with its stack, and still one line', async () => {
    const error = new GraphRequestError({ status: 403, graphCode: 'Forbidden', graphMessage: 'not allowed', requestId: 'r-1' });
    const lines = await withStderr((stderr) => {
      createConsoleLogger().error({ err: error, callId: 'c-1' }, 'it failed');
      return stderr.lines();
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ERROR graph-comms: it failed \{/);
    const fields = fieldsOf(lines[0]!);
    expect(fields).toEqual({
      err: { type: 'GraphRequestError', message: error.message, code: 'graph_error', status: 403, graphCode: 'Forbidden', graphMessage: 'not allowed', requestId: 'r-1', stack: error.stack },
      callId: 'c-1',
    });
    expect(error.stack).toContain('\n'); // so the single line above is the escaping's doing
  });

  it('knows an Error made in another realm (a vm context, or fetch seen from a jest test) by its stack', async () => {
    const foreign = runInNewContext('new TypeError("fetch failed")') as Error;
    expect(foreign instanceof Error).toBe(false);
    const [line] = await withStderr((stderr) => (createConsoleLogger().warn({ err: foreign }, 'download failed'), stderr.lines()));
    expect(fieldsOf(line!)['err']).toEqual({ type: 'TypeError', message: 'fetch failed', stack: foreign.stack });
  });

  it("keeps an error's cause and its plain fields, but not its objects nor fields named like secrets", async () => {
    const error = Object.assign(new Error('request failed', { cause: new Error('socket hang up') }), {
      status: 401,
      config: { headers: { Authorization: 'Bearer secret-in-config' } },
      accessToken: 'secret-in-field',
    });
    const [line] = await withStderr((stderr) => (createConsoleLogger().warn({ err: error }, 'failed'), stderr.lines()));
    expect(line).not.toContain('secret-in');
    expect(fieldsOf(line!)['err']).toMatchObject({ message: 'request failed', status: 401, cause: { type: 'Error', message: 'socket hang up' } });
  });

  it('redacts fields named like secrets, at any depth', async () => {
    const [line] = await withStderr((stderr) => {
      createConsoleLogger({ level: 'debug' }).debug({ authorization: 'Bearer abc.def.ghi', nested: { recordingAccessToken: 'tok-1', clientSecret: 'sec-1' }, callId: 'c-1' }, 'fields');
      return stderr.lines();
    });
    expect(line).not.toMatch(/abc\.def|tok-1|sec-1/);
    expect(fieldsOf(line!)).toEqual({ authorization: '[redacted]', nested: { recordingAccessToken: '[redacted]', clientSecret: '[redacted]' }, callId: 'c-1' });
  });

  it('writes fields that JSON cannot hold as they are, without throwing', async () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const lines = await withStderr((stderr) => {
      const log = createConsoleLogger();
      log.warn({ cyclic, big: 10n, fn: () => 1, date: new Date(0) }, 'odd fields');
      log.warn({ get broken(): never { throw new Error('getter') } }, 'a throwing getter');
      log.warn({ bad: { toJSON: () => { throw new Error('toJSON'); } } }, 'a throwing toJSON');
      return stderr.lines();
    });
    expect(fieldsOf(lines[0]!)).toEqual({ cyclic: { name: 'loop', self: '[Circular]' }, big: '10', date: '1970-01-01T00:00:00.000Z' });
    expect(lines.slice(1)).toEqual(['WARN graph-comms: a throwing getter {"logFields":"unserializable"}', 'WARN graph-comms: a throwing toJSON {"logFields":"unserializable"}']);
  });

  it('keeps a message with line breaks on one line, so a caller-given id cannot forge another entry', async () => {
    const lines = await withStderr((stderr) => (createConsoleLogger().warn({}, 'call x\nERROR graph-comms: forged'), stderr.lines()));
    expect(lines).toEqual(['WARN graph-comms: call x ERROR graph-comms: forged']);
  });

  it('does not throw when stderr does', () => {
    const original = process.stderr.write;
    process.stderr.write = (() => {
      throw new Error('EPIPE');
    }) as typeof process.stderr.write;
    try {
      expect(() => createConsoleLogger().error({}, 'lost')).not.toThrow();
    } finally {
      process.stderr.write = original;
    }
  });

  it('refuses an unknown level or options that are not an object', () => {
    expect(() => createConsoleLogger({ level: 'verbose' as LogLevel })).toThrow(new TypeError('createConsoleLogger: level must be one of debug, info, warn, error; got verbose'));
    expect(() => createConsoleLogger('debug' as never)).toThrow(/options must be an object/);
    expect(() => createConsoleLogger(null as never)).toThrow(/options must be an object/);
  });
});
