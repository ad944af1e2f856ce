import * as path from 'path';
import type * as Aws from '../aws/index';
import type * as Flows from '../flows/index';

export type AwsModule = typeof Aws;
export type FlowsModule = typeof Flows;

/**
 * Loads a sibling bundle on first use: dist/aws.js (the SDK) or dist/flows.js (the flows and the
 * lockout analyzer). Activation must not pay for either; the first command that needs one does,
 * once. Under tsx (unit tests) the TypeScript sources are imported directly instead.
 */
function lazyBundle<T>(distDir: string, file: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(path.join(distDir, file)) as T;
    return loaded;
  };
}

export const createAwsLoader = (distDir: string): (() => AwsModule) => lazyBundle<AwsModule>(distDir, 'aws.js');
export const createFlowsLoader = (distDir: string): (() => FlowsModule) => lazyBundle<FlowsModule>(distDir, 'flows.js');
