// AWS Organizations policy operations (JSON 1.1): policy types on the root, SCPs and RCPs, their
// attachments, with Organizations' shapes, paging and errors. State and enforcement: orgPolicies.ts.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import {
  allTargets, disablePolicyType, enablePolicyType, FULL_ACCESS, parseOrgPolicy, policiesFor, policyArn, POLICY_TYPES,
  type OrgPolicyRec, type PolicyTypeName,
} from '../orgPolicies';
import { PolicyError } from '../policyDocument';
import type { JsonHandler, JsonInput } from '../protocols/json';
import { randomBytes } from 'node:crypto';
import { checkAccess, invalidInput, optionalString, paginate, requiredString } from './orgCommon';

const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
const TARGET_ID = /^(r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

function policyType(input: JsonInput, name: string, required = true): PolicyTypeName | undefined {
  const v = optionalString(input, name);
  if (v === undefined) {
    if (required) throw invalidInput('INPUT_REQUIRED', `You must specify a value for ${name}.`);
    return undefined;
  }
  if (!(POLICY_TYPES as readonly string[]).includes(v)) {
    if (/^(TAG_POLICY|BACKUP_POLICY|AISERVICES_OPT_OUT_POLICY|CHATBOT_POLICY|DECLARATIVE_POLICY_EC2)$/.test(v)) {
      throw new ApiError('PolicyTypeNotAvailableForOrganizationException', "You can't use the specified policy type with the feature set currently enabled for this organization.");
    }
    throw invalidInput('INVALID_ENUM', `You specified an invalid value for ${name}.`);
  }
  return v as PolicyTypeName;
}

export function rootShape(ctx: CallContext) {
  const org = ctx.state.org;
  return {
    Id: org.rootId, Arn: org.rootArn, Name: 'Root',
    PolicyTypes: POLICY_TYPES.filter((t) => org.policyTypes[t]).map((Type) => ({ Type, Status: 'ENABLED' })),
  };
}

function summary(p: OrgPolicyRec) {
  return { Id: p.id, Arn: p.arn, Name: p.name, Description: p.description, Type: p.type, AwsManaged: p.awsManaged };
}

function policyOrThrow(ctx: CallContext, input: JsonInput): OrgPolicyRec {
  const id = requiredString(input, 'PolicyId', POLICY_ID);
  const p = ctx.state.policies.get(id);
  ctx.target = id;
  if (!p) throw new ApiError('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
  return p;
}

function targetOrThrow(ctx: CallContext, input: JsonInput): string {
  const id = requiredString(input, 'TargetId', TARGET_ID);
  const s = ctx.state;
  if (id !== s.org.rootId && !s.ous.has(id) && !s.accounts.has(id)) {
    throw new ApiError('TargetNotFoundException', "We can't find a root, OU, account, or email address with the TargetId that you specified.");
  }
  return id;
}

function targetShape(ctx: CallContext, id: string) {
  const s = ctx.state;
  if (id === s.org.rootId) return { TargetId: id, Arn: s.org.rootArn, Name: 'Root', Type: 'ROOT' };
  const ou = s.ous.get(id);
  if (ou) return { TargetId: id, Arn: ou.arn, Name: ou.name, Type: 'ORGANIZATIONAL_UNIT' };
  const a = s.account(id)!;
  return { TargetId: id, Arn: a.arn, Name: a.name, Type: 'ACCOUNT' };
}

function content(input: JsonInput, type: PolicyTypeName): { text: string; parsed: OrgPolicyRec['parsed'] } {
  const text = optionalString(input, 'Content');
  if (!text) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for Content.');
  try {
    return { text, parsed: parseOrgPolicy(text, type) };
  } catch (e) {
    if (e instanceof PolicyError) throw new ApiError('MalformedPolicyDocumentException', `The provided policy document doesn't meet the requirements of the specified policy type. ${e.message}`);
    throw e;
  }
}

function typeSwitch(enable: boolean): JsonHandler {
  return (ctx, input) => {
    checkAccess(ctx, `${enable ? 'Enable' : 'Disable'}PolicyType`, 'write');
    const rootId = requiredString(input, 'RootId', ROOT_ID);
    const type = policyType(input, 'PolicyType')!;
    if (rootId !== ctx.state.org.rootId) throw new ApiError('RootNotFoundException', "We can't find a root with the RootId that you specified.");
    ctx.target = rootId;
    if (ctx.state.org.featureSet !== 'ALL') {
      throw new ApiError('PolicyTypeNotAvailableForOrganizationException', "You can't use the specified policy type with the feature set currently enabled for this organization.");
    }
    const on = ctx.state.org.policyTypes[type];
    if (enable && on) throw new ApiError('PolicyTypeAlreadyEnabledException', 'The specified policy type is already enabled.');
    if (!enable && !on) throw new ApiError('PolicyTypeNotEnabledException', "This operation can be performed only for enabled policy types.");
    if (enable) enablePolicyType(ctx.state, type);
    else disablePolicyType(ctx.state, type);
    return { Root: rootShape(ctx) };
  };
}

const createPolicy: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'CreatePolicy', 'write');
  const name = requiredString(input, 'Name', /^[\s\S]{1,128}$/);
  const description = optionalString(input, 'Description');
  if (description === undefined) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for Description.');
  const type = policyType(input, 'Type')!;
  const { text, parsed } = content(input, type);
  if ([...ctx.state.policies.values()].some((p) => p.name === name && p.type === type)) {
    throw new ApiError('DuplicatePolicyException', 'A policy with the same name already exists.');
  }
  const id = `p-${[...randomBytes(8)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('')}`;
  const rec: OrgPolicyRec = { id, arn: '', name, description, type, awsManaged: false, content: text, parsed, targets: [] };
  rec.arn = policyArn(ctx.state, rec);
  ctx.state.policies.set(id, rec);
  ctx.target = id;
  return { Policy: { PolicySummary: summary(rec), Content: rec.content } };
};

