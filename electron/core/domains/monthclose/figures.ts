/** The month's figures live below the domains (verify recomputes a closed month's from them): ledger/month-figures.ts. */
export * from '../../ledger/month-figures.ts';
