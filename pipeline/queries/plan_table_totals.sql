-- Plan tables checked against their printed totals: per table and column, the sum of the
-- lines beside the first total row the table prints under them (total_rows says how many
-- it prints), and the difference.
WITH sums AS (
    SELECT p.table_id, p."column", p.fiscal_year,
           sum(p.amount_gbp) FILTER (WHERE p.row_kind = 'line') AS lines_gbp,
           count(*) FILTER (WHERE p.row_kind = 'line') AS lines,
           arg_min(p.amount_gbp, p.row_index) FILTER (WHERE p.row_kind = 'total') AS printed_total_gbp,
           count(*) FILTER (WHERE p.row_kind = 'total') AS total_rows
    FROM plan_lines p
    GROUP BY ALL
)
SELECT d.source_path, t.kind, t.unit, s."column", s.fiscal_year, s.lines, s.lines_gbp,
       s.printed_total_gbp, s.lines_gbp - s.printed_total_gbp AS difference_gbp, s.total_rows, t.totals_reconcile
FROM sums s
JOIN tables t ON t.table_id = s.table_id
JOIN documents d ON d.doc_id = t.doc_id
ORDER BY d.source_path, t.page_first, s.table_id, s.fiscal_year NULLS LAST, s."column"
