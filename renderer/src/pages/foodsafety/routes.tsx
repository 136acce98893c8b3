import { page } from '../../lazyPage.tsx';
import type { AppRoute } from '../../routes.tsx';
import { callers } from '../../session.ts';

/** The 食品安全 menu (issue 17): each page opens for who may call the method it reads (writing controls ask canCall too). */
export const foodsafetyRoutes: AppRoute[] = [
  { path: '/foodsafety/samples', label: '留样', group: '食品安全', roles: callers('samples.list'), element: page(() => import('./SamplesPage.tsx'), (m) => m.SamplesPage) },
  { path: '/foodsafety/meals', label: '陪餐', group: '食品安全', roles: callers('meals.list'), element: page(() => import('./MealsPage.tsx'), (m) => m.MealsPage) },
  { path: '/foodsafety/menus', label: '带量食谱', group: '食品安全', roles: callers('menus.list'), element: page(() => import('./MenusPage.tsx'), (m) => m.MenusPage) },
  { path: '/foodsafety/compositions', label: '食物成分', group: '食品安全', roles: callers('compositions.list'), element: page(() => import('./CompositionsPage.tsx'), (m) => m.CompositionsPage) },
  { path: '/foodsafety/surveys', label: '满意度与投诉', group: '食品安全', roles: callers('complaints.list'), element: page(() => import('./SurveysPage.tsx'), (m) => m.SurveysPage) },
  { path: '/foodsafety/checks', label: '晨检与健康证', group: '食品安全', roles: callers('checks.day'), element: page(() => import('./ChecksPage.tsx'), (m) => m.ChecksPage) },
];
