import { Button, Card, Result, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Shell } from './Shell.tsx';
import { UpgradeScreen } from './UpgradeScreen.tsx';

const CentreApp = lazy(() => import('./centre/CentreApp.tsx').then((m) => ({ default: m.CentreApp })));

type Kind = 'loading' | 'school' | 'centre' | 'choose' | 'upgrading' | { problem: string };

/**
 * What the window holds (issue 18): a school ledger (the app as before) or a town centre's database. The shell
 * answers `start.kind` ('choose' at the very first run, before either exists); a backend that does not know the
 * question is a school ledger (the school's contract has no such method), so nothing changes for a school.
 */
async function askKind(): Promise<Kind> {
  const bridge = typeof window !== 'undefined' ? window.canteen : undefined;
  if (!bridge) return 'school';
  try {
    const r = await bridge.invoke('start.kind', {});
    if (r.ok && (r.value === 'centre' || r.value === 'choose' || r.value === 'school' || r.value === 'upgrading')) return r.value;
    return 'school';
  } catch {
    return 'school';
  }
}

export function Root() {
  const [kind, setKind] = useState<Kind>('loading');
  useEffect(() => {
    void askKind().then(setKind);
  }, []);
  // An older ledger being upgraded at start (issue 19): its progress until done, then the question again.
  const upgraded = useCallback(() => void askKind().then(setKind), []);
  const spin = <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;
  if (kind === 'loading') return spin;
  if (kind === 'school') return <Shell />;
  if (kind === 'centre') {
    return (
      <Suspense fallback={spin}>
        <CentreApp />
      </Suspense>
    );
  }
  if (kind === 'choose') return <ChooseKind onChosen={setKind} />;
  if (kind === 'upgrading') return <UpgradeScreen onDone={upgraded} />;
  return <Result status="error" title="无法打开" subTitle={kind.problem} />;
}

/** The first run's question: this computer keeps a school's ledger, or the town centre's database. */
function ChooseKind({ onChosen }: { onChosen: (k: Kind) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const choose = async (kind: 'school' | 'centre') => {
    setBusy(kind);
    const r = await window.canteen.invoke('start.choose', { kind });
    setBusy(null);
    onChosen(r.ok ? kind : { problem: r.error.message });
  };
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: '12vh' }}>
      <Card title="阳光食堂账本 · 首次使用" style={{ width: 560 }}>
        <Typography.Paragraph>这台电脑用来做什么？选定后不再询问。</Typography.Paragraph>
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Button block size="large" type="primary" loading={busy === 'school'} onClick={() => void choose('school')} data-testid="choose-school">
            学校食堂账本（验收入库、伙食费、月结与公示）
          </Button>
          <Button block size="large" loading={busy === 'centre'} onClick={() => void choose('centre')} data-testid="choose-centre">
            镇教育管理中心（登记学校、导入上报包、对比各校）
          </Button>
        </Space>
      </Card>
    </div>
  );
}
