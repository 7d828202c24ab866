"""Money plan tables: find grids in text (text_tables) or PDF geometry (pdf_tables),
recognise plans and lay them out long-form (plan), check their totals (reconcile).
Tuned PDF settings live in one place (settings)."""
