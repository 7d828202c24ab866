-- The 25 largest overspends, pressures and budget gaps stated in running text, largest
-- first, with the document, page and exact text each was read from.
SELECT m.amount_gbp, m.amount_gbp_high, m.kind, m.fiscal_year,
       coalesce(d.council_name, '(unknown)') AS council,
       d.source_path, m.page, m.raw_text, m.sentence
FROM money m JOIN documents d USING (doc_id)
WHERE m.kind IN ('overspend', 'pressure', 'gap')
ORDER BY m.amount_gbp DESC, d.source_path, m.page, m.char_start
LIMIT 25
