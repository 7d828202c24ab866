-- How each named member voted across the recorded divisions of a run (view votes): divisions
-- voted in, for, against, abstained, and on how many they voted with the side that won.
SELECT member, count(*) AS divisions,
       count(*) FILTER (WHERE vote = 'for') AS voted_for,
       count(*) FILTER (WHERE vote = 'against') AS voted_against,
       count(*) FILTER (WHERE vote = 'abstain') AS abstained,
       count(*) FILTER (WHERE (vote = 'for' AND outcome = 'carried') OR (vote = 'against' AND outcome = 'lost'))
           AS with_the_winning_side
FROM votes
GROUP BY member
ORDER BY divisions DESC, member
