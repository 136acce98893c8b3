import { Alert, Card, Descriptions, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/api/app.ts';
import { call } from '../api.ts';
import { showError } from '../feedback.ts';
import { HealthNotice, QuickVerifyNotice, useHealth } from './maintenance/HealthNotice.tsx';

const Path = ({ value }: { value: string | null }) =>
  value ? (
    <Typography.Text copyable code>
      {value}
    </Typography.Text>
  ) : (
    <Typography.Text type="secondary">（内存账本，无文件）</Typography.Text>
  );

/** 关于: the version, and where this installation keeps the ledger, its backups and logs (for support and for backups). */
export function AboutPage() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const health = useHealth();
  useEffect(() => {
    call('app.info', {}).then(setInfo, showError);
  }, []);
  if (!info) return <Spin />;
  const runtime = [
    info.runtime.electron ? `Electron ${info.runtime.electron}` : null,
    info.runtime.chrome ? `Chromium ${info.runtime.chrome}` : null,
    `Node ${info.runtime.node}`,
    `${info.runtime.platform}-${info.runtime.arch}`,
  ]
    .filter(Boolean)
    .join('，');
  return (
    <Card title={`关于${info.productName}`} size="small" style={{ maxWidth: 980 }} data-testid="about">
      <Descriptions column={1} bordered size="small" styles={{ label: { width: 140 } }}>
        <Descriptions.Item label="软件版本">{info.version}</Descriptions.Item>
        <Descriptions.Item label="数据文件夹">
          <Path value={info.dataDir} />
        </Descriptions.Item>
        <Descriptions.Item label="账本文件">
          <Path value={info.ledgerFile} />
        </Descriptions.Item>
        <Descriptions.Item label="备份文件夹">
          <Path value={info.backupsDir} />
        </Descriptions.Item>
        <Descriptions.Item label="日志文件夹">
          <Path value={info.logsDir} />
        </Descriptions.Item>
        <Descriptions.Item label="数据版本">
          {info.schemaVersion}
          {info.schemaVersion === info.latestSchemaVersion ? '（最新）' : `（本软件支持到 ${info.latestSchemaVersion}）`}
        </Descriptions.Item>
        <Descriptions.Item label="安装标识">
          <Typography.Text copyable code>
            {info.installationId}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="运行环境">{runtime}</Descriptions.Item>
        <Descriptions.Item label="账本文件检查">{health?.status === 'damaged' ? '发现损坏（见下方）' : <HealthNotice health={health} compact />}</Descriptions.Item>
        <Descriptions.Item label="每日快速校验">
          <QuickVerifyNotice health={health} compact />
        </Descriptions.Item>
      </Descriptions>
      {health?.status === 'damaged' && (
        <div style={{ marginTop: 12 }}>
          <HealthNotice health={health} />
        </div>
      )}
      <Alert
        style={{ marginTop: 12 }}
        type="info"
        showIcon
        title="账本必须放在本机硬盘上"
        description="请不要把数据文件夹移到网络共享、网络驱动器或 OneDrive、坚果云、百度网盘等同步文件夹：SQLite 账本在那里可能丢失数据，程序会拒绝打开。需要异地留存时，请复制备份文件夹里的备份文件。"
      />
    </Card>
  );
}
