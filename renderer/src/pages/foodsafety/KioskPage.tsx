import { Alert, Button, Card, Input, Modal, Result, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { KioskView } from '../../../../shared/api/menus.ts';
import { KIOSK_REMARK_MAX, SURVEY_ANSWER_LABELS, SURVEY_ANSWERS, type SurveyAnswer } from '../../../../shared/labels-menus.ts';
import { call, type ApiCallError } from '../../api.ts';
import { navigate } from '../../router.ts';
import { useSession } from '../../session.ts';

/** How long the thank-you stays before the page clears for the next parent (Enter or the button clears it at once). */
const THANKS_MS = 6000;

/**
 * 现场填写 (issue 17): the window handed to the parents. Shown instead of the whole app while the login is in a kiosk
 * session (Shell.tsx; the backend lets nothing else through). One question after another on one page: 1 / 2 / 3 (or
 * ←/→) answers the question in focus, Enter or ↓ moves on, ↑ goes back, the mouse works too; an optional remark; 提交.
 * Then a thank-you, and the page clears for the next parent — nothing of an earlier form is kept or shown. Leaving
 * takes the password of the person who opened it.
 */
export function KioskPage() {
  const session = useSession((s) => s.session)!;
  const signedIn = useSession((s) => s.signedIn);
  const [kiosk, setKiosk] = useState<KioskView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [answers, setAnswers] = useState<(SurveyAnswer | null)[]>([]);
  const [remark, setRemark] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [thanked, setThanked] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [password, setPassword] = useState('');
  const [leaveError, setLeaveError] = useState<string | null>(null);
  const rows = useRef<(HTMLDivElement | null)[]>([]);
  const remarkRef = useRef<HTMLInputElement | null>(null);
  const submitRef = useRef<HTMLButtonElement | null>(null);
  const nextRef = useRef<HTMLButtonElement | null>(null);

  // Each new form (the first, and after each thank-you) starts with the first question in focus, once it is on screen.
  const [round, setRound] = useState(0);
  const fresh = useCallback((k: KioskView) => {
    setAnswers(k.questions.map(() => null));
    setRemark('');
    setError(null);
    setThanked(false);
    setRound((r) => r + 1);
  }, []);
  useEffect(() => {
    if (round > 0) rows.current[0]?.focus();
  }, [round]);

  useEffect(() => {
    call('surveys.kiosk', {}).then(
      (k) => {
        if (!k) {
          // The backend holds no kiosk for this login (closed elsewhere): back to the app.
          signedIn({ ...session, kiosk: undefined });
          return;
        }
        setKiosk(k);
        fresh(k);
      },
      (e: ApiCallError) => setProblem(e.message),
    );
    // Once, when the kiosk page opens: fetching again when `session` changes would re-read the kiosk after signedIn()
    // above has just left it, and `fresh` is stable (useCallback with no deps).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The thank-you clears itself for the next parent.
  useEffect(() => {
    if (!thanked || !kiosk) return;
    nextRef.current?.focus();
    const t = setTimeout(() => fresh(kiosk), THANKS_MS);
    return () => clearTimeout(t);
  }, [thanked, kiosk, fresh]);

  if (problem) return <Result status="error" title="现场填写无法打开" subTitle={problem} />;
  if (!kiosk) return <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;

  const focusRow = (i: number) => {
    if (i < kiosk.questions.length) rows.current[Math.max(0, i)]?.focus();
    else remarkRef.current?.focus();
  };
  const answer = (i: number, a: SurveyAnswer, move: boolean) => {
    setAnswers((prev) => prev.map((x, j) => (j === i ? a : x)));
    setError(null);
    if (move) focusRow(i + 1);
  };
  const onRowKey = (i: number) => (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const n = ['1', '2', '3'].indexOf(e.key);
    if (n >= 0) {
      e.preventDefault();
      answer(i, SURVEY_ANSWERS[n], true);
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      const at = answers[i] ? SURVEY_ANSWERS.indexOf(answers[i]!) : e.key === 'ArrowRight' ? -1 : SURVEY_ANSWERS.length;
      const next = Math.min(SURVEY_ANSWERS.length - 1, Math.max(0, at + (e.key === 'ArrowRight' ? 1 : -1)));
      answer(i, SURVEY_ANSWERS[next], false);
    } else if (e.key === 'Enter' || e.key === 'ArrowDown') {
      e.preventDefault();
      focusRow(i + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      focusRow(i - 1);
    }
  };

  const submit = async () => {
    const missing = answers.findIndex((a) => a === null);
    if (missing >= 0) {
      setError(`第 ${missing + 1} 题“${kiosk.questions[missing]}”还没有回答`);
      focusRow(missing);
      return;
    }
    setBusy(true);
    try {
      await call('surveys.respond', { sessionId: kiosk.id, answers, remark });
      // Nothing of this form stays on the page.
      setAnswers(kiosk.questions.map(() => null));
      setRemark('');
      setThanked(true);
    } catch (e) {
      setError((e as ApiCallError).message);
    } finally {
      setBusy(false);
    }
  };

  const leave = async () => {
    try {
      await call('surveys.kioskClose', { id: kiosk.id, password });
      setPassword('');
      setLeaving(false);
      signedIn({ ...session, kiosk: undefined });
      navigate('/foodsafety/surveys');
    } catch (e) {
      setPassword('');
      setLeaveError((e as ApiCallError).message);
    }
  };

  return (
    <div style={{ minHeight: '100%', background: '#f6f8fb', padding: '24px 0', overflow: 'auto' }} data-testid="kiosk">
      <div style={{ maxWidth: 860, margin: '0 auto' }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          {session.schoolName} 食堂满意度调查（{kiosk.termName}）
        </Typography.Title>
        {thanked ? (
          <div data-testid="kiosk-thanks">
          <Result
            status="success"
            title="谢谢您的参与！"
            subTitle="您的问卷已提交（不记名）。页面将自动清空，请下一位家长填写。"
            extra={
              <Button type="primary" size="large" ref={nextRef} onClick={() => fresh(kiosk)} data-testid="kiosk-next">
                下一位家长填写
              </Button>
            }
          />
          </div>
        ) : (
          <Card>
            <Typography.Paragraph type="secondary">
              每题按 1 满意、2 基本满意、3 不满意（或用 ← → 选择，回车到下一题），也可用鼠标点选；问卷不记名。
            </Typography.Paragraph>
            <Space direction="vertical" style={{ width: '100%' }} size="middle">
              {kiosk.questions.map((q, i) => (
                <div
                  key={q}
                  ref={(el) => {
                    rows.current[i] = el;
                  }}
                  tabIndex={0}
                  role="radiogroup"
                  aria-label={q}
                  data-testid={`kiosk-q-${i}`}
                  onKeyDown={onRowKey(i)}
                  className="kiosk-question"
                  style={{ display: 'flex', alignItems: 'center', gap: 12, padding: '8px 12px', borderRadius: 6, border: '2px solid transparent', outline: 'none' }}
                  onFocus={(e) => (e.currentTarget.style.borderColor = '#1677ff')}
                  onBlur={(e) => (e.currentTarget.style.borderColor = 'transparent')}
                >
                  <Typography.Text strong style={{ width: 180, fontSize: 16 }}>
                    {i + 1}. {q}
                  </Typography.Text>
                  {SURVEY_ANSWERS.map((a, n) => (
                    <Button
                      key={a}
                      size="large"
                      tabIndex={-1}
                      role="radio"
                      aria-checked={answers[i] === a}
                      type={answers[i] === a ? 'primary' : 'default'}
                      danger={answers[i] === a && a === 'dissatisfied'}
                      onClick={() => answer(i, a, false)}
                    >
                      {n + 1} {SURVEY_ANSWER_LABELS[a]}
                    </Button>
                  ))}
                </div>
              ))}
              <div style={{ padding: '0 12px' }}>
                <Typography.Text>意见和建议（可不填，最多 {KIOSK_REMARK_MAX} 字）：</Typography.Text>
                <Input
                  ref={(el) => {
                    remarkRef.current = el?.input ?? null;
                  }}
                  value={remark}
                  maxLength={KIOSK_REMARK_MAX}
                  onChange={(e) => setRemark(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
                      e.preventDefault();
                      submitRef.current?.focus();
                    } else if (e.key === 'ArrowUp') {
                      e.preventDefault();
                      focusRow(kiosk.questions.length - 1);
                    }
                  }}
                  data-testid="kiosk-remark"
                />
              </div>
              {error && <Alert type="error" showIcon message={error} data-testid="kiosk-error" />}
              <Button type="primary" size="large" block ref={submitRef} loading={busy} onClick={() => void submit()} data-testid="kiosk-submit">
                提交
              </Button>
            </Space>
          </Card>
        )}
        <div style={{ textAlign: 'right', marginTop: 24 }}>
          <Button type="link" size="small" onClick={() => (setLeaveError(null), setLeaving(true))} data-testid="kiosk-leave">
            结束现场填写（工作人员）
          </Button>
        </div>
      </div>
      <Modal
        open={leaving}
        title="结束现场填写"
        okText="结束"
        cancelText="取消"
        destroyOnHidden
        onCancel={() => (setLeaving(false), setPassword(''))}
        onOk={() => void leave()}
      >
        <Typography.Paragraph>请开启人 {session.displayName} 输入登录密码。</Typography.Paragraph>
        <Input.Password
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          onPressEnter={() => void leave()}
          data-testid="kiosk-password"
        />
        {leaveError && <Alert type="error" showIcon message={leaveError} style={{ marginTop: 8 }} data-testid="kiosk-leave-error" />}
      </Modal>
    </div>
  );
}
