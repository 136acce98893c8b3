import path from 'node:path';
import pkg from '../../../../package.json' with { type: 'json' };
import type { appApi, AppInfo } from '../../../../shared/api/app.ts';
import { LATEST_VERSION, schemaVersion } from '../../db/open.ts';
import type { Handlers } from '../../handlers.ts';

/** The version comes from package.json, bundled into the main process at build time (the same for the CLI). */
export const appHandlers: Handlers<keyof typeof appApi> = {
  'app.info': (ctx): AppInfo => {
    const dataDir = ctx.dataDir;
    const name = ctx.db.name;
    return {
      productName: pkg.productName,
      version: pkg.version,
      dataDir,
      ledgerFile: !name || name === ':memory:' ? null : path.resolve(name),
      // Beside the ledger, as the backup (backup.ts) and the shell's log (electron/shell/app-shell.ts) put them.
      backupsDir: dataDir === null ? null : path.join(dataDir, 'backups'),
      logsDir: dataDir === null ? null : path.join(dataDir, 'logs'),
      schemaVersion: schemaVersion(ctx.db),
      latestSchemaVersion: LATEST_VERSION,
      installationId: ctx.installationId,
      runtime: {
        electron: process.versions.electron ?? null,
        chrome: process.versions.chrome ?? null,
        node: process.versions.node,
        platform: process.platform,
        arch: process.arch,
      },
    };
  },
};
