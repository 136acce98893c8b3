import { method, z } from './contract.ts';
import { id } from './fields.ts';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../labels-audit.ts';

export interface AuditEntry {
  seq: number;
  at: string;
  userId: string | null;
  userName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}
export interface AttentionItem {
  kind: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  detail: string;
  /** Where in the app to fix it, e.g. '/masterdata/suppliers/<id>'. */
  link: string;
}

export const auditApi = {
  'audit.list': method<{ entries: AuditEntry[]; total: number }>()({
    input: z
      .object({
        entity: z.enum(AUDIT_ENTITIES, { error: '审计对象无效' }).optional(),
        action: z.enum(AUDIT_ACTIONS, { error: '审计操作无效' }).optional(),
        entityId: id().optional(),
        offset: z.number().int().min(0).max(1e9).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    access: ['admin', 'accountant', 'reviewer'],
    writes: false,
    summary: '审计记录：谁在何时改了什么（改前改后）',
  }),
  'home.attention': method<AttentionItem[]>()({
    input: z.object({}).strict().default({}),
    access: 'any',
    writes: false,
    summary: '首页：今天需要处理的事项',
  }),
};
