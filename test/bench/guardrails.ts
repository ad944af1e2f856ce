// 6. Organization guardrails: the organization's SCPs and RCPs read once (src/aws/orgPolicies.ts,
// the product's reader) and every member account × root task judged (src/core/orgPolicies, the
// product's evaluator), on a generated organization with `policies` policies attached to its OUs.
// The same policies on a smaller organization show that the AWS calls do not grow with accounts.
import {
  AttachPolicyCommand, CreatePolicyCommand, DetachPolicyCommand, EnablePolicyTypeCommand, type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { createAwsContext } from '../../src/aws';
import { OrgGuard, summarizeGuards } from '../../src/core/orgPolicies';
import { sandboxControl } from '../sandbox/index';
import { listOrganization } from '../support/flowDeps';
import { withSandboxProcess } from './sandboxProcess';

export interface GuardrailBenchOptions {
  accounts: number;
  ous: number;
  policies: number;
  /** A second, smaller organization with the same policies: calls must not change. */
  smallAccounts: number;
  runs: number;
  seed?: number;
}

export interface GuardrailRun {
  accounts: number;
  /** AWS calls the read made (the reader's count) and what the sandbox answered for Organizations. */
  calls: number;
  sandboxCalls: number;
  readMs: number;
  /** Evaluating every member account × 5 tasks: CPU and wall time of this process. */
  evalCpuMs: number;
  evalWallMs: number;
  evaluations: number;
  blocked: number;
  mayBeBlocked: number;
}

export interface GuardrailBenchResult {
  options: GuardrailBenchOptions;
  runs: GuardrailRun[];
  small: GuardrailRun[];
}

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** The policy mix: root denies with and without the AssumeRoot exemption, service denies, region limits, RCPs. */
function policyDoc(i: number): { type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'; content: string } {
  switch (i % 10) {
    case 0: return { type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } } }) };
    case 1: return { type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' }, Null: { 'aws:AssumedRoot': 'true' } } }) };
    case 2: return { type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: ['iam:Delete*', 'iam:DeactivateMFADevice'], Resource: '*' }) };
    case 3: return { type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', NotAction: ['iam:*', 'organizations:*', 'sts:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } } }) };
    case 4: return { type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }) };
    case 5: return { type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: 's3:PutBucketPolicy', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } } }) };
    case 6: return { type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: 'sqs:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }) };
    case 7: return { type: 'SERVICE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }) };
    case 8: return { type: 'RESOURCE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Principal: '*', Action: ['s3:*', 'sqs:*'], Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }) };
    default: return { type: 'RESOURCE_CONTROL_POLICY', content: doc({ Effect: 'Deny', Principal: '*', Action: 's3:PutBucketPolicy', Resource: `arn:aws:s3:::bucket-${i}`, Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } } }) };
  }
}

/** Creates the policies and attaches each to an OU (deterministic); one OU trades FullAWSAccess for an allow list. */
async function arrange(org: OrganizationsClient, rootId: string, ouIds: string[], count: number): Promise<void> {
  for (const PolicyType of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const) {
    await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType }));
  }
  for (let i = 0; i < count; i++) {
    const { type, content } = policyDoc(i);
    const created = await org.send(new CreatePolicyCommand({ Name: `bench-policy-${i}`, Description: 'bench', Type: type, Content: content }));
    await org.send(new AttachPolicyCommand({ PolicyId: created.Policy!.PolicySummary!.Id!, TargetId: ouIds[(i * 7) % ouIds.length]! }));
  }
  const allowList = await org.send(new CreatePolicyCommand({ Name: 'bench-allow-list', Description: 'bench', Type: 'SERVICE_CONTROL_POLICY', Content: doc({ Effect: 'Allow', Action: ['iam:*', 's3:*'], Resource: '*' }) }));
  await org.send(new AttachPolicyCommand({ PolicyId: allowList.Policy!.PolicySummary!.Id!, TargetId: ouIds[1]! }));
  await org.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: ouIds[1]! }));
}

async function measure(accounts: number, o: GuardrailBenchOptions, runs: number): Promise<GuardrailRun[]> {
  const generate = { accounts, ous: o.ous, bucketsPerAccount: 0, queuesPerAccount: 0, seed: o.seed ?? 1 };
  return withSandboxProcess(generate, {}, async (sb) => {
    const aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 8, maxAttempts: 3 }, sb.management);
    const control = sandboxControl(sb.endpoint);
    try {
      const index = await listOrganization(aws);
      await arrange(aws.management.organizations, index.organization.rootId, [...index.ous.keys()].sort(), o.policies - 1);
      const out: GuardrailRun[] = [];
      for (let i = 0; i < runs; i++) {
        await control.clearRequests();
        const t = performance.now();
        const snapshot = await aws.ops.readOrgPolicies(index.organization.id);
        const readMs = performance.now() - t;
        const sandboxCalls = (await control.requests({ service: 'organizations' })).length;
        const cpu = process.cpuUsage();
        const wall = performance.now();
        const summary = summarizeGuards(new OrgGuard(snapshot), index);
        const evalWallMs = performance.now() - wall;
        const used = process.cpuUsage(cpu);
        out.push({
          accounts: summary.accounts, calls: snapshot.calls, sandboxCalls, readMs, evalWallMs,
          evalCpuMs: (used.user + used.system) / 1000,
          evaluations: summary.accounts * summary.tasks.length,
          blocked: summary.tasks.reduce((n, x) => n + x.blocked, 0),
          mayBeBlocked: summary.tasks.reduce((n, x) => n + x.mayBeBlocked, 0),
        });
      }
      return out;
    } finally {
      aws.dispose();
    }
  });
}

export async function benchGuardrails(options: GuardrailBenchOptions): Promise<GuardrailBenchResult> {
  return { options, runs: await measure(options.accounts, options, options.runs), small: await measure(options.smallAccounts, options, 1) };
}
