"""Procedures: asylum, statelessness, trafficking, child protection and return cases, referrals, appointments."""
