import { Card, Progress, Result, Typography } from 'antd';
import { useEffect, useState } from 'react';

/** What the shell answers to start.upgrade (electron/shell/upgrade-at-start.ts UpgradeView). */
interface UpgradeView {
  state: 'running' | 'done' | 'failed';
  label: string;
  from: number;
  to: number;
  phase: 'backup' | 'migrate' | null;
  step: string;
  done: number;
  total: number;
  etaSeconds: number | null;
  backupFile: string | null;
  note: string;
  message: string | null;
}

const POLL_MS = 250;

function seconds(s: number): string {
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} 分 ${s % 60} 秒` : `${Math.floor(m / 60)} 小时 ${m % 60} 分`;
}

/**
 * A ledger of an older version is being upgraded at start (issue 19): its backup and the migration steps run in the
 * shell's worker thread; this screen polls start.upgrade and shows the phase, the step, a bar, about how long is left
 * and where the backup went — no 取消 (the note says why). When it is done the page asks what to open again.
 */
export function UpgradeScreen({ onDone }: { onDone: () => void }) {
  const [v, setV] = useState<UpgradeView | null>(null);
  useEffect(() => {
    let stopped = false;
    const tick = () => {
      window.canteen.invoke('start.upgrade', {}).then(
        (r) => {
          if (stopped) return;
          const view = r.ok ? (r.value as UpgradeView | null) : null;
          if (!view || view.state === 'done') {
            stopped = true;
            onDone();
            return;
          }
          setV(view);
        },
        () => {},
      );
    };
    tick();
    const timer = setInterval(tick, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [onDone]);
  if (v?.state === 'failed') return <Result status="error" title="账本升级失败" subTitle={v.message} data-testid="upgrade-failed" />;
  const percent = v && v.total > 0 ? Math.min(100, Math.floor((100 * v.done) / v.total)) : 0;
  const phase = v?.phase === 'backup' ? '第一阶段（共两阶段）：升级前备份' : v?.phase === 'migrate' ? '第二阶段（共两阶段）：升级数据结构' : '正在开始……';
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: '12vh' }}>
      <Card title="阳光食堂账本 · 正在升级账本数据" style={{ width: 600 }} data-testid="upgrade-screen">
        {v && (
          <Typography.Paragraph>
            账本来自较早的版本（数据版本 {v.from}），正在升级到数据版本 {v.to}。账目多时需要几分钟，请不要关闭电脑。
          </Typography.Paragraph>
        )}
        <Typography.Text strong data-testid="upgrade-phase">{phase}</Typography.Text>
        <Progress percent={percent} status="active" data-testid="upgrade-bar" />
        <Typography.Paragraph type="secondary" data-testid="upgrade-step">
          {v ? `${v.step}（${percent}%${v.etaSeconds ? `，约剩 ${seconds(v.etaSeconds)}` : ''}）` : '正在开始……'}
        </Typography.Paragraph>
        {v?.backupFile && <Typography.Paragraph type="secondary">升级前备份：{v.backupFile}</Typography.Paragraph>}
        {v && <Typography.Paragraph type="secondary" data-testid="upgrade-note">{v.note}</Typography.Paragraph>}
      </Card>
    </div>
  );
}
