-- What each council planned to save on each service in each financial year (MHCLG service categories,
-- plan_lines.service_area), each plan line counted once (view counted_savings). Lines no service
-- mapping supports are '(no service area)'; the rows of one council and year add up to its total in
-- savings_by_council_year.
SELECT council, fiscal_year, coalesce(service_area, '(no service area)') AS service_area, standing,
       count(*) AS plan_lines, sum(saving_gbp) AS saving_gbp,
       string_agg(DISTINCT printed_in, '; ' ORDER BY printed_in) AS printed_in
FROM counted_savings
GROUP BY ALL
ORDER BY council, fiscal_year, saving_gbp DESC, service_area
