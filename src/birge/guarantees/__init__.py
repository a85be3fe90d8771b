"""Guarantee tests: each promise of Birge proven over every path, generated from the code
(every URL from the resolver, every model from the app registry), so that a new page, API
route or app is covered the day it is added. Tests only; they sit at the top of the
layers, above every app, because a promise spans them all."""
