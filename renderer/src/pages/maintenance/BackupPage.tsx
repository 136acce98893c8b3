import { Alert, Button, Card, Descriptions, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo, BackupPreviewInfo, VerifyResult } from '../../../../shared/api/maintenance.ts';
import { call } from '../../api.ts';
import { feedback, showError, toast } from '../../feedback.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import { tableLabel } from '../../../../shared/tables.ts';
import { chinaTime } from '../../labels.ts';
import { useRoles, useSession } from '../../session.ts';
import { HealthNotice, QuickVerifyNotice, useHealth } from './HealthNotice.tsx';
import { canPickPath, pickPath } from './pickPath.ts';
import { WorkProgress } from '../../components/WorkProgress.tsx';
import { OpenFileButtons } from '../../components/OpenFileButtons.tsx';
import { badChecksumMessage, parsePublishedChecksums } from '../../../../shared/anchors.ts';

/** 1536 → "1.5 KB": backups are a few hundred KB to a few hundred MB. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "meal_plans" → "用餐方式（meal_plans）": the table's name from the table registry (shared/tables.ts); else as it is. */
function tableName(t: string): string {
  const label = tableLabel(t);
  return label === t ? t : `${label}（${t}）`;
}

/**
 * 备份与校验: the file check's result (damage first: restore is the remedy), the backups folder's list, a manual
 * backup (into the backups folder, or a folder chosen in the shell's native dialog — a USB stick; where there is no
 * shell, as in a browser, the folder's path is typed, e.g. E:\ or /media/usb), restore with a preview (admin only,
 * as the API allows) of a listed backup or a chosen file, and 校验账本. Accountants back up and verify; reviewers
 * only verify.
 */
export function BackupPage() {
  const roles = useRoles();
  const isAdmin = canCall('backup.restore', roles);
  const canBackup = canCall('backup.create', roles);
  const health = useHealth();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 1100 }}>
      <HealthNotice health={health} />
      <QuickVerifyNotice health={health} />
      {canBackup && <BackupsCard isAdmin={isAdmin} />}
      <VerifyCard />
    </Space>
  );
}

