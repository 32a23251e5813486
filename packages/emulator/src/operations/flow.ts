import type { EmulatorContext } from '../context.js';
import type { ScriptedHttpError } from '../fault-scripts.js';
import { GraphHttpError } from '../http/errors.js';
import type { HttpResult } from '../http/server.js';

/**
 * Answers a request whose callbacks `settle` sends: normally the response goes
 * first and `settle` runs after `delayMs`; with `overtake` the callbacks are
 * delivered (and answered by the bot) before the response leaves.
 */
export async function answerThenSettle(
  ctx: EmulatorContext,
  overtake: boolean | undefined,
  delayMs: number,
  settle: () => Promise<unknown>,
  result: HttpResult,
): Promise<HttpResult> {
  if (overtake === true) {
    const done = ctx.scheduler.begin();
    try {
      await settle();
    } finally {
      done();
    }
    return result;
  }
  ctx.scheduler.after(delayMs, async () => {
    await settle();
  });
  return result;
}

/**
 * Runs `task` after `ms` as pending work (`idle()` waits for it); resolves with
 * what it returned once that settled, or at once when the emulator closes.
 */
export async function later(ctx: EmulatorContext, ms: number, task: () => Promise<unknown> | null): Promise<unknown> {
  const done = ctx.scheduler.begin();
  try {
    await ctx.scheduler.sleep(ms);
    return ctx.scheduler.closed ? undefined : await task();
  } finally {
    done();
  }
}

/** With `overtake`, waits for `sent` (the request's callbacks, answered by the bot) before the response leaves. */
export async function settled(ctx: EmulatorContext, overtake: boolean | undefined, sent: Promise<unknown> | null): Promise<void> {
  if (overtake !== true || sent === null) return;
  const done = ctx.scheduler.begin();
  try {
    await sent;
  } finally {
    done();
  }
}

/** The `Location` of an operation: `{base}{version}/communications/calls/{callId}/operations/{opId}`. */
export function operationLocation(ctx: EmulatorContext, version: string, callId: string, operationId: string): string {
  return new URL(`${version}/communications/calls/${callId}/operations/${operationId}`, ctx.baseUrl).toString();
}

const ERROR_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Forbidden',
  404: 'itemNotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** The Graph error a script's `httpError` answers, with `Retry-After` when asked for. */
export function scriptedError(error: ScriptedHttpError, what: string): GraphHttpError {
  const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
  const code = error.code ?? ERROR_CODES[error.status] ?? 'UnknownError';
  return new GraphHttpError(error.status, code, error.message ?? `Scripted ${error.status} answer to the ${what}.`, headers);
}
