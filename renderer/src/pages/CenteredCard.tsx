import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The frame of the screens shown before login: first run and login. */
export function CenteredCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <div style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(160deg, #fff7e6 0%, #fff1f0 100%)' }}>
      <Card style={{ width: 440, boxShadow: '0 6px 24px rgba(0,0,0,0.08)' }}>
        <Typography.Title level={3} style={{ textAlign: 'center', color: '#d4380d', marginTop: 0 }}>
          阳光食堂账本
        </Typography.Title>
        <Typography.Title level={5} style={{ textAlign: 'center', marginTop: 0 }}>
          {title}
        </Typography.Title>
        {subtitle && <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>{subtitle}</Typography.Paragraph>}
        {children}
      </Card>
    </div>
  );
}
