import * as path from 'path';
import type * as Aws from './aws/index';

export type AwsModule = typeof Aws;

/**
 * Loads dist/aws.js (the SDK bundle) on first use. Activation must not pay for the SDK; the
 * first command that needs AWS does, once. Under tsx (unit tests) the TypeScript source loads.
 */
export function createAwsLoader(distDir: string): () => AwsModule {
  let loaded: AwsModule | undefined;
  return () => {
    loaded ??= require(path.join(distDir, 'aws.js')) as AwsModule;
    return loaded;
  };
}
