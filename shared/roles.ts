/** The people of DOMAIN.md. A user may hold several roles (small schools double up). */
export const ROLES = ['admin', 'storekeeper', 'cashier', 'accountant', 'reviewer', 'parent'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  storekeeper: '食堂管理员',
  cashier: '出纳',
  accountant: '会计',
  reviewer: '审核人/校长',
  parent: '家委会代表',
};

/** Who may call a method: named roles, any logged-in user, or nobody logged in yet (login, first run). */
export type Access = readonly Role[] | 'any' | 'public';

/** Everyone but the parent representative may read the internal books; parents read disclosures. */
export const STAFF: readonly Role[] = ['admin', 'storekeeper', 'cashier', 'accountant', 'reviewer'];
export const EVERYONE: readonly Role[] = ROLES;

/** Who keeps suppliers and the ingredient catalogue (and imports them). */
export const MASTERDATA_EDITORS: readonly Role[] = ['admin', 'storekeeper', 'accountant'];
/**
 * Who may set an ingredient's category, kind (猪肉, 鲜蛋…), 进口 and required certificates: not the 食堂管理员 who
 * receives the goods, since these decide which certificates a delivery needs (issue 14).
 */
export const INGREDIENT_CLASSIFIERS: readonly Role[] = ['admin', 'accountant'];

/** Who handles fee money: the cashier, and the accountant who may stand in. Class teachers are not users. */
export const FEE_WRITERS: readonly Role[] = ['cashier', 'accountant'];
/** Who reads the fee books. */
export const FEE_READERS: readonly Role[] = ['admin', 'cashier', 'accountant', 'reviewer'];
/** Who keeps the roster, meal plans and school calendar. */
export const FEE_SETUP: readonly Role[] = ['admin', 'cashier', 'accountant'];
