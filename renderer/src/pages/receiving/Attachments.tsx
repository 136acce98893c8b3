import { Button, Card, Image, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ATTACHMENT_KIND_LABELS, ATTACHMENT_KINDS, ATTACHMENT_MAX_BYTES } from '../../../../shared/labels-receiving.ts';
import type { AttachmentKind, AttachmentMime, AttachmentView, DeliveryView } from '../../../../shared/api/receiving.ts';
import { CERT_LABELS } from '../../../../shared/domain.ts';
import { call } from '../../api.ts';
import { showError, toast } from '../../feedback.ts';
import { readAsBase64 } from '../../components/files.ts';

const MIMES: AttachmentMime[] = ['image/jpeg', 'image/png', 'application/pdf'];

/** An image shown scaled down (the browser does the thumbnail); a PDF opens in a new window from a blob URL. */
function Thumb({ a }: { a: AttachmentView }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('receiving.attachmentData', { id: a.id }).then((d) => live && setSrc(`data:${d.mime};base64,${d.dataBase64}`), showError);
    return () => {
      live = false;
    };
  }, [a.id]);
  if (!src) return <div style={{ width: 96, height: 96, background: '#fafafa' }} />;
  if (a.mime === 'application/pdf') {
    return (
      <Button
        style={{ width: 96, height: 96 }}
        onClick={() => {
          const bytes = Uint8Array.from(atob(src.replace(/^data:[^,]*,/, '')), (c) => c.charCodeAt(0));
          window.open(URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' })));
        }}
      >
        PDF
      </Button>
    );
  }
  return <Image src={src} width={96} height={96} style={{ objectFit: 'cover' }} alt={a.fileName} />;
}

/** 索证索票: photos and scans of the delivery note and certificates, kept until shelf life + 6 months. */
export function Attachments({ delivery, canEdit, onChanged }: { delivery: DeliveryView; canEdit: boolean; onChanged: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<AttachmentKind>('delivery_note');
  const [busy, setBusy] = useState(false);
  const upload = async (files: FileList | null) => {
    if (!files) return;
    setBusy(true);
    try {
      for (const f of [...files]) {
        if (!MIMES.includes(f.type as AttachmentMime)) throw new Error(`${f.name}：只能上传 JPG、PNG 图片或 PDF 文件`);
        if (f.size > ATTACHMENT_MAX_BYTES) throw new Error(`${f.name}：文件不能超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`);
        await call('receiving.attach', { deliveryId: delivery.id, kind, fileName: f.name, mime: f.type as AttachmentMime, dataBase64: await readAsBase64(f) });
      }
      toast('附件已保存');
      onChanged();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  const remove = async (a: AttachmentView) => {
    try {
      await call('receiving.deleteAttachment', { id: a.id, reason: '保存期满清理' });
      onChanged();
    } catch (e) {
      showError(e);
    }
  };
  return (
    <Card size="small" title={`附件（送货单、证明照片）${delivery.attachments.length ? ` · ${delivery.attachments.length}` : ''}`} style={{ marginTop: 12 }} className="no-print" data-testid="attachments">
      {canEdit && delivery.status !== 'cancelled' && (
        <Space style={{ marginBottom: 8 }}>
          <Select value={kind} onChange={setKind} style={{ width: 110 }} options={ATTACHMENT_KINDS.map((k) => ({ value: k, label: ATTACHMENT_KIND_LABELS[k] }))} />
          <input ref={input} type="file" accept="image/jpeg,image/png,application/pdf" multiple style={{ display: 'none' }} onChange={(e) => void upload(e.target.files)} data-testid="attachment-input" />
          <Button loading={busy} onClick={() => input.current?.click()}>
            上传照片或扫描件
          </Button>
          <Typography.Text type="secondary">JPG、PNG 或 PDF，每个不超过 10 MB</Typography.Text>
        </Space>
      )}
      <Space wrap>
        {delivery.attachments.map((a) => (
          <div key={a.id} style={{ width: 120 }}>
            <Thumb a={a} />
            <div style={{ fontSize: 12 }}>
              <Tag>{ATTACHMENT_KIND_LABELS[a.kind]}</Tag>
              {a.certKind ? CERT_LABELS[a.certKind] : a.lineNo ? `第 ${a.lineNo} 行` : ''}
              <div title={a.fileName} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                {a.fileName}
              </div>
              <Typography.Text type="secondary">保存至 {a.keepUntil}</Typography.Text>
              {canEdit && (
                <Popconfirm title="保存期未满的附件不能删除，确定尝试删除？" onConfirm={() => remove(a)} okText="删除" cancelText="取消">
                  <Button size="small" type="link" danger>
                    删除
                  </Button>
                </Popconfirm>
              )}
            </div>
          </div>
        ))}
        {delivery.attachments.length === 0 && <Typography.Text type="secondary">暂无附件</Typography.Text>}
      </Space>
    </Card>
  );
}
