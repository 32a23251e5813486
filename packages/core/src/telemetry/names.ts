import type { RoutedNotification } from '../notifications/classify.js';
import type { ActionDescriptor } from '../operations/actions.js';

/** The meter's and the tracer's name. */
export const SCOPE = '@graph-comms/core';

/** Attribute names: OpenTelemetry's HTTP conventions where one fits, `graph_comms.*` otherwise. */
export const ATTR = {
  status: 'http.response.status_code',
  method: 'http.request.method',
  template: 'url.template',
  errorType: 'error.type',
  action: 'graph_comms.action',
  notificationKind: 'graph_comms.notification.kind',
  notificationCount: 'graph_comms.callback.notifications',
  operationKind: 'graph_comms.operation.kind',
  outcome: 'graph_comms.operation.outcome',
} as const;

/** Bucket bounds in seconds, from 5 ms to 10 s (the SDK's default ones are for milliseconds). */
export const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** What a notification is about, named as Graph names the resource (`participants` for rosters). */
export function notificationKind(kind: RoutedNotification['kind']): string {
  return kind === 'roster' ? 'participants' : kind;
}

/** An action's path with its ids left as placeholders, e.g. `/communications/calls/{callId}/playPrompt`. */
export function pathTemplate(descriptor: Pick<ActionDescriptor, 'scope' | 'path'>): string {
  if (descriptor.scope === 'calls') return '/communications/calls';
  const resource = descriptor.scope === 'participant' ? '/communications/calls/{callId}/participants/{participantId}' : '/communications/calls/{callId}';
  return descriptor.path ? `${resource}/${descriptor.path}` : resource;
}

/** How many notifications a callback body holds (0 when it is not a commsNotifications body). */
export function notificationCount(body: unknown): number {
  const value = typeof body === 'object' && body !== null ? (body as { value?: unknown }).value : undefined;
  return Array.isArray(value) ? value.length : 0;
}

/** An error's class name: few distinct values, and never its message (which may name anything). */
export function errorType(error: unknown): string {
  return error instanceof Error ? error.name || 'Error' : typeof error;
}
