-- One row per member per recorded division: how each named member voted on which decision.
-- From the people rows of the voters (mention 'voter', vote_cast), joined to the decision the
-- division was on; member is the name with its title removed, printed_as the words as printed.
-- A division on a block of resolutions ('RESOLVED that ... a) ... v)') is recorded on its first.
SELECT p.decision_id, d.decision_key, d.doc_id, doc.source_path, d.label, d.vote AS outcome,
       d.votes_for, d.votes_against, d.abstentions, left(d.text, 120) AS decision,
       p.name AS member, p.raw_text AS printed_as, p.vote_cast AS vote, p.page, p.char_start, p.char_end
FROM people p
JOIN decisions d ON d.decision_id = p.decision_id
JOIN documents doc ON doc.doc_id = d.doc_id
WHERE p.mention = 'voter' AND p.vote_cast IS NOT NULL
