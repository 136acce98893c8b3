import { Form, Input, Modal } from 'antd';
import type { ReactNode } from 'react';
import { showError } from '../feedback.ts';

/**
 * 作废 with a reason (a receipt, a refund): what is voided is said above, the reason is required (an empty one is shown
 * under its field; Enter confirms), and the dialog stays open with the error shown if the core refuses.
 */
export function ReasonDialog({ title, okText = '作废', label = '作废理由', children, onConfirm, onClose }: {
  title: string;
  okText?: string;
  label?: string;
  /** What is being voided and what voiding does. */
  children?: ReactNode;
  /** Does the voiding (and says so); throw to keep the dialog open. */
  onConfirm: (reason: string) => Promise<void>;
  onClose: (changed: boolean) => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const confirm = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await onConfirm(v.reason);
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
      <Form form={form} layout="vertical" onFinish={confirm}>
        <Form.Item name="reason" label={label} rules={[{ required: true, whitespace: true, message: `请填写${label}` }]}>
          <Input autoFocus maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
