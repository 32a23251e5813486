/**
 * `@graph-comms/emulator`: a local stand-in for the Microsoft Graph calling
 * service, written from Microsoft's documentation, independently of the engine.
 * @module @graph-comms/emulator
 */
export { GraphEmulator } from './emulator.js';
export { DEFAULT_APP_ID, DEFAULT_ISSUER, DEFAULT_TENANT_ID } from './options.js';
export type { EmulatorLogger, GraphEmulatorOptions, ReplacesCallIdPolicy } from './options.js';
export { Faults } from './faults.js';
export type { CalleeBehaviour, CallbackFaults, CallFaults, CallScript, InviteHttpError, InviteScript, OperationAction, OperationScript, ScriptedHttpError } from './faults.js';
export type { DeliveryAttempt, DeliveryKind, DeliveryRecord, DeliveryState } from './callbacks/delivery.js';
export type { CallSnapshot, CreateCallOptions, OperationSnapshot } from './calls/snapshot.js';
export type { AttemptSnapshot, DeliverySnapshot } from './control/delivery-snapshot.js';
export type { HelloEvent } from './control/events.js';
export type { EmulatorInfo } from './control/info.js';
export type { AnsweredRequest } from './http/server.js';
export { ControlError, CONTROL_PREFIX } from './control/errors.js';
export type { IncomingCallOptions } from './calls/incoming.js';
export { ANSWER_TIMEOUT, CALLEE_NOT_REACHED, CALL_DECLINED, CONVERSATION_ENDED, ENDED_BY_BOT, KEEPALIVE_TIMEOUT, TRANSFER_COMPLETED } from './calls/end-codes.js';
export { MAX_REDIRECT_TARGETS, REDIRECT_TIMEOUT_SECONDS, REJECT_REASONS } from './actions/incoming-actions.js';
export { MEDIA_CONFIG_TYPES, MODALITIES } from './actions/control-params.js';
export { CALL_ENDED_BEFORE_ANSWER } from './invite/outcome.js';
export { ACTION_COMPLETED, OPERATION_CANCELLED } from './actions/operation.js';
export { MAX_PLAY_PROMPTS, MAX_RECORD_PROMPTS, TONES } from './actions/media-params.js';
export type { RecordingSnapshot } from './recordings/store.js';
export { silentWav } from './recordings/wav.js';
export { MAX_CLIENT_CONTEXT, MAX_INVITEES } from './invite/validate.js';
export { CALLING_SERVICE_APP_ID } from './auth/tokens.js';
export type { TokenOverrides } from './auth/tokens.js';
export type { PublicJwk } from './auth/keys.js';
export type {
  CallKind,
  CallState,
  CommsNotification,
  CommsNotifications,
  IdentitySet,
  JsonObject,
  JsonValue,
  OperationStatus,
  ResultInfo,
} from './types.js';
