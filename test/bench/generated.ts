// What a generated organization holds, computed from the generator itself (it is deterministic
// per seed), so a bench can check what it found against what is there.
import { generateOrg, type GenerateOptions, type SeedAccount, type SeedOrg } from '../sandbox/index';

export interface GeneratedOrg {
  managementAccountId: string;
  ous: number;
  members: SeedAccount[];
}

export function describeGenerated(options: GenerateOptions): GeneratedOrg {
  const seed: SeedOrg = generateOrg(options);
  const members: SeedAccount[] = [...(seed.accounts ?? [])];
  let ous = 0;
  const visit = (list: SeedOrg['ous']) => {
    for (const ou of list ?? []) {
      ous++;
      members.push(...(ou.accounts ?? []));
      visit(ou.ous);
    }
  };
  visit(seed.ous);
  return { managementAccountId: seed.management.id, ous, members };
}

/** The first `n` ACTIVE member accounts by id (AssumeRoot refuses the others; the scan skips them too). */
export function activeAccounts(org: GeneratedOrg, n: number): string[] {
  const ids = org.members.filter((a) => (a.state ?? 'ACTIVE') === 'ACTIVE').map((a) => a.id).sort();
  if (ids.length < n) throw new Error(`the generated organization has ${ids.length} active member accounts, ${n} wanted`);
  return ids.slice(0, n);
}
