import { Alert, Button, Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AttentionItem, HomeEntry, HomeLine, HomeSummary } from '../../../shared/api/audit.ts';
import { call } from '../api.ts';
import { showError } from '../feedback.ts';
import { navigate } from '../router.ts';
import { useSession } from '../session.ts';

const SEVERITY: Record<AttentionItem['severity'], { color: string; text: string }> = {
  error: { color: 'red', text: '须处理' },
  warning: { color: 'orange', text: '提醒' },
  info: { color: 'blue', text: '提示' },
};

/** Text colours with at least 4.5:1 on white (WCAG AA), for the tone of a line under an entry. */
const TONE: Record<HomeLine['tone'], string> = { error: '#a8071a', warning: '#874d00', info: 'inherit' };

/** One figure of a role's home: label, the figure, what it means, its page, and the items under it (each a link). */
function Entry({ e }: { e: HomeEntry }) {
  return (
    <Card
      size="small"
      data-testid={`home-entry-${e.kind}`}
      title={e.label}
      extra={
        <Button size="small" type="link" data-testid="home-link" data-link={e.link} onClick={() => navigate(e.link)}>
          {e.linkLabel}
        </Button>
      }
      style={{ height: '100%' }}
    >
      <div data-testid="home-value" style={{ fontSize: 20, fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={e.value}>
        {e.value}
      </div>
      <Typography.Paragraph style={{ marginBottom: e.lines.length ? 8 : 0, color: '#595959' }}>
        {e.detail}
      </Typography.Paragraph>
      {e.lines.length > 0 && (
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {e.lines.map((l, i) => (
            <li key={i}>
              <Typography.Link data-testid="home-link" data-link={l.link} onClick={() => navigate(l.link)} style={{ color: TONE[l.tone] }}>
                {l.text}
              </Typography.Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/**
 * Home (issue 15): a section per role the person holds (今日验收、草稿… for the 食堂管理员; 今日现金、收据、退费 for the
 * 出纳; …), then what needs doing for those roles, each with a link to where it is done. One call: home.summary.
 */
export function HomePage() {
  const session = useSession((s) => s.session);
  const [home, setHome] = useState<HomeSummary | null>(null);
  useEffect(() => {
    call('home.summary', {}).then(setHome, (e: unknown) => {
      setHome({ attention: [], sections: [] });
      showError(e);
    });
  }, []);
  const items = home?.attention ?? null;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Text>您好，{session?.displayName}。</Typography.Text>
      {items && items.some((i) => i.severity === 'error') && (
        <Alert type="error" showIcon data-testid="home-alert" title={`有 ${items.filter((i) => i.severity === 'error').length} 项须处理的事项（见下方“今天需要处理的事项”），请尽快处理。`} />
      )}
      {home?.sections.map((s) => (
        <Card key={s.role} title={`${s.title}的工作`} data-testid={`home-section-${s.role}`} styles={{ body: { paddingBottom: 8 } }}>
          <Row gutter={[12, 12]}>
            {s.entries.map((e) => (
              <Col key={e.kind} xs={24} lg={12} xxl={s.entries.length === 3 ? 8 : 6}>
                <Entry e={e} />
              </Col>
            ))}
          </Row>
        </Card>
      ))}
      <Card title="今天需要处理的事项" loading={items === null}>
        {items && items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无需要处理的事项" />
        ) : (
          <List
            size="small"
            dataSource={items ?? []}
            data-testid="attention-list"
            renderItem={(it) => (
              <List.Item
                actions={[
                  <Button key="go" type="link" data-testid="home-link" data-link={it.link} onClick={() => navigate(it.link)}>
                    去处理
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space>
                      <Tag color={SEVERITY[it.severity].color}>{SEVERITY[it.severity].text}</Tag>
                      <span>{it.title}</span>
                    </Space>
                  }
                  description={<span style={{ color: '#595959' }}>{it.detail}</span>}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </Space>
  );
}
