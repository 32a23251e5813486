/**
 * `@graph-comms/core`: the call state machine, correlation, typed events, invite client,
 * callback token verification and stores of graph-comms.
 * @module
 */
export { CallingBot } from './bot/calling-bot.js';
export type { CallingBotOptions } from './bot/options.js';
export * from './auth/index.js';
export { GraphCommsError, InviteValidationError, NotificationFormatError, GraphRequestError, StoreError, type InviteRule } from './errors.js';
export * from './events/event-map.js';
export type { Invitation, InviteRequest, OperationOutcome } from './events/invitation.js';
export type { CallbackRequest, CallbackResponse } from './http/handle-request.js';
export { isJsonContentType, callbackRefusal, refuseContentType } from './http/handle-request.js';
export type { GraphVersion } from './invite/send-invite.js';
export { validateInvite, MAX_INVITEES, MAX_CLIENT_CONTEXT_LENGTH } from './invite/validate-invite.js';
export type { Logger, LogFn } from './logger.js';
export * from './model/graph.js';
export { identityKey, sameIdentity, namedIdentities, type NamedIdentity } from './model/identity.js';
export { parseResourcePath, type ResourcePath } from './notifications/resource-path.js';
export { routeNotification, type RoutedNotification } from './notifications/classify.js';
export { validateNotificationsBody } from './notifications/validate-body.js';
export type { NotificationContext, NotificationHandler } from './pipeline/handlers.js';
export type { CallRecord, OperationRecord, OperationState, RosterEntry, RosterKey, RemovedEntry, ReplacementRecord } from './state/call-record.js';
export { contextKey, isFinal, operationAt } from './state/call-record.js';
export { upgradeCallRecord } from './state/record-format.js';
export { outcomeOf } from './bot/invitation-registry.js';
export { silentLogger } from './logger.js';
export type { Effect, Step, StepEnv } from './state/effects.js';
export { applyNotification } from './state/apply-notification.js';
export { KeyedQueue } from './pipeline/keyed-queue.js';
export type { CallStore } from './store/call-store.js';
export { MemoryCallStore, type MemoryCallStoreOptions } from './store/memory-call-store.js';
export { normalizeStatus, normalizeChangeType, OPERATION_STATUSES, CHANGE_TYPES, type OperationStatus, type ChangeType } from './text/case.js';
