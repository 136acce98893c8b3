import { method, z } from './contract.ts';

/** What the About page (关于) shows: the version, and where this installation keeps its data. */
export interface AppInfo {
  productName: string;
  version: string;
  /** The data folder (null for an in-memory ledger in tests). */
  dataDir: string | null;
  ledgerFile: string | null;
  backupsDir: string | null;
  logsDir: string | null;
  /** The ledger's schema version (migrations applied) and the newest this program knows. */
  schemaVersion: number;
  latestSchemaVersion: number;
  installationId: string;
  runtime: { electron: string | null; chrome: string | null; node: string; platform: string; arch: string };
}

export const appApi = {
  'app.info': method<AppInfo>()({
    input: z.object({}).strict().default({}),
    access: 'any',
    writes: false,
    summary: '关于：版本、数据文件夹、账本文件、备份与日志文件夹、数据版本、安装标识',
  }),
};
