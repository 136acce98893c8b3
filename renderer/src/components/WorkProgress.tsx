import { Button, Progress, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { OperationKind, OperationProgress } from '../../../shared/api/maintenance.ts';
import { call } from '../api.ts';
import { showError } from '../feedback.ts';
import { useSession } from '../session.ts';

/** How often the page asks for progress while its long call runs. */
const POLL_MS = 250;

function seconds(s: number): string {
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} 分 ${s % 60} 秒` : `${Math.floor(m / 60)} 小时 ${m % 60} 分`;
}

/**
 * Where the progress is read and a cancel asked: the school's maintenance.progress / maintenance.cancel by default;
 * the town centre's window passes its own pair (packages.progress / packages.cancel) and its user.
 */
export interface ProgressSource {
  poll: () => Promise<OperationProgress[]>;
  cancel: (id: string) => Promise<unknown>;
  userId: string | null;
}

const schoolPoll = () => call('maintenance.progress', {});
const schoolCancel = (id: string) => call('maintenance.cancel', { id });

/**
 * The progress of this person's long work of one kind (issue 19), shown while `running`: what it is doing, how far (a
 * bar), about how long is left, and 取消 where the work may be stopped. The work runs in the backend off the window's
 * thread; this polls maintenance.progress meanwhile (the long call's own answer ends it).
 */
export function WorkProgress({ op, running, testId, source }: { op: OperationKind; running: boolean; testId: string; source?: ProgressSource }) {
  const schoolUser = useSession((s) => s.session?.userId ?? null);
  const userId = source ? source.userId : schoolUser;
  // Read through a ref: a new function each render must not restart the polling.
  const poll = useRef(source?.poll ?? schoolPoll);
  poll.current = source?.poll ?? schoolPoll;
  const cancel = source?.cancel ?? schoolCancel;
  const [p, setP] = useState<OperationProgress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  useEffect(() => {
    if (!running) {
      setP(null);
      setCancelling(false);
      return;
    }
    let stopped = false;
    const since = new Date(Date.now() - 5_000).toISOString();
    const tick = () => {
      poll.current().then(
        (ops) => {
          if (stopped) return;
          // The newest of this kind that this person started since the button was pressed.
          const mine = ops.filter((o) => o.op === op && o.userId === userId && o.startedAt >= since).at(-1) ?? null;
          setP(mine);
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
  }, [running, op, userId]);
  if (!running) return null;
  const percent = p && p.total > 0 ? Math.min(100, Math.floor((100 * p.done) / p.total)) : 0;
  const eta = p?.etaSeconds ? `，约剩 ${seconds(p.etaSeconds)}` : '';
  return (
    <Space orientation="vertical" size={2} style={{ width: '100%', maxWidth: 520 }} data-testid={testId}>
      <Progress percent={percent} size="small" status="active" data-testid={`${testId}-bar`} />
      <Space>
        <Typography.Text type="secondary" data-testid={`${testId}-step`}>
          {p ? `${p.label}：${p.step}（${percent}%${eta}）` : '正在开始……'}
        </Typography.Text>
        {p?.cancellable && p.state === 'running' && (
          <Button
            size="small"
            loading={cancelling}
            data-testid={`${testId}-cancel`}
            onClick={() => {
              setCancelling(true);
              cancel(p.id).catch((e) => {
                setCancelling(false);
                showError(e);
              });
            }}
          >
            取消
          </Button>
        )}
      </Space>
    </Space>
  );
}
