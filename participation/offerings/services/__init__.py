"""Offering plans and the follow-up of action items (steps 6-7 of the loop), by concern.

`plans` (a centre's *Angebotsplan*: its offerings), `follow_ups` (published action items: the centre's inbox,
accepting, implementing, declining, the public words and the history), `overview` (the office's view of every
item), `outcomes` (the public page "Was ist aus Ihren Anregungen geworden?"), `trends` (questions across rounds per
district), `dashboard` (a centre's feedback summary) and `exports` (CSV and PDF).

Another centre's offering or action item is reported as not found (404), exactly like an unknown id, so no one can
probe which ids exist elsewhere.
"""