function BackupsCard({ isAdmin }: { isAdmin: boolean }) {
  const [list, setList] = useState<BackupInfo[] | null>(null);
  const [busy, setBusy] = useState<'own' | 'folder' | 'preview' | 'pick' | null>(null);
  const picker = canPickPath();
  const [folder, setFolder] = useState('');
  const [restoreFile, setRestoreFile] = useState('');
  const [preview, setPreview] = useState<BackupPreviewInfo | null>(null);
  /** The backup just made: its file, with 打开所在文件夹 where the shell can open it. */
  const [made, setMade] = useState<string | null>(null);

  const reload = useCallback(() => call('backup.list', {}).then(setList, showError), []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const backup = async (into?: string) => {
    setBusy(into ? 'folder' : 'own');
    try {
      const f = await call('backup.create', into ? { folder: into } : {});
      toast(into ? `已备份到 ${f.file}` : `已备份：${f.name}`);
      setMade(f.file);
      await reload();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  /** The shell's native dialog; a cancel does nothing. */
  const choose = async (kind: 'backupFolder' | 'backupFile') => {
    setBusy('pick');
    let chosen: string | null = null;
    try {
      chosen = await pickPath(kind);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
    if (!chosen) return;
    if (kind === 'backupFolder') await backup(chosen);
    else await openPreview(chosen);
  };

  const openPreview = async (file: string) => {
    setBusy('preview');
    try {
      setPreview(await call('backup.preview', { file }));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title="数据备份" size="small" data-testid="backups">
      <Space wrap style={{ marginBottom: 12 }}>
        <Button type="primary" loading={busy === 'own'} onClick={() => void backup()} data-testid="backup-now">
          立即备份
        </Button>
        {picker ? (
          <Button loading={busy === 'folder' || busy === 'pick'} disabled={busy !== null} onClick={() => void choose('backupFolder')} data-testid="backup-pick-folder">
            备份到 U 盘或其他文件夹…
          </Button>
        ) : (
          <Space.Compact>
            <Input
              style={{ width: 340 }}
              placeholder="文件夹完整路径，如 U 盘 E:\ 或 /media/usb"
              value={folder}
              onChange={(e) => setFolder(e.target.value)}
              onPressEnter={() => folder.trim() && void backup(folder.trim())}
              data-testid="backup-folder"
            />
            <Button loading={busy === 'folder'} disabled={!folder.trim()} onClick={() => void backup(folder.trim())} data-testid="backup-to">
              备份到…
            </Button>
          </Space.Compact>
        )}
      </Space>
      <WorkProgress op="backup" running={busy === 'own' || busy === 'folder'} testId="backup-progress" />
      {made && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="backup-made"
          title={
            <Space wrap>
              <span>已备份：</span>
              <Typography.Text code>{made}</Typography.Text>
              <OpenFileButtons file={made} testId="backup-made-file" />
            </Space>
          }
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        程序每次启动、每天运行时、升级数据前和恢复前都会自动备份到备份文件夹（列表如下，新的在前）。
        {picker ? '要存到 U 盘等别处，请点“备份到 U 盘或其他文件夹…”并选择文件夹' : '要存到 U 盘等别处，请在上面的框里输入文件夹的完整路径'}
        ；每个备份是一个完整文件，可单独恢复。
      </Typography.Paragraph>
      <Table<BackupInfo>
        rowKey="file"
        size="small"
        loading={list === null}
        dataSource={list ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        data-testid="backup-list"
        columns={[
          { title: '备份时间', dataIndex: 'at', width: 170, render: (at: string) => chinaTime(at) },
          { title: '原因', dataIndex: 'reasonLabel', width: 130, render: (l: string, r) => (r.detail ? `${l}（${r.detail}）` : l) },
          { title: '大小', dataIndex: 'sizeBytes', width: 100, align: 'right', render: sizeText },
          { title: '文件', dataIndex: 'name', render: (n: string) => <Typography.Text code>{n}</Typography.Text> },
          ...(isAdmin
            ? [
                {
                  title: '',
                  key: 'restore',
                  width: 110,
                  render: (_: unknown, r: BackupInfo) => (
                    <Button size="small" danger onClick={() => void openPreview(r.file)} data-testid={`restore-${r.name}`}>
                      恢复到此备份
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {isAdmin && picker ? (
        <Button danger style={{ marginTop: 12 }} loading={busy === 'preview' || busy === 'pick'} disabled={busy !== null} onClick={() => void choose('backupFile')} data-testid="restore-pick-file">
          从 U 盘或其他位置的备份文件恢复…
        </Button>
      ) : isAdmin ? (
        <Space.Compact style={{ marginTop: 12 }}>
          <Input
            style={{ width: 420 }}
            placeholder="或输入备份文件的完整路径（如 U 盘上的 .sqlite 备份文件）"
            value={restoreFile}
            onChange={(e) => setRestoreFile(e.target.value)}
            onPressEnter={() => restoreFile.trim() && void openPreview(restoreFile.trim())}
            data-testid="restore-file"
          />
          <Button danger loading={busy === 'preview'} disabled={!restoreFile.trim()} onClick={() => void openPreview(restoreFile.trim())} data-testid="restore-file-preview">
            查看并恢复…
          </Button>
        </Space.Compact>
      ) : (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }} data-testid="restore-admin-only">
          从备份恢复只能由系统管理员操作。
        </Typography.Paragraph>
      )}
      {preview && <RestoreDialog preview={preview} onClose={() => setPreview(null)} />}
    </Card>
  );
}

/** What the backup holds, and a plain warning, before anything is replaced. */
function RestoreDialog({ preview, onClose }: { preview: BackupPreviewInfo; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const lost = useSession((s) => s.lost);
  const c = preview.counts;
  const restore = async () => {
    setBusy(true);
    try {
      const r = await call('backup.restore', { file: preview.file });
      onClose();
      // The backend has logged everyone out (the people and passwords are now the backup's): back to the login page.
      feedback.notification?.success({
        title: '已从备份恢复，请重新登录',
        description: `恢复前的数据已另存为 ${r.preRestoreBackup}`,
        duration: 8,
      });
      window.location.hash = '#/';
      lost();
    } catch (e) {
      showError(e);
      setBusy(false);
    }
  };
  const n = (v: number | null) => (v === null ? '（此版本无）' : String(v));
  return (
    <Modal
      open
      title="从备份恢复"
      onOk={() => void restore()}
      onCancel={onClose}
      width={640}
      destroyOnHidden
      mask={{ closable: false }}
      okText="确认恢复"
      cancelText="取消"
      okButtonProps={{ danger: true, loading: busy, ...{ 'data-testid': 'restore-confirm' } }}
      cancelButtonProps={{ disabled: busy }}
      data-testid="restore-dialog"
    >
      <Descriptions column={1} bordered size="small" styles={{ label: { width: 130 } }} data-testid="restore-preview">
        <Descriptions.Item label="备份文件">
          <Typography.Text code>{preview.file}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="学校">{preview.schoolName ?? '（未设置）'}</Descriptions.Item>
        <Descriptions.Item label="数据版本">{preview.schemaVersion}</Descriptions.Item>
        <Descriptions.Item label="数量">
          用户 {c.users}，供应商 {c.suppliers}，验收单 {n(c.deliveries)}，收据 {n(c.receipts)}，审计记录 {preview.auditEntries}
        </Descriptions.Item>
        <Descriptions.Item label="最后操作时间">{preview.lastAuditAt ? chinaTime(preview.lastAuditAt) : '（无记录）'}</Descriptions.Item>
        <Descriptions.Item label="文件大小">{sizeText(preview.sizeBytes)}</Descriptions.Item>
      </Descriptions>
      <Alert
        style={{ marginTop: 12 }}
        type="warning"
        showIcon
        title="恢复后，当前账本将被整个换成这份备份中的数据"
        description="此备份之后录入的一切都会从账本中消失（恢复前程序会先把当前数据自动备份一份，必要时可再恢复回来）。恢复后所有人都要重新登录，用户和密码以备份中的为准。"
        data-testid="restore-warning"
      />
    </Modal>
  );
}

function VerifyCard() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<VerifyResult | null>(null);
  // 校验码 from published notices (issue 20 item 6): pasted or typed, several separated by commas, spaces or lines.
  const [checksums, setChecksums] = useState('');
  const run = async () => {
    const { values, bad } = parsePublishedChecksums(checksums);
    if (bad.length) {
      showError(new Error(badChecksumMessage(bad[0])));
      return;
    }
    setBusy(true);
    try {
      setResult(await call('integrity.verify', values.length ? { anchors: values } : {}));
    } catch (e) {
      // Stopped by the person (取消): said quietly, the previous result stays.
      if ((e as { code?: string }).code === 'CANCELLED') toast('已取消校验');
      else showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="账本校验" size="small" data-testid="verify">
      <Space style={{ marginBottom: result ? 12 : 0 }}>
        <Button type="primary" loading={busy} onClick={() => void run()} data-testid="verify-run">
          校验账本
        </Button>
        <Typography.Text type="secondary">检查审计记录链、凭证借贷平衡，并逐行核对数据是否被绕过软件直接改动。</Typography.Text>
      </Space>
      <WorkProgress op="verify" running={busy} testId="verify-progress" />
      <Input.TextArea
        style={{ marginBottom: 12 }}
        autoSize={{ minRows: 1, maxRows: 4 }}
        value={checksums}
        onChange={(e) => setChecksums(e.target.value)}
        placeholder="公示校验码（可选）：填入已公示的收支公示表上“校验码：”后的 16 位，可填多个，用逗号或换行分开；核对账本是否仍是公示时的账本"
        data-testid="verify-anchors"
      />
      {result && (
        <div data-testid="verify-result">
          <Alert
            type={result.ok ? 'success' : 'error'}
            showIcon
            title={result.ok ? '正常' : `发现问题（${result.problems.length} 处）`}
            description={result.summary}
          />
          <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
            {result.problems.length > 1 && (
              <Descriptions.Item label="其余问题">
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {result.problems.slice(1, 10).map((p, i) => (
                    <li key={i}>{p.message}</li>
                  ))}
                  {result.problems.length > 10 && <li>……共 {result.problems.length} 处</li>}
                </ul>
              </Descriptions.Item>
            )}
            <Descriptions.Item label="比对的备份">{result.anchor ?? '（无：没有可作比对的本机备份）'}</Descriptions.Item>
            <Descriptions.Item label="外部锚点">
              {result.anchors.length === 0 ? (
                '（无：只能证明账本自身前后一致，不能证明没有被整体改写；请填入公示表上的校验码再校验）'
              ) : (
                <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="verify-anchor-list">
                  {result.anchors.map((a, i) => (
                    <li key={i}>
                      <Tag color={a.ok ? 'green' : 'red'}>{a.ok ? '相符' : '不符'}</Tag>
                      {a.kind === 'backup' ? `备份 ${a.source}` : `公示校验码 ${a.source.slice(0, 16)}`}：{a.detail}
                    </li>
                  ))}
                </ul>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="未逐行核对">
              {result.uncoveredTables.length === 0 ? (
                '（无）'
              ) : (
                <span>
                  以下数据表只检查了文件结构和借贷平衡，未与审计记录逐行核对：
                  {result.uncoveredTables.map((t) => (
                    <Tag key={t} style={{ marginInlineStart: 4 }}>
                      {tableName(t)}
                    </Tag>
                  ))}
                </span>
              )}
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}
    </Card>
  );
}
