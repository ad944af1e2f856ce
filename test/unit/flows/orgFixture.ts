import { OrgIndex } from '../../../src/core/orgIndex';

/** A small organization: management 111111111111, members 222222222222 (Prod) and 333333333333 (Dev). */
export function sampleIndex(): OrgIndex {
  const index = new OrgIndex({
    id: 'o-abcdefghij',
    arn: 'arn:aws:organizations::111111111111:organization/o-abcdefghij',
    managementAccountId: '111111111111',
    featureSet: 'ALL',
    rootId: 'r-root',
    rootArn: 'arn:aws:organizations::111111111111:root/o-abcdefghij/r-root',
  });
  const account = (id: string, name: string, parentId: string) => ({ id, name, parentId, arn: `arn:aws:organizations::111111111111:account/o-abcdefghij/${id}`, email: `${name}@example.com`, state: 'ACTIVE' });
  index.setListing('r-root', [{ id: 'ou-prod', arn: 'arn:ou-prod', name: 'Prod', parentId: 'r-root' }], [account('111111111111', 'management', 'r-root'), account('333333333333', 'dev', 'r-root')]);
  index.setListing('ou-prod', [], [account('222222222222', 'prod', 'ou-prod')]);
  return index;
}
