import { Button, Form, Modal, Space, type FormInstance, type FormProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { showError } from '../feedback.ts';
import { enterToNext } from './enterToNext.ts';

/**
 * Runs a save with a busy flag: the button spins while it runs, and a refusal is shown (under the form's fields where
 * the error names them) instead of thrown. One place for the try/catch/finally every dialog needs.
 */
export function useSubmit<V>(run: (v: V) => Promise<void>, form?: FormInstance): [busy: boolean, submit: (v: V) => Promise<void>] {
  const [busy, setBusy] = useState(false);
  const submit = async (v: V) => {
    setBusy(true);
    try {
      await run(v);
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };
  return [busy, submit];
}

interface FormDialogProps<V> {
  title: string;
  form: FormInstance<V>;
  /** Saves; throw to keep the dialog open (the error is shown). Close the dialog yourself on success. */
  onSubmit: (v: V) => Promise<void>;
  onCancel: () => void;
  children: ReactNode;
  initialValues?: FormProps<V>['initialValues'];
  width?: number;
  layout?: 'horizontal' | 'vertical';
  /** With the horizontal layout: the labels' column span (the buttons are offset by it). */
  labelSpan?: number;
  /** Show the fields only: no save button, every field disabled. */
  readOnly?: boolean;
  submitLabel?: string;
  /** A click outside must not lose what was typed (off for a one-field dialog). */
  keepOnMaskClick?: boolean;
  'data-testid'?: string;
}

/** A modal form: Enter moves from field to field and on the last saves; 保存 (or `submitLabel`) and 取消 below. */
export function FormDialog<V>(p: FormDialogProps<V>) {
  const [busy, submit] = useSubmit(p.onSubmit, p.form);
  const horizontal = p.layout !== 'vertical';
  const buttons = (
    <Space>
      <Button type="primary" htmlType="submit" loading={busy}>
        {p.submitLabel ?? '保存'}
      </Button>
      <Button onClick={p.onCancel}>取消</Button>
    </Space>
  );
  return (
    <Modal open title={p.title} width={p.width} onCancel={p.onCancel} footer={null} destroyOnHidden mask={p.keepOnMaskClick === false ? undefined : { closable: false }}>
      <Form<V>
        form={p.form}
        layout={p.layout ?? 'horizontal'}
        labelCol={horizontal ? { span: p.labelSpan ?? 5 } : undefined}
        initialValues={p.initialValues}
        onFinish={submit}
        onKeyDownCapture={enterToNext}
        disabled={p.readOnly}
        data-testid={p['data-testid']}
      >
        {p.children}
        {!p.readOnly && (horizontal ? <Form.Item wrapperCol={{ offset: p.labelSpan ?? 5 }}>{buttons}</Form.Item> : buttons)}
      </Form>
    </Modal>
  );
}
