import type { App, FormInstance } from 'antd';
import { ApiCallError, ERROR_TITLES } from './api.ts';

/**
 * antd's message/notification/modal bound to the app's ConfigProvider (zh_CN). <FeedbackBinder/> inside antd's <App>
 * fills these in; code outside React components (event handlers, helpers) then reports through them.
 */
type AppApi = ReturnType<typeof App.useApp>;
export const feedback: { message: AppApi['message'] | null; notification: AppApi['notification'] | null; modal: AppApi['modal'] | null } = {
  message: null,
  notification: null,
  modal: null,
};

export function toast(text: string): void {
  feedback.message?.success(text);
}

function toNamePath(path: string): (string | number)[] {
  return path.split('.').filter((s) => s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Shows an error to the user in Chinese. With a form, each issue whose path names a field of the form is shown under
 * that field; the rest (and the summary) go to a notification.
 */
export function showError(err: unknown, form?: FormInstance): void {
  if (!(err instanceof ApiCallError)) {
    const text = err instanceof Error ? err.message : String(err);
    feedback.notification?.error({ title: '出错了', description: text });
    return;
  }
  let unmatched = err.issues;
  if (form && err.issues.length > 0) {
    const known = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)));
    const matched = err.issues.filter((i) => known.has(JSON.stringify(toNamePath(i.path))));
    unmatched = err.issues.filter((i) => !matched.includes(i));
    const byField = new Map<string, string[]>();
    for (const i of matched) byField.set(i.path, [...(byField.get(i.path) ?? []), i.message]);
    form.setFields([...byField].map(([path, errors]) => ({ name: toNamePath(path), errors })));
  }
  const title = err.method === 'auth.login' ? '登录失败' : (ERROR_TITLES[err.code] ?? '出错了');
  if (unmatched.length === 0 && err.issues.length > 0) {
    feedback.message?.error(err.message);
    return;
  }
  const details = unmatched.length > 1 ? unmatched.map((i) => i.message).join('；') : undefined;
  feedback.notification?.error({ title, description: details ? `${err.message}（${details}）` : err.message });
}
