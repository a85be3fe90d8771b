"""Tests of Birge's promises about a case, each proved over every path generated from the
code (every URL of the resolver, every model of the app registry), not over a list kept
by hand. No runtime code lives here."""
