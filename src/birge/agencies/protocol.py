"""The co-operation protocol's content: its shape, and the promises read from it.

`ProtocolVersion.content` is JSON of this shape (every text in az, ru and en)::

    {
      "title": {"az": …, "ru": …, "en": …},
      "roles": [{"agency_kind": "police", "text": {…}}],
      "pathways": [
        {"id": "shelter-place", "situation": {…}, "service_kind": "shelter",
         "response_hours": 4, "min_risk": ""}
      ],
      "contacts": [{"agency": "<agency code>", "text": {…}}],
      "information_sharing": {…}
    }

A pathway says which situation goes to which kind of service, and how many hours the
receiving agency promises to answer in; `min_risk` ("" or a risk level) makes a pathway
apply only from that level up (e.g. police acknowledge a high-risk referral in 24 h).
"""
