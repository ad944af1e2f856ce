// Two people for root: requests as files, approvals as OpenSSH signatures, checked before AssumeRoot.
export * from './request';
export * from './check';
export * from './sshSignatures';
export * from './usedRequests';
