"""Benchmarks and synthetic data: measured, never part of the test suite's pass/fail."""
