import { method, z } from './contract.ts';
import { id } from './fields.ts';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../labels-audit.ts';
import type { Role } from '../roles.ts';

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

/** One line under a home entry (a delivery, a lot, a checklist item), with the page it opens. */
export interface HomeLine {
  text: string;
  link: string;
  tone: 'error' | 'warning' | 'info';
}

/** One figure of a role's home: what it counts, the figure, and the page where the work is done. */
export interface HomeEntry {
  kind: string;
  label: string;
  /** The figure, formatted: '3 张', '¥1,234.00', '2026年10月'. */
  value: string;
  detail: string;
  link: string;
  linkLabel: string;
  lines: HomeLine[];
}

/** The home of one role the person holds (a person with two roles sees two sections). */
export interface HomeSection {
  role: Role;
  title: string;
  entries: HomeEntry[];
}

/**
 * The home page in one call (issue 15): what needs doing for the caller's roles, and a section per role. Every link is
 * to a page the role may open.
 */
export interface HomeSummary {
  attention: AttentionItem[];
  sections: HomeSection[];
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
    summary: '首页：今天需要处理的事项（只列本人角色要处理的）',
  }),
  'home.summary': method<HomeSummary>()({
    input: z.object({}).strict().default({}),
    access: 'any',
    writes: false,
    summary: '首页：按角色的今日概况与需要处理的事项',
  }),
};
