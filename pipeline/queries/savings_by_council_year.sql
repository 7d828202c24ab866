-- Planned savings by council and financial year, each plan line counted once (view counted_savings:
-- no reprints, no amendments, alternative budgets or rejected tables, only the best standing per
-- council and year). saving_gbp is positive for a saving; printed_in says which tables it came from.
-- Savings mentioned in running text are not added: the same saving is printed in many sentences.
SELECT council, fiscal_year, standing, count(*) AS plan_lines, sum(saving_gbp) AS saving_gbp,
       string_agg(DISTINCT printed_in, '; ' ORDER BY printed_in) AS printed_in
FROM counted_savings
GROUP BY council, fiscal_year, standing
ORDER BY council, fiscal_year
