import type { SessionInfo } from '../../../shared/api/people.ts';
import { UsageError } from '../args.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';

export const initCommand: CliCommand = {
  name: 'init',
  summary: '新建账本：建立学校（默认区域配置）和第一个系统管理员；密码取自 CANTEEN_PASSWORD 或提示输入',
  usage: '--db 账本文件 init --school 学校名称 --admin 用户名 [--admin-name 管理员姓名]',
  flags: ['school', 'admin', 'admin-name'],
  async run(c) {
    const schoolName = c.requireFlag('school', '学校名称');
    const adminUsername = c.requireFlag('admin', '管理员用户名');
    const adminName = c.flag('admin-name') ?? '系统管理员';
    const password = await c.password(`管理员 ${adminUsername} 的密码（至少 8 位）：`);
    // A typed password is asked twice: nobody can read back what they typed blind, and the admin must get in later.
    if (!c.io.env.CANTEEN_PASSWORD && (await c.password('再次输入密码确认：')) !== password) throw new UsageError('两次输入的密码不一致');
    const b = await c.open({ create: true });
    const r = await b.invoke('setup.init', { schoolName, adminUsername, adminName, password });
    if (!r.ok) return c.reject(r.error);
    const s = r.value as SessionInfo;
    await c.print({ ledger: c.location().file, schoolName: s.schoolName, admin: { username: s.username, displayName: s.displayName, roles: s.roles } });
    return EXIT_OK;
  },
};
