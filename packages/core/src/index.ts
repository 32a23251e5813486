/**
 * `@graph-comms/core`: the call state machine, correlation, typed events, call and participant handles,
 * callback token verification and stores of graph-comms.
 * @module @graph-comms/core
 */
export { CallingBot } from './bot/calling-bot.js';
export type { CallingBotOptions } from './bot/options.js';
export * from './auth/index.js';
export {
  GraphCommsError,
  InviteValidationError,
  RequestValidationError,
  NotificationFormatError,
  GraphRequestError,
  StoreError,
  type InviteRule,
  type RequestRule,
  type RequestField,
  type RequestProblem,
} from './errors.js';
export * from './events/event-map.js';
export type { CallHandle } from './handles/call-handle.js';
export type { ParticipantHandle } from './handles/participant-handle.js';
export type { Invitation, Operation, OperationOf, OperationOutcome } from './operations/operation.js';
export * from './operations/requests.js';
export * from './operations/resources.js';
export type { ActionName, ActionRequests } from './operations/actions.js';
export { RecordingDownloadError, downloadRecording, type RecordingErrorCode, type DownloadRecordingOptions, type RecordingSource } from './operations/download-recording.js';
export { canonicalId, sameId } from './model/ids.js';
export type { CallbackRequest, CallbackResponse } from './http/handle-request.js';
export { BODY_READ_FAILURES, type BodyReadFailureCode, type CallbackBodyReader, type CallbackBody } from './http/handle-request.js';
export { isJsonContentType, callbackRefusal, refuseContentType } from './http/handle-request.js';
export { createNodeHandler, type NodeHandler, type NodeHandlerOptions } from './adapters/node-handler.js';
export { createWebHandler, type WebHandler, type WebHandlerOptions, type WebHandlerRequest } from './adapters/web-handler.js';
export type { GraphVersion } from './operations/graph-request.js';
export { validateInvite, MAX_INVITEES, MAX_CLIENT_CONTEXT_LENGTH } from './invite/validate-invite.js';
export type { Logger, LogFn } from './logger.js';
export * from './model/graph.js';
export { identityKey, sameIdentity, namedIdentities, type NamedIdentity } from './model/identity.js';
export { parseResourcePath, type ResourcePath } from './notifications/resource-path.js';
export { routeNotification, type RoutedNotification } from './notifications/classify.js';
export { validateNotificationsBody } from './notifications/validate-body.js';
export { HandlerTimeoutError, type NotificationContext, type NotificationHandler } from './pipeline/handlers.js';
export type { CallRecord, OperationRecord, OperationState, OutboxEntry, RosterEntry, RosterKey, RemovedEntry, ReplacementRecord } from './state/call-record.js';
export { contextKey, isFinal, operationAt } from './state/call-record.js';
export { CALL_STATES, type CallState } from './state/call-states.js';
export { upgradeCallRecord } from './state/record-format.js';
export { outcomeOf } from './bot/operation-registry.js';
export { silentLogger } from './logger.js';
export { createConsoleLogger, type ConsoleLoggerOptions, type LogLevel } from './logging/console-logger.js';
export type { Effect, Step, StepEnv } from './state/effects.js';
export { applyNotification } from './state/apply-notification.js';
export { KeyedQueue } from './pipeline/keyed-queue.js';
export type { CallStore, DeadlineMode, OutcomeListener } from './store/call-store.js';
export { MemoryCallStore, DEFAULT_RETENTION_MS, DEFAULT_MAX_BYTES, type MemoryCallStoreOptions } from './store/memory-call-store.js';
export { normalizeStatus, normalizeChangeType, OPERATION_STATUSES, CHANGE_TYPES, type OperationStatus, type ChangeType } from './text/case.js';
