-- One line per document: status, kind, council and how many rows each table holds for it.
SELECT d.source_path, d.status, d.doc_kind, d.council_name, d.pages,
       (SELECT count(*) FROM meetings x WHERE x.doc_id = d.doc_id) AS meetings,
       (SELECT count(*) FROM decisions x WHERE x.doc_id = d.doc_id) AS decisions,
       (SELECT count(*) FROM money x WHERE x.doc_id = d.doc_id) AS money,
       (SELECT count(*) FROM quantities x WHERE x.doc_id = d.doc_id) AS quantities,
       (SELECT count(*) FROM plan_lines x WHERE x.doc_id = d.doc_id) AS plan_lines,
       (SELECT count(*) FROM people x WHERE x.doc_id = d.doc_id) AS people,
       (SELECT count(*) FROM problems x WHERE x.doc_id = d.doc_id) AS problems
FROM documents d
ORDER BY d.source_path
