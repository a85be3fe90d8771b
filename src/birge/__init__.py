"""Birge: multi-agency cooperation on cases of violence against women."""
