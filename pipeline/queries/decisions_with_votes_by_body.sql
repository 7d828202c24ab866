-- Decisions per council and meeting body: how many, how many record a vote, the
-- outcomes printed, and the vote counts where they are printed.
SELECT coalesce(doc.council_name, '(unknown)') AS council,
       coalesce(m.body, '(no meeting)') AS body,
       m.body_kind,
       count(*) AS decisions,
       count(d.vote) AS with_vote,
       count(*) FILTER (WHERE d.vote = 'unanimous') AS unanimous,
       count(*) FILTER (WHERE d.vote = 'nem_con') AS nem_con,
       count(*) FILTER (WHERE d.vote IN ('majority', 'carried')) AS carried,
       count(*) FILTER (WHERE d.vote = 'lost') AS lost,
       sum(d.votes_for) AS votes_for,
       sum(d.votes_against) AS votes_against,
       sum(d.abstentions) AS abstentions
FROM decisions d
LEFT JOIN meetings m ON m.meeting_id = d.meeting_id
JOIN documents doc ON doc.doc_id = d.doc_id
GROUP BY ALL
ORDER BY council, decisions DESC, body
