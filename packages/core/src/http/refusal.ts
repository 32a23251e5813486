/** The answer to give Graph. */
export interface CallbackResponse {
  /** The HTTP status to answer. */
  status: 202 | 400 | 401 | 408 | 413 | 415 | 500 | 503;
  /** Headers to add, such as `WWW-Authenticate` or `Connection: close`. */
  headers?: Record<string, string>;
  /** The JSON error body of a refusal, `{ error: { code, message } }`; absent on success. */
  body?: { error: { code: string; message: string } };
}

/** A refusal with a JSON error body, as every runtime adapter sends it. */
export const callbackRefusal = (status: CallbackResponse['status'], code: string, message: string, headers?: Record<string, string>): CallbackResponse =>
  headers ? { status, headers, body: { error: { code, message } } } : { status, body: { error: { code, message } } };
