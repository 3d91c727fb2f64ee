// The contract between import/quality and every analysis: one SQL view of clean
// transactions. Analyses read only this view, never the raw imported tables.
//
//   clean_tx (
//     customer_id VARCHAR NOT NULL,   -- trimmed, never empty
//     order_id    VARCHAR NOT NULL,   -- the mapped order id, or customer_id||'|'||order_date when unmapped
//     order_ts    TIMESTAMP NOT NULL, -- UTC, no time-zone functions anywhere (ICU is not built in)
//     order_date  DATE NOT NULL,
//     amount      DOUBLE NOT NULL,    -- line amount; negative for returns/cancellations (when netted)
//     quantity    DOUBLE,             -- NULL when unmapped
//     product     VARCHAR, category VARCHAR, channel VARCHAR, region VARCHAR  -- NULL when unmapped
//   )
export const CLEAN_VIEW = 'clean_tx';


// Orders of the clean view, materialised once per data and policies (workspace.ts), because
// nearly every analysis starts by aggregating clean_tx per order:
//
//   clean_orders (
//     customer_id VARCHAR NOT NULL,
//     order_id    VARCHAR NOT NULL,   -- an order is an order_id of a customer
//     order_date  DATE NOT NULL,      -- the day of its first row
//     last_date   DATE NOT NULL,      -- the day of its last row (later than order_date for a few)
//     net         DOUBLE NOT NULL,    -- sum of its rows' amounts (returns netted)
//     lines       INTEGER NOT NULL    -- its rows in clean_tx
//   )
export const CLEAN_ORDERS = 'clean_orders';
