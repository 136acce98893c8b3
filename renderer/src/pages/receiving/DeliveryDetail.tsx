import { Alert, Button, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { DELIVERY_STATUS_LABELS, DISPOSITION_LABELS, residueReading } from '../../../../shared/labels-receiving.ts';
import type { DeliveryLineView, DeliveryView } from '../../../../shared/api/receiving.ts';
import { CERT_LABELS, STORAGE_LABELS, type CertKind } from '../../../../shared/domain.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { showError, toast } from '../../feedback.ts';
import { chinaTime } from '../../labels.ts';
import { navigate } from '../../router.ts';
import { Attachments } from './Attachments.tsx';
import { formatTenths } from './model.ts';

const STATUS_COLORS = { draft: 'blue', posted: 'green', cancelled: 'default' } as const;
export function StatusTag({ status }: { status: DeliveryView['status'] }) {
  return <Tag color={STATUS_COLORS[status]}>{DELIVERY_STATUS_LABELS[status]}</Tag>;
}

/** A posted or cancelled delivery: read-only, with print, attachments and cancel & amend. */
export function DeliveryDetail({ d, canEdit, reload }: { d: DeliveryView; canEdit: boolean; reload: () => void }) {
  const [cancelOpen, setCancelOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const cancel = async (amend: boolean) => {
    setBusy(true);
    try {
      const r = await call('receiving.cancel', { id: d.id, reason, amend });
      setCancelOpen(false);
      toast(amend ? '原单已作废，请修改更正单后过账' : '已作废');
      if (r.amended) navigate(`/receiving/${r.amended.id}`);
      else reload();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} className="no-print">
        <Button onClick={() => navigate('/receiving')}>返回列表</Button>
        <Button type="primary" onClick={() => navigate(`/receiving/${d.id}/print`)} data-testid="delivery-print-view">
          打印验收单
        </Button>
        {canEdit && d.status === 'posted' && (
          <Button danger onClick={() => setCancelOpen(true)} data-testid="delivery-cancel">
            作废并更正
          </Button>
        )}
        {d.amendedBy && <Button onClick={() => navigate(`/receiving/${d.amendedBy}`)}>查看更正单</Button>}
        {d.amends && <Button onClick={() => navigate(`/receiving/${d.amends}`)}>查看原单 {d.amendsNumber}</Button>}
      </Space>
      {d.status === 'cancelled' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`已作废：${d.cancelReason}（${d.cancelledByName ?? ''} ${d.cancelledAt ? chinaTime(d.cancelledAt) : ''}）`} />}
      <Descriptions size="small" bordered column={3} data-testid="delivery-detail">
        <Descriptions.Item label="验收单号">{d.number ?? '（草稿）'}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <StatusTag status={d.status} />
        </Descriptions.Item>
        <Descriptions.Item label="验收日期">
          {d.date} {d.arrivalTime ?? ''}
        </Descriptions.Item>
        <Descriptions.Item label="供应商">{d.supplierName}</Descriptions.Item>
        <Descriptions.Item label="送货单号">{d.noteNumber || '—'}</Descriptions.Item>
        <Descriptions.Item label="合格金额">¥{formatFen(d.totalFen)}</Descriptions.Item>
        <Descriptions.Item label="验收人">{d.inspectors.map((i) => i.name).join('、')}</Descriptions.Item>
        <Descriptions.Item label="家委会代表">{d.witnessName || '—'}</Descriptions.Item>
        <Descriptions.Item label="过账">{d.postedAt ? `${d.postedByName ?? ''} ${chinaTime(d.postedAt)}` : '—'}</Descriptions.Item>
      </Descriptions>
      <Table<DeliveryLineView>
        style={{ marginTop: 12 }}
        size="small"
        rowKey="lineNo"
        pagination={false}
        dataSource={d.lines}
        data-testid="delivery-lines"
        columns={[
          { title: '品名', dataIndex: 'ingredientName' },
          // Kitchen units (issue 15): as billed, and what it is in the item's own unit
          { title: '送货', render: (_, l) => `${formatMilli(l.receivedMilli)} ${l.receivedUnit ?? l.unit}` },
          { title: '合格', render: (_, l) => (l.unitSizeMilli !== null ? `${formatMilli(l.acceptedMilli)} ${l.receivedUnit} = ${formatMilli(l.baseAcceptedMilli)} ${l.unit}` : formatMilli(l.acceptedMilli)) },
          { title: '拒收', render: (_, l) => (l.rejectedMilli ? <Typography.Text type="danger">{formatMilli(l.rejectedMilli)}（{l.rejectReason}，{l.disposition ? DISPOSITION_LABELS[l.disposition] : ''}）</Typography.Text> : '') },
          { title: '单价', align: 'right', render: (_, l) => formatFen(l.unitPriceFen) },
          { title: '金额', align: 'right', render: (_, l) => (l.differenceFen ? `${formatFen(l.amountFen)}（计算 ${formatFen(l.computedAmountFen)}）` : formatFen(l.amountFen)) },
          { title: '生产日期/批号', render: (_, l) => [l.productionDate, l.batchNo].filter(Boolean).join(' / ') },
          { title: '保质期至', render: (_, l) => l.expiryDate ?? '' },
          { title: '储存/温度', render: (_, l) => `${STORAGE_LABELS[l.storageClass]}${l.temperatureDc !== null ? ` ${formatTenths(l.temperatureDc)}℃` : ''}` },
          { title: '感官', render: (_, l) => (l.packagingOk && l.labelOk && l.freshOk ? '合格' : <Tag color="orange">异常</Tag>) },
          { title: '证明', render: (_, l) => Object.entries(l.certs).map(([k, v]) => <div key={k}>{CERT_LABELS[k as CertKind]}：{v}</div>) },
          {
            title: '农残快检',
            render: (_, l) =>
              l.residueTest && (
                <span data-testid={`delivery-residue-${l.lineNo}`}>
                  {residueReading(l.residueTest.method, l.residueTest.inhibitionTenths, l.residueTest.result)}{' '}
                  <Tag color={l.residueTest.result === 'fail' ? 'red' : 'green'}>{l.residueTest.result === 'fail' ? '不合格' : '合格'}</Tag>
                  {l.residueTest.tester} {l.residueTest.testedTime}
                </span>
              ),
          },
        ]}
      />
      {d.findings.length > 0 && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          title="过账时的警示及说明"
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {d.findings.map((f, i) => (
                <li key={i}>
                  {f.message}
                  {(() => {
                    const n = d.warningNotes.find((w) => w.code === f.code && w.lineIndex === (f.lineIndex ?? null));
                    return n ? `——说明：${n.note}` : '';
                  })()}
                </li>
              ))}
              {d.warningNote && <li>整单说明：{d.warningNote}</li>}
            </ul>
          }
        />
      )}
      <Attachments delivery={d} canEdit={canEdit} onChanged={reload} />
      <Modal open={cancelOpen} title={`作废验收单 ${d.number}`} onCancel={() => setCancelOpen(false)} footer={null} destroyOnHidden>
        <Typography.Paragraph>作废会冲销该单的记账凭证；选择“作废并生成更正单”会复制一张指向原单的草稿供修改后重新过账。</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label="作废原因" required>
            <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} autoFocus data-testid="cancel-reason" />
          </Form.Item>
        </Form>
        <Space>
          <Button type="primary" danger loading={busy} disabled={!reason.trim()} onClick={() => cancel(true)} data-testid="cancel-amend">
            作废并生成更正单
          </Button>
          <Button loading={busy} disabled={!reason.trim()} onClick={() => cancel(false)}>
            仅作废
          </Button>
        </Space>
      </Modal>
    </>
  );
}
