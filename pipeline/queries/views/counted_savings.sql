-- Every saving plan line that counts, once: lines (not totals) of columns whose measure is `saving`,
-- with a financial year, from tables that are not reprints of a table printed elsewhere (duplicate_of)
-- and not amendments, alternative budgets or rejected. For each council and year only the tables of the
-- best standing found are kept (adopted, then proposed, then unstated, then monitoring), so a draft and
-- its adopted version, or a plan and its monitoring, are never added together.
-- saving_gbp is positive for a saving whichever sign the paper prints (Kent prints savings as negatives):
-- a table whose saving lines sum below zero prints savings as negatives.
WITH lines AS (
    SELECT coalesce(d.council_name, '(unknown)') AS council, d.council_code, p.fiscal_year, p.table_id,
           coalesce(t.standing, 'unstated') AS standing, p.line_id, p.title, p.directorate, p.service,
           p.service_area, p.amount_gbp, p.page, d.source_path, t.page_first, t.page_last, t.caption
    FROM plan_lines p
    JOIN tables t ON t.table_id = p.table_id
    JOIN documents d ON d.doc_id = p.doc_id
    WHERE p.measure = 'saving' AND p.row_kind = 'line' AND p.fiscal_year IS NOT NULL
      AND t.duplicate_of IS NULL
      AND coalesce(t.standing, 'unstated') IN ('adopted', 'proposed', 'unstated', 'monitoring')
), signs AS (
    SELECT table_id, CASE WHEN sum(amount_gbp) < 0 THEN -1 ELSE 1 END AS sign FROM lines GROUP BY table_id
), ranked AS (
    SELECT l.*, s.sign,
           CASE l.standing WHEN 'adopted' THEN 0 WHEN 'proposed' THEN 1 WHEN 'unstated' THEN 2 ELSE 3 END AS standing_rank
    FROM lines l JOIN signs s USING (table_id)
)
SELECT council, council_code, fiscal_year, standing, table_id, line_id, title, directorate, service, service_area,
       CAST(amount_gbp * sign AS DECIMAL(18, 2)) AS saving_gbp, amount_gbp AS printed_gbp, page,
       source_path || ' p' || page_first || CASE WHEN page_last <> page_first THEN '-' || page_last ELSE '' END AS printed_in
FROM ranked
QUALIFY standing_rank = min(standing_rank) OVER (PARTITION BY council, fiscal_year)
