import { Alert, Button, Card, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { CentreImportOutcome } from '../../../shared/centre/api.ts';
import { WorkProgress, type ProgressSource } from '../components/WorkProgress.tsx';
import { centreCall } from './centreApi.ts';

const STATUS: Record<CentreImportOutcome['status'], { label: string; color: string }> = {
  imported: { label: '已导入', color: 'green' },
  unchanged: { label: '无需导入', color: 'default' },
  refused: { label: '已拒收', color: 'red' },
};

/**
 * 导入上报包: a folder (a USB stick, a shared folder); every *.canteen-pkg.json in it is checked and imported whole or
 * refused whole, each with its Chinese reason. Importing the same folder again changes nothing. While a folder imports
 * (a town's year: minutes) the school's progress line shows which package of how many, about how long is left, and
 * 取消 (the packages already imported stay; issue 19).
 */
export function ImportPage({ username }: { username: string }) {
  const source: ProgressSource = {
    poll: () => centreCall('packages.progress', {}),
    cancel: (id) => centreCall('packages.cancel', { id }),
    userId: username,
  };
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; cancelled: boolean } | null>(null);
  const [outcomes, setOutcomes] = useState<CentreImportOutcome[] | null>(null);
  const pick = async () => {
    const r = await window.canteen.pickPath?.('packageFolder');
    if (r?.ok && r.value) setDir(r.value);
  };
  const run = async () => {
    setBusy(true);
    setError(null);
    setOutcomes(null);
    try {
      setOutcomes(await centreCall('packages.import', { dir }));
    } catch (e) {
      // A cancel is the person's own choice (the packages already in stay): said as a warning, not an error.
      setError({ message: (e as Error).message, cancelled: (e as { code?: string }).code === 'CANCELLED' });
    } finally {
      setBusy(false);
    }
  };
  const count = (s: CentreImportOutcome['status']) => outcomes?.filter((o) => o.status === s).length ?? 0;
  return (
    <>
      <Card title="选择上报包所在的文件夹（U 盘、共享文件夹）" style={{ marginBottom: 16 }}>
        <Space.Compact style={{ width: '100%' }}>
          <Input value={dir} onChange={(e) => setDir(e.target.value)} onPressEnter={() => void run()} placeholder="文件夹路径" data-testid="import-dir" />
          {window.canteen.pickPath && <Button onClick={() => void pick()}>选择文件夹…</Button>}
          <Button type="primary" loading={busy} disabled={!dir.trim()} onClick={() => void run()} data-testid="import-run">
            导入
          </Button>
        </Space.Compact>
        <div style={{ marginTop: busy ? 12 : 0 }}>
          <WorkProgress op="import" running={busy} testId="centre-import-progress" source={source} />
        </div>
        {error && <Alert style={{ marginTop: 12 }} type={error.cancelled ? 'warning' : 'error'} showIcon message={error.message} data-testid="import-error" />}
        {outcomes && (
          <Alert
            style={{ marginTop: 12 }}
            type={count('refused') ? 'warning' : 'success'}
            showIcon
            data-testid="import-summary"
            message={`共 ${outcomes.length} 个上报包：已导入 ${count('imported')} 个，无需导入 ${count('unchanged')} 个，已拒收 ${count('refused')} 个`}
          />
        )}
      </Card>
      {outcomes && (
        <Table
          size="small"
          rowKey="file"
          pagination={false}
          dataSource={outcomes}
          data-testid="import-outcomes"
          columns={[
            { title: '文件', dataIndex: 'file', render: (f: string) => f.split(/[\\/]/).pop() },
            { title: '学校代码', dataIndex: 'schoolCode', width: 120, render: (c: string | null) => c ?? '—' },
            { title: '月份', dataIndex: 'month', width: 90, render: (m: string | null) => m ?? '—' },
            { title: '版本', dataIndex: 'revision', width: 60, render: (r: number | null) => r ?? '—' },
            { title: '结果', dataIndex: 'status', width: 90, render: (s: CentreImportOutcome['status']) => <Tag color={STATUS[s].color}>{STATUS[s].label}</Tag> },
            { title: '说明', dataIndex: 'message' },
          ]}
        />
      )}
    </>
  );
}
