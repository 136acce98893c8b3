/** The month's cost as consumed lives below the domains (the month's figures read it): ledger/stock-cost.ts. */
export * from '../../ledger/stock-cost.ts';
