// Entry of the lazily loaded AWS bundle (dist/aws.js). Everything that touches the AWS SDK is
// reached through here, so activation never loads the SDK.
export { createClients } from './clients';
export type { ClientOptions, Credentials, ServiceClients } from './clients';
