"""Users, roles and sign-in: the mayor's office and centre staff. Parents never sign in."""
