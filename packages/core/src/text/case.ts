/**
 * Graph is not consistent in letter case (`Running` in responses, `completed` in callbacks,
 * `Updated`, `Established` in some deliveries): values are compared without regard to case and
 * reported in Graph's documented lower camel case.
 */

/** The statuses of a commsOperation, in Graph's documented spelling. */
export const OPERATION_STATUSES = ['notStarted', 'running', 'completed', 'failed'] as const;
/** One of {@link OPERATION_STATUSES}. */
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** The change types of a commsNotification. */
export const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;
/** One of {@link CHANGE_TYPES}. */
export type ChangeType = (typeof CHANGE_TYPES)[number];

// Keyed by the lower-case spelling and by the documented one (`notStarted`).
const byLowerCase = <T extends string>(values: readonly T[]): Map<string, T> =>
  new Map(values.flatMap((value) => [[value.toLowerCase(), value] as const, [value, value] as const]));

const statuses = byLowerCase(OPERATION_STATUSES);
const changeTypes = byLowerCase(CHANGE_TYPES);

/** `Running` → `running`; undefined for anything that is not a documented status. */
export function normalizeStatus(value: unknown): OperationStatus | undefined {
  if (typeof value !== 'string') return undefined;
  return statuses.get(value) ?? statuses.get(value.toLowerCase());
}

/** `Deleted` → `deleted`; undefined for anything else. */
export function normalizeChangeType(value: unknown): ChangeType | undefined {
  if (typeof value !== 'string') return undefined;
  // Graph mostly sends the documented spelling: skip lower-casing then.
  return changeTypes.get(value) ?? changeTypes.get(value.toLowerCase());
}

/** `Established` → `established`, `TransferAccepted` → `transferAccepted`. */
export function lowerCamel(value: string): string {
  if (value.length === 0) return value;
  // An all-caps value (`TERMINATED`) has no camel humps to keep.
  if (value === value.toUpperCase()) return value.toLowerCase();
  return value[0]!.toLowerCase() + value.slice(1);
}
