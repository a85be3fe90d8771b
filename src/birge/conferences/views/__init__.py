"""The risk conference's pages. Every series, meeting, agenda item and action comes from
`birge.conferences.selectors` (404 for anyone it does not concern, whatever the method);
every change is one call to `services`. Buttons are POST only, checked after the lookup."""
