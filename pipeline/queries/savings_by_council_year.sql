-- Savings by council and financial year: money mentions of kind 'saving' in running text
-- beside the lines (not totals) of savings plan tables. A saving printed twice in the
-- text counts twice; plan columns without a year (Total columns) are left out.
WITH text_savings AS (
    SELECT coalesce(d.council_name, '(unknown)') AS council,
           coalesce(m.fiscal_year, '(no year)') AS fiscal_year,
           count(*) AS text_mentions,
           sum(m.amount_gbp) AS text_saving_gbp
    FROM money m JOIN documents d USING (doc_id)
    WHERE m.kind = 'saving'
    GROUP BY ALL
), plan_savings AS (
    SELECT coalesce(d.council_name, '(unknown)') AS council,
           p.fiscal_year AS fiscal_year,
           count(*) AS plan_lines,
           sum(p.amount_gbp) AS plan_saving_gbp
    FROM plan_lines p
    JOIN tables t ON t.table_id = p.table_id
    JOIN documents d ON d.doc_id = p.doc_id
    WHERE t.kind = 'savings' AND p.row_kind = 'line' AND p.fiscal_year IS NOT NULL
    GROUP BY ALL
)
SELECT council, fiscal_year,
       coalesce(text_mentions, 0) AS text_mentions, text_saving_gbp,
       coalesce(plan_lines, 0) AS plan_lines, plan_saving_gbp
FROM text_savings FULL OUTER JOIN plan_savings USING (council, fiscal_year)
ORDER BY council, fiscal_year
