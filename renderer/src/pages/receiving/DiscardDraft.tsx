import { Button, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../api.ts';
import { showError, toast } from '../../feedback.ts';

/** The usual reasons a draft is given up (the text is kept with the cancelled draft and in the audit trail). */
export const DISCARD_REASONS = ['供应商证照不全，本批不予验收', '重复录入', '送货取消或整批退回', '录入有误，已重新录入', '其他'] as const;

/** The reason as recorded: the chosen one, followed by what was typed (required for 其他). */
export function discardReason(choice: string | undefined, text: string): string {
  const t = text.trim();
  if (!choice) return '';
  if (choice === '其他') return t;
  return t ? `${choice}：${t}` : choice;
}

/**
 * 作废草稿: a draft that cannot or should not be posted (a rule blocks it, it was typed twice) is cancelled with a reason,
 * so the month can close (月结 allows no draft). Nothing was booked, so nothing is reversed.
 */
export function DiscardDraft({ id, label, onDone, size }: { id: string; label: string; onDone: () => void; size?: 'small' | 'middle' }) {
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const reason = discardReason(choice, text);
  const submit = async () => {
    if (!reason) return;
    setBusy(true);
    try {
      await call('receiving.discard', { id, reason });
      toast('草稿已作废');
      setOpen(false);
      onDone();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        danger
        size={size}
        onClick={(e) => {
          e.stopPropagation();
          setChoice(undefined);
          setText('');
          setOpen(true);
        }}
        data-testid={`delivery-discard${size === 'small' ? `-${id}` : ''}`}
      >
        作废草稿
      </Button>
      <Modal open={open} title={`作废草稿：${label}`} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        {/* stopPropagation: the modal is portalled, but React still bubbles its clicks to a table row around the button */}
        <div onClick={(e) => e.stopPropagation()}>
          <Typography.Paragraph>草稿尚未记账，作废后不能再修改或过账，原因会留在记录中。</Typography.Paragraph>
          <Form layout="vertical" onFinish={submit}>
            {/* From the keyboard: the first reason has the focus, arrows choose, Tab goes on to the note, Enter confirms. */}
            <Form.Item label="作废原因" required>
              <Radio.Group name="discard-reason" value={choice} onChange={(e) => setChoice(e.target.value as string)} data-testid="discard-choice">
                <Space orientation="vertical">
                  {DISCARD_REASONS.map((r, i) => (
                    <Radio key={r} value={r} autoFocus={i === 0}>
                      {r}
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            </Form.Item>
            <Form.Item label={choice === '其他' ? '说明（必填）' : '补充说明（可空）'}>
              <Input value={text} onChange={(e) => setText(e.target.value)} maxLength={150} data-testid="discard-text" />
            </Form.Item>
            <Space>
              <Button type="primary" danger htmlType="submit" loading={busy} disabled={!reason} data-testid="discard-confirm">
                作废草稿
              </Button>
              <Button onClick={() => setOpen(false)}>取消</Button>
            </Space>
          </Form>
        </div>
      </Modal>
    </>
  );
}
