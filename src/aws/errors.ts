/**
 * A short, safe description of an SDK error: its name, message and request id. Never the error
 * object itself: SDK errors carry the signed request (with the session token) in hidden fields.
 */
export function errorSummary(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const requestId = (err as { $metadata?: { requestId?: string } }).$metadata?.requestId;
  const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
  return `${name}${err.message}${requestId ? ` (request id ${requestId})` : ''}`;
}

export function errorName(err: unknown): string {
  if (!(err instanceof Error)) return '';
  const code = (err as { Code?: string; code?: string }).Code ?? (err as { code?: string }).code;
  return err.name && err.name !== 'Error' ? err.name : code ?? '';
}

/** Matches an AWS error code with or without the `Exception` suffix (IAM's wire codes vary). */
export function isAwsError(err: unknown, ...names: string[]): boolean {
  const n = errorName(err).replace(/Exception$/, '');
  return names.some((x) => x.replace(/Exception$/, '') === n);
}

export function isAccessDenied(err: unknown): boolean {
  return isAwsError(err, 'AccessDenied', 'AccessDeniedException', 'AuthorizationError', 'UnauthorizedOperation');
}
