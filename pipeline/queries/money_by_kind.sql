-- Money mentions in running text by kind: how many, in how many documents, their exact
-- total and the largest. Totals add mentions, so an amount printed twice counts twice.
SELECT coalesce(kind, '(none)') AS kind,
       count(*) AS mentions,
       count(DISTINCT doc_id) AS documents,
       sum(amount_gbp) AS total_gbp,
       max(amount_gbp) AS largest_gbp
FROM money
GROUP BY ALL
ORDER BY total_gbp DESC NULLS LAST, kind
