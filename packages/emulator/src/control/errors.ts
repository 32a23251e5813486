import { GraphHttpError } from '../http/errors.js';

/** Where the control API lives: everything under it answers `{ error: { code, message } }`. */
export const CONTROL_PREFIX = '/_emulator/';

/** A control action refused: 400 (bad input), 404 (unknown call or participant) or 409 (the call has ended). */
export class ControlError extends GraphHttpError {
  constructor(status: 400 | 404 | 409, code: string, message: string) {
    super(status, code, message);
    this.name = 'ControlError';
  }
}

/** 400: the request breaks a rule of the control API. */
export const invalid = (message: string): ControlError => new ControlError(400, 'BadRequest', message);

/** 404: no such call or participant. */
export const notFound = (message: string): ControlError => new ControlError(404, 'NotFound', message);

/** 409: the call has ended (or is ending). */
export const conflict = (message: string): ControlError => new ControlError(409, 'Conflict', message);

/** Runs a control action for the JS API: a {@link ControlError} becomes `fallback` (false, null). */
export function orElse<T, F>(action: () => T, fallback: F): T | F {
  try {
    return action();
  } catch (error) {
    if (error instanceof ControlError) return fallback;
    throw error;
  }
}

/** Runs a control action for the JS API: a 400 is rethrown as `Kind` (TypeError, RangeError), as the JS API always threw. */
export function asJsError<T>(action: () => T, Kind: new (message: string) => Error): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof ControlError && error.status === 400) throw new Kind(error.message);
    throw error;
  }
}
