import { Writable } from 'node:stream';
import { pino, type Level } from 'pino';

/** The console logger's lines, from `process.stderr.write` replaced until `restore()`. */
export interface CapturedStderr {
  /** Every line the console logger wrote (other stderr output, such as Node's warnings, left out). */
  lines(): string[];
  restore(): void;
}

export function captureStderr(): CapturedStderr {
  const original = process.stderr.write;
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  return {
    lines: () => text.split('\n').filter((line) => / graph-comms: /.test(line)),
    restore: () => void (process.stderr.write = original),
  };
}

/** Runs `fn` with stderr captured, and restores it whatever happens. */
export async function withStderr<T>(fn: (stderr: CapturedStderr) => Promise<T> | T): Promise<T> {
  const stderr = captureStderr();
  try {
    return await fn(stderr);
  } finally {
    stderr.restore();
  }
}

/** A pino log entry as it reaches its destination. */
export interface PinoEntry {
  level: number;
  msg?: string;
  err?: { type: string; message: string; stack: string };
  [field: string]: unknown;
}

/** A real pino logger writing JSON lines into memory through a Writable. */
export function pinoInMemory(level: Level = 'debug') {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level }, destination);
  return {
    logger,
    /** Every line as written. */
    raw,
    /** Every line parsed. */
    entries: (): PinoEntry[] => raw.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as PinoEntry),
  };
}

/** pino's numbers for the levels. */
export const PINO_LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, checking every few ms; fails naming `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(5);
  }
}
