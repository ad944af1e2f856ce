import { isAbsolute, join, relative } from 'node:path';

/**
 * Where an export (the audit log, the root credential report) is offered by default: the user's
 * Downloads, Documents or home folder — the first that exists and is not inside an open workspace
 * folder, so an export never lands in a repository by default, where it could be committed.
 * The temp folder when none qualifies (a workspace opened on the home folder itself).
 */
export function defaultExportFolder(home: string, workspaceFolders: readonly string[], exists: (path: string) => boolean, tmp: string): string {
  const candidates = home ? [join(home, 'Downloads'), join(home, 'Documents'), home] : [];
  return [...candidates, tmp].find((dir) => exists(dir) && !insideAny(dir, workspaceFolders)) ?? tmp;
}

/** Whether `path` is one of the folders or inside one of them. */
export function insideAny(path: string, folders: readonly string[]): boolean {
  return folders.some((folder) => {
    const rel = relative(folder, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}