const updatePolicy: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'UpdatePolicy', 'write');
  const p = policyOrThrow(ctx, input);
  if (p.awsManaged) throw new ApiError('PolicyChangesInProgressException', "You can't change an AWS managed policy.");
  const name = optionalString(input, 'Name');
  const description = optionalString(input, 'Description');
  const next = input.Content !== undefined ? content(input, p.type) : undefined;
  if (name !== undefined) {
    if (!name || name.length > 128) throw invalidInput('INVALID_INPUT', 'You specified an invalid value for Name.');
    if ([...ctx.state.policies.values()].some((o) => o !== p && o.name === name && o.type === p.type)) {
      throw new ApiError('DuplicatePolicyException', 'A policy with the same name already exists.');
    }
    p.name = name;
  }
  if (description !== undefined) p.description = description;
  if (next) {
    p.content = next.text;
    p.parsed = next.parsed;
  }
  return { Policy: { PolicySummary: summary(p), Content: p.content } };
};

const describePolicy: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'DescribePolicy', 'read');
  const p = policyOrThrow(ctx, input);
  return { Policy: { PolicySummary: summary(p), Content: p.content } };
};

function attachment(attach: boolean): JsonHandler {
  return (ctx, input) => {
    checkAccess(ctx, `${attach ? 'Attach' : 'Detach'}Policy`, 'write');
    const p = policyOrThrow(ctx, input);
    const target = targetOrThrow(ctx, input);
    ctx.target = `${p.id} → ${target}`;
    if (!ctx.state.org.policyTypes[p.type]) throw new ApiError('PolicyTypeNotEnabledException', 'This operation can be performed only for enabled policy types.');
    const at = p.targets.indexOf(target);
    if (attach) {
      if (at >= 0) throw new ApiError('DuplicatePolicyAttachmentException', 'The selected policy is already attached to the specified target.');
      if (policiesFor(ctx.state, target, p.type).length >= 5) {
        throw new ApiError('ConstraintViolationException', 'You have attached the maximum number of policies of this type to the target.', 400, { fields: { Reason: 'POLICY_NUMBER_LIMIT_EXCEEDED' } });
      }
      p.targets.push(target);
      return {};
    }
    if (at < 0) throw new ApiError('PolicyNotAttachedException', 'The policy isn\'t attached to the specified target in the specified root.');
    // A target must keep an SCP (else nothing is allowed there); RCPFullAWSAccess cannot be detached.
    if (p.id === FULL_ACCESS.RESOURCE_CONTROL_POLICY.id || (p.type === 'SERVICE_CONTROL_POLICY' && policiesFor(ctx.state, target, p.type).length <= 1)) {
      throw new ApiError('ConstraintViolationException', 'You cannot remove the last policy of this type attached to this target.', 400, { fields: { Reason: 'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED' } });
    }
    p.targets.splice(at, 1);
    return {};
  };
}

const listPolicies: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListPolicies', 'read');
  const type = policyType(input, 'Filter')!;
  const all = [...ctx.state.policies.values()].filter((p) => p.type === type).map(summary);
  const { page, NextToken } = paginate(ctx, input, `ListPolicies:${type}`, all);
  return { Policies: page, NextToken };
};

const listPoliciesForTarget: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListPoliciesForTarget', 'read');
  const target = targetOrThrow(ctx, input);
  const type = policyType(input, 'Filter')!;
  ctx.target = target;
  const { page, NextToken } = paginate(ctx, input, `ListPoliciesForTarget:${type}:${target}`, policiesFor(ctx.state, target, type).map(summary));
  return { Policies: page, NextToken };
};

const listTargetsForPolicy: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListTargetsForPolicy', 'read');
  const p = policyOrThrow(ctx, input);
  // Targets in the organization's order (root, OUs, accounts), as listings are stable across pages.
  const order = allTargets(ctx.state).filter((t) => p.targets.includes(t));
  const { page, NextToken } = paginate(ctx, input, `ListTargetsForPolicy:${p.id}`, order);
  return { Targets: page.map((id) => targetShape(ctx, id)), NextToken };
};

export const orgPolicyOperations: Record<string, JsonHandler> = {
  EnablePolicyType: typeSwitch(true),
  DisablePolicyType: typeSwitch(false),
  CreatePolicy: createPolicy,
  UpdatePolicy: updatePolicy,
  DescribePolicy: describePolicy,
  AttachPolicy: attachment(true),
  DetachPolicy: attachment(false),
  ListPolicies: listPolicies,
  ListPoliciesForTarget: listPoliciesForTarget,
  ListTargetsForPolicy: listTargetsForPolicy,
};
