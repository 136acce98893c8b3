import fs from 'node:fs';
import path from 'node:path';
import type { PackageResult, SigningKeyInfo } from '../../../shared/api/monthclose.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { monthArg } from './close-month.ts';

/**
 * 上报包 (issue 18): writes a closed month's signed package into --out through monthclose.package — one file per
 * school, month and revision, named with the school code (docs/PACKAGE.md). --code is needed the first time, when the
 * installation's signing key is made for that school code.
 */
export const packageMonthCommand: CliCommand = {
  name: 'package-month',
  summary: '生成已月结月份的上报包（签名的公示工作簿与月度数据）到 --out 文件夹；首次使用须加 --code 学校代码',
  usage: '--db 账本文件 --user 用户名 package-month YYYY-MM|last-month --out 文件夹 [--code 学校代码]',
  flags: ['out', 'code'],
  async run(c) {
    const month = monthArg(c.positionals, 'package-month');
    const dir = path.resolve(c.requireFlag('out', '输出文件夹'));
    const b = await c.open({ create: false });
    await c.login(b);
    const r = await b.invoke('monthclose.package', { month, dir, ...(c.flag('code') ? { schoolCode: c.flag('code') } : {}) });
    if (!r.ok) return c.reject(r.error);
    const v = r.value as PackageResult;
    await c.print(v);
    return EXIT_OK;
  },
};

/** The installation's signing key: made on first use with --code, then shown for the enrolment sheet. */
export const keyCommand: CliCommand = {
  name: 'key',
  summary: '显示本机上报签名密钥的学校代码与公钥指纹（交中心登记）；尚无密钥时用 --code 学校代码 生成',
  usage: '--db 账本文件 --user 管理员 key [--code 学校代码] [--out 登记表.json]',
  flags: ['code', 'out'],
  async run(c) {
    const b = await c.open({ create: false });
    await c.login(b);
    const r = await b.invoke('monthclose.signingKey', c.flag('code') ? { schoolCode: c.flag('code') } : {});
    if (!r.ok) return c.reject(r.error);
    const v = r.value as SigningKeyInfo;
    // The enrolment sheet as a file too, for the centre's `centre enrol --sheet` (USB stick): the centre still compares
    // the fingerprint it prints with the one on the paper sheet the principal signs — the file carries no trust itself.
    const out = c.flag('out');
    if (out) fs.writeFileSync(path.resolve(out), JSON.stringify({ schoolCode: v.schoolCode, schoolName: v.schoolName, fingerprint: v.fingerprint }, null, 2) + '\n');
    await c.print({ ...v, enrolment: `学校代码 ${v.schoolCode}　学校名称 ${v.schoolName}　公钥指纹 ${v.fingerprint}`, ...(out ? { sheet: path.resolve(out) } : {}) });
    return EXIT_OK;
  },
};
