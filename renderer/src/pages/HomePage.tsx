import { Alert, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AttentionItem } from '../../../shared/api/audit.ts';
import { call } from '../api.ts';
import { showError } from '../feedback.ts';
import { navigate } from '../router.ts';
import { useSession } from '../session.ts';

const SEVERITY: Record<AttentionItem['severity'], { color: string; text: string }> = {
  error: { color: 'red', text: '须处理' },
  warning: { color: 'orange', text: '提醒' },
  info: { color: 'blue', text: '提示' },
};

/** Home: what needs doing today (expired licences, missing records, …) with a link to where it is fixed. */
export function HomePage() {
  const session = useSession((s) => s.session);
  const [items, setItems] = useState<AttentionItem[] | null>(null);
  useEffect(() => {
    call('home.attention', {}).then(setItems, (e: unknown) => {
      setItems([]);
      showError(e);
    });
  }, []);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Text>您好，{session?.displayName}。</Typography.Text>
      <Card title="今天需要处理的事项" loading={items === null}>
        {items && items.length === 0 ? (
          <Empty description="暂无需要处理的事项" />
        ) : (
          <List
            dataSource={items ?? []}
            data-testid="attention-list"
            renderItem={(it) => (
              <List.Item
                actions={[
                  <Button key="go" type="link" onClick={() => navigate(it.link)}>
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
                  description={it.detail}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      {items && items.some((i) => i.severity === 'error') && <Alert type="error" showIcon title="有须处理的事项，请尽快处理。" />}
    </Space>
  );
}
