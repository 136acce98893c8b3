import { Alert, Button, Card, List, Typography } from 'antd';
import { useState } from 'react';
import type { CentreVerifyResult } from '../../../shared/centre/api.ts';
import { centreCall } from './centreApi.ts';

/**
 * 数据校验 (centre admin): the centre's audit chain re-derived and every table compared with it (centre.verify;
 * `canteen centre verify` does the same) — each change made to the DuckDB file outside this program named in Chinese.
 */
export function VerifyPage() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<CentreVerifyResult | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await centreCall('centre.verify', {}));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="核对中心数据库：审计记录首尾相接，学校、用户、食材对应与导入的上报包数据与审计记录一致">
      <Typography.Paragraph type="secondary">
        每次登记、导入、食材对应与新增用户都记入带哈希链的审计记录；校验重新计算哈希链，并把各表与审计记录逐项核对，找出绕过本软件直接改动数据库的地方。
      </Typography.Paragraph>
      <Button type="primary" loading={busy} onClick={() => void run()} data-testid="centre-verify-run">
        开始校验
      </Button>
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} />}
      {result && (
        <div style={{ marginTop: 16 }} data-testid="centre-verify-result">
          <Alert type={result.ok ? 'success' : 'error'} showIcon message={result.summary} />
          {!result.ok && (
            <List
              style={{ marginTop: 12 }}
              size="small"
              bordered
              header={`发现 ${result.problems.length} 处问题`}
              dataSource={result.problems}
              renderItem={(p) => <List.Item data-testid="centre-verify-problem">{p}</List.Item>}
            />
          )}
        </div>
      )}
    </Card>
  );
}
