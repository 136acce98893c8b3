import { Form, Input, Modal } from 'antd';
import type { ReactNode } from 'react';
import { showError } from '../feedback.ts';
import { chinaToday } from '../labels.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 作废 with a reason (a receipt, a refund): what is voided is said above, the reason is required (an empty one is shown
 * under its field; Enter confirms), and the dialog stays open with the error shown if the core refuses. With
 * `dateLabel` it also asks the day the void is booked on (作废日期, typed YYYY-MM-DD, today by default): a clerk
 * entering last week's books voids on the day it happened; the core refuses a closed month, the future and a day
 * before the document (issue 14 §3).
 */
export function ReasonDialog({ title, okText = '作废', label = '作废理由', dateLabel, children, onConfirm, onClose }: {
  title: string;
  okText?: string;
  label?: string;
  /** Ask the booking date too, under this label (e.g. 作废日期); onConfirm then gets it. */
  dateLabel?: string;
  /** What is being voided and what voiding does. */
  children?: ReactNode;
  /** Does the voiding (and says so); throw to keep the dialog open. */
  onConfirm: (reason: string, date?: string) => Promise<void>;
  onClose: (changed: boolean) => void;
}) {
  const [form] = Form.useForm<{ reason: string; voidDate?: string }>();
  const confirm = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await onConfirm(v.reason, dateLabel ? v.voidDate?.trim() : undefined);
      onClose(true);
    } catch (e) {
      showError(e, form);
    }
  };
  return (
    <Modal
      open
      title={title}
      okText={okText}
      okButtonProps={{ danger: true }}
      cancelText="取消"
      onCancel={() => onClose(false)}
      onOk={confirm}
    >
      {children && <p>{children}</p>}
      <Form form={form} layout="vertical" onFinish={confirm} initialValues={dateLabel ? { voidDate: chinaToday() } : undefined}>
        <Form.Item name="reason" label={label} rules={[{ required: true, whitespace: true, message: `请填写${label}` }]}>
          {/* Alone, the field submits the form on Enter (onFinish); beside the date the browser no longer does, so Enter confirms here too. */}
          <Input autoFocus maxLength={200} data-testid="reason-input" onPressEnter={dateLabel ? () => void confirm() : undefined} />
        </Form.Item>
        {dateLabel && (
          <Form.Item
            name="voidDate"
            label={dateLabel}
            extra="默认今天；补记以前的作废时改为当天的日期（已月结的月份和未来日期不可用）"
            rules={[
              { required: true, whitespace: true, message: `请填写${dateLabel}` },
              { pattern: ISO_DATE, message: `${dateLabel}请按 YYYY-MM-DD 填写，如 ${chinaToday()}` },
            ]}
          >
            <Input maxLength={10} placeholder="YYYY-MM-DD" style={{ width: 160 }} data-testid="reason-date" onPressEnter={() => void confirm()} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
