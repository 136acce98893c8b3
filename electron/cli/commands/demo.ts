import { seedDemo } from '../../core/demo/index.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: '在新账本中建立演示学校（阳光实验小学）及基础资料，输出各角色的演示账户和密码（JSON）',
  usage: '--db 账本文件 demo',
  async run(c) {
    const b = await c.open({ create: true });
    const { schoolName, accounts } = await seedDemo(b);
    await c.print({ ledger: c.location().file, schoolName, accounts });
    return EXIT_OK;
  },
};
