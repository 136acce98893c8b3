import { Form, Input } from 'antd';

/**
 * The reason a confirmed food-safety record is corrected (cancelled and recorded anew, never edited): required, as
 * the core's lifecycle requires it, in every correction dialog of 留样, 陪餐 and 晨检.
 */
export function CorrectionReason({ autoFocus = false }: { autoFocus?: boolean }) {
  return (
    <Form.Item name="reason" label="更正原因" rules={[{ required: true, whitespace: true, message: '请填写更正原因' }]}>
      <Input maxLength={200} autoFocus={autoFocus} />
    </Form.Item>
  );
}
