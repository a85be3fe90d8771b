"""What happens to a case that other parts of Birge react to.

The cases app and the apps built on it (risk) announce; they do not know who listens. The
reactions across apps are connected in one module at the top (`birge.reactions`), so that
no app imports the apps above it. The signals are sent inside the transaction of the
change they announce, so a reaction commits or fails with it.
"""

from django.dispatch import Signal

# A new incident on a case that existed before it (not the first one of a registration).
# Sent with: case, incident, actor.
incident_recorded = Signal()

# A case was registered with its first incident. Sent with: case, incident, actor.
case_registered = Signal()

# A case meets a criterion of the multi-agency risk conference: "risk" (a high or critical
# level in force), "escalation" (repeated incidents). Sent with: case, criterion, actor.
conference_criterion_met = Signal()

# A person was added to a case (at registration or later), or a coordinator confirmed that
# a person of the case is the same as another case's: the strong matches of that person
# may have changed (a serial perpetrator). Sent with: case, participant, actor.
identity_joined = Signal()
