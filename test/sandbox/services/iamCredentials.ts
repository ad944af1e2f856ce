// IAM long-term credential inventory and removal: access keys (and when they were last used),
// signing certificates, MFA devices. A deleted access key stops signing requests at once.
import { requireAllowed } from '../authz';
import { errorOf, notAuthorized } from '../errors';
import type { QueryHandler } from '../protocols/query';
import { tag, wrap } from '../xml';
import { callerAccount, iamError, iamPage, targetUser } from './iamCommon';

const listAccessKeys: QueryHandler = (ctx, p) => {
  const user = targetUser(ctx, p, 'iam:ListAccessKeys');
  const { page, tail } = iamPage(ctx, p, `ListAccessKeys:${user.arn}`, user.accessKeys);
  const rows = page.map((k) => wrap('member', tag('UserName', user.name) + tag('AccessKeyId', k.id) + tag('Status', k.status) + tag('CreateDate', k.createDate)));
  return wrap('AccessKeyMetadata', rows.join('')) + tail;
};

const deleteAccessKey: QueryHandler = (ctx, p) => {
  const id = p.checked('AccessKeyId', p.required('AccessKeyId'), 16, 128, /^\w+$/)!;
  const user = targetUser(ctx, p, 'iam:DeleteAccessKey');
  const index = user.accessKeys.findIndex((k) => k.id === id);
  if (index < 0) throw iamError('NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
  user.accessKeys.splice(index, 1);
  ctx.state.credentials.delete(id);
  ctx.target = `${user.arn}/access-key/${id}`;
  return undefined;
};

const getAccessKeyLastUsed: QueryHandler = (ctx, p) => {
  const id = p.checked('AccessKeyId', p.required('AccessKeyId'), 16, 128, /^\w+$/)!;
  const account = callerAccount(ctx);
  const holder = ctx.state.keyHolder(account.id, id);
  // A key the caller's account does not hold cannot be authorized: AWS answers AccessDenied.
  const resource = holder?.arn ?? `arn:aws:iam::${account.id}:access-key/${id}`;
  ctx.target = resource;
  requireAllowed(ctx, { action: 'iam:GetAccessKeyLastUsed', resource, resourceAccount: account.id });
  if (!holder) throw errorOf('iam', 'accessDenied', notAuthorized(ctx.caller.principal.arn, 'iam:GetAccessKeyLastUsed', resource, ''));
  const used = holder.accessKeys.find((k) => k.id === id)!.lastUsed;
  const info = used
    ? tag('LastUsedDate', used.date) + tag('ServiceName', used.service) + tag('Region', used.region)
    : tag('ServiceName', 'N/A') + tag('Region', 'N/A');
  return tag('UserName', holder.name) + wrap('AccessKeyLastUsed', info);
};

const listSigningCertificates: QueryHandler = (ctx, p) => {
  const user = targetUser(ctx, p, 'iam:ListSigningCertificates');
  const { page, tail } = iamPage(ctx, p, `ListSigningCertificates:${user.arn}`, user.certificates);
  const rows = page.map((c) =>
    wrap('member', tag('UserName', user.name) + tag('CertificateId', c.id) + tag('CertificateBody', c.body) + tag('Status', c.status) + tag('UploadDate', c.uploadDate)),
  );
  return wrap('Certificates', rows.join('')) + tail;
};

const deleteSigningCertificate: QueryHandler = (ctx, p) => {
  const id = p.checked('CertificateId', p.required('CertificateId'), 24, 128, /^\w+$/)!;
  const user = targetUser(ctx, p, 'iam:DeleteSigningCertificate');
  const index = user.certificates.findIndex((c) => c.id === id);
  if (index < 0) throw iamError('NoSuchEntity', `The Certificate with id ${id} cannot be found.`);
  user.certificates.splice(index, 1);
  ctx.target = `${user.arn}/signing-certificate/${id}`;
  return undefined;
};

const listMfaDevices: QueryHandler = (ctx, p) => {
  const user = targetUser(ctx, p, 'iam:ListMFADevices');
  const { page, tail } = iamPage(ctx, p, `ListMFADevices:${user.arn}`, user.mfa);
  const rows = page.map((m) => wrap('member', tag('UserName', user.name) + tag('SerialNumber', m.serial) + tag('EnableDate', m.enableDate)));
  return wrap('MFADevices', rows.join('')) + tail;
};

const SERIAL = /^[\w+=/:,.@-]+$/;

const deactivateMfaDevice: QueryHandler = (ctx, p) => {
  const serial = p.checked('SerialNumber', p.required('SerialNumber'), 9, 256, SERIAL)!;
  const user = targetUser(ctx, p, 'iam:DeactivateMFADevice');
  const index = user.mfa.findIndex((m) => m.serial === serial);
  if (index < 0) throw iamError('NoSuchEntity', `MFA Device with serial number ${serial} does not exist.`);
  user.mfa.splice(index, 1);
  const device = callerAccount(ctx).virtualMfa.get(serial);
  if (device) delete device.assignedTo;
  ctx.target = serial;
  return undefined;
};

const deleteVirtualMfaDevice: QueryHandler = (ctx, p) => {
  const serial = p.checked('SerialNumber', p.required('SerialNumber'), 9, 256, SERIAL)!;
  const account = callerAccount(ctx);
  ctx.target = serial;
  requireAllowed(ctx, { action: 'iam:DeleteVirtualMFADevice', resource: serial, resourceAccount: account.id });
  const device = account.virtualMfa.get(serial);
  if (!device) throw iamError('NoSuchEntity', `VirtualMFADevice with serial number ${serial} doesn't exist.`);
  if (device.assignedTo) throw iamError('DeleteConflict', 'MFA VirtualDevice in use. Must deactivate first.');
  account.virtualMfa.delete(serial);
  return undefined;
};

export const iamCredentialOperations: Record<string, QueryHandler> = {
  ListAccessKeys: listAccessKeys,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
  ListSigningCertificates: listSigningCertificates,
  DeleteSigningCertificate: deleteSigningCertificate,
  ListMFADevices: listMfaDevices,
  DeactivateMFADevice: deactivateMfaDevice,
  DeleteVirtualMFADevice: deleteVirtualMfaDevice,
};
