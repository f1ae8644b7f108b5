"""Centres' offering plans and the follow-up of action items (steps 6-7 of the loop, DESIGN.md)."""
