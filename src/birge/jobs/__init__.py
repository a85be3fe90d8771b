"""Birge's periodic jobs, by name.

Each job is a plain function `(now) -> int` that does one pass and returns how many
things it did. Every job is idempotent and safe when several servers run it at once:
it claims its rows with `SELECT … FOR UPDATE SKIP LOCKED` inside a transaction, marks
them done in that same transaction, and notifies with a dedupe key. So a scheduler may
run a job twice, two servers may run it at the same moment, and a crashed run is simply
picked up by the next one. (The audit sealer, `audit_seal`, claims no rows: it takes an
advisory lock only sealers use, and a second sealer at the same moment does nothing.) `birge jobs run` runs one pass; `birge scheduler` runs them
on the schedule in `birge.jobs.registry`.
"""
