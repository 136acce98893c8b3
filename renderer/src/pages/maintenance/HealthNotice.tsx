import { Alert, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { HealthInfo } from '../../../../shared/api/maintenance.ts';
import { call } from '../../api.ts';
import { chinaTime } from '../../labels.ts';

/** Polls integrity.health while the check after start (or the quick verify after it) is still running. */
export function useHealth(): HealthInfo | null {
  const [h, setH] = useState<HealthInfo | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      call('integrity.health', {}).then(
        (v) => {
          if (stop) return;
          setH(v);
          if (v.status === 'pending' || v.quick?.status === 'pending') timer = setTimeout(poll, 2000);
        },
        () => {},
      );
    void poll();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, []);
  return h;
}

/**
 * The file check's result: damage as a red notice telling the person to restore from a backup (the one remedy); a
 * quiet line otherwise. `compact` for the 关于 page's table row.
 */
export function HealthNotice({ health, compact = false }: { health: HealthInfo | null; compact?: boolean }) {
  if (!health) return compact ? <Typography.Text type="secondary">…</Typography.Text> : null;
  if (health.status === 'damaged') {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="health-damaged"
        title="账本文件已损坏，请从备份恢复"
        description={
          <>
            启动后的文件检查（{health.checkedAt ? chinaTime(health.checkedAt) : ''}）发现账本文件有损坏的页：
            <Typography.Text code>{health.problems.slice(0, 3).join('；')}</Typography.Text>
            。请停止录入，由系统管理员在“设置 → 备份与校验”中选择损坏之前的备份恢复（恢复前程序会先另存当前文件）。
            {health.restoreNote ?? ''}
          </>
        }
      />
    );
  }
  const text =
    health.status === 'ok'
      ? `正常（${health.checkedAt ? chinaTime(health.checkedAt) : ''} 检查）`
      : health.status === 'pending'
        ? '正在后台检查账本文件…'
        : health.problems[0] ?? '本次启动未检查';
  return compact ? (
    <span data-testid={`health-${health.status}`}>{text}</span>
  ) : (
    <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }} data-testid={`health-${health.status}`}>
      账本文件检查：{text}
    </Typography.Paragraph>
  );
}

/**
 * The daily sealed quick verify run after a clean file check: when, how long, and what it found; a red notice when it
 * found a problem (the remedy: a full verify on 备份与校验). `compact` for the 关于 page's table row.
 */
export function QuickVerifyNotice({ health, compact = false }: { health: HealthInfo | null; compact?: boolean }) {
  const q = health?.quick;
  if (!q) {
    if (!compact) return null;
    return <Typography.Text type="secondary">{health?.status === 'pending' ? '文件检查完成后进行' : '本次启动未进行'}</Typography.Text>;
  }
  const when = q.checkedAt ? `${chinaTime(q.checkedAt)}，用时 ${((q.ms ?? 0) / 1000).toFixed(1)} 秒` : '';
  if (q.status === 'failed' && !compact) {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="quick-verify-failed"
        title="每日快速校验发现账本数据与审计记录不符"
        description={
          <>
            启动后的快速校验（{when}）发现 {q.problems.length} 处问题：
            <Typography.Text code>{q.problems.slice(0, 3).join('；')}</Typography.Text>
            。账本可能被绕过软件直接改动，请在下方做完整校验查明。
          </>
        }
      />
    );
  }
  const text = q.status === 'pending' ? '正在后台快速校验…' : q.status === 'failed' ? `未通过（${when}）：${q.problems[0] ?? ''}` : `${q.summary}${when ? `（${when}）` : ''}`;
  return compact ? (
    <span data-testid={`quick-verify-${q.status}`}>{text}</span>
  ) : (
    <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }} data-testid={`quick-verify-${q.status}`}>
      每日快速校验：{text}
    </Typography.Paragraph>
  );
}
