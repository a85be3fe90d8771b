"""Benchmarks of Birge (`make bench`); never imported by Birge itself."""
