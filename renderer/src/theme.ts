import type { ThemeConfig } from 'antd';

/**
 * The app's antd theme. antd's default text and status colours are below WCAG AA (4.5:1 for text) on white: secondary
 * and description text rgba(0,0,0,.45) 3.35:1, placeholders .25 1.83:1, links #1677ff 4.1:1, warning text #faad14
 * 1.9:1, error #ff4d4f 3.3:1, the green of a 在用 tag 3.37:1, the selected menu item 4.29:1 on its tint. Each value
 * below is the darkest step of the same hue that passes (ratios on white, and on the tint where the colour is used on
 * one; what the prebuilt stylesheet fixes outside the tokens is in contrast.css); test/e2e/screens.test.ts measures every text on every page of every role against it. Disabled text keeps
 * antd's lighter grey: WCAG exempts inactive controls, and it must look unlike what can be used.
 */
export const THEME: ThemeConfig = {
  zeroRuntime: true,
  token: {
    colorPrimary: '#d4380d',
    fontSize: 14,
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)', // 5.7:1
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)', // 5.7:1 on white, 5.4:1 on #fafafa
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)', // 4.7:1: lighter than typed text, still readable
    colorTextQuaternary: 'rgba(0, 0, 0, 0.55)',
    colorTextDisabled: 'rgba(0, 0, 0, 0.25)',
    colorLink: '#0958d9', // 6.0:1
    colorInfo: '#0958d9',
    colorSuccess: '#389e0d',
    colorSuccessText: '#237804', // 5.5:1 on the success tint
    colorWarning: '#995c00', // 5.4:1: warning text is read, not only seen
    colorWarningText: '#874d00',
    colorError: '#cf1322', // 5.6:1
    colorErrorText: '#cf1322',
  },
  components: {
    Menu: { itemSelectedColor: '#ad2102' }, // 6.1:1 on the selected item's tint
  },
};
