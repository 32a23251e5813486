import type { ResultInfo } from './graph.js';

/** A JSON object: not null, not an array. Graph payloads are checked with this before use. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A resultInfo object, or undefined for anything else (Graph sends `null` too). */
export const asResultInfo = (value: unknown): ResultInfo | undefined => (isRecord(value) ? (value as ResultInfo) : undefined);
