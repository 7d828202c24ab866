-- Problems by severity and code: how many, how many documents they touch, and one
-- example message (errors first).
SELECT severity, code,
       count(*) AS problems,
       count(DISTINCT doc_id) AS documents,
       min(message) AS example
FROM problems
GROUP BY severity, code
ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, problems DESC, code
