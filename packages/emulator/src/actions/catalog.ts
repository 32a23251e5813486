import { CALL_ACTIONS } from './call-actions.js';
import type { ActionDescriptor } from './descriptor.js';
import { INCOMING_ACTIONS } from './incoming-actions.js';
import { MEDIA_ACTIONS } from './media-actions.js';
import { TRANSFER_ACTION } from './transfer.js';

/** Every call and participant action the emulator answers, one descriptor each. */
export const ACTIONS: readonly ActionDescriptor[] = [...MEDIA_ACTIONS, ...CALL_ACTIONS, ...INCOMING_ACTIONS, TRANSFER_ACTION];
