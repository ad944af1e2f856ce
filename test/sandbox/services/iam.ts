// IAM (query protocol): every operation the root tasks and the organization features need.
import type { QueryHandler } from '../protocols/query';
import { iamCredentialOperations } from './iamCredentials';
import { iamFeatureOperations } from './iamFeatures';
import { iamUserOperations } from './iamUsers';

export { IAM_VERSION, IAM_XMLNS } from './iamCommon';

export const iamOperations: Record<string, QueryHandler> = {
  ...iamFeatureOperations,
  ...iamUserOperations,
  ...iamCredentialOperations,
};
