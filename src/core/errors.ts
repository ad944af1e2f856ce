/** Thrown when the user backs out of a flow (Escape in a picker, Cancel in a dialog). Not a failure. */
export class Cancelled extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'Cancelled';
  }
}

// A global symbol, not the class: the lazily loaded bundles (flows, AWS) carry their own copy of
// this class, and a UserError thrown there must still be recognised here.
const USER_ERROR = Symbol.for('rootTasks.userError');

/** An error whose message is written for the user: clear, specific, free of secrets. */
export class UserError extends Error {
  readonly [USER_ERROR] = true;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

const ENDED_BY_USER = Symbol.for('rootTasks.endedByUser');

/**
 * The person ended the task's root session (status bar) while it ran: what they asked for, so it
 * is told as news ("ended by you"), not shown as a failure. Still a UserError for callers that
 * collect messages (a scan's per-account notes).
 */
export class EndedByUser extends UserError {
  readonly [ENDED_BY_USER] = true;
  constructor(message: string) {
    super(message);
    this.name = 'EndedByUser';
  }
}

export function isEndedByUser(err: unknown): err is EndedByUser {
  return !!err && typeof err === 'object' && (err as { [ENDED_BY_USER]?: unknown })[ENDED_BY_USER] === true;
}

/** A UserError (or subclass) from any of the extension's bundles. */
export function isUserError(err: unknown): err is UserError {
  return !!err && typeof err === 'object' && (err as { [USER_ERROR]?: unknown })[USER_ERROR] === true;
}

export function isCancellation(err: unknown): boolean {
  return err instanceof Cancelled || (err instanceof Error && err.name === 'Cancelled');
}

/**
 * A one-line message for an error, built only from its name and message. Errors are never
 * deep-inspected: SDK errors carry request headers (session tokens) in hidden properties.
 */
export function describeError(err: unknown): string {
  if (isUserError(err)) return err.message;
  if (err instanceof Error) {
    const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
    return `${name}${err.message}`;
  }
  return String(err);
}
