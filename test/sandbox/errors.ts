// Errors as each service puts them on the wire. Operations throw ApiError with the service's own
// code; cross-cutting failures (authentication, authorization, throttling, faults) are raised by
// kind and translated here into what that service really answers.
import type { ServiceName } from './types';

export class ApiError extends Error {
  constructor(
    /** Wire code: query `<Code>`, JSON `__type`, S3 `<Code>`. */
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly extra: {
      /** SQS (JSON with query compatibility): the query-protocol code for x-amzn-query-error. */
      queryCode?: string;
      /** Further error members (S3 <BucketName>, Organizations Reason, ...). */
      fields?: Record<string, string>;
      headers?: Record<string, string>;
      /** Query protocol error <Type>. */
      fault?: 'Sender' | 'Receiver';
    } = {},
  ) {
    super(message);
  }
}

export type ErrorKind =
  | 'accessDenied'
  | 'unknownKey'
  | 'badSignature'
  | 'expiredToken'
  | 'missingAuth'
  | 'incompleteSignature'
  | 'throttled'
  | 'internal'
  | 'unknownOperation';

type Spec = [code: string, status: number, queryCode?: string];

const QUERY: Record<ErrorKind, Spec> = {
  accessDenied: ['AccessDenied', 403],
  unknownKey: ['InvalidClientTokenId', 403],
  badSignature: ['SignatureDoesNotMatch', 403],
  expiredToken: ['ExpiredToken', 403],
  missingAuth: ['MissingAuthenticationToken', 403],
  incompleteSignature: ['IncompleteSignature', 400],
  throttled: ['Throttling', 400],
  internal: ['InternalFailure', 500],
  unknownOperation: ['InvalidAction', 400],
};

const SPECS: Record<ServiceName, Record<ErrorKind, Spec>> = {
  sts: QUERY,
  iam: { ...QUERY, internal: ['ServiceFailure', 500] },
  organizations: {
    accessDenied: ['AccessDeniedException', 400],
    unknownKey: ['UnrecognizedClientException', 400],
    badSignature: ['InvalidSignatureException', 400],
    expiredToken: ['ExpiredTokenException', 400],
    missingAuth: ['MissingAuthenticationTokenException', 400],
    incompleteSignature: ['IncompleteSignatureException', 400],
    throttled: ['TooManyRequestsException', 400],
    internal: ['ServiceException', 500],
    unknownOperation: ['UnknownOperationException', 400],
  },
  sqs: {
    accessDenied: ['com.amazon.coral.service#AccessDeniedException', 403, 'AccessDenied'],
    unknownKey: ['com.amazon.coral.service#UnrecognizedClientException', 403, 'InvalidClientTokenId'],
    badSignature: ['com.amazon.coral.service#InvalidSignatureException', 403, 'SignatureDoesNotMatch'],
    expiredToken: ['com.amazon.coral.service#ExpiredTokenException', 403, 'ExpiredToken'],
    missingAuth: ['com.amazon.coral.service#MissingAuthenticationTokenException', 403, 'MissingClientTokenId'],
    incompleteSignature: ['com.amazon.coral.service#IncompleteSignatureException', 400, 'IncompleteSignature'],
    throttled: ['com.amazon.coral.availability#ThrottlingException', 400, 'RequestThrottled'],
    internal: ['com.amazon.coral.service#InternalFailure', 500, 'InternalError'],
    unknownOperation: ['com.amazon.coral.service#UnknownOperationException', 400, 'InvalidAction'],
  },
  cloudtrail: {
    accessDenied: ['AccessDeniedException', 400],
    unknownKey: ['UnrecognizedClientException', 400],
    badSignature: ['InvalidSignatureException', 400],
    expiredToken: ['ExpiredTokenException', 400],
    missingAuth: ['MissingAuthenticationTokenException', 400],
    incompleteSignature: ['IncompleteSignatureException', 400],
    throttled: ['ThrottlingException', 400],
    internal: ['InternalFailure', 500],
    unknownOperation: ['UnknownOperationException', 400],
  },
  logs: {
    accessDenied: ['AccessDeniedException', 400],
    unknownKey: ['UnrecognizedClientException', 400],
    badSignature: ['InvalidSignatureException', 400],
    expiredToken: ['ExpiredTokenException', 400],
    missingAuth: ['MissingAuthenticationTokenException', 400],
    incompleteSignature: ['IncompleteSignatureException', 400],
    throttled: ['ThrottlingException', 400],
    internal: ['ServiceUnavailableException', 500],
    unknownOperation: ['UnknownOperationException', 400],
  },
  s3: {
    accessDenied: ['AccessDenied', 403],
    unknownKey: ['InvalidAccessKeyId', 403],
    badSignature: ['SignatureDoesNotMatch', 403],
    expiredToken: ['ExpiredToken', 400],
    missingAuth: ['AccessDenied', 403],
    incompleteSignature: ['AuthorizationHeaderMalformed', 400],
    throttled: ['SlowDown', 503],
    internal: ['InternalError', 500],
    unknownOperation: ['NotImplemented', 501],
  },
};

const DEFAULT_MESSAGES: Record<ErrorKind, string> = {
  accessDenied: 'Access Denied',
  unknownKey: 'The security token included in the request is invalid.',
  badSignature:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  expiredToken: 'The security token included in the request is expired',
  missingAuth: 'Request is missing Authentication Token',
  incompleteSignature: 'Authorization header requires a valid AWS4-HMAC-SHA256 signature.',
  throttled: 'Rate exceeded',
  internal: 'We encountered an internal error. Please try again.',
  unknownOperation: 'The requested operation is not supported by this sandbox.',
};

const S3_MESSAGES: Partial<Record<ErrorKind, string>> = {
  unknownKey: 'The AWS Access Key Id you provided does not exist in our records.',
  expiredToken: 'The provided token has expired.',
  throttled: 'Please reduce your request rate.',
  unknownOperation: 'A header you provided implies functionality that is not implemented',
};

/** The error `service` answers for a cross-cutting failure. */
export function errorOf(service: ServiceName, kind: ErrorKind, message?: string): ApiError {
  const [code, status, queryCode] = SPECS[service][kind];
  const text = message ?? (service === 's3' ? S3_MESSAGES[kind] : undefined) ?? DEFAULT_MESSAGES[kind];
  const fault = status >= 500 ? 'Receiver' : 'Sender';
  return new ApiError(code, text, status, { queryCode, fault });
}

/** AWS's wording for authorization failures. */
export function notAuthorized(callerArn: string, action: string, resource: string, why: string): string {
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}${why ? ` ${why}` : ''}`;
}
