"""CrossGuard policy pack: the policies live in `policypack.rules`, `__main__` serves them."""
