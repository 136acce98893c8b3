import type { Role } from '../../../shared/roles.ts';
import type { DemoStep } from './types.ts';

/** One account per role, two storekeepers so that deliveries can be inspected by two people. */
export const DEMO_PEOPLE: { username: string; displayName: string; roles: Role[] }[] = [
  { username: 'admin', displayName: '王建国', roles: ['admin'] },
  { username: 'storekeeper', displayName: '张秀英', roles: ['storekeeper'] },
  { username: 'storekeeper2', displayName: '李明', roles: ['storekeeper'] },
  { username: 'cashier', displayName: '陈静', roles: ['cashier'] },
  { username: 'accountant', displayName: '刘芳', roles: ['accountant'] },
  { username: 'reviewer', displayName: '赵卫东', roles: ['reviewer'] },
  { username: 'parent', displayName: '周晓燕', roles: ['parent'] },
];

/** Demo passwords are printed for people trying the app; a real school sets its own at first run. */
export const demoPassword = (username: string) => `demo-${username}`;

export const schoolAndPeople: DemoStep = {
  name: '学校与用户',
  async run(d) {
    const [admin, ...others] = DEMO_PEOPLE;
    await d.call('setup.init', { schoolName: d.schoolName, adminUsername: admin.username, adminName: admin.displayName, password: demoPassword(admin.username) });
    d.accounts.push({ ...admin, password: demoPassword(admin.username) });
    for (const p of others) {
      await d.call('users.create', { ...p, password: demoPassword(p.username) });
      d.accounts.push({ ...p, password: demoPassword(p.username) });
    }
  },
};
