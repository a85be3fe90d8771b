"""The risk conference's API: the same access rules (birge.conferences.selectors) and the
same services as the pages.

Every series, meeting, agenda item and action is looked up before anything else: to
whom it does not concern, every method on its routes is a 404, as for one that was never
there. A write on a visible object that is not hers to make is a 403; a refused change is
a 400 with the reason (per field where there is one); a change made on a stale `version`
is a 409, and nothing changes.
"""
